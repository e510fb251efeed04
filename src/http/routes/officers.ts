import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ClearanceHistory, buildClearanceHistory } from '../../core/clearance/clearance-history.js';
import {
  ClearanceOrder,
  ClearancePage,
  cursorFor,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  MAX_PAGE_SIZE,
  searchClearances,
} from '../../core/clearance/clearance-search.js';
import { clearanceETag } from '../../core/clearance/clearance-version.js';
import { ClearanceDecision, DecisionAnswer, decideClearance } from '../../core/clearance/decide-clearance.js';
import { Channel, DeclarationStatus } from '../../core/declaration/declaration.js';
import { CoreError } from '../../core/errors.js';
import { MessagePage, searchMessages } from '../../core/exchange/message-search.js';
import { checkMessageSignature } from '../../core/exchange/message-signature.js';
import { MessageView, viewMessage } from '../../core/exchange/message-view.js';
import { describePartners, PartnerView } from '../../core/exchange/partner-view.js';
import { buildExchangeReport, ExchangeReport } from '../../core/report/exchange-report.js';
import { parsePeriod } from '../../core/report/period.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const query = (name: string, description: string) => ({ param: { name, in: 'query' as const }, description });

/** The cursor and page size every officer listing takes. */
const pageQuery = {
  cursor: z.string().max(512).optional().openapi(query('cursor', 'The nextCursor of the previous page')),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi(query('limit', `Page size, at most ${MAX_PAGE_SIZE}`)),
};

/** One value, or several by repeating the parameter (`status=HELD&status=INSPECTION`). */
const oneOrMore = <T extends z.ZodType>(value: T) => z.union([value, z.array(value).min(1).max(10)]);

const ClearanceQuery = z.object({
  status: oneOrMore(DeclarationStatus)
    .optional()
    .openapi(query('status', 'Only declarations in this status; repeat the parameter for any of several')),
  channel: oneOrMore(Channel).optional().openapi(query('channel', 'Only declarations in this channel; repeat the parameter for any of several')),
  order: ClearanceOrder.default('newest').openapi(
    query('order', 'newest (default) or oldest first, by submission time; a cursor pages only in the order that handed it out'),
  ),
  partner: z.string().min(1).max(64).optional().openapi(query('partner', 'Only declarations exchanged with this partner gateway (e.g. TH)')),
  documentType: z
    .string()
    .regex(/^[A-Z][A-Z_]{1,39}$/, 'must be a document type code such as ACDD')
    .optional()
    .openapi(
      query(
        'documentType',
        'The declaration’s own type (EXPORT_DECLARATION, IMPORT_DECLARATION) or that of a message exchanged about it (ACDD, FORM_D, EPHYTO, …)',
      ),
    ),
  from: z.string().optional().openapi(query('from', 'Submitted at or after: ISO 8601 date (a whole UTC day) or date-time with offset')),
  to: z.string().optional().openapi(query('to', 'Submitted at or before: ISO 8601 date (a whole UTC day) or date-time with offset')),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi(query('q', 'Declaration number or submitting party (exact), HS code (its beginning) or the trader’s name (any part)')),
  ...pageQuery,
});

const DeclarationId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const ETagHeader = {
  ETag: {
    description:
      'The clearance’s version: its status and the ledger index of the last step that changed what an officer decides from ("UNDER_REVIEW@42"). Send it back as If-Match with a decision.',
    schema: { type: 'string' as const, example: '"UNDER_REVIEW@42"' },
  },
};

const DecisionHeaders = z.object({
  'if-match': z
    .string()
    .max(1024)
    .optional()
    .openapi({
      param: { name: 'if-match', in: 'header' },
      description:
        'The ETag of GET /v1/clearances/{id} the officer decided from: when the clearance changed since, 409 CLEARANCE_CHANGED (another officer decided meanwhile). Without If-Match or expectedStatus the decision applies to the declaration as it is now.',
    }),
});

const list = createRoute({
  method: 'get',
  path: '/clearances',
  operationId: 'searchClearances',
  tags: ['officers'],
  summary: 'Search declarations, newest (or oldest) first, a page at a time',
  middleware: requireRole('officer'),
  request: { query: ClearanceQuery },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: ClearancePage } } },
    ...problemResponses(400, 401, 403, 422),
  },
});

const history = createRoute({
  method: 'get',
  path: '/clearances/{id}',
  operationId: 'getClearanceHistory',
  tags: ['officers'],
  summary: 'A declaration’s whole history: every step with its ledger index, links to raw messages, decisions',
  middleware: requireRole('officer'),
  request: { params: DeclarationId },
  responses: {
    200: { description: 'The history', headers: ETagHeader, content: { 'application/json': { schema: ClearanceHistory } } },
    ...problemResponses(401, 403, 404),
  },
});

const decide = createRoute({
  method: 'post',
  path: '/clearances/{id}/decision',
  operationId: 'decideClearance',
  tags: ['officers'],
  summary: 'Release, hold, inspect or reject a declaration, with a reason; an illegal transition, or a declaration changed since it was read, is 409',
  middleware: requireRole('officer'),
  request: {
    params: DeclarationId,
    headers: DecisionHeaders,
    body: { required: true, content: { 'application/json': { schema: ClearanceDecision } } },
  },
  responses: {
    200: { description: 'Decided and recorded in the ledger', headers: ETagHeader, content: { 'application/json': { schema: DecisionAnswer } } },
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    409: {
      ...problemResponses(409)[409],
      description: `DOCUMENT_STATE_CONFLICT: the action is not allowed in the declaration’s status; CLEARANCE_CHANGED: If-Match or expectedStatus no longer holds (the detail says what changed, who decided and when). ${problemResponses(409)[409].description}`,
    },
  },
});

