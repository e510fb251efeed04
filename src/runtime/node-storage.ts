import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteApiKeyStore } from '../adapters/storage/sqlite-api-key-store.js';
import { openDatabase, type SqliteDatabase } from '../adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../adapters/storage/sqlite-ledger-store.js';
import { SqliteMandateStore } from '../adapters/storage/sqlite-mandate-store.js';
import { SqlitePartnerCircuitLog } from '../adapters/storage/sqlite-partner-circuit-log.js';
import { SqliteWalSync } from '../adapters/storage/sqlite-wal-sync.js';
import type { ApiKeyStore } from '../core/auth/api-key.js';
import type { Clock, Sha256 } from '../core/primitives.js';

/** The SQLite storage of a data dir: one connection to `<dataDir>/swx.db` and the stores over it. */
export interface NodeStorage {
  readonly db: SqliteDatabase;
  readonly ledger: SqliteLedgerStore;
  readonly store: SqliteExchangeStore;
  readonly apiKeys: ApiKeyStore;
  readonly mandates: SqliteMandateStore;
  readonly circuits: SqlitePartnerCircuitLog;
  /** Resolves once every commit made so far is on disk (group commits are synced off the request thread). */
  whenDurable(): Promise<void>;
  close(): void;
}

/**
 * Opens (creating and migrating when missing) `<dataDir>/swx.db` and the stores over it, for the service and for the
 * CLI's offline commands. Safe beside a running service: SQLite serialises writers and the ledger re-reads its frontier
 * before appending. `onCommit` is told of every committed exchange change (the checkpoint publisher's notify).
 * @example const storage = openStorage(dataDir, nodePorts()); try { ... } finally { storage.close() }
 */
export function openStorage(dataDir: string, ports: { readonly clock: Clock; readonly sha256: Sha256 }, onCommit?: () => void): NodeStorage {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dataDir, 'swx.db'));
  const ledger = new SqliteLedgerStore(db, ports);
  const wal = new SqliteWalSync(db);
  const store = new SqliteExchangeStore(db, ledger, onCommit, wal);
  return {
    db,
    ledger,
    store,
    apiKeys: new SqliteApiKeyStore(db, store),
    mandates: new SqliteMandateStore(db, store),
    circuits: new SqlitePartnerCircuitLog(db),
    whenDurable: () => wal.whenDurable(),
    close: () => {
      wal.close();
      db.close();
    },
  };
}
