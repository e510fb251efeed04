import { escapeAttribute, escapeText } from '../../core/xml/canonical-writer.js';
import type { TreeAttribute, TreeElement, TreeInstruction, XmlTree } from './xml-tree.js';

/**
 * The namespace declarations in effect from the output ancestors, by prefix (`''` is the default namespace). One map
 * per canonicalization, set on the way down and restored on the way up, so that time stays linear in the document.
 */
type Rendered = Map<string, string | undefined>;

/** How much of the document to canonicalize, and the InclusiveNamespaces PrefixList of the transform. */
export interface ExclusiveC14nOptions {
  /** Left out with its subtree: the enveloped signature (https://www.w3.org/TR/xmldsig-core1/#sec-EnvelopedSignature). */
  readonly omit?: TreeElement | undefined;
  /**
   * Prefixes treated as in inclusive C14N (`#default` for the default namespace), Exc-C14N §3: rendered wherever they
   * are in scope and not already in effect from an output ancestor, used or not.
   */
  readonly inclusivePrefixes?: readonly string[] | undefined;
  /** The element that stands as the document's root: namespaces declared above it are not in scope (default: none above). */
  readonly top?: TreeElement | undefined;
}

/**
 * Exclusive XML Canonicalization without comments (https://www.w3.org/TR/xml-exc-c14n/) of a whole document,
 * leaving out one element and its subtree: with `omit` the signature, this is the octet stream of a `URI=""`
 * reference after the enveloped-signature and exc-C14N transforms.
 * @example canonicalizeDocument(parseXmlTree(signedXml), signatureElement)
 */
export function canonicalizeDocument(tree: XmlTree, omit?: TreeElement, inclusivePrefixes?: readonly string[]): string {
  return withProlog(tree, canonicalizeElement(tree.root, { omit, inclusivePrefixes }));
}

/**
 * Exclusive XML Canonicalization without comments of one element's subtree as the apex of the node-set, as
 * a signature's SignedInfo is canonicalized: namespaces it uses are declared on it, whatever its ancestors declare.
 * @example canonicalizeElement(signedInfo) // '<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">…'
 */
export function canonicalizeElement(element: TreeElement, options: ExclusiveC14nOptions = {}): string {
  const listed = options.inclusivePrefixes?.map((prefix) => (prefix === '#default' ? '' : prefix));
  const inScope = listed && listed.length > 0 ? inScopeAbove(element, options.top) : undefined;
  return writeElement(element, new Map(), options.omit, listed, inScope);
}

/**
 * C14N 1.0 §2.4 (Document Order): the processing instructions outside the root element, each separated from it by
 * a line feed, around the canonical root.
 * @example withProlog(tree, canonicalRoot)
 */
export function withProlog(tree: XmlTree, canonicalRoot: string): string {
  let out = '';
  for (const instruction of tree.prolog) out += `${writeInstruction(instruction)}\n`;
  out += canonicalRoot;
  for (const instruction of tree.epilog) out += `\n${writeInstruction(instruction)}`;
  return out;
}

/**
 * The namespace bindings in scope at `element`'s parent, from `top` (or the document root) down: a stack of URIs per
 * prefix, innermost last, which the canonicalizers push to and pop from as they walk.
 * @example inScopeAbove(signedInfo, tree.root).get('ds') // ['http://www.w3.org/2000/09/xmldsig#']
 */
export function inScopeAbove(element: TreeElement, top: TreeElement | undefined): Map<string, string[]> {
  const chain: TreeElement[] = [];
  if (element !== top) for (let at = element.parent; at !== undefined; at = at === top ? undefined : at.parent) chain.push(at);
  const inScope = new Map<string, string[]>();
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    for (const { prefix, uri } of (chain[i] as TreeElement).namespaces) {
      const uris = inScope.get(prefix);
      if (uris) uris.push(uri);
      else inScope.set(prefix, [uri]);
    }
  }
  return inScope;
}

