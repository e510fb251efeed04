import { CoreError, isCoreError, type FieldIssue } from '../errors.js';
import { validateDocument } from '../document/validate-document.js';
import type { z } from 'zod';
import { XML_NAMESPACE, type XmlElement, type XmlValue } from './parsed-xml.js';

/**
 * A parsed element's content as the camelCase fields a strict zod object validates: child elements by their
 * name with the first letter in lower case (`MessageId` → `messageId`), recursively; text stays text.
 * Attributes (`@_…`) and mixed text (`#text`) keep their keys, so a strict schema reports them as unknown.
 * @example fieldsOf({ GatewayId: 'TH', Country: 'TH' }) // { gatewayId: 'TH', country: 'TH' }
 */
export function fieldsOf(value: XmlValue): unknown {
  if (typeof value === 'string') return value;
  if (isList(value)) return value.map(fieldsOf);
  const fields: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value)) {
    const key = name.startsWith('@_') || name === '#text' ? name : name.charAt(0).toLowerCase() + name.slice(1);
    fields[key] = fieldsOf(child);
  }
  return fields;
}

/**
 * Whether a value is the array of a repeated element.
 * @example isList(parsed.value['Error']) // true when the receipt has two Error elements
 */
export function isList(value: XmlValue): value is readonly XmlValue[] {
  return Array.isArray(value);
}

/**
 * An element's content as an object, or undefined for text and repeated elements; an empty element (`''`) has no children.
 * @example elementOf('') // {}
 */
export function elementOf(value: XmlValue): XmlElement | undefined {
  if (value === '') return {};
  return typeof value === 'string' || isList(value) ? undefined : value;
}

/**
 * Whether a parsed child is one XML-DSig element (the ds:Signature a signed envelope or receipt ends with),
 * not an element of another namespace that happens to have the same local name.
 * @example isXmlSignatureElement(envelope['Signature'])
 */
export function isXmlSignatureElement(value: XmlValue): boolean {
  return !isList(value) && elementOf(value)?.[XML_NAMESPACE] === 'http://www.w3.org/2000/09/xmldsig#';
}

/**
 * Validates `input` with `schema` and throws one VALIDATION_FAILED listing `issues` found while reading the XML
 * together with every schema issue, all under `pointer`.
 * @example const header = validateWithIssues(EnvelopeHeader, fieldsOf(value['Header']), issues, '/header')
 */
export function validateWithIssues<S extends z.ZodType>(schema: S, input: unknown, issues: readonly FieldIssue[], pointer = ''): z.output<S> {
  let schemaIssues: readonly FieldIssue[] = [];
  let value: z.output<S> | undefined;
  try {
    value = validateDocument(schema, input);
  } catch (error) {
    if (!isCoreError(error, 'VALIDATION_FAILED')) throw error;
    schemaIssues = error.issues.map((issue) => ({ pointer: pointer + issue.pointer, detail: issue.detail }));
  }
  const all = [...issues, ...schemaIssues];
  if (all.length > 0 || value === undefined) {
    throw new CoreError('VALIDATION_FAILED', `the document has ${all.length} invalid field${all.length === 1 ? '' : 's'}`, { issues: all });
  }
  return value;
}
