/**
 * The document model the signature verifier works on: exactly what exclusive and inclusive XML canonicalization
 * need (https://www.w3.org/TR/xml-exc-c14n/, https://www.w3.org/TR/xml-c14n/), with namespaces resolved and each
 * element's namespace declarations kept. Comments are not kept (swx canonicalizes
 * without comments), CDATA sections are text, references are decoded, line ends are line feeds.
 */
export interface XmlTree {
  /** Processing instructions before the root element. */
  readonly prolog: readonly TreeInstruction[];
  readonly root: TreeElement;
  /** Processing instructions after the root element. */
  readonly epilog: readonly TreeInstruction[];
}

export interface TreeElement {
  readonly kind: 'element';
  /** The name as written, `ds:Signature`. */
  readonly qname: string;
  readonly prefix: string;
  readonly localName: string;
  /** `''` when the element is in no namespace. */
  readonly namespaceUri: string;
  /** Attributes other than namespace declarations, in document order. */
  readonly attributes: readonly TreeAttribute[];
  /** The namespace declarations written on this element, in document order (inclusive C14N renders them). */
  readonly namespaces: readonly TreeNamespace[];
  readonly children: readonly TreeNode[];
  readonly parent: TreeElement | undefined;
}

export interface TreeAttribute {
  readonly qname: string;
  readonly prefix: string;
  readonly localName: string;
  readonly namespaceUri: string;
  /** The normalised value (XML 1.0 §3.3.3, attributes without a DTD are CDATA). */
  readonly value: string;
}

/** A namespace declaration: `xmlns:p="uri"` (prefix `p`), or `xmlns="uri"` (prefix `''`; uri `''` undeclares the default). */
export interface TreeNamespace {
  readonly prefix: string;
  readonly uri: string;
}

export interface TreeText {
  readonly kind: 'text';
  readonly value: string;
}

export interface TreeInstruction {
  readonly kind: 'instruction';
  readonly target: string;
  readonly data: string;
}

export type TreeNode = TreeElement | TreeText | TreeInstruction;

/**
 * The value of an attribute without a prefix, or undefined.
 * @example attributeValue(reference, 'URI') // ''
 */
export function attributeValue(element: TreeElement, name: string): string | undefined {
  for (const attribute of element.attributes) if (attribute.qname === name) return attribute.value;
  return undefined;
}

/**
 * The element children of an element.
 * @example childElements(signedInfo).map((child) => child.localName) // ['CanonicalizationMethod', 'SignatureMethod', 'Reference']
 */
export function childElements(element: TreeElement): TreeElement[] {
  return element.children.filter((child): child is TreeElement => child.kind === 'element');
}

/**
 * The concatenated text children of an element.
 * @example textOf(digestValue) // 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg='
 */
export function textOf(element: TreeElement): string {
  let text = '';
  for (const child of element.children) if (child.kind === 'text') text += child.value;
  return text;
}
