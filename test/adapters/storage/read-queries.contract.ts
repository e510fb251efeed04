import { describe, expect, it } from 'vitest';
import type { ClearanceQueries } from '../../../src/core/clearance/clearance-search.js';
import type { Declaration } from '../../../src/core/declaration/declaration.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';
import type { ExchangeMessage, ExchangeStore } from '../../../src/core/exchange/exchange-store.js';
import type { MessageQueries } from '../../../src/core/exchange/message-search.js';
import type { ExchangeReportQueries } from '../../../src/core/report/exchange-report.js';

/** The officers' read ports over one database, and the store that commits into it. */
export interface ReadQueriesSubject {
  readonly store: ExchangeStore;
  readonly clearances: ClearanceQueries;
  readonly messages: MessageQueries;
  readonly reports: ExchangeReportQueries;
  /** Resolves once the readers see every commit made so far: at once on SQLite, after the projection into D1. */
  readonly settle: () => Promise<void>;
}

const day = (hour: number) => `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`;
/** Queued messages are due in a year: no delivery runs during a test. */
const NOT_DUE = Date.parse('2027-11-20T00:00:00.000Z');

const aDeclaration = (n: number, overrides: Partial<Declaration> = {}): Declaration => ({
  id: `d-${n}`,
  declarationNumber: `30600000000${n}`,
  kind: 'EXPORT',
  partyId: `010000000${n}`,
  status: 'UNDER_REVIEW',
  channel: 'YELLOW',
  channelReasons: [],
  partnerId: 'TH',
  document: { exporter: { name: `Exporter ${n} Trading_Co 100%` }, importer: { name: `Importer ${n}` }, items: [{ hsCode: `09011${n}00` }] },
  createdAt: day(n),
  updatedAt: day(n),
  ...overrides,
});

const aMessage = (messageId: string, overrides: Partial<ExchangeMessage> = {}): ExchangeMessage => ({
  messageId,
  direction: 'OUT',
  partnerId: 'TH',
  documentType: 'ACDD',
  conversationId: `c-${messageId}`,
  refTo: undefined,
  declarationId: undefined,
  envelope: `<Envelope>${messageId}</Envelope>`,
  digest: `digest-${messageId}`,
  receipt: undefined,
  ledgerIndex: undefined,
  createdAt: day(9),
  ...overrides,
});

async function submit(store: ExchangeStore, declaration: Declaration): Promise<void> {
  const { id, createdAt: at } = declaration;
  await store.commit(
    new ChangeBuilder()
      .insertDeclaration(declaration)
      .event({ type: 'DECLARATION_ACCEPTED', subject: id, at, data: {} }, { declarationId: id })
      .build(),
  );
}

/** Releases a declaration at `at`, by an officer's decision first when `manual`. */
async function release(store: ExchangeStore, declaration: Declaration, at: string, manual: boolean): Promise<void> {
  const { id } = declaration;
  const change = new ChangeBuilder();
  if (manual) change.event({ type: 'DECISION_RECORDED', subject: id, at, data: { action: 'release' } }, { declarationId: id });
  change
    .event({ type: 'STATUS_CHANGED', subject: id, at, data: { status: 'RELEASED', from: declaration.status } }, { declarationId: id })
    .updateDeclaration({ id, status: 'RELEASED', updatedAt: at, expectedStatus: declaration.status });
  await store.commit(change.build());
}

async function queueOutbound(store: ExchangeStore, message: ExchangeMessage): Promise<void> {
  const at = message.createdAt;
  const subject = message.messageId;
  await store.commit(
    new ChangeBuilder()
      .queue(
        {
          message,
          events: [
            { type: 'DOCUMENT_SIGNED', subject, at, data: { documentType: message.documentType } },
            { type: 'MESSAGE_QUEUED', subject, at, data: { partner: message.partnerId } },
          ],
        },
        { notBefore: NOT_DUE, declarationId: message.declarationId },
      )
      .build(),
  );
}

async function receiveInbound(store: ExchangeStore, message: ExchangeMessage, routedTo: string): Promise<void> {
  await store.commit(
    new ChangeBuilder()
      .receive(
        {
          type: 'DOCUMENT_RECEIVED',
          subject: message.messageId,
          at: message.createdAt,
          data: { from: message.partnerId, routedTo, summary: { exporter: 'Siam Rice' } },
        },
        message,
      )
      .build(),
  );
}

async function refuseEnvelope(store: ExchangeStore, at: string): Promise<void> {
  await store.commit(
    new ChangeBuilder()
      .event({
        type: 'DOCUMENT_REJECTED',
        subject: 'm-refused',
        at,
        data: { code: 'SIGNATURE_INVALID', from: 'MY', documentType: 'FORM_D', envelopeDigest: 'digest-refused' },
      })
      .build(),
  );
}

/**
 * The behaviour every adapter of the officers' read ports (ClearanceQueries, MessageQueries, ExchangeReportQueries)
 * must show over what the exchange store committed: the SQLite adapters, and the D1 adapters over the read model the
 * EXCHANGE object projects. Each test makes a fresh subject.
 * @example describeReadQueriesContract('SQLite', async () => ({ store, clearances, messages, reports, settle: async () => {} }))
 */
