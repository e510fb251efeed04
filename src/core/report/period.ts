import { CoreError, type FieldIssue } from '../errors.js';

/** A time period as stored timestamps compare: ISO 8601 UTC with milliseconds, `from` included, `until` excluded. */
export interface Period {
  readonly from: string;
  readonly until: string;
}

/** The `from` and `to` query parameters as received. */
export interface PeriodQuery {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Reads `from` and `to` query parameters: each an ISO 8601 date (a whole UTC day) or a date-time with its offset,
 * both ends included, `from` not after `to`. Throws PERIOD_INVALID (400) naming each bad parameter.
 * A missing end is open unless `required`.
 * @example parsePeriod({ from: '2026-11-01', to: '2026-11-30' }) // { from: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' }
 */
export function parsePeriod(query: PeriodQuery, required: true): Period;
export function parsePeriod(query: PeriodQuery, required?: false): Partial<Period>;
export function parsePeriod(query: PeriodQuery, required = false): Partial<Period> {
  const issues: FieldIssue[] = [];
  const read = (name: 'from' | 'to'): number | undefined => {
    const text = query[name];
    if (text === undefined || text === '') {
      if (required) issues.push({ pointer: `/${name}`, detail: 'query string: required' });
      return undefined;
    }
    const instant = instantOf(text, name === 'to');
    if (instant === undefined)
      issues.push({
        pointer: `/${name}`,
        detail: `query string: "${text}" is not an ISO 8601 date (2026-11-21) or date-time with offset (2026-11-21T08:00:00+07:00)`,
      });
    return instant;
  };
  const from = read('from');
  const until = read('to');
  if (from !== undefined && until !== undefined && from >= until) {
    issues.push({ pointer: '/to', detail: 'query string: must not be before from' });
  }
  if (issues.length > 0)
    throw new CoreError(
      'PERIOD_INVALID',
      issues.map((issue) => `${issue.pointer.slice(1)}: ${issue.detail.replace('query string: ', '')}`).join('; '),
      { issues },
    );
  return {
    ...(from === undefined ? {} : { from: new Date(from).toISOString() }),
    ...(until === undefined ? {} : { until: new Date(until).toISOString() }),
  };
}

/** Epoch ms of the start of a date-time or date; for an end, just after it (so it is included). */
function instantOf(text: string, end: boolean): number | undefined {
  const date = DATE.exec(text);
  if (date) {
    const [, year, month, day] = date.map(Number) as [number, number, number, number];
    const start = Date.UTC(year, month - 1, day);
    // Date.UTC rolls 2026-02-30 over into March: such a date does not exist.
    if (new Date(start).getUTCDate() !== day || new Date(start).getUTCMonth() !== month - 1) return undefined;
    return end ? start + DAY_MS : start;
  }
  if (!DATE_TIME.test(text)) return undefined;
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) return undefined;
  return end ? instant + 1 : instant;
}
