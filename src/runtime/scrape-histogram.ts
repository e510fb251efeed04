import type { Metric, Registry } from 'prom-client';

/** One series of a histogram read at scrape time: cumulative counts per bound, the count and the sum. */
export interface ScrapedSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly cumulative: readonly number[];
  readonly count: number;
  readonly sumSeconds: number;
}

/**
 * Registers on prom-client's registry a histogram whose buckets are read from storage at every scrape (prom-client's
 * own Histogram only counts observations made in this process). The registry renders any object with a name and a
 * `get()` returning its series; prom-client's types list only its own classes, hence the one cast.
 * @example registerScrapeHistogram(registry, { name: 'swx_declaration_clearance_seconds', help: '…', bounds: [60, 300], read: () => [] })
 */
export function registerScrapeHistogram(
  registry: Registry,
  histogram: { readonly name: string; readonly help: string; readonly bounds: readonly number[]; readonly read: () => readonly ScrapedSeries[] },
): void {
  const { name, help, bounds, read } = histogram;
  const collector = {
    name,
    help,
    get: () => {
      const values = read().flatMap((series) => [
        ...bounds.map((bound, index) => ({
          metricName: `${name}_bucket`,
          labels: { ...series.labels, le: bound },
          value: series.cumulative[index] ?? 0,
        })),
        { metricName: `${name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count },
        { metricName: `${name}_sum`, labels: series.labels, value: series.sumSeconds },
        { metricName: `${name}_count`, labels: series.labels, value: series.count },
      ]);
      return Promise.resolve({ name, help, type: 'histogram', aggregator: 'sum', values });
    },
  };
  registry.registerMetric(collector as unknown as Metric);
}
