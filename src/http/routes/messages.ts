import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../core/clearance/clearance-search.js';
import { CoreError } from '../../core/errors.js';
import { MessagePage, searchMessages } from '../../core/exchange/message-search.js';
import { MessageView, viewMessage } from '../../core/exchange/message-view.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const MessageId = z.object({ messageId: z.string().min(1).openapi({ param: { name: 'messageId', in: 'path' } }) });

const query = (name: string, description: string) => ({ param: { name, in: 'query' as const }, description });

const MessageQuery = z.object({
  direction: z.enum(['IN', 'OUT']).optional().openapi(query('direction', 'IN: received from partner gateways; OUT: sent to them')),
  documentType: z
    .string()
    .regex(/^[A-Z][A-Z_]{1,39}$/, 'must be a document type code such as ACDD')
    .optional()
    .openapi(query('documentType', 'Only messages of this document type (ACDD, CUSTOMS_RESPONSE, FORM_D, …)')),
  partner: z.string().min(1).max(64).optional().openapi(query('partner', 'Only messages exchanged with this partner gateway (e.g. TH)')),
  routedTo: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi(query('routedTo', 'Only inbound documents routed to this national agency (e.g. VN-CUSTOMS)')),
  cursor: z.string().max(512).optional().openapi(query('cursor', 'The nextCursor of the previous page')),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).openapi(query('limit', `Page size, at most ${MAX_PAGE_SIZE}`)),
});

const listMessages = createRoute({
  method: 'get',
  path: '/messages',
  tags: ['officers'],
  summary: 'Messages sent and received, newest first: e.g. the ACDDs partners sent as pre-arrival information for customs',
  middleware: requireRole('officer', 'admin'),
  request: { query: MessageQuery },
  responses: {
    200: {
      description: 'One page of messages',
      content: { 'application/json': { schema: MessagePage } },
    },
    ...problemResponses(400, 401, 403, 422),
  },
});

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
    const message = await deps.store.getMessage(messageId);
    if (!message) throw new CoreError('NOT_FOUND', `no message ${messageId}`);
    return message;
  };

  officers.openapi(listMessages, async (c) => {
    const { cursor, ...filter } = c.req.valid('query');
    const page = await searchMessages(deps.messages, { ...filter, ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }) });
    return c.json(page, 200);
  });
  officers.openapi(readMessage, async (c) => {
    const message = await find(c.req.valid('param').messageId);
    return c.json(viewMessage(message), 200);
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
