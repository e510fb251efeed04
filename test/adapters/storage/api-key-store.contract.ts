import { describe, expect, it } from 'vitest';
import type { ApiKey, ApiKeyStore } from '../../../src/core/auth/api-key.js';

const aKey = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  id: 'k1',
  role: 'trader',
  name: 'ACME Export',
  partyId: '0101234567',
  tokenHash: 'a'.repeat(64),
  createdAt: '2026-11-22T08:00:00.000Z',
  revokedAt: undefined,
  ...overrides,
});

/**
 * The behaviour every ApiKeyStore adapter must show; call it from each adapter's test with a fresh store per call.
 * @example describeApiKeyStoreContract('SqliteApiKeyStore', () => new SqliteApiKeyStore(openDatabase(path)))
 */
export function describeApiKeyStoreContract(name: string, makeStore: () => ApiKeyStore): void {
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

    it('revokes once, keeping the first revocation time, and reports unknown ids', async () => {
      const store = makeStore();
      await store.save(aKey());
      expect(await store.revoke('k1', '2026-11-22T10:00:00.000Z')).toBe(true);
      expect(await store.revoke('k1', '2026-11-22T11:00:00.000Z')).toBe(true);
      expect((await store.findByTokenHash('a'.repeat(64)))?.revokedAt).toBe('2026-11-22T10:00:00.000Z');
      expect(await store.revoke('nope', '2026-11-22T10:00:00.000Z')).toBe(false);
    });
  });
}
