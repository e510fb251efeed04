import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import type { Certificate } from '../../../src/core/certificate/certificate.js';
import type { ImportAssessment } from '../../../src/core/import-assessment/import-assessment.js';
import type { Declaration } from '../../../src/core/declaration/declaration.js';
import { isCoreError } from '../../../src/core/errors.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';
import { decodeEntry } from '../../../src/core/ledger/entry.js';
import { hashLeaf } from '../../../src/core/ledger/merkle.js';
import type { ExchangeMessage, ExchangeStore } from '../../../src/core/exchange/exchange-store.js';

const at = '2026-11-20T07:05:00.000Z';

const aDeclaration = (id: string, overrides: Partial<Declaration> = {}): Declaration => ({
  id,
  declarationNumber: `N-${id}`,
  kind: 'IMPORT',
  partyId: '0201234567',
  status: 'UNDER_REVIEW',
  channel: 'YELLOW',
  channelReasons: [],
  partnerId: 'TH',
  document: { id },
  createdAt: at,
  updatedAt: at,
  ...overrides,
});

const aMessage = (messageId: string, overrides: Partial<ExchangeMessage> = {}): ExchangeMessage => ({
  messageId,
  direction: 'OUT',
  partnerId: 'TH',
  documentType: 'ACDD',
  conversationId: messageId,
  refTo: undefined,
  declarationId: undefined,
  envelope: `<Envelope>${messageId}</Envelope>`,
  digest: `digest-${messageId}`,
  receipt: undefined,
  ledgerIndex: undefined,
  createdAt: at,
  ...overrides,
});

const aCertificate = (id: string, overrides: Partial<Certificate> = {}): Certificate => ({
  id,
  documentType: 'FORM_D',
  direction: 'IN',
  referenceNumber: `REF-${id}`,
  issuingCountry: 'TH',
  importingCountry: 'VN',
  partnerId: 'TH',
  agencyId: 'VN-CUSTOMS',
  status: 'RECEIVED',
  document: { id },
  messageId: undefined,
  replaces: undefined,
  issueDate: '2026-11-01',
  validUntil: undefined,
  utilisation: [],
  createdAt: at,
  updatedAt: at,
  ...overrides,
});

const event = (subject: string, status = 'UNDER_REVIEW') => ({ type: 'STATUS_CHANGED' as const, subject, at, data: { status } });

const queued = (messageId: string) => ({ type: 'MESSAGE_QUEUED' as const, subject: messageId, at, data: { partner: 'TH' } });

/**
 * The behaviour every ExchangeStore adapter must show (SQLite on Node; in memory; later D1 and Durable Objects):
 * call it from each adapter's test with a fresh, empty store per call.
 * @example describeExchangeStoreContract('SqliteExchangeStore', () => new SqliteExchangeStore(db, new SqliteLedgerStore(db)))
 */
