import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { OutboxItemView, viewOutboxItem } from '../../core/delivery/outbox-view.js';
import { MAX_REDRIVE, RedriveAnswer, redriveDeadLetters } from '../../core/delivery/redrive.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const listOutbox = createRoute({
  method: 'get',
  path: '/outbox',
  tags: ['admin'],
  summary: 'Outbox messages in one state (dead letters by default), optionally of one partner',
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
  tags: ['admin'],
  summary: 'Send dead-lettered messages again (same message id and bytes, fresh retry budget)',
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

/**
 * The outbox for operators, mounted at `/v1/admin`: see dead letters and re-drive them.
 * @example app.route('/v1/admin', outboxRoutes(deps))
 */
export function outboxRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const admin = new OpenAPIHono<AuthedEnv>();
  admin.use('/outbox/*', requireRole('admin'));
  admin.use('/outbox', requireRole('admin'));

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
