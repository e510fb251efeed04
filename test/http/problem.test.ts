import { HTTPException } from 'hono/http-exception';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError, type CoreErrorCode } from '../../src/core/errors.js';
import { DEFAULT_PROBLEM_TYPE_BASE, problems, problemType } from '../../src/http/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
  t.app.get('/test/core-error/:code', (c) => {
    throw new CoreError(c.req.param('code') as CoreErrorCode, 'secret internals: db at /var/lib/x', {
      issues: [{ pointer: '/a', detail: 'bad' }],
    });
  });
  t.app.get('/test/http-exception/:status', (c) => {
    throw new HTTPException(Number(c.req.param('status')) as 413, { message: 'from hono' });
  });
  t.app.get('/test/crash', () => {
    throw new TypeError('cannot read property x of undefined at /src/secret.ts:12');
  });
});
afterEach(() => t.close());

describe('problems', () => {
  describe.each(Object.entries(problems) as [CoreErrorCode, (typeof problems)[CoreErrorCode]][])('%s', (code, { status, title }) => {
    it(`is answered as a ${status} problem+json with a stable type`, async () => {
      const response = await t.app.request(`/test/core-error/${code}`);
      expect(response.status).toBe(status);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        type: `${DEFAULT_PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll('_', '-')}`,
        title,
        status,
        code,
        instance: `/test/core-error/${code}`,
        errors: [{ pointer: '/a', detail: 'bad' }],
      });
      if (status === 500) {
        expect(body['detail']).not.toContain('secret');
        expect(body['detail']).toContain(response.headers.get('X-Request-Id'));
      } else {
        expect(body['detail']).toBe('secret internals: db at /var/lib/x');
      }
      expect(response.headers.has('WWW-Authenticate')).toBe(status === 401);
    });
  });

  it('uses 4xx for every signature, certificate and envelope failure', () => {
    const exchange = Object.keys(problems).filter((code) => /^(SIGNATURE|CERTIFICATE|ENVELOPE)_/.test(code)) as CoreErrorCode[];
    expect(exchange.length).toBeGreaterThan(5);
    for (const code of exchange) expect(Math.floor(problems[code].status / 100), code).toBe(4);
  });
});

describe('problemType', () => {
  it('is the code in kebab-case under the base', () => {
    expect(problemType('IDEMPOTENCY_CONFLICT')).toBe('https://swx.customs.gov.vn/problems/idempotency-conflict');
    expect(problemType('NOT_FOUND', 'https://nsw.example/p/')).toBe('https://nsw.example/p/not-found');
  });

  it('follows the configured base', async () => {
    const other = await createTestApp({ problemTypeBase: 'https://nsw.example/problems/' });
    try {
      const body = (await (await other.app.request('/nope')).json()) as { type: string };
      expect(body.type).toBe('https://nsw.example/problems/not-found');
    } finally {
      await other.close();
    }
  });
});

describe('app.onError', () => {
  it('answers an HTTPException with a problem of its status', async () => {
    const response = await t.app.request('/test/http-exception/413');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: 'from hono' });
  });

  it('keeps the status of an HTTPException no code stands for', async () => {
    const response = await t.app.request('/test/http-exception/405');
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ status: 405, detail: 'from hono' });
  });

  describe('when a route throws something unexpected', () => {
    it('answers 500 with nothing internal and logs the cause under the request id', async () => {
      const response = await t.app.request('/test/crash', { headers: { 'X-Request-Id': 'req-crash-1' } });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toMatch(/TypeError|secret|undefined/);
      expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL', type: `${DEFAULT_PROBLEM_TYPE_BASE}internal` });
      expect(response.headers.get('X-Request-Id')).toBe('req-crash-1');
      const entry = t.logs.find((log) => log['requestId'] === 'req-crash-1');
      expect(entry).toMatchObject({ msg: 'request failed', path: '/test/crash', err: { type: 'TypeError' } });
      expect(JSON.stringify(entry)).toContain('secret.ts');
    });
  });
});

describe('app.notFound', () => {
  it('answers 404 problem naming the method and path', async () => {
    const response = await t.app.request('/v1/nothing-here', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', detail: 'no route for POST /v1/nothing-here', instance: '/v1/nothing-here' });
  });
});

describe('X-Request-Id', () => {
  it('is generated when absent and echoed', async () => {
    const response = await t.app.request('/healthz');
    expect(response.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes the client’s id', async () => {
    const response = await t.app.request('/healthz', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(response.headers.get('X-Request-Id')).toBe('abc-123');
  });

  it('replaces an id that could inject into logs or headers', async () => {
    const response = await t.app.request('/healthz', { headers: { 'X-Request-Id': 'a b"<script>' } });
    expect(response.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
