import type { DocumentGuard, ExchangeStore } from '../ports.js';

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

/**
 * Guards of several reads, one per key: the version read first is kept, so a move between the reads fails the commit.
 * @example unionGuards(certificateGuards, declarationGuards)
 */
export function unionGuards(...lists: readonly (readonly DocumentGuard[])[]): DocumentGuard[] {
  const byKey = new Map<string, DocumentGuard>();
  for (const guard of lists.flat()) if (!byKey.has(guard.key)) byKey.set(guard.key, guard);
  return [...byKey.values()];
}
