import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CoreError } from '../../core/errors.js';

/** The migrations shared by every SQLite driver (better-sqlite3 here, D1 through wrangler). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export type SqliteDatabase = Database.Database;

/**
 * Opens (or creates) the swx database file and brings its schema up to date.
 * WAL lets readers run beside the single writer; synchronous=FULL makes every committed
 * ledger entry survive a power cut, which the exchange's non-repudiation depends on.
 * @example const db = openDatabase('./data/swx.db')
 */
export function openDatabase(path: string): SqliteDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * Applies, in name order, every migration file not yet recorded in schema_migrations. Files are recorded by name, so
 * a gap in the numbers is harmless: there is no 0006 because that number was taken by work that never landed, and a
 * number once used is not given to another migration.
 */
export function migrate(db: SqliteDatabase, dir: string = MIGRATIONS_DIR): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const pending = readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file) && !applied.has(file))
    .sort();
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const file of pending) {
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    try {
      db.transaction(() => {
        db.exec(sql);
        record.run(file, new Date().toISOString());
      })();
    } catch (cause) {
      throw new CoreError('CONFIG_INVALID', `database migration ${file} failed: ${(cause as Error).message}`, { cause });
    }
  }
  return pending;
}
