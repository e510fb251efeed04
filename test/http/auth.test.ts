import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/core/auth/api-key.js';
import type { AuthedEnv } from '../../src/http/deps.js';
import { requireRole } from '../../src/http/middleware/require-role.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
  const officers = new OpenAPIHono<AuthedEnv>();
  officers.openapi(
    createRoute({
      method: 'get',
      path: '/whoami',
      middleware: requireRole('officer', 'agency'),
      responses: { 200: { description: 'The caller', content: { 'application/json': { schema: z.object({ keyId: z.string() }) } } } },
    }),
    (c) => c.json(c.var.principal, 200),
  );
  t.app.route('/test', officers);
});
afterEach(() => t.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function createKey(body: unknown, token = t.adminToken): Promise<Response> {
  return t.app.request('/v1/admin/api-keys', {
    method: 'POST',
    headers: { ...bearer(token), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('requireRole', () => {
  describe('without a usable token', () => {
    it.each([
      ['no Authorization header', {}],
      ['a Basic credential', { Authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['an empty bearer', { Authorization: 'Bearer ' }],
      ['an unknown token', bearer('swx_not-a-real-token')],
    ])('answers 401 with a Bearer challenge for %s', async (_, headers) => {
      const response = await t.app.request('/v1/admin/api-keys', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="swx"');
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    });
  });

  it('answers 403 when the role may not use the route', async () => {
    const { token } = (await (await createKey({ role: 'trader', name: 'ACME', partyId: '0101234567' })).json()) as { token: string };
    const response = await t.app.request('/v1/admin/api-keys', { headers: bearer(token) });
    expect(response.status).toBe(403);
    expect(response.headers.has('WWW-Authenticate')).toBe(false);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', detail: 'role trader may not do this (needs admin)' });
    expect((await t.app.request('/test/whoami', { headers: bearer(token) })).status).toBe(403);
  });

  it('sets c.var.principal for each of the allowed roles', async () => {
    for (const role of ['officer', 'agency'] as const) {
      const { id, token } = (await (await createKey({ role, name: `${role} one`, partyId: 'GDVC' })).json()) as { id: string; token: string };
      const response = await t.app.request('/test/whoami', { headers: { Authorization: `bearer  ${token}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ keyId: id, role, name: `${role} one`, partyId: 'GDVC' });
    }
  });
});

describe('/v1/admin/api-keys', () => {
  it('creates a key, lets it authenticate, lists it without secrets and revokes it', async () => {
    const created = await createKey({ role: 'officer', name: 'Officer Lan', partyId: 'HQ-HANOI' });
    expect(created.status).toBe(201);
    const { id, token, ...rest } = (await created.json()) as { id: string; token: string };
    expect(rest).toEqual({});
    expect(token).toMatch(/^swx_[A-Za-z0-9_-]{43}$/);
    expect((await t.app.request('/test/whoami', { headers: bearer(token) })).status).toBe(200);

    const listed = await t.app.request('/v1/admin/api-keys', { headers: bearer(t.adminToken) });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(hashToken(t.deps.sha256, token));
    const { items } = JSON.parse(text) as { items: Record<string, unknown>[] };
    expect(items.map((item) => item['id'])).toEqual(['bootstrap-admin', id]);
    expect(items[1]).toEqual({
      id,
      role: 'officer',
      name: 'Officer Lan',
      partyId: 'HQ-HANOI',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      createdBy: 'admin key bootstrap-admin (bootstrap admin)',
      revokedAt: null,
      revokedBy: null,
    });

    const revoked = await t.app.request(`/v1/admin/api-keys/${id}`, { method: 'DELETE', headers: bearer(t.adminToken) });
    expect(revoked.status).toBe(204);
    expect((await t.app.request('/test/whoami', { headers: bearer(token) })).status).toBe(401);
    expect((await t.app.request(`/v1/admin/api-keys/${id}`, { method: 'DELETE', headers: bearer(t.adminToken) })).status).toBe(204);
    const after = (await (await t.app.request('/v1/admin/api-keys', { headers: bearer(t.adminToken) })).json()) as {
      items: { revokedAt: string | null }[];
    };
    expect(after.items[1]?.revokedAt).toMatch(/^\d{4}-/);
  });

  it('stores only the SHA-256 of the token', async () => {
    const { id, token } = (await (await createKey({ role: 'trader', name: 'ACME', partyId: '0101234567' })).json()) as { id: string; token: string };
    const row = t.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row['token_hash']).toBe(hashToken(t.deps.sha256, token));
    expect(row['token_hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 404 when revoking an unknown key', async () => {
    const response = await t.app.request('/v1/admin/api-keys/no-such-key', { method: 'DELETE', headers: bearer(t.adminToken) });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', detail: 'no API key no-such-key' });
  });

  it('answers 422 listing every failing field of the request by JSON pointer', async () => {
    const response = await createKey({ role: 'emperor', partyId: '', 'extra/field': 1 });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { code: string; errors: { pointer: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((error) => error.pointer).sort()).toEqual(['/extra~1field', '/name', '/partyId', '/role']);
  });
});
