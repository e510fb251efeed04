import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ExportDeclaration, exportDeclarationSpec } from '../../../message-schemas/export-declaration/1/schema.js';
import { CancellationRequest, cancelDeclaration } from '../../core/declaration/cancel-declaration.js';
import { viewDeclaration } from '../../core/declaration/declaration-view.js';
import { submitDeclaration } from '../../core/declaration/submit-declaration.js';
import { DeclarationStatus, Channel } from '../../core/declaration/declaration.js';
import { decodeDocumentXml } from '../../core/document/xml-mapping.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { documentRequestBody, readDocumentBody } from '../document-body.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const SubmissionAnswer = z
  .object({
    id: z.string().openapi({ description: 'The declaration id swx assigned' }),
    declarationNumber: z.string().openapi({ example: '326000000011', description: '12-digit customs declaration number' }),
    status: DeclarationStatus,
    channel: Channel,
    ledgerIndex: z.int().openapi({ description: 'Index of the ledger entry recording the acceptance' }),
  })
  .openapi('SubmissionAnswer');

const TimelineStep = z.object({
  ledgerIndex: z.int(),
  type: z.string().openapi({ example: 'MESSAGE_DELIVERED' }),
  at: z.string().openapi({ format: 'date-time' }),
  messageId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});

export const DeclarationView = z
  .object({
    id: z.string(),
    declarationNumber: z.string(),
    kind: z.enum(['EXPORT', 'IMPORT']),
    status: DeclarationStatus,
    channel: Channel,
    channelReasons: z.array(z.object({ rule: z.string(), detail: z.string() })),
    partner: z.string().nullable(),
    submittedAt: z.string(),
    updatedAt: z.string(),
    documents: z.array(
      z.object({
        messageId: z.string(),
        direction: z.enum(['OUT', 'IN']),
        documentType: z.string(),
        partner: z.string(),
        ledgerIndex: z.int().optional(),
        receipted: z.boolean(),
        createdAt: z.string(),
      }),
    ),
    timeline: z.array(TimelineStep),
    declaration: z.unknown(),
  })
  .openapi('Declaration');

const CancellationAnswer = z
  .object({
    id: z.string(),
    declarationNumber: z.string(),
    status: DeclarationStatus,
    previousStatus: DeclarationStatus,
    ledgerIndex: z.int().openapi({ description: 'Index of the DECLARATION_CANCELLED ledger entry' }),
    acddCancellation: z.object({
      outcome: z.enum(['QUEUED', 'NO_ACDD_SENT', 'ACDD_REFUSED_BY_PARTNER', 'PARTNER_DOES_NOT_RECEIVE_ACDD_CANCELLATION']),
      messageId: z.string().nullable().openapi({ description: 'The ACDD cancellation sent to the partner gateway' }),
      partner: z.string().nullable(),
    }),
  })
  .openapi('CancellationAnswer');

const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
  .optional()
  .openapi({ param: { name: 'idempotency-key', in: 'header' }, description: 'Same key and body: the first answer again; same key, other body: 409' });

const DeclarationId = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) });

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
    tags: ['traders'],
    summary: 'Submit an export declaration (JSON or XML); swx validates, numbers, channels it and sends the ACDD',
    middleware: requireRole('trader'),
    request: {
      headers: z.object({ 'idempotency-key': IdempotencyKey }),
      body: documentRequestBody(traders, 'ExportDeclaration', ExportDeclaration, 'message-schemas/export-declaration/1/export-declaration.xsd'),
    },
    responses: {
      202: { description: 'Accepted: numbered, channelled, recorded in the ledger', content: { 'application/json': { schema: SubmissionAnswer } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422),
    },
  });
  traders.openapi(submit, async (c) => {
    const body = await readDocumentBody(c, {
      json: (value) => value,
      xml: (xml) => decodeDocumentXml(exportDeclarationSpec, xml),
    });
    const answer = await submitDeclaration(deps.declarations, {
      partyId: c.var.principal.partyId,
      document: body.document,
      mediaType: body.mediaType === 'application/json' ? 'application/json' : 'application/xml',
      body: body.bytes,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    deps.notifyQueued();
    return c.json(answer, 202);
  });

  const read = createRoute({
    method: 'get',
    path: '/declarations/{id}',
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
    const view = await viewDeclaration(deps.declarations.store, c.req.valid('param').id, c.var.principal);
    return c.json(view as z.infer<typeof DeclarationView>, 200);
  });

  const cancel = createRoute({
    method: 'post',
    path: '/declarations/{id}/cancel',
    tags: ['traders'],
    summary: 'Cancel an own declaration before release; the ACDD sent for it is withdrawn with an ACDD cancellation',
    middleware: requireRole('trader'),
    request: {
      params: DeclarationId,
      body: { required: true, content: { 'application/json': { schema: CancellationRequest.openapi('CancellationRequest') } } },
    },
    responses: {
      200: { description: 'Cancelled and recorded in the ledger', content: { 'application/json': { schema: CancellationAnswer } } },
      ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    },
  });
  traders.openapi(cancel, async (c) => {
    const answer = await cancelDeclaration(deps.declarations, c.req.valid('param').id, c.var.principal, c.req.valid('json'));
    if (answer.acddCancellation.messageId !== null) deps.notifyQueued();
    return c.json(answer, 200);
  });

  return traders;
}
