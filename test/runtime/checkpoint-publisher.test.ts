import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateCheckpointKey } from '../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../src/core/ledger/checkpoint.js';
import type { LedgerEvent } from '../../src/core/ledger/entry.js';
import { CheckpointPublisher } from '../../src/runtime/checkpoint-publisher.js';

const event = (i: number): LedgerEvent => ({ type: 'RECEIPT_SENT', subject: `msg-${i}`, at: '2025-06-01T10:00:00Z', data: {} });

describe('CheckpointPublisher', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteLedgerStore;
  let publisher: CheckpointPublisher;
  const errors: unknown[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-publisher-'));
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteLedgerStore(db);
    const key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
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
    await publisher.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs once entries are committed and notified, not again until the tree grows', async () => {
    publisher.start();
    store.appendSync([event(0), event(1)]);
    publisher.notify();
    const checkpoint = await publisher.checkpointCovering(1);
    expect(checkpoint.treeSize).toBe(2);
    expect(await publisher.publishNow()).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('coalesces a burst of commits into few checkpoints', async () => {
    publisher.start();
    const waits = [];
    for (let i = 0; i < 50; i += 1) {
      const [entry] = store.appendSync([event(i)]);
      publisher.notify();
      waits.push(publisher.checkpointCovering(entry?.index ?? 0));
    }
    const covering = await Promise.all(waits);
    expect(covering.every((checkpoint, i) => checkpoint.treeSize > i)).toBe(true);
    const stored = db.prepare('SELECT count(*) FROM ledger_checkpoints').pluck().get() as number;
    expect(stored).toBeLessThanOrEqual(3);
  });

  it('signs entries appended by another process within maxIntervalMs, without notify', async () => {
    publisher.start();
    new SqliteLedgerStore(db).appendSync([event(0)]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await store.latestCheckpoint())?.treeSize).toBe(1);
  });
});
