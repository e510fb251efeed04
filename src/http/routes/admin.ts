import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { issueApiKey, NewApiKey, revokeApiKey, Role } from '../../core/auth/api-key.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const ApiKeyView = z
  .object({
    id: z.string(),
    role: Role,
    name: z.string(),
    partyId: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    revokedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiKey');

const KeyId = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) });

const createKey = createRoute({
  method: 'post',
  path: '/api-keys',
  tags: ['admin'],
  summary: 'Create an API key; its token is returned in this response only',
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
  tags: ['admin'],
  summary: 'List API keys, revoked ones included (never their tokens)',
  responses: {
    200: { description: 'The keys, oldest first', content: { 'application/json': { schema: z.object({ items: z.array(ApiKeyView) }) } } },
    ...problemResponses(401, 403),
  },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/api-keys/{id}',
  tags: ['admin'],
  summary: 'Revoke an API key; revoking it again changes nothing',
  request: { params: KeyId },
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 403, 404) },
});

/**
 * The admin group, mounted at `/v1/admin`: API key management, admin role only.
 * @example app.route('/v1/admin', adminRoutes(deps))
 */
export function adminRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const admin = new OpenAPIHono<AuthedEnv>();
  admin.use(requireRole('admin'));

  admin.openapi(createKey, async (c) => {
    const { key, token } = await issueApiKey(deps, c.req.valid('json'));
    return c.json({ id: key.id, token }, 201);
  });

  admin.openapi(listKeys, async (c) => {
    const keys = await deps.apiKeys.list();
    const items = keys.map(({ id, role, name, partyId, createdAt, revokedAt }) => ({
      id,
      role,
      name,
      partyId,
      createdAt,
      revokedAt: revokedAt ?? null,
    }));
    return c.json({ items }, 200);
  });

  admin.openapi(revokeKey, async (c) => {
    await revokeApiKey(deps, c.req.valid('param').id);
    return c.body(null, 204);
  });

  return admin;
}
