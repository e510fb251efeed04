import { CoreError } from '../errors.js';

/** A JSON value as I-JSON (RFC 7493) allows it: what RFC 8785 can canonicalize. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export type JsonObject = { readonly [key: string]: JsonValue };

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The JSON Canonicalization Scheme (RFC 8785): no whitespace, object members sorted by the UTF-16 code units
 * of their names (§3.2.3), numbers written as ECMAScript's Number.prototype.toString writes them (§3.2.2.3),
 * strings with only the escapes JSON requires (§3.2.2.2). Throws VALIDATION_FAILED, with the JSON pointer of
 * the offending value, on anything I-JSON forbids: NaN, ±Infinity, lone surrogates, non-plain objects.
 * @example canonicalizeJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalizeJson(value: JsonValue): string {
  const path: (string | number)[] = [];
  try {
    return serialize(value, path);
  } catch (error) {
    if (error instanceof NotIJson) {
      const pointer = path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
      throw new CoreError('VALIDATION_FAILED', `not canonicalizable JSON at "${pointer}": ${error.message}`, {
        issues: [{ pointer, detail: error.message }],
      });
    }
    throw error;
  }
}

class NotIJson extends Error {}

// `path` is left holding the location of the first failure: segments are popped only on success.
function serialize(value: unknown, path: (string | number)[]): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      // §3.2.2.3: ECMAScript serialization, where -0 is written 0; NaN and Infinity have no JSON form.
      if (!Number.isFinite(value)) throw new NotIJson(`${String(value)} is not a JSON number`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) {
          if (i > 0) out += ',';
          path.push(i);
          out += serialize(value[i], path);
          path.pop();
        }
        return `${out}]`;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw new NotIJson('only plain objects are JSON objects');
      const record = value as Record<string, unknown>;
      // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as §3.2.3 requires.
      const names = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < names.length; i += 1) {
        const name = names[i] as string;
        path.push(name);
        if (i > 0) out += ',';
        out += `${serializeString(name)}:${serialize(record[name], path)}`;
        path.pop();
      }
      return `${out}}`;
    }
    default:
      throw new NotIJson(`${typeof value} is not a JSON value`);
  }
}

// JSON.stringify escapes exactly what §3.2.2.2 asks (", \, control characters, \b \t \n \f \r short forms,
// lower-case \u00xx otherwise) and nothing else; but it escapes lone surrogates, which RFC 8785 must refuse.
function serializeString(value: string): string {
  if (SURROGATE.test(value) && LONE_SURROGATE.test(value)) throw new NotIJson('a string holds an unpaired surrogate');
  return JSON.stringify(value);
}
