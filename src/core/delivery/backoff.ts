/**
 * Exponential backoff with full jitter: a delay drawn uniformly from [0, min(max, base * 2^attempt)).
 * Full jitter spreads retries of many messages to one partner instead of hammering it in waves
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * @example nextDelayMs(3, { baseDelayMs: 500, maxDelayMs: 60_000 }, Math.random)
 */
export function nextDelayMs(attempt: number, policy: { readonly baseDelayMs: number; readonly maxDelayMs: number }, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
