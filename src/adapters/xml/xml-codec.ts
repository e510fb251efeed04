import { CoreError } from '../../core/errors.js';
import { XML_NAMESPACE, type ParsedXml, type XmlElement, type XmlValue } from '../../core/xml/parsed-xml.js';
import type { XmlParser } from '../../core/primitives.js';
import { parseXmlTree } from './parse-xml-tree.js';
import { XML_LIMITS, type XmlLimits } from './refuse-unsafe-xml.js';
import type { TreeElement } from './xml-tree.js';

/** Names that would reach Object.prototype if used as keys of the tree. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * An `XmlParser` held to `limits`: it reads XML with the strict parser the signature verifier uses
 * (parse-xml-tree.ts, time and memory linear in the input) and gives the tree described on `XmlValue`
 * (core/xml/parsed-xml.ts). Text is never coerced ("0012" stays a string); references are the five predefined
 * entities and character references; line ends are normalised to line feeds (XML 1.0 §2.11).
 * Throws `CoreError`:
 * - `PAYLOAD_TOO_LARGE` over `limits.maxChars`, `maxElements`, `maxAttributes` or `maxTextChars`, naming the limit;
 * - `XML_FORBIDDEN_CONSTRUCT` for `<!DOCTYPE`/`<!ENTITY` (refused before parsing) and nesting deeper than `limits.maxDepth`;
 * - `MALFORMED_REQUEST` for anything not well-formed (with the line and column), two attributes with one local
 *   name, and names that would reach Object.prototype.
 * @example const parse = createXmlParser({ ...XML_LIMITS, maxElements: 1000 }); parse('<a><b>1</b></a>').value // { b: '1' }
 */
export function createXmlParser(limits: XmlLimits): XmlParser {
  return (text: string): ParsedXml => {
    const { root } = parseXmlTree(text, { limits, trimText: true });
    return { root: safeName(root.localName), namespace: namespaceOf(root), value: contentOf(root) };
  };
}

/**
 * The `XmlParser` with the default `XML_LIMITS`; see `createXmlParser`.
 * @example parseXml('<Item xmlns="urn:x" seq="1"><HsCode>0012</HsCode></Item>')
 *   // { root: 'Item', namespace: 'urn:x', value: { HsCode: '0012', '@_seq': '1' } }
 */
export const parseXml: XmlParser = createXmlParser(XML_LIMITS);

/** One element's content: its text when it has neither attributes nor child elements, else an `XmlElement`. */
function contentOf(element: TreeElement): XmlValue {
  const out: Record<string, XmlValue | XmlValue[]> = {};
  let hasContent = false;
  let text = '';
  for (const attribute of element.attributes) {
    const key = `@_${safeName(attribute.localName)}`;
    if (Object.hasOwn(out, key))
      throw new CoreError('MALFORMED_REQUEST', `malformed XML: two attributes named ${attribute.localName} on ${element.qname}`);
    out[key] = attribute.value;
    hasContent = true;
  }
  for (const child of element.children) {
    if (child.kind === 'text') {
      text += child.value;
    } else if (child.kind === 'element') {
      const name = safeName(child.localName);
      const value = contentOf(child);
      const existing = Object.hasOwn(out, name) ? out[name] : undefined;
      if (existing === undefined) out[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else out[name] = [existing as XmlValue, value];
      hasContent = true;
    }
  }
  if (!hasContent) return text;
  if (text !== '') out['#text'] = text;
  return Object.defineProperty(out, XML_NAMESPACE, { value: namespaceOf(element), enumerable: false }) as XmlElement;
}

function namespaceOf(element: TreeElement): string | undefined {
  return element.namespaceUri === '' ? undefined : element.namespaceUri;
}

function safeName(name: string): string {
  if (UNSAFE_NAMES.has(name)) throw new CoreError('MALFORMED_REQUEST', `malformed XML: the name ${name} is not accepted`);
  return name;
}
