import { CoreError } from '../../core/errors.js';
import { XML_NAMESPACE, type ParsedXml, type XmlElement, type XmlValue } from '../../core/xml/parsed-xml.js';

type RawValue = string | RawElement | readonly RawValue[];
/** fast-xml-parser's output with prefixes kept: element objects, text strings and arrays of repeated elements. */
export interface RawElement {
  readonly [name: string]: RawValue;
}
type Scope = ReadonlyMap<string, string>;

const XML_PREFIX_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const ROOT_SCOPE: Scope = new Map([['xml', XML_PREFIX_NAMESPACE]]);
/** Names that would reach Object.prototype if used as keys of the tree. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns fast-xml-parser's prefixed output into the tree of `XmlValue` (core/xml/parsed-xml.ts): local names,
 * namespace declarations dropped, each element object's namespace URI under `XML_NAMESPACE`
 * (Namespaces in XML 1.0, https://www.w3.org/TR/xml-names/). An undeclared prefix is malformed.
 * @example resolveNamespaces({ 'p:A': { '@_xmlns:p': 'urn:p', 'p:B': '1' } }) // { root: 'A', namespace: 'urn:p', value: { B: '1' } }
 */
export function resolveNamespaces(document: RawElement): ParsedXml {
  const names = Object.keys(document);
  const root = names[0];
  if (root === undefined || names.length !== 1) {
    throw new CoreError('MALFORMED_REQUEST', `malformed XML: expected one root element, found ${names.length}`);
  }
  const raw = document[root] ?? '';
  if (Array.isArray(raw)) throw new CoreError('MALFORMED_REQUEST', 'malformed XML: expected one root element, found several');
  const scope = scopeOf(raw as RawValue, ROOT_SCOPE);
  return { root: localName(root), namespace: namespaceOf(root, scope), value: convert(raw as RawValue, root, scope) };
}

function convert(raw: RawValue, name: string, scope: Scope): XmlValue {
  if (typeof raw === 'string') {
    namespaceOf(name, scope);
    return raw;
  }
  const element = raw as RawElement;
  const out: Record<string, XmlValue> = {};
  let hasContent = false;
  for (const [key, value] of Object.entries(element)) {
    if (key === '#text') {
      out[key] = value;
    } else if (key.startsWith('@_')) {
      const attribute = key.slice(2);
      if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) continue;
      if (attribute.includes(':')) namespaceOf(attribute, scope);
      const local = `@_${safeName(localName(attribute))}`;
      if (local in out) throw new CoreError('MALFORMED_REQUEST', `malformed XML: two attributes named ${local.slice(2)} on ${name}`);
      out[local] = value;
      hasContent = true;
    } else {
      const local = safeName(localName(key));
      for (const item of Array.isArray(value) ? (value as readonly RawValue[]) : [value as RawValue]) {
        const child = convert(item, key, typeof item === 'string' ? scope : scopeOf(item, scope));
        const existing = out[local];
        out[local] = existing === undefined ? child : Array.isArray(existing) ? [...(existing as XmlValue[]), child] : [existing, child];
      }
      hasContent = true;
    }
  }
  if (!hasContent) return typeof out['#text'] === 'string' ? out['#text'] : '';
  return Object.defineProperty(out, XML_NAMESPACE, { value: namespaceOf(name, scope), enumerable: false }) as XmlElement;
}

function scopeOf(raw: RawValue, parent: Scope): Scope {
  if (typeof raw === 'string' || Array.isArray(raw)) return parent;
  let scope: Map<string, string> | undefined;
  for (const [key, value] of Object.entries(raw as RawElement)) {
    if (key !== '@_xmlns' && !key.startsWith('@_xmlns:')) continue;
    scope ??= new Map(parent);
    scope.set(key === '@_xmlns' ? '' : key.slice('@_xmlns:'.length), typeof value === 'string' ? value : '');
  }
  return scope ?? parent;
}

function namespaceOf(qualifiedName: string, scope: Scope): string | undefined {
  const colon = qualifiedName.indexOf(':');
  const prefix = colon === -1 ? '' : qualifiedName.slice(0, colon);
  const uri = scope.get(prefix);
  if (uri === undefined && prefix !== '') {
    throw new CoreError('MALFORMED_REQUEST', `malformed XML: namespace prefix ${prefix} of ${qualifiedName} is not declared`);
  }
  return uri === '' ? undefined : uri;
}

function localName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.indexOf(':') + 1);
}

function safeName(name: string): string {
  if (UNSAFE_NAMES.has(name)) throw new CoreError('MALFORMED_REQUEST', `malformed XML: the name ${name} is not accepted`);
  return name;
}
