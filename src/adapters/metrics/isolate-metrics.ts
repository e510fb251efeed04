import type { Metrics } from '../../core/primitives.js';
import { EXCHANGE_REFUSED, HTTP_REQUEST_DURATION, SIGNATURE_FAILURE_CODES, SIGNATURE_FAILURES } from './swx-metrics.js';

const INFO = { name: 'swx_worker_isolate_start_time_seconds', help: 'When this Workers isolate began counting, in Unix seconds' };

/**
 * swx's metrics on Workers, kept in the memory of one isolate and rendered in the Prometheus text format (0.0.4):
 * `swx_http_request_duration_seconds` (histogram by method, route pattern and status, the buckets of the Node
 * service), `swx_exchange_refused_total` (by code and recorded) and `swx_signature_verification_failures_total` (by
 * reason), the same names as on Node, without Node's process metrics (an isolate has no process to describe) and
 * without the gauges Node reads from its database at scrape time (README, "Metrics").
 * What it measures, and its limits:
 * - only the requests this isolate served, since it started: Cloudflare runs many isolates and evicts them at will,
 *   and `GET /metrics` answers from whichever one receives it. Every series carries an `isolate` label (a random
 *   id) and `swx_worker_isolate_start_time_seconds` tells when it began, so that a scraper never mistakes one
 *   isolate's counts for another's reset; fleet totals come from Workers Analytics, not from here;
 * - durations are what the Worker's clock sees, which on Workers advances only across I/O: they measure waiting on
 *   the Durable Object, fetches and the body, not CPU time;
 * - memory grows with the label sets seen (routes × methods × statuses, refusal codes), all bounded.
 * @example const metrics = new IsolateMetrics(crypto.randomUUID(), () => Date.now()); metrics.countRefusal({ code: 'SIGNATURE_INVALID', recorded: false })
 */
export class IsolateMetrics implements Metrics {
  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  readonly #isolate: string;
  readonly #startedSeconds: number;
  readonly #requests = new Map<string, { labels: string; buckets: number[]; sum: number; count: number }>();
  readonly #refused = new Map<string, { labels: string; count: number }>();
  readonly #signatureFailures = new Map<string, { labels: string; count: number }>();

  constructor(isolate: string, now: () => number) {
    this.#isolate = isolate;
    this.#startedSeconds = now() / 1000;
  }

  observeHttpRequest(sample: { method: string; route: string; status: number; seconds: number }): void {
    const labels = this.#labels({ method: sample.method, route: sample.route, status: String(sample.status) });
    let series = this.#requests.get(labels);
    if (series === undefined) {
      series = { labels, buckets: HTTP_REQUEST_DURATION.buckets.map(() => 0), sum: 0, count: 0 };
      this.#requests.set(labels, series);
    }
    HTTP_REQUEST_DURATION.buckets.forEach((bound, index) => {
      if (sample.seconds <= bound) series.buckets[index] = (series.buckets[index] ?? 0) + 1;
    });
    series.sum += sample.seconds;
    series.count += 1;
  }

  /** Counts one envelope refused on POST /v1/exchange (the counter reportRefusals feeds). */
  countRefusal(refusal: { readonly code: string; readonly recorded: boolean }): void {
    count(this.#refused, this.#labels({ code: refusal.code, recorded: String(refusal.recorded) }));
    if (SIGNATURE_FAILURE_CODES.has(refusal.code)) count(this.#signatureFailures, this.#labels({ reason: refusal.code }));
  }

  render(): Promise<string> {
    const own = this.#labels({});
    const lines = [`# HELP ${INFO.name} ${INFO.help}`, `# TYPE ${INFO.name} gauge`, `${INFO.name}{${own}} ${this.#startedSeconds}`];
    const { name, help, buckets } = HTTP_REQUEST_DURATION;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    for (const series of this.#requests.values()) {
      buckets.forEach((bound, index) => {
        lines.push(`${name}_bucket{le="${bound}",${series.labels}} ${series.buckets[index] ?? 0}`);
      });
      lines.push(`${name}_bucket{le="+Inf",${series.labels}} ${series.count}`);
      lines.push(`${name}_sum{${series.labels}} ${series.sum}`, `${name}_count{${series.labels}} ${series.count}`);
    }
    lines.push(`# HELP ${EXCHANGE_REFUSED.name} ${EXCHANGE_REFUSED.help}`, `# TYPE ${EXCHANGE_REFUSED.name} counter`);
    for (const series of this.#refused.values()) lines.push(`${EXCHANGE_REFUSED.name}{${series.labels}} ${series.count}`);
    lines.push(`# HELP ${SIGNATURE_FAILURES.name} ${SIGNATURE_FAILURES.help}`, `# TYPE ${SIGNATURE_FAILURES.name} counter`);
    for (const series of this.#signatureFailures.values()) lines.push(`${SIGNATURE_FAILURES.name}{${series.labels}} ${series.count}`);
    return Promise.resolve(`${lines.join('\n')}\n`);
  }

  #labels(values: Readonly<Record<string, string>>): string {
    return Object.entries({ ...values, isolate: this.#isolate })
      .map(([label, value]) => `${label}="${escapeLabelValue(value)}"`)
      .join(',');
  }
}

function count(counters: Map<string, { labels: string; count: number }>, labels: string): void {
  const series = counters.get(labels);
  if (series === undefined) counters.set(labels, { labels, count: 1 });
  else series.count += 1;
}

// Prometheus text format: label values escape backslash, double quote and line feed.
function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
