import type { DocumentGuard, ExchangeStore } from '../exchange/exchange-store.js';

/**
 * Reads the versions of guard keys, to be checked and moved by the commit that acts on what was read after them.
 * @example const guards = await readGuards(store, ['FORM_D|TH-2026-DFT-0045871'])
 */
export async function readGuards(store: ExchangeStore, keys: readonly string[]): Promise<DocumentGuard[]> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  const versions = await store.guardVersions(unique);
  return unique.map((key) => ({ key, expectedVersion: versions.get(key) ?? 0 }));
}
