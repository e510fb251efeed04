import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { issueApiKey, NewApiKey, revokeApiKey, type Principal } from '../../core/auth/api-key.js';
import { ApiKeyView, viewApiKey } from '../../core/auth/api-key-view.js';
import { OutboxItemView, viewOutboxItem } from '../../core/delivery/outbox-view.js';
import { MAX_REDRIVE, RedriveAnswer, redriveDeadLetters } from '../../core/delivery/redrive-dead-letters.js';
import { grantMandate, revokeMandate, type MandatePorts } from '../../core/mandate/grant-mandate.js';
import { NewMandate } from '../../core/mandate/mandate.js';
import { MandateView, viewMandate } from '../../core/mandate/mandate-view.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const KeyId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const createKey = createRoute({
  method: 'post',
  path: '/api-keys',
  operationId: 'createApiKey',
  tags: ['admin'],
  summary:
    'Create an API key; its token is returned in this response only. The ledger records it (API_KEY_CREATED) with the admin key that created it',
  middleware: requireRole('admin'),
  // NewApiKey as it is: core schemas may predate zod-openapi's extension, so .openapi() is not called on them.
  request: { body: { required: true, content: { 'application/json': { schema: NewApiKey } } } },
  responses: {
    201: {
      description: 'Created. Store the token now: only its hash is kept.',
      content: { 'application/json': { schema: z.object({ id: z.string(), token: z.string() }).openapi('ApiKeyToken') } },
    },
    ...problemResponses(400, 401, 403, 413, 415, 422),
  },
});

const listKeys = createRoute({
  method: 'get',
  path: '/api-keys',
  operationId: 'listApiKeys',
  tags: ['admin'],
  summary: 'List API keys, revoked ones included (never their tokens)',
  middleware: requireRole('admin'),
  responses: {
    200: { description: 'The keys, oldest first', content: { 'application/json': { schema: z.object({ items: z.array(ApiKeyView) }) } } },
    ...problemResponses(401, 403),
  },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/api-keys/{id}',
  operationId: 'revokeApiKey',
  tags: ['admin'],
  summary: 'Revoke an API key (API_KEY_REVOKED in the ledger, with the admin key that revoked it); revoking it again changes nothing',
  middleware: requireRole('admin'),
  request: { params: KeyId },
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 403, 404) },
});

const MandateId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const grant = createRoute({
  method: 'post',
  path: '/mandates',
  operationId: 'grantMandate',
  tags: ['admin'],
  summary: 'Grant a mandate: the agent (customs broker) may file declarations in the principal’s name; recorded in the ledger',
  middleware: requireRole('admin'),
  request: { body: { required: true, content: { 'application/json': { schema: NewMandate } } } },
  responses: {
    201: { description: 'Granted; MANDATE_GRANTED is in the ledger', content: { 'application/json': { schema: MandateView } } },
    ...problemResponses(400, 401, 403, 413, 415, 422),
  },
});

const listMandates = createRoute({
  method: 'get',
  path: '/mandates',
  operationId: 'listMandates',
  tags: ['admin'],
  summary: 'List mandates, revoked and expired ones included',
  middleware: requireRole('admin'),
  responses: {
    200: { description: 'The mandates, oldest first', content: { 'application/json': { schema: z.object({ items: z.array(MandateView) }) } } },
    ...problemResponses(401, 403),
  },
});

const revokeOne = createRoute({
  method: 'delete',
  path: '/mandates/{id}',
  operationId: 'revokeMandate',
  tags: ['admin'],
  summary: 'Revoke a mandate (recorded in the ledger); revoking it again changes nothing',
  middleware: requireRole('admin'),
  request: { params: MandateId },
  responses: {
    200: { description: 'The revoked mandate', content: { 'application/json': { schema: MandateView } } },
    ...problemResponses(401, 403, 404),
  },
});

