import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadOrCreateCheckpointKey, type CheckpointKey } from '../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { rootAt } from '../../src/core/ledger/ledger.js';
import { DEFAULT_LEDGER_ORIGIN, openCheckpoint } from '../../src/core/ledger/checkpoint.js';
import type { LedgerEvent } from '../../src/core/ledger/entry.js';
import { CheckpointPublisher } from '../../src/runtime/checkpoint-publisher.js';

const event = (i: number): LedgerEvent => ({ type: 'RECEIPT_SENT', subject: `msg-${i}`, at: '2025-06-01T10:00:00Z', data: {} });

describe('CheckpointPublisher', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteLedgerStore;
  let publisher: CheckpointPublisher;
  let key: CheckpointKey;
  let errors: unknown[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-publisher-'));
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteLedgerStore(db);
    key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
    errors = [];
    publisher = new CheckpointPublisher({
      store,
      sha256: nodeSha256,
      signer: key.signer,
      origin: DEFAULT_LEDGER_ORIGIN,
      minIntervalMs: 50,
      maxIntervalMs: 200,
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    // The rewritten ledger of one test makes stop() throw LEDGER_INCONSISTENT, as it should.
    await publisher.stop().catch(() => undefined);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs once entries are committed and notified, not again until the tree grows', async () => {
    publisher.start();
    store.appendSync([event(0), event(1)]);
    publisher.notify();
    await vi.waitFor(async () => expect((await store.latestCheckpoint())?.treeSize).toBe(2));
    expect(await publisher.publishNow()).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('gives a receipt a checkpoint signed at once that includes its entry, and stores it at the next publication', async () => {
    store.appendSync([event(0), event(1)]);
    const checkpoint = await publisher.covering(1);
    expect(checkpoint?.treeSize).toBe(2);
    const opened = openCheckpoint(checkpoint?.note ?? '', key.verifier, DEFAULT_LEDGER_ORIGIN);
    expect(Buffer.from(opened.rootHash).toString('base64')).toBe(Buffer.from(await rootAt(store, nodeSha256, 2)).toString('base64'));
    expect(await store.latestCheckpoint()).toBeUndefined();
    expect((await publisher.publishNow())?.note).toBe(checkpoint?.note);
    expect((await store.latestCheckpoint())?.note).toBe(checkpoint?.note);
    expect(await publisher.covering(0)).toBe(checkpoint);
  });

  it('signs a burst of receipts once per tree size, and stores few checkpoints', async () => {
    const covering = [];
    for (let i = 0; i < 50; i += 1) {
      const [entry] = store.appendSync([event(i)]);
      covering.push(publisher.covering(entry?.index ?? 0));
      if (i % 10 === 9) await Promise.all(covering);
    }
    const checkpoints = await Promise.all(covering);
    expect(checkpoints.every((checkpoint, i) => (checkpoint?.treeSize ?? 0) > i)).toBe(true);
    expect(new Set(checkpoints.map((checkpoint) => checkpoint?.treeSize))).toEqual(new Set([10, 20, 30, 40, 50]));
    await publisher.publishNow();
    expect(db.prepare('SELECT tree_size FROM ledger_checkpoints').pluck().all()).toEqual([50]);
  });

  it('refuses to sign for a receipt once the tree it signed was rewritten under it', async () => {
    store.appendSync([event(0), event(1), event(2)]);
    expect((await publisher.covering(2))?.treeSize).toBe(3);
    db.prepare('UPDATE ledger_nodes SET hash = zeroblob(32) WHERE position = 1').run();
    store.appendSync([event(3)]);
    expect(await publisher.covering(3)).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ code: 'LEDGER_INCONSISTENT' })]);
  });

  it('signs entries appended by another process within maxIntervalMs, without notify', async () => {
    publisher.start();
    new SqliteLedgerStore(db).appendSync([event(0)]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await store.latestCheckpoint())?.treeSize).toBe(1);
  });
});
