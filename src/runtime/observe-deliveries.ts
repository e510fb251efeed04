import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeliveryOutcome } from '../core/delivery/deliver-message.js';
import type { OutboxItem } from '../core/exchange/exchange-store.js';

/**
 * The delivery metrics on Node, fed by OutboxWorkerOptions.onAttempt:
 * - `swx_delivery_duration_seconds{partner,outcome}`: each attempt, from POST to the verified receipt or the failure;
 * - `swx_delivery_retries_total{partner}`: attempts that failed transiently and were scheduled again;
 * - `swx_delivery_dead_letters_total{partner}`: messages dead-lettered by this process (the standing count is
 *   `swx_outbox_messages{state="DEAD_LETTER"}`).
 * @example new OutboxWorker(deps, { ..., onAttempt: observeDeliveries(metrics.registry) })
 */
export function observeDeliveries(registry: Registry): (item: OutboxItem, outcome: DeliveryOutcome | undefined, seconds: number) => void {
  const duration = new Histogram({
    name: 'swx_delivery_duration_seconds',
    help: 'Delivery attempts to partner gateways by partner and outcome (DELIVERED, REJECTED, RETRY, DEAD_LETTER, CRASHED)',
    labelNames: ['partner', 'outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'swx_delivery_retries_total',
    help: 'Delivery attempts that failed transiently and were scheduled again, by partner',
    labelNames: ['partner'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'swx_delivery_dead_letters_total',
    help: 'Messages dead-lettered after their retry budget was spent, by partner',
    labelNames: ['partner'],
    registers: [registry],
  });
  return (item, outcome, seconds) => {
    duration.observe({ partner: item.partnerId, outcome: outcome ?? 'CRASHED' }, seconds);
    if (outcome === 'RETRY') retries.inc({ partner: item.partnerId });
    if (outcome === 'DEAD_LETTER') deadLetters.inc({ partner: item.partnerId });
  };
}
