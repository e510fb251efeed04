import { toJsonPointer } from '../core/document/validate-document.js';
import { CoreError } from '../core/errors.js';

/** Far deeper than any document swx takes (a declaration nests 4 levels); keeps the scan's stack small. */
export const MAX_JSON_DEPTH = 64;

const STRING = /"[^"\\]*(?:\\.[^"\\]*)*"/y;
const STRUCTURE = /[{}[\],"]/g;

interface Frame {
  readonly keys: Set<string> | undefined;
  /** The property name (objects) or index (arrays) of the value being read, for the pointer. */
  at: string | number;
  expectingKey: boolean;
}

/**
 * Refuses JSON whose meaning a receiver may not agree on: an object naming the same property twice (RFC 8259 §4
 * leaves it to the receiver, and JSON.parse keeps the last one silently; a declaration must mean one thing) or
 * nesting deeper than MAX_JSON_DEPTH. Throws `MALFORMED_REQUEST` with the property's JSON pointer.
 * One pass with no recursion, linear in the text; text that is not JSON is left to JSON.parse to report.
 * @example refuseAmbiguousJson('{"a":1,"b":{"c":1,"c":2}}') // throws: the property /b/c appears twice
 */
export function refuseAmbiguousJson(text: string): void {
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate === undefined) return;
  if (duplicate === TOO_DEEP) throw new CoreError('MALFORMED_REQUEST', `the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  throw new CoreError('MALFORMED_REQUEST', `the property ${duplicate} appears twice in the same object`, {
    issues: [{ pointer: duplicate, detail: 'duplicate property name' }],
  });
}

const TOO_DEEP = Symbol('too deep');

function findDuplicateJsonKey(text: string): string | typeof TOO_DEEP | undefined {
  const stack: Frame[] = [];
  let i = 0;
  for (;;) {
    STRUCTURE.lastIndex = i;
    if (STRUCTURE.exec(text) === null) return undefined;
    i = STRUCTURE.lastIndex - 1;
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (ch === '{' || ch === '[') {
      if (stack.length === MAX_JSON_DEPTH) return TOO_DEEP;
      stack.push({ keys: ch === '{' ? new Set() : undefined, at: 0, expectingKey: ch === '{' });
      i += 1;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      i += 1;
    } else if (ch === ',') {
      if (top?.keys !== undefined) top.expectingKey = true;
      else if (top !== undefined) top.at = (top.at as number) + 1;
      i += 1;
    } else {
      STRING.lastIndex = i;
      if (!STRING.test(text)) return undefined;
      if (top?.keys !== undefined && top.expectingKey) {
        const raw = text.slice(i + 1, STRING.lastIndex - 1);
        const name = raw.includes('\\') ? decodeName(raw) : raw;
        if (name === undefined) return undefined;
        top.at = name;
        if (top.keys.has(name)) return toJsonPointer(stack.map((frame) => frame.at));
        top.keys.add(name);
        top.expectingKey = false;
      }
      i = STRING.lastIndex;
    }
  }
}

function decodeName(raw: string): string | undefined {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}
