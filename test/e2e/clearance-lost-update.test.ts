import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, submitExport, type ApiAnswer } from '../helpers/api-client.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * Lost updates on officers' decisions, over real HTTP on the whole service: officer A reads a declaration, officer B
 * holds it, A's release (sent with what A read) is a 409 that says what changed, and nothing of it is recorded.
 * On both runtimes (test/helpers/runtimes.ts).
 */

interface History {
  status: string;
  decisions: { action: string; officer: string }[];
  history: { ledgerIndex: number; type: string }[];
}

let swx: ServiceUnderTest;
let trader: string;
let officerA: string;
let officerB: string;

/** A call that keeps the ETag of the answer. */
async function request<T>(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T> & { etag: string | null }> {
  const response = await fetch(`${swx.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    body: (await response.json()) as T,
    etag: response.headers.get('ETag'),
  };
}

const read = (token: string, id: string) => request<History>(token, 'GET', `/v1/clearances/${id}`);
const decide = (token: string, id: string, body: Record<string, unknown>, ifMatch?: string) =>
  request<{ status: string; previousStatus: string }>(
    token,
    'POST',
    `/v1/clearances/${id}/decision`,
    body,
    ifMatch === undefined ? {} : { 'If-Match': ifMatch },
  );
const declareYellow = async () => (await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW' }))).id;

describe.each(RUNTIMES)('on %s', (runtime) => {
  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [trader, officerA, officerB] = await Promise.all([
      swx.createKey('trader', '0301234567'),
      swx.createKey('officer', 'HQ-0042', 'Officer Nguyen Van An'),
      swx.createKey('officer', 'HQ-0077', 'Officer Tran Thi Binh'),
    ]);
  }, 60_000);
  afterAll(async () => swx?.close());

  describe('a decision carries the state the officer decided from', () => {
    it('refuses A’s release after B’s hold (409 naming the status now, who and when), records nothing of it, and takes it once A read again', async () => {
      const id = await declareYellow();
      const seenByA = await read(officerA, id);
      expect(seenByA.body.status).toBe('UNDER_REVIEW');
      expect(seenByA.etag).toMatch(/^"UNDER_REVIEW@\d+"$/);

      const held = await decide(officerB, id, { action: 'hold', reason: 'Price check' }, (await read(officerB, id)).etag ?? '');
      expect(held.status).toBe(200);
      expect(held.etag).toMatch(/^"HELD@\d+"$/);

      const release = await decide(officerA, id, { action: 'release', reason: 'Documents in order' }, seenByA.etag ?? '');
      const problem = expectProblem(release, 409, 'CLEARANCE_CHANGED');
      expect(problem.detail).toContain(`If-Match ${seenByA.etag} is not its ETag ${held.etag} any more: it is now HELD (was UNDER_REVIEW)`);
      expect(problem.detail).toMatch(/after hold by officer HQ-0077 \(Officer Tran Thi Binh\) at \d{4}-\d{2}-\d{2}T[\d:.]+Z \(ledger index \d+\)/);

      const byStatus = await decide(officerA, id, { action: 'release', reason: 'Documents in order', expectedStatus: 'UNDER_REVIEW' });
      expect(expectProblem(byStatus, 409, 'CLEARANCE_CHANGED').detail).toContain('it is now HELD, not UNDER_REVIEW');

      const now = await read(officerA, id);
      expect(now.body.status).toBe('HELD');
      expect(now.body.decisions.map((decision) => [decision.action, decision.officer])).toEqual([['hold', 'HQ-0077']]);
      expect(now.body.history.filter((step) => step.type === 'DECISION_RECORDED')).toHaveLength(1);
      expect(
        (
          await swx.query<{ n: number }>("SELECT count(*) AS n FROM declaration_timeline WHERE declaration_id = ? AND type = 'DECISION_RECORDED'", id)
        )[0]?.n,
      ).toBe(1);
      expect(now.etag).toBe(held.etag);

      const released = await decide(officerA, id, { action: 'release', reason: 'Documents in order', expectedStatus: 'HELD' }, now.etag ?? '');
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ previousStatus: 'HELD', status: 'RELEASED' });
    });

    it('keeps the ETag while only messages come and go, takes If-Match: * and a list, refuses a weak ETag', async () => {
      const id = await declareYellow();
      // The ACDD's delivery to the partner (a simulator's receipt, or a failed attempt where no simulator runs) is recorded.
      const delivered = await waitFor(
        () => read(officerA, id),
        (answer) => answer.body.history.some((step) => step.type === 'MESSAGE_DELIVERED' || step.type === 'DELIVERY_FAILED'),
      );
      const lastStatus = delivered.body.history.filter((step) => step.type === 'STATUS_CHANGED').at(-1);
      expect(delivered.etag).toBe(`"UNDER_REVIEW@${lastStatus?.ledgerIndex}"`);

      expectProblem(await decide(officerA, id, { action: 'hold', reason: 'Weak' }, `W/${delivered.etag}`), 409, 'CLEARANCE_CHANGED');
      expect((await decide(officerA, id, { action: 'hold', reason: 'Listed' }, `"HELD@0", ${delivered.etag}`)).status).toBe(200);
      expect((await decide(officerA, id, { action: 'inspect', reason: 'Any version' }, '*')).status).toBe(200);
    });

    it('still takes a decision with no precondition (backwards compatible): it applies to the declaration as it is now', async () => {
      const id = await declareYellow();
      expect((await decide(officerB, id, { action: 'hold', reason: 'No precondition' })).status).toBe(200);
    });

    it('documents If-Match, expectedStatus, the ETag and the 409 in /openapi.json', async () => {
      const document = (await (await fetch(`${swx.url}/openapi.json`)).json()) as {
        paths: Record<
          string,
          Record<
            string,
            { parameters?: { name: string; in: string }[]; responses: Record<string, { description: string; headers?: Record<string, unknown> }> }
          >
        >;
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      };
      const decision = document.paths['/v1/clearances/{id}/decision']?.['post'];
      expect(decision?.parameters).toContainEqual(expect.objectContaining({ name: 'if-match', in: 'header' }));
      expect(decision?.responses['409']?.description).toContain('CLEARANCE_CHANGED');
      expect(Object.keys(decision?.responses['200']?.headers ?? {})).toEqual(['ETag']);
      expect(Object.keys(document.paths['/v1/clearances/{id}']?.['get']?.responses['200']?.headers ?? {})).toEqual(['ETag']);
      expect(Object.keys(document.components.schemas['ClearanceDecision']?.properties ?? {})).toContain('expectedStatus');
    });
  });
});
