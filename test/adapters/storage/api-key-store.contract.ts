import { describe, expect, it } from 'vitest';
import type { ApiKey, ApiKeyStore } from '../../../src/core/auth/api-key.js';
import type { LedgerStore } from '../../../src/core/ledger/ledger-store.js';

const aKey = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  id: 'k1',
  role: 'trader',
  name: 'ACME Export',
  partyId: '0101234567',
  tokenHash: 'a'.repeat(64),
  createdAt: '2026-11-22T08:00:00.000Z',
  createdBy: undefined,
  revokedAt: undefined,
  revokedBy: undefined,
  ...overrides,
});

/** A fresh store, and the ledger it records key creations and revocations in. */
export interface ApiKeyStoreUnderTest {
  readonly apiKeys: ApiKeyStore;
  readonly ledger: Pick<LedgerStore, 'size' | 'entries'>;
}

/**
 * The behaviour every ApiKeyStore adapter must show; call it from each adapter's test with a fresh store per call.
 * @example describeApiKeyStoreContract('SqliteApiKeyStore', () => ({ apiKeys: storage.apiKeys, ledger: storage.ledger }))
 */
export function describeApiKeyStoreContract(name: string, makeStores: () => ApiKeyStoreUnderTest): void {
  const makeStore = () => makeStores().apiKeys;
  describe(`${name} (ApiKeyStore contract)`, () => {
    it('finds a saved key by its token hash, and nothing for another hash', async () => {
      const store = makeStore();
      await store.save(aKey());
      expect(await store.findByTokenHash('a'.repeat(64))).toEqual(aKey());
      expect(await store.findByTokenHash('b'.repeat(64))).toBeUndefined();
    });

    it('replaces the key with the same id', async () => {
      const store = makeStore();
      await store.save(aKey({ id: 'bootstrap-admin', role: 'admin', revokedAt: '2026-11-22T09:00:00.000Z' }));
      await store.save(aKey({ id: 'bootstrap-admin', role: 'admin', tokenHash: 'c'.repeat(64) }));
      expect(await store.findByTokenHash('a'.repeat(64))).toBeUndefined();
      expect(await store.findByTokenHash('c'.repeat(64))).toMatchObject({ id: 'bootstrap-admin', revokedAt: undefined });
      expect(await store.list()).toHaveLength(1);
    });

    it('lists keys oldest first', async () => {
      const store = makeStore();
      await store.save(aKey({ id: 'k2', tokenHash: '2'.repeat(64), createdAt: '2026-11-22T09:00:00.000Z' }));
      await store.save(aKey({ id: 'k1', tokenHash: '1'.repeat(64), createdAt: '2026-11-22T08:00:00.000Z' }));
      expect((await store.list()).map((key) => key.id)).toEqual(['k1', 'k2']);
    });

    it('revokes once, keeping the first revocation and who made it, and reports unknown ids', async () => {
      const store = makeStore();
      await store.save(aKey());
      expect(await store.revoke('k1', '2026-11-22T10:00:00.000Z', 'admin key a-1 (ops)')).toBe(true);
      expect(await store.revoke('k1', '2026-11-22T11:00:00.000Z', 'cli:mallory')).toBe(true);
      expect(await store.findByTokenHash('a'.repeat(64))).toMatchObject({ revokedAt: '2026-11-22T10:00:00.000Z', revokedBy: 'admin key a-1 (ops)' });
      expect(await store.revoke('nope', '2026-11-22T10:00:00.000Z', 'cli:alice')).toBe(false);
    });

    it('records a key created and its first revocation in the ledger, with who did each, never the token hash', async () => {
      const { apiKeys, ledger } = makeStores();
      const before = await ledger.size();
      await apiKeys.create(aKey({ createdBy: 'cli:alice' }));
      await apiKeys.revoke('k1', '2026-11-22T10:00:00.000Z', 'admin key a-1 (ops)');
      await apiKeys.revoke('k1', '2026-11-22T11:00:00.000Z', 'admin key a-2 (ops)');
      expect(await apiKeys.list()).toEqual([
        aKey({ createdBy: 'cli:alice', revokedAt: '2026-11-22T10:00:00.000Z', revokedBy: 'admin key a-1 (ops)' }),
      ]);
      const entries = await ledger.entries(before, await ledger.size());
      const described = { keyId: 'k1', role: 'trader', partyId: '0101234567', name: 'ACME Export' };
      expect(entries.map(({ type, subject, at, data }) => ({ type, subject, at, data }))).toEqual([
        { type: 'API_KEY_CREATED', subject: 'api-key:k1', at: '2026-11-22T08:00:00.000Z', data: { ...described, by: 'cli:alice' } },
        { type: 'API_KEY_REVOKED', subject: 'api-key:k1', at: '2026-11-22T10:00:00.000Z', data: { ...described, by: 'admin key a-1 (ops)' } },
      ]);
    });

    it('keeps keys saved by swx itself out of the ledger', async () => {
      const { apiKeys, ledger } = makeStores();
      const before = await ledger.size();
      await apiKeys.save(aKey({ id: 'bootstrap-admin', role: 'admin' }));
      expect(await ledger.size()).toBe(before);
    });
  });
}
