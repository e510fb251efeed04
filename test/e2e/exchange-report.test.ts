import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults } from '../../src/runtime/simulator/faults.js';
import { call, expectProblem, submitExport } from '../helpers/api-client.js';
import { anExportDeclaration, type ExportDeclarationOptions } from '../helpers/export-declarations.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * The MIS report, `GET /v1/reports/exchange`, on a fresh service: the test makes known traffic (ACDDs delivered to
 * Thailand, a cancellation, Customs Responses, refused envelopes, officers' decisions) and checks every figure of the
 * report against it, on both runtimes (test/helpers/runtimes.ts); ACDDs dead-lettered for Singapore and pending for
 * Malaysia are counted on Node, where the simulators' faults can be set.
 */

interface Report {
  period: { from: string; until: string };
  messages: {
    total: number;
    byPartner: Record<string, number>;
    byDocumentType: Record<string, number>;
    byDirection: Record<string, number>;
    byOutcome: { IN: Record<string, number>; OUT: Record<string, number> };
    counts: { partner: string | null; documentType: string | null; direction: string; outcome: string; count: number }[];
  };
  clearance: {
    released: number;
    releasedWithoutManualStep: number;
    shareWithoutManualStep: number | null;
    byChannel: Record<'GREEN' | 'YELLOW' | 'RED', { released: number; p50: number | null; p90: number | null; p99: number | null }>;
  };
}

interface View {
  submittedAt: string;
  status: string;
  documents: { messageId: string; direction: string; documentType: string }[];
  timeline: { type: string; at: string; messageId?: string; detail: Record<string, unknown> }[];
}

/** The report for what happened since `from`, as an officer reads it. */
async function reportSince(swx: { readonly url: string }, officer: string, from: string): Promise<Report> {
  const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}`;
  const answer = await call<Report>(swx, officer, 'GET', `/v1/reports/exchange?${period}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

