import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../../src/core/report/period.js';
import { thrownCoreError } from '../../helpers/core-error.js';

describe('parsePeriod', () => {
  it('reads dates as whole UTC days, both included', () => {
    expect(parsePeriod({ from: '2026-11-01', to: '2026-11-30' }, true)).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      until: '2026-12-01T00:00:00.000Z',
    });
    expect(parsePeriod({ from: '2026-11-21', to: '2026-11-21' }, true)).toEqual({
      from: '2026-11-21T00:00:00.000Z',
      until: '2026-11-22T00:00:00.000Z',
    });
  });

  it('reads date-times with their offset, the end included to the millisecond', () => {
    expect(parsePeriod({ from: '2026-11-21T00:00:00+07:00', to: '2026-11-21T23:59:59.999+07:00' }, true)).toEqual({
      from: '2026-11-20T17:00:00.000Z',
      until: '2026-11-21T17:00:00.000Z',
    });
  });

  it('leaves a missing end open unless required', () => {
    expect(parsePeriod({ from: '2026-11-21' })).toEqual({ from: '2026-11-21T00:00:00.000Z' });
    expect(parsePeriod({})).toEqual({});
    const error = thrownCoreError(() => parsePeriod({ from: '2026-11-21' }, true));
    expect(error.code).toBe('PERIOD_INVALID');
    expect(error.issues.map((issue) => issue.pointer)).toEqual(['/to']);
  });

  describe('when a bound is not an ISO 8601 date or date-time with offset', () => {
    for (const text of ['21/11/2026', '2026-11-31', '2026-02-29', '2026-11-21T10:00', 'yesterday', '2026-13-01', '2026-11-21T25:00:00Z']) {
      it(`refuses "${text}"`, () => {
        const error = thrownCoreError(() => parsePeriod({ from: text, to: '2027-01-01' }, true));
        expect(error.code).toBe('PERIOD_INVALID');
        expect(error.issues.map((issue) => issue.pointer)).toEqual(['/from']);
      });
    }
  });

  it('refuses a from after to, naming to', () => {
    const error = thrownCoreError(() => parsePeriod({ from: '2026-11-22', to: '2026-11-21' }, true));
    expect(error.code).toBe('PERIOD_INVALID');
    expect(error.issues).toEqual([{ pointer: '/to', detail: 'query string: must not be before from' }]);
  });
});
