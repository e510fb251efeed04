import { describe, expect, it } from 'vitest';
import type { Declaration } from '../../../src/core/declaration/declaration.js';
import { ChangeBuilder, buildIdempotencyAnswer, findLedgerIndex } from '../../../src/core/exchange/change-builder.js';
import type { SealedMessage } from '../../../src/core/exchange/seal-outbound-message.js';
import type { ExchangeMessage } from '../../../src/core/exchange/exchange-store.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const at = '2026-11-22T08:00:00.000Z';
const event = (subject: string) => ({ type: 'STATUS_CHANGED' as const, subject, at, data: {} });
const message = (messageId: string): ExchangeMessage => ({
  messageId,
  direction: 'OUT',
  partnerId: 'TH',
  documentType: 'FORM_D_STATUS',
  conversationId: messageId,
  refTo: undefined,
  declarationId: undefined,
  envelope: '<Envelope/>',
  digest: 'x',
  receipt: undefined,
  ledgerIndex: undefined,
  createdAt: at,
});
const sealed = (messageId: string): SealedMessage => ({
  message: message(messageId),
  events: [
    { type: 'DOCUMENT_SIGNED', subject: messageId, at, data: {} },
    { type: 'MESSAGE_QUEUED', subject: messageId, at, data: {} },
  ],
});
const declaration = { id: 'd-1' } as Declaration;

describe('ChangeBuilder', () => {
  it('queues a sealed message: DOCUMENT_SIGNED, then MESSAGE_QUEUED carrying the message, and its outbox row', () => {
    const change = new ChangeBuilder().queue(sealed('m-1'), { declarationId: 'd-1', notBefore: 5 }).build();
    expect(change.events).toEqual([
      { event: sealed('m-1').events[0], messageId: 'm-1', declarationId: 'd-1' },
      { event: sealed('m-1').events[1], messageId: 'm-1', declarationId: 'd-1', records: message('m-1') },
    ]);
    expect(change.enqueue).toEqual([{ messageId: 'm-1', partnerId: 'TH', notBefore: 5 }]);
  });

  it('names the request it answers on every message it queues, those of included changes too, and on none without one', () => {
    const other = new ChangeBuilder().queue(sealed('m-2'), { notBefore: 0 }).build();
    const change = new ChangeBuilder().queue(sealed('m-1'), { notBefore: 0 }).include(other).requestedBy('req-1').build();
    expect(change.enqueue.map((row) => [row.messageId, row.requestId])).toEqual([
      ['m-1', 'req-1'],
      ['m-2', 'req-1'],
    ]);
    expect(new ChangeBuilder().queue(sealed('m-3'), { notBefore: 0 }).requestedBy(undefined).build().enqueue).toEqual([
      { messageId: 'm-3', partnerId: 'TH', notBefore: 0 },
    ]);
  });

  describe('include', () => {
    it('puts the other change’s events after these, each keeping the message it carries', () => {
      const other = new ChangeBuilder().event(event('b')).queue(sealed('m-2'), { notBefore: 0 }).build();
      const change = new ChangeBuilder().queue(sealed('m-1'), { notBefore: 0 }).include(other).build();
      expect(change.events.map((bound) => [bound.event.subject, bound.records?.messageId])).toEqual([
        ['m-1', undefined],
        ['m-1', 'm-1'],
        ['b', undefined],
        ['m-2', undefined],
        ['m-2', 'm-2'],
      ]);
      expect(change.enqueue.map((row) => row.messageId)).toEqual(['m-1', 'm-2']);
    });

    it('keeps one guard per key, the version read first', () => {
      const other = new ChangeBuilder()
        .guard([
          { key: 'G', expectedVersion: 3 },
          { key: 'H', expectedVersion: 0 },
        ])
        .build();
      const change = new ChangeBuilder()
        .guard([{ key: 'G', expectedVersion: 2 }])
        .include(other)
        .build();
      expect(change.guards).toEqual([
        { key: 'G', expectedVersion: 2 },
        { key: 'H', expectedVersion: 0 },
      ]);
    });

    it('refuses two changes that each insert a declaration', () => {
      const other = new ChangeBuilder().insertDeclaration(declaration).build();
      expect(thrownCoreError(() => new ChangeBuilder().insertDeclaration(declaration).include(other)).code).toBe('INTERNAL');
    });
  });

  describe('the idempotency answer', () => {
    const answered = () =>
      new ChangeBuilder()
        .event(event('a'))
        .event(event('b'), { label: 'accepted' })
        .answerIdempotently({ partyId: 'p', key: 'k', requestHash: 'h', answer: { id: 'd-1' }, ledgerIndexes: { ledgerIndex: 'accepted' } });

    it('is data: the answer and the label whose ledger index fills each field', () => {
      const change = answered().build();
      expect(JSON.parse(JSON.stringify(change.idempotency))).toEqual(change.idempotency);
      const entries = [{ index: 40 }, { index: 41 }];
      expect(findLedgerIndex(change, entries, 'accepted')).toBe(41);
      expect(buildIdempotencyAnswer(change.idempotency as NonNullable<typeof change.idempotency>, change, entries)).toEqual({
        id: 'd-1',
        ledgerIndex: 41,
      });
    });

    it('may not name a label no event carries', () => {
      const builder = new ChangeBuilder().answerIdempotently({
        partyId: 'p',
        key: 'k',
        requestHash: 'h',
        answer: {},
        ledgerIndexes: { ledgerIndex: 'nowhere' },
      });
      expect(thrownCoreError(() => builder.build()).code).toBe('INTERNAL');
    });
  });
});
