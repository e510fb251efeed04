/**
 * XML indented for reading: one element per line, two spaces per level, text kept (trimmed) on its element's line.
 * Parsed with DOMParser as data (an XML document is never rendered or run); text that is not well-formed XML is
 * answered as it came.
 */

const escapeText = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const escapeAttribute = (text: string): string => escapeText(text).replaceAll('"', '&quot;');

function lines(node: Element, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  const attributes = [...node.attributes].map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('');
  const children = [...node.childNodes].filter((child) => child.nodeType === Node.ELEMENT_NODE || (child.textContent ?? '').trim() !== '');
  if (children.length === 0) {
    out.push(`${indent}<${node.tagName}${attributes}/>`);
    return;
  }
  const only = children[0];
  if (children.length === 1 && only !== undefined && only.nodeType !== Node.ELEMENT_NODE) {
    out.push(`${indent}<${node.tagName}${attributes}>${escapeText((only.textContent ?? '').trim())}</${node.tagName}>`);
    return;
  }
  out.push(`${indent}<${node.tagName}${attributes}>`);
  for (const child of children) {
    if (child instanceof Element) lines(child, depth + 1, out);
    else out.push(`${indent}  ${escapeText((child.textContent ?? '').trim())}`);
  }
  out.push(`${indent}</${node.tagName}>`);
}

/**
 * `xml` indented, or as it came when it does not parse.
 * @example prettyXml('<a><b>1</b></a>') // '<a>\n  <b>1</b>\n</a>'
 */
export function prettyXml(xml: string): string {
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  if (document.getElementsByTagName('parsererror').length > 0 || document.documentElement === null) return xml;
  const out: string[] = [];
  lines(document.documentElement, 0, out);
  return out.join('\n');
}
