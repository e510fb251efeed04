import { Counter, type Registry } from 'prom-client';
import { EXCHANGE_REFUSED } from '../adapters/metrics/swx-metrics.js';
import type { Refusal } from '../core/exchange/reception.js';
import { reportRefusals } from './report-refusals.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * reportRefusals on Node: the counter `swx_exchange_refused_total{code,recorded}` is registered on prom-client's
 * `registry`.
 * @example exchange: { ..., onRefused: observeRefusals(metrics.registry, log) }
 */
export function observeRefusals(registry: Registry, log: Log): (refusal: Refusal) => void {
  const refused = new Counter({ ...EXCHANGE_REFUSED, labelNames: ['code', 'recorded'], registers: [registry] });
  return reportRefusals((refusal) => refused.inc({ code: refusal.code, recorded: String(refusal.recorded) }), log);
}
