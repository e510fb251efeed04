import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../../core/primitives.js';
import { HTTP_REQUEST_DURATION } from './swx-metrics.js';

/**
 * Metrics kept by prom-client: process defaults plus HTTP request durations. Other adapters
 * register their own collectors on `registry`.
 * @example
 * const metrics: Metrics = new PromClientMetrics()
 * new Gauge({ name: 'swx_outbox_pending', help: '…', registers: [metrics.registry] })
 */
export class PromClientMetrics implements Metrics {
  readonly registry = new Registry();
  readonly #httpRequests: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.#httpRequests = new Histogram({
      name: HTTP_REQUEST_DURATION.name,
      help: HTTP_REQUEST_DURATION.help,
      labelNames: ['method', 'route', 'status'],
      buckets: [...HTTP_REQUEST_DURATION.buckets],
      registers: [this.registry],
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  observeHttpRequest(sample: { method: string; route: string; status: number; seconds: number }): void {
    this.#httpRequests.observe({ method: sample.method, route: sample.route, status: String(sample.status) }, sample.seconds);
  }
}
