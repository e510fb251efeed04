import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from '../../core/primitives.js';

/**
 * Records each request's duration under its route pattern (`/v1/admin/api-keys/:id`, never the
 * raw path, so label cardinality stays bounded).
 * @example app.use(observeRequests(deps.metrics))
 */
export function observeRequests(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    // Hono turns a thrown error into the onError response before next() returns, so c.res is final here.
    await next();
    const route = routePath(c, -1);
    metrics.observeHttpRequest({
      method: c.req.method,
      route: route.endsWith('*') ? 'unmatched' : route,
      status: c.res.status,
      seconds: (performance.now() - started) / 1000,
    });
  };
}
