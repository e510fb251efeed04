import type { ExchangeStore, OutboxItem } from '../exchange/exchange-store.js';
import type { GatewayPartner, PartnerDirectory } from '../partner.js';
import type { Clock } from '../primitives.js';
import { CircuitBreaker, type CircuitTicket } from './circuit-breaker.js';
import { deadLetterOverdue } from './dead-letter-overdue.js';
import type { DeliveryHealth } from './delivery-health.js';
import { type DeliveryOutcome, requestIdOf } from './deliver-message.js';
import type { PartnerCircuitLog, PartnerCircuitRecord } from './partner-circuit-log.js';

/** Overdue messages dead-lettered per partner and dispatch; the rest follow at the next ones. */
const OVERDUE_BATCH = 500;

/** Where the dispatcher says what it did: circuits opening, dead letters, failures. */
export type DeliveryLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface DeliveryDispatcherOptions {
  /** The most messages in flight to one partner at a time (each partner's window). */
  readonly window: number;
  readonly log: DeliveryLog;
  /** Where each circuit change is recorded for other processes (`swx partners list`); none by default. */
  readonly circuits?: PartnerCircuitLog;
  /**
   * How long a dispatched message may stay unsettled before it counts as a crashed delivery (a circuit failure) and
   * is due again. Unbounded by default: in-process deliveries always settle. Deliveries handed to a queue may be
   * lost with their consumer, so give it more than the queue's wait plus every consumer retry's connect and response time.
   */
  readonly leaseMs?: number;
}

interface PartnerHealth {
  readonly circuit: CircuitBreaker;
  lastSuccessAt?: string;
  lastFailureAt?: string;
  lastError?: string;
  inFlight: number;
}

interface Dispatched {
  readonly item: OutboxItem;
  readonly ticket: CircuitTicket;
  readonly health: PartnerHealth;
  readonly at: number;
}

/**
 * Decides which due outbox messages are delivered now, fairly: one circuit and one window per partner gateway, so a
 * partner whose circuit is open, or whose window is full, never delays another; its waiting messages are
 * dead-lettered once their retry budget in time is spent. A dispatched message is in flight until `settle` (it was
 * attempted) or `release` (it was not): it is never dispatched twice meanwhile. Whoever delivers (the Node outbox
 * worker in process, the Workers queue consumer) reports back here.
 * @example const dispatcher = new DeliveryDispatcher(deps, { window: 64, log }); dispatcher.start(); for (const item of await dispatcher.dispatch()) ...
 */
