/**
 * Writes XML that is already in Exclusive XML Canonicalization form (https://www.w3.org/TR/xml-exc-c14n/),
 * so that swx can digest and sign what it generated without parsing it again: no XML declaration,
 * no self-closing tags, attributes in canonical order, text and attribute values escaped as C14N 1.0 §2.3 says,
 * and each namespace declared on the element that first uses it.
 */

/** C14N text node escaping: &, <, > and carriage return. */
export function escapeText(value: string): string {
  if (!/[&<>\r]/.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

/** C14N attribute value escaping: &, <, ", tab, line feed and carriage return. */
export function escapeAttribute(value: string): string {
  if (!/[&<"\t\n\r]/.test(value)) return value;
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

/**
 * One element. `namespaces` are the declarations to render here (prefix '' is the default namespace);
 * `attributes` are unqualified attributes. Both are sorted as C14N requires.
 * @example element('Amount', { attributes: { currency: 'USD' } }, escapeText('12.50'))
 */
export function element(
  name: string,
  options: { namespaces?: Readonly<Record<string, string>>; attributes?: Readonly<Record<string, string>> },
  content: string,
): string {
  let open = `<${name}`;
  if (options.namespaces) {
    for (const prefix of Object.keys(options.namespaces).sort()) {
      const uri = escapeAttribute(options.namespaces[prefix] ?? '');
      open += prefix === '' ? ` xmlns="${uri}"` : ` xmlns:${prefix}="${uri}"`;
    }
  }
  if (options.attributes) {
    for (const attribute of Object.keys(options.attributes).sort()) {
      open += ` ${attribute}="${escapeAttribute(options.attributes[attribute] ?? '')}"`;
    }
  }
  return `${open}>${content}</${name}>`;
}

/** A leaf element holding escaped text. */
export function textElement(name: string, text: string): string {
  return `<${name}>${escapeText(text)}</${name}>`;
}
