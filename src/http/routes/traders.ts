import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ExportDeclaration, exportDeclarationSpec } from '../../../message-schemas/export-declaration/1/schema.js';
import { ImportDeclaration, importDeclarationSpec, ImportTypeCode } from '../../../message-schemas/import-declaration/1/schema.js';
import { submitImportDeclaration } from '../../core/declaration/submit-import-declaration.js';
import { CancellationAnswer, CancellationRequest, cancelDeclaration } from '../../core/declaration/cancel-declaration.js';
import { DeclarationView, viewDeclaration } from '../../core/declaration/declaration-view.js';
import { submitDeclaration } from '../../core/declaration/submit-declaration.js';
import { SubmissionAnswer } from '../../core/declaration/declaration.js';
import { decodeDocumentXml } from '../../core/document/xml-mapping.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { readDocumentBody, registerDocumentSchema, xmlDocumentContent } from '../document-body.js';
import { requestExamples } from '../openapi/request-examples.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
  .optional()
  .openapi({ param: { name: 'idempotency-key', in: 'header' }, description: 'Same key and body: the first answer again; same key, other body: 409' });

const DeclarationId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/**
 * The traders' group, mounted at `/v1`: submit a declaration once (JSON or XML) and follow it.
 * Officers may read any declaration too.
 * @example app.route('/v1', traderRoutes(deps))
 */
export function traderRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const traders = new OpenAPIHono<AuthedEnv>();

  const submit = createRoute({
    method: 'post',
    path: '/declarations',
    operationId: 'submitDeclaration',
    tags: ['traders'],
    summary:
      'Submit an export or import declaration (JSON or XML); swx validates, numbers and channels it, sends the ACDD of an export, matches the certificates of an import',
    description:
      'JSON: an import declaration is told by its `declarationType` (an import type code such as A11), anything else is read as an export declaration. XML: by the root element (`ExportDeclaration` or `ImportDeclaration`).',
    middleware: requireRole('trader'),
    request: {
      headers: z.object({ 'idempotency-key': IdempotencyKey }),
      body: declarationRequestBody(traders),
    },
    responses: {
      202: { description: 'Accepted: numbered, channelled, recorded in the ledger', content: { 'application/json': { schema: SubmissionAnswer } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422),
    },
  });
  traders.openapi(submit, async (c) => {
    const body = await readDocumentBody(c, {
      json: (value) => ({ kind: isImportJson(value) ? ('IMPORT' as const) : ('EXPORT' as const), value }),
      xml: (xml) =>
        xml.root === importDeclarationSpec.rootElement
          ? { kind: 'IMPORT' as const, value: decodeDocumentXml(importDeclarationSpec, xml) }
          : { kind: 'EXPORT' as const, value: decodeDocumentXml(exportDeclarationSpec, xml) },
    });
    const submit = body.document.kind === 'IMPORT' ? submitImportDeclaration : submitDeclaration;
    const answer = await submit(deps, {
      partyId: c.var.principal.partyId,
      document: body.document.value,
      mediaType: body.mediaType === 'application/json' ? 'application/json' : 'application/xml',
      body: body.bytes,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
      requestId: c.var.requestId,
    });
    deps.notifyQueued();
    return c.json(answer, 202);
  });

  const read = createRoute({
    method: 'get',
    path: '/declarations/{id}',
    operationId: 'getDeclaration',
    tags: ['traders'],
    summary: 'A declaration: status, channel, linked documents and its timeline, each step with its ledger index',
    middleware: requireRole('trader', 'officer', 'admin'),
    request: { params: DeclarationId },
    responses: {
      200: { description: 'The declaration', content: { 'application/json': { schema: DeclarationView } } },
      ...problemResponses(401, 403, 404),
    },
  });
  traders.openapi(read, async (c) => {
    const view = await viewDeclaration(deps.store, c.req.valid('param').id, c.var.principal);
    return c.json(view, 200);
  });

  const cancel = createRoute({
    method: 'post',
    path: '/declarations/{id}/cancel',
    operationId: 'cancelDeclaration',
    tags: ['traders'],
    summary: 'Cancel an own declaration before release; the ACDD sent for it is withdrawn with an ACDD cancellation',
    middleware: requireRole('trader'),
    request: {
      params: DeclarationId,
      body: { required: true, content: { 'application/json': { schema: CancellationRequest } } },
    },
    responses: {
      200: { description: 'Cancelled and recorded in the ledger', content: { 'application/json': { schema: CancellationAnswer } } },
      ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    },
  });
  traders.openapi(cancel, async (c) => {
    const answer = await cancelDeclaration(deps, c.req.valid('param').id, c.var.principal, c.req.valid('json'), c.var.requestId);
    if (answer.acddCancellation.messageId !== null) deps.notifyQueued();
    return c.json(answer, 200);
  });

  return traders;
}

/** An import declaration in JSON is told by its import type code. */
function isImportJson(value: unknown): boolean {
  const type = typeof value === 'object' && value !== null ? (value as { declarationType?: unknown }).declarationType : undefined;
  return ImportTypeCode.safeParse(type).success;
}

/** Both declarations as the request body: JSON schemas as one of two components, XML by either XSD; the valid examples of both. */
function declarationRequestBody(traders: OpenAPIHono<AuthedEnv>) {
  registerDocumentSchema(traders, 'ExportDeclaration', ExportDeclaration);
  registerDocumentSchema(traders, 'ImportDeclaration', ImportDeclaration);
  return {
    required: true,
    content: {
      'application/json': {
        schema: { oneOf: [{ $ref: '#/components/schemas/ExportDeclaration' }, { $ref: '#/components/schemas/ImportDeclaration' }] },
        examples: requestExamples(
          'export-declaration/1/examples/valid-coffee-to-thailand.json',
          'export-declaration/1/examples/valid-garments-by-road-no-agent.json',
          'import-declaration/1/examples/valid-with-form-d.json',
          'import-declaration/1/examples/valid-brake-pads-by-air-with-agent.json',
        ),
      },
      ...xmlDocumentContent(
        ['message-schemas/export-declaration/1/export-declaration.xsd', 'message-schemas/import-declaration/1/import-declaration.xsd'],
        [
          'export-declaration/1/examples/valid-coffee-to-thailand.xml',
          'export-declaration/1/examples/valid-garments-by-road-no-agent.xml',
          'import-declaration/1/examples/valid-with-form-d.xml',
          'import-declaration/1/examples/valid-brake-pads-by-air-with-agent.xml',
        ],
      ),
    },
  };
}
