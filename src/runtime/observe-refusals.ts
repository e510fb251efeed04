import { Counter, type Registry } from 'prom-client';
import { EXCHANGE_REFUSED, SIGNATURE_FAILURES, SIGNATURE_FAILURE_CODES } from '../adapters/metrics/swx-metrics.js';
import type { Refusal } from '../core/exchange/reception.js';
import { reportRefusals } from './report-refusals.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * reportRefusals on Node: the counters `swx_exchange_refused_total{code,recorded}` and
 * `swx_signature_verification_failures_total{reason}` (refusals whose code is a signature or certificate failure)
 * are registered on prom-client's `registry`; `also` is told of each refusal too (the inbound envelope count).
 * @example exchange: { ..., onRefused: observeRefusals(metrics.registry, log) }
 */
export function observeRefusals(registry: Registry, log: Log, also: (refusal: Refusal) => void = () => {}): (refusal: Refusal) => void {
  const refused = new Counter({ ...EXCHANGE_REFUSED, labelNames: ['code', 'recorded'], registers: [registry] });
  const signatures = new Counter({ ...SIGNATURE_FAILURES, labelNames: ['reason'], registers: [registry] });
  return reportRefusals((refusal) => {
    refused.inc({ code: refusal.code, recorded: String(refusal.recorded) });
    if (SIGNATURE_FAILURE_CODES.has(refusal.code)) signatures.inc({ reason: refusal.code });
    also(refusal);
  }, log);
}
