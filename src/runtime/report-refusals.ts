import type { Refusal } from '../core/exchange/reception.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * What a refused envelope leaves behind beyond its receipt, on every runtime: `count` (the metric
 * `swx_exchange_refused_total{code,recorded}`) and, except for rate-limited ones (counted only, so a flood does not
 * flood the log), one warn line. For unauthenticated junk, which costs the ledger nothing, these are the only trace.
 * @example exchange: { ..., onRefused: reportRefusals((refusal) => metrics.countRefusal(refusal), log) }
 */
export function reportRefusals(count: (refusal: Refusal) => void, log: Log): (refusal: Refusal) => void {
  return (refusal) => {
    count(refusal);
    if (refusal.code === 'RATE_LIMITED') return;
    log('warn', 'envelope refused', {
      code: refusal.code,
      reason: refusal.reason,
      from: refusal.from,
      authenticated: refusal.authenticated,
      recorded: refusal.recorded,
      envelopeDigest: refusal.envelopeDigest,
      envelopeBytes: refusal.envelopeBytes,
      address: refusal.address,
    });
  };
}
