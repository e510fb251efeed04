import { z } from 'zod';
import type { Channel } from '../declaration/declaration.js';
import type { Period } from './period.js';

/**
 * What became of a message: outbound ones by their outbox state, inbound ones accepted (recorded and receipted)
 * or rejected (refused with a signed error receipt: a DOCUMENT_REJECTED ledger entry).
 */
export const MessageOutcome = z.enum(['DELIVERED', 'REJECTED', 'DEAD_LETTER', 'PENDING', 'ACCEPTED']);
export type MessageOutcome = z.infer<typeof MessageOutcome>;

/** Messages of one partner, document type, direction and outcome. */
export const MessageCount = z
  .object({
    /** Null for a rejected envelope whose sender could not be read. */
    partner: z.string().nullable(),
    documentType: z.string().nullable(),
    direction: z.enum(['IN', 'OUT']),
    outcome: MessageOutcome,
    count: z.int(),
  })
  .readonly();
export type MessageCount = z.infer<typeof MessageCount>;

/** A declaration released in the period: its channel, submission and release times, and whether an officer decided. */
export interface Release {
  readonly channel: Channel;
  readonly submittedAt: string;
  readonly releasedAt: string;
  readonly manual: boolean;
}

/** Declarations of one channel submitted on one UTC day (`YYYY-MM-DD`), as the port counts them. */
export interface DeclarationDayCount {
  readonly day: string;
  readonly channel: Channel;
  readonly count: number;
}

/** The declarations submitted on one UTC day, by the channel each was assigned. */
export const DeclarationDay = z
  .object({ day: z.string().meta({ description: 'UTC day, YYYY-MM-DD' }), GREEN: z.int(), YELLOW: z.int(), RED: z.int(), total: z.int() })
  .readonly();
export type DeclarationDay = z.infer<typeof DeclarationDay>;

const Seconds = z.number().nullable();

/** Releases of one channel, and the seconds from submission to release (nearest-rank percentiles; null when none). */
export const ClearanceTimes = z.object({ released: z.int(), p50: Seconds, p90: Seconds, p99: Seconds }).readonly();
export type ClearanceTimes = z.infer<typeof ClearanceTimes>;

const Counts = z.record(z.string(), z.int()).readonly();

/** The MIS report of `GET /v1/reports/exchange`. */
export const ExchangeReport = z
  .object({
    period: z
      .object({
        from: z.string().meta({ description: 'Included (UTC)' }),
        until: z.string().meta({ description: 'Excluded (UTC): the instant after `to`' }),
      })
      .readonly(),
    messages: z
      .object({
        total: z.int(),
        byPartner: Counts,
        byDocumentType: Counts,
        byDirection: Counts,
        byOutcome: z.object({ IN: Counts, OUT: Counts }).readonly().meta({
          description:
            'OUT by outbox state (DELIVERED, REJECTED, DEAD_LETTER, PENDING); IN ACCEPTED or REJECTED (refused with a signed error receipt)',
        }),
        /** Every combination that occurred, largest first. */
        counts: z.array(MessageCount).readonly(),
      })
      .readonly(),
    declarations: z
      .object({
        submitted: z.int(),
        byChannel: z.object({ GREEN: z.int(), YELLOW: z.int(), RED: z.int() }).readonly(),
        perDay: z.array(DeclarationDay).readonly().meta({
          description: 'Every UTC day the period touches, oldest first, with zeros where none were submitted',
        }),
      })
      .readonly()
      .meta({ description: 'Declarations submitted in the period, by the channel each was assigned' }),
    clearance: z
      .object({
        released: z.int(),
        releasedWithoutManualStep: z.int().meta({ description: 'Released with no officer decision' }),
        /** releasedWithoutManualStep / released; null when nothing was released. */
        shareWithoutManualStep: z.number().nullable(),
        byChannel: z
          .object({ GREEN: ClearanceTimes, YELLOW: ClearanceTimes, RED: ClearanceTimes })
          .readonly()
          .meta({ description: 'Seconds from submission to release, nearest-rank percentiles' }),
      })
      .readonly(),
  })
  .readonly()
  .meta({ id: 'ExchangeReport' });
export type ExchangeReport = z.infer<typeof ExchangeReport>;

const UNKNOWN = 'UNKNOWN';

/**
 * The exchange's figures for a period: messages sent and received (by their time of creation or refusal), the
 * declarations submitted in it per day and channel, and those released in it, with clearance times by channel.
 * @example const report = await buildExchangeReport(queries, { from: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' })
 */
