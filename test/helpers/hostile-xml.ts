import fc from 'fast-check';

/**
 * Hostile XML shapes, built as strings: the bench (test/bench/hostile.ts), the parser properties
 * (test/adapters/xml/hostile-shapes.test.ts) and the service properties (test/reliability/hostile-xml.test.ts)
 * attack with the same bytes.
 */
export interface XmlShape {
  /** Sibling elements under the root. */
  readonly siblings: number;
  /** Attributes on the root, each with a distinct name. */
  readonly attributes: number;
  /** Extra nesting inside the first sibling (or the root). */
  readonly depth: number;
  /** Namespace declarations on the root, `p0`…; the attributes and siblings use them when `prefixed`. */
  readonly namespaces: number;
  readonly prefixed: boolean;
  /** Characters of one text node in the root. */
  readonly textChars: number;
  /** A DOCTYPE with an entity declaration before the root (always refused). */
  readonly entities: number;
}

export const NO_SHAPE: XmlShape = { siblings: 0, attributes: 0, depth: 0, namespaces: 0, prefixed: false, textChars: 0, entities: 0 };

/**
 * The XML of a shape, rooted at `root` in namespace `namespace`.
 * @example xmlOfShape({ ...NO_SHAPE, siblings: 30_000 }) // '<r xmlns="urn:hostile"><a>1</a>…</r>'
 */
export function xmlOfShape(shape: XmlShape, root = 'r', namespace = 'urn:hostile'): string {
  const parts: string[] = [];
  if (shape.entities > 0) {
    parts.push(`<!DOCTYPE ${root} [`);
    for (let i = 0; i < shape.entities; i += 1) parts.push(`<!ENTITY e${i} "${i === 0 ? 'lol' : `&e${i - 1};&e${i - 1};`}">`);
    parts.push(']>');
  }
  parts.push(`<${root} xmlns="${namespace}"`);
  for (let i = 0; i < shape.namespaces; i += 1) parts.push(` xmlns:p${i}="urn:p${i}"`);
  const prefix = (i: number): string => (shape.prefixed && shape.namespaces > 0 ? `p${i % shape.namespaces}:` : '');
  for (let i = 0; i < shape.attributes; i += 1) parts.push(` ${prefix(i)}a${i}="${i}"`);
  parts.push('>');
  if (shape.textChars > 0) parts.push('x'.repeat(shape.textChars));
  parts.push('<n>'.repeat(shape.depth), '</n>'.repeat(shape.depth));
  for (let i = 0; i < shape.siblings; i += 1) parts.push(`<${prefix(i)}s>${i}</${prefix(i)}s>`);
  parts.push(`</${root}>`);
  return parts.join('');
}

/** Shapes of up to a few hundred kilobytes, mixing every kind, each kind often absent. */
export const anXmlShape: fc.Arbitrary<XmlShape> = fc.record({
  siblings: fc.oneof(fc.constant(0), fc.nat(60_000)),
  attributes: fc.oneof(fc.constant(0), fc.nat(400), fc.nat(20_000)),
  depth: fc.oneof(fc.constant(0), fc.nat(80), fc.nat(5_000)),
  namespaces: fc.oneof(fc.constant(0), fc.nat(300), fc.nat(5_000)),
  prefixed: fc.boolean(),
  textChars: fc.oneof(fc.constant(0), fc.nat(400_000)),
  entities: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 }) }),
});
