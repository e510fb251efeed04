import { isCoreError } from '../errors.js';
import type { ExchangeChange, ExchangeStore } from '../ports.js';
import type { LedgerEntry } from '../ledger/entry.js';

/** How often a decision is rebuilt when another commit moved what it read (guards, expected statuses). */
export const DECISION_ATTEMPTS = 5;

/**
 * Builds a change from fresh reads and commits it; on DOCUMENT_STATE_CONFLICT (another commit moved what was read)
 * builds it again from new reads, up to DECISION_ATTEMPTS times, then lets the conflict through (409).
 * @example const entries = await commitWithRetry(store, async () => mergeChanges(mine, await reassessAfterCertificate(deps, accepted, { stored: true })))
 */
export async function commitWithRetry(store: ExchangeStore, build: () => Promise<ExchangeChange>): Promise<readonly LedgerEntry[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await store.commit(await build());
    } catch (error) {
      if (!isCoreError(error, 'DOCUMENT_STATE_CONFLICT') || attempt >= DECISION_ATTEMPTS) throw error;
    }
  }
}
