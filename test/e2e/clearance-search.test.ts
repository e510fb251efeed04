import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, submitExport } from '../helpers/api-client.js';
import { anExportDeclaration, type ExportDeclarationOptions } from '../helpers/export-declarations.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/** Officers' search, `GET /v1/clearances`, over real HTTP on both runtimes: cursor pages and every filter, against what the test declared. */

interface Summary {
  id: string;
  declarationNumber: string;
  kind: string;
  status: string;
  channel: string;
  partner: string | null;
  partyId: string;
  trader: string | null;
  submittedAt: string;
  updatedAt: string;
}

interface Page {
  items: Summary[];
  nextCursor: string | null;
}

interface Declared {
  id: string;
  declarationNumber: string;
  party: string;
  options: ExportDeclarationOptions;
}

const TRADER_A = '0301234567';
const TRADER_B = '0109876543';

/** What the test declares: 22 declarations of two traders, in three channels, to three partners or none. */
const PLAN: readonly { party: string; count: number; options: ExportDeclarationOptions }[] = [
  { party: TRADER_A, count: 12, options: { channel: 'YELLOW', destination: 'TH' } },
  { party: TRADER_A, count: 4, options: { channel: 'GREEN', destination: 'SG', exporterName: 'Saigon Pepper Trading' } },
  {
    party: TRADER_B,
    count: 3,
    options: { channel: 'RED', destination: 'TH', acddConsent: false, exporterName: 'Ha Noi Gold Company', exporterTaxId: TRADER_B },
  },
  { party: TRADER_B, count: 3, options: { channel: 'YELLOW', destination: 'MY', exporterName: 'Ha Noi Rubber 50%_Co', exporterTaxId: TRADER_B } },
];

