import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { projected } from './read-model.js';

/** One request to the Worker (worker.ts), as a client sends it, with a bearer token. */
function call(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  const headers = { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  return exports.default.fetch(
    new Request(`http://swx.test${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
}

describe('the Worker over the read model in D1', () => {
  it('lets a key work as soon as it is created and stop as soon as it is revoked, and answers a 200-character q', async () => {
    const admin = env.SWX_ADMIN_TOKEN;
    const created = await call(admin, 'POST', '/v1/admin/api-keys', { role: 'officer', name: 'HQ officer', partyId: 'HQ-0042' });
    expect(created.status).toBe(201);
    const { id, token } = await created.json<{ id: string; token: string }>();
    expect((await call(token, 'GET', '/v1/clearances')).status).toBe(200);

    // Once D1 holds every commit, the search runs there: D1 refuses LIKE patterns over 50 bytes, q holds 200 characters.
    await projected(env.EXCHANGE.get(env.EXCHANGE.idFromName('swx')));
    const search = await call(token, 'GET', `/v1/clearances?q=${encodeURIComponent('Công ty '.repeat(25))}`);
    expect(search.status).toBe(200);
    expect(await search.json()).toEqual({ items: [], nextCursor: null });

    expect((await call(admin, 'DELETE', `/v1/admin/api-keys/${id}`)).status).toBe(204);
    expect((await call(token, 'GET', '/v1/clearances')).status).toBe(401);
  });
});
