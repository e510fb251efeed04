import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ExchangeStore } from '../core/exchange/exchange-store.js';
import type { PartnerCircuitLog } from '../core/delivery/partner-circuit-log.js';
import { nodePorts } from '../runtime/compose.js';
import { openStorage } from '../runtime/node-storage.js';

/**
 * Opens the exchange store of `<dataDir>/swx.db` for an offline command, with the circuits the delivering process
 * recorded there, or undefined when there is no database yet. Wired as the service wires it (runtime/compose.ts).
 * Safe beside a running service: SQLite serialises writers and the ledger re-reads its frontier before appending.
 * @example const opened = openExchangeStore(dataDir); try { ... } finally { opened?.close() }
 */
export function openExchangeStore(
  dataDir: string,
): { readonly store: ExchangeStore; readonly circuits: PartnerCircuitLog; close(): void } | undefined {
  if (!existsSync(join(dataDir, 'swx.db'))) return undefined;
  return openStorage(dataDir, nodePorts());
}
