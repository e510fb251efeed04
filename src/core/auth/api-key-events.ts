import type { LedgerEvent } from '../ledger/entry.js';
import type { ApiKey } from './api-key.js';

/** What the ledger says of a key: never its token or the token's hash. */
function describeKey(key: ApiKey): { keyId: string; role: string; partyId: string; name: string } {
  return { keyId: key.id, role: key.role, partyId: key.partyId, name: key.name };
}

/**
 * The ledger entry of a key's creation: the key's id, role, party and name, and `by`, who created it (as KEY_ROTATED's
 * `by`). ApiKeyStore adapters append it with the key.
 * @example apiKeyCreatedEvent(key) // { type: 'API_KEY_CREATED', subject: 'api-key:…', data: { keyId, role, partyId, name, by } }
 */
export function apiKeyCreatedEvent(key: ApiKey): LedgerEvent {
  return { type: 'API_KEY_CREATED', subject: `api-key:${key.id}`, at: key.createdAt, data: { ...describeKey(key), by: key.createdBy ?? null } };
}

/**
 * The ledger entry of a key's revocation, by `revokedBy` at `revokedAt`.
 * @example apiKeyRevokedEvent(key, '2026-12-05T03:00:00.000Z', 'admin key k-1 (ops)')
 */
export function apiKeyRevokedEvent(key: ApiKey, revokedAt: string, revokedBy: string): LedgerEvent {
  return { type: 'API_KEY_REVOKED', subject: `api-key:${key.id}`, at: revokedAt, data: { ...describeKey(key), by: revokedBy } };
}
