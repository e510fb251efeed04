import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { checkConformance, ConformanceReport } from '../../core/exchange/check-conformance.js';
import { codecForType, ENVELOPE_DOCUMENT_TYPES } from '../../core/documents/document-table.js';
import { CoreError } from '../../core/errors.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireMediaType } from '../media-type.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const check = createRoute({
  method: 'post',
  path: '/conformance',
  tags: ['partners'],
  summary: 'Check a signed envelope or a business document as swx would receive it, recording nothing',
  description:
    'For partner operators before going live (a key with role `partner`, or admin). Runs every check of `POST /v1/exchange` that does not ' +
    'depend on the exchange history (replays and RefToMessageId are checked on reception only) and lists each: well-formedness and limits, ' +
    'the envelope schema, the signature profile, digest and value with the certificate pinned for the From gateway, that certificate’s ' +
    'chain, validity and revocation, From matching the signer, the addressee, the time window, the document type and the document schema ' +
    'with every failing field. A business document alone (no envelope) is told by its root element, or by `type`. No ledger entry, message ' +
    'or receipt is written.',
  middleware: requireRole('partner', 'admin'),
  request: {
    query: z.object({
      type: z
        .string()
        .optional()
        .openapi({ description: `The document type of a business document sent alone: ${ENVELOPE_DOCUMENT_TYPES}`, example: 'EPHYTO' }),
    }),
    body: {
      required: true,
      content: { 'application/xml': { schema: z.string().openapi({ description: 'A signed Envelope, or a business document alone' }) } },
    },
  },
  responses: {
    200: { description: 'The report: every check with its status, code and failing fields', content: { 'application/json': { schema: ConformanceReport } } },
    ...problemResponses(401, 403, 413, 415, 422),
  },
});

/**
 * The partner operators' onboarding check, mounted at `/v1`: POST /v1/conformance.
 * @example app.route('/v1', conformanceRoutes(deps))
 */
export function conformanceRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const operators = new OpenAPIHono<AuthedEnv>();
  operators.openapi(check, async (c) => {
    requireMediaType(c, ['application/xml', 'text/xml']);
    const { type } = c.req.valid('query');
    const codec = type === undefined ? undefined : codecForType(type);
    if (codec !== undefined && 'error' in codec) {
      throw new CoreError('VALIDATION_FAILED', `type: ${codec.error}`, { issues: [{ pointer: '/type', detail: codec.error }] });
    }
    const report = checkConformance(deps, await c.req.text(), codec === undefined ? {} : { type: codec.codec.documentType });
    return c.json(report, 200);
  });
  return operators;
}
