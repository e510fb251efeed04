import { CoreError } from '../../core/errors.js';

const PREDEFINED: Readonly<Record<string, string>> = Object.freeze({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" });
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z_][\w.-]*))?(;?)/g;

/**
 * Decodes the references XML allows without a DTD: the five predefined entities and character references
 * to characters XML 1.0 allows (https://www.w3.org/TR/xml/#sec-references). Anything else, a bare `&` or
 * an undeclared entity, is not well-formed XML and throws `CoreError('MALFORMED_REQUEST')`.
 * @example decodeXmlReferences('Fish &amp; chips &#x2014; 0012') // 'Fish & chips — 0012'
 */
export function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (reference: string, hex?: string, decimal?: string, name?: string, semicolon?: string) => {
    if (semicolon !== ';') throw new CoreError('MALFORMED_REQUEST', `malformed XML: '&' not starting a reference near "${reference}"`);
    if (name !== undefined) {
      const value = PREDEFINED[name];
      if (value === undefined) throw new CoreError('MALFORMED_REQUEST', `malformed XML: undeclared entity &${name};`);
      return value;
    }
    const codePoint = hex === undefined ? Number(decimal) : Number.parseInt(hex, 16);
    if (!isXmlChar(codePoint)) throw new CoreError('MALFORMED_REQUEST', `malformed XML: ${reference} is not a character XML allows`);
    return String.fromCodePoint(codePoint);
  });
}

/** https://www.w3.org/TR/xml/#NT-Char */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}
