import type { SqlDatabase } from './sql-database.js';

interface Pending<Change, Result> {
  readonly change: Change;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * How a group commit's transaction is made durable when the database does not sync at COMMIT on its own
 * (sqlite-wal-sync.ts on Node): `relaxed` runs the transaction, `whenDurable` resolves once it is on disk.
 */
export interface WriteDurability {
  relaxed<T>(write: () => T): T;
  whenDurable(): Promise<void>;
}

type Outcome<Result> = { readonly ok: true; readonly value: Result } | { readonly ok: false; readonly error: unknown };

/** The most changes one transaction holds: bounds how long one batch keeps the event loop. */
export const MAX_GROUP_COMMIT_BATCH = 128;

/**
 * Group commit: the changes submitted during one turn of the event loop are applied in one IMMEDIATE transaction,
 * each in a savepoint of its own, so that one fsync (better-sqlite3 with synchronous=FULL) or one write to a Durable
 * Object's storage makes the whole batch durable. A change that throws is rolled back to its savepoint and rejected alone; its batch-mates commit.
 * Every promise settles only once COMMIT has returned, so a caller never acknowledges what a crash could lose; with a
 * `durability` (Node: sqlite-wal-sync.ts), once the transaction is on disk, which happens off the calling thread.
 * When SQLite itself abandons the transaction (I/O error, disk full), every change of the batch is rejected.
 * @example
 * const group = new SqliteGroupCommit(db, (change: Row) => insert.run(change))
 * await Promise.all([group.submit(a), group.submit(b)]) // one transaction, one fsync
 */
export class SqliteGroupCommit<Change, Result> {
  readonly #db: SqlDatabase;
  readonly #applyInSavepoint: (change: Change) => Result;
  readonly #writeBatch: (batch: readonly Pending<Change, Result>[]) => Outcome<Result>[];
  readonly #onCommit: () => void;
  readonly #maxBatch: number;
  readonly #durability: WriteDurability | undefined;
  #queue: Pending<Change, Result>[] = [];
  #scheduled = false;
  /** The sync of the last batch while it runs: the next batch gathers meanwhile, and commits once it ends. */
  #syncing: Promise<void> | undefined;

  /** `onCommit` runs once after each batch that committed at least one change (and, with a `durability`, is on disk). */
  constructor(
    db: SqlDatabase,
    apply: (change: Change) => Result,
    options: { readonly onCommit?: () => void; readonly maxBatch?: number; readonly durability?: WriteDurability } = {},
  ) {
    this.#db = db;
    this.#durability = options.durability;
    this.#onCommit = options.onCommit ?? (() => undefined);
    this.#maxBatch = options.maxBatch ?? MAX_GROUP_COMMIT_BATCH;
    // Called inside the batch's transaction, this is a savepoint: SAVEPOINT ... RELEASE / ROLLBACK TO on better-sqlite3,
    // a nested transactionSync in a Durable Object.
    this.#applyInSavepoint = db.transaction(apply);
    this.#writeBatch = db.transaction((batch: readonly Pending<Change, Result>[]) => batch.map((item) => this.#applyOne(item))).immediate;
  }

  /** Queues a change for the next batch; resolves with what `apply` returned once the batch is durable. */
  submit(change: Change): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ change, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate runs after the poll phase: every request whose bytes arrived in this turn joins the batch.
    const flush = () => setImmediate(() => this.#flush());
    if (this.#syncing === undefined) flush();
    else this.#syncing.then(flush, flush);
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (this.#queue.length > 0) this.#schedule();
    let outcomes: Outcome<Result>[];
    const durability = this.#durability;
    try {
      outcomes = durability === undefined ? this.#writeBatch(batch) : durability.relaxed(() => this.#writeBatch(batch));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    if (durability === undefined) {
      this.#settle(batch, outcomes);
      return;
    }
    const syncing: Promise<void> = durability
      .whenDurable()
      .then(
        () => this.#settle(batch, outcomes),
        (error: unknown) => {
          for (const item of batch) item.reject(error);
        },
      )
      .finally(() => {
        if (this.#syncing === syncing) this.#syncing = undefined;
      });
    this.#syncing = syncing;
  }

  #settle(batch: readonly Pending<Change, Result>[], outcomes: readonly Outcome<Result>[]): void {
    outcomes.forEach((outcome, position) => {
      const item = batch[position] as Pending<Change, Result>;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
    if (outcomes.some((outcome) => outcome.ok)) this.#onCommit();
  }

  #applyOne(item: Pending<Change, Result>): Outcome<Result> {
    try {
      return { ok: true, value: this.#applyInSavepoint(item.change) };
    } catch (error) {
      // SQLite rolled the whole transaction back (not just the savepoint): nothing of the batch can commit.
      if (!this.#db.inTransaction) throw error;
      return { ok: false, error };
    }
  }
}