export function describeReadQueriesContract(name: string, makeSubject: () => Promise<ReadQueriesSubject>): void {
  describe(`${name} (officers' read ports contract)`, () => {
    it('searches declarations newest first, by status, channel, partner, period and document type, page by page', async () => {
      const subject = await makeSubject();
      const [one, two, three] = [aDeclaration(1), aDeclaration(2, { channel: 'RED', partnerId: 'MY' }), aDeclaration(3, { kind: 'IMPORT' })];
      for (const declaration of [one, two, three]) await submit(subject.store, declaration);
      await release(subject.store, one, day(5), false);
      await queueOutbound(subject.store, aMessage('m-acdd', { declarationId: two.id }));
      await subject.settle();
      const ids = async (filter: Parameters<ClearanceQueries['search']>[0]) => (await subject.clearances.search(filter)).map((row) => row.id);

      expect(await ids({ limit: 10 })).toEqual(['d-3', 'd-2', 'd-1']);
      expect(await ids({ status: 'RELEASED', limit: 10 })).toEqual(['d-1']);
      expect(await ids({ channel: 'RED', limit: 10 })).toEqual(['d-2']);
      expect(await ids({ partner: 'MY', limit: 10 })).toEqual(['d-2']);
      expect(await ids({ period: { from: day(2), until: day(3) }, limit: 10 })).toEqual(['d-2']);
      expect(await ids({ documentType: 'IMPORT_DECLARATION', limit: 10 })).toEqual(['d-3']);
      expect(await ids({ documentType: 'ACDD', limit: 10 })).toEqual(['d-2']);
      expect(await ids({ after: { createdAt: day(2), id: 'd-2' }, limit: 10 })).toEqual(['d-1']);
      expect(await ids({ limit: 2 })).toEqual(['d-3', 'd-2']);
      expect(await ids({ order: 'oldest', limit: 10 })).toEqual(['d-1', 'd-2', 'd-3']);
      expect(await ids({ order: 'oldest', after: { createdAt: day(1), id: 'd-1' }, limit: 1 })).toEqual(['d-2']);
      expect(await ids({ channel: ['RED', 'GREEN'], limit: 10 })).toEqual(['d-2']);
      expect(await ids({ status: ['RELEASED', 'HELD'], channel: ['YELLOW', 'RED'], order: 'oldest', limit: 10 })).toEqual(['d-1']);
      expect(await ids({ status: [], limit: 10 })).toEqual([]);
      expect((await subject.clearances.search({ status: 'RELEASED', limit: 1 }))[0]).toEqual({
        id: 'd-1',
        declarationNumber: '306000000001',
        kind: 'EXPORT',
        status: 'RELEASED',
        channel: 'YELLOW',
        partner: 'TH',
        partyId: '0100000001',
        trader: 'Exporter 1 Trading_Co 100%',
        submittedAt: day(1),
        updatedAt: day(5),
      });
    });

    it('matches q exactly on the number or party, from the start of an HS code, anywhere in the trader name (any case, % and _ literal)', async () => {
      const subject = await makeSubject();
      for (const n of [1, 2]) await submit(subject.store, aDeclaration(n, n === 2 ? { kind: 'IMPORT' } : {}));
      await subject.settle();
      const ids = async (q: string) => (await subject.clearances.search({ q, limit: 10 })).map((row) => row.id);

      expect(await ids('306000000001')).toEqual(['d-1']);
      expect(await ids('0100000002')).toEqual(['d-2']);
      expect(await ids('0901')).toEqual(['d-2', 'd-1']);
      expect(await ids('090111')).toEqual(['d-1']);
      expect(await ids('11200')).toEqual([]);
      expect(await ids('exporter 1 TRADING')).toEqual(['d-1']);
      // An import declaration's trader is its importer.
      expect(await ids('importer 2')).toEqual(['d-2']);
      expect(await ids('Exporter 2')).toEqual([]);
      expect(await ids('Trading_Co 100%')).toEqual(['d-1']);
      expect(await ids('Trading%Co')).toEqual([]);
      expect(await ids('Tradingx')).toEqual([]);
    });

    it('answers a q of 200 characters, longer than any LIKE pattern D1 accepts, with what matches it', async () => {
      const subject = await makeSubject();
      const name = `${'Công ty TNHH Xuất nhập khẩu '.repeat(8)}Đà Nẵng`.slice(0, 200);
      await submit(subject.store, aDeclaration(1, { document: { exporter: { name }, items: [] } }));
      await submit(subject.store, aDeclaration(2));
      await subject.settle();

      expect(name).toHaveLength(200);
      expect((await subject.clearances.search({ q: name, limit: 10 })).map((row) => row.id)).toEqual(['d-1']);
      expect(await subject.clearances.search({ q: 'x'.repeat(200), limit: 10 })).toEqual([]);
    });

    it('lists messages newest first, by direction, partner, document type and routing, with what their ledger entry recorded', async () => {
      const subject = await makeSubject();
      await queueOutbound(subject.store, aMessage('m-out', { createdAt: day(8) }));
      await receiveInbound(subject.store, aMessage('m-in', { direction: 'IN', partnerId: 'MY', documentType: 'EPHYTO' }), 'PPD');
      await subject.settle();
      const ids = async (filter: Parameters<MessageQueries['search']>[0]) => (await subject.messages.search(filter)).map((row) => row.messageId);

      expect(await ids({ limit: 10 })).toEqual(['m-in', 'm-out']);
      expect(await ids({ direction: 'OUT', limit: 10 })).toEqual(['m-out']);
      expect(await ids({ partner: 'MY', limit: 10 })).toEqual(['m-in']);
      expect(await ids({ documentType: 'ACDD', limit: 10 })).toEqual(['m-out']);
      expect(await ids({ routedTo: 'PPD', limit: 10 })).toEqual(['m-in']);
      expect(await ids({ after: { createdAt: day(9), id: 'm-in' }, limit: 10 })).toEqual(['m-out']);
      expect((await subject.messages.search({ direction: 'IN', limit: 1 }))[0]).toEqual({
        messageId: 'm-in',
        direction: 'IN',
        partner: 'MY',
        documentType: 'EPHYTO',
        conversationId: 'c-m-in',
        refTo: null,
        declarationId: null,
        ledgerIndex: expect.any(Number),
        createdAt: day(9),
        routedTo: 'PPD',
        summary: { exporter: 'Siam Rice' },
      });
    });

    it('counts messages by outcome (an outbound one as its outbox state changes) and refused envelopes, and lists releases', async () => {
      const subject = await makeSubject();
      const [green, yellow] = [aDeclaration(1, { channel: 'GREEN' }), aDeclaration(2)];
      for (const declaration of [green, yellow]) await submit(subject.store, declaration);
      await release(subject.store, green, day(3), false);
      await release(subject.store, yellow, day(4), true);
      await queueOutbound(subject.store, aMessage('m-out', { declarationId: green.id }));
      await receiveInbound(subject.store, aMessage('m-in', { direction: 'IN', documentType: 'CUSTOMS_RESPONSE' }), 'CUSTOMS');
      await refuseEnvelope(subject.store, day(10));
      await subject.settle();
      const period = { from: day(0), until: day(23) };
      const counts = async () =>
        [...(await subject.reports.messageCounts(period))].sort((a, b) => `${a.direction}${a.outcome}`.localeCompare(`${b.direction}${b.outcome}`));

      expect(await counts()).toEqual([
        { partner: 'TH', documentType: 'CUSTOMS_RESPONSE', direction: 'IN', outcome: 'ACCEPTED', count: 1 },
        { partner: 'MY', documentType: 'FORM_D', direction: 'IN', outcome: 'REJECTED', count: 1 },
        { partner: 'TH', documentType: 'ACDD', direction: 'OUT', outcome: 'PENDING', count: 1 },
      ]);
      expect(await subject.reports.messageCounts({ from: day(11), until: day(23) })).toEqual([]);
      expect([...(await subject.reports.releases(period))].sort((a, b) => a.releasedAt.localeCompare(b.releasedAt))).toEqual([
        { channel: 'GREEN', submittedAt: day(1), releasedAt: day(3), manual: false },
        { channel: 'YELLOW', submittedAt: day(2), releasedAt: day(4), manual: true },
      ]);
      await submit(subject.store, aDeclaration(3, { id: 'd-next-day', declarationNumber: '306000000099', createdAt: '2026-11-21T01:00:00.000Z' }));
      await subject.settle();
      const perDay = async (until: string) =>
        [...(await subject.reports.declarationsPerDay({ from: day(0), until }))].sort((a, b) =>
          `${a.day}${a.channel}`.localeCompare(`${b.day}${b.channel}`),
        );
      expect(await perDay('2026-11-22T00:00:00.000Z')).toEqual([
        { day: '2026-11-20', channel: 'GREEN', count: 1 },
        { day: '2026-11-20', channel: 'YELLOW', count: 1 },
        { day: '2026-11-21', channel: 'YELLOW', count: 1 },
      ]);
      expect(await perDay('2026-11-21T01:00:00.000Z')).toHaveLength(2);

      await subject.store.commit(
        new ChangeBuilder()
          .event({ type: 'MESSAGE_DELIVERED', subject: 'm-out', at: day(11), data: { partner: 'TH', attempts: 1 } }, { messageId: 'm-out' })
          .updateOutbox({ messageId: 'm-out', state: 'DELIVERED', attempts: 1, nextAttemptAt: NOT_DUE, lastError: undefined })
          .build(),
      );
      await subject.settle();
      expect((await counts()).at(-1)).toEqual({ partner: 'TH', documentType: 'ACDD', direction: 'OUT', outcome: 'DELIVERED', count: 1 });
    });
  });
}
