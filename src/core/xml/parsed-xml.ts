/**
 * The key under which the codec records an element object's namespace URI. A symbol, so `Object.keys`,
 * JSON and zod's strict objects never see it; readers use it where a child document's namespace matters
 * (the business document in an envelope's Body). Elements given as a string carry none.
 * @example (body as XmlElement)[XML_NAMESPACE] // 'urn:swx:xsd:acdd:1'
 */
export const XML_NAMESPACE: unique symbol = Symbol('swx.xml.namespace');

/**
 * A parsed XML element's content, as the XML codec gives it (src/adapters/xml/xml-codec.ts):
 * - Names are local names: namespace prefixes are removed (`<ram:ID>` is `ID`, `xml:lang` is `@_lang`) and
 *   namespace declarations are dropped. The root's namespace URI is `ParsedXml.namespace`; every element object
 *   carries its own under the `XML_NAMESPACE` symbol. Children of different namespaces with one local name
 *   are one array; two attributes with one local name are refused as malformed.
 * - An element with neither attributes nor child elements is its text, a `string` (`''` when empty).
 * - Any other element is an `XmlElement`: each child element under its local name, each attribute under `@_`
 *   followed by its local name, and its text, if any, under `#text`.
 * - A child name that occurs once is its value; a name that occurs more than once is an array of the values
 *   in document order. Readers of elements that may repeat must accept both.
 * - Text is always a string, never coerced (`0012` stays `"0012"`). Each piece of text between tags is trimmed of
 *   leading and trailing white space before references (`&amp;`, `&#x41;`) are decoded, so white space written as
 *   `&#32;` or inside a CDATA section (which is text) is kept; white-space-only text is dropped; the pieces of mixed
 *   content are joined into one `#text`. Comments and processing instructions are dropped.
 * - Attribute values are strings, trimmed.
 * - Sibling order across different names is not kept.
 * @example
 * // <Item xmlns="urn:x" seq="1"><HsCode>0012</HsCode><Note>a</Note><Note>b</Note><Qty unit="KGM">5</Qty></Item>
 * // is { '@_seq': '1', HsCode: '0012', Note: ['a', 'b'], Qty: { '@_unit': 'KGM', '#text': '5' } }
 */
export type XmlValue = string | XmlElement | readonly XmlValue[];
export interface XmlElement {
  readonly [name: string]: XmlValue;
  readonly [XML_NAMESPACE]?: string;
}

/** A whole parsed document: its root element's local name and namespace URI (`undefined` when none), and the root's content. */
export interface ParsedXml {
  readonly root: string;
  readonly namespace: string | undefined;
  readonly value: XmlValue;
}
