import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteWalSync } from '../../../src/adapters/storage/sqlite-wal-sync.js';

const FULL = 2;
const NORMAL = 1;

describe('SqliteWalSync', () => {
  let dir: string;
  let db: SqliteDatabase;
  let wal: SqliteWalSync;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-wal-sync-'));
    db = openDatabase(join(dir, 'swx.db'));
    wal = new SqliteWalSync(db);
  });
  afterEach(() => {
    wal.close();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relaxes SQLite’s own sync for the one transaction only, even when it throws', () => {
    const inside = wal.relaxed(() => db.pragma('synchronous', { simple: true }));
    expect(inside).toBe(NORMAL);
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(() =>
      wal.relaxed(() => {
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
  });

  it('answers callers of whenDurable after the commits they follow, many callers at once, commits in between', async () => {
    db.exec('CREATE TABLE t (n INTEGER)');
    const insert = db.transaction((n: number) => db.prepare('INSERT INTO t (n) VALUES (?)').run(n)).immediate;
    const settled: number[] = [];
    const waits: Promise<void>[] = [];
    for (let n = 0; n < 50; n += 1) {
      wal.relaxed(() => insert(n));
      waits.push(wal.whenDurable().then(() => void settled.push(n)));
    }
    await Promise.all(waits);
    expect(settled).toEqual(Array.from({ length: 50 }, (_, n) => n));
    await expect(wal.whenDurable()).resolves.toBeUndefined();
    const reader = new Database(join(dir, 'swx.db'), { readonly: true });
    expect(reader.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(50);
    reader.close();
  });
});
