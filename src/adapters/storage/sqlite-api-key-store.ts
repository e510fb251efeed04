import { apiKeyCreatedEvent, apiKeyRevokedEvent } from '../../core/auth/api-key-events.js';
import type { ApiKey, ApiKeyStore } from '../../core/auth/api-key.js';
import type { LedgerEvent } from '../../core/ledger/entry.js';
import { ChangeBuilder } from '../../core/exchange/change-builder.js';
import { API_KEY_SQL, type ApiKeyRow, toApiKey, toApiKeyRow } from './api-key-sql.js';
import type { SqlDatabase } from './sql-database.js';
import type { SqliteExchangeStore } from './sqlite-exchange-store.js';

/**
 * API keys in the swx SQLite database (migrations 0002, 0011, 0014; statements in api-key-sql.ts). A key created or
 * revoked and its ledger entry are one transaction: the entry is appended through the exchange store's synchronous
 * commit, inside it.
 * @example const apiKeys: ApiKeyStore = new SqliteApiKeyStore(db, exchangeStore)
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  readonly #upsert;
  readonly #byTokenHash;
  readonly #all;
  readonly #create: (key: ApiKey) => void;
  readonly #revoke: (id: string, revokedAt: string, revokedBy: string) => boolean;

  constructor(db: SqlDatabase, exchange: SqliteExchangeStore) {
    this.#upsert = db.prepare<[ApiKeyRow]>(API_KEY_SQL.upsert);
    this.#byTokenHash = db.prepare<[{ tokenHash: string }], ApiKeyRow>(API_KEY_SQL.byTokenHash);
    this.#all = db.prepare<[], ApiKeyRow>(API_KEY_SQL.all);
    const insert = db.prepare<[ApiKeyRow]>(API_KEY_SQL.insert);
    const byId = db.prepare<[{ id: string }], ApiKeyRow>(API_KEY_SQL.byId);
    const markRevoked = db.prepare<[{ id: string; revokedAt: string; revokedBy: string }]>(API_KEY_SQL.revoke);
    const record = (event: LedgerEvent) => exchange.commitSync(new ChangeBuilder().event(event).build());
    this.#create = db.transaction((key: ApiKey) => {
      insert.run(toApiKeyRow(key));
      record(apiKeyCreatedEvent(key));
    });
    this.#revoke = db.transaction((id: string, revokedAt: string, revokedBy: string) => {
      const changed = markRevoked.run({ id, revokedAt, revokedBy }).changes > 0;
      const row = byId.get({ id });
      if (changed && row !== undefined) record(apiKeyRevokedEvent(toApiKey(row), revokedAt, revokedBy));
      return row !== undefined;
    });
  }

  async save(key: ApiKey): Promise<void> {
    this.#upsert.run(toApiKeyRow(key));
  }

  async create(key: ApiKey): Promise<void> {
    this.#create(key);
  }

  async findByTokenHash(tokenHash: string): Promise<ApiKey | undefined> {
    const row = this.#byTokenHash.get({ tokenHash });
    return row === undefined ? undefined : toApiKey(row);
  }

  async list(): Promise<readonly ApiKey[]> {
    return this.#all.all().map(toApiKey);
  }

  async revoke(id: string, revokedAt: string, revokedBy: string): Promise<boolean> {
    return this.#revoke(id, revokedAt, revokedBy);
  }
}
