import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { codecForType, ENVELOPE_DOCUMENT_TYPES } from '../../core/documents/document-table.js';
import { CoreError } from '../../core/errors.js';
import { checkConformance, ConformanceReport } from '../../core/exchange/check-conformance.js';
import { receiveEnvelope } from '../../core/exchange/receive-envelope.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { requireMediaType } from '../media-type.js';
import { requireRole } from '../middleware/require-role.js';
import { requestExamples } from '../openapi/request-examples.js';
import { problems, problemResponses } from '../problem.js';

const signedXml = (description: string) => ({
  description,
  content: {
    'application/xml': {
      schema: z.string().openapi({ description: 'A Receipt (message-schemas/receipt/1/receipt.xsd), XML-DSig signed by this gateway' }),
    },
  },
});

const exchange = createRoute({
  method: 'post',
  path: '/exchange',
  operationId: 'receiveEnvelope',
  tags: ['partners'],
  summary: 'Receive a signed envelope from a partner gateway; answer with a signed receipt',
  description:
    'Partner gateways authenticate by the XML signature of the envelope, checked against the certificate pinned in their partner file. ' +
    'Every refusal is a signed receipt with Status REJECTED and a coded Error, sent with the status the code maps to. ' +
    'Refused traffic is rate-limited per source address and per sender: over the limit, 429 problem+json with Retry-After.',
  security: [],
  request: {
    body: {
      required: true,
      content: {
        'application/xml': {
          schema: z.string().openapi({
            description:
              'An Envelope, valid against the XML Schema `message-schemas/envelope/1/envelope.xsd` (in the swx repository), XML-DSig signed',
          }),
          examples: requestExamples('envelope/1/examples/valid-customs-response-signed.xml'),
        },
      },
    },
  },
  responses: {
    200: signedXml('Received: the receipt holds the digest of the envelope and our ledger index'),
    400: signedXml('Refused: malformed, wrong signature profile or signature, not for us, stale'),
    403: signedXml('Refused: unknown partner, untrusted certificate, From not the signer, or a reference to another partner’s message'),
    409: signedXml('Refused: the message id was already received with other content'),
    422: signedXml('Refused: the document does not validate'),
    ...problemResponses(413, 415, 429),
  },
});

const check = createRoute({
  method: 'post',
  path: '/conformance',
  operationId: 'checkConformance',
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
      content: {
        'application/xml': {
          schema: z.string().openapi({
            description:
              'A signed Envelope (`message-schemas/envelope/1/envelope.xsd` in the swx repository), or a business document alone (the XSD of its type under `message-schemas/`)',
          }),
          examples: requestExamples('envelope/1/examples/valid-customs-response-signed.xml', 'ephyto/1/examples/valid-id-worked-example.xml'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The report: every check with its status, code and failing fields',
      content: { 'application/json': { schema: ConformanceReport } },
    },
    ...problemResponses(401, 403, 413, 415, 422),
  },
});

/**
 * The partner gateways' group, mounted at `/v1`: the exchange endpoint, where a gateway authenticates by the
 * envelope's signature (no bearer token), and the conformance check its operators run before going live.
 * @example app.route('/v1', partnerRoutes(deps))
 */
export function partnerRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const partners = new OpenAPIHono<AppEnv>();
  partners.openapi(exchange, async (c) => {
    requireMediaType(c, ['application/xml', 'text/xml']);
    const answer = await receiveEnvelope(deps, await c.req.text(), { address: deps.clientAddress?.(c) });
    const status = answer.accepted || answer.code === undefined ? 200 : problems[answer.code].status;
    return c.body(answer.receipt, status as 200, { 'Content-Type': 'application/xml; charset=utf-8' });
  });

  partners.openapi(check, async (c) => {
    requireMediaType(c, ['application/xml', 'text/xml']);
    const { type } = c.req.valid('query');
    const codec = type === undefined ? undefined : codecForType(type);
    if (codec !== undefined && 'error' in codec) {
      throw new CoreError('VALIDATION_FAILED', `type: ${codec.error}`, { issues: [{ pointer: '/type', detail: codec.error }] });
    }
    const report = checkConformance(deps, await c.req.text(), codec === undefined ? {} : { type: codec.codec.documentType });
    return c.json(report, 200);
  });
  return partners;
}
