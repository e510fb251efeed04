import type { Channel } from '../declaration/declaration.js';
import type { Period } from './period.js';

/**
 * What became of a message: outbound ones by their outbox state, inbound ones accepted (recorded and receipted)
 * or rejected (refused with a signed error receipt: a DOCUMENT_REJECTED ledger entry).
 */
export type MessageOutcome = 'DELIVERED' | 'REJECTED' | 'DEAD_LETTER' | 'PENDING' | 'ACCEPTED';

/** Messages of one partner, document type, direction and outcome. */
export interface MessageCount {
  /** Null for a rejected envelope whose sender could not be read. */
  readonly partner: string | null;
  readonly documentType: string | null;
  readonly direction: 'IN' | 'OUT';
  readonly outcome: MessageOutcome;
  readonly count: number;
}

/** A declaration released in the period: its channel, submission and release times, and whether an officer decided. */
export interface Release {
  readonly channel: Channel;
  readonly submittedAt: string;
  readonly releasedAt: string;
  readonly manual: boolean;
}

export interface ClearanceTimes {
  readonly released: number;
  /** Seconds from submission to release, nearest-rank percentiles; null when nothing was released. */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
}

/** The MIS report of `GET /v1/reports/exchange`. */
export interface ExchangeReport {
  readonly period: { readonly from: string; readonly until: string };
  readonly messages: {
    readonly total: number;
    readonly byPartner: Readonly<Record<string, number>>;
    readonly byDocumentType: Readonly<Record<string, number>>;
    readonly byDirection: Readonly<Record<string, number>>;
    /** Outcomes per direction: OUT by outbox state, IN accepted or rejected. */
    readonly byOutcome: { readonly IN: Readonly<Record<string, number>>; readonly OUT: Readonly<Record<string, number>> };
    /** Every combination that occurred, largest first. */
    readonly counts: readonly MessageCount[];
  };
  readonly clearance: {
    readonly released: number;
    /** Released with no officer decision (green, or released automatically once documents arrived). */
    readonly releasedWithoutManualStep: number;
    /** releasedWithoutManualStep / released; null when nothing was released. */
    readonly shareWithoutManualStep: number | null;
    readonly byChannel: Readonly<Record<Channel, ClearanceTimes>>;
  };
}

const UNKNOWN = 'UNKNOWN';

/**
 * The exchange's figures for a period: messages sent and received (by their time of creation or refusal) and the
 * declarations released in it, with clearance times by channel.
 * @example const report = await buildExchangeReport(queries, { from: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' })
 */
export async function buildExchangeReport(queries: ExchangeReportQueries, period: Period): Promise<ExchangeReport> {
  const [counts, releases] = await Promise.all([queries.messageCounts(period), queries.releases(period)]);
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
        IN: total((count) => count.outcome, sorted.filter((count) => count.direction === 'IN')),
        OUT: total((count) => count.outcome, sorted.filter((count) => count.direction === 'OUT')),
      },
      counts: sorted,
    },
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
}
