import { CircuitBreaker, type CircuitTicket } from '../core/delivery/circuit-breaker.js';
import { deadLetterOverdue } from '../core/delivery/dead-letter-overdue.js';
import type { DeliveryHealth } from '../core/delivery/delivery-health.js';
import { deliverMessage, type DeliveryDeps, type DeliveryOutcome } from '../core/delivery/deliver-message.js';
import type { GatewayPartner } from '../core/partner.js';
import type { OutboxItem } from '../core/exchange/exchange-store.js';
import type { PartnerCircuitLog, PartnerCircuitRecord } from '../core/delivery/partner-circuit-log.js';

/** Overdue messages dead-lettered per partner and poll; the rest follow at the next polls. */
const OVERDUE_BATCH = 500;

export interface OutboxWorkerOptions {
  readonly pollMs: number;
  /** The most messages in flight to one partner at a time (each partner's window, read per poll). */
  readonly batchSize: number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Where each circuit change is recorded for other processes (`swx partners list`); none by default. */
  readonly circuits?: PartnerCircuitLog;
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
 * partner. Each partner gets its own window of due messages, so a partner whose circuit is open, or whose
 * window is full, never delays another; its waiting messages are dead-lettered once their retry budget in time
 * is spent. A message in flight is never picked up twice; after a crash, it is simply due again and sent with
 * the same message id and bytes, which a partner answers with its original receipt.
 * @example const worker = new OutboxWorker(deps, { pollMs: 100, batchSize: 64, log }); worker.start()
 */
export class OutboxWorker {
  readonly #inFlight = new Set<string>();
  readonly #health = new Map<string, PartnerHealth>();
  #gateways: readonly GatewayPartner[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #polling: Promise<void> | undefined;
  #pending = new Set<Promise<unknown>>();
  #persisting: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly options: OutboxWorkerOptions,
  ) {}

  start(): void {
    this.#running = true;
    this.#gateways = this.deps.partners.list().filter((partner): partner is GatewayPartner => partner.kind === 'gateway');
    this.#persist(() => this.options.circuits?.reset(this.#gateways.map((partner) => this.#circuitRecord(partner.id))));
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
    // The circuits live in this process: once it stops delivering, none is recorded as current.
    await this.#persisting;
    this.#persist(() => this.options.circuits?.reset([]));
    await this.#persisting;
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
    for (const partner of this.#gateways) {
      try {
        await this.#pollPartner(partner);
      } catch (error) {
        this.options.log('error', 'outbox poll failed', { partner: partner.id, error: (error as Error).message });
      }
    }
  }

  /** Reads one partner's window of due messages, unless its circuit is open or its window full. */
  async #pollPartner(partner: GatewayPartner): Promise<void> {
    const health = this.#partner(partner.id);
    if (health.circuit.state(this.deps.clock.now().getTime()) !== 'CLOSED') await this.#deadLetterOverdue(partner, health);
    const now = this.deps.clock.now().getTime();
    // At most batchSize messages in flight per partner: a backlog waits in the database, not in memory.
    if (health.inFlight >= this.options.batchSize || !health.circuit.admits(now)) return;
    // The window holds the partner's messages in flight too (still PENDING): skipped below.
    const due = await this.deps.store.dueOutbox(partner.id, now, this.options.batchSize);
    for (const item of due) {
      if (health.inFlight >= this.options.batchSize) return;
      if (this.#inFlight.has(item.messageId)) continue;
      const ticket = health.circuit.admit(now);
      if (!ticket) return;
      this.#launch(item, health, ticket);
    }
  }

  async #deadLetterOverdue(partner: GatewayPartner, health: PartnerHealth): Promise<void> {
    const options = { skip: this.#inFlight, partnerError: health.lastError, limit: OVERDUE_BATCH };
    const messageIds = await deadLetterOverdue(this.deps, partner, options);
    if (messageIds.length === 0) return;
    this.options.log('error', 'messages dead-lettered: retry budget spent while the circuit is open', {
      partner: partner.id,
      count: messageIds.length,
      maxDurationMs: partner.retry.maxDurationMs,
    });
  }

