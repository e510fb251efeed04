import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { SqliteMandateStore } from '../../../src/adapters/storage/sqlite-mandate-store.js';
import { grantMandate, revokeMandate } from '../../../src/core/mandate/grant-mandate.js';

let dir: string;
let db: SqliteDatabase;
let store: SqliteMandateStore;
const clock = { now: () => new Date('2026-03-01T08:00:00Z') };
const entries = () => db.prepare('SELECT entry_index FROM ledger_entries').all().length;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swx-mandates-'));
  db = openDatabase(join(dir, 'swx.db'));
  store = new SqliteMandateStore(db, new SqliteExchangeStore(db, new SqliteLedgerStore(db, { sha256: nodeSha256, clock })));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteMandateStore', () => {
  it('writes a grant and its ledger entry together, and reads it back as granted', async () => {
    const granted = await grantMandate(
      { mandates: store, ids: { uuid: () => 'm-1' }, clock },
      { agentPartyId: 'B', principalPartyId: 'P', documentTypes: ['EXPORT_DECLARATION'] },
      'test',
    );
    expect(granted).toMatchObject({ id: 'm-1', validFrom: '2026-03-01T08:00:00.000Z', validTo: undefined, ledgerIndex: 0 });
    expect(await store.get('m-1')).toEqual(granted);
    expect(await store.listBetween('B', 'P')).toEqual([granted]);
    expect(await store.listBetween('P', 'B')).toEqual([]);
  });

  describe('when the row cannot be written', () => {
    it('appends no ledger entry either', async () => {
      const ports = { mandates: store, ids: { uuid: () => 'same-id' }, clock };
      await grantMandate(ports, { agentPartyId: 'B', principalPartyId: 'P' }, 'test');
      await expect(grantMandate(ports, { agentPartyId: 'B', principalPartyId: 'Q' }, 'test')).rejects.toThrow(/UNIQUE/);
      expect(entries()).toBe(1);
      expect(await store.list()).toHaveLength(1);
    });
  });

  it('revokes once: a second revocation adds no ledger entry and keeps the first time', async () => {
    const ports = { mandates: store, ids: { uuid: () => 'm-2' }, clock };
    await grantMandate(ports, { agentPartyId: 'B', principalPartyId: 'P' }, 'test');
    const revoked = await revokeMandate(ports, 'm-2', 'admin');
    expect(revoked).toMatchObject({ revokedAt: '2026-03-01T08:00:00.000Z', revokedBy: 'admin', revokedLedgerIndex: 1 });
    expect(await revokeMandate({ ...ports, clock: { now: () => new Date('2027-01-01T00:00:00Z') } }, 'm-2', 'someone else')).toEqual(revoked);
    expect(entries()).toBe(2);
    await expect(revokeMandate(ports, 'nope', 'admin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
