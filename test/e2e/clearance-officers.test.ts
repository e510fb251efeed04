import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, submitExport } from '../helpers/api-client.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * Officers' decisions over real HTTP on the whole service (SQLite file, simulated Thai gateway): the transitions,
 * the 409s, red needing inspection, two officers at once, and who may do what. On both runtimes (test/helpers/runtimes.ts).
 */

interface Step {
  ledgerIndex: number;
  type: string;
  at: string;
  messageId?: string;
  message?: string;
  detail: Record<string, unknown>;
}

interface History {
  id: string;
  status: string;
  channel: string;
  channelReasons: { rule: string; detail: string }[];
  partyId: string;
  allowedActions: string[];
  documents: { messageId: string; documentType: string; message: string }[];
  decisions: { ledgerIndex: number; officer: string; action: string; reason: string }[];
  preference: unknown;
  history: Step[];
}

interface Decision {
  id: string;
  action: string;
  previousStatus: string;
  status: string;
  ledgerIndex: number;
}

describe.each(RUNTIMES)('officers deciding on declarations, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let otherTrader: string;
  let officer: string;
  let secondOfficer: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [trader, otherTrader, officer, secondOfficer] = await Promise.all([
      swx.createKey('trader', '0301234567'),
      swx.createKey('trader', '0109876543'),
      swx.createKey('officer', 'HQ-0042', 'Officer Nguyen Van An'),
      swx.createKey('officer', 'HQ-0077', 'Officer Tran Thi Binh'),
    ]);
  });
  afterAll(() => swx.close());

  const declare = async (channel: 'GREEN' | 'YELLOW' | 'RED') => {
    const answer = await submitExport(swx, trader, anExportDeclaration({ channel }));
    expect(answer.channel).toBe(channel);
    return answer.id;
  };
  const decide = (id: string, action: string, reason = `${action}: checked by the test`, token = officer) =>
    call<Decision>(swx, token, 'POST', `/v1/clearances/${id}/decision`, { action, reason });
  const historyOf = async (id: string) => {
    const answer = await call<History>(swx, officer, 'GET', `/v1/clearances/${id}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  /**
   * What a decision writes: the declaration's row, its decision and status steps, and every decision or status
   * entry in the ledger (the exchange with the simulator goes on writing other rows meanwhile).
   */
  const written = async (id: string) => ({
    declaration: await swx.query('SELECT status, updated_at FROM declarations WHERE id = ?', id),
    steps: await swx.query(
      "SELECT count(*) AS n FROM declaration_timeline WHERE declaration_id = ? AND type IN ('DECISION_RECORDED', 'STATUS_CHANGED')",
      id,
    ),
    ledger: await swx.query(
      `SELECT count(*) AS n FROM ledger_entries
       WHERE instr(CAST(bytes AS TEXT), '"type":"DECISION_RECORDED"') > 0 OR instr(CAST(bytes AS TEXT), '"type":"STATUS_CHANGED"') > 0`,
    ),
  });

  describe('a yellow declaration released by an officer', () => {
    it('records the decision and the new status in the ledger, and the trader sees the outcome', async () => {
      const id = await declare('YELLOW');
      expect((await historyOf(id)).allowedActions).toEqual(['release', 'hold', 'inspect', 'reject']);

      const released = await decide(id, 'release', 'Invoice and packing list match the declared goods');
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ id, action: 'release', previousStatus: 'UNDER_REVIEW', status: 'RELEASED' });

      const history = await historyOf(id);
      expect(history.status).toBe('RELEASED');
      expect(history.allowedActions).toEqual([]);
      const decision = history.history.find((step) => step.type === 'DECISION_RECORDED');
      expect(decision).toMatchObject({
        ledgerIndex: released.body.ledgerIndex,
        detail: {
          officer: 'HQ-0042',
          officerName: 'Officer Nguyen Van An',
          action: 'release',
          reason: 'Invoice and packing list match the declared goods',
          from: 'UNDER_REVIEW',
          to: 'RELEASED',
        },
      });
      const statusChange = history.history.at(-1);
      expect(history.history.filter((step) => step.type === 'STATUS_CHANGED').at(-1)).toMatchObject({
        ledgerIndex: released.body.ledgerIndex + 1,
        detail: { status: 'RELEASED', from: 'UNDER_REVIEW' },
      });
      expect(statusChange?.ledgerIndex).toBeGreaterThan(released.body.ledgerIndex);
      expect(history.decisions).toEqual([
        {
          ledgerIndex: released.body.ledgerIndex,
          at: decision?.at,
          officer: 'HQ-0042',
          officerName: 'Officer Nguyen Van An',
          action: 'release',
          reason: 'Invoice and packing list match the declared goods',
        },
      ]);

      // The ledger entry itself says the same, in its signed bytes.
      const entries = await call<{ entries: { index: number; type: string; data: Record<string, unknown> }[] }>(
        swx,
        officer,
        'GET',
        `/v1/ledger/entries?start=${released.body.ledgerIndex}&end=${released.body.ledgerIndex + 1}`,
      );
      expect(entries.body.entries.map((entry) => [entry.type, entry.data['action'] ?? entry.data['status']])).toEqual([
        ['DECISION_RECORDED', 'release'],
        ['STATUS_CHANGED', 'RELEASED'],
      ]);

      const seen = await call<{ status: string; timeline: Step[] }>(swx, trader, 'GET', `/v1/declarations/${id}`);
      expect(seen.body.status).toBe('RELEASED');
      expect(
        seen.body.timeline.some(
          (step) => step.type === 'DECISION_RECORDED' && step.detail['reason'] === 'Invoice and packing list match the declared goods',
        ),
      ).toBe(true);
    });
  });

  describe('illegal transitions', () => {
    it('refuses every action on a released, rejected or cancelled declaration with 409, writing nothing', async () => {
      const green = await declare('GREEN');
      const rejected = await declare('YELLOW');
      expect((await decide(rejected, 'reject', 'Goods description does not match HS 0901')).status).toBe(200);
      const cancelled = await declare('YELLOW');
      expect((await call(swx, trader, 'POST', `/v1/declarations/${cancelled}/cancel`, { reason: 'Buyer withdrew the order' })).status).toBe(200);

      for (const [id, status] of [
        [green, 'RELEASED'],
        [rejected, 'REJECTED'],
        [cancelled, 'CANCELLED'],
      ] as const) {
        for (const action of ['release', 'hold', 'inspect', 'reject']) {
          const before = await written(id);
          const problem = expectProblem(await decide(id, action), 409, 'DOCUMENT_STATE_CONFLICT');
          expect(problem.detail).toContain(`cannot ${action} a declaration that is ${status}`);
          expect(await written(id)).toEqual(before);
        }
        expect((await historyOf(id)).status).toBe(status);
      }
    });

    it('refuses holding a held declaration and inspecting one under inspection', async () => {
      const id = await declare('YELLOW');
      expect((await decide(id, 'hold', 'Awaiting the exporter’s explanation of the unit price')).body.status).toBe('HELD');
      expectProblem(await decide(id, 'hold'), 409, 'DOCUMENT_STATE_CONFLICT');
      expect((await historyOf(id)).allowedActions).toEqual(['release', 'inspect', 'reject']);
      expect((await decide(id, 'inspect', 'Open container for physical check')).body.status).toBe('INSPECTION');
      expectProblem(await decide(id, 'inspect'), 409, 'DOCUMENT_STATE_CONFLICT');
      expect((await decide(id, 'release', 'Inspection found the goods as declared')).body.status).toBe('RELEASED');
    });
  });

  describe('a red-channel declaration', () => {
    it('cannot be released before a physical inspection, then can', async () => {
      const id = await declare('RED');
      const history = await historyOf(id);
      expect(history.channelReasons.map((reason) => reason.rule)).toContain('gold');
      expect(history.allowedActions).toEqual(['hold', 'inspect', 'reject']);

      const problem = expectProblem(await decide(id, 'release', 'Looks fine on paper'), 409, 'DOCUMENT_STATE_CONFLICT');
      expect(problem.detail).toContain('physical inspection');
      expect((await decide(id, 'inspect', 'Gold bars to be weighed and assayed')).body).toMatchObject({
        previousStatus: 'UNDER_REVIEW',
        status: 'INSPECTION',
      });
      expect((await decide(id, 'hold', 'Assay results pending', secondOfficer)).body.status).toBe('HELD');
      const released = await decide(id, 'release', 'Assay confirms 99.99% gold, weight as declared');
      expect(released.body).toMatchObject({ previousStatus: 'HELD', status: 'RELEASED' });

      const decisions = (await historyOf(id)).decisions;
      expect(decisions.map((decision) => [decision.officer, decision.action])).toEqual([
        ['HQ-0042', 'inspect'],
        ['HQ-0077', 'hold'],
        ['HQ-0042', 'release'],
      ]);
    });
  });

  describe('two officers deciding at once', () => {
    it('lets exactly one win; the other gets 409 and nothing of it is recorded', async () => {
      for (let round = 0; round < 5; round += 1) {
        const id = await declare('YELLOW');
        const answers = await Promise.all([
          decide(id, 'release', 'Documents in order', officer),
          decide(id, 'reject', 'Certificate of origin missing', secondOfficer),
        ]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
        const winner = answers.find((answer) => answer.status === 200)?.body;
        const loser = answers.find((answer) => answer.status === 409);
        expectProblem(loser ?? answers[0]!, 409, 'DOCUMENT_STATE_CONFLICT');
        const history = await historyOf(id);
        expect(history.status).toBe(winner?.status);
        expect(history.decisions.map((decision) => decision.action)).toEqual([winner?.action]);
      }
    });
  });

  describe('the history an officer reads', () => {
    it('gives every step with its ledger index and links each message step to its raw envelope', async () => {
      const id = await declare('YELLOW');
      let history = await historyOf(id);
      for (let wait = 0; wait < 200 && !history.history.some((step) => step.type === 'RECEIPT_SENT'); wait += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        history = await historyOf(id);
      }
      expect(history.history.map((step) => step.type)).toEqual(
        expect.arrayContaining([
          'DOCUMENT_RECEIVED',
          'DECLARATION_ACCEPTED',
          'CHANNEL_ASSIGNED',
          'MESSAGE_DELIVERED',
          'RESPONSE_RECEIVED',
          'RECEIPT_SENT',
        ]),
      );
      const indexes = history.history.map((step) => step.ledgerIndex);
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
      expect(history.partyId).toBe('0301234567');
      expect(history.preference).toBeNull();

      const linked = history.history.filter((step) => step.messageId !== undefined);
      expect(linked.length).toBeGreaterThanOrEqual(4);
      for (const step of linked) {
        expect(step.message).toBe(`/v1/messages/${step.messageId}`);
        const message = await call<{ messageId: string; envelope: string }>(swx, officer, 'GET', step.message ?? '');
        expect(message.status).toBe(200);
        expect(message.body.messageId).toBe(step.messageId);
      }
      expect(history.history.filter((step) => step.messageId === undefined).every((step) => step.message === undefined)).toBe(true);
      expect(history.documents.map((document) => [document.documentType, document.message])).toEqual(
        expect.arrayContaining([
          ['ACDD', expect.stringMatching(/^\/v1\/messages\//)],
          ['CUSTOMS_RESPONSE', expect.stringMatching(/^\/v1\/messages\//)],
        ]),
      );
    });

    it('is 404 for an unknown declaration', async () => {
      expectProblem(await call(swx, officer, 'GET', '/v1/clearances/no-such-declaration'), 404, 'NOT_FOUND');
      expectProblem(await decide('no-such-declaration', 'release'), 404, 'NOT_FOUND');
    });
  });

  describe('a decision request', () => {
    it('needs a known action and a reason (422, every failing field named)', async () => {
      const id = await declare('YELLOW');
      const before = await written(id);
      const noReason = expectProblem(
        await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action: 'release' }),
        422,
        'VALIDATION_FAILED',
      );
      expect(noReason.errors?.map((error) => error.pointer)).toEqual(['/reason']);
      const blank = expectProblem(await decide(id, 'release', '   '), 422, 'VALIDATION_FAILED');
      expect(blank.errors?.map((error) => error.pointer)).toEqual(['/reason']);
      const both = expectProblem(
        await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action: 'approve', extra: 1 }),
        422,
        'VALIDATION_FAILED',
      );
      expect(both.errors?.map((error) => error.pointer).sort()).toEqual(['/action', '/extra', '/reason']);
      expect(await written(id)).toEqual(before);
      expect((await historyOf(id)).status).toBe('UNDER_REVIEW');
    });
  });

  describe('the OpenAPI document', () => {
    it('describes the officers’ routes, the cancellation and the report', async () => {
      const doc = (await (await fetch(`${swx.url}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { parameters?: { name: string; schema?: unknown }[] }>>;
      };
      expect(Object.keys(doc.paths['/v1/clearances'] ?? {})).toEqual(['get']);
      const parameters = doc.paths['/v1/clearances']?.['get']?.parameters ?? [];
      expect(parameters.find((parameter) => parameter.name === 'order')?.schema).toEqual(
        expect.objectContaining({ enum: ['newest', 'oldest'], default: 'newest' }),
      );
      expect(parameters.map((parameter) => parameter.name)).toEqual([
        'status',
        'channel',
        'order',
        'partner',
        'documentType',
        'from',
        'to',
        'q',
        'cursor',
        'limit',
      ]);
      expect(Object.keys(doc.paths['/v1/clearances/{id}'] ?? {})).toEqual(['get']);
      expect(Object.keys(doc.paths['/v1/clearances/{id}/decision'] ?? {})).toEqual(['post']);
      expect(Object.keys(doc.paths['/v1/declarations/{id}/cancel'] ?? {})).toEqual(['post']);
      expect(Object.keys(doc.paths['/v1/reports/exchange'] ?? {})).toEqual(['get']);
    });
  });

  describe('who may do what', () => {
    it('keeps traders and admins out of the officers’ routes (403) and strangers out entirely (401)', async () => {
      const id = await declare('YELLOW');
      for (const token of [trader, swx.adminToken]) {
        expectProblem(await call(swx, token, 'GET', '/v1/clearances'), 403, 'FORBIDDEN');
        expectProblem(await call(swx, token, 'GET', `/v1/clearances/${id}`), 403, 'FORBIDDEN');
        expectProblem(await decide(id, 'release', 'I release my own goods', token), 403, 'FORBIDDEN');
      }
      expectProblem(await call(swx, undefined, 'GET', '/v1/clearances'), 401, 'UNAUTHENTICATED');
      expectProblem(await call(swx, undefined, 'POST', `/v1/clearances/${id}/decision`, { action: 'release', reason: 'x' }), 401, 'UNAUTHENTICATED');
      expect((await historyOf(id)).status).toBe('UNDER_REVIEW');
    });

    it('lets a trader see only its own declarations and their outcome', async () => {
      const id = await declare('YELLOW');
      await decide(id, 'reject', 'Exporter licence suspended');
      expectProblem(await call(swx, otherTrader, 'GET', `/v1/declarations/${id}`), 404, 'NOT_FOUND');
      const own = await call<{ status: string }>(swx, trader, 'GET', `/v1/declarations/${id}`);
      expect(own.body.status).toBe('REJECTED');
    });
  });
});
