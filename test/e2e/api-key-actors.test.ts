import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { call } from '../helpers/api-client.js';
import { captureIo } from '../helpers/capture-io.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

interface KeyView {
  id: string;
  role: string;
  name: string;
  partyId: string;
  createdBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface EntryView {
  index: number;
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/**
 * Who created and who revoked each API key, in GET /v1/admin/api-keys and in the ledger (API_KEY_CREATED,
 * API_KEY_REVOKED), over real HTTP on both runtimes (test/helpers/runtimes.ts), and offline with `swx keys create`.
 */
describe.each(RUNTIMES)('API keys record who created and revoked them, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let ops: { id: string; token: string };

  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_SIMULATORS: 'off' });
    const token = await swx.createKey('admin', 'VN-NSW-OPS', 'Ops Hanoi');
    const listed = await call<{ items: KeyView[] }>(swx, token, 'GET', '/v1/admin/api-keys');
    ops = { id: listed.body.items.find((key) => key.name === 'Ops Hanoi')?.id ?? '', token };
  }, 60_000);
  afterAll(async () => swx?.close());

  const listKeys = async () => (await call<{ items: KeyView[] }>(swx, ops.token, 'GET', '/v1/admin/api-keys')).body.items;
  const ledgerSize = async () => (await swx.query<{ n: number }>('SELECT count(*) AS n FROM ledger_entries'))[0]?.n ?? 0;
  const entriesAbout = async (keyId: string, from: number) => {
    const answer = await call<{ entries: EntryView[] }>(swx, ops.token, 'GET', `/v1/ledger/entries?start=${from}&end=${(await ledgerSize()) - 1}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.entries.filter((entry) => entry.subject === `api-key:${keyId}`);
  };

  it('names the admin key that created and revoked a key, in the list and in two ledger entries, and never the token', async () => {
    const before = await ledgerSize();
    const created = await call<{ id: string; token: string }>(swx, ops.token, 'POST', '/v1/admin/api-keys', {
      role: 'trader',
      name: 'Tay Nguyen Coffee',
      partyId: '0301234567',
    });
    expect(created.status).toBe(201);
    const { id, token } = created.body;
    expect((await call(swx, ops.token, 'DELETE', `/v1/admin/api-keys/${id}`)).status).toBe(204);
    // Revoking again changes nothing: the first revocation, and its one entry, stay.
    expect((await call(swx, swx.adminToken, 'DELETE', `/v1/admin/api-keys/${id}`)).status).toBe(204);

    const by = `admin key ${ops.id} (Ops Hanoi)`;
    expect((await listKeys()).find((key) => key.id === id)).toMatchObject({ createdBy: by, revokedBy: by, revokedAt: expect.any(String) });
    const described = { keyId: id, role: 'trader', partyId: '0301234567', name: 'Tay Nguyen Coffee' };
    const entries = await entriesAbout(id, before);
    expect(entries.map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'API_KEY_CREATED', data: { ...described, by } },
      { type: 'API_KEY_REVOKED', data: { ...described, by } },
    ]);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('shows null for the keys swx installs itself (the bootstrap admin)', async () => {
    expect((await listKeys()).find((key) => key.id === 'bootstrap-admin')).toMatchObject({ createdBy: null, revokedBy: null });
  });

  // Node only: the CLI works offline on the Node service's database file, which a Worker does not have.
  it.runIf(runtime === 'node')('records the OS user as who created a key with swx keys create, offline', async () => {
    const before = await ledgerSize();
    const io = captureIo({ SWX_DATA_DIR: dirname(swx.pkiDir) });
    expect(await main(['keys', 'create', '--role', 'officer', '--name', 'Officer Tran Thi Binh', '--party', 'HQ-0077'], io)).toBe(0);
    const id = /^id: (\S+)$/m.exec(io.out())?.[1] ?? '';
    const by = `cli:${userInfo().username}`;
    expect((await listKeys()).find((key) => key.id === id)).toMatchObject({ createdBy: by, revokedBy: null });
    expect((await entriesAbout(id, before)).map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'API_KEY_CREATED', data: { keyId: id, role: 'officer', partyId: 'HQ-0077', name: 'Officer Tran Thi Binh', by } },
    ]);
  });
});