function writeElement(
  element: TreeElement,
  rendered: Rendered,
  omit: TreeElement | undefined,
  listed: readonly string[] | undefined,
  inScope: Map<string, string[]> | undefined,
): string {
  if (element === omit) return '';
  if (inScope) for (const { prefix, uri } of element.namespaces) push(inScope, prefix, uri);
  // Exc-C14N §3: render a namespace node only where visibly utilized and not already in effect from the
  // nearest output ancestor. The default namespace counts as rendered as empty when nothing rendered it.
  let declarations = visiblyUtilized(element.prefix, element.namespaceUri, rendered, undefined);
  for (const attribute of element.attributes) {
    if (attribute.prefix !== '') declarations = visiblyUtilized(attribute.prefix, attribute.namespaceUri, rendered, declarations);
  }
  if (listed && inScope) {
    for (const prefix of listed) {
      const uris = inScope.get(prefix);
      const uri = uris?.[uris.length - 1];
      if (uri !== undefined || prefix === '') declarations = visiblyUtilized(prefix, uri ?? '', rendered, declarations);
    }
  }

  let out = `<${element.qname}`;
  let outer: [string, string | undefined][] | undefined;
  if (declarations) {
    outer = [];
    for (const [prefix, uri] of [...declarations].sort(([a], [b]) => compareCodePoints(a, b))) {
      out += prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
      outer.push([prefix, rendered.get(prefix)]);
      rendered.set(prefix, uri);
    }
  }
  out += `${writeAttributes(element.attributes)}>`;
  for (const child of element.children) {
    if (child.kind === 'text') out += escapeText(child.value);
    else if (child.kind === 'element') out += writeElement(child, rendered, omit, listed, inScope);
    else out += writeInstruction(child);
  }
  // Set back rather than deleted: deleting from a large Map and adding again rehashes it, quadratic over siblings.
  for (const [prefix, uri] of outer ?? []) rendered.set(prefix, uri);
  if (inScope) for (const { prefix } of element.namespaces) inScope.get(prefix)?.pop();
  return `${out}</${element.qname}>`;
}

function push(inScope: Map<string, string[]>, prefix: string, uri: string): void {
  const uris = inScope.get(prefix);
  if (uris) uris.push(uri);
  else inScope.set(prefix, [uri]);
}

/** Adds the namespace node of `prefix` to `declarations` when it must be rendered here (first use of a prefix wins). */
function visiblyUtilized(
  prefix: string,
  uri: string,
  rendered: Rendered,
  declarations: Map<string, string> | undefined,
): Map<string, string> | undefined {
  if (prefix === 'xml' || (rendered.get(prefix) ?? '') === uri) return declarations;
  const found = declarations ?? new Map<string, string>();
  if (!found.has(prefix)) found.set(prefix, uri);
  return found;
}

/**
 * C14N 1.0 §2.2: the attributes, sorted by namespace URI then local name (no namespace first), each written
 * ` qname="value"` with the canonical escapes.
 * @example writeAttributes(element.attributes) // ' Id="body" xml:lang="en"'
 */
export function writeAttributes(attributes: readonly TreeAttribute[]): string {
  const sorted = attributes.length > 1 ? [...attributes].sort(compareAttributes) : attributes;
  let out = '';
  for (const attribute of sorted) out += ` ${attribute.qname}="${escapeAttribute(attribute.value)}"`;
  return out;
}

/**
 * A processing instruction in canonical form.
 * @example writeInstruction({ kind: 'instruction', target: 'pi', data: '' }) // '<?pi?>'
 */
export function writeInstruction(instruction: TreeInstruction): string {
  return instruction.data === '' ? `<?${instruction.target}?>` : `<?${instruction.target} ${instruction.data}?>`;
}

function compareAttributes(a: TreeAttribute, b: TreeAttribute): number {
  return compareCodePoints(a.namespaceUri, b.namespaceUri) || compareCodePoints(a.localName, b.localName);
}

/**
 * Lexicographic order of Unicode code points (UTF-16 code unit order differs above U+FFFF).
 * @example ['b', ''].sort(compareCodePoints) // ['', 'b']
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i += 1;
  }
  return a.length - b.length;
}
