import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateCheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { openCheckpoint } from '../../../src/core/ledger/checkpoint.js';
import type { LedgerEvent } from '../../../src/core/ledger/entry.js';
import { proveConsistency, proveInclusion, publishCheckpoint, rootAt } from '../../../src/core/ledger/ledger.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../../src/core/ledger/merkle.js';
import {
  hex,
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceRoot,
  referenceRootFromInclusion,
  referenceRootsFromConsistency,
} from '../../helpers/rfc9162-reference.js';

const event = (i: number): LedgerEvent => ({
  type: 'DOCUMENT_RECEIVED',
  subject: `dec-${i}`,
  at: '2025-06-01T10:00:00.000Z',
  data: { documentType: 'EXPORT_DECLARATION', sequence: i },
});
const events = (from: number, count: number) => Array.from({ length: count }, (_, i) => event(from + i));

describe('SqliteLedgerStore', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteLedgerStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-ledger-'));
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteLedgerStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends entries with their index, canonical bytes and RFC 9162 leaf hash, and reads them back', async () => {
    const appended = await store.append(events(0, 3));
    expect(appended.map((entry) => entry.index)).toEqual([0, 1, 2]);
    const read = await store.entries(0, 3);
    expect(read).toHaveLength(3);
    for (const entry of read) {
      expect(hex(entry.leafHash)).toBe(hex(hashLeaf(nodeSha256, entry.bytes)));
      expect(JSON.parse(Buffer.from(entry.bytes).toString()).index).toBe(entry.index);
    }
    expect(read[1]).toMatchObject({ type: 'DOCUMENT_RECEIVED', subject: 'dec-1', data: { sequence: 1 } });
    expect(await store.size()).toBe(3);
  });

  it('builds proofs for every (index, size) pair up to 64 entries from stored hashes', async () => {
    const entries = await store.append(events(0, 64));
    const leaves = entries.map((entry) => entry.leafHash);
    for (let size = 1; size <= 64; size += 1) {
      const root = referenceRoot(leaves.slice(0, size));
      expect(hex(await rootAt(store, nodeSha256, size))).toBe(hex(root));
      for (let index = 0; index < size; index += 1) {
        const proof = await proveInclusion(store, nodeSha256, index, size);
        expect(proof.map(hex)).toEqual(referenceInclusionProof(index, leaves.slice(0, size)).map(hex));
        expect(hex(referenceRootFromInclusion(index, size, leaves[index] as Uint8Array, proof) ?? new Uint8Array())).toBe(hex(root));
        expect(verifyInclusion(nodeSha256, index, size, leaves[index] as Uint8Array, proof, root)).toBe(true);
      }
      for (let first = 1; first <= size; first += 1) {
        const firstRoot = referenceRoot(leaves.slice(0, first));
        const proof = await proveConsistency(store, nodeSha256, first, size);
        expect(proof.map(hex)).toEqual(referenceConsistencyProof(first, leaves.slice(0, size)).map(hex));
        expect(referenceRootsFromConsistency(first, size, firstRoot, proof)?.map(hex)).toEqual([hex(firstRoot), hex(root)]);
        expect(verifyConsistency(nodeSha256, first, size, firstRoot, root, proof)).toBe(true);
      }
    }
  });

  it('keeps proving consistency across a restart', async () => {
    await store.append(events(0, 21));
    const rootBefore = await rootAt(store, nodeSha256, 21);
    db.close();
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteLedgerStore(db);
    await store.append(events(21, 14));
    const rootAfter = await rootAt(store, nodeSha256, 35);
    const proof = await proveConsistency(store, nodeSha256, 21, 35);
    expect(verifyConsistency(nodeSha256, 21, 35, rootBefore, rootAfter, proof)).toBe(true);
    const all = await store.entries(0, 35);
    expect(hex(rootAfter)).toBe(hex(referenceRoot(all.map((entry) => entry.leafHash))));
  });

  describe('appendSync inside another store’s transaction', () => {
    beforeEach(() => db.exec('CREATE TABLE outbox_probe (message TEXT NOT NULL)'));

    it('commits the entries with the other rows', () => {
      const [entry] = db.transaction(() => {
        db.prepare('INSERT INTO outbox_probe VALUES (?)').run('m-1');
        return store.appendSync([event(0)]);
      })();
      expect(entry?.index).toBe(0);
      expect(store.sizeSync()).toBe(1);
    });

    it('rolls them back with the other rows, and the next append takes the same index', async () => {
      await store.append(events(0, 5));
      expect(() =>
        db.transaction(() => {
          store.appendSync(events(5, 3));
          throw new Error('the declaration insert failed');
        })(),
      ).toThrow('the declaration insert failed');
      expect(store.sizeSync()).toBe(5);
      const [next] = store.appendSync([event(99)]);
      expect(next?.index).toBe(5);
      const leaves = (await store.entries(0, 6)).map((entry) => entry.leafHash);
      expect(hex(await rootAt(store, nodeSha256, 6))).toBe(hex(referenceRoot(leaves)));
    });
  });

  it('follows entries appended by another writer on the same database', async () => {
    const other = new SqliteLedgerStore(db);
    await store.append(events(0, 3));
    await other.append(events(3, 4));
    const [entry] = await store.append([event(7)]);
    expect(entry?.index).toBe(7);
    const leaves = (await store.entries(0, 8)).map((e) => e.leafHash);
    expect(hex(await rootAt(store, nodeSha256, 8))).toBe(hex(referenceRoot(leaves)));
  });

  it('writes nothing when one event of a batch cannot be held', async () => {
    await expect(store.append([event(0), { ...event(1), at: 'yesterday' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(store.sizeSync()).toBe(0);
  });

  it('refuses proofs outside the tree', async () => {
    await store.append(events(0, 4));
    await expect(proveInclusion(store, nodeSha256, 4, 4)).rejects.toMatchObject({ code: 'LEDGER_RANGE_INVALID' });
    await expect(proveInclusion(store, nodeSha256, 0, 5)).rejects.toMatchObject({ code: 'LEDGER_RANGE_INVALID' });
    await expect(proveConsistency(store, nodeSha256, 0, 4)).rejects.toMatchObject({ code: 'LEDGER_RANGE_INVALID' });
    await expect(proveConsistency(store, nodeSha256, 3, 2)).rejects.toMatchObject({ code: 'LEDGER_RANGE_INVALID' });
  });

  describe('checkpoints', () => {
    const origin = 'swx.vn-nsw/ledger';

    it('are signed when the tree grew, stored, and cover the entries they include', async () => {
      const key = loadOrCreateCheckpointKey(dir, origin, nodeSha256);
      const deps = { store, sha256: nodeSha256, signer: key.signer, origin };
      await store.append(events(0, 3));
      const first = await publishCheckpoint(deps);
      expect(await publishCheckpoint(deps)).toBeUndefined();
      await store.append(events(3, 2));
      const second = await publishCheckpoint(deps);
      expect([first?.treeSize, second?.treeSize]).toEqual([3, 5]);
      expect((await store.latestCheckpoint())?.treeSize).toBe(5);
      expect((await store.checkpointCovering(2))?.treeSize).toBe(3);
      expect((await store.checkpointCovering(3))?.treeSize).toBe(5);
      expect(await store.checkpointCovering(5)).toBeUndefined();
      const opened = openCheckpoint((second as { note: string }).note, key.verifier, origin);
      expect(hex(opened.rootHash)).toBe(hex(await rootAt(store, nodeSha256, 5)));
    });

    it('are no longer signed once the stored tree was rewritten under a signed one', async () => {
      const key = loadOrCreateCheckpointKey(dir, origin, nodeSha256);
      const deps = { store, sha256: nodeSha256, signer: key.signer, origin };
      await store.append(events(0, 4));
      await publishCheckpoint(deps);
      db.prepare('UPDATE ledger_nodes SET hash = zeroblob(32) WHERE position = 3').run();
      await store.append(events(4, 1));
      await expect(publishCheckpoint(deps)).rejects.toMatchObject({ code: 'LEDGER_INCONSISTENT' });
    });
  });
});
