import { z } from 'zod';
import { CoreError } from '../errors.js';

/**
 * swx's 12-digit customs declaration numbers, in the VNACCS manner (the first digit tells the flow):
 *
 *     K YY SSSSSSSS C
 *
 * - K: 3 for an export declaration, 1 for an import declaration (as VNACCS numbers begin);
 * - YY: the year of registration, 2000–2099;
 * - SSSSSSSS: the year's sequence, 1 to 99,999,999, zero-padded (Viet Nam registers about 15 million
 *   declarations a year);
 * - C: a Damm check digit over the first eleven, which catches every single-digit error and every
 *   transposition of adjacent digits (H. M. Damm, "Totally anti-symmetric quasigroups for all orders
 *   n ≠ 2, 6", Discrete Mathematics 307 (2007)).
 */
const KIND_DIGIT = { EXPORT: '3', IMPORT: '1' } as const;
export type DeclarationNumberKind = keyof typeof KIND_DIGIT;

const MAX_SEQUENCE = 99_999_999;

/** Damm's totally anti-symmetric quasigroup of order 10, row = interim digit, column = next digit. */
const DAMM_TABLE: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/**
 * The Damm check digit of a string of decimal digits; a number followed by its check digit has check digit 0.
 * @example dammCheckDigit('572') // 4
 */
export function dammCheckDigit(digits: string): number {
  let interim = 0;
  for (const digit of digits) interim = DAMM_TABLE[interim]?.[Number(digit)] ?? Number.NaN;
  if (Number.isNaN(interim)) throw new CoreError('INTERNAL', `not a string of decimal digits: "${digits}"`);
  return interim;
}

/**
 * Numbers a declaration from its kind, year and the year's sequence.
 * @example formatDeclarationNumber({ kind: 'EXPORT', year: 2026, sequence: 1 }) // '326000000011'
 */
export function formatDeclarationNumber(input: { readonly kind: DeclarationNumberKind; readonly year: number; readonly sequence: number }): string {
  const { kind, year, sequence } = input;
  if (!Number.isInteger(year) || year < 2000 || year > 2099) {
    throw new CoreError('INTERNAL', `declaration numbers cover the years 2000 to 2099, not ${year}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new CoreError('INTERNAL', `a declaration sequence runs from 1 to ${MAX_SEQUENCE} each year, not ${sequence}`);
  }
  const body = `${KIND_DIGIT[kind]}${String(year - 2000).padStart(2, '0')}${String(sequence).padStart(8, '0')}`;
  return `${body}${dammCheckDigit(body)}`;
}

/**
 * Reads a declaration number back into its parts; throws VALIDATION_FAILED for anything that is not one.
 * @example parseDeclarationNumber('326000000011') // { kind: 'EXPORT', year: 2026, sequence: 1 }
 */
export function parseDeclarationNumber(number: string): { kind: DeclarationNumberKind; year: number; sequence: number } {
  const parsed = DeclarationNumber.safeParse(number);
  if (!parsed.success) {
    throw new CoreError('VALIDATION_FAILED', `"${number}" is not a declaration number`, {
      issues: [{ pointer: '', detail: parsed.error.issues[0]?.message ?? 'not a declaration number' }],
    });
  }
  return {
    kind: number.startsWith(KIND_DIGIT.EXPORT) ? 'EXPORT' : 'IMPORT',
    year: 2000 + Number(number.slice(1, 3)),
    sequence: Number(number.slice(3, 11)),
  };
}

/**
 * A well-formed declaration number: kind digit, year, a sequence from 1, and a correct check digit.
 * @example DeclarationNumber.safeParse('326000000011').success // true
 */
export const DeclarationNumber = z
  .string()
  .regex(/^[13][0-9]{2}(?!0{8})[0-9]{8}[0-9]$/, { error: 'expected 12 digits: 3 (export) or 1 (import), year, sequence, check digit', abort: true })
  .refine((number) => dammCheckDigit(number) === 0, { error: 'the check digit is wrong' });
