import type { Clock } from '../primitives.js';

/** How many refusals a key may cause: `burst` at once, refilled at `perMinute`; at most `maxKeys` keys are tracked. */
export interface RefusalLimits {
  readonly perMinute: number;
  readonly burst: number;
  readonly maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Keys tracked when the runtime does not say: a few hundred kilobytes at most. */
export const DEFAULT_MAX_REFUSAL_KEYS = 10_000;

/**
 * Token buckets of refused traffic, keyed by string (`address:203.0.113.9`, `partner:TH`, `claimed:unknown`): each
 * refusal takes a token, tokens come back at `perMinute`, and a key with no token left is throttled until one
 * comes back. Accepted traffic never takes a token, so a partner sending valid envelopes is never throttled.
 * Memory is bounded: a bucket that has refilled is forgotten (it is the same as no bucket), the least recently
 * used keys are dropped beyond `maxKeys`.
 * @example
 * const refusals = new RefusalLimiter({ perMinute: 60, burst: 60, maxKeys: 10_000 }, clock)
 * const wait = refusals.take(['address:203.0.113.9', 'claimed:TH']) // undefined, or seconds to wait
 */
export class RefusalLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limits: RefusalLimits;
  readonly #clock: Clock;

  constructor(limits: RefusalLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  /** Seconds until `key` may cause another refusal; undefined when it may now. Takes nothing. */
  retryAfter(key: string): number | undefined {
    const bucket = this.#refill(key, this.#clock.now().getTime());
    return bucket === undefined || bucket.tokens >= 1 ? undefined : this.#secondsToNextToken(bucket);
  }

  /**
   * Counts one refusal against every key, unless one of them has no token left: then nothing is taken and
   * the answer is the seconds until all of them have one.
   */
  take(keys: readonly string[]): number | undefined {
    const now = this.#clock.now().getTime();
    const buckets = keys.map((key) => this.#refill(key, now) ?? { tokens: this.#limits.burst, at: now });
    const waits = buckets.filter((bucket) => bucket.tokens < 1).map((bucket) => this.#secondsToNextToken(bucket));
    if (waits.length > 0) return Math.max(...waits);
    keys.forEach((key, index) => {
      const bucket = buckets[index] as Bucket;
      bucket.tokens -= 1;
      this.#buckets.delete(key);
      this.#buckets.set(key, bucket);
    });
    this.#evict(now);
    return undefined;
  }

  /** Keys currently tracked (for tests of the memory bound). */
  get size(): number {
    return this.#buckets.size;
  }

  #refill(key: string, now: number): Bucket | undefined {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return undefined;
    bucket.tokens = Math.min(this.#limits.burst, bucket.tokens + ((now - bucket.at) * this.#limits.perMinute) / 60_000);
    bucket.at = now;
    return bucket;
  }

  #secondsToNextToken(bucket: Bucket): number {
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.#limits.perMinute));
  }

  /** Drops the oldest keys while over the bound, and any refilled ones found first in line (amortised O(1)). */
  #evict(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      const full = bucket.tokens + ((now - bucket.at) * this.#limits.perMinute) / 60_000 >= this.#limits.burst;
      if (!full && this.#buckets.size <= this.#limits.maxKeys) return;
      this.#buckets.delete(key);
    }
  }
}
