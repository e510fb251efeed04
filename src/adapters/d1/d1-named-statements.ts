import { type Slot, translateNamedParameters } from '../storage/named-parameters.js';

/**
 * The SQLite adapters' statements (`@name` parameters) prepared for D1, which binds only `?` and `?NNN`: each text is
 * translated once, and bound from an object by name per call.
 * @example await new D1NamedStatements(env.DB).prepare('SELECT * FROM api_keys WHERE id = @id', { id }).first()
 */
export class D1NamedStatements {
  readonly #db: D1Database;
  readonly #translated = new Map<string, { readonly sql: string; readonly slots: readonly Slot[] }>();

  constructor(db: D1Database) {
    this.#db = db;
  }

  /** `sql` bound from `params` by name; a name `sql` uses and `params` lacks is a RangeError, as on better-sqlite3. */
  prepare(sql: string, params: Readonly<Record<string, unknown>> = {}): D1PreparedStatement {
    let translated = this.#translated.get(sql);
    if (translated === undefined) {
      translated = translateNamedParameters(sql);
      this.#translated.set(sql, translated);
    }
    const values = translated.slots.map((slot) => {
      if (typeof slot === 'number') throw new SyntaxError(`bind D1 statements by name, not by position: ${sql}`);
      if (!(slot in params)) throw new RangeError(`Missing named parameter "${slot}"`);
      return params[slot];
    });
    return this.#db.prepare(translated.sql).bind(...values);
  }
}
