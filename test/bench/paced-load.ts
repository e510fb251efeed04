import { Pool } from 'undici';

export interface PacedLoadOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Requests a second, sent at even intervals whatever the answers. */
  readonly rate: number;
  readonly seconds: number;
  /** Connections the client may open; requests beyond them wait for one, and that wait counts in their latency. */
  readonly connections?: number;
}

export interface PacedLoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  /** 2xx answers a second, from the first request's due time to the last answer. */
  readonly achieved: number;
  /** Milliseconds from each request's due time to its whole answer, over the 2xx ones. */
  readonly latency: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
}

/**
 * An open-loop load: POSTs `body` at `rate` a second, each request due at its own time (start + i / rate), sent then
 * whether or not earlier ones were answered, its latency measured from when it was due, so that a server that falls
 * behind shows its queue in the figures (no coordinated omission). autocannon's `overallRate` is not this: each
 * connection sends its quota for a second back to back when the second starts, so a "paced" load arrives as one burst a
 * second, and its histogram adds synthetic samples at a 1 ms interval (`Math.ceil(1 / rate)`) for every slow answer.
 * @example const result = await pacedLoad({ url: `${swx}/v1/declarations`, headers, body, rate: 1000, seconds: 10 })
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections ?? 256, pipelining: 1 });
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let lastAnswer = 0;
  const start = performance.now() + 20;
  const dueAt = (index: number) => start + (index * 1000) / options.rate;
  try {
    await new Promise<void>((finished) => {
      let next = 0;
      let settled = 0;
      const settle = () => {
        settled += 1;
        if (settled === total) finished();
      };
      const send = (index: number) => {
        const due = dueAt(index);
        pool
          .request({ path: target.pathname, method: 'POST', headers: options.headers, body: options.body })
          .then(async (response) => {
            await response.body.text();
            lastAnswer = performance.now();
            if (response.statusCode >= 200 && response.statusCode < 300) latencies.push(lastAnswer - due);
            else non2xx += 1;
          })
          .catch(() => {
            errors += 1;
          })
          .finally(settle);
      };
      const tick = () => {
        const now = performance.now();
        while (next < total && dueAt(next) <= now) send(next++);
        if (next < total) setTimeout(tick, Math.max(0, Math.min(1, dueAt(next) - now)));
      };
      setTimeout(tick, 20);
    });
  } finally {
    await pool.close();
  }
  latencies.sort((a, b) => a - b);
  const at = (quantile: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] ?? Number.NaN);
  return {
    sent: total,
    ok: latencies.length,
    non2xx,
    errors,
    achieved: latencies.length / ((lastAnswer - start) / 1000),
    latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(latencies.at(-1) ?? Number.NaN) },
  };
}
