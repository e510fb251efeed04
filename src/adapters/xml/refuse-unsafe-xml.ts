import { CoreError } from '../../core/errors.js';

/**
 * The limits every XML input is held to. Each is far above what a real document needs: the yardstick, an ePhyto
 * with its PDF attachment, is about 221 KB, 106 elements, 18 attributes, 8 levels deep, its longest text 215 KB.
 * Operators set them with `SWX_XML_MAX_*` (src/config.ts); parsers take them as `XmlLimits`.
 */
export interface XmlLimits {
  /** Characters of the whole document (PAYLOAD_TOO_LARGE). */
  readonly maxChars: number;
  /** Element nesting depth, the root counting as one (XML_FORBIDDEN_CONSTRUCT). */
  readonly maxDepth: number;
  /** Elements in the whole document (PAYLOAD_TOO_LARGE). */
  readonly maxElements: number;
  /** Attributes on one element, namespace declarations included (PAYLOAD_TOO_LARGE). */
  readonly maxAttributes: number;
  /** Characters of one text node or attribute value, as written (PAYLOAD_TOO_LARGE). */
  readonly maxTextChars: number;
}

/** The default `XmlLimits`. */
export const XML_LIMITS: XmlLimits = Object.freeze({
  maxChars: 4 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 50_000,
  maxAttributes: 256,
  maxTextChars: 4 * 1024 * 1024,
});

/** The environment variable that sets each structural limit, named in the error that limit raises. */
export const XML_LIMIT_VARIABLES: Readonly<Record<Exclude<keyof XmlLimits, 'maxChars'>, string>> = Object.freeze({
  maxDepth: 'SWX_XML_MAX_DEPTH',
  maxElements: 'SWX_XML_MAX_ELEMENTS',
  maxAttributes: 'SWX_XML_MAX_ATTRIBUTES',
  maxTextChars: 'SWX_XML_MAX_TEXT_CHARS',
});

/**
 * The default limits with the ones given (configuration) in their place; undefined leaves a default.
 * @example xmlLimitsWith({ maxElements: config.SWX_XML_MAX_ELEMENTS }) // { ...XML_LIMITS, maxElements: … }
 */
export function xmlLimitsWith(overrides: { readonly [K in keyof XmlLimits]?: number | undefined }): XmlLimits {
  const limits: Record<string, number> = { ...XML_LIMITS };
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) limits[name] = value;
  return Object.freeze(limits as unknown as XmlLimits);
}

/**
 * Refuses, without parsing, XML swx never accepts: input over `limits.maxChars` (`PAYLOAD_TOO_LARGE`),
 * and any document type or entity declaration (`XML_FORBIDDEN_CONSTRUCT`). No swx or partner document needs a DTD,
 * and refusing it outright rules out external entities (XXE) and entity expansion (billion laughs).
 * @example refuseUnsafeXml(body) // throws CoreError('XML_FORBIDDEN_CONSTRUCT', ...) on '<!DOCTYPE x [...]>'
 */
export function refuseUnsafeXml(text: string, limits: XmlLimits = XML_LIMITS): void {
  if (text.length > limits.maxChars) {
    throw new CoreError('PAYLOAD_TOO_LARGE', `XML of ${text.length} characters exceeds the limit of ${limits.maxChars}`);
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
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0's Char production excludes.
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
