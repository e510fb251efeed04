import type { ApiKey, ApiKeyStore } from '../../core/auth/api-key.js';
import type { SqlDatabase } from './sql-database.js';

interface ApiKeyRow {
  id: string;
  role: ApiKey['role'];
  name: string;
  party_id: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

const COLUMNS = 'id, role, name, party_id, token_hash, created_at, revoked_at';

/**
 * API keys in the swx SQLite database (migration 0002_api_keys.sql).
 * @example const apiKeys: ApiKeyStore = new SqliteApiKeyStore(openDatabase('./data/swx.db'))
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  readonly #upsert;
  readonly #byTokenHash;
  readonly #all;
  readonly #revoke;

  constructor(db: SqlDatabase) {
    this.#upsert = db.prepare<[ApiKeyRow]>(
      `INSERT INTO api_keys (${COLUMNS}) VALUES (@id, @role, @name, @party_id, @token_hash, @created_at, @revoked_at)
       ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, party_id = excluded.party_id,
         token_hash = excluded.token_hash, created_at = excluded.created_at, revoked_at = excluded.revoked_at`,
    );
    this.#byTokenHash = db.prepare<[string], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE token_hash = ?`);
    this.#all = db.prepare<[], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
    this.#revoke = db.prepare<[string, string]>('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?');
  }

  async save(key: ApiKey): Promise<void> {
    this.#upsert.run({
      id: key.id,
      role: key.role,
      name: key.name,
      party_id: key.partyId,
      token_hash: key.tokenHash,
      created_at: key.createdAt,
      revoked_at: key.revokedAt ?? null,
    });
  }

  async findByTokenHash(tokenHash: string): Promise<ApiKey | undefined> {
    const row = this.#byTokenHash.get(tokenHash);
    return row === undefined ? undefined : toApiKey(row);
  }

  async list(): Promise<readonly ApiKey[]> {
    return this.#all.all().map(toApiKey);
  }

  async revoke(id: string, revokedAt: string): Promise<boolean> {
    return this.#revoke.run(revokedAt, id).changes > 0;
  }
}

function toApiKey(row: ApiKeyRow): ApiKey {
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
