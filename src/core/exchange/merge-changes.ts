import { CoreError } from '../errors.js';
import type { ExchangeChange } from '../ports.js';

/**
 * One change holding both. Lists are joined, `first`'s entries before `second`'s; an entry of `second` that
 * points at one of its events by `ledgerEvent` moves with the events. Any other field may come from one side only.
 * @example await store.commit(mergeChanges({ events: [received], insertMessages: [message] }, routing.change))
 */
export function mergeChanges(first: ExchangeChange, second: ExchangeChange | undefined): ExchangeChange {
  if (second === undefined) return first;
  const offset = first.events.length;
  const merged: Record<string, unknown> = { ...first };
  for (const [field, value] of Object.entries(second)) {
    if (value === undefined) continue;
    const mine = merged[field];
    if (Array.isArray(value)) {
      const moved = value.map((item: unknown) => (hasLedgerEvent(item) ? { ...item, ledgerEvent: item.ledgerEvent + offset } : item));
      merged[field] = [...(Array.isArray(mine) ? (mine as unknown[]) : []), ...moved];
    } else if (mine === undefined) {
      merged[field] = value;
    } else {
      throw new CoreError('INTERNAL', `two changes that both set ${field} cannot be merged`);
    }
  }
  return merged as unknown as ExchangeChange;
}

function hasLedgerEvent(item: unknown): item is { readonly ledgerEvent: number } {
  return typeof item === 'object' && item !== null && typeof (item as { ledgerEvent?: unknown }).ledgerEvent === 'number';
}
