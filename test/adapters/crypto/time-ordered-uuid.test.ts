import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedUuid } from '../../../src/adapters/crypto/time-ordered-uuid.js';

const VERSION_7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('is a UUID version 7 whose first 48 bits are the time in milliseconds', () => {
    const id = timeOrderedUuid(Date.parse('2026-12-05T03:40:00.123Z'));
    expect(id).toMatch(VERSION_7);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(new Date(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toISOString()).toBe('2026-12-05T03:40:00.123Z');
  });

  it('sorts ids made in later milliseconds after earlier ones, and never repeats one', () => {
    const start = Date.now();
    const ids = Array.from({ length: 2000 }, (_, index) => timeOrderedUuid(start + Math.floor(index / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let index = 100; index < ids.length; index += 100) {
      expect((ids[index - 1] ?? '') < (ids[index] ?? '')).toBe(true);
    }
    expect(ids.every((id) => VERSION_7.test(id))).toBe(true);
  });
});
