import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { describeSqlDatabaseContract } from './sql-database.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'swx-sql-database-'));
const databases: SqliteDatabase[] = [];
afterAll(() => {
  for (const db of databases) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describeSqlDatabaseContract('better-sqlite3 (openDatabase)', () => {
  const db = openDatabase(join(dir, `swx-${databases.length}.db`));
  databases.push(db);
  return async (use) => use(db);
});
