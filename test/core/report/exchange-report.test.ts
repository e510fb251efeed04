import { describe, expect, it } from 'vitest';
import {
  buildExchangeReport,
  type ExchangeReportQueries,
  type MessageCount,
  percentile,
  type Release,
} from '../../../src/core/report/exchange-report.js';

describe('percentile', () => {
  it('is the nearest rank (the smallest value with at least q of all at or below it)', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.9)).toBe(90);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 0.07)).toBe(7);
    expect(percentile([3, 5, 7, 9], 0.5)).toBe(5);
    expect(percentile([3, 5, 7, 9], 0.9)).toBe(9);
    expect(percentile([42], 0.01)).toBe(42);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('buildExchangeReport', () => {
  const period = { from: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' };
  const release = (channel: Release['channel'], seconds: number, manual: boolean): Release => ({
    channel,
    submittedAt: '2026-11-21T03:00:00.000Z',
    releasedAt: new Date(Date.parse('2026-11-21T03:00:00.000Z') + seconds * 1000).toISOString(),
    manual,
  });
  const counts: MessageCount[] = [
    { partner: 'TH', documentType: 'ACDD', direction: 'OUT', outcome: 'DELIVERED', count: 3 },
    { partner: 'SG', documentType: 'ACDD', direction: 'OUT', outcome: 'DEAD_LETTER', count: 1 },
    { partner: 'TH', documentType: 'CUSTOMS_RESPONSE', direction: 'IN', outcome: 'ACCEPTED', count: 3 },
    { partner: 'TH', documentType: 'CUSTOMS_RESPONSE', direction: 'IN', outcome: 'REJECTED', count: 1 },
    { partner: null, documentType: null, direction: 'IN', outcome: 'REJECTED', count: 2 },
  ];
  const queries: ExchangeReportQueries = {
    messageCounts: () => Promise.resolve(counts),
    releases: () =>
      Promise.resolve([
        release('GREEN', 0, false),
        release('GREEN', 0, false),
        release('YELLOW', 90, true),
        release('YELLOW', 30, true),
        release('RED', 7200, true),
      ]),
    declarationsPerDay: () =>
      Promise.resolve([
        { day: '2026-11-03', channel: 'GREEN', count: 4 },
        { day: '2026-11-03', channel: 'RED', count: 1 },
        { day: '2026-11-02', channel: 'YELLOW', count: 2 },
      ]),
  };

  it('sums messages by partner, document type, direction and outcome per direction', async () => {
    const { messages } = await buildExchangeReport(queries, period);
    expect(messages.total).toBe(10);
    expect(messages.byPartner).toEqual({ TH: 7, SG: 1, UNKNOWN: 2 });
    expect(messages.byDocumentType).toEqual({ ACDD: 4, CUSTOMS_RESPONSE: 4, UNKNOWN: 2 });
    expect(messages.byDirection).toEqual({ OUT: 4, IN: 6 });
    expect(messages.byOutcome).toEqual({ OUT: { DELIVERED: 3, DEAD_LETTER: 1 }, IN: { ACCEPTED: 3, REJECTED: 3 } });
    expect(messages.counts.map((count) => count.count)).toEqual([3, 3, 2, 1, 1]);
  });

  it('gives clearance times by channel and the share released with no manual step', async () => {
    const { clearance } = await buildExchangeReport(queries, period);
    expect(clearance).toEqual({
      released: 5,
      releasedWithoutManualStep: 2,
      shareWithoutManualStep: 0.4,
      byChannel: {
        GREEN: { released: 2, p50: 0, p90: 0, p99: 0 },
        YELLOW: { released: 2, p50: 30, p90: 90, p99: 90 },
        RED: { released: 1, p50: 7200, p90: 7200, p99: 7200 },
      },
    });
  });

  it('counts declarations per UTC day of the period and channel, with a row of zeros for each day with none', async () => {
    const week = { from: '2026-11-01T00:00:00.000Z', until: '2026-11-05T00:00:00.000Z' };
    const { declarations } = await buildExchangeReport(queries, week);
    expect(declarations.submitted).toBe(7);
    expect(declarations.byChannel).toEqual({ GREEN: 4, YELLOW: 2, RED: 1 });
    expect(declarations.perDay).toEqual([
      { day: '2026-11-01', GREEN: 0, YELLOW: 0, RED: 0, total: 0 },
      { day: '2026-11-02', GREEN: 0, YELLOW: 2, RED: 0, total: 2 },
      { day: '2026-11-03', GREEN: 4, YELLOW: 0, RED: 1, total: 5 },
      { day: '2026-11-04', GREEN: 0, YELLOW: 0, RED: 0, total: 0 },
    ]);
  });

  it('gives every day an instant-bounded period touches, the partial first and last days included', async () => {
    const hours = { from: '2026-11-02T17:00:00.000Z', until: '2026-11-03T17:00:00.000Z' };
    const { declarations } = await buildExchangeReport(queries, hours);
    expect(declarations.perDay.map((row) => row.day)).toEqual(['2026-11-02', '2026-11-03']);
  });

  it('says null, not zero, where nothing was released', async () => {
    const none = () => Promise.resolve([]);
    const { clearance } = await buildExchangeReport({ messageCounts: none, releases: none, declarationsPerDay: none }, period);
    expect(clearance.shareWithoutManualStep).toBeNull();
    expect(clearance.byChannel.RED).toEqual({ released: 0, p50: null, p90: null, p99: null });
  });
});
