import { describe, expect, it } from 'vitest';
import { canonicalizeJson, type JsonValue } from '../../../src/core/ledger/canonical-json.js';
import { thrownCoreError } from '../../helpers/core-error.js';

/** The double whose IEEE 754 bits are the given 16 hex digits, as RFC 8785 Appendix B lists them. */
function fromBits(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

describe('canonicalizeJson', () => {
  describe('RFC 8785 Appendix B number serialization samples', () => {
    it.each([
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ])('writes %s as %s', (bits, expected) => {
      expect(canonicalizeJson(fromBits(bits))).toBe(expected);
    });

    it.each([['7fffffffffffffff'], ['7ff0000000000000'], ['fff0000000000000']])('refuses %s (NaN or Infinity)', (bits) => {
      expect(thrownCoreError(() => canonicalizeJson({ a: [fromBits(bits)] })).issues).toEqual([
        { pointer: '/a/0', detail: expect.stringContaining('not a JSON number') },
      ]);
    });
  });

  describe('RFC 8785 §3.2.2 sample', () => {
    // The sample's input, parsed from JSON text exactly as §3.2.2 prints it.
    const input = JSON.parse(
      String.raw`{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }`,
    ) as JsonValue;

    it('is canonicalized as §3.2.3 shows', () => {
      expect(canonicalizeJson(input)).toBe(
        String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
      );
    });

    it('encodes to the UTF-8 bytes of §3.2.4', () => {
      const expected = `7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
        5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
        5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`;
      expect(Buffer.from(canonicalizeJson(input)).toString('hex')).toBe(expected.replace(/\s+/g, ''));
    });
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3 sorting example)', () => {
    const input = JSON.parse(
      String.raw`{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",
        "\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`,
    ) as JsonValue;
    const values = [...canonicalizeJson(input).matchAll(/:"([^"]*)"/g)].map((match) => match[1]);
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('sorts nested objects and keeps array order', () => {
    expect(canonicalizeJson({ b: [{ z: 1, y: -0 }, 'x'], a: { d: null, c: true } })).toBe('{"a":{"c":true,"d":null},"b":[{"y":0,"z":1},"x"]}');
  });

  describe('when the value is not I-JSON', () => {
    it.each<[string, unknown, string]>([
      ['a lone high surrogate', { s: 'a\ud800' }, '/s'],
      ['a lone low surrogate in a member name', { ['\udc00']: 1 }, '/\udc00'],
      ['undefined', { a: { b: undefined } }, '/a/b'],
      ['a Date', { at: new Date(0) }, '/at'],
      ['a bigint', { n: [1n] }, '/n/0'],
      ['a name holding / and ~', { 'a/b~': Number.NaN }, '/a~1b~0'],
    ])('refuses %s, naming its JSON pointer', (_, value, pointer) => {
      const error = thrownCoreError(() => canonicalizeJson(value as JsonValue));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues[0]?.pointer).toBe(pointer);
    });

    it('accepts a surrogate pair, written as its character', () => {
      expect(canonicalizeJson('\ud83d\ude00')).toBe('"😀"');
    });
  });
});
