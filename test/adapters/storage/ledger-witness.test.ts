import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateCheckpointKey, type CheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { DEFAULT_LEDGER_ORIGIN, type SignedCheckpoint } from '../../../src/core/ledger/checkpoint.js';
import type { LedgerEvent } from '../../../src/core/ledger/entry.js';
import { proveConsistency, publishCheckpoint } from '../../../src/core/ledger/ledger.js';
import { consistencyToCheck, witnessCheckpoint, witnessReceiptCheckpoint } from '../../../src/core/ledger/witness.js';

const event = (i: number, note = 'ok'): LedgerEvent => ({
  type: 'RECEIPT_VERIFIED',
  subject: `msg-${i}`,
  at: '2025-06-01T10:00:00Z',
  data: { note },
});

describe('witnessCheckpoint, as a partner gateway keeps watch over swx’s ledger', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteLedgerStore;
  let key: CheckpointKey;
  const publish = async () =>
    (await publishCheckpoint({ store, sha256: nodeSha256, signer: key.signer, origin: DEFAULT_LEDGER_ORIGIN })) as SignedCheckpoint;
  const witness = (previous: SignedCheckpoint | undefined, next: SignedCheckpoint, proof: Uint8Array[]) =>
    witnessCheckpoint({ sha256: nodeSha256, verifier: key.verifier, origin: DEFAULT_LEDGER_ORIGIN, previous, note: next.note, proof });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-witness-'));
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteLedgerStore(db);
    key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts each checkpoint that extends the last one seen', async () => {
    await store.append([event(0), event(1), event(2)]);
    let seen = witness(undefined, await publish(), []);
    await store.append([event(3), event(4)]);
    const next = await publish();
    seen = witness(seen, next, await proveConsistency(store, nodeSha256, seen.treeSize, next.treeSize));
    expect(seen.treeSize).toBe(5);
  });

  it('notices a history rewritten after it saw a checkpoint, even one re-signed by the log', async () => {
    await store.append(Array.from({ length: 6 }, (_, i) => event(i)));
    const seen = witness(undefined, await publish(), []);
    // The operator rebuilds the ledger with entry 2 changed and signs the forged tree with the same key.
    db.close();
    for (const file of ['swx.db', 'swx.db-wal', 'swx.db-shm']) rmSync(join(dir, file), { force: true });
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteLedgerStore(db);
    await store.append(Array.from({ length: 8 }, (_, i) => event(i, i === 2 ? 'forged' : 'ok')));
    const forged = await publish();
    const proof = await proveConsistency(store, nodeSha256, seen.treeSize, forged.treeSize);
    expect(() => witness(seen, forged, proof)).toThrow(expect.objectContaining({ code: 'LEDGER_INCONSISTENT' }));
  });

  it('notices a rollback', async () => {
    await store.append(Array.from({ length: 6 }, (_, i) => event(i)));
    const early = await publish();
    await store.append([event(6)]);
    const seen = witness(undefined, await publish(), []);
    expect(() => witness(seen, early, [])).toThrow(expect.objectContaining({ code: 'LEDGER_INCONSISTENT' }));
  });

  it('refuses a checkpoint the log’s key did not sign', async () => {
    await store.append([event(0)]);
    const genuine = await publish();
    const forged = { ...genuine, note: genuine.note.replace('\n1\n', '\n2\n') };
    expect(() => witness(undefined, forged, [])).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  describe('witnessReceiptCheckpoint, for the checkpoints receipts carry, in any order', () => {
    const check = async (kept: SignedCheckpoint | undefined, seen: SignedCheckpoint) => {
      const range = consistencyToCheck(kept, seen);
      const proof = range ? await proveConsistency(store, nodeSha256, range.first, range.second) : [];
      return witnessReceiptCheckpoint({ sha256: nodeSha256, kept, seen, proof });
    };

    it('keeps the newer of two consistent checkpoints, whichever arrives first', async () => {
      await store.append(Array.from({ length: 5 }, (_, i) => event(i)));
      const older = await publish();
      await store.append([event(5), event(6)]);
      const newer = await publish();
      expect(consistencyToCheck(newer, older)).toEqual({ first: 5, second: 7 });
      expect((await check(newer, older)).treeSize).toBe(7);
      expect((await check(older, newer)).treeSize).toBe(7);
      expect(await check(newer, newer)).toBe(newer);
    });

    it('notices a rewritten history, whichever checkpoint arrives first', async () => {
      await store.append(Array.from({ length: 6 }, (_, i) => event(i)));
      const genuine = await publish();
      db.close();
      for (const file of ['swx.db', 'swx.db-wal', 'swx.db-shm']) rmSync(join(dir, file), { force: true });
      db = openDatabase(join(dir, 'swx.db'));
      store = new SqliteLedgerStore(db);
      await store.append(Array.from({ length: 9 }, (_, i) => event(i, i === 4 ? 'forged' : 'ok')));
      const forged = await publish();
      await expect(check(genuine, forged)).rejects.toMatchObject({ code: 'LEDGER_INCONSISTENT' });
      await expect(check(forged, genuine)).rejects.toMatchObject({ code: 'LEDGER_INCONSISTENT' });
    });
  });
});
