import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../../core/primitives.js';

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
      name: 'swx_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
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
