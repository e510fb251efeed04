import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let trader: string;
beforeEach(async () => {
  t = await createTestApp({ logLevel: 'info' });
  const response = await t.app.request('/v1/admin/api-keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: 'Tây Nguyên Coffee', partyId: '0301234567' }),
  });
  trader = ((await response.json()) as { token: string }).token;
  t.logs.length = 0;
});
afterEach(() => t.close());

const submit = (headers: Record<string, string> = {}) =>
  t.app.request('/v1/declarations', {
    method: 'POST',
    headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(anExportDeclaration()),
  });
const accessLines = () => t.logs.filter((line) => line.msg === 'request');

describe('the access log', () => {
  it('writes one line per request: method, route pattern, status, duration, request id, party and role; no token, no body', async () => {
    const submitted = await submit();
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const read = await t.app.request(`/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${trader}` } });
    expect(read.status).toBe(200);

    const [post, get] = accessLines();
    expect(accessLines()).toHaveLength(2);
    expect(post).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/v1/declarations',
      status: 202,
      requestId: submitted.headers.get('X-Request-Id'),
      party: '0301234567',
      role: 'trader',
    });
    expect(post?.durationMs).toEqual(expect.any(Number));
    expect(get).toMatchObject({ method: 'GET', route: '/v1/declarations/:id', status: 200, requestId: read.headers.get('X-Request-Id') });
    const written = JSON.stringify(t.logs);
    expect(written).not.toContain(trader);
    expect(written).not.toContain(id);
    expect(written).not.toContain(anExportDeclaration().exporter.name);
  });

  it('logs a request without a key and an unknown path without a party', async () => {
    const response = await t.app.request('/v1/declarations/x', { headers: { Authorization: 'Bearer not-a-key' } });
    expect(response.status).toBe(401);
    await t.app.request('/nowhere');
    expect(accessLines()).toEqual([
      expect.objectContaining({ route: '/v1/declarations/:id', status: 401 }),
      expect.objectContaining({ route: 'unmatched', status: 404 }),
    ]);
    expect(accessLines().every((line) => !('party' in line))).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain('not-a-key');
  });
});

describe('the request id', () => {
  it('differs between requests, is the one the client sent when usable, and is on every line of its request', async () => {
    const first = await submit();
    const second = await submit({ 'X-Request-Id': 'client-chosen-id-1' });
    const firstId = first.headers.get('X-Request-Id');
    expect(firstId).toEqual(expect.any(String));
    expect(second.headers.get('X-Request-Id')).toBe('client-chosen-id-1');
    expect(firstId).not.toBe('client-chosen-id-1');
    expect(accessLines().map((line) => line.requestId)).toEqual([firstId, 'client-chosen-id-1']);
    expect(t.logs.every((line) => line.requestId === firstId || line.requestId === 'client-chosen-id-1')).toBe(true);
  });

  it('is in the context of the ledger entry recording a submitted declaration', async () => {
    const response = await submit({ 'X-Request-Id': 'submission-request-1' });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const entries = await t.deps.ledger.entries(0, await t.deps.ledger.size());
    const received = entries.find((entry) => entry.subject === id && entry.type === 'DOCUMENT_RECEIVED');
    expect(received?.data).toMatchObject({ documentType: 'EXPORT_DECLARATION', requestId: 'submission-request-1' });
    expect(JSON.parse(new TextDecoder().decode(received?.bytes)).data.requestId).toBe('submission-request-1');
  });
});
