import { z } from 'zod';
import { CoreError } from '../errors.js';
import type { DocumentType } from './document-type.js';

/**
 * How a business document's JSON form maps to its XML form, derived once from its zod schema:
 * - the root element is `rootElement` in the default namespace `namespace`;
 * - each property becomes a child element named by the property in PascalCase (`hsCode` → `HsCode`),
 *   in the order the schema declares them (the XSD's `xs:sequence`);
 * - an array becomes a wrapper element holding one repeated element per entry, named in `itemElements`
 *   by the array's property name (`items` → `<Items><Item>…</Item></Items>`);
 * - strings stay text; numbers are `xs:decimal` (or `xs:integer` for `.int()`), booleans `xs:boolean`;
 * - an optional property is an optional element; absent in JSON, absent in XML.
 */
export type XmlLayout =
  | { readonly kind: 'object'; readonly fields: readonly XmlField[]; readonly byElement: ReadonlyMap<string, XmlField> }
  | { readonly kind: 'array'; readonly itemElement: string; readonly item: XmlLayout }
  | { readonly kind: 'text' }
  | { readonly kind: 'decimal' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'boolean' };

export interface XmlField {
  readonly property: string;
  readonly element: string;
  readonly optional: boolean;
  readonly layout: XmlLayout;
}

/** A document schema: a zod object whose leaves are strings, enums, numbers and booleans. */
export type DocumentSchema = z.ZodObject;

export interface DocumentSpec<S extends DocumentSchema = DocumentSchema> {
  readonly documentType: DocumentType;
  readonly rootElement: string;
  readonly namespace: string;
  readonly schema: S;
  /** Precomputed from the schema, so encoding and decoding do no schema introspection per document. */
  readonly layout: XmlLayout & { readonly kind: 'object' };
}

/**
 * Declares a document's XML form next to its zod schema; throws at module load if the schema uses
 * something the mapping cannot carry, or an array has no item element name.
 * @example
 * export const acddSpec = defineDocumentSpec({
 *   documentType: 'ACDD', rootElement: 'ACDD', namespace: 'urn:swx:xsd:acdd:1', schema: Acdd, itemElements: { items: 'Item' },
 * });
 */
export function defineDocumentSpec<S extends DocumentSchema>(definition: {
  readonly documentType: DocumentType;
  readonly rootElement: string;
  readonly namespace: string;
  readonly schema: S;
  readonly itemElements: Readonly<Record<string, string>>;
}): DocumentSpec<S> {
  const unused = new Set(Object.keys(definition.itemElements));
  const layout = layoutOf(definition.schema, definition.itemElements, unused, definition.rootElement);
  if (layout.kind !== 'object') throw unsupported(definition.rootElement, 'the root must be an object');
  if (unused.size > 0) throw unsupported(definition.rootElement, `itemElements names no array: ${[...unused].join(', ')}`);
  return {
    documentType: definition.documentType,
    rootElement: definition.rootElement,
    namespace: definition.namespace,
    schema: definition.schema,
    layout,
  };
}

function layoutOf(schema: z.ZodType, itemElements: Readonly<Record<string, string>>, unused: Set<string>, where: string): XmlLayout {
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(([property, child]): XmlField => {
      if (!/^[a-z][A-Za-z0-9]*$/.test(property)) throw unsupported(`${where}.${property}`, 'property names must be camelCase');
      const optional = child instanceof z.ZodOptional;
      const inner = optional ? (child.unwrap() as z.ZodType) : child;
      const element = property.charAt(0).toUpperCase() + property.slice(1);
      if (inner instanceof z.ZodArray) {
        const itemElement = itemElements[property];
        if (itemElement === undefined) throw unsupported(`${where}.${property}`, 'an array needs its item element in itemElements');
        unused.delete(property);
        const item = layoutOf(inner.element as z.ZodType, itemElements, unused, `${where}.${property}`);
        return { property, element, optional, layout: { kind: 'array', itemElement, item } };
      }
      return { property, element, optional, layout: layoutOf(inner, itemElements, unused, `${where}.${property}`) };
    });
    return { kind: 'object', fields, byElement: new Map(fields.map((field) => [field.element, field])) };
  }
  // Leaves by their def type: string formats (z.iso.date(), ...) are not ZodString instances.
  const def = schema._zod.def;
  if (def.type === 'number') return { kind: (schema as z.ZodNumber).isInt ? 'integer' : 'decimal' };
  if (def.type === 'boolean') return { kind: 'boolean' };
  if (def.type === 'string') return { kind: 'text' };
  if (schema instanceof z.ZodEnum && schema.options.every((option) => typeof option === 'string')) return { kind: 'text' };
  throw unsupported(where, `the XML mapping cannot carry a ${def.type}`);
}

function unsupported(where: string, why: string): CoreError {
  return new CoreError('INTERNAL', `document spec ${where}: ${why}`);
}
