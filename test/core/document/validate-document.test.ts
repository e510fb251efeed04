import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJsonPointer, validateDocument } from '../../../src/core/document/validate-document.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const Schema = z.strictObject({
  name: z.string().trim().min(1),
  items: z.array(z.strictObject({ hsCode: z.string().regex(/^[0-9]{6}$/) })).min(1),
});

describe('validateDocument', () => {
  it('returns the parsed value', () => {
    expect(validateDocument(Schema, { name: ' Lim ', items: [{ hsCode: '090111' }] })).toEqual({ name: 'Lim', items: [{ hsCode: '090111' }] });
  });

  it('lists every failing field by JSON pointer, a missing one as required', () => {
    const error = thrownCoreError(() => validateDocument(Schema, { items: [{ hsCode: '0901' }, {}] }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('the document has 3 invalid fields');
    expect(error.issues).toEqual([
      { pointer: '/name', detail: 'required' },
      { pointer: '/items/0/hsCode', detail: expect.stringMatching(/pattern|match/i) },
      { pointer: '/items/1/hsCode', detail: 'required' },
    ]);
  });

  it('gives each unknown property an issue of its own', () => {
    const error = thrownCoreError(() => validateDocument(Schema, { name: 'n', items: [{ hsCode: '090111' }], colour: 1, size: 2 }));
    expect(error.issues).toEqual([
      { pointer: '/colour', detail: 'unknown property "colour"' },
      { pointer: '/size', detail: 'unknown property "size"' },
    ]);
  });

  it('names a document that is not an object at the root pointer', () => {
    expect(thrownCoreError(() => validateDocument(Schema, 'text')).issues).toEqual([
      { pointer: '', detail: 'Invalid input: expected object, received string' },
    ]);
  });
});

describe('toJsonPointer', () => {
  it('escapes ~ and / as RFC 6901 says', () => {
    expect(toJsonPointer(['a/b', 'm~n', 0])).toBe('/a~1b/m~0n/0');
    expect(toJsonPointer([])).toBe('');
  });
});
