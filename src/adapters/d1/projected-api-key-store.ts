import type { ApiKey, ApiKeyStore } from '../../core/auth/api-key.js';
import type { D1ReadModelProjection } from './d1-read-model-projection.js';

/**
 * The EXCHANGE Durable Object's API keys: `keys` (its SQLite table) decides; each change is fenced in D1 and projected
 * there before it answers (D1ReadModelProjection.changeApiKey), so that D1 can answer lookups without being stale.
 * `onChange` runs after each change (the object's alarm retries a projection that failed).
 * @example const apiKeys: ApiKeyStore = new ProjectedApiKeyStore(new SqliteApiKeyStore(db), projection, () => wake())
 */
export class ProjectedApiKeyStore implements ApiKeyStore {
  readonly #keys: ApiKeyStore;
  readonly #projection: D1ReadModelProjection;
  readonly #onChange: () => void;

  constructor(keys: ApiKeyStore, projection: D1ReadModelProjection, onChange: () => void = () => undefined) {
    this.#keys = keys;
    this.#projection = projection;
    this.#onChange = onChange;
  }

  save(key: ApiKey): Promise<void> {
    return this.#change(key.id, () => this.#keys.save(key));
  }

  create(key: ApiKey): Promise<void> {
    return this.#change(key.id, () => this.#keys.create(key));
  }

  findByTokenHash(tokenHash: string): Promise<ApiKey | undefined> {
    return this.#keys.findByTokenHash(tokenHash);
  }

  list(): Promise<readonly ApiKey[]> {
    return this.#keys.list();
  }

  revoke(id: string, revokedAt: string, revokedBy: string): Promise<boolean> {
    return this.#change(id, () => this.#keys.revoke(id, revokedAt, revokedBy));
  }

  async #change<T>(id: string, write: () => Promise<T>): Promise<T> {
    try {
      return await this.#projection.changeApiKey(id, write);
    } finally {
      await this.#projection.run();
      this.#onChange();
    }
  }
}
