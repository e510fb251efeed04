import type { Metrics } from '../core/primitives.js';

/**
 * The fetch of the SWX_METRICS_PORT listener: `GET /metrics` and nothing else (404).
 * @example await listenHttp(metricsOnly(deps.metrics), { hostname: '127.0.0.1', port: 9464, limits })
 */
export function metricsOnly(metrics: Metrics): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' || new URL(request.url).pathname !== '/metrics') return new Response('Not Found\n', { status: 404 });
    return new Response(await metrics.render(), { headers: { 'Content-Type': metrics.contentType } });
  };
}

type Fetch = (request: Request, ...rest: never[]) => Response | Promise<Response>;

/**
 * The API's fetch without `/metrics` (answered 404), when SWX_METRICS_PORT serves it elsewhere. What the server passes
 * beside the request (@hono/node-server's incoming and outgoing messages, which getConnInfo reads) goes on unchanged.
 * @example listenHttp(withoutMetrics(app.fetch), options)
 */
export function withoutMetrics<F extends Fetch>(fetch: F): F {
  return ((request: Request, ...rest: never[]) =>
    new URL(request.url).pathname === '/metrics'
      ? Response.json(
          { type: 'about:blank', title: 'Not Found', status: 404, detail: 'GET /metrics is served on the metrics port (SWX_METRICS_PORT)' },
          { status: 404, headers: { 'Content-Type': 'application/problem+json' } },
        )
      : fetch(request, ...rest)) as F;
}
