import { escapeAttribute, escapeText } from '../../core/xml/canonical-writer.js';
import { compareCodePoints, inScopeAbove, withProlog, writeAttributes, writeInstruction } from './exclusive-c14n.js';
import type { TreeAttribute, TreeElement, XmlTree } from './xml-tree.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** What to canonicalize: see `canonicalizeDocumentInclusive` and `canonicalizeElementInclusive`. */
export interface InclusiveC14nOptions {
  /** Left out with its subtree: the enveloped signature. */
  readonly omit?: TreeElement | undefined;
  /** The element that stands as the document's root: nothing above it is inherited (default: the document's root). */
  readonly top?: TreeElement | undefined;
}

/**
 * Canonical XML 1.0 without comments (https://www.w3.org/TR/xml-c14n/) of a whole document less `omit`: the octet
 * stream of a `URI=""` reference after the enveloped-signature transform, alone (XML-DSig §4.4.3.2: a node-set is
 * turned into octets by C14N 1.0) or followed by C14N 1.0. Every namespace declaration is rendered where it first
 * takes effect, used or not; as every ancestor of an output element is output, nothing else is inherited.
 * Linear: one map of rendered bindings set on the way down and restored on the way up.
 * @example canonicalizeDocumentInclusive(tree, signature)
 */
export function canonicalizeDocumentInclusive(tree: XmlTree, omit?: TreeElement): string {
  return withProlog(tree, canonicalizeElementInclusive(tree.root, { omit, top: tree.root }));
}

/**
 * Canonical XML 1.0 without comments of one element's subtree taken from its document (a document subset), as
 * a SignedInfo canonicalized with C14N 1.0, or the root of a `URI="#id"` reference: the apex carries every namespace
 * in scope at it (C14N §2.3, from its ancestors up to `top`) and the xml:* attributes of its ancestors that it does
 * not set itself (C14N §2.4, the nearest wins); below the apex, declarations are rendered where they take effect.
 * @example canonicalizeElementInclusive(signedInfo, { top: tree.root })
 */
export function canonicalizeElementInclusive(element: TreeElement, options: InclusiveC14nOptions = {}): string {
  const rendered = new Map<string, string | undefined>();
  const apex = new Map<string, string>();
  for (const [prefix, uris] of inScopeAbove(element, options.top)) apex.set(prefix, uris[uris.length - 1] as string);
  for (const { prefix, uri } of element.namespaces) apex.set(prefix, uri);
  return writeElement(
    element,
    rendered,
    options.omit,
    [...apex].map(([prefix, uri]) => ({ prefix, uri })),
    inheritedXmlAttributes(element, options.top),
  );
}

function writeElement(
  element: TreeElement,
  rendered: Map<string, string | undefined>,
  omit: TreeElement | undefined,
  namespaces: readonly { readonly prefix: string; readonly uri: string }[],
  inherited: readonly TreeAttribute[],
): string {
  if (element === omit) return '';
  // C14N §2.3: a namespace node is output unless the nearest output ancestor has the same one; an empty default
  // namespace (xmlns="") only where an output ancestor has a non-empty one. The xml namespace is never output.
  let declarations: [string, string][] | undefined;
  for (const { prefix, uri } of namespaces) {
    if (prefix === 'xml' || (rendered.get(prefix) ?? '') === uri) continue;
    (declarations ??= []).push([prefix, uri]);
  }
  let out = `<${element.qname}`;
  let outer: [string, string | undefined][] | undefined;
  if (declarations) {
    outer = [];
    for (const [prefix, uri] of declarations.sort(([a], [b]) => compareCodePoints(a, b))) {
      out += prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
      outer.push([prefix, rendered.get(prefix)]);
      rendered.set(prefix, uri);
    }
  }
  out += `${writeAttributes(inherited.length === 0 ? element.attributes : [...element.attributes, ...inherited])}>`;
  for (const child of element.children) {
    if (child.kind === 'text') out += escapeText(child.value);
    else if (child.kind === 'element') out += writeElement(child, rendered, omit, child.namespaces, []);
    else out += writeInstruction(child);
  }
  for (const [prefix, uri] of outer ?? []) rendered.set(prefix, uri);
  return `${out}</${element.qname}>`;
}

/** C14N §2.4: the xml:* attributes of the apex's ancestors (up to `top`) that the apex does not have, the nearest first. */
function inheritedXmlAttributes(element: TreeElement, top: TreeElement | undefined): TreeAttribute[] {
  const inherited: TreeAttribute[] = [];
  const seen = new Set(element.attributes.filter((attribute) => attribute.namespaceUri === XML_NAMESPACE).map((attribute) => attribute.localName));
  if (element === top) return inherited;
  for (let at = element.parent; at !== undefined; at = at === top ? undefined : at.parent) {
    for (const attribute of at.attributes) {
      if (attribute.namespaceUri !== XML_NAMESPACE || seen.has(attribute.localName)) continue;
      seen.add(attribute.localName);
      inherited.push(attribute);
    }
  }
  return inherited;
}
