import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSha256 } from '../adapters/crypto/node-sha256.js';
import { openDatabase } from '../adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../adapters/storage/sqlite-ledger-store.js';
import { SqlitePartnerCircuitLog } from '../adapters/storage/sqlite-partner-circuit-log.js';
import type { ExchangeStore, PartnerCircuitLog } from '../core/ports.js';

/**
 * Opens the exchange store of `<dataDir>/swx.db` for an offline command, with the circuits the delivering process
 * recorded there, or undefined when there is no database yet.
 * Safe beside a running service: SQLite serialises writers and the ledger re-reads its frontier before appending.
 * @example const opened = openExchangeStore(dataDir); try { ... } finally { opened?.close() }
 */
export function openExchangeStore(
  dataDir: string,
): { readonly store: ExchangeStore; readonly circuits: PartnerCircuitLog; close(): void } | undefined {
  const path = join(dataDir, 'swx.db');
  if (!existsSync(path)) return undefined;
  const db = openDatabase(path);
  const store = new SqliteExchangeStore(db, new SqliteLedgerStore(db, { sha256: nodeSha256 }));
  return { store, circuits: new SqlitePartnerCircuitLog(db), close: () => db.close() };
}
