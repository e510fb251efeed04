import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { receiveEnvelope } from '../../core/exchange/receive-envelope.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { requireMediaType } from '../media-type.js';
import { problems, problemResponses } from '../problem.js';

const signedXml = (description: string) => ({
  description,
  content: { 'application/xml': { schema: z.string().openapi({ description: 'A Receipt (message-schemas/receipt/1/receipt.xsd), XML-DSig signed by this gateway' }) } },
});

const exchange = createRoute({
  method: 'post',
  path: '/exchange',
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
      content: { 'application/xml': { schema: z.string().openapi({ description: 'An Envelope (message-schemas/envelope/1/envelope.xsd), signed' }) } },
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

/**
 * The partner gateways' group, mounted at `/v1`: the exchange endpoint. No bearer token: the envelope's
 * signature is the authentication.
 * @example app.route('/v1', exchangeRoutes(deps))
 */
export function exchangeRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const partners = new OpenAPIHono<AppEnv>();
  partners.openapi(exchange, async (c) => {
    requireMediaType(c, ['application/xml', 'text/xml']);
    const answer = await receiveEnvelope(deps, await c.req.text(), { address: deps.clientAddress?.(c) });
    const status = answer.accepted || answer.code === undefined ? 200 : problems[answer.code].status;
    return c.body(answer.receipt, status as 200, { 'Content-Type': 'application/xml; charset=utf-8' });
  });
  return partners;
}
