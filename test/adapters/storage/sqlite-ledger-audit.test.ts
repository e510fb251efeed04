import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateCheckpointKey, type CheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { openDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { auditSqliteLedger } from '../../../src/adapters/storage/sqlite-ledger-audit.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../../src/core/ledger/checkpoint.js';
import { encodeEntry, type LedgerEvent } from '../../../src/core/ledger/entry.js';
import { publishCheckpoint, rootAt } from '../../../src/core/ledger/ledger.js';
import { hex } from '../../helpers/rfc9162-reference.js';

const SIZE = 1000;
const event = (i: number, note = 'ok'): LedgerEvent => ({ type: 'STATUS_CHANGED', subject: `dec-${i}`, at: '2025-06-01T10:00:00Z', data: { note } });

describe('auditSqliteLedger split across threads', () => {
  let dir: string;
  let key: CheckpointKey;
  let root: Uint8Array;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swx-audit-'));
    const db = openDatabase(join(dir, 'clean.db'));
    const store = new SqliteLedgerStore(db);
    key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
    for (let from = 0; from < SIZE; from += 137) {
      await store.append(Array.from({ length: Math.min(137, SIZE - from) }, (_, i) => event(from + i)));
      await publishCheckpoint({ store, sha256: nodeSha256, signer: key.signer, origin: DEFAULT_LEDGER_ORIGIN });
    }
    root = await rootAt(store, nodeSha256, SIZE);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the clean ledger, edited directly. */
  function tampered(name: string, edit: (db: Database.Database) => void): string {
    const file = join(dir, `${name}.db`);
    copyFileSync(join(dir, 'clean.db'), file);
    const db = new Database(file);
    edit(db);
    db.close();
    return file;
  }

  it.each([1, 2, 3, 7])('finds nothing in an untouched ledger with %i thread(s), and its root', async (threads) => {
    const progress: number[] = [];
    const report = await auditSqliteLedger(join(dir, 'clean.db'), {
      publicKey: key.publicKey,
      threads,
      onProgress: (checked, total) => {
        expect(total).toBe(SIZE);
        progress.push(checked);
      },
    });
    expect(report.failure).toBeUndefined();
    expect(report.treeSize).toBe(SIZE);
    expect(hex(report.rootHash)).toBe(hex(root));
    expect(report.checkpointsMatched).toBe(report.checkpointsStored);
    expect(Math.max(...progress)).toBe(SIZE);
  });

  describe.each([
    [
      'an entry edited in the second half',
      'edit-late',
      (db: Database.Database) =>
        db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 777').run(encodeEntry(777, event(777, 'forged'))),
      777,
    ],
    [
      'the entry at the split edited',
      'edit-split',
      (db: Database.Database) =>
        db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 500').run(encodeEntry(500, event(500, 'forged'))),
      500,
    ],
    [
      'an entry edited with its leaf hash in the first half',
      'edit-leaf',
      (db: Database.Database) => {
        const bytes = encodeEntry(300, event(300, 'forged'));
        db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 300').run(bytes);
        db.prepare('UPDATE ledger_nodes SET hash = ? WHERE position = 600').run(nodeSha256(Buffer.concat([Buffer.of(0), bytes])));
      },
      300,
    ],
    [
      'a frontier hash of the split edited',
      'seed',
      (db: Database.Database) => db.prepare('UPDATE ledger_nodes SET hash = zeroblob(32) WHERE position = 255').run(),
      0,
    ],
    ['the last entry deleted', 'delete-last', (db: Database.Database) => db.prepare('DELETE FROM ledger_entries WHERE entry_index = 999').run(), 999],
    [
      'a stored subtree hash cut to 31 bytes',
      'short-hash',
      (db: Database.Database) => db.prepare('UPDATE ledger_nodes SET hash = substr(hash, 1, 31) WHERE position = 1201').run(),
      600,
    ],
  ])('with %s', (_, name, edit, index) => {
    it('names the same entry whatever the number of threads', async () => {
      const file = tampered(name, edit);
      const failures = [];
      for (const threads of [1, 2, 3]) failures.push((await auditSqliteLedger(file, { publicKey: key.publicKey, threads })).failure);
      expect(failures[0]?.index).toBe(index);
      expect(failures[1]).toEqual(failures[0]);
      expect(failures[2]).toEqual(failures[0]);
    });
  });
});

describe('auditSqliteLedger reads stored bytes exactly', () => {
  it('hashes bytes holding NUL and invalid UTF-8 as stored: an edit with a matching leaf hash fails at the subtree, not at the leaf', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swx-audit-bytes-'));
    try {
      const file = join(dir, 'swx.db');
      const db = openDatabase(file);
      const store = new SqliteLedgerStore(db);
      const key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
      await store.append(Array.from({ length: 40 }, (_, i) => event(i)));
      const genuine = encodeEntry(21, event(21, 'forged'));
      const at = Buffer.from(genuine).indexOf('forged');
      const bytes = Buffer.from(genuine);
      bytes.set([0x00, 0xff, 0xc3, 0x28, 0x00], at);
      db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 21').run(bytes);
      db.prepare('UPDATE ledger_nodes SET hash = ? WHERE position = 42').run(nodeSha256(Buffer.concat([Buffer.of(0), bytes])));
      db.close();
      const { failure } = await auditSqliteLedger(file, { publicKey: key.publicKey, threads: 1 });
      expect(failure?.index).toBe(20);
      expect(failure?.reason).toMatch(/no longer hash to their stored subtree hash/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
