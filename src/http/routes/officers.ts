import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ClearanceHistory, clearanceHistory } from '../../core/clearance/clearance-history.js';
import { ClearancePage, decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, searchClearances } from '../../core/clearance/clearance-search.js';
import { clearanceETag } from '../../core/clearance/clearance-version.js';
import { ClearanceDecision, DecisionAnswer, decideClearance } from '../../core/clearance/decide-clearance.js';
import { Channel, DeclarationStatus } from '../../core/declaration/declaration.js';
import { parsePeriod } from '../../core/report/period.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const query = (name: string, description: string) => ({ param: { name, in: 'query' as const }, description });

const ClearanceQuery = z.object({
  status: DeclarationStatus.optional().openapi(query('status', 'Only declarations in this status')),
  channel: Channel.optional().openapi(query('channel', 'Only declarations in this channel')),
  partner: z.string().min(1).max(64).optional().openapi(query('partner', 'Only declarations exchanged with this partner gateway (e.g. TH)')),
  documentType: z
    .string()
    .regex(/^[A-Z][A-Z_]{1,39}$/, 'must be a document type code such as ACDD')
    .optional()
    .openapi(query('documentType', 'The declaration’s own type (EXPORT_DECLARATION, IMPORT_DECLARATION) or that of a message exchanged about it (ACDD, FORM_D, EPHYTO, …)')),
  from: z.string().optional().openapi(query('from', 'Submitted at or after: ISO 8601 date (a whole UTC day) or date-time with offset')),
  to: z.string().optional().openapi(query('to', 'Submitted at or before: ISO 8601 date (a whole UTC day) or date-time with offset')),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi(query('q', 'Declaration number or submitting party (exact), HS code (its beginning) or the trader’s name (any part)')),
  cursor: z.string().max(512).optional().openapi(query('cursor', 'The nextCursor of the previous page')),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).openapi(query('limit', `Page size, at most ${MAX_PAGE_SIZE}`)),
});

const DeclarationId = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) });

const ETagHeader = {
  ETag: {
    description: 'The clearance’s version: its status and the ledger index of the last step that changed what an officer decides from ("UNDER_REVIEW@42"). Send it back as If-Match with a decision.',
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
  tags: ['officers'],
  summary: 'Search declarations, newest first, a page at a time',
  request: { query: ClearanceQuery },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: ClearancePage } } },
    ...problemResponses(400, 401, 403, 422),
  },
});

const history = createRoute({
  method: 'get',
  path: '/clearances/{id}',
  tags: ['officers'],
  summary: 'A declaration’s whole history: every step with its ledger index, links to raw messages, decisions',
  request: { params: DeclarationId },
  responses: {
    200: { description: 'The history', headers: ETagHeader, content: { 'application/json': { schema: ClearanceHistory } } },
    ...problemResponses(401, 403, 404),
  },
});

const decide = createRoute({
  method: 'post',
  path: '/clearances/{id}/decision',
  tags: ['officers'],
  summary: 'Release, hold, inspect or reject a declaration, with a reason; an illegal transition, or a declaration changed since it was read, is 409',
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
      description:
        'DOCUMENT_STATE_CONFLICT: the action is not allowed in the declaration’s status; CLEARANCE_CHANGED: If-Match or expectedStatus no longer holds (the detail says what changed, who decided and when)',
    },
  },
});

/**
 * The officers' group, mounted at `/v1`: search declarations, read a declaration's whole history, decide.
 * @example app.route('/v1', officerRoutes(deps))
 */
export function officerRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const officers = new OpenAPIHono<AuthedEnv>();
  officers.use('/clearances', requireRole('officer'));
  officers.use('/clearances/*', requireRole('officer'));

  officers.openapi(list, async (c) => {
    const { status, channel, partner, documentType, from, to, q, cursor, limit } = c.req.valid('query');
    const page = await searchClearances(deps.clearances, {
      ...(status === undefined ? {} : { status }),
      ...(channel === undefined ? {} : { channel }),
      ...(partner === undefined ? {} : { partner }),
      ...(documentType === undefined ? {} : { documentType }),
      ...(q === undefined ? {} : { q }),
      period: parsePeriod({ from, to }),
      ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }),
      limit,
    });
    return c.json(page, 200);
  });

  officers.openapi(history, async (c) => {
    const view = await clearanceHistory(deps.store, c.req.valid('param').id, c.var.principal);
    c.header('ETag', clearanceETag(view.status, view.history));
    return c.json(view, 200);
  });

  officers.openapi(decide, async (c) => {
    const { etag, ...answer } = await decideClearance(deps, c.req.valid('param').id, c.var.principal, c.req.valid('json'), c.req.valid('header')['if-match']);
    c.header('ETag', etag);
    return c.json(answer, 200);
  });
  return officers;
}
