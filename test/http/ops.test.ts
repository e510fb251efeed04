import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, listen, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  security: unknown[];
}

async function openApi(): Promise<OpenApiDocument> {
  const response = await t.app.request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

describe('GET /', () => {
  const links = [
    { rel: 'docs', href: '/docs' },
    { rel: 'openapi', href: '/openapi.json' },
    { rel: 'console', href: '/console' },
    { rel: 'healthz', href: '/healthz' },
  ];

  it('answers an API client with the links as JSON', async () => {
    const response = await t.app.request('/', { headers: { Accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(response.headers.get('Vary')).toBe('Accept');
    const body = (await response.json()) as { name: string; links: unknown[] };
    expect(body.name).toBe('swx');
    expect(body.links).toEqual(links.map((link) => expect.objectContaining(link)));
  });

  it('answers a browser with a page linking them, each link working', async () => {
    const response = await t.app.request('/', { headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const hrefs = [...(await response.text()).matchAll(/<a href="\.([^"]+)">/g)].map((match) => match[1]);
    expect(hrefs).toEqual(links.map((link) => link.href));
    for (const href of hrefs) expect((await t.app.request(href ?? '')).status, href).toBe(200);
  });

  it('answers JSON when the client states no preference', async () => {
    const response = await t.app.request('/');
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  });
});

describe('GET /healthz', () => {
  it('answers 200 without auth', async () => {
    const response = await t.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('answers 200 with the checks when every check passes', async () => {
    t.readiness.push({ name: 'signing key', ok: true });
    const response = await t.app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'database', ok: true },
        { name: 'signing key', ok: true },
      ],
    });
  });

  it('answers a 503 problem naming the failing checks', async () => {
    t.readiness.push({ name: 'signing key', ok: false, detail: 'not loaded' });
    const response = await t.app.request('/readyz');
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'NOT_READY', detail: 'not ready: signing key (not loaded)' });
  });
});

describe('GET /metrics', () => {
  it('answers the Prometheus text format with request durations by route pattern', async () => {
    await t.app.request('/v1/admin/api-keys/some-id', { method: 'DELETE', headers: { Authorization: `Bearer ${t.adminToken}` } });
    await t.app.request('/no/such/path');
    const response = await t.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE swx_http_request_duration_seconds histogram');
    expect(text).toMatch(/swx_http_request_duration_seconds_count\{method="DELETE",route="\/v1\/admin\/api-keys\/:id",status="404"\} 1/);
    expect(text).toMatch(/swx_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toContain('process_cpu_seconds_total');
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with a bearer security scheme', async () => {
    const doc = await openApi();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1');
    expect(doc.components.securitySchemes['bearerAuth']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('lists every route of the app but the console and the documentation assets, each with responses', async () => {
    const doc = await openApi();
    const hidden = /^\/(console($|\/)|docs\/assets\/)/;
    const routes = t.app.routes
      .filter((route) => route.method !== 'ALL' && !hidden.test(route.path))
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:([^/]+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(new Set(documented)).toEqual(new Set(routes));
    expect(documented).toEqual(
      expect.arrayContaining([
        'post /v1/admin/api-keys',
        'get /v1/admin/api-keys',
        'delete /v1/admin/api-keys/{id}',
        'get /healthz',
        'get /readyz',
        'get /metrics',
        'get /openapi.json',
        'get /docs',
        'get /',
      ]),
    );
    for (const operations of Object.values(doc.paths)) {
      for (const operation of Object.values(operations)) expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    }
  });

  it('marks the ops routes as needing no token and documents problems on the others', async () => {
    const doc = await openApi();
    expect(doc.paths['/healthz']?.['get']?.security).toEqual([]);
    expect(doc.paths['/v1/admin/api-keys']?.['post']?.security).toBeUndefined();
    expect(doc.paths['/v1/admin/api-keys']?.['post']?.responses['422']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  });

  it('has every $ref resolvable', async () => {
    const doc = await openApi();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(doc.components.schemas, name).toHaveProperty([name]);
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI whose assets and document come from swx itself', async () => {
    const server = await listen(t.app.fetch);
    try {
      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).not.toMatch(/https?:\/\//);
      const urls = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => new URL(match[1] ?? '', `${server.url}/docs`).href);
      expect(urls).toEqual([
        `${server.url}/docs/assets/swagger-ui-dist/swagger-ui.css`,
        `${server.url}/docs/assets/swagger-ui-dist/swagger-ui-bundle.js`,
      ]);
      for (const url of urls) {
        const asset = await fetch(url);
        expect(asset.status, url).toBe(200);
        expect(asset.headers.get('Content-Type')).toMatch(url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
        expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
      }
      expect(html).toContain("url: './openapi.json'");
    } finally {
      await server.close();
    }
  });

  it('answers 404 for a file that is not a served asset', async () => {
    for (const file of ['package.json', '..', 'index.html']) {
      const response = await t.app.request(`/docs/assets/swagger-ui-dist/${file}`);
      expect(response.status, file).toBe(404);
    }
  });
});
