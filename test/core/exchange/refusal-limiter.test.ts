import { describe, expect, it } from 'vitest';
import { RefusalLimiter } from '../../../src/core/exchange/refusal-limiter.js';

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-11-20T07:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('RefusalLimiter', () => {
  describe('within one key', () => {
    it('lets `burst` refusals through, then throttles with the seconds until the next token', () => {
      const clock = manualClock();
      const limiter = new RefusalLimiter({ perMinute: 6, burst: 3, maxKeys: 100 }, clock);
      expect([limiter.take(['a']), limiter.take(['a']), limiter.take(['a'])]).toEqual([undefined, undefined, undefined]);
      expect(limiter.take(['a'])).toBe(10);
      expect(limiter.retryAfter('a')).toBe(10);
      clock.advance(4_000);
      expect(limiter.retryAfter('a')).toBe(6);
      clock.advance(6_000);
      expect(limiter.retryAfter('a')).toBeUndefined();
      expect(limiter.take(['a'])).toBeUndefined();
      expect(limiter.take(['a'])).toBe(10);
    });

    it('never answers less than one second', () => {
      const limiter = new RefusalLimiter({ perMinute: 6_000, burst: 1, maxKeys: 100 }, manualClock());
      limiter.take(['a']);
      expect(limiter.take(['a'])).toBe(1);
    });
  });

  describe('over several keys', () => {
    it('takes nothing from any key when one of them is exhausted', () => {
      const clock = manualClock();
      const limiter = new RefusalLimiter({ perMinute: 60, burst: 1, maxKeys: 100 }, clock);
      expect(limiter.take(['address:x', 'claimed:TH'])).toBeUndefined();
      expect(limiter.take(['address:y', 'claimed:TH'])).toBe(1);
      expect(limiter.retryAfter('address:y')).toBeUndefined();
      expect(limiter.take(['address:y', 'claimed:SG'])).toBeUndefined();
    });

    it('keeps keys apart: one exhausted key throttles no other', () => {
      const limiter = new RefusalLimiter({ perMinute: 1, burst: 2, maxKeys: 100 }, manualClock());
      limiter.take(['a']);
      limiter.take(['a']);
      expect(limiter.retryAfter('a')).toBe(60);
      expect(limiter.retryAfter('b')).toBeUndefined();
    });
  });

  describe('memory', () => {
    it('tracks at most maxKeys keys, dropping the least recently refused', () => {
      const limiter = new RefusalLimiter({ perMinute: 1, burst: 1, maxKeys: 1_000 }, manualClock());
      for (let i = 0; i < 50_000; i += 1) limiter.take([`address:${i}`]);
      expect(limiter.size).toBe(1_000);
      expect(limiter.retryAfter('address:49999')).toBe(60);
      expect(limiter.retryAfter('address:0')).toBeUndefined();
    });

    it('forgets keys whose bucket has refilled', () => {
      const clock = manualClock();
      const limiter = new RefusalLimiter({ perMinute: 60, burst: 5, maxKeys: 1_000 }, clock);
      for (let i = 0; i < 100; i += 1) limiter.take([`address:${i}`]);
      clock.advance(60_000);
      limiter.take(['address:new']);
      expect(limiter.size).toBe(1);
    });
  });
});
