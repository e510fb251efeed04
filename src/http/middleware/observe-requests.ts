import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from '../../core/primitives.js';
import type { Principal } from '../../core/auth/api-key.js';
import type { AppVariables, Logger } from '../deps.js';
import type { RequestTracer } from '../request-tracer.js';

/** The app's variables, with requireRole's principal once a route's middleware has set it. */
type ObservedEnv = { Variables: AppVariables & { principal?: Principal } };

/**
 * Observes each request: sets `c.var.log` (the logger's child carrying the request id, for every line of the request),
 * records its duration under its route pattern (`/v1/admin/api-keys/:id`, never the raw path, so label cardinality
 * stays bounded) and writes one access line: `{ requestId, method, route, status, durationMs, party, role, msg: 'request' }`.
 * `party` and `role` are the authenticated principal's (absent when the request had none); the line never holds a
 * header or a body, so no token and no document.
 * With a tracer, each request is also one span, named `<method> <route>`, with the request id as `swx.request_id`.
 * Place it after `requestId()`.
 * @example app.use(observeRequests(deps.metrics, deps.logger, deps.tracer))
 */
export function observeRequests(metrics: Metrics, logger: Logger, tracer?: RequestTracer): MiddlewareHandler<ObservedEnv> {
  return async (c, next) => {
    const started = performance.now();
    const span = tracer?.start(c.req.method, { 'http.request.method': c.req.method, 'swx.request_id': c.var.requestId });
    const log = logger.child({ requestId: c.var.requestId });
    c.set('log', log);
    // Hono turns a thrown error into the onError response before next() returns, so c.res is final here.
    await next();
    const seconds = (performance.now() - started) / 1000;
    const pattern = routePath(c, -1);
    const route = pattern.endsWith('*') ? 'unmatched' : pattern;
    metrics.observeHttpRequest({ method: c.req.method, route, status: c.res.status, seconds });
    span?.end(`${c.req.method} ${route}`, { 'http.route': route, 'http.response.status_code': c.res.status }, c.res.status >= 500);
    const principal = c.var.principal;
    log.info(
      {
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: Math.round(seconds * 1000 * 10) / 10,
        ...(principal === undefined ? {} : { party: principal.partyId, role: principal.role }),
      },
      'request',
    );
  };
}
