import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function keyFor(role: string, partyId: string, name: string): Promise<string> {
  const response = await t.app.request('/v1/admin/api-keys', {
    method: 'POST',
    headers: { ...bearer(t.adminToken), 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, partyId, name }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

describe('GET /v1/session', () => {
  it.each([
    ['officer', 'VN-CUSTOMS', 'Officer Nguyen Van An'],
    ['agency', 'VN-PPD', 'Plant Protection desk'],
    ['trader', '0301234567', 'ACME Export'],
  ])('tells a %s key its role, name and party, and nothing else', async (role, partyId, name) => {
    const response = await t.app.request('/v1/session', { headers: bearer(await keyFor(role, partyId, name)) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ role, name, partyId });
  });

  it('answers 401 problem+json to an unknown token', async () => {
    const response = await t.app.request('/v1/session', { headers: bearer('swx_not-a-real-token') });
    expect(response.status).toBe(401);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  });
});
