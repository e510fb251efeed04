/** A partner's circuit: closed (deliver), open (wait), half-open (one probe decides). */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitPolicy {
  readonly failureThreshold: number;
  readonly openMs: number;
}

/**
 * Leave to send one request, from `admit`; its outcome is reported with `record`. `period` is the circuit's
 * period when it was admitted: a new period starts each time the circuit opens.
 */
export interface CircuitTicket {
  readonly period: number;
  readonly probe: boolean;
}

/**
 * One circuit per partner gateway. After `failureThreshold` consecutive failures it opens, refusing
 * deliveries for `openMs`; then it lets one probe through (half-open): success closes it, failure re-opens it.
 * Outcomes of requests admitted before it last opened are ignored: a window of requests in flight when the
 * partner went down neither counts beyond the threshold nor pushes the probe back.
 * @example const ticket = circuit.admit(now); if (ticket) { ...; circuit.record(ticket, ok, now) }
 */
export class CircuitBreaker {
  #state: CircuitState = 'CLOSED';
  #failures = 0;
  #openedAt = 0;
  #period = 0;
  #probing = false;

  constructor(readonly policy: CircuitPolicy) {}

  state(now: number): CircuitState {
    if (this.#state === 'OPEN' && now - this.#openedAt >= this.policy.openMs) return 'HALF_OPEN';
    return this.#state;
  }

  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** When it last opened (epoch ms), or undefined while closed. */
  get openedAt(): number | undefined {
    return this.#state === 'CLOSED' ? undefined : this.#openedAt;
  }

  /** Whether `admit` would let a request through now (without taking the half-open probe). */
  admits(now: number): boolean {
    const state = this.state(now);
    return state === 'CLOSED' || (state === 'HALF_OPEN' && !this.#probing);
  }

  /** Leave to send one request now, or undefined: open, or half-open with its one probe already out. */
  admit(now: number): CircuitTicket | undefined {
    if (!this.admits(now)) return undefined;
    if (this.#state === 'CLOSED') return { period: this.#period, probe: false };
    this.#state = 'HALF_OPEN';
    this.#probing = true;
    return { period: this.#period, probe: true };
  }

  /** Gives back leave that was never used (the request was not sent): frees the half-open probe, counts nothing. */
  release(ticket: CircuitTicket): void {
    if (ticket.probe && ticket.period === this.#period) this.#probing = false;
  }

  /** Reports how an admitted request ended; only requests of the current period change the circuit. */
  record(ticket: CircuitTicket, success: boolean, now: number): void {
    if (ticket.period !== this.#period) return;
    if (ticket.probe) this.#probing = false;
    if (success) {
      this.#state = 'CLOSED';
      this.#failures = 0;
      return;
    }
    this.#failures = Math.min(this.#failures + 1, this.policy.failureThreshold);
    if (ticket.probe || this.#failures >= this.policy.failureThreshold) {
      this.#state = 'OPEN';
      this.#openedAt = now;
      this.#period += 1;
    }
  }
}
