import type { CircuitState } from './circuit-breaker.js';

/** What the delivering process knows of one partner right now (in memory: circuit, last outcomes). */
export interface DeliveryHealth {
  readonly circuit: CircuitState;
  readonly consecutiveFailures: number;
  readonly lastSuccessAt: string | undefined;
  readonly lastFailureAt: string | undefined;
  readonly lastError: string | undefined;
  readonly inFlight: number;
}
