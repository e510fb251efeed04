import { Pool } from 'undici';

/** What posting a set of envelopes took: seconds in all, each latency (ms, sorted) and how many answers had each status. */
export interface PostedEnvelopes {
  readonly seconds: number;
  readonly latencies: readonly number[];
  readonly statuses: ReadonlyMap<number, number>;
}

/**
 * Posts every envelope once to `POST /v1/exchange` over `connections` keep-alive connections, each waiting for its
 * answer before sending the next.
 * @example const run = await postEnvelopes(service.url, envelopes, 64); console.log(envelopes.length / run.seconds)
 */
export async function postEnvelopes(url: string, envelopes: readonly string[], connections: number): Promise<PostedEnvelopes> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let envelope = envelopes[next]; envelope !== undefined; envelope = envelopes[next]) {
        next += 1;
        const sent = performance.now();
        const answer = await pool.request({ path: '/v1/exchange', method: 'POST', headers: { 'content-type': 'application/xml' }, body: envelope });
        await answer.body.text();
        latencies.push(performance.now() - sent);
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return { seconds, latencies: latencies.sort((a, b) => a - b), statuses };
}

/**
 * The `p`th percentile of sorted values (0 when there are none).
 * @example percentile(run.latencies, 99)
 */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
