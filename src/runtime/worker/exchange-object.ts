import { DurableObject } from 'cloudflare:workers';
import { BUNDLED_MIGRATIONS } from '../../adapters/durable-objects/bundled-migrations.js';
import { DurableObjectSqlDatabase } from '../../adapters/durable-objects/durable-object-sql-database.js';
import { migrate } from '../../adapters/storage/migrate.js';
import type { SqlDatabase } from '../../adapters/storage/sql-database.js';

/**
 * The EXCHANGE Durable Object: the exchange's system of record on Workers. Its SQLite storage holds the schema of
 * storage/migrations/, migrated before the object serves anything, and the SQLite adapters run over it as on Node.
 * @example const exchange = env.EXCHANGE.get(env.EXCHANGE.idFromName('swx'))
 */
export class ExchangeObject extends DurableObject {
  /** The object's SQLite storage through the SQL port. */
  readonly db: SqlDatabase;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    const db = new DurableObjectSqlDatabase(ctx.storage);
    this.db = db;
    // No event reaches the object until its schema is current.
    void ctx.blockConcurrencyWhile(async () => {
      migrate(db, BUNDLED_MIGRATIONS);
    });
  }
}
