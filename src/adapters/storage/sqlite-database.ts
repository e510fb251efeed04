import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate, type SqlMigration } from './migrate.js';

/** The migrations shared by every SQLite driver (better-sqlite3 here; the Exchange Durable Object and D1 on Workers). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** A better-sqlite3 connection: a SqlDatabase (sql-database.ts), and what only Node has (close, pragma, backup). */
export type SqliteDatabase = Database.Database;

/**
 * Opens (or creates) the swx database file and brings its schema up to date.
 * WAL lets readers run beside the single writer; synchronous=FULL makes every committed
 * ledger entry survive a power cut, which the exchange's non-repudiation depends on. temp_store=MEMORY keeps the
 * savepoints' sub-journal in memory: a group commit (sqlite-group-commit.ts) puts each of up to 128 changes in a
 * savepoint, and past 64 KB SQLite otherwise spills the pages it saves for a rollback to a temporary file, with a
 * `pwrite` per page on the request thread. The sub-journal only serves a rollback to a savepoint inside a
 * transaction, so nothing durable depends on where it is kept.
 * @example const db = openDatabase('./data/swx.db')
 */
export function openDatabase(path: string): SqliteDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  migrate(db, readMigrations());
  return db;
}

/**
 * The migration files of `dir` (`NNNN_name.sql`), in name order.
 * @example migrate(db, readMigrations())
 */
export function readMigrations(dir: string = MIGRATIONS_DIR): SqlMigration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((name) => ({ name, sql: readFileSync(`${dir}/${name}`, 'utf8') }));
}
