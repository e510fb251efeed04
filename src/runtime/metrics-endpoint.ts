import type { Metrics, Sha256 } from '../core/primitives.js';
import { checkMetricsToken, METRICS_TOKEN_REQUIRED } from '../http/metrics-token.js';
import { PROBLEM_MEDIA_TYPE, problems, problemType } from '../http/problem.js';

/** SWX_METRICS_TOKEN, and the hash its comparison uses. */
export interface MetricsToken {
  readonly token: string;
  readonly sha256: Sha256;
}

/**
 * The fetch of the SWX_METRICS_PORT listener: `GET /metrics` and nothing else (404); with `token`, a 401 problem
 * without `Authorization: Bearer <token>`, as on the API's port.
 * @example await listenHttp(metricsOnly(deps.metrics, { token, sha256 }), { hostname: '127.0.0.1', port: 9464, limits })
 */
export function metricsOnly(metrics: Metrics, token?: MetricsToken): (request: Request) => Promise<Response> {
  const allowed = token === undefined ? () => true : checkMetricsToken(token.token, token.sha256);
  return async (request) => {
    if (request.method !== 'GET' || new URL(request.url).pathname !== '/metrics') return new Response('Not Found\n', { status: 404 });
    if (!allowed(request.headers.get('Authorization'))) {
      const { status, title } = problems.UNAUTHENTICATED;
      return Response.json(
        { type: problemType('UNAUTHENTICATED'), title, status, detail: METRICS_TOKEN_REQUIRED, instance: '/metrics', code: 'UNAUTHENTICATED' },
        { status, headers: { 'Content-Type': PROBLEM_MEDIA_TYPE, 'WWW-Authenticate': 'Bearer realm="swx"' } },
      );
    }
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
