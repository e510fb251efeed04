import type { ApiKey, ApiKeyStore } from '../../core/auth/api-key.js';
import { API_KEY_SQL, type ApiKeyRow, toApiKey, toApiKeyRow } from './api-key-sql.js';
import type { SqlDatabase } from './sql-database.js';

/**
 * API keys in the swx SQLite database (migration 0002_api_keys.sql; statements in api-key-sql.ts).
 * @example const apiKeys: ApiKeyStore = new SqliteApiKeyStore(openDatabase('./data/swx.db'))
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  readonly #upsert;
  readonly #byTokenHash;
  readonly #all;
  readonly #revoke;

  constructor(db: SqlDatabase) {
    this.#upsert = db.prepare<[ApiKeyRow]>(API_KEY_SQL.upsert);
    this.#byTokenHash = db.prepare<[{ tokenHash: string }], ApiKeyRow>(API_KEY_SQL.byTokenHash);
    this.#all = db.prepare<[], ApiKeyRow>(API_KEY_SQL.all);
    this.#revoke = db.prepare<[{ id: string; revokedAt: string }]>(API_KEY_SQL.revoke);
  }

  async save(key: ApiKey): Promise<void> {
    this.#upsert.run(toApiKeyRow(key));
  }

  async findByTokenHash(tokenHash: string): Promise<ApiKey | undefined> {
    const row = this.#byTokenHash.get({ tokenHash });
    return row === undefined ? undefined : toApiKey(row);
  }

  async list(): Promise<readonly ApiKey[]> {
    return this.#all.all().map(toApiKey);
  }

  async revoke(id: string, revokedAt: string): Promise<boolean> {
    return this.#revoke.run({ id, revokedAt }).changes > 0;
  }
}