export async function buildExchangeReport(queries: ExchangeReportQueries, period: Period): Promise<ExchangeReport> {
  const [counts, releases, days] = await Promise.all([queries.messageCounts(period), queries.releases(period), queries.declarationsPerDay(period)]);
  const sorted = [...counts].sort((a, b) => b.count - a.count);
  const total = (key: (count: MessageCount) => string | null, of: readonly MessageCount[] = sorted) => {
    const sums: Record<string, number> = {};
    for (const count of of) {
      const name = key(count) ?? UNKNOWN;
      sums[name] = (sums[name] ?? 0) + count.count;
    }
    return sums;
  };
  const automatic = releases.filter((release) => !release.manual).length;
  return {
    period: { from: period.from, until: period.until },
    messages: {
      total: sorted.reduce((sum, count) => sum + count.count, 0),
      byPartner: total((count) => count.partner),
      byDocumentType: total((count) => count.documentType),
      byDirection: total((count) => count.direction),
      byOutcome: {
        IN: total(
          (count) => count.outcome,
          sorted.filter((count) => count.direction === 'IN'),
        ),
        OUT: total(
          (count) => count.outcome,
          sorted.filter((count) => count.direction === 'OUT'),
        ),
      },
      counts: sorted,
    },
    declarations: declarationsPerDay(days, period),
    clearance: {
      released: releases.length,
      releasedWithoutManualStep: automatic,
      shareWithoutManualStep: releases.length === 0 ? null : automatic / releases.length,
      byChannel: {
        GREEN: clearanceTimes(releases, 'GREEN'),
        YELLOW: clearanceTimes(releases, 'YELLOW'),
        RED: clearanceTimes(releases, 'RED'),
      },
    },
  };
}

const DAY_MS = 86_400_000;

/** The port's counts as one row per UTC day of the period (zeros included, so a chart's axis has no gaps) and totals. */
function declarationsPerDay(counts: readonly DeclarationDayCount[], period: Period): ExchangeReport['declarations'] {
  const rows = new Map<string, { day: string; GREEN: number; YELLOW: number; RED: number; total: number }>();
  const first = Date.parse(`${period.from.slice(0, 10)}T00:00:00.000Z`);
  for (let start = first; start < Date.parse(period.until); start += DAY_MS) {
    const day = new Date(start).toISOString().slice(0, 10);
    rows.set(day, { day, GREEN: 0, YELLOW: 0, RED: 0, total: 0 });
  }
  const byChannel = { GREEN: 0, YELLOW: 0, RED: 0 };
  for (const { day, channel, count } of counts) {
    const row = rows.get(day) ?? { day, GREEN: 0, YELLOW: 0, RED: 0, total: 0 };
    row[channel] += count;
    row.total += count;
    rows.set(day, row);
    byChannel[channel] += count;
  }
  const perDay = [...rows.values()].sort((a, b) => a.day.localeCompare(b.day));
  return { submitted: byChannel.GREEN + byChannel.YELLOW + byChannel.RED, byChannel, perDay };
}

function clearanceTimes(releases: readonly Release[], channel: Channel): ClearanceTimes {
  const seconds = releases
    .filter((release) => release.channel === channel)
    .map((release) => Math.max(0, Date.parse(release.releasedAt) - Date.parse(release.submittedAt)) / 1000)
    .sort((a, b) => a - b);
  return { released: seconds.length, p50: percentile(seconds, 0.5), p90: percentile(seconds, 0.9), p99: percentile(seconds, 0.99) };
}

/**
 * The nearest-rank percentile of ascending values: the smallest value with at least `q` of all values at or below it.
 * @example percentile([1, 2, 3, 4], 0.5) // 2
 */
export function percentile(ascending: readonly number[], q: number): number | null {
  if (ascending.length === 0) return null;
  // The small allowance keeps float products such as 0.07 * 100 = 7.000…01 from rising a rank too far.
  const rank = Math.max(1, Math.ceil(q * ascending.length - 1e-9));
  return ascending[rank - 1] ?? null;
}

/** The raw figures of the MIS report (`GET /v1/reports/exchange`) for a period. */
export interface ExchangeReportQueries {
  /** Messages created in the period (outbound by outbox state, inbound accepted) and inbound envelopes refused in it. */
  messageCounts(period: Period): Promise<readonly MessageCount[]>;
  /** Declarations whose release was recorded in the period. */
  releases(period: Period): Promise<readonly Release[]>;
  /** Declarations submitted in the period, counted per UTC day of submission and channel. */
  declarationsPerDay(period: Period): Promise<readonly DeclarationDayCount[]>;
}