export class DeliveryDispatcher {
  readonly #dispatched = new Map<string, Dispatched>();
  readonly #health = new Map<string, PartnerHealth>();
  #gateways: readonly GatewayPartner[] = [];
  #persisting: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { readonly store: ExchangeStore; readonly partners: PartnerDirectory; readonly clock: Clock },
    private readonly options: DeliveryDispatcherOptions,
  ) {}

  /** Reads the partner gateways and records every circuit closed. */
  start(): void {
    this.#gateways = this.deps.partners.list().filter((partner): partner is GatewayPartner => partner.kind === 'gateway');
    this.#persist(() => this.options.circuits?.reset(this.#gateways.map((partner) => this.#circuitRecord(partner.id))));
  }

  /** Waits for the circuit records, then records none as current: the circuits lived in this process. */
  async stop(): Promise<void> {
    await this.#persisting;
    this.#persist(() => this.options.circuits?.reset([]));
    await this.#persisting;
  }

  /** How many dispatched messages are not settled yet. */
  get inFlight(): number {
    return this.#dispatched.size;
  }

  /**
   * The due messages to deliver now, each admitted by its partner's circuit and window and in flight from here on.
   * Messages whose lease ran out count as crashed first, and each partner's overdue messages behind an open circuit
   * are dead-lettered.
   */
  async dispatch(): Promise<readonly OutboxItem[]> {
    await this.#expireLeases();
    const launched: OutboxItem[] = [];
    for (const partner of this.#gateways) {
      try {
        await this.#dispatchPartner(partner, launched);
      } catch (error) {
        this.options.log('error', 'outbox poll failed', { partner: partner.id, error: (error as Error).message });
      }
    }
    return launched;
  }

  /**
   * Records how a dispatched delivery ended (`undefined`: it crashed, a failure for the circuit) and frees its place.
   * Answers whether its partner's window just became half free, so that dispatching again now fills it. Never throws.
   */
  async settle(messageId: string, outcome: DeliveryOutcome | undefined): Promise<boolean> {
    const dispatched = this.#dispatched.get(messageId);
    if (!dispatched) return false;
    try {
      await this.#record(dispatched, outcome);
    } catch (error) {
      this.options.log('error', 'delivery outcome not recorded', {
        messageId,
        requestId: requestIdOf(dispatched.item),
        error: (error as Error).message,
      });
    }
    return this.#free(dispatched);
  }

  /** Frees a dispatched message that was not attempted (no longer due, or never handed over); its circuit is unchanged. */
  async release(messageId: string): Promise<boolean> {
    const dispatched = this.#dispatched.get(messageId);
    if (!dispatched) return false;
    dispatched.health.circuit.release(dispatched.ticket);
    return this.#free(dispatched);
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

  /** Reads one partner's window of due messages, unless its circuit is open or its window full. */
  async #dispatchPartner(partner: GatewayPartner, launched: OutboxItem[]): Promise<void> {
    const health = this.#partner(partner.id);
    if (health.circuit.state(this.deps.clock.now().getTime()) !== 'CLOSED') await this.#deadLetterOverdue(partner, health);
    const now = this.deps.clock.now().getTime();
    // At most `window` messages in flight per partner: a backlog waits in the database, not in memory.
    if (health.inFlight >= this.options.window || !health.circuit.admits(now)) return;
    // The window holds the partner's messages in flight too (still PENDING): skipped below.
    const due = await this.deps.store.dueOutbox(partner.id, now, this.options.window);
    for (const item of due) {
      if (health.inFlight >= this.options.window) return;
      if (this.#dispatched.has(item.messageId)) continue;
      const ticket = health.circuit.admit(now);
      if (!ticket) return;
      this.#dispatched.set(item.messageId, { item, ticket, health, at: now });
      health.inFlight += 1;
      launched.push(item);
    }
  }

  async #expireLeases(): Promise<void> {
    const { leaseMs } = this.options;
    if (leaseMs === undefined) return;
    const expiredBy = this.deps.clock.now().getTime() - leaseMs;
    for (const [messageId, dispatched] of this.#dispatched) {
      if (dispatched.at > expiredBy) continue;
      this.options.log('error', 'delivery not settled in time: counted as crashed, due again', {
        messageId,
        requestId: requestIdOf(dispatched.item),
        partner: dispatched.item.partnerId,
        leaseMs,
      });
      await this.settle(messageId, undefined);
    }
  }

  async #deadLetterOverdue(partner: GatewayPartner, health: PartnerHealth): Promise<void> {
    const options = { skip: new Set(this.#dispatched.keys()), partnerError: health.lastError, limit: OVERDUE_BATCH };
    const messageIds = await deadLetterOverdue(this.deps, partner, options);
    if (messageIds.length === 0) return;
    this.options.log('error', 'messages dead-lettered: retry budget spent while the circuit is open', {
      partner: partner.id,
      count: messageIds.length,
      maxDurationMs: partner.retry.maxDurationMs,
    });
  }

  /** `outcome` is undefined when the delivery crashed: a failure for the circuit (it frees a half-open probe). */
  async #record({ item, health, ticket }: Dispatched, outcome: DeliveryOutcome | undefined): Promise<void> {
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
      if (outcome === 'REJECTED') {
        this.options.log('warn', 'partner rejected message', { messageId: item.messageId, requestId: requestIdOf(item), partner: item.partnerId });
      }
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
        requestId: requestIdOf(item),
        partner: item.partnerId,
        error: health.lastError,
      },
    );
  }

  /** Frees a place in the partner's window; true when that leaves it exactly half full. */
  #free({ item, health }: Dispatched): boolean {
    this.#dispatched.delete(item.messageId);
    health.inFlight -= 1;
    return health.inFlight === Math.floor(this.options.window / 2);
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
