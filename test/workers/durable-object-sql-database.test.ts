import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BUNDLED_MIGRATIONS } from '../../src/adapters/durable-objects/bundled-migrations.js';
import { describeSqlDatabaseContract } from '../adapters/storage/sql-database.contract.js';
import { inExchangeObject, inFreshExchangeObject, restartExchangeObject } from './in-exchange-object.js';

describeSqlDatabaseContract('DurableObjectSqlDatabase', inFreshExchangeObject);

describe('DurableObjectSqlDatabase', () => {
  it('reads changes and lastInsertRowid only while their statement is the last one run', async () => {
    const message = await inFreshExchangeObject()((db) => {
      db.exec('CREATE TABLE t (x)');
      const result = db.prepare('INSERT INTO t (x) VALUES (?)').run(1);
      db.prepare('INSERT INTO t (x) VALUES (?)').run(2);
      try {
        return String(result.lastInsertRowid);
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(message).toBe('last_insert_rowid() of a statement is read only before the next statement runs');
  });

  it('refuses BEGIN in SQL: transactions go through transaction()', async () => {
    const refusal = await inFreshExchangeObject()((db) => {
      try {
        db.exec('BEGIN');
        return 'began';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(refusal).toMatch(/transactionSync/);
  });
});

describe('the EXCHANGE object’s schema', () => {
  it('is the migration files on disk, bundled into the Worker as their exact text', () => {
    expect(BUNDLED_MIGRATIONS).toEqual(env.MIGRATION_FILES);
  });

  it('is migrated by the constructor, once: a restarted object applies nothing again', async () => {
    const id = env.EXCHANGE.newUniqueId();
    const applied = () => inExchangeObject(id, (object) => object.db.prepare('SELECT name, applied_at FROM schema_migrations ORDER BY name').all());
    const first = await inExchangeObject(id, (object) => object);
    const before = await applied();
    await restartExchangeObject(id);
    expect(await applied()).toEqual(before);
    expect(await inExchangeObject(id, (object) => object === first)).toBe(false);
    expect(before.map((row) => (row as { name: string }).name)).toEqual(env.MIGRATION_FILES.map((migration) => migration.name));
  });
});
