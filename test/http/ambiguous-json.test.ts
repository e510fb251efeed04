import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const example = readFileSync('message-schemas/export-declaration/1/examples/valid-garments-by-road-no-agent.json', 'utf8');
const EXPORTER = '0101234567001';

let t: TestApp;
let traderToken: string;

beforeEach(async () => {
  t = await createTestApp();
  const created = await t.app.request('/v1/admin/api-keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: 'Garment exporter', partyId: EXPORTER }),
  });
  traderToken = ((await created.json()) as { token: string }).token;
});
afterEach(() => t.close());

const declare = (body: string) =>
  t.app.request('/v1/declarations', {
    method: 'POST',
    headers: { Authorization: `Bearer ${traderToken}`, 'Content-Type': 'application/json' },
    body,
  });
const declarationCount = () => (t.db.prepare('SELECT count(*) AS n FROM declarations').get() as { n: number }).n;

describe('a JSON body naming a property twice', () => {
  it('is a 400 problem naming the property, and no declaration is written', async () => {
    const twice = example.replace('"taxId": "0101234567001"', '"taxId": "0999999999", "taxId": "0101234567001"');
    const response = await declare(twice);
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      code: 'MALFORMED_REQUEST',
      detail: 'the property /exporter/taxId appears twice in the same object',
      errors: [{ pointer: '/exporter/taxId', detail: 'duplicate property name' }],
    });
    expect(declarationCount()).toBe(0);
  });

  it('is found inside arrays, and when the names differ only by an escape', async () => {
    const inItems = example.replace('"hsCode"', '"hs\\u0043ode": "61091000", "hsCode"');
    const response = await declare(inItems);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toBe('the property /items/0/hsCode appears twice in the same object');
  });

  it('is refused on routes validated by their OpenAPI schema too', async () => {
    const response = await t.app.request('/v1/admin/api-keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' },
      body: '{"role":"officer","name":"A","partyId":"VN-CUSTOMS","role":"admin"}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED_REQUEST', errors: [{ pointer: '/role' }] });
  });

  it('still accepts the same name in different objects, and the example itself', async () => {
    expect((await declare(example)).status).toBe(202);
    expect(declarationCount()).toBe(1);
  });
});

describe('JSON nested deeper than any document', () => {
  it('is a 400 problem at 65 levels', async () => {
    const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
    const response = await declare(deep);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toBe('the JSON nests deeper than 64 levels');
  });
});
