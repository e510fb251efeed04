import type { ApiKey } from '../../core/auth/api-key.js';

/** A row of api_keys (migrations 0002, 0011 and 0014). */
export interface ApiKeyRow {
  readonly id: string;
  readonly role: ApiKey['role'];
  readonly name: string;
  readonly party_id: string;
  readonly token_hash: string;
  readonly created_at: string;
  readonly created_by: string | null;
  readonly revoked_at: string | null;
  readonly revoked_by: string | null;
}

const COLUMNS = 'id, role, name, party_id, token_hash, created_at, created_by, revoked_at, revoked_by';

/**
 * The statements of api_keys, with `@name` parameters named as ApiKeyRow's columns: the same text for better-sqlite3,
 * the EXCHANGE object and D1 (where the object projects each key it changes).
 */
export const API_KEY_SQL = {
  /** Inserts a key, or replaces every column of the one with the same id. */
  upsert: `INSERT INTO api_keys (${COLUMNS}) VALUES (@id, @role, @name, @party_id, @token_hash, @created_at, @created_by, @revoked_at, @revoked_by)
           ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, party_id = excluded.party_id,
             token_hash = excluded.token_hash, created_at = excluded.created_at, created_by = excluded.created_by,
             revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by`,
  insert: `INSERT INTO api_keys (${COLUMNS}) VALUES (@id, @role, @name, @party_id, @token_hash, @created_at, @created_by, @revoked_at, @revoked_by)`,
  byId: `SELECT ${COLUMNS} FROM api_keys WHERE id = @id`,
  byTokenHash: `SELECT ${COLUMNS} FROM api_keys WHERE token_hash = @tokenHash`,
  byIds: `SELECT ${COLUMNS} FROM api_keys WHERE id IN (SELECT value FROM json_each(@ids))`,
  all: `SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`,
  /** Changes no row of a key revoked already: its first revocation stays. */
  revoke: 'UPDATE api_keys SET revoked_at = @revokedAt, revoked_by = @revokedBy WHERE id = @id AND revoked_at IS NULL',
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
    created_by: key.createdBy ?? null,
    revoked_at: key.revokedAt ?? null,
    revoked_by: key.revokedBy ?? null,
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
    createdBy: row.created_by ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
    revokedBy: row.revoked_by ?? undefined,
  };
}
