import { Counter, type Registry } from 'prom-client';
import type { Refusal } from '../core/exchange/reception.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * What a refused envelope leaves behind beyond its receipt: `swx_exchange_refused_total{code,recorded}` and, except
 * for rate-limited ones (counted only, so a flood does not flood the log), one warn line. For unauthenticated junk,
 * which costs the ledger nothing, these are the only trace.
 * @example exchange: { ..., onRefused: observeRefusals(metrics.registry, log) }
 */
export function observeRefusals(registry: Registry, log: Log): (refusal: Refusal) => void {
  const refused = new Counter({
    name: 'swx_exchange_refused_total',
    help: 'Envelopes refused on POST /v1/exchange, by code and whether the ledger recorded them',
    labelNames: ['code', 'recorded'],
    registers: [registry],
  });
  return (refusal) => {
    refused.inc({ code: refusal.code, recorded: String(refusal.recorded) });
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
