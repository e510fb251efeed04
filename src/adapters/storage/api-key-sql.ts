import type { ApiKey } from '../../core/auth/api-key.js';

/** A row of api_keys (migrations 0002 and 0011). */
export interface ApiKeyRow {
  readonly id: string;
  readonly role: ApiKey['role'];
  readonly name: string;
  readonly party_id: string;
  readonly token_hash: string;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

const COLUMNS = 'id, role, name, party_id, token_hash, created_at, revoked_at';

/**
 * The statements of api_keys, with `@name` parameters named as ApiKeyRow's columns: the same text for better-sqlite3,
 * the EXCHANGE object and D1 (where the object projects each key it changes).
 */
export const API_KEY_SQL = {
  /** Inserts a key, or replaces every column of the one with the same id. */
  upsert: `INSERT INTO api_keys (${COLUMNS}) VALUES (@id, @role, @name, @party_id, @token_hash, @created_at, @revoked_at)
           ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, party_id = excluded.party_id,
             token_hash = excluded.token_hash, created_at = excluded.created_at, revoked_at = excluded.revoked_at`,
  byTokenHash: `SELECT ${COLUMNS} FROM api_keys WHERE token_hash = @tokenHash`,
  byIds: `SELECT ${COLUMNS} FROM api_keys WHERE id IN (SELECT value FROM json_each(@ids))`,
  all: `SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`,
  revoke: 'UPDATE api_keys SET revoked_at = coalesce(revoked_at, @revokedAt) WHERE id = @id',
} as const;

/** The row of a key. */
export function toApiKeyRow(key: ApiKey): ApiKeyRow {
  return {
    id: key.id,
    role: key.role,
    name: key.name,
    party_id: key.partyId,
    token_hash: key.tokenHash,
    created_at: key.createdAt,
    revoked_at: key.revokedAt ?? null,
  };
}

/** The key of a row. */
export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    role: row.role,
    name: row.name,
    partyId: row.party_id,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at ?? undefined,
  };
}