describe.each(RUNTIMES)('GET /v1/reports/exchange, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let officer: string;
  let started: string;
  let report: Report;
  const seconds: Record<'YELLOW' | 'RED', number> = { YELLOW: 0, RED: 0 };

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    started = new Date().toISOString();
    [trader, officer] = await Promise.all([swx.createKey('trader', '0301234567'), swx.createKey('officer', 'HQ-0042')]);

    const declare = async (options: ExportDeclarationOptions) => (await submitExport(swx, trader, anExportDeclaration(options))).id;
    const view = async (id: string) => (await call<View>(swx, officer, 'GET', `/v1/declarations/${id}`)).body;
    const decide = async (id: string, action: string) => {
      const answer = await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action, reason: `${action} (report test)` });
      expect(answer.status).toBe(200);
    };
    const secondsToRelease = async (id: string) => {
      const { submittedAt, timeline } = await view(id);
      const release = timeline.find((step) => step.type === 'STATUS_CHANGED' && step.detail['status'] === 'RELEASED');
      return (Date.parse(release?.at ?? '') - Date.parse(submittedAt)) / 1000;
    };

    // To Thailand: two green (released at once), a yellow released after a while, a yellow rejected, a red inspected
    // then released, a yellow cancelled (an ACDD cancellation follows its ACDD). Each ACDD gets a Customs Response.
    const greens = [await declare({ channel: 'GREEN' }), await declare({ channel: 'GREEN' })];
    const yellow = await declare({ channel: 'YELLOW' });
    const rejected = await declare({ channel: 'YELLOW' });
    const red = await declare({ channel: 'RED' });
    const cancelled = await declare({ channel: 'YELLOW' });

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await decide(yellow, 'release');
    await decide(rejected, 'reject');
    await decide(red, 'inspect');
    await decide(red, 'release');
    const settled = (v: View) => v.timeline.some((step) => step.type === 'RECEIPT_SENT');
    for (const id of [...greens, yellow, rejected, red, cancelled]) await waitFor(() => view(id), settled);
    expect((await call(swx, trader, 'POST', `/v1/declarations/${cancelled}/cancel`, { reason: 'Buyer went bankrupt' })).status).toBe(200);
    await waitFor(
      () => view(cancelled),
      (v) => v.timeline.filter((step) => step.type === 'RECEIPT_VERIFIED').length === 2,
    );
    seconds.YELLOW = await secondsToRelease(yellow);
    seconds.RED = await secondsToRelease(red);

    // Three envelopes refused: a Thai Customs Response sent again with other bytes under its message id (signed by TH,
    // so recorded and counted), the same altered after signing and something that is no envelope (evidence of
    // nothing: not recorded in the ledger, so not counted).
    const response = (await view(greens[0] ?? '')).documents.find((document) => document.documentType === 'CUSTOMS_RESPONSE');
    const envelope = await (
      await fetch(`${swx.url}/v1/messages/${response?.messageId}/envelope`, { headers: { Authorization: `Bearer ${officer}` } })
    ).text();
    const tampered = envelope.replace('<Status>ACCEPTED</Status>', '<Status>REJECTED</Status>');
    expect(tampered).not.toBe(envelope);
    const replayed = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n${envelope.replace(/^<\?xml[^>]*\?>\s*/, '')}`;
    expect(replayed).not.toBe(envelope);
    for (const body of [replayed, tampered, '<?xml version="1.0"?><Nonsense/>']) {
      const refused = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', body, headers: { 'Content-Type': 'application/xml' } });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      await refused.text();
    }

    report = await reportSince(swx, officer, started);
  }, 60_000);
  afterAll(() => swx?.close());

  it('counts messages by partner, document type, direction and outcome', () => {
    const row = (partner: string | null, documentType: string | null, direction: string, outcome: string) =>
      report.messages.counts.find(
        (c) => c.partner === partner && c.documentType === documentType && c.direction === direction && c.outcome === outcome,
      )?.count;
    expect(row('TH', 'ACDD', 'OUT', 'DELIVERED')).toBe(6);
    expect(row('TH', 'ACDD_CANCELLATION', 'OUT', 'DELIVERED')).toBe(1);
    expect(row('TH', 'CUSTOMS_RESPONSE', 'IN', 'ACCEPTED')).toBe(6);
    expect(row('TH', 'CUSTOMS_RESPONSE', 'IN', 'REJECTED')).toBe(1);
    expect(row(null, null, 'IN', 'REJECTED')).toBeUndefined();
    expect(report.messages.counts).toHaveLength(4);

    expect(report.messages.total).toBe(14);
    expect(report.messages.byPartner).toEqual({ TH: 14 });
    expect(report.messages.byDocumentType).toEqual({ ACDD: 6, ACDD_CANCELLATION: 1, CUSTOMS_RESPONSE: 7 });
    expect(report.messages.byDirection).toEqual({ OUT: 7, IN: 7 });
    expect(report.messages.byOutcome).toEqual({ OUT: { DELIVERED: 7 }, IN: { ACCEPTED: 6, REJECTED: 1 } });
  });

  it('gives clearance times by channel, from submission to release', () => {
    expect(seconds.YELLOW).toBeGreaterThanOrEqual(1.1);
    expect(report.clearance.byChannel).toEqual({
      GREEN: { released: 2, p50: 0, p90: 0, p99: 0 },
      YELLOW: { released: 1, p50: seconds.YELLOW, p90: seconds.YELLOW, p99: seconds.YELLOW },
      RED: { released: 1, p50: seconds.RED, p90: seconds.RED, p99: seconds.RED },
    });
  });

  it('gives the share of declarations released with no officer decision', () => {
    expect(report.clearance).toMatchObject({ released: 4, releasedWithoutManualStep: 2, shareWithoutManualStep: 0.5 });
  });

  it('counts nothing outside the period', async () => {
    const before = await call<Report>(swx, officer, 'GET', '/v1/reports/exchange?from=2020-01-01&to=2020-01-31');
    expect(before.body.period).toEqual({ from: '2020-01-01T00:00:00.000Z', until: '2020-02-01T00:00:00.000Z' });
    expect(before.body.messages).toEqual({
      total: 0,
      byPartner: {},
      byDocumentType: {},
      byDirection: {},
      byOutcome: { IN: {}, OUT: {} },
      counts: [],
    });
    expect(before.body.clearance).toMatchObject({ released: 0, releasedWithoutManualStep: 0, shareWithoutManualStep: null });
    expect(before.body.clearance.byChannel.RED).toEqual({ released: 0, p50: null, p90: null, p99: null });
  });

  it('refuses a bad period with 400, naming the parameter', async () => {
    const problem = (query: string) => call(swx, officer, 'GET', `/v1/reports/exchange?${query}`);
    expect(expectProblem(await problem('from=2026-11-21'), 400, 'PERIOD_INVALID').errors?.map((e) => e.pointer)).toEqual(['/to']);
    expect(expectProblem(await problem(''), 400, 'PERIOD_INVALID').errors?.map((e) => e.pointer)).toEqual(['/from', '/to']);
    expect(expectProblem(await problem('from=2026-11-30&to=2026-11-01'), 400, 'PERIOD_INVALID').errors?.map((e) => e.pointer)).toEqual(['/to']);
    expect(expectProblem(await problem('from=21-11-2026&to=2026-11-31'), 400, 'PERIOD_INVALID').errors?.map((e) => e.pointer)).toEqual([
      '/from',
      '/to',
    ]);
  });

  it('is for officers and admins only', async () => {
    expect((await call(swx, swx.adminToken, 'GET', '/v1/reports/exchange?from=2026-01-01&to=2026-01-02')).status).toBe(200);
    expectProblem(await call(swx, trader, 'GET', '/v1/reports/exchange?from=2026-01-01&to=2026-01-02'), 403, 'FORBIDDEN');
    expectProblem(await call(swx, undefined, 'GET', '/v1/reports/exchange?from=2026-01-01&to=2026-01-02'), 401, 'UNAUTHENTICATED');
  });
});

// Node only: the simulators' fault injection, and a partners directory of its own (quick retry budgets).
describe.runIf(RUNTIMES.includes('node'))('GET /v1/reports/exchange with a partner down (Node)', () => {
  let swx: TestService;
  let report: Report;

  beforeAll(async () => {
    swx = await startTestService({
      SWX_PARTNERS_DIR: partnersDirWith({
        SG: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } },
        MY: { retry: { maxAttempts: 50, baseDelayMs: 600_000, maxDelayMs: 600_000 } },
      }),
    });
    const started = new Date().toISOString();
    swx.service.simulators.get('SG')?.setFaults(Faults.parse({ errorRate: 1 }));
    swx.service.simulators.get('MY')?.setFaults(Faults.parse({ errorRate: 1 }));
    const [trader, officer] = await Promise.all([swx.createKey('trader', '0301234567'), swx.createKey('officer', 'HQ-0042')]);

    // To Singapore, whose gateway answers 503 until the ACDD is dead-lettered; to Malaysia, still retrying.
    const toSingapore = (await submitExport(swx, trader, anExportDeclaration({ channel: 'GREEN', destination: 'SG' }))).id;
    await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW', destination: 'MY' }));
    await waitFor(
      () => Promise.resolve(swx.query<{ state: string }>("SELECT state FROM outbox WHERE partner_id = 'SG'")),
      (rows) => rows[0]?.state === 'DEAD_LETTER',
    );
    expect((await call<View>(swx, officer, 'GET', `/v1/declarations/${toSingapore}`)).body.status).toBe('RELEASED');
    report = await reportSince(swx, officer, started);
  }, 60_000);
  afterAll(() => swx?.close());

  it('counts an ACDD dead-lettered and one still pending, and the declaration released regardless', () => {
    expect(report.messages.counts).toHaveLength(2);
    expect(report.messages.counts).toEqual(
      expect.arrayContaining([
        { partner: 'MY', documentType: 'ACDD', direction: 'OUT', outcome: 'PENDING', count: 1 },
        { partner: 'SG', documentType: 'ACDD', direction: 'OUT', outcome: 'DEAD_LETTER', count: 1 },
      ]),
    );
    expect(report.messages.byOutcome).toEqual({ OUT: { DEAD_LETTER: 1, PENDING: 1 }, IN: {} });
    expect(report.clearance).toMatchObject({ released: 1, releasedWithoutManualStep: 1, shareWithoutManualStep: 1 });
  });
});