const listOutbox = createRoute({
  method: 'get',
  path: '/outbox',
  operationId: 'listOutbox',
  tags: ['admin'],
  summary: 'Outbox messages in one state (dead letters by default), optionally of one partner',
  middleware: requireRole('admin'),
  request: {
    query: z.object({
      state: z.enum(['PENDING', 'DELIVERED', 'REJECTED', 'DEAD_LETTER']).default('DEAD_LETTER'),
      partner: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(MAX_REDRIVE).default(100),
    }),
  },
  responses: {
    200: { description: 'The messages, oldest first', content: { 'application/json': { schema: z.object({ items: z.array(OutboxItemView) }) } } },
    ...problemResponses(401, 403, 422),
  },
});

const redrive = createRoute({
  method: 'post',
  path: '/outbox/redrive',
  operationId: 'redriveOutbox',
  tags: ['admin'],
  summary: 'Send dead-lettered messages again (same message id and bytes, fresh retry budget)',
  middleware: requireRole('admin'),
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              messageIds: z.array(z.string().min(1)).min(1).max(MAX_REDRIVE).optional(),
              partner: z.string().min(1).optional(),
            })
            .openapi({ description: 'Give messageIds, or a partner (all its dead letters), or neither (all dead letters)' }),
        },
      },
    },
  },
  responses: {
    200: { description: 'What was re-queued', content: { 'application/json': { schema: RedriveAnswer } } },
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

/** Who granted, created or revoked, as the ledger and the lists record it. */
const adminOf = (principal: Principal): string => `admin key ${principal.keyId} (${principal.name})`;

/**
 * The admin group, mounted at `/v1/admin`, admin role only: API keys, mandates, and the outbox (see dead letters and
 * re-drive them).
 * @example app.route('/v1/admin', adminRoutes(deps))
 */
export function adminRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const admin = new OpenAPIHono<AuthedEnv>();

  admin.openapi(createKey, async (c) => {
    const { key, token } = await issueApiKey(deps, c.req.valid('json'), adminOf(c.var.principal));
    return c.json({ id: key.id, token }, 201);
  });

  admin.openapi(listKeys, async (c) => {
    const keys = await deps.apiKeys.list();
    return c.json({ items: keys.map(viewApiKey) }, 200);
  });

  admin.openapi(revokeKey, async (c) => {
    await revokeApiKey(deps, c.req.valid('param').id, adminOf(c.var.principal));
    return c.body(null, 204);
  });

  const mandatePorts: MandatePorts = { mandates: deps.mandates, ids: deps.ids, clock: deps.clock };
  admin.openapi(grant, async (c) => {
    const mandate = await grantMandate(mandatePorts, c.req.valid('json'), adminOf(c.var.principal));
    return c.json(viewMandate(mandate, deps.clock.now()), 201);
  });

  admin.openapi(listMandates, async (c) => {
    const mandates = await deps.mandates.list();
    const now = deps.clock.now();
    return c.json({ items: mandates.map((mandate) => viewMandate(mandate, now)) }, 200);
  });

  admin.openapi(revokeOne, async (c) => {
    const mandate = await revokeMandate(mandatePorts, c.req.valid('param').id, adminOf(c.var.principal));
    return c.json(viewMandate(mandate, deps.clock.now()), 200);
  });

  admin.openapi(listOutbox, async (c) => {
    const { state, partner, limit } = c.req.valid('query');
    const items = await deps.store.listOutbox({ state, limit, ...(partner === undefined ? {} : { partnerId: partner }) });
    return c.json({ items: items.map(viewOutboxItem) }, 200);
  });

  admin.openapi(redrive, async (c) => {
    const { messageIds, partner } = c.req.valid('json');
    const result = await redriveDeadLetters(
      { store: deps.store, clock: deps.clock },
      { ...(messageIds === undefined ? {} : { messageIds }), ...(partner === undefined ? {} : { partnerId: partner }) },
    );
    deps.notifyQueued();
    return c.json(result, 200);
  });
  return admin;
}
