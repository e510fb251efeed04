import { isCoreError } from '../errors.js';
import type { ExchangeChange, ExchangeStore } from './exchange-store.js';
import type { LedgerEntry } from '../ledger/entry.js';

/** How often a decision is rebuilt when another commit moved what it read (guards, expected statuses). */
export const DECISION_ATTEMPTS = 5;

/** A change as committed, and the ledger entries its events became (in event order). */
export interface Committed {
  readonly change: ExchangeChange;
  readonly entries: readonly LedgerEntry[];
}

/**
 * The one way a use case commits: builds a change from fresh reads and commits it; when the commit fails with
 * DOCUMENT_STATE_CONFLICT (another commit moved what was read) builds it again from new reads, up to
 * DECISION_ATTEMPTS times, then lets the conflict through (409). Any other failure, and any thrown by `build`
 * (a decision refused on what it read), is thrown at once.
 * @example const { change, entries } = await commitWithRetry(store, async () => new ChangeBuilder().event(received, links).build())
 */
export async function commitWithRetry(store: ExchangeStore, build: () => Promise<ExchangeChange>): Promise<Committed> {
  for (let attempt = 1; ; attempt += 1) {
    const change = await build();
    try {
      return { change, entries: await store.commit(change) };
    } catch (error) {
      if (!isCoreError(error, 'DOCUMENT_STATE_CONFLICT') || attempt >= DECISION_ATTEMPTS) throw error;
    }
  }
}
