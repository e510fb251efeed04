import type { ExchangeChange } from '../../core/exchange/exchange-store.js';
import type { LedgerEntry } from '../../core/ledger/entry.js';
import type { SqlDatabase } from '../storage/sql-database.js';
import { SqliteExchangeStore } from '../storage/sqlite-exchange-store.js';
import type { SqliteLedgerStore } from '../storage/sqlite-ledger-store.js';
import type { D1ReadModelProjection } from './d1-read-model-projection.js';

/**
 * The SQLite exchange store of the EXCHANGE Durable Object, whose every commit first queues the rows it touches for the
 * read model's projection into D1 (D1ReadModelProjection.track).
 * @example const store: ExchangeStore = new ProjectedSqliteExchangeStore(db, ledger, projection, () => wake())
 */
export class ProjectedSqliteExchangeStore extends SqliteExchangeStore {
  readonly #projection: D1ReadModelProjection;

  constructor(db: SqlDatabase, ledger: SqliteLedgerStore, projection: D1ReadModelProjection, onCommit?: () => void) {
    super(db, ledger, onCommit);
    this.#projection = projection;
  }

  override commit(change: ExchangeChange): Promise<readonly LedgerEntry[]> {
    return this.#projection.track(change, () => super.commit(change));
  }

  override commitSync(change: ExchangeChange): readonly LedgerEntry[] {
    return this.#projection.trackSync(change, () => super.commitSync(change));
  }
}