const MessageId = z.object({
  messageId: z
    .string()
    .min(1)
    .openapi({ param: { name: 'messageId', in: 'path' } }),
});

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
  ...pageQuery,
});

const listMessages = createRoute({
  method: 'get',
  path: '/messages',
  operationId: 'listMessages',
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
  operationId: 'getMessage',
  tags: ['officers'],
  summary: 'A signed envelope sent or received, byte for byte, with its receipt and whether its signature holds now',
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
    operationId: part === 'envelope' ? 'getMessageEnvelope' : 'getMessageReceipt',
    tags: ['officers'],
    summary: `The ${part} alone, as application/xml, byte for byte (to verify with xmlsec1)`,
    middleware: requireRole('officer', 'admin'),
    request: { params: MessageId },
    responses: {
      200: { description: `The signed ${part}`, content: { 'application/xml': { schema: z.string() } } },
      ...problemResponses(401, 403, 404),
    },
  });

const listPartners = createRoute({
  method: 'get',
  path: '/partners',
  operationId: 'listPartners',
  tags: ['officers'],
  summary: 'Partner gateways and agencies: documents, state, delivery health and circuit state',
  middleware: requireRole('officer', 'admin'),
  responses: {
    200: { description: 'Every partner', content: { 'application/json': { schema: z.object({ items: z.array(PartnerView) }) } } },
    ...problemResponses(401, 403),
  },
});

const day = (name: string, description: string) =>
  z
    .string()
    .optional()
    .openapi({ param: { name, in: 'query' }, description, example: '2026-11-21' });

const report = createRoute({
  method: 'get',
  path: '/reports/exchange',
  operationId: 'getExchangeReport',
  tags: ['officers'],
  summary: 'MIS report: messages by partner, document type, direction and outcome; clearance times; share cleared with no manual step',
  middleware: requireRole('officer', 'admin'),
  request: {
    query: z.object({
      from: day('from', 'First day (ISO 8601 date, a whole UTC day) or instant (date-time with offset), included'),
      to: day('to', 'Last day or instant, included; not before from'),
    }),
  },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: ExchangeReport } } },
    ...problemResponses(400, 401, 403),
  },
});

/**
 * The officers' group, mounted at `/v1`: search declarations, read a declaration's whole history and decide (officers);
 * the exchanged messages behind each step, the partners' delivery health and the MIS report (officers and admins).
 * @example app.route('/v1', officerRoutes(deps))
 */
export function officerRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const officers = new OpenAPIHono<AuthedEnv>();

  officers.openapi(list, async (c) => {
    const { status, channel, partner, documentType, from, to, q, order, cursor, limit } = c.req.valid('query');
    const page = await searchClearances(deps.clearances, {
      order,
      ...(status === undefined ? {} : { status }),
      ...(channel === undefined ? {} : { channel }),
      ...(partner === undefined ? {} : { partner }),
      ...(documentType === undefined ? {} : { documentType }),
      ...(q === undefined ? {} : { q }),
      period: parsePeriod({ from, to }),
      ...(cursor === undefined ? {} : { after: cursorFor(cursor, order) }),
      limit,
    });
    return c.json(page, 200);
  });

  officers.openapi(history, async (c) => {
    const view = await buildClearanceHistory(deps.store, c.req.valid('param').id, c.var.principal);
    c.header('ETag', clearanceETag(view.status, view.history));
    return c.json(view, 200);
  });

  officers.openapi(decide, async (c) => {
    const { etag, ...answer } = await decideClearance(
      deps,
      c.req.valid('param').id,
      c.var.principal,
      c.req.valid('json'),
      c.req.valid('header')['if-match'],
    );
    c.header('ETag', etag);
    return c.json(answer, 200);
  });

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
    return c.json(viewMessage(message, checkMessageSignature(deps, message)), 200);
  });
  for (const part of ['envelope', 'receipt'] as const) {
    officers.openapi(rawPart(part), async (c) => {
      const message = await find(c.req.valid('param').messageId);
      const xml = part === 'envelope' ? message.envelope : message.receipt;
      if (xml === undefined) throw new CoreError('NOT_FOUND', `message ${message.messageId} has no receipt yet`);
      return c.body(xml, 200, { 'Content-Type': 'application/xml; charset=utf-8' });
    });
  }

  officers.openapi(listPartners, async (c) => {
    const { partners, store } = deps;
    const [counts, health] = await Promise.all([store.outboxSummary(), deps.deliveryHealth(partners.list().map((partner) => partner.id))]);
    const certificates = deps.partnerCertificates;
    const expiry = certificates === undefined ? undefined : { certificates, now: deps.clock.now() };
    const items = describePartners(partners, counts, (partnerId) => health.get(partnerId), expiry);
    return c.json({ items }, 200);
  });

  officers.openapi(report, async (c) => {
    const period = parsePeriod(c.req.valid('query'), true);
    const answer = await buildExchangeReport(deps.reports, period);
    return c.json(answer, 200);
  });
  return officers;
}
