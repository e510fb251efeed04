import { describe, expect, it } from 'vitest';
import { canonicalizeJson } from '../../../src/core/ledger/canonical-json.js';
import { decodeEntry, encodeEntry, readEntryIndex, type LedgerEvent } from '../../../src/core/ledger/entry.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const event: LedgerEvent = {
  type: 'CHANNEL_ASSIGNED',
  subject: 'dec-01',
  at: '2025-06-01T10:00:00.000Z',
  data: { channel: 'YELLOW', reasons: [{ code: 'VALUE_THRESHOLD', hs: '847130' }] },
};

describe('encodeEntry', () => {
  it('writes the RFC 8785 canonical JSON of { index, type, subject, at, data }', () => {
    const text = new TextDecoder().decode(encodeEntry(42, event));
    expect(text).toBe(
      '{"at":"2025-06-01T10:00:00.000Z","data":{"channel":"YELLOW","reasons":[{"code":"VALUE_THRESHOLD","hs":"847130"}]},"index":42,"subject":"dec-01","type":"CHANNEL_ASSIGNED"}',
    );
    expect(text).toBe(canonicalizeJson({ ...event, index: 42 }));
  });

  it('is read back by decodeEntry with its index', () => {
    expect(decodeEntry(encodeEntry(7, event))).toEqual({ ...event, index: 7 });
  });

  describe('when the event cannot be held', () => {
    it.each<[string, LedgerEvent, string]>([
      ['an unknown type', { ...event, type: 'SOMETHING' as LedgerEvent['type'] }, '/type'],
      ['an empty subject', { ...event, subject: '' }, '/subject'],
      ['a date that is not ISO 8601', { ...event, at: '01/06/2025' }, '/at'],
      ['data that is not I-JSON', { ...event, data: { value: Number.POSITIVE_INFINITY } }, '/data/value'],
    ])('refuses %s, naming the field', (_, bad, pointer) => {
      const error = thrownCoreError(() => encodeEntry(0, bad));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues[0]?.pointer).toBe(pointer);
    });
  });
});

describe('decodeEntry', () => {
  it.each([
    ['bytes that are not JSON', '{"index":'],
    ['a missing field', '{"at":"2025-06-01T10:00:00Z","data":{},"index":1,"type":"STATUS_CHANGED"}'],
    ['an extra field', '{"at":"2025-06-01T10:00:00Z","data":{},"extra":1,"index":1,"subject":"s","type":"STATUS_CHANGED"}'],
    ['an unknown type', '{"at":"2025-06-01T10:00:00Z","data":{},"index":1,"subject":"s","type":"NOPE"}'],
  ])('reports %s as LEDGER_INCONSISTENT', (_, text) => {
    expect(thrownCoreError(() => decodeEntry(new TextEncoder().encode(text))).code).toBe('LEDGER_INCONSISTENT');
  });
});

describe('readEntryIndex', () => {
  it('reads the index of canonical entry bytes, whatever the data and subject hold', () => {
    const tricky: LedgerEvent = {
      ...event,
      subject: 'x","index":5,"subject":"\\',
      data: { nested: { index: 9, subject: 'y' }, text: ',"subject":"' },
    };
    expect(readEntryIndex(encodeEntry(1234567, tricky))).toBe(1234567);
    expect(readEntryIndex(encodeEntry(0, event))).toBe(0);
  });

  it('is undefined for bytes without the entry shape', () => {
    expect(readEntryIndex(new TextEncoder().encode('{"index":"7","subject":"s"}'))).toBeUndefined();
    expect(readEntryIndex(new TextEncoder().encode('not json'))).toBeUndefined();
  });
});
