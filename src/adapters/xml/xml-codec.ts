import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { CoreError, isCoreError } from '../../core/errors.js';
import type { ParsedXml } from '../../core/xml/parsed-xml.js';
import type { XmlParser } from '../../core/ports.js';
import { forbiddenCharacterAt, positionAt, refuseUnsafeXml, XML_LIMITS } from './refuse-unsafe-xml.js';
import { decodeXmlReferences } from './xml-references.js';
import { restoreLongText, setLongTextAside } from './long-text.js';
import { resolveNamespaces, type RawElement } from './resolve-namespaces.js';

/**
 * The one fast-xml-parser configuration swx uses (style.md, principle 6). Text is never coerced
 * (`parseTagValue`/`parseAttributeValue` false keep "0012" a string); entity references are decoded by
 * `decodeXmlReferences`, which knows only the five predefined entities and character references.
 */
const OPTIONS: X2jOptions = Object.freeze({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  allowBooleanAttributes: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  entityDecoder: Object.freeze({
    decode: decodeXmlReferences,
    reset: () => undefined,
    setXmlVersion: () => undefined,
    setExternalEntities: refuseEntities,
    addInputEntities: refuseEntities,
  }),
  // The parser refuses an element when more than maxNestedTags ancestors are open, so the root is not counted.
  maxNestedTags: XML_LIMITS.maxDepth - 1,
  jPath: false,
});

const parser = new XMLParser(OPTIONS);

/**
 * Parses XML with swx's frozen configuration into the tree described on `XmlValue` (core/xml/parsed-xml.ts).
 * Line ends are normalised to line feeds first, as XML 1.0 §2.11 says every parser must.
 * Throws `CoreError`:
 * - `PAYLOAD_TOO_LARGE` over `XML_LIMITS.maxChars`;
 * - `XML_FORBIDDEN_CONSTRUCT` for `<!DOCTYPE`/`<!ENTITY` (refused before parsing) and nesting deeper than `XML_LIMITS.maxDepth`;
 * - `MALFORMED_REQUEST` for anything not well-formed, with the line and column where the parser could tell.
 * @example parseXml('<Item xmlns="urn:x" seq="1"><HsCode>0012</HsCode></Item>')
 *   // { root: 'Item', namespace: 'urn:x', value: { HsCode: '0012', '@_seq': '1' } }
 */
export const parseXml: XmlParser = (text: string): ParsedXml => {
  refuseUnsafeXml(text);
  const forbidden = forbiddenCharacterAt(text);
  if (forbidden !== -1) throw malformedAt(text, forbidden, 'character not allowed in XML');
  // Long texts (a certificate's PDF) are set aside while the parser runs: it copies text a character at a time.
  const aside = setLongTextAside(text);
  const parsed = aside?.text ?? text;
  // Positions are reported in the document as received, so a malformed one is validated again without the placeholders.
  const validation = XMLValidator.validate(parsed, { allowBooleanAttributes: false });
  if (validation !== true) {
    const exact = aside === undefined ? validation : XMLValidator.validate(text, { allowBooleanAttributes: false });
    const { line, col, msg } = (exact === true ? validation : exact).err;
    throw new CoreError('MALFORMED_REQUEST', `malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  refuseTextAfterRoot(text);
  const tree = parseValidated(parsed.includes('\r') ? parsed.replace(/\r\n?/g, '\n') : parsed);
  return resolveNamespaces(aside === undefined ? tree : restoreLongText(tree, aside));
};

function parseValidated(text: string): RawElement {
  try {
    return parser.parse(text) as RawElement;
  } catch (error) {
    if (isCoreError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('Maximum nested tags')) {
      throw new CoreError('XML_FORBIDDEN_CONSTRUCT', `XML nests deeper than ${XML_LIMITS.maxDepth} elements`);
    }
    throw new CoreError('MALFORMED_REQUEST', `malformed XML: ${message}`, { cause: error });
  }
}

/** The validator lets text after the root element through; only white space, comments and PIs may follow it. */
function refuseTextAfterRoot(text: string): void {
  let end = text.length;
  for (;;) {
    while (end > 0 && ' \t\n\r'.includes(text.charAt(end - 1))) end -= 1;
    if (text.endsWith('-->', end)) end = text.lastIndexOf('<!--', end);
    else if (text.endsWith('?>', end)) end = text.lastIndexOf('<?', end);
    else break;
  }
  if (end > 0 && text.charAt(end - 1) !== '>') throw malformedAt(text, end - 1, 'text after the root element');
}

function refuseEntities(entities: Record<string, string>): void {
  if (Object.keys(entities).length > 0) throw new CoreError('XML_FORBIDDEN_CONSTRUCT', 'entity declarations are not accepted');
}

function malformedAt(text: string, offset: number, message: string): CoreError {
  const { line, column } = positionAt(text, offset);
  return new CoreError('MALFORMED_REQUEST', `malformed XML at line ${line}, column ${column}: ${message}`);
}
