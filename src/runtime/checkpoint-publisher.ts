import type { SignedCheckpoint } from '../core/ledger/checkpoint.js';
import { publishCheckpoint } from '../core/ledger/ledger.js';
import type { LedgerStore, NoteSigner, Sha256 } from '../core/ports.js';

export interface CheckpointPublisherOptions {
  readonly store: LedgerStore;
  readonly sha256: Sha256;
  readonly signer: NoteSigner;
  readonly origin: string;
  /** Under load, at most one checkpoint per this many ms (default 1000). */
  readonly minIntervalMs?: number;
  /** New entries wait at most this long for a checkpoint, even when nobody calls notify (default 5000). */
  readonly maxIntervalMs?: number;
  /** Where a failed publication is reported (LEDGER_INCONSISTENT when the stored tree was rewritten). */
  readonly onError?: (error: unknown) => void;
}

interface Waiter {
  readonly index: number;
  readonly resolve: (checkpoint: SignedCheckpoint) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Signs ledger checkpoints on Node as the ledger grows: soon after each commit (notify), no more often than
 * minIntervalMs, and at least every maxIntervalMs while there are unsigned entries (entries appended by another
 * process included). One publication runs at a time.
 * @example
 * const publisher = new CheckpointPublisher({ store, sha256, signer: key.signer, origin })
 * publisher.start()
 * store.appendSync(events); publisher.notify()
 * const checkpoint = await publisher.checkpointCovering(entry.index) // for a receipt
 */
export class CheckpointPublisher {
  readonly #options: CheckpointPublisherOptions;
  readonly #minIntervalMs: number;
  readonly #maxIntervalMs: number;
  readonly #waiters: Waiter[] = [];
  #lastPublishedAt = 0;
  #scheduled: ReturnType<typeof setTimeout> | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;
  #running: Promise<SignedCheckpoint | undefined> | undefined;

  constructor(options: CheckpointPublisherOptions) {
    this.#options = options;
    this.#minIntervalMs = options.minIntervalMs ?? 1000;
    this.#maxIntervalMs = options.maxIntervalMs ?? 5000;
  }

  /** Starts the periodic publication and signs at once if entries are unsigned (e.g. after a restart). */
  start(): void {
    this.#poll ??= setInterval(() => this.#publishReporting(), this.#maxIntervalMs);
    this.#poll.unref();
    this.#publishReporting();
  }

  /** Tells the publisher entries were committed: a checkpoint follows within minIntervalMs. */
  notify(): void {
    if (this.#scheduled) return;
    const wait = Math.max(0, this.#lastPublishedAt + this.#minIntervalMs - Date.now());
    this.#scheduled = setTimeout(() => {
      this.#scheduled = undefined;
      this.#publishReporting();
    }, wait);
    this.#scheduled.unref();
  }

  /** Signs a checkpoint now if the tree grew since the last one; waits for a publication already running. */
  async publishNow(): Promise<SignedCheckpoint | undefined> {
    while (this.#running) await this.#running.catch(() => undefined);
    this.#running = publishCheckpoint(this.#options);
    try {
      const checkpoint = await this.#running;
      this.#lastPublishedAt = Date.now();
      await this.#settleWaiters();
      return checkpoint;
    } catch (error) {
      for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
      throw error;
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * The first signed checkpoint that includes entry `index`: a stored one, else the next one published
   * (within minIntervalMs). For receipts, which carry the entry's index and a checkpoint that covers it.
   */
  async checkpointCovering(index: number): Promise<SignedCheckpoint> {
    const stored = await this.#options.store.checkpointCovering(index);
    if (stored) return stored;
    const waiting = new Promise<SignedCheckpoint>((resolve, reject) => this.#waiters.push({ index, resolve, reject }));
    this.notify();
    return waiting;
  }

  /** Stops the timers and signs what is still unsigned. */
  async stop(): Promise<void> {
    clearInterval(this.#poll);
    clearTimeout(this.#scheduled);
    this.#poll = undefined;
    this.#scheduled = undefined;
    await this.publishNow();
  }

  #publishReporting(): void {
    this.publishNow().catch((error: unknown) => this.#options.onError?.(error));
  }

  async #settleWaiters(): Promise<void> {
    const waiting = this.#waiters.splice(0);
    for (const waiter of waiting) {
      const checkpoint = await this.#options.store.checkpointCovering(waiter.index);
      if (checkpoint) waiter.resolve(checkpoint);
      else this.#waiters.push(waiter);
    }
  }
}