describe.each(RUNTIMES)('GET /v1/clearances on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let officer: string;
  let tokens: Record<string, string>;
  const declared: Declared[] = [];

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    officer = await swx.createKey('officer', 'HQ-0042');
    tokens = { [TRADER_A]: await swx.createKey('trader', TRADER_A), [TRADER_B]: await swx.createKey('trader', TRADER_B) };
    for (const { party, count, options } of PLAN) {
      for (let i = 0; i < count; i += 1) {
        const answer = await submitExport(swx, tokens[party] ?? '', anExportDeclaration(options));
        declared.push({ id: answer.id, declarationNumber: answer.declarationNumber, party, options });
      }
    }
  });
  afterAll(() => swx.close());

  const search = (query: string) => call<Page>(swx, officer, 'GET', `/v1/clearances${query === '' ? '' : `?${query}`}`);
  /** Every item of a search, page after page by its cursors (from `start`, if given), with the page sizes seen. */
  const walk = async (query: string, limit: number, start: string | null = null) => {
    const items: Summary[] = [];
    const sizes: number[] = [];
    let cursor: string | null = start;
    do {
      const answer: { status: number; body: Page } = await search(
        `${query}&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      items.push(...answer.body.items);
      sizes.push(answer.body.items.length);
      cursor = answer.body.nextCursor;
    } while (cursor !== null && sizes.length < 100);
    return { items, sizes };
  };
  const idsOf = (items: readonly { id: string }[]) => items.map((item) => item.id).sort();
  const where = (test: (declaration: Declared) => boolean) => idsOf(declared.filter(test));
  const newestFirst = (items: readonly Summary[]) =>
    items.every(
      (item, i) =>
        i === 0 || items[i - 1]!.submittedAt > item.submittedAt || (items[i - 1]!.submittedAt === item.submittedAt && items[i - 1]!.id > item.id),
    );

  describe('paging with the cursor', () => {
    it('visits every declaration exactly once, newest first, in pages of the limit', async () => {
      const { items, sizes } = await walk('', 5);
      expect(sizes).toEqual([5, 5, 5, 5, 2]);
      expect(new Set(items.map((item) => item.id)).size).toBe(22);
      expect(idsOf(items)).toEqual(idsOf(declared));
      expect(newestFirst(items)).toBe(true);
      expect(items.at(-1)?.id).toBe(declared[0]?.id);
    });

    it('gives 50 by default and says when there is no next page', async () => {
      const { status, body } = await search('');
      expect(status).toBe(200);
      expect(body.items).toHaveLength(22);
      expect(body.nextCursor).toBeNull();
    });

    it('is not disturbed by declarations arriving mid-walk', async () => {
      const first = await search('limit=7');
      const lateOptions: ExportDeclarationOptions = { channel: 'YELLOW', acddConsent: false, exporterName: 'Late Arrival Co' };
      const late = await submitExport(swx, tokens[TRADER_A] ?? '', anExportDeclaration(lateOptions));
      const rest = await walk('', 7, first.body.nextCursor);
      const seen = [...first.body.items, ...rest.items];
      expect(idsOf(seen)).toEqual(idsOf(declared));
      expect(seen.some((item) => item.id === late.id)).toBe(false);
      expect((await search('q=Late%20Arrival')).body.items.map((item) => item.id)).toEqual([late.id]);
      // Leave the set as declared for the other tests.
      expect((await call(swx, tokens[TRADER_A], 'POST', `/v1/declarations/${late.id}/cancel`, { reason: 'test done' })).status).toBe(200);
      declared.push({ id: late.id, declarationNumber: late.declarationNumber, party: TRADER_A, options: lateOptions });
    });

    it('walks oldest first with order=oldest: every declaration once across page boundaries, the first filed first', async () => {
      const { items, sizes } = await walk('order=oldest', 5);
      expect(sizes.slice(0, -1).every((size) => size === 5)).toBe(true);
      expect(new Set(items.map((item) => item.id)).size).toBe(declared.length);
      expect(idsOf(items)).toEqual(idsOf(declared));
      expect(newestFirst([...items].reverse())).toBe(true);
      expect(items[0]?.id).toBe(declared[0]?.id);
      const newest = await walk('', 5);
      expect(items.map((item) => item.id)).toEqual(newest.items.map((item) => item.id).reverse());
    });

    it('pages oldest first through several statuses and channels at once, and keeps each cursor to its order', async () => {
      const { items, sizes } = await walk('order=oldest&status=UNDER_REVIEW&status=INSPECTION&channel=YELLOW&channel=RED', 4);
      expect(sizes).toEqual([4, 4, 4, 4, 2]);
      const awaiting = (d: Declared) =>
        (d.options.channel === 'YELLOW' || d.options.channel === 'RED') && d.options.exporterName !== 'Late Arrival Co';
      expect(idsOf(items)).toEqual(where(awaiting));
      expect(newestFirst([...items].reverse())).toBe(true);
      const oldestCursor = (await search('order=oldest&limit=3')).body.nextCursor;
      const newestCursor = (await search('limit=3')).body.nextCursor;
      expectProblem(await search(`cursor=${encodeURIComponent(oldestCursor ?? '')}`), 400, 'CURSOR_INVALID');
      expectProblem(await search(`order=oldest&cursor=${encodeURIComponent(newestCursor ?? '')}`), 400, 'CURSOR_INVALID');
      const problem = expectProblem(await search('order=sideways'), 422, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/order']);
    });

    it('walks a filtered search the same way', async () => {
      const { items, sizes } = await walk('channel=YELLOW&partner=TH', 4);
      expect(sizes).toEqual([4, 4, 4]);
      expect(idsOf(items)).toEqual(where((d) => d.options.channel === 'YELLOW' && d.options.destination === 'TH'));
    });

    it('refuses a cursor it did not hand out (400) and a limit out of 1..200 (422)', async () => {
      expectProblem(await search('cursor=not-a-cursor'), 400, 'CURSOR_INVALID');
      expectProblem(await search(`cursor=${Buffer.from('{"a":1}').toString('base64url')}`), 400, 'CURSOR_INVALID');
      expect((await search('limit=200')).status).toBe(200);
      for (const limit of ['0', '201', 'ten']) {
        const problem = expectProblem(await search(`limit=${limit}`), 422, 'VALIDATION_FAILED');
        expect(problem.errors?.map((error) => error.pointer)).toEqual(['/limit']);
      }
    });
  });

  describe('filters', () => {
    const found = async (query: string) => {
      const answer = await search(`${query}&limit=200`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return idsOf(answer.body.items);
    };

    it('by status and channel', async () => {
      expect(await found('status=RELEASED')).toEqual(where((d) => d.options.channel === 'GREEN'));
      expect(await found('channel=RED')).toEqual(where((d) => d.options.channel === 'RED'));
      expect(await found('status=CANCELLED')).toEqual(where((d) => d.options.exporterName === 'Late Arrival Co'));
      expect(await found('status=UNDER_REVIEW&channel=GREEN')).toEqual([]);
    });

    it('by partner: the gateway the ACDD went to', async () => {
      expect(await found('partner=TH')).toEqual(where((d) => d.options.destination === 'TH' && d.options.acddConsent !== false));
      expect(await found('partner=MY')).toEqual(where((d) => d.options.destination === 'MY'));
      expect(await found('partner=SG')).toEqual(where((d) => d.options.destination === 'SG'));
      expect(await found('partner=KR')).toEqual([]);
    });

    it('by document type: the declaration’s own or a message exchanged about it', async () => {
      expect(await found('documentType=EXPORT_DECLARATION')).toEqual(idsOf(declared));
      expect(await found('documentType=ACDD')).toEqual(where((d) => d.options.acddConsent !== false));
      expect(await found('documentType=IMPORT_DECLARATION')).toEqual([]);
      expect(await found('documentType=FORM_D')).toEqual([]);
    });

    it('by text: declaration number, party, HS code or trader name', async () => {
      const one = declared[5]!;
      expect(await found(`q=${one.declarationNumber}`)).toEqual([one.id]);
      expect(await found(`q=${TRADER_B}`)).toEqual(where((d) => d.party === TRADER_B));
      expect(await found('q=7108')).toEqual(where((d) => d.options.channel === 'RED'));
      expect(await found('q=0901')).toEqual(idsOf(declared));
      expect(await found('q=pepper')).toEqual(where((d) => d.options.exporterName === 'Saigon Pepper Trading'));
      expect(await found(`q=${encodeURIComponent('Cà phê Tây')}`)).toEqual(where((d) => d.options.exporterName === undefined));
      // % and _ are matched as themselves, not as wildcards.
      expect(await found(`q=${encodeURIComponent('50%_')}`)).toEqual(where((d) => d.options.destination === 'MY'));
      expect(await found(`q=${encodeURIComponent('%')}`)).toEqual(where((d) => d.options.destination === 'MY'));
      expect(await found('q=nothing-like-this')).toEqual([]);
    });

    it('by submission time', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      expect(await found(`from=${today}&to=${today}`)).toEqual(idsOf(declared));
      expect(await found(`from=${tomorrow}`)).toEqual([]);
      expect(await found(`to=${yesterday}`)).toEqual([]);
      const all = (await search('limit=200')).body.items;
      const middle = [...all].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))[10]!;
      expect(await found(`from=${encodeURIComponent(middle.submittedAt)}`)).toEqual(
        idsOf(all.filter((item) => item.submittedAt >= middle.submittedAt)),
      );
      expect(await found(`to=${encodeURIComponent(middle.submittedAt)}`)).toEqual(
        idsOf(all.filter((item) => item.submittedAt <= middle.submittedAt)),
      );
    });

    it('refuses a bad period with 400, naming the parameter', async () => {
      expect(expectProblem(await search('from=2026-11-22&to=2026-11-21'), 400, 'PERIOD_INVALID').errors?.map((e) => e.pointer)).toEqual(['/to']);
      expect(expectProblem(await search('from=last-week'), 400, 'PERIOD_INVALID').errors?.map((e) => e.pointer)).toEqual(['/from']);
      expectProblem(await search('status=PENDING'), 422, 'VALIDATION_FAILED');
    });

    it('shows each declaration’s summary', async () => {
      const gold = (await search('channel=RED&limit=1')).body.items[0];
      expect(gold).toMatchObject({
        kind: 'EXPORT',
        status: 'UNDER_REVIEW',
        channel: 'RED',
        partner: null,
        partyId: TRADER_B,
        trader: 'Ha Noi Gold Company',
      });
    });
  });
});