  #launch(item: OutboxItem, health: PartnerHealth, ticket: CircuitTicket): void {
    this.#inFlight.add(item.messageId);
    health.inFlight += 1;
    const delivery = deliverMessage(this.deps, item)
      .catch((error: unknown) => {
        this.options.log('error', 'delivery crashed', { messageId: item.messageId, error: (error as Error).message });
        return undefined;
      })
      .then((outcome) => this.#record(item, health, ticket, outcome))
      .catch((error: unknown) => {
        this.options.log('error', 'delivery outcome not recorded', { messageId: item.messageId, error: (error as Error).message });
      })
      .finally(() => {
        this.#inFlight.delete(item.messageId);
        health.inFlight -= 1;
        this.#pending.delete(delivery);
        // Half the partner's window is free: refill now rather than at the next poll.
        if (health.inFlight === Math.floor(this.options.batchSize / 2)) this.kick();
      });
    this.#pending.add(delivery);
  }

  /** `outcome` is undefined when the delivery crashed: a failure for the circuit (it frees a half-open probe). */
  async #record(item: OutboxItem, health: PartnerHealth, ticket: CircuitTicket, outcome: DeliveryOutcome | undefined): Promise<void> {
    const now = this.deps.clock.now();
    const reached = outcome === 'DELIVERED' || outcome === 'REJECTED';
    const before = circuitKey(health);
    health.circuit.record(ticket, reached, now.getTime());
    if (outcome === undefined) {
      if (circuitKey(health) !== before) this.#saveCircuit(item.partnerId);
      return;
    }
    if (reached) {
      if (circuitKey(health) !== before) this.#saveCircuit(item.partnerId);
      health.lastSuccessAt = now.toISOString();
      if (outcome === 'REJECTED') this.options.log('warn', 'partner rejected message', { messageId: item.messageId, partner: item.partnerId });
      return;
    }
    const stored = await this.deps.store.getOutbox(item.messageId);
    health.lastFailureAt = now.toISOString();
    if (stored?.lastError !== undefined) health.lastError = stored.lastError;
    this.#saveCircuit(item.partnerId);
    this.options.log(
      outcome === 'DEAD_LETTER' ? 'error' : 'warn',
      outcome === 'DEAD_LETTER' ? 'message dead-lettered' : 'delivery failed, will retry',
      {
        messageId: item.messageId,
        partner: item.partnerId,
        error: health.lastError,
      },
    );
  }

  #circuitRecord(partnerId: string): PartnerCircuitRecord {
    const health = this.#partner(partnerId);
    const { circuit } = health;
    const openedAt = circuit.openedAt;
    return {
      partnerId,
      state: circuit.state(this.deps.clock.now().getTime()),
      consecutiveFailures: circuit.consecutiveFailures,
      openedAt: openedAt === undefined ? undefined : new Date(openedAt).toISOString(),
      probeAt: openedAt === undefined ? undefined : new Date(openedAt + circuit.policy.openMs).toISOString(),
      lastFailureAt: health.lastFailureAt,
      lastError: health.lastError,
      recordedAt: this.deps.clock.now().toISOString(),
    };
  }

  #saveCircuit(partnerId: string): void {
    const record = this.#circuitRecord(partnerId);
    this.#persist(() => this.options.circuits?.save(record));
  }

  /** Circuit records are written one after the other, in the order of the changes. */
  #persist(write: () => Promise<void> | undefined): void {
    this.#persisting = this.#persisting
      .then(write)
      .catch((error: unknown) => this.options.log('warn', 'circuit state not recorded', { error: (error as Error).message }));
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

/** A circuit changes when it opens (again), closes, or counts another failure; half-open follows from the time. */
function circuitKey(health: PartnerHealth): string {
  return `${health.circuit.consecutiveFailures}/${health.circuit.openedAt ?? 'closed'}`;
}
