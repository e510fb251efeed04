import type { z } from 'zod';
import { CoreError, type FieldIssue } from '../errors.js';
import { element, escapeText } from '../xml/canonical-writer.js';
import type { ParsedXml, XmlValue } from '../xml/parsed-xml.js';
import type { DocumentSchema, DocumentSpec, XmlLayout } from './document-spec.js';

/**
 * Writes a valid document as XML that is already exclusive-C14N canonical (default namespace on the root,
 * no whitespace between elements), so it can be signed as it is.
 * @example encodeDocumentXml(acddSpec, acdd) // '<ACDD xmlns="urn:swx:xsd:acdd:1"><ExportDeclarationNumber>…'
 */
export function encodeDocumentXml<S extends DocumentSchema>(spec: DocumentSpec<S>, value: z.output<S>): string {
  return element(spec.rootElement, { namespaces: { '': spec.namespace } }, encodeContent(spec.layout, value, spec.rootElement));
}

function encodeContent(layout: XmlLayout, value: unknown, where: string): string {
  switch (layout.kind) {
    case 'object': {
      if (typeof value !== 'object' || value === null) throw notEncodable(where, value);
      const record = value as Readonly<Record<string, unknown>>;
      let content = '';
      for (const field of layout.fields) {
        const child = record[field.property];
        if (child === undefined) continue;
        content += `<${field.element}>${encodeContent(field.layout, child, `${where}/${field.element}`)}</${field.element}>`;
      }
      return content;
    }
    case 'array': {
      if (!Array.isArray(value)) throw notEncodable(where, value);
      const { itemElement, item } = layout;
      return value.map((entry) => `<${itemElement}>${encodeContent(item, entry, `${where}/${itemElement}`)}</${itemElement}>`).join('');
    }
    case 'text':
      if (typeof value !== 'string') throw notEncodable(where, value);
      return escapeText(value);
    case 'decimal':
    case 'integer':
      if (typeof value !== 'number') throw notEncodable(where, value);
      return decimalText(value, where);
    case 'boolean':
      if (typeof value !== 'boolean') throw notEncodable(where, value);
      return value ? 'true' : 'false';
  }
}

/** xs:decimal has no exponent: 1e-7 is written 0.0000001. */
function decimalText(value: number, where: string): string {
  if (!Number.isFinite(value)) throw notEncodable(where, value);
  const text = String(value);
  if (!text.includes('e')) return text;
  const fixed = value.toFixed(20).replace(/\.?0+$/, '');
  if (fixed.includes('e')) throw notEncodable(where, value);
  return fixed;
}

function notEncodable(where: string, value: unknown): CoreError {
  return new CoreError('INTERNAL', `cannot write ${where} from ${JSON.stringify(value) ?? typeof value}: validate the document first`);
}

/**
 * Turns a parsed XML document (src/adapters/xml/xml-codec.ts) into the JSON shape its zod schema validates:
 * elements back to properties, wrappers to arrays (one item or many), decimal, integer and boolean text to
 * numbers and booleans. Text that does not read as its type is left as text for the schema to report, so
 * every issue keeps a JSON pointer. Unknown child elements are kept under `<Name>` so a strict object
 * reports them (`/items/0/<Colour>`). Attributes carry nothing in these documents: with `attributes: 'refuse'`
 * (the default, as for trader documents) each one is an issue, named by the pointer of its element and `@name`
 * (`/items/0/@colour`), as an unknown JSON property would be; with `'ignore'` they are dropped.
 * Throws VALIDATION_FAILED when the root element or its namespace is not the document's, or listing every
 * refused attribute.
 * @example validateDocument(exportDeclarationSpec.schema, decodeDocumentXml(exportDeclarationSpec, parseXml(body)))
 */
