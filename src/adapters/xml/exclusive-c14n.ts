import { escapeAttribute, escapeText } from '../../core/xml/canonical-writer.js';
import type { TreeAttribute, TreeElement, TreeInstruction, XmlTree } from './xml-tree.js';

/**
 * The namespace declarations in effect from the output ancestors, by prefix (`''` is the default namespace). One map
 * per canonicalization, set on the way down and restored on the way up, so that time stays linear in the document.
 */
type Rendered = Map<string, string | undefined>;

/**
 * Exclusive XML Canonicalization without comments (https://www.w3.org/TR/xml-exc-c14n/, no InclusiveNamespaces
 * PrefixList) of a whole document, leaving out one element and its subtree: with `omit` the signature, this is
 * the octet stream of a `URI=""` reference after the enveloped-signature transform
 * (https://www.w3.org/TR/xmldsig-core1/#sec-EnvelopedSignature).
 * @example canonicalizeDocument(parseXmlTree(signedXml), signatureElement)
 */
export function canonicalizeDocument(tree: XmlTree, omit?: TreeElement): string {
  // C14N 1.0 §2.4 (Document Order): a line feed separates nodes outside the root element from it.
  let out = '';
  for (const instruction of tree.prolog) out += `${writeInstruction(instruction)}\n`;
  out += writeElement(tree.root, new Map(), omit);
  for (const instruction of tree.epilog) out += `\n${writeInstruction(instruction)}`;
  return out;
}

/**
 * Exclusive XML Canonicalization without comments of one element's subtree as the apex of the node-set, as
 * a signature's SignedInfo is canonicalized: namespaces it uses are declared on it, whatever its ancestors declare.
 * @example canonicalizeElement(signedInfo) // '<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">…'
 */
export function canonicalizeElement(element: TreeElement): string {
  return writeElement(element, new Map(), undefined);
}

function writeElement(element: TreeElement, rendered: Rendered, omit: TreeElement | undefined): string {
  if (element === omit) return '';
  // Exc-C14N §3: render a namespace node only where visibly utilized and not already in effect from the
  // nearest output ancestor. The default namespace counts as rendered as empty when nothing rendered it.
  let declarations = visiblyUtilized(element.prefix, element.namespaceUri, rendered, undefined);
  for (const attribute of element.attributes) {
    if (attribute.prefix !== '') declarations = visiblyUtilized(attribute.prefix, attribute.namespaceUri, rendered, declarations);
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
  const attributes = element.attributes.length > 1 ? [...element.attributes].sort(compareAttributes) : element.attributes;
  for (const attribute of attributes) out += ` ${attribute.qname}="${escapeAttribute(attribute.value)}"`;
  out += '>';
  for (const child of element.children) {
    if (child.kind === 'text') out += escapeText(child.value);
    else if (child.kind === 'element') out += writeElement(child, rendered, omit);
    else out += writeInstruction(child);
  }
  // Set back rather than deleted: deleting from a large Map and adding again rehashes it, quadratic over siblings.
  for (const [prefix, uri] of outer ?? []) rendered.set(prefix, uri);
  return `${out}</${element.qname}>`;
}

/** Adds the namespace node of `prefix` to `declarations` when it must be rendered here (first use of a prefix wins). */
function visiblyUtilized(prefix: string, uri: string, rendered: Rendered, declarations: Map<string, string> | undefined): Map<string, string> | undefined {
  if (prefix === 'xml' || (rendered.get(prefix) ?? '') === uri) return declarations;
  const found = declarations ?? new Map<string, string>();
  if (!found.has(prefix)) found.set(prefix, uri);
  return found;
}

function writeInstruction(instruction: TreeInstruction): string {
  return instruction.data === '' ? `<?${instruction.target}?>` : `<?${instruction.target} ${instruction.data}?>`;
}

/** C14N 1.0 §2.2: attributes by namespace URI, then local name; no namespace sorts first. */
function compareAttributes(a: TreeAttribute, b: TreeAttribute): number {
  return compareCodePoints(a.namespaceUri, b.namespaceUri) || compareCodePoints(a.localName, b.localName);
}

/** Lexicographic order of Unicode code points (UTF-16 code unit order differs above U+FFFF). */
function compareCodePoints(a: string, b: string): number {
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
