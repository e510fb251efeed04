import { CoreError } from '../../core/errors.js';

/**
 * The limits every XML input is held to, before any parser sees it: characters of text (an ePhyto with its
 * attachment is about 221 KB) and element nesting depth (the deepest swx schema nests about a dozen levels).
 */
export const XML_LIMITS = Object.freeze({ maxChars: 4 * 1024 * 1024, maxDepth: 64 });

/**
 * Refuses, without parsing, XML swx never accepts: input over `XML_LIMITS.maxChars` (`PAYLOAD_TOO_LARGE`),
 * and any document type or entity declaration (`XML_FORBIDDEN_CONSTRUCT`). No swx or partner document needs a DTD,
 * and refusing it outright rules out external entities (XXE) and entity expansion (billion laughs).
 * @example refuseUnsafeXml(body) // throws CoreError('XML_FORBIDDEN_CONSTRUCT', ...) on '<!DOCTYPE x [...]>'
 */
export function refuseUnsafeXml(text: string): void {
  if (text.length > XML_LIMITS.maxChars) {
    throw new CoreError('PAYLOAD_TOO_LARGE', `XML of ${text.length} characters exceeds the limit of ${XML_LIMITS.maxChars}`);
  }
  const declaration = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (declaration) {
    throw new CoreError('XML_FORBIDDEN_CONSTRUCT', `<!${declaration[1]?.toUpperCase()} is not accepted (at offset ${declaration.index})`);
  }
}

/**
 * The first character XML 1.0 does not allow (https://www.w3.org/TR/xml/#charsets): C0 controls other than
 * tab, line feed and carriage return, unpaired surrogates, U+FFFE and U+FFFF.
 */
const FORBIDDEN_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The offset of the first character XML 1.0 forbids, or -1.
 * @example forbiddenCharacterAt('<a>\u0001</a>') // 3
 */
export function forbiddenCharacterAt(text: string): number {
  const match = FORBIDDEN_CHARACTER.exec(text);
  return match ? match.index : -1;
}

/**
 * The 1-based line and column of an offset, for error messages.
 * @example positionAt('<a>\n<b', 5) // { line: 2, column: 2 }
 */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