export function decodeDocumentXml(spec: DocumentSpec, xml: ParsedXml, options: { readonly attributes?: 'refuse' | 'ignore' } = {}): unknown {
  if (xml.root !== spec.rootElement || xml.namespace !== spec.namespace) {
    const found = `${xml.root} in ${xml.namespace === undefined ? 'no namespace' : `namespace ${xml.namespace}`}`;
    const wanted = `${spec.rootElement} in namespace ${spec.namespace}`;
    throw new CoreError('VALIDATION_FAILED', `not a ${spec.documentType} document`, {
      issues: [{ pointer: '', detail: `the root element is ${found}; expected ${wanted}` }],
    });
  }
  const refused: Refused | undefined = options.attributes === 'ignore' ? undefined : { count: 0, issues: [] };
  const decoded = decodeValue(spec.layout, xml.value, '', refused);
  if (refused !== undefined && refused.count > 0) {
    const listed = refused.count > refused.issues.length ? ` (the first ${refused.issues.length} listed)` : '';
    throw new CoreError('VALIDATION_FAILED', `the document has ${refused.count} unknown attribute${refused.count === 1 ? '' : 's'}${listed}`, {
      issues: refused.issues,
    });
  }
  return decoded;
}

/** The attributes refused so far: all counted, the first MAX_LISTED listed (a hostile document may carry millions). */
interface Refused {
  count: number;
  readonly issues: FieldIssue[];
}
const MAX_LISTED = 100;

/** Decodes one element's content; `refused`, when given, collects its attributes and those of the elements it maps. */
function decodeValue(layout: XmlLayout, node: XmlValue, pointer: string, refused: Refused | undefined): unknown {
  if (refused !== undefined && typeof node === 'object' && !isList(node)) {
    for (const name of Object.keys(node)) {
      if (!name.startsWith('@_')) continue;
      refused.count += 1;
      if (refused.issues.length < MAX_LISTED)
        refused.issues.push({ pointer: `${pointer}/@${name.slice(2)}`, detail: `unknown attribute "${name.slice(2)}"` });
    }
  }
  switch (layout.kind) {
    case 'object': {
      if (node === '') return {};
      if (typeof node === 'string' || isList(node)) return node;
      const decoded: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(node)) {
        if (name.startsWith('@_')) continue;
        const field = layout.byElement.get(name);
        if (field) decoded[field.property] = decodeValue(field.layout, child, `${pointer}/${field.property}`, refused);
        else decoded[`<${name}>`] = child;
      }
      return decoded;
    }
    case 'array': {
      if (node === '') return [];
      if (typeof node === 'string' || isList(node)) return node;
      const names = Object.keys(node).filter((name) => !name.startsWith('@_'));
      const entries = node[layout.itemElement];
      if (entries === undefined || names.length !== 1) return node;
      return (isList(entries) ? entries : [entries]).map((entry, index) => decodeValue(layout.item, entry, `${pointer}/${index}`, refused));
    }
    case 'text':
      return textOf(node) ?? node;
    case 'decimal': {
      const text = textOf(node);
      return text !== undefined && /^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*$/.test(text) ? Number(text) : (text ?? node);
    }
    case 'integer': {
      const text = textOf(node);
      return text !== undefined && /^\s*[+-]?[0-9]+\s*$/.test(text) ? Number(text) : (text ?? node);
    }
    case 'boolean': {
      // xs:boolean: true, false, 1 or 0, whitespace collapsed.
      const text = textOf(node)?.trim();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return textOf(node) ?? node;
    }
  }
}

function isList(node: XmlValue): node is readonly XmlValue[] {
  return Array.isArray(node);
}

/** The text of an element holding only text (attributes aside); undefined when it has child elements. */
function textOf(node: XmlValue): string | undefined {
  if (typeof node === 'string') return node;
  if (isList(node)) return undefined;
  const names = Object.keys(node).filter((name) => !name.startsWith('@_'));
  if (names.length === 0) return '';
  const text = node['#text'];
  return names.length === 1 && typeof text === 'string' ? text : undefined;
}
