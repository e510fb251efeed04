import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { SqliteExchangeStore } from '../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import type { ExchangeStore } from '../../src/core/exchange/exchange-store.js';
import type { ExchangeObject } from '../../src/runtime/worker/exchange-object.js';
import type { InDatabase } from '../adapters/storage/sql-database.contract.js';

/**
 * Runs `use` inside the EXCHANGE object `id` (its storage answers only there), through a stub of its own: a stub is
 * broken once its object restarts.
 * @example await inExchangeObject(env.EXCHANGE.newUniqueId(), (object) => object.db.prepare('SELECT 1').pluck().get())
 */
export function inExchangeObject<T>(id: DurableObjectId, use: (object: ExchangeObject, state: DurableObjectState) => T | Promise<T>): Promise<T> {
  return runInDurableObject<ExchangeObject, T>(env.EXCHANGE.get(id), use);
}

/** Restarts the EXCHANGE object `id`: its next call constructs it again over the storage it had. */
export async function restartExchangeObject(id: DurableObjectId): Promise<void> {
  await inExchangeObject(id, (_, state) => state.abort('restart')).catch(() => undefined);
}

/**
 * Runs each use on the SQLite storage of one new EXCHANGE object (empty but for what its constructor wrote).
 * @example await inFreshExchangeObject()((db) => db.prepare('SELECT 1').pluck().get())
 */
export function inFreshExchangeObject(): InDatabase {
  const id = env.EXCHANGE.newUniqueId();
  return (use) => inExchangeObject(id, (object) => use(object.db));
}

/**
 * A SqliteExchangeStore over a new EXCHANGE object's storage, each of whose calls runs inside the object: the store is
 * made there on the first call and kept for the object's lifetime, as the object keeps its own.
 */
export function anExchangeStoreInObject(): ExchangeStore {
  const id = env.EXCHANGE.newUniqueId();
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
        inExchangeObject(id, (object) => (storeOf(object)[method] as (...call: unknown[]) => Promise<unknown>)(...args)),
  });
}
