import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { describePartners, PartnerView } from '../../core/exchange/partner-view.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const listPartners = createRoute({
  method: 'get',
  path: '/partners',
  tags: ['officers'],
  summary: 'Partner gateways and agencies: documents, state, delivery health and circuit state',
  middleware: requireRole('officer', 'admin'),
  responses: {
    200: { description: 'Every partner', content: { 'application/json': { schema: z.object({ items: z.array(PartnerView) }) } } },
    ...problemResponses(401, 403),
  },
});

/**
 * The partners overview for officers and operators, mounted at `/v1`.
 * @example app.route('/v1', partnerRoutes(deps))
 */
export function partnerRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const officers = new OpenAPIHono<AuthedEnv>();
  officers.openapi(listPartners, async (c) => {
    const { partners, store } = deps;
    const items = describePartners(partners, await store.outboxSummary(), deps.deliveryHealth);
    return c.json({ items }, 200);
  });
  return officers;
}
