/**
 * A parsed XML element's content, as the XML codec gives it (src/adapters/xml/xml-codec.ts):
 * - Names are local names: namespace prefixes are removed (`<ram:ID>` is `ID`, `xml:lang` is `@_lang`) and
 *   namespace declarations are dropped. Only the root's namespace URI is kept, on `ParsedXml.namespace`.
 * - An element with neither attributes nor child elements is its text, a `string` (`''` when empty).
 * - Any other element is an `XmlElement`: each child element under its local name, each attribute under `@_`
 *   followed by its local name, and its text, if any, under `#text`.
 * - A child name that occurs once is its value; a name that occurs more than once is an array of the values
 *   in document order. Readers of elements that may repeat must accept both.
 * - Text is always a string, never coerced (`0012` stays `"0012"`); it is trimmed of leading and trailing white
 *   space, white-space-only text is dropped, and the text pieces of mixed content are joined into one `#text`.
 *   References (`&amp;`, `&#x41;`) are decoded; CDATA sections are text; comments and processing instructions are dropped.
 * - Attribute values are strings, trimmed.
 * - Sibling order across different names is not kept.
 * @example
 * // <Item xmlns="urn:x" seq="1"><HsCode>0012</HsCode><Note>a</Note><Note>b</Note><Qty unit="KGM">5</Qty></Item>
 * // is { '@_seq': '1', HsCode: '0012', Note: ['a', 'b'], Qty: { '@_unit': 'KGM', '#text': '5' } }
 */
export type XmlValue = string | XmlElement | readonly XmlValue[];
export interface XmlElement {
  readonly [name: string]: XmlValue;
}

/** A whole parsed document: its root element's local name and namespace URI (`undefined` when none), and the root's content. */
export interface ParsedXml {
  readonly root: string;
  readonly namespace: string | undefined;
  readonly value: XmlValue;
}
