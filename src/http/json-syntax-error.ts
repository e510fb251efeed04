/** Where a JSON text first breaks the grammar of RFC 8259, as 1-based line and column. */
export interface JsonSyntaxError {
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Locates the first syntax error of a text JSON.parse rejected. V8's own messages give no position
 * for some errors and quote the input for others, so the slow path re-scans with the RFC 8259 grammar.
 * Returns undefined for valid JSON, or for nesting too deep to scan.
 * @example locateJsonSyntaxError('{"a":}') // { message: 'expected a value', offset: 5, line: 1, column: 6 }
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw new SyntaxFound(i >= text.length ? 'unexpected end of input' : message, i);
  };
  const skipWhitespace = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i += 1;
  };
  const string = (): void => {
    i += 1;
    for (;;) {
      const ch = text[i];
      if (ch === undefined) fail('unterminated string');
      else if (ch === '"') return void (i += 1);
      else if (ch === '\\') {
        const escaped = text[i + 1];
        if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) i += 2;
        else if (escaped === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('invalid escape in string');
      } else if (ch < ' ') fail('control character in string');
      else i += 1;
    }
  };
  const value = (): void => {
    skipWhitespace();
    const ch = text[i];
    if (ch === '{') {
      i += 1;
      skipWhitespace();
      if (text[i] === '}') return void (i += 1);
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') fail('expected a double-quoted property name');
        string();
        skipWhitespace();
        if (text[i] !== ':') fail("expected ':' after the property name");
        i += 1;
        value();
        skipWhitespace();
        if (text[i] === '}') return void (i += 1);
        if (text[i] !== ',') fail("expected ',' or '}' after the property value");
        i += 1;
      }
    }
    if (ch === '[') {
      i += 1;
      skipWhitespace();
      if (text[i] === ']') return void (i += 1);
      for (;;) {
        value();
        skipWhitespace();
        if (text[i] === ']') return void (i += 1);
        if (text[i] !== ',') fail("expected ',' or ']' after the array element");
        i += 1;
      }
    }
    if (ch === '"') return void string();
    for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) return void (i += literal.length);
    NUMBER.lastIndex = i;
    if ((ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) && NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    fail('expected a value');
  };
  try {
    value();
    skipWhitespace();
    if (i < text.length) fail('unexpected data after the JSON value');
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxFound)) return undefined;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { message: error.message, offset: error.offset, line, column: error.offset - before.lastIndexOf('\n') };
  }
}

class SyntaxFound {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}
