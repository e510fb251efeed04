import { describe, expect, it } from 'vitest';
import { mergeChanges } from '../../../src/core/exchange/merge-changes.js';
import type { ExchangeChange, ExchangeMessage } from '../../../src/core/ports.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const at = '2026-11-22T08:00:00.000Z';
const event = (subject: string) => ({ event: { type: 'STATUS_CHANGED' as const, subject, at, data: {} } });
const message = (messageId: string, ledgerEvent: number): ExchangeMessage & { ledgerEvent: number } => ({
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
  ledgerEvent,
});

describe('mergeChanges', () => {
  it('keeps the first change when there is no second', () => {
    const first: ExchangeChange = { events: [event('a')] };
    expect(mergeChanges(first, undefined)).toBe(first);
  });

  it('puts the second change’s events after the first’s and moves its messages’ ledger positions with them', () => {
    const merged = mergeChanges(
      { events: [event('received')], insertMessages: [message('in', 0)] },
      {
        events: [event('matched'), event('signed')],
        insertMessages: [message('out', 1)],
        updateDeclarations: [{ id: 'd-1', status: 'RELEASED', updatedAt: at }],
        enqueue: [{ messageId: 'out', partnerId: 'TH', notBefore: 0 }],
      },
    );
    expect(merged.events.map((bound) => bound.event.subject)).toEqual(['received', 'matched', 'signed']);
    expect(merged.insertMessages?.map((m) => [m.messageId, m.ledgerEvent])).toEqual([['in', 0], ['out', 2]]);
    expect(merged.updateDeclarations).toEqual([{ id: 'd-1', status: 'RELEASED', updatedAt: at }]);
    expect(merged.enqueue).toEqual([{ messageId: 'out', partnerId: 'TH', notBefore: 0 }]);
  });

  it('refuses two changes that both set a single-valued field', () => {
    const declaration = { id: 'd' } as unknown as NonNullable<ExchangeChange['insertDeclaration']>;
    const error = thrownCoreError(() =>
      mergeChanges({ events: [], insertDeclaration: declaration }, { events: [], insertDeclaration: declaration }),
    );
    expect(error.code).toBe('INTERNAL');
  });
});
