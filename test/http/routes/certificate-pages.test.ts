import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

const FORM_D = JSON.parse(
  readFileSync(new URL('../../../message-schemas/form-d/1/examples/valid-vn-coffee-to-thailand.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function keyFor(role: string, partyId: string): Promise<string> {
  const response = await t.app.request('/v1/admin/api-keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, name: `${role} ${partyId}`, partyId }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

interface Page {
  items: { id: string; referenceNumber: string; createdAt: string }[];
  nextCursor: string | null;
}

async function list(token: string, query: string): Promise<{ status: number; body: Page & { code?: string } }> {
  const response = await t.app.request(`/v1/certificates${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Page & { code?: string } };
}

describe('GET /v1/certificates', () => {
  let moit: string;
  const issued: string[] = [];

  beforeEach(async () => {
    moit = await keyFor('agency', 'VN-MOIT-CO');
    issued.length = 0;
    for (const n of [1, 2, 3]) {
      const referenceNumber = `VN-TH 26/02/01234${n}`;
      const response = await t.app.request('/v1/certificates', {
        method: 'POST',
        headers: { Authorization: `Bearer ${moit}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...FORM_D, referenceNumber }),
      });
      expect(response.status, await response.clone().text()).toBe(202);
      issued.push(referenceNumber);
    }
  });

  it('pages like the other lists: items, and nextCursor until the last page, each certificate once, newest first', async () => {
    const first = await list(moit, '?direction=OUT&limit=2');
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['items', 'nextCursor']);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await list(moit, `?direction=OUT&limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();

    const seen = [...first.body.items, ...second.body.items];
    expect(new Set(seen.map((item) => item.id)).size).toBe(3);
    expect(seen.map((item) => item.referenceNumber).sort()).toEqual([...issued].sort());
    const newestFirst = [...seen].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    expect(seen).toEqual(newestFirst);
    expect((await list(moit, '?direction=OUT')).body).toEqual({ items: seen, nextCursor: null });
  });

  it('refuses a cursor no page handed out with 400 CURSOR_INVALID, and a limit over 200 with 422', async () => {
    const bad = await list(moit, '?direction=OUT&cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('CURSOR_INVALID');
    const tooMany = await list(moit, '?direction=OUT&limit=201');
    expect(tooMany.status).toBe(422);
  });

  it('shows an agency only its own certificates, an officer all', async () => {
    const ppd = await keyFor('agency', 'VN-PPD');
    expect((await list(ppd, '?direction=OUT')).body).toEqual({ items: [], nextCursor: null });
    const officer = await keyFor('officer', 'VN-CUSTOMS-HCM');
    expect((await list(officer, '?direction=OUT')).body.items).toHaveLength(3);
  });
});
