import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CoreError } from '../../core/errors.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const MessageId = z.object({ messageId: z.string().min(1).openapi({ param: { name: 'messageId', in: 'path' } }) });

const MessageView = z
  .object({
    messageId: z.string(),
    direction: z.enum(['OUT', 'IN']),
    partner: z.string(),
    documentType: z.string(),
    conversationId: z.string(),
    refTo: z.string().nullable(),
    declarationId: z.string().nullable(),
    ledgerIndex: z.int().nullable(),
    digest: z.string().openapi({ description: 'Base64 SHA-256 of the envelope bytes' }),
    createdAt: z.string(),
    envelope: z.string().openapi({ description: 'The signed envelope, exactly as sent or received' }),
    receipt: z.string().nullable().openapi({ description: 'The signed receipt that answered it' }),
  })
  .openapi('ExchangeMessage');

const readMessage = createRoute({
  method: 'get',
  path: '/messages/{messageId}',
  tags: ['officers'],
  summary: 'A signed envelope sent or received, byte for byte, with its receipt',
  middleware: requireRole('officer', 'admin'),
  request: { params: MessageId },
  responses: {
    200: { description: 'The message', content: { 'application/json': { schema: MessageView } } },
    ...problemResponses(401, 403, 404),
  },
});

const rawPart = (part: 'envelope' | 'receipt') =>
  createRoute({
    method: 'get',
    path: `/messages/{messageId}/${part}`,
    tags: ['officers'],
    summary: `The ${part} alone, as application/xml, byte for byte (to verify with xmlsec1)`,
    middleware: requireRole('officer', 'admin'),
    request: { params: MessageId },
    responses: {
      200: { description: `The signed ${part}`, content: { 'application/xml': { schema: z.string() } } },
      ...problemResponses(401, 403, 404),
    },
  });

/**
 * Raw exchange messages for officers, mounted at `/v1`: the evidence behind each timeline step.
 * @example app.route('/v1', messageRoutes(deps))
 */
export function messageRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const officers = new OpenAPIHono<AuthedEnv>();
  const find = async (messageId: string) => {
    const message = await deps.declarations.store.getMessage(messageId);
    if (!message) throw new CoreError('NOT_FOUND', `no message ${messageId}`);
    return message;
  };

  officers.openapi(readMessage, async (c) => {
    const message = await find(c.req.valid('param').messageId);
    return c.json(
      {
        messageId: message.messageId,
        direction: message.direction,
        partner: message.partnerId,
        documentType: message.documentType,
        conversationId: message.conversationId,
        refTo: message.refTo ?? null,
        declarationId: message.declarationId ?? null,
        ledgerIndex: message.ledgerIndex ?? null,
        digest: message.digest,
        createdAt: message.createdAt,
        envelope: message.envelope,
        receipt: message.receipt ?? null,
      },
      200,
    );
  });
  for (const part of ['envelope', 'receipt'] as const) {
    officers.openapi(rawPart(part), async (c) => {
      const message = await find(c.req.valid('param').messageId);
      const xml = part === 'envelope' ? message.envelope : message.receipt;
      if (xml === undefined) throw new CoreError('NOT_FOUND', `message ${message.messageId} has no receipt yet`);
      return c.body(xml, 200, { 'Content-Type': 'application/xml; charset=utf-8' });
    });
  }
  return officers;
}
