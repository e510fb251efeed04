import { CircuitBreaker } from '../core/delivery/circuit-breaker.js';
import type { DeliveryHealth } from '../core/delivery/delivery-health.js';
import { deliverMessage, type DeliveryDeps, type DeliveryOutcome } from '../core/delivery/deliver-message.js';
import type { OutboxItem } from '../core/ports.js';


export interface OutboxWorkerOptions {
  readonly pollMs: number;
  readonly batchSize: number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

interface PartnerHealth {
  circuit: CircuitBreaker;
  lastSuccessAt?: string;
  lastFailureAt?: string;
  lastError?: string;
  inFlight: number;
}

/**
 * The Node outbox worker: polls the outbox for due messages and delivers them concurrently, one circuit per
 * partner. A message in flight is never picked up twice; after a crash, it is simply due again and sent with
 * the same message id and bytes, which a partner answers with its original receipt.
 * @example const worker = new OutboxWorker(deps, { pollMs: 100, batchSize: 64, log }); worker.start()
 */
export class OutboxWorker {
  readonly #inFlight = new Set<string>();
  readonly #health = new Map<string, PartnerHealth>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #polling: Promise<void> | undefined;
  #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly options: OutboxWorkerOptions,
  ) {}

  start(): void {
    this.#running = true;
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
  }

  health(partnerId: string): DeliveryHealth {
    const health = this.#partner(partnerId);
    return {
      circuit: health.circuit.state(this.deps.clock.now().getTime()),
      consecutiveFailures: health.circuit.consecutiveFailures,
      lastSuccessAt: health.lastSuccessAt,
      lastFailureAt: health.lastFailureAt,
      lastError: health.lastError,
      inFlight: health.inFlight,
    };
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
    try {
      const now = this.deps.clock.now().getTime();
      const due = await this.deps.store.dueOutbox(now, this.options.batchSize + this.#inFlight.size);
      for (const item of due) {
        if (this.#inFlight.has(item.messageId)) continue;
        const health = this.#partner(item.partnerId);
        if (!health.circuit.allows(now)) continue;
        this.#launch(item, health);
      }
    } catch (error) {
      this.options.log('error', 'outbox poll failed', { error: (error as Error).message });
    }
  }

  #launch(item: OutboxItem, health: PartnerHealth): void {
    this.#inFlight.add(item.messageId);
    health.inFlight += 1;
    const delivery = deliverMessage(this.deps, item)
      .then((outcome) => this.#record(item, health, outcome))
      .catch((error: unknown) => {
        this.options.log('error', 'delivery crashed', { messageId: item.messageId, error: (error as Error).message });
      })
      .finally(() => {
        this.#inFlight.delete(item.messageId);
        health.inFlight -= 1;
        this.#pending.delete(delivery);
      });
    this.#pending.add(delivery);
  }

  async #record(item: OutboxItem, health: PartnerHealth, outcome: DeliveryOutcome): Promise<void> {
    const now = this.deps.clock.now();
    const reached = outcome === 'DELIVERED' || outcome === 'REJECTED';
    health.circuit.record(reached, now.getTime());
    if (reached) {
      health.lastSuccessAt = now.toISOString();
      if (outcome === 'REJECTED') this.options.log('warn', 'partner rejected message', { messageId: item.messageId, partner: item.partnerId });
      return;
    }
    const stored = await this.deps.store.getOutbox(item.messageId);
    health.lastFailureAt = now.toISOString();
    if (stored?.lastError !== undefined) health.lastError = stored.lastError;
    this.options.log(outcome === 'DEAD_LETTER' ? 'error' : 'warn', outcome === 'DEAD_LETTER' ? 'message dead-lettered' : 'delivery failed, will retry', {
      messageId: item.messageId,
      partner: item.partnerId,
      error: health.lastError,
    });
  }

  #partner(partnerId: string): PartnerHealth {
    let health = this.#health.get(partnerId);
    if (!health) {
      const partner = this.deps.partners.get(partnerId);
      const policy = partner?.kind === 'gateway' ? partner.circuit : { failureThreshold: 5, openMs: 30_000 };
      health = { circuit: new CircuitBreaker(policy), inFlight: 0 };
      this.#health.set(partnerId, health);
    }
    return health;
  }
}
