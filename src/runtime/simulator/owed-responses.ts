import type { OwedEnvelope, PendingResponse } from './simulator-records.js';

/** How long and how often a simulated gateway retries an envelope swx did not receipt. */
export interface RetryPolicy {
  /** Retries of one envelope stop after this long; it stays in the journal for the next start. */
  readonly budgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { budgetMs: 600_000, baseDelayMs: 250, maxDelayMs: 15_000 };

/**
 * The wait before retry `attempt + 1` of an envelope (attempt 0 failed first): exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with jitter (half to all of it), so that many owed envelopes do not retry in step.
 * @example const delay = retryDelayMs(DEFAULT_RETRY, attempts - 1, Math.random)
 */
export function retryDelayMs(retry: RetryPolicy, attempt: number, random: () => number): number {
  return Math.round(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt) * (0.5 + random() / 2));
}

/** Where what is owed is kept until swx has receipted it (ResponseJournal on Node). */
export interface PendingStore {
  /** What is still owed, oldest first. */
  pending(): PendingResponse[];
  /** What is still owed for one received message, if anything. */
  pendingEntry(id: string): PendingResponse | undefined;
  /** Writes (or rewrites) an entry whole. */
  savePending(entry: PendingResponse): void;
  removePending(id: string): void;
}

/** How many owed envelopes are being sent (or retried) at once; the others wait their turn, oldest first. */
export const SENDING_AT_ONCE = 16;

export interface OwedResponsesOptions {
  /** Where what is owed survives a crash; without one, it lives only in memory. */
  readonly journal?: PendingStore;
  readonly retry: RetryPolicy;
  /** Sends one envelope; resolves once swx answered it with a signed receipt, throws otherwise. */
  readonly send: (step: OwedEnvelope) => Promise<void>;
  readonly random: () => number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The business acknowledgements and responses a simulated gateway owes swx, kept as a real gateway keeps them:
 * journaled (by the simulator, with its receipt) before the receipt of the message they answer goes out, sent in
 * order, at most SENDING_AT_ONCE at a time, retried with exponential backoff and jitter for the retry budget, and
 * removed from the journal only once swx has receipted them. With a journal, an entry waiting its turn is held in
 * memory as its id and time only, and its envelopes are read back when it is sent: a backlog of thousands (swx
 * saturated, or down) costs a few bytes each, not a signed envelope each.
 * @example const owed = new OwedResponses({ journal, retry: DEFAULT_RETRY, send, random: Math.random, log }); owed.resume()
 */
export class OwedResponses {
  readonly #waits = new Map<ReturnType<typeof setTimeout>, () => void>();
  readonly #turns: Array<() => void> = [];
  #sending = 0;
  #closed = false;
  #resumed = false;

  constructor(private readonly options: OwedResponsesOptions) {}

  /** Starts sending what is owed for one received message, already journaled (ResponseJournal.recordReceived). */
  deliver(entry: PendingResponse): void {
    this.#start(entry);
  }

  /** Starts sending what the journal held from before this start (once swx's address is known); returns how many. */
  resume(): number {
    if (this.#resumed || this.#closed || this.options.journal === undefined) return 0;
    this.#resumed = true;
    const pending = this.options.journal.pending();
    for (const entry of pending) this.#start(entry);
    return pending.length;
  }

  /** Stops sending; what is still owed stays in the journal. */
  close(): void {
    this.#closed = true;
    for (const [timer, wake] of this.#waits) {
      clearTimeout(timer);
      wake();
    }
    this.#waits.clear();
    for (const wake of this.#turns.splice(0)) wake();
  }

  #start(entry: PendingResponse): void {
    const notBefore = entry.steps[0]?.notBefore ?? 0;
    void this.#deliver(entry.id, notBefore, this.options.journal === undefined ? entry : undefined);
  }

  /** Sends an entry's steps in order; `held` is the entry itself without a journal, and undefined with one. */
  async #deliver(id: string, notBefore: number, held: PendingResponse | undefined): Promise<void> {
    const { journal } = this.options;
    let next = notBefore;
    let kept = held;
    while (!this.#closed) {
      await this.#wait(next - Date.now());
      if (this.#closed) return;
      await this.#turn();
      try {
        const entry = kept ?? journal?.pendingEntry(id);
        const [step, ...rest] = entry?.steps ?? [];
        if (entry === undefined || step === undefined || this.#closed || !(await this.#sendWithRetries(step))) return;
        if (rest.length === 0) {
          journal?.removePending(id);
          return;
        }
        const remaining = { ...entry, steps: rest };
        journal?.savePending(remaining);
        kept = journal === undefined ? remaining : undefined;
        next = rest[0]?.notBefore ?? 0;
      } finally {
        this.#endTurn();
      }
    }
  }

  /** Resolves when fewer than SENDING_AT_ONCE envelopes are being sent, in the order asked. */
  #turn(): Promise<void> {
    if (this.#sending < SENDING_AT_ONCE && this.#turns.length === 0) {
      this.#sending += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.#turns.push(() => {
        this.#sending += 1;
        resolve();
      }),
    );
  }

  #endTurn(): void {
    this.#sending -= 1;
    this.#turns.shift()?.();
  }

  /** True once swx receipted the envelope; false when closed or past the retry budget. */
  async #sendWithRetries(step: OwedEnvelope): Promise<boolean> {
    const { retry, log } = this.options;
    const started = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.options.send(step);
        return true;
      } catch (error) {
        if (this.#closed) return false;
        const delay = retryDelayMs(retry, attempt, this.options.random);
        const fields = { documentType: step.documentType, refTo: step.refToMessageId, attempts: attempt + 1, error: (error as Error).message };
        if (Date.now() - started + delay > retry.budgetMs) {
          log('error', 'business response not delivered within the retry budget; kept for the next start', fields);
          return false;
        }
        if (attempt % 5 === 0) log('warn', 'business response not delivered, retrying', { ...fields, retryInMs: delay });
        await this.#wait(delay);
        if (this.#closed) return false;
      }
    }
  }

  #wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waits.delete(timer);
        resolve();
      }, ms);
      this.#waits.set(timer, resolve);
    });
  }
}
