import { CoreError } from '../../core/errors.js';

const PREDEFINED: Readonly<Record<string, string>> = Object.freeze({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" });
/** The longest reference worth reading: `&#x10FFFF;` and the predefined names fit; anything longer is an error anyway. */
const MAX_REFERENCE = 12;

/**
 * Decodes the references XML allows without a DTD: the five predefined entities and character references
 * to characters XML 1.0 allows (https://www.w3.org/TR/xml/#sec-references). Anything else, a bare `&` or
 * an undeclared entity, is not well-formed XML and throws `CoreError('MALFORMED_REQUEST')`. One pass, the text
 * between references copied as slices, so a text made of references costs no more per character than any other.
 * @example decodeXmlReferences('Fish &amp; chips &#x2014; 0012') // 'Fish & chips — 0012'
 */
export function decodeXmlReferences(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  const parts: string[] = [];
  let copied = 0;
  for (; amp !== -1; amp = text.indexOf('&', copied)) {
    const semicolon = text.indexOf(';', amp + 1);
    const reference = semicolon === -1 || semicolon - amp > MAX_REFERENCE ? undefined : text.slice(amp + 1, semicolon);
    if (amp > copied) parts.push(text.slice(copied, amp));
    parts.push(decodeReference(reference, text.slice(amp, amp + MAX_REFERENCE)));
    copied = (semicolon === -1 ? amp : semicolon) + 1;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The character one reference (what lies between `&` and `;`) stands for. */
function decodeReference(reference: string | undefined, near: string): string {
  if (reference === undefined || reference === '')
    throw new CoreError('MALFORMED_REQUEST', `malformed XML: '&' not starting a reference near "${near}"`);
  if (reference.charCodeAt(0) !== 0x23) {
    const value = PREDEFINED[reference];
    if (value !== undefined && Object.hasOwn(PREDEFINED, reference)) return value;
    if (!/^[A-Za-z_][\w.-]*$/.test(reference)) throw new CoreError('MALFORMED_REQUEST', `malformed XML: '&' not starting a reference near "${near}"`);
    throw new CoreError('MALFORMED_REQUEST', `malformed XML: undeclared entity &${reference};`);
  }
  const hex = reference.charCodeAt(1) === 0x78;
  const digits = reference.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9A-Fa-f]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) {
    throw new CoreError('MALFORMED_REQUEST', `malformed XML: '&' not starting a reference near "${near}"`);
  }
  const codePoint = Number.parseInt(digits, hex ? 16 : 10);
  if (!isXmlChar(codePoint)) throw new CoreError('MALFORMED_REQUEST', `malformed XML: &${reference}; is not a character XML allows`);
  return String.fromCodePoint(codePoint);
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
