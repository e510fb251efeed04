import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { SwaggerUI } from '@hono/swagger-ui';
import { accepts } from 'hono/accepts';
import { CoreError } from '../../core/errors.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { checkMetricsToken, METRICS_TOKEN_REQUIRED } from '../metrics-token.js';
import { ReadinessCheck } from '../readiness-check.js';
import { problemResponses } from '../problem.js';

const noAuth = { security: [] };

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['ops'],
  summary: 'Liveness: 200 whenever the process serves requests',
  ...noAuth,
  responses: {
    200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
    ...problemResponses(),
  },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags: ['ops'],
  summary: 'Readiness: database writable, signing key loaded',
  ...noAuth,
  responses: {
    200: {
      description: 'Ready',
      content: { 'application/json': { schema: z.object({ status: z.literal('ready'), checks: z.array(ReadinessCheck) }) } },
    },
    ...problemResponses(503),
  },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['ops'],
  summary: 'Prometheus metrics (text exposition format); expose on the operator network only',
  description: 'Open, unless SWX_METRICS_TOKEN is set: then `Authorization: Bearer <SWX_METRICS_TOKEN>` is required (401 without it).',
  ...noAuth,
  responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } }, ...problemResponses(401) },
});

const openApi = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['ops'],
  summary: 'This OpenAPI 3.1 document, generated from the route schemas',
  ...noAuth,
  responses: {
    200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } },
    ...problemResponses(),
  },
});

const docs = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocs',
  tags: ['ops'],
  summary: 'Swagger UI for this API, with no internet access needed',
  ...noAuth,
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } }, ...problemResponses() },
});

/** Where a person or a client starts: the API's documentation, its document, the officer console and liveness. */
const SERVICE_LINKS = [
  { rel: 'docs', href: '/docs', title: 'API documentation (Swagger UI)' },
  { rel: 'openapi', href: '/openapi.json', title: 'The OpenAPI 3.1 document, for client generators' },
  { rel: 'console', href: '/console', title: 'The officer console' },
  { rel: 'healthz', href: '/healthz', title: 'Liveness probe' },
] as const;

const ServiceIndex = z
  .object({
    name: z.literal('swx'),
    links: z.array(z.object({ rel: z.string(), href: z.string(), title: z.string() })),
  })
  .openapi('ServiceIndex');

const index = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getServiceIndex',
  tags: ['ops'],
  summary: 'Where to start: links to the API documentation, the OpenAPI document, the officer console and the liveness probe',
  description: 'JSON, unless the request prefers `text/html` (a browser does), which gets a small page with the same links.',
  ...noAuth,
  responses: {
    200: {
      description: 'The links',
      content: { 'application/json': { schema: ServiceIndex }, 'text/html': { schema: z.string() } },
    },
    ...problemResponses(),
  },
});

// Relative links, like the docs page's, so the page also works behind a reverse proxy that mounts swx under a prefix.
const indexPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>swx</title>
  </head>
  <body>
    <h1>swx</h1>
    <p>The exchange gateway of Viet Nam’s National Single Window.</p>
    <ul>
${SERVICE_LINKS.map((link) => `      <li><a href=".${link.href}">${link.title}</a> (<code>${link.href}</code>)</li>`).join('\n')}
    </ul>
  </body>
</html>`;

const docsAsset = createRoute({
  method: 'get',
  path: '/docs/assets/swagger-ui-dist/{file}',
  hide: true,
  tags: ['ops'],
  summary: 'A Swagger UI asset, served from the installed swagger-ui-dist package',
  ...noAuth,
  request: { params: z.object({ file: z.string().openapi({ param: { name: 'file', in: 'path' }, example: 'swagger-ui.css' }) }) },
  responses: {
    200: { description: 'The asset', content: { 'text/css': { schema: z.string() }, 'text/javascript': { schema: z.string() } } },
    ...problemResponses(404),
  },
});

const assetTypes: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  map: 'application/json',
};

// Relative URLs, so the page also works behind a reverse proxy that mounts swx under a prefix.
const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>swx API</title>
  </head>
  <body>${SwaggerUI({ url: './openapi.json', baseUrl: './docs/assets', persistAuthorization: true })}</body>
</html>`;

/**
 * The operations group, mounted at `/`: the index of links, probes, metrics and the API's own documentation. No auth.
 * `openApiDocument` returns the root app's document, which only the root app can generate.
 * @example app.route('/', opsRoutes(deps, () => app.getOpenAPI31Document(config)))
 */
export function opsRoutes(deps: AppDeps, openApiDocument: () => object): OpenAPIHono<AppEnv> {
  const ops = new OpenAPIHono<AppEnv>();

  ops.openapi(index, (c) => {
    c.header('Vary', 'Accept');
    const mediaType = accepts(c, { header: 'Accept', supports: ['application/json', 'text/html'], default: 'application/json' });
    if (mediaType === 'text/html') return c.html(indexPage, 200);
    return c.json({ name: 'swx' as const, links: [...SERVICE_LINKS] }, 200);
  });

  ops.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));

  ops.openapi(readyz, async (c) => {
    const checks = await deps.readiness();
    const failing = checks.filter((check) => !check.ok);
    if (failing.length > 0) {
      const detail = `not ready: ${failing.map((check) => (check.detail === undefined ? check.name : `${check.name} (${check.detail})`)).join(', ')}`;
      throw new CoreError('NOT_READY', detail);
    }
    return c.json({ status: 'ready' as const, checks: [...checks] }, 200);
  });

  const metricsToken = deps.http.metricsToken;
  const allowed = metricsToken === undefined ? () => true : checkMetricsToken(metricsToken, deps.sha256);
  ops.openapi(metrics, async (c) => {
    if (!allowed(c.req.header('Authorization'))) throw new CoreError('UNAUTHENTICATED', METRICS_TOKEN_REQUIRED);
    return c.text(await deps.metrics.render(), 200, { 'Content-Type': deps.metrics.contentType });
  });

  ops.openapi(openApi, (c) => c.json(openApiDocument(), 200));

  ops.openapi(docs, (c) => c.html(docsPage, 200));

  ops.openapi(docsAsset, async (c) => {
    const { file } = c.req.valid('param');
    const bytes = await deps.docsAssets(file);
    const type = assetTypes[file.slice(file.lastIndexOf('.') + 1)];
    if (bytes === undefined || type === undefined) {
      throw new CoreError('NOT_FOUND', `no documentation asset ${file}`);
    }
    return c.body(bytes, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });

  return ops;
}
