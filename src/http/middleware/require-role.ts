import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../core/auth/api-key.js';
import { CoreError } from '../../core/errors.js';
import type { AuthedEnv } from '../deps.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i;

/**
 * Admits callers whose bearer token belongs to a live key with one of `roles`, and sets
 * `c.var.principal`. No or an unknown token is 401 (with `WWW-Authenticate: Bearer`), a wrong role 403.
 * Use it on a whole sub-app (`group.use(requireRole('officer'))`) or on one route (`createRoute({ middleware: requireRole('trader'), … })`).
 * @example
 * const admin = new OpenAPIHono<AuthedEnv>()
 * admin.use(requireRole('admin'))
 */
export function requireRole(...roles: readonly Role[]): MiddlewareHandler<AuthedEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (header === undefined) throw new CoreError('UNAUTHENTICATED', 'send a bearer token: Authorization: Bearer <token>');
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw new CoreError('UNAUTHENTICATED', 'the Authorization header is not a bearer token');
    const principal = await c.var.authenticate(token);
    if (principal === undefined) throw new CoreError('UNAUTHENTICATED', 'the bearer token is unknown or revoked');
    if (!roles.includes(principal.role)) {
      throw new CoreError('FORBIDDEN', `role ${principal.role} may not do this (needs ${roles.join(' or ')})`);
    }
    c.set('principal', principal);
    await next();
  };
}
