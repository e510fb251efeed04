import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoDate, IsoDateTime, nonexistentDay, XML_CHARACTERS } from '../../message-schemas/common/1/common-types.js';
import { UtcDateTime } from '../../message-schemas/envelope/1/schema.js';

/** XML 1.0's Char production as the code points it lists, read with the `u` flag. */
const XML_CHAR_PRODUCTION = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

const messageOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe('a date the calendar does not have', () => {
  it.each([
    [IsoDate, '2026-02-30', '2026-02-30 does not exist'],
    [IsoDate, '2025-02-29', '2025-02-29 does not exist'],
    [IsoDate, '2026-04-31', '2026-04-31 does not exist'],
    [IsoDateTime, '2026-02-30T10:00:00+07:00', '2026-02-30 does not exist'],
    [UtcDateTime, '2026-02-30T10:00:00Z', '2026-02-30 does not exist'],
  ])('%#: %s says it does not exist', (schema, value, message) => {
    expect(messageOf(schema.safeParse(value))).toBe(message);
  });

  it('is told apart from a value of the wrong form', () => {
    expect(messageOf(IsoDate.safeParse('2026-13-01'))).toBe('expected a date as YYYY-MM-DD');
    expect(messageOf(IsoDate.safeParse('30/02/2026'))).toBe('expected a date as YYYY-MM-DD');
    expect(messageOf(IsoDateTime.safeParse('2026-02-28'))).toMatch(/^expected a date and time/);
  });

  it('accepts every real day, 29 February of leap years included', () => {
    expect(IsoDate.parse('2024-02-29')).toBe('2024-02-29');
    expect(IsoDate.parse('2000-02-29')).toBe('2000-02-29');
    expect(nonexistentDay('1900-02-29')).toBe('1900-02-29');
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), (date) => {
        const day = date.toISOString().slice(0, 10);
        expect(nonexistentDay(day)).toBeUndefined();
        expect(IsoDate.safeParse(day).success).toBe(true);
      }),
    );
  });
});

describe('XML_CHARACTERS', () => {
  const probes = [
    'plain',
    'Cà phê',
    'tab\there',
    '😀 emoji',
    '\u{10FFFF}',
    'bell\u0007',
    '\uFFFE',
    '\uFFFF',
    '\uD800 lone',
    'lone \uDC00',
    '\uDBFF',
    '',
  ];

  it.each(probes.map((probe) => [JSON.stringify(probe), probe]))('reads %s as XML 1.0 does, with or without the u flag', (_, probe) => {
    const expected = XML_CHAR_PRODUCTION.test(probe);
    expect(XML_CHARACTERS.flags).toBe('');
    expect(XML_CHARACTERS.test(probe)).toBe(expected);
    expect(new RegExp(XML_CHARACTERS.source, 'u').test(probe)).toBe(expected);
  });

  it('agrees with XML 1.0 on any string, with or without the u flag', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const expected = XML_CHAR_PRODUCTION.test(value);
        expect(XML_CHARACTERS.test(value)).toBe(expected);
        expect(new RegExp(XML_CHARACTERS.source, 'u').test(value)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
