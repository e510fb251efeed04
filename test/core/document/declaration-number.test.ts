import { describe, expect, it } from 'vitest';
import { dammCheckDigit, DeclarationNumber, formatDeclarationNumber, parseDeclarationNumber } from '../../../src/core/document/declaration-number.js';
import { thrownCoreError } from '../../helpers/core-error.js';

describe('dammCheckDigit', () => {
  it('gives the check digit of the published example (572 → 4)', () => {
    expect(dammCheckDigit('572')).toBe(4);
    expect(dammCheckDigit('5724')).toBe(0);
  });

  it('refuses anything but decimal digits', () => {
    expect(thrownCoreError(() => dammCheckDigit('57a')).code).toBe('INTERNAL');
  });
});

describe('formatDeclarationNumber', () => {
  it('writes kind, year, zero-padded sequence and check digit in 12 digits', () => {
    expect(formatDeclarationNumber({ kind: 'EXPORT', year: 2026, sequence: 1 })).toBe('326000000011');
    expect(formatDeclarationNumber({ kind: 'IMPORT', year: 2026, sequence: 1 })).toMatch(/^12600000001[0-9]$/);
    expect(formatDeclarationNumber({ kind: 'EXPORT', year: 2031, sequence: 99_999_999 })).toMatch(/^33199999999[0-9]$/);
  });

  it('gives numbers that read back to their parts', () => {
    for (const input of [
      { kind: 'EXPORT', year: 2026, sequence: 1 },
      { kind: 'IMPORT', year: 2000, sequence: 4_200_017 },
      { kind: 'EXPORT', year: 2099, sequence: 99_999_999 },
    ] as const) {
      expect(parseDeclarationNumber(formatDeclarationNumber(input))).toEqual(input);
    }
  });

  describe('when the sequence or year is out of range', () => {
    it.each([
      { kind: 'EXPORT', year: 2026, sequence: 0 },
      { kind: 'EXPORT', year: 2026, sequence: 100_000_000 },
      { kind: 'EXPORT', year: 2026, sequence: 1.5 },
      { kind: 'EXPORT', year: 1999, sequence: 1 },
      { kind: 'EXPORT', year: 2100, sequence: 1 },
    ] as const)('refuses %o', (input) => {
      expect(thrownCoreError(() => formatDeclarationNumber(input)).code).toBe('INTERNAL');
    });
  });
});

describe('DeclarationNumber', () => {
  const valid = formatDeclarationNumber({ kind: 'EXPORT', year: 2026, sequence: 4_711 });

  it('accepts the numbers swx gives', () => {
    expect(DeclarationNumber.safeParse(valid).success).toBe(true);
  });

  it('detects every single-digit error', () => {
    for (let position = 0; position < valid.length; position += 1) {
      for (let digit = 0; digit <= 9; digit += 1) {
        const changed = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;
        if (changed !== valid) expect(DeclarationNumber.safeParse(changed).success, changed).toBe(false);
      }
    }
  });

  it('detects every transposition of adjacent digits', () => {
    for (let sequence = 1; sequence < 2_000; sequence += 7) {
      const number = formatDeclarationNumber({ kind: 'EXPORT', year: 2026, sequence });
      for (let position = 0; position + 1 < number.length; position += 1) {
        const swapped = `${number.slice(0, position)}${number.charAt(position + 1)}${number.charAt(position)}${number.slice(position + 2)}`;
        if (swapped !== number) expect(DeclarationNumber.safeParse(swapped).success, swapped).toBe(false);
      }
    }
  });

  it.each(['32600000001', '3260000000111', '226000000011', '32600000001a', ''])('rejects the malformed %j', (text) => {
    expect(DeclarationNumber.safeParse(text).success).toBe(false);
  });

  it('rejects sequence zero even with a matching check digit', () => {
    const body = '32600000000';
    expect(DeclarationNumber.safeParse(`${body}${dammCheckDigit(body)}`).success).toBe(false);
  });
});

describe('parseDeclarationNumber', () => {
  it('refuses a number with a wrong check digit as invalid input', () => {
    const error = thrownCoreError(() => parseDeclarationNumber('326000000012'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toEqual([{ pointer: '', detail: 'the check digit is wrong' }]);
  });
});
