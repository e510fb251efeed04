/**
 * The synchronous SQL port the SQLite adapters are written against: the part of better-sqlite3's API they use, so that
 * better-sqlite3 satisfies it as it is on Node (sqlite-database.ts) and a Durable Object's `ctx.storage.sql` satisfies it
 * through durable-objects/durable-object-sql-database.ts on Workers. One SQL dialect (SQLite), one set of migrations.
 */

/** What a write reports: the rows the statement itself inserted, updated or deleted, and the rowid of the last insert. */
export interface SqlRunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

/**
 * A prepared statement. Parameters are positional (`?`, one argument each) or named (`@name`, bound from one object
 * whose keys are the names without `@`). Values bound are strings, numbers, null and bytes (Uint8Array); a row is an
 * object keyed by column name whose BLOB columns read as Uint8Array (better-sqlite3's Buffer is one).
 * @example db.prepare<[string], { id: string }>('SELECT id FROM declarations WHERE id = ?').get('d-1')
 */
export interface SqlStatement<Params extends unknown[] = unknown[], Row = unknown> {
  run(...params: Params): SqlRunResult;
  get(...params: Params): Row | undefined;
  all(...params: Params): Row[];
  /** From now on a row is its first column's value (cast the statement to the value's type). */
  pluck(): this;
  /** From now on a row is the array of its values in column order (cast the statement to the tuple's type). */
  raw(): this;
}

/**
 * A function that runs in one transaction: it commits when the function returns and rolls back when it throws. Called
 * inside another transaction it runs in a savepoint of that one, so its failure undoes only its own writes.
 */
export interface SqlTransaction<F extends (...args: never[]) => unknown> {
  (...args: ArgumentsOf<F>): ReturnType<F>;
  /** The same, taking the write lock when it begins (BEGIN IMMEDIATE) where the driver can wait for it. */
  readonly immediate: (...args: ArgumentsOf<F>) => ReturnType<F>;
}

/** A function's parameters, written as better-sqlite3 writes them so that its Transaction is a SqlTransaction. */
export type ArgumentsOf<F> = F extends (...args: infer A) => unknown ? A : never;

/**
 * One SQLite database, used synchronously.
 * @example
 * const insert = db.prepare('INSERT INTO ledger_entries (entry_index, bytes) VALUES (?, ?)')
 * db.transaction((rows: [number, Uint8Array][]) => rows.forEach((row) => insert.run(...row)))(rows)
 */
export interface SqlDatabase {
  // biome-ignore lint/complexity/noBannedTypes: better-sqlite3's own constraint, so that its Database is a SqlDatabase as it is.
  prepare<Params extends unknown[] | {} = unknown[], Row = unknown>(
    sql: string,
  ): Params extends unknown[] ? SqlStatement<Params, Row> : SqlStatement<[Params], Row>;
  /** Runs one or more statements separated by semicolons, without parameters. */
  exec(sql: string): this;
  transaction<F extends (...args: never[]) => unknown>(fn: F): SqlTransaction<F>;
  /** True while a transaction (of any depth) is open. */
  readonly inTransaction: boolean;
}
