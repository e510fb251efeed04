import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

interface Operation {
  readonly security?: readonly unknown[];
  readonly responses: Readonly<Record<string, unknown>>;
}

let t: TestApp;
let operations: { method: string; path: string; operation: Operation }[];

beforeAll(async () => {
  t = await createTestApp();
  const document = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, Operation>> };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
});
afterAll(() => t.close());

const isPublic = (operation: Operation) => operation.security !== undefined && operation.security.length === 0;

describe('every route declares who may call it', () => {
  it('answers 401 without a token on each route the OpenAPI document does not declare public, and declares that 401', async () => {
    const guarded = operations.filter(({ operation }) => !isPublic(operation));
    expect(guarded.length).toBeGreaterThan(20);
    for (const { method, path, operation } of guarded) {
      const response = await t.app.request(path.replace(/\{[^}]+\}/g, 'x'), { method });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(Object.keys(operation.responses), `${method} ${path}`).toContain('401');
    }
  });

  it('serves the public routes (index, probes, documentation, partner exchange) without a token', () => {
    const open = operations.filter(({ operation }) => isPublic(operation)).map(({ method, path }) => `${method} ${path}`);
    expect(open).toEqual(expect.arrayContaining(['POST /v1/exchange', 'GET /', 'GET /healthz', 'GET /readyz', 'GET /openapi.json', 'GET /docs']));
    expect(open.filter((route) => route.startsWith('GET /v1/') || route.includes('/v1/admin'))).toEqual([]);
  });
});
