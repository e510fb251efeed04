import { describe, expect, it } from 'vitest';
import { nextDelayMs } from '../../../src/core/delivery/backoff.js';

describe('nextDelayMs', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 5_000 };

  it('draws from [0, base * 2^attempt) with full jitter', () => {
    expect(nextDelayMs(3, policy, () => 0)).toBe(0);
    expect(nextDelayMs(3, policy, () => 0.5)).toBe(400);
    expect(nextDelayMs(3, policy, () => 0.999999)).toBe(799);
  });

  it('never exceeds the maximum delay, however many attempts', () => {
    expect(nextDelayMs(10, policy, () => 0.999999)).toBeLessThan(5_000);
    expect(nextDelayMs(1_000, policy, () => 0.999999)).toBeLessThan(5_000);
  });
});
