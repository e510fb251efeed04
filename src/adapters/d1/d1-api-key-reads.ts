import type { ApiKey } from '../../core/auth/api-key.js';
import { API_KEY_SQL, type ApiKeyRow, toApiKey } from '../storage/api-key-sql.js';
import { D1NamedStatements } from './d1-named-statements.js';

/** What D1 answers for a read: the value, when its copy of the rows asked for is complete; otherwise that it may be behind. */
export type ReadModelAnswer<T> = { readonly current: true; readonly value: T } | { readonly current: false };

/**
 * Whether D1's api_keys show every key change begun (migration 0013): the EXCHANGE object raises `api_keys_requested`
 * before it changes a key, and `api_keys_projected` once D1 holds the change (D1ReadModelProjection).
 */
const KEYS_CURRENT_SQL = `SELECT coalesce((SELECT value FROM read_model_marks WHERE name = 'api_keys_projected'), -1)
                              >= coalesce((SELECT value FROM read_model_marks WHERE name = 'api_keys_requested'), 0) AS current`;

/**
 * API key lookups in D1's read model. D1 answers only while no key change is under way that it does not show yet,
 * read in one batch (one snapshot) with the key itself; otherwise the caller asks the EXCHANGE object, which decides.
 * So a key revoked, or created, answers at once, without a call to the object for every request.
 * @example const found = await new D1ApiKeyReads(env.DB).findByTokenHash(hash); if (!found.current) ask the object
 */
export class D1ApiKeyReads {
  readonly #db: D1Database;
  readonly #statements: D1NamedStatements;

  constructor(db: D1Database) {
    this.#db = db;
    this.#statements = new D1NamedStatements(db);
  }

  /** The key with this token hash, revoked or not (or none), when D1 is current for keys. */
  async findByTokenHash(tokenHash: string): Promise<ReadModelAnswer<ApiKey | undefined>> {
    const [current, rows] = await this.#db.batch<{ current: number } | ApiKeyRow>([
      this.#db.prepare(KEYS_CURRENT_SQL),
      this.#statements.prepare(API_KEY_SQL.byTokenHash, { tokenHash }),
    ]);
    if (!isCurrent(current)) return { current: false };
    const row = rows?.results[0] as ApiKeyRow | undefined;
    return { current: true, value: row === undefined ? undefined : toApiKey(row) };
  }

  /** Every key, oldest first, when D1 is current for keys. */
  async list(): Promise<ReadModelAnswer<readonly ApiKey[]>> {
    const [current, rows] = await this.#db.batch<{ current: number } | ApiKeyRow>([
      this.#db.prepare(KEYS_CURRENT_SQL),
      this.#statements.prepare(API_KEY_SQL.all),
    ]);
    if (!isCurrent(current)) return { current: false };
    return { current: true, value: ((rows?.results ?? []) as ApiKeyRow[]).map(toApiKey) };
  }
}

function isCurrent(result: D1Result<unknown> | undefined): boolean {
  return (result?.results[0] as { current: number } | undefined)?.current === 1;
}
