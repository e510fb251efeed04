import { CoreError } from '../../core/errors.js';
import type { SqlDatabase } from './sql-database.js';

/** One schema migration: a file of migrations/ by its name (`0001_ledger.sql`) and its SQL. */
export interface SqlMigration {
  readonly name: string;
  readonly sql: string;
}

/**
 * Applies, in name order, every migration not yet recorded in schema_migrations, each in a transaction of its own with
 * its record, and returns the names applied. Migrations are recorded by name, so a gap in the numbers is harmless:
 * there is no 0006 because that number was taken by work that never landed, and a number once used is not given to
 * another migration. Node reads them from migrations/ (sqlite-database.ts), a Worker bundles the same files as text.
 * @example migrate(db, [{ name: '0001_ledger.sql', sql: 'CREATE TABLE ...' }]) // ['0001_ledger.sql'], then []
 */
export function migrate(db: SqlDatabase, migrations: readonly SqlMigration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const pending = migrations.filter((migration) => !applied.has(migration.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const { name, sql } of pending) {
    try {
      db.transaction(() => {
        db.exec(sql);
        record.run(name, new Date().toISOString());
      })();
    } catch (cause) {
      throw new CoreError('CONFIG_INVALID', `database migration ${name} failed: ${(cause as Error).message}`, { cause });
    }
  }
  return pending.map((migration) => migration.name);
}
