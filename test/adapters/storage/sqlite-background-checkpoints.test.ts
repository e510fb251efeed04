import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from '../../../src/adapters/storage/sqlite-background-checkpoints.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';

describe('startBackgroundCheckpoints', () => {
  let dir: string;
  let db: SqliteDatabase;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-checkpoints-'));
    db = openDatabase(join(dir, 'swx.db'));
    db.exec('CREATE TABLE filler (text TEXT)');
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Commits about `pages` pages of rows, one small transaction at a time, as the request thread does. */
  const write = (pages: number) => {
    const insert = db.prepare('INSERT INTO filler (text) VALUES (?)');
    for (let page = 0; page < pages; page += 1) insert.run('x'.repeat(4000));
  };
  const databaseFileBytes = () => statSync(join(dir, 'swx.db')).size;

  it('copies the WAL into the database file on a worker thread, while the writer no longer checkpoints at 1,000 pages', async () => {
    const checkpoints = startBackgroundCheckpoints(db, { intervalMs: 20 });
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
      const before = databaseFileBytes();
      write(1_500);
      // The writer alone would have left these pages in the WAL (its own checkpoint waits for 16,384); the worker copies them.
      await expect.poll(databaseFileBytes, { timeout: 5_000, interval: 20 }).toBeGreaterThan(before + 1_400 * 4096);
    } finally {
      await checkpoints.stop();
    }
    expect(db.prepare('SELECT COUNT(*) FROM filler').pluck().get()).toBe(1_500);
  });

  it('stops its worker before the database closes, leaving every committed row readable after a reopen', async () => {
    const checkpoints = startBackgroundCheckpoints(db, { intervalMs: 5 });
    write(300);
    await checkpoints.stop();
    db.close();
    db = openDatabase(join(dir, 'swx.db'));
    expect(db.prepare('SELECT COUNT(*) FROM filler').pluck().get()).toBe(300);
  });
});
