import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Role } from '../../core/auth/api-key.js';
import type { AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const SessionView = z
  .object({
    role: Role,
    name: z.string().openapi({ description: 'The key’s name: the person or system it was issued to' }),
    partyId: z.string().openapi({ description: 'The party the key acts for (a tax ID, an agency such as VN-CUSTOMS, a partner)' }),
  })
  .openapi('Session');

const session = createRoute({
  method: 'get',
  path: '/session',
  operationId: 'getSession',
  tags: ['session'],
  summary: 'Who the bearer token is: its role, name and party (the console shows the views that role may use)',
  middleware: requireRole(...Role.options),
  responses: {
    200: { description: 'The key’s role, name and party', content: { 'application/json': { schema: SessionView } } },
    ...problemResponses(401),
  },
});

/**
 * Who a token is, for any live key, mounted at `/v1`: the console asks once after sign-in to show the views the key's
 * role may use and the signed-in person's name.
 * @example app.route('/v1', sessionRoutes())
 */
export function sessionRoutes(): OpenAPIHono<AuthedEnv> {
  const routes = new OpenAPIHono<AuthedEnv>();
  routes.openapi(session, (c) => {
    const { role, name, partyId } = c.var.principal;
    return c.json({ role, name, partyId }, 200);
  });
  return routes;
}
