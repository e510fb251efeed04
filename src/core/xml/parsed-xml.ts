/**
 * A parsed XML element, as the XML codec gives it (src/adapters/xml/xml-codec.ts): namespace prefixes removed,
 * all text kept as strings (a code like `0012` stays `"0012"`), attributes under keys prefixed `@_`,
 * an element with only text as that string, a repeated element as an array.
 */
export type XmlValue = string | XmlElement | readonly XmlValue[];
export interface XmlElement {
  readonly [name: string]: XmlValue;
}

/** A whole parsed document: its root element's local name and namespace, and the root's content. */
export interface ParsedXml {
  readonly root: string;
  readonly namespace: string | undefined;
  readonly value: XmlValue;
}
