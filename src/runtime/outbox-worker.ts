import { DeliveryDispatcher, type DeliveryLog } from '../core/delivery/delivery-dispatcher.js';
import type { DeliveryHealth } from '../core/delivery/delivery-health.js';
import { deliverMessage, type DeliveryDeps, type DeliveryOutcome, requestIdOf } from '../core/delivery/deliver-message.js';
import type { PartnerCircuitLog } from '../core/delivery/partner-circuit-log.js';
import type { OutboxItem } from '../core/exchange/exchange-store.js';

export interface OutboxWorkerOptions {
  readonly pollMs: number;
  /** The most messages in flight to one partner at a time (each partner's window, read per poll). */
  readonly batchSize: number;
  readonly log: DeliveryLog;
  /** Where each circuit change is recorded for other processes (`swx partners list`); none by default. */
  readonly circuits?: PartnerCircuitLog;
  /** Told of every delivery attempt's outcome (undefined when it crashed) and how long it took (metrics). */
  readonly onAttempt?: (item: OutboxItem, outcome: DeliveryOutcome | undefined, seconds: number) => void;
}

/**
 * The Node outbox worker: polls the outbox for due messages and delivers them concurrently, in process. Which
 * messages go when is the DeliveryDispatcher's: one circuit and one window per partner, so a partner whose circuit
 * is open, or whose window is full, never delays another. A message in flight is never picked up twice; after a
 * crash, it is simply due again and sent with the same message id and bytes, which a partner answers with its
 * original receipt.
 * @example const worker = new OutboxWorker(deps, { pollMs: 100, batchSize: 64, log }); worker.start()
 */
export class OutboxWorker {
  readonly #dispatcher: DeliveryDispatcher;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #polling: Promise<void> | undefined;
  #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly options: OutboxWorkerOptions,
  ) {
    this.#dispatcher = new DeliveryDispatcher(deps, {
      window: options.batchSize,
      log: options.log,
      ...(options.circuits === undefined ? {} : { circuits: options.circuits }),
    });
  }

  start(): void {
    this.#running = true;
    this.#dispatcher.start();
    this.#schedule(0);
  }

  /** Polls now instead of at the next tick (called after something was enqueued). */
  kick(): void {
    if (this.#running && !this.#polling) this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#polling;
    await Promise.allSettled([...this.#pending]);
    await this.#dispatcher.stop();
  }

  health(partnerId: string): DeliveryHealth {
    return this.#dispatcher.health(partnerId);
  }

  /** Waits until nothing is in flight (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0 || this.#polling) {
      await Promise.allSettled([...this.#pending, this.#polling]);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
        if (this.#running) this.#schedule(this.options.pollMs);
      });
    }, delayMs);
  }

  async #poll(): Promise<void> {
    for (const item of await this.#dispatcher.dispatch()) this.#launch(item);
  }

  #launch(item: OutboxItem): void {
    const started = performance.now();
    const delivery = deliverMessage(this.deps, item)
      .catch((error: unknown) => {
        this.options.log('error', 'delivery crashed', { messageId: item.messageId, requestId: requestIdOf(item), error: (error as Error).message });
        return undefined;
      })
      .then((outcome) => {
        this.options.onAttempt?.(item, outcome, (performance.now() - started) / 1000);
        return this.#dispatcher.settle(item.messageId, outcome);
      })
      .then((halfFree) => {
        // Half the partner's window is free: refill now rather than at the next poll.
        if (halfFree) this.kick();
      })
      .finally(() => this.#pending.delete(delivery));
    this.#pending.add(delivery);
  }
}
