import { type Slot, translateNamedParameters } from '../storage/named-parameters.js';
import type { ArgumentsOf, SqlDatabase, SqlRunResult, SqlStatement, SqlTransaction } from '../storage/sql-database.js';

/** What a Durable Object's storage offers to SQL: `ctx.storage` of a class declared in `new_sqlite_classes`. */
export type DurableObjectSqlStorage = Pick<DurableObjectStorage, 'sql' | 'transactionSync'>;

type RowShape = 'object' | 'pluck' | 'raw';

/**
 * The SQL port (storage/sql-database.ts) over a Durable Object's SQLite storage, so that the SQLite adapters run inside
 * the object as they run on better-sqlite3:
 * - `@name` parameters are rewritten to `?` once per prepared statement, and bound from the object's keys per call;
 * - a transaction is `transactionSync` (the storage refuses BEGIN and SAVEPOINT), nested ones are its savepoints;
 * - BLOBs read as Uint8Array (the storage gives ArrayBuffer), as better-sqlite3's Buffer is one;
 * - `changes` and `lastInsertRowid` are read from SQLite (`changes()`, `last_insert_rowid()`) only when asked, and
 *   only before the next statement runs (rowsWritten counts index writes too, so it is not `changes`; 0 means none);
 * - booleans, undefined and other values are refused with better-sqlite3's TypeError (the storage would bind `true` as text).
 * @example
 * const db = new DurableObjectSqlDatabase(ctx.storage)
 * ctx.blockConcurrencyWhile(async () => migrate(db, BUNDLED_MIGRATIONS))
 */
export class DurableObjectSqlDatabase implements SqlDatabase {
  readonly #storage: DurableObjectSqlStorage;
  #depth = 0;
  /** Counts statements run, so that a run result can tell it is no longer the last. */
  #runs = 0;

  constructor(storage: DurableObjectSqlStorage) {
    this.#storage = storage;
  }

  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  // biome-ignore lint/complexity/noBannedTypes: the port's constraint, which is better-sqlite3's.
  prepare<Params extends unknown[] | {} = unknown[], Row = unknown>(
    sql: string,
  ): Params extends unknown[] ? SqlStatement<Params, Row> : SqlStatement<[Params], Row> {
    const statement = new DurableObjectSqlStatement(this, translateNamedParameters(sql));
    return statement as unknown as Params extends unknown[] ? SqlStatement<Params, Row> : SqlStatement<[Params], Row>;
  }

  exec(sql: string): this {
    this.#runs += 1;
    // Read to the end, so that no statement of it is left part-way (a cursor is stepped as it is read).
    this.#storage.sql.exec(sql).toArray();
    return this;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): SqlTransaction<F> {
    const run = (...args: ArgumentsOf<F>): ReturnType<F> =>
      this.#storage.transactionSync(() => {
        this.#depth += 1;
        try {
          return fn(...(args as unknown as Parameters<F>)) as ReturnType<F>;
        } finally {
          this.#depth -= 1;
        }
      });
    // The object's SQLite has one writer, the object itself: there is no lock to take early.
    return Object.assign(run, { immediate: run });
  }

  /** Runs a translated statement; the cursor is the storage's, to be read by the caller. */
  query(sql: string, bindings: readonly unknown[]): { cursor: SqlStorageCursor<Record<string, SqlStorageValue>>; run: number } {
    this.#runs += 1;
    return { cursor: this.#storage.sql.exec(sql, ...bindings), run: this.#runs };
  }

  /** `changes()` and `last_insert_rowid()` of the statement that was run `run`-th, while it is still the last one. */
  lastRunValue(run: number, expression: 'changes()' | 'last_insert_rowid()'): number {
    if (run !== this.#runs) throw new Error(`${expression} of a statement is read only before the next statement runs`);
    return this.#storage.sql.exec(`SELECT ${expression}`).raw().next().value?.[0] as number;
  }
}

class DurableObjectSqlStatement {
  readonly #db: DurableObjectSqlDatabase;
  readonly #sql: string;
  readonly #slots: readonly Slot[];
  readonly #positional: number;
  #shape: RowShape = 'object';

  constructor(db: DurableObjectSqlDatabase, translated: { readonly sql: string; readonly slots: readonly Slot[] }) {
    this.#db = db;
    this.#sql = translated.sql;
    this.#slots = translated.slots;
    this.#positional = translated.slots.filter((slot) => typeof slot === 'number').length;
  }

  pluck(): this {
    this.#shape = 'pluck';
    return this;
  }

  raw(): this {
    this.#shape = 'raw';
    return this;
  }

  run(...params: unknown[]): SqlRunResult {
    const { cursor, run } = this.#db.query(this.#sql, this.#bind(params));
    cursor.toArray();
    const db = this.#db;
    const written = cursor.rowsWritten;
    return {
      get changes() {
        return written === 0 ? 0 : db.lastRunValue(run, 'changes()');
      },
      get lastInsertRowid() {
        return db.lastRunValue(run, 'last_insert_rowid()');
      },
    };
  }

  get(...params: unknown[]): unknown {
    const { cursor } = this.#db.query(this.#sql, this.#bind(params));
    const rows = this.#shape === 'object' ? cursor : cursor.raw();
    const first = rows.next();
    return first.done ? undefined : this.#shaped(first.value);
  }

  all(...params: unknown[]): unknown[] {
    const { cursor } = this.#db.query(this.#sql, this.#bind(params));
    const rows: unknown[] = [];
    for (const row of this.#shape === 'object' ? cursor : cursor.raw()) rows.push(this.#shaped(row));
    return rows;
  }

  #shaped(row: Record<string, SqlStorageValue> | SqlStorageValue[]): unknown {
    if (Array.isArray(row)) return this.#shape === 'pluck' ? fromStorage(row[0] ?? null) : row.map(fromStorage);
    for (const column in row) row[column] = fromStorage(row[column] ?? null) as SqlStorageValue;
    return row;
  }

  // better-sqlite3's binding rules: positional arguments fill `?` in order, one plain object fills the `@name`s.
  #bind(params: readonly unknown[]): unknown[] {
    const positional: unknown[] = [];
    let named: Readonly<Record<string, unknown>> | undefined;
    for (const param of params) {
      if (isNamedParameters(param)) named = param;
      else positional.push(param);
    }
    if (positional.length > this.#positional) throw new RangeError('Too many parameter values were provided');
    if (positional.length < this.#positional) throw new RangeError('Too few parameter values were provided');
    return this.#slots.map((slot) => {
      if (typeof slot === 'number') return toStorage(positional[slot]);
      if (named === undefined || !(slot in named)) throw new RangeError(`Missing named parameter "${slot}"`);
      return toStorage(named[slot]);
    });
  }
}

function isNamedParameters(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer);
}

function toStorage(value: unknown): SqlStorageValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new RangeError('a bigint beyond 2^53 cannot be bound here');
    return Number(value);
  }
  // The storage binds a view's own bytes (not its whole buffer): a Buffer from Node's pool binds as it is.
  if (value instanceof Uint8Array) return value as unknown as SqlStorageValue;
  throw new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null');
}

function fromStorage(value: SqlStorageValue): unknown {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : value;
}
