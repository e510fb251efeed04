/** A partner's circuit: closed (deliver), open (wait), half-open (one probe decides). */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitPolicy {
  readonly failureThreshold: number;
  readonly openMs: number;
}

/**
 * One circuit per partner gateway. After `failureThreshold` consecutive failures it opens, refusing
 * deliveries for `openMs`; then it lets one probe through (half-open): success closes it, failure re-opens it.
 * @example if (circuit.allows(now)) { ...; circuit.record(ok, now) }
 */
export class CircuitBreaker {
  #state: CircuitState = 'CLOSED';
  #failures = 0;
  #openedAt = 0;
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

  /** Whether a delivery may start now; in half-open, only one probe at a time. */
  allows(now: number): boolean {
    const state = this.state(now);
    if (state === 'CLOSED') return true;
    if (state === 'OPEN' || this.#probing) return false;
    this.#state = 'HALF_OPEN';
    this.#probing = true;
    return true;
  }

  record(success: boolean, now: number): void {
    this.#probing = false;
    if (success) {
      this.#state = 'CLOSED';
      this.#failures = 0;
      return;
    }
    this.#failures += 1;
    if (this.#state === 'HALF_OPEN' || this.#failures >= this.policy.failureThreshold) {
      this.#state = 'OPEN';
      this.#openedAt = now;
    }
  }
}