export function describeExchangeStoreContract(name: string, makeStore: () => ExchangeStore): void {
  describe(`${name} (ExchangeStore contract)`, () => {
    it('appends the events as ledger entries in order, each with its index, canonical bytes and RFC 9162 leaf hash', async () => {
      const store = makeStore();
      const first = await store.commit(new ChangeBuilder().event(event('a')).event(event('b')).build());
      const second = await store.commit(new ChangeBuilder().event(event('c')).build());
      expect([...first, ...second].map((entry) => [entry.index, entry.subject])).toEqual([
        [0, 'a'],
        [1, 'b'],
        [2, 'c'],
      ]);
      for (const entry of [...first, ...second]) {
        expect(decodeEntry(entry.bytes)).toMatchObject({ index: entry.index, subject: entry.subject });
        expect(Uint8Array.from(entry.leafHash)).toEqual(Uint8Array.from(hashLeaf(nodeSha256, entry.bytes)));
      }
    });

    it('records a declaration with its timeline, and each message with the ledger index of the event that carries it', async () => {
      const store = makeStore();
      const declaration = aDeclaration('d-1');
      const message = aMessage('m-1', { declarationId: 'd-1' });
      const entries = await store.commit(
        new ChangeBuilder()
          .insertDeclaration(declaration)
          .event(event('d-1'), { declarationId: 'd-1' })
          .event(queued('m-1'), { declarationId: 'd-1', messageId: 'm-1', records: message })
          .build(),
      );
      expect(await store.getDeclaration('d-1')).toEqual(declaration);
      expect((await store.getTimeline('d-1')).map((step) => [step.ledgerIndex, step.type, step.messageId])).toEqual([
        [entries[0]?.index, 'STATUS_CHANGED', undefined],
        [entries[1]?.index, 'MESSAGE_QUEUED', 'm-1'],
      ]);
      expect(await store.getMessage('m-1')).toEqual({ ...message, ledgerIndex: entries[1]?.index });
      expect(await store.listMessages('d-1')).toEqual([{ ...message, ledgerIndex: entries[1]?.index }]);
    });

    it('stores the idempotency answer with the ledger index of the labelled event filled in', async () => {
      const store = makeStore();
      await store.commit(new ChangeBuilder().event(event('before')).build());
      await store.commit(
        new ChangeBuilder()
          .insertDeclaration(aDeclaration('d-1'))
          .event(event('d-1'), { declarationId: 'd-1' })
          .event(event('d-1', 'CLEARED'), { declarationId: 'd-1', label: 'accepted' })
          .answerIdempotently({ partyId: 'p', key: 'k', requestHash: 'h', answer: { id: 'd-1' }, ledgerIndexes: { ledgerIndex: 'accepted' } })
          .build(),
      );
      expect(await store.findIdempotency('p', 'k')).toEqual({ requestHash: 'h', answer: { id: 'd-1', ledgerIndex: 2 } });
      expect(await store.findIdempotency('p', 'other')).toBeUndefined();
    });

    it('writes nothing of a change that fails: a second record of the same Idempotency-Key', async () => {
      const store = makeStore();
      const answer = { partyId: 'p', key: 'k', requestHash: 'h', answer: {}, ledgerIndexes: {} };
      await store.commit(new ChangeBuilder().answerIdempotently(answer).build());
      await expect(
        store.commit(new ChangeBuilder().insertDeclaration(aDeclaration('d-2')).event(event('d-2')).answerIdempotently(answer).build()),
      ).rejects.toBeDefined();
      expect(await store.getDeclaration('d-2')).toBeUndefined();
      expect((await store.commit(new ChangeBuilder().event(event('next')).build()))[0]?.index).toBe(0);
    });

    it('refuses a message id already recorded with MESSAGE_ID_CONFLICT', async () => {
      const store = makeStore();
      const records = aMessage('m-1', { direction: 'IN' });
      await store.commit(new ChangeBuilder().receive(event('m-1'), records).build());
      const error = await store.commit(new ChangeBuilder().receive(event('m-1'), records).build()).catch((failure: unknown) => failure);
      expect(isCoreError(error, 'MESSAGE_ID_CONFLICT')).toBe(true);
    });

    it('applies a declaration update only from its expected status; otherwise DOCUMENT_STATE_CONFLICT and nothing written', async () => {
      const store = makeStore();
      await store.commit(new ChangeBuilder().insertDeclaration(aDeclaration('d-1')).build());
      const decide = (expectedStatus: Declaration['status']) =>
        store.commit(
          new ChangeBuilder()
            .event(event('d-1', 'HELD'), { declarationId: 'd-1' })
            .updateDeclaration({ id: 'd-1', status: 'HELD', channel: 'RED', updatedAt: '2026-11-20T08:00:00.000Z', expectedStatus })
            .build(),
        );
      await decide('UNDER_REVIEW');
      expect(await store.getDeclaration('d-1')).toMatchObject({
        status: 'HELD',
        channel: 'RED',
        channelReasons: [],
        updatedAt: '2026-11-20T08:00:00.000Z',
      });
      const error = await decide('UNDER_REVIEW').catch((failure: unknown) => failure);
      expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
      expect(await store.getTimeline('d-1')).toHaveLength(1);
    });

    it('queues outbox rows, lists them due per partner, and moves them on', async () => {
      const store = makeStore();
      for (const [messageId, partnerId, notBefore] of [
        ['m-1', 'TH', 300],
        ['m-2', 'TH', 100],
        ['m-3', 'SG', 100],
      ] as const) {
        const change = new ChangeBuilder().event(queued(messageId), { messageId, records: aMessage(messageId, { partnerId }) }).build();
        await store.commit({ ...change, enqueue: [{ messageId, partnerId, notBefore }] });
      }
      expect((await store.dueOutbox('TH', 1000, 10)).map((item) => item.messageId)).toEqual(['m-2', 'm-1']);
      expect((await store.dueOutbox('TH', 200, 10)).map((item) => item.messageId)).toEqual(['m-2']);
      expect((await store.overdueOutbox('TH', 150, 10)).map((item) => item.messageId)).toEqual(['m-2']);
      expect(await store.getOutbox('m-2')).toEqual({
        messageId: 'm-2',
        partnerId: 'TH',
        state: 'PENDING',
        attempts: 0,
        nextAttemptAt: 100,
        lastError: undefined,
        budgetStartedAt: 100,
      });

      await store.commit(
        new ChangeBuilder().updateOutbox({ messageId: 'm-2', state: 'DEAD_LETTER', attempts: 3, nextAttemptAt: 900, lastError: 'down' }).build(),
      );
      await store.commit(
        new ChangeBuilder()
          .setReceipt('m-1', '<Receipt/>')
          .updateOutbox({ messageId: 'm-1', state: 'DELIVERED', attempts: 1, nextAttemptAt: 500, lastError: undefined })
          .build(),
      );
      expect(await store.getOutbox('m-2')).toMatchObject({ state: 'DEAD_LETTER', attempts: 3, lastError: 'down', budgetStartedAt: 100 });
      expect((await store.getMessage('m-1'))?.receipt).toBe('<Receipt/>');
      expect((await store.listOutbox({ state: 'DEAD_LETTER', limit: 10 })).map((item) => item.messageId)).toEqual(['m-2']);
      expect((await store.listOutbox({ state: 'PENDING', partnerId: 'SG', limit: 10 })).map((item) => item.messageId)).toEqual(['m-3']);
      expect((await store.outboxSummary()).map(({ partnerId, state, count }) => [partnerId, state, count])).toEqual([
        ['SG', 'PENDING', 1],
        ['TH', 'DEAD_LETTER', 1],
        ['TH', 'DELIVERED', 1],
      ]);

      await store.commit(
        new ChangeBuilder()
          .updateOutbox({ messageId: 'm-2', state: 'PENDING', attempts: 0, nextAttemptAt: 1000, lastError: 'down', budgetStartedAt: 1000 })
          .build(),
      );
      expect(await store.getOutbox('m-2')).toMatchObject({ state: 'PENDING', budgetStartedAt: 1000 });
    });

    it('keeps the id of the request that queued a message, through retries and a re-drive, and none for a message queued without one', async () => {
      const store = makeStore();
      for (const [messageId, requestId] of [
        ['m-1', 'coffee-to-bangkok-1'],
        ['m-2', undefined],
      ] as const) {
        const change = new ChangeBuilder().event(queued(messageId), { messageId, records: aMessage(messageId) }).build();
        await store.commit({
          ...change,
          enqueue: [{ messageId, partnerId: 'TH', notBefore: 100, ...(requestId === undefined ? {} : { requestId }) }],
        });
      }
      await store.commit(
        new ChangeBuilder().updateOutbox({ messageId: 'm-1', state: 'DEAD_LETTER', attempts: 5, nextAttemptAt: 900, lastError: 'down' }).build(),
      );
      await store.commit(
        new ChangeBuilder()
          .updateOutbox({ messageId: 'm-1', state: 'PENDING', attempts: 0, nextAttemptAt: 1000, lastError: 'down', budgetStartedAt: 1000 })
          .build(),
      );
      expect(await store.getOutbox('m-1')).toMatchObject({ state: 'PENDING', requestId: 'coffee-to-bangkok-1' });
      expect((await store.dueOutbox('TH', 2000, 10)).map((item) => [item.messageId, item.requestId])).toEqual([
        ['m-2', undefined],
        ['m-1', 'coffee-to-bangkok-1'],
      ]);
      expect(await store.getOutbox('m-2')).not.toHaveProperty('requestId');
    });

    it('refuses to queue a message it does not hold', async () => {
      const store = makeStore();
      await expect(
        store.commit({ ...new ChangeBuilder().build(), enqueue: [{ messageId: 'nowhere', partnerId: 'TH', notBefore: 0 }] }),
      ).rejects.toBeDefined();
      expect(await store.getOutbox('nowhere')).toBeUndefined();
    });

    it('finds certificates by reference and status, oldest first, and updates them only from their expected status', async () => {
      const store = makeStore();
      const older = aCertificate('c-1', { referenceNumber: 'R', issuingCountry: 'TH' });
      const newer = aCertificate('c-2', { referenceNumber: 'R', issuingCountry: 'SG', createdAt: '2026-11-21T00:00:00.000Z' });
      await store.commit(new ChangeBuilder().insertCertificate(newer).insertCertificate(older).build());
      expect((await store.findCertificates({ documentType: 'FORM_D', direction: 'IN', referenceNumber: 'R' })).map((c) => c.id)).toEqual([
        'c-1',
        'c-2',
      ]);
      expect(
        (await store.findCertificates({ documentType: 'FORM_D', direction: 'IN', referenceNumber: 'R', issuingCountry: 'SG' })).map((c) => c.id),
      ).toEqual(['c-2']);
      await store.commit(
        new ChangeBuilder()
          .updateCertificate({ id: 'c-1', status: 'ACCEPTED', statusReason: 'ok', updatedAt: '2026-11-22T00:00:00.000Z', expectedStatus: 'RECEIVED' })
          .build(),
      );
      expect(await store.getCertificate('c-1')).toEqual({ ...older, status: 'ACCEPTED', statusReason: 'ok', updatedAt: '2026-11-22T00:00:00.000Z' });
      expect((await store.listCertificates({ documentType: 'FORM_D', direction: 'IN', statuses: ['RECEIVED'] })).map((c) => c.id)).toEqual(['c-2']);
      const error = await store
        .commit(new ChangeBuilder().updateCertificate({ id: 'c-1', status: 'REJECTED', updatedAt: at, expectedStatus: 'RECEIVED' }).build())
        .catch((failure: unknown) => failure);
      expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
      await expect(
        store.commit(new ChangeBuilder().insertCertificate(aCertificate('c-3', { referenceNumber: 'R', issuingCountry: 'TH' })).build()),
      ).rejects.toBeDefined();
    });

    it('keeps assessments: the declarations awaiting a type while AWAITING_DOCUMENTS, and those relying on a certificate', async () => {
      const store = makeStore();
      const assessment = (declarationId: string, state: 'AWAITED' | 'MET', certificateId?: string): ImportAssessment => ({
        declarationId,
        requirements: [
          {
            requirement: 'form-d-preference',
            documentType: 'FORM_D',
            state,
            detail: state,
            ...(certificateId === undefined ? {} : { certificateId }),
          },
        ],
        preference: undefined,
        updatedAt: at,
      });
      await expect(
        store.commit(new ChangeBuilder().insertCertificate(aCertificate('c-1')).putAssessment(assessment('d-1', 'AWAITED')).build()),
      ).rejects.toBeDefined();
      expect(await store.getCertificate('c-1')).toBeUndefined();
      await store.commit(new ChangeBuilder().insertDeclaration(aDeclaration('d-1', { status: 'AWAITING_DOCUMENTS' })).build());
      await store.commit(new ChangeBuilder().insertDeclaration(aDeclaration('d-2', { createdAt: '2026-11-19T00:00:00.000Z' })).build());
      await store.commit(
        new ChangeBuilder()
          .insertCertificate(aCertificate('c-1'))
          .putAssessment(assessment('d-1', 'AWAITED'))
          .putAssessment(assessment('d-2', 'MET', 'c-1'))
          .build(),
      );
      expect((await store.listAwaitingDeclarations('FORM_D')).map((d) => d.id)).toEqual(['d-1']);
      expect(await store.listAwaitingDeclarations('EPHYTO')).toEqual([]);
      expect((await store.listDeclarationsRelyingOn('c-1')).map((d) => d.id)).toEqual(['d-2']);
      await store.commit(new ChangeBuilder().putAssessment(assessment('d-1', 'MET', 'c-1')).build());
      expect(await store.listAwaitingDeclarations('FORM_D')).toEqual([]);
      expect((await store.listDeclarationsRelyingOn('c-1')).map((d) => d.id)).toEqual(['d-2', 'd-1']);
    });

    it('moves a guard only from the version read; a stale guard fails the whole commit', async () => {
      const store = makeStore();
      expect(await store.guardVersions(['G'])).toEqual(new Map([['G', 0]]));
      await store.commit(new ChangeBuilder().guard([{ key: 'G', expectedVersion: 0 }]).build());
      expect(await store.guardVersions(['G', 'H'])).toEqual(
        new Map([
          ['G', 1],
          ['H', 0],
        ]),
      );
      const error = await store
        .commit(
          new ChangeBuilder()
            .guard([{ key: 'G', expectedVersion: 0 }])
            .insertCertificate(aCertificate('c-1'))
            .build(),
        )
        .catch((failure: unknown) => failure);
      expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
      expect(await store.getCertificate('c-1')).toBeUndefined();
      await store.commit(new ChangeBuilder().guard([{ key: 'G', expectedVersion: 1 }]).build());
      expect(await store.guardVersions(['G'])).toEqual(new Map([['G', 2]]));
    });

    it('lists the replies to a message, oldest first', async () => {
      const store = makeStore();
      const reply = (messageId: string, createdAt: string) => aMessage(messageId, { direction: 'IN', refTo: 'm-0', createdAt });
      await store.commit(
        new ChangeBuilder()
          .receive(event('m-2'), reply('m-2', '2026-11-21T00:00:00.000Z'))
          .receive(event('m-1'), reply('m-1', '2026-11-20T00:00:00.000Z'))
          .build(),
      );
      expect((await store.listReplies('m-0')).map((message) => message.messageId)).toEqual(['m-1', 'm-2']);
    });

    it('numbers declarations per year from 1', async () => {
      const store = makeStore();
      expect([
        await store.nextDeclarationSequence(2026),
        await store.nextDeclarationSequence(2026),
        await store.nextDeclarationSequence(2027),
      ]).toEqual([1, 2, 1]);
    });
  });
}
