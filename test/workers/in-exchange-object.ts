import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { SqliteExchangeStore } from '../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import type { ExchangeStore } from '../../src/core/exchange/exchange-store.js';
import type { ExchangeObject } from '../../src/runtime/worker/exchange-object.js';
import type { InDatabase } from '../adapters/storage/sql-database.contract.js';

/** A new EXCHANGE object (its storage empty but for the migrations its constructor applied). */
export function aFreshExchangeObject(): DurableObjectStub<ExchangeObject> {
  return env.EXCHANGE.get(env.EXCHANGE.newUniqueId());
}

/**
 * Runs each use inside a fresh EXCHANGE object, on its SQLite storage: the storage answers only there.
 * @example await inFreshExchangeObject()((db) => db.prepare('SELECT 1').pluck().get())
 */
export function inFreshExchangeObject(): InDatabase {
  const stub = aFreshExchangeObject();
  return (use) => runInDurableObject(stub, (object) => use(object.db));
}

/**
 * A SqliteExchangeStore over a fresh EXCHANGE object's storage, each of whose calls runs inside the object: the
 * store is made there on the first call and kept for the object's lifetime, as the object would keep it.
 */
export function anExchangeStoreInObject(): ExchangeStore {
  const stub = aFreshExchangeObject();
  const stores = new WeakMap<ExchangeObject, SqliteExchangeStore>();
  const storeOf = (object: ExchangeObject): SqliteExchangeStore => {
    const kept = stores.get(object) ?? new SqliteExchangeStore(object.db, new SqliteLedgerStore(object.db));
    stores.set(object, kept);
    return kept;
  };
  return new Proxy({} as ExchangeStore, {
    get:
      (_, method: keyof ExchangeStore) =>
      (...args: unknown[]) =>
        runInDurableObject(stub, (object) => (storeOf(object)[method] as (...call: unknown[]) => Promise<unknown>)(...args)),
  });
}
