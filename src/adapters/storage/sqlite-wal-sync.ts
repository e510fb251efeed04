import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, statSync } from 'node:fs';
import type { SqliteDatabase } from './sqlite-database.js';
import type { WriteDurability } from './sqlite-group-commit.js';

const DONE = Promise.resolve();

/**
 * Durable commits without blocking the request thread on fsync. SQLite with synchronous=FULL fsyncs the WAL inside
 * COMMIT, on the calling thread, and the event loop waits (a third of the request thread's time under load, more on
 * a busy disk). Here a group commit's transaction runs with synchronous=NORMAL (SQLite writes the WAL frames but does
 * not sync them), then the WAL file is fdatasync'd on libuv's thread pool, and only then are its callers answered:
 * the same frames reach the disk before the same acknowledgement, as with FULL. One sync runs at a time; the commits
 * made meanwhile share the next one. Every other write on the connection keeps synchronous=FULL (its COMMIT syncs the
 * WAL, with whatever relaxed commits precede it). Checkpoints under NORMAL still sync the WAL before copying it.
 * @example const wal = new SqliteWalSync(db); const result = wal.relaxed(() => tx()); await wal.whenDurable(); answer(result)
 */
export class SqliteWalSync implements WriteDurability {
  readonly #db: SqliteDatabase;
  readonly #path: string;
  #fd: number | undefined;
  /** Relaxed commits made, and how many of them a finished sync covers. */
  #written = 0;
  #synced = 0;
  #inflight: { readonly promise: Promise<void>; readonly covers: number } | undefined;
  #queued: Promise<void> | undefined;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#path = `${db.name}-wal`;
  }

  /** Runs `write` (one whole transaction) without SQLite's fsync at COMMIT; nothing may acknowledge it before whenDurable(). */
  relaxed<T>(write: () => T): T {
    // Prepared anew each time: SQLite applies this pragma when it is prepared, not when it runs.
    this.#db.pragma('synchronous = NORMAL');
    try {
      return write();
    } finally {
      this.#db.pragma('synchronous = FULL');
      this.#written += 1;
    }
  }

  /** Resolves once every transaction committed before the call is on disk; rejects when the sync fails. */
  whenDurable(): Promise<void> {
    const target = this.#written;
    if (this.#synced >= target) return DONE;
    if (this.#inflight !== undefined && this.#inflight.covers >= target) return this.#inflight.promise;
    // A sync must start after the commits made so far: the next one, once the one in flight ends.
    this.#queued ??= (this.#inflight?.promise ?? DONE)
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#sync();
      });
    return this.#queued;
  }

  /** Closes the WAL file descriptor (before the database closes). */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #sync(): Promise<void> {
    const covers = this.#written;
    const promise = new Promise<void>((resolve, reject) => {
      const fd = this.#walFd();
      fdatasync(fd, (error) => {
        if (error) return reject(error);
        // SQLite replaces the WAL file only when the last connection closes, after copying it into the database; should
        // it have been replaced meanwhile, the new file is synced too.
        if (this.#fd === fd && fstatSync(fd).ino !== statSync(this.#path, { throwIfNoEntry: false })?.ino) {
          this.close();
          if (this.#db.open) fdatasyncSync(this.#walFd());
        }
        this.#synced = Math.max(this.#synced, covers);
        resolve();
      });
    }).finally(() => {
      if (this.#inflight?.promise === promise) this.#inflight = undefined;
    });
    this.#inflight = { promise, covers };
    return promise;
  }

  #walFd(): number {
    this.#fd ??= openSync(this.#path, 'r');
    return this.#fd;
  }
}
