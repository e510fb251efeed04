import type { Checkpoint, SignedCheckpoint } from '../core/ledger/checkpoint.js';
import { signLedgerCheckpoint } from '../core/ledger/ledger.js';
import type { CheckpointIssuer, LedgerStore } from '../core/ledger/ledger-store.js';
import type { NoteSigner, Sha256 } from '../core/primitives.js';

export interface CheckpointPublisherOptions {
  readonly store: LedgerStore;
  readonly sha256: Sha256;
  readonly signer: NoteSigner;
  readonly origin: string;
  /** Under load, at most one checkpoint stored per this many ms (default 1000). */
  readonly minIntervalMs?: number;
  /** New entries wait at most this long for a checkpoint, even when nobody calls notify (default 5000). */
  readonly maxIntervalMs?: number;
  /** Where a failed signature is reported (LEDGER_INCONSISTENT when the stored tree was rewritten). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Signs ledger checkpoints on Node as the ledger grows.
 * - Stored: soon after each commit (notify), no more often than minIntervalMs, and at least every maxIntervalMs while
 *   there are unsigned entries (entries appended by another process included).
 * - For receipts (covering): the latest checkpoint when it includes the entry, else one signed at once for the
 *   current tree size (an Ed25519 signature and O(log n) stored hashes, well under a millisecond). Each tree size is
 *   signed once; a checkpoint signed for receipts is kept in memory and the next publication stores it, or a newer
 *   one in its place, so a busy ledger adds at most one stored checkpoint per minIntervalMs.
 * One signature runs at a time, each checked against the last one signed or stored (the log never signs two
 * inconsistent trees).
 * @example
 * const publisher = new CheckpointPublisher({ store, sha256, signer: key.signer, origin })
 * publisher.start()
 * store.appendSync(events); publisher.notify()
 * const checkpoint = await publisher.covering(entry.index) // for a receipt
 */
export class CheckpointPublisher implements CheckpointIssuer {
  readonly #options: CheckpointPublisherOptions;
  readonly #minIntervalMs: number;
  readonly #maxIntervalMs: number;
  /** The newest checkpoint signed here or found stored. */
  #latest: SignedCheckpoint | undefined;
  /** Signed for receipts and not stored yet. */
  #unsaved: SignedCheckpoint | undefined;
  #lastPublishedAt = 0;
  #scheduled: ReturnType<typeof setTimeout> | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;
  #queue: Promise<unknown> = Promise.resolve();

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

  /** Tells the publisher entries were committed: a checkpoint is stored within minIntervalMs. */
  notify(): void {
    if (this.#scheduled) return;
    const wait = Math.max(0, this.#lastPublishedAt + this.#minIntervalMs - Date.now());
    this.#scheduled = setTimeout(() => {
      this.#scheduled = undefined;
      this.#publishReporting();
    }, wait);
    this.#scheduled.unref();
  }

  /**
   * Stores a checkpoint of the ledger as it is now: the one signed for receipts if it covers every entry, else a new
   * one. Returns the checkpoint stored, or undefined when the stored ones already cover every entry.
   */
  publishNow(): Promise<SignedCheckpoint | undefined> {
    return this.#exclusive(async () => {
      const { store } = this.#options;
      const stored = await store.latestCheckpoint();
      const signed = await signLedgerCheckpoint(this.#options, newest(this.#latest, stored));
      const unsaved = this.#unsaved;
      const publish = signed ?? (unsaved && unsaved.treeSize > (stored?.treeSize ?? -1) ? unsaved : undefined);
      if (publish) await store.saveCheckpoint(publish);
      this.#latest = newest(publish, newest(this.#latest, stored));
      this.#unsaved = undefined;
      this.#lastPublishedAt = Date.now();
      return publish;
    });
  }

  covering(index: number): Promise<SignedCheckpoint | undefined> {
    const latest = this.#latest;
    if (latest && latest.treeSize > index) return Promise.resolve(latest);
    return this.#exclusive(async () => {
      const known = newest(this.#latest, await this.#options.store.latestCheckpoint());
      if (known && known.treeSize > index) return (this.#latest = known);
      const signed = await signLedgerCheckpoint(this.#options, known);
      if (!signed) return undefined;
      this.#latest = this.#unsaved = signed;
      this.notify();
      return signed.treeSize > index ? signed : undefined;
    }).catch((error: unknown) => {
      this.#options.onError?.(error);
      return undefined;
    });
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    return newest(this.#latest, await this.#options.store.latestCheckpoint());
  }

  /** Stops the timers and stores a checkpoint of what is still unsigned. */
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

  // Runs one signing at a time, in call order.
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function newest<T extends Checkpoint>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  return b && b.treeSize > a.treeSize ? b : a;
}
