import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeDocument } from '../../../src/adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../../../src/adapters/xml/parse-xml-tree.js';
import { XML_LIMITS, xmlLimitsWith, type XmlLimits } from '../../../src/adapters/xml/refuse-unsafe-xml.js';
import { createXmlParser, parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { childElements } from '../../../src/adapters/xml/xml-tree.js';
import { isCoreError } from '../../../src/core/errors.js';
import type { XmlElement } from '../../../src/core/xml/parsed-xml.js';
import { NO_SHAPE, xmlOfShape, type XmlShape } from '../../helpers/hostile-xml.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const aSmallShape: fc.Arbitrary<XmlShape> = fc.record({
  siblings: fc.nat(300),
  attributes: fc.nat(60),
  depth: fc.nat(40),
  namespaces: fc.nat(30),
  prefixed: fc.boolean(),
  textChars: fc.nat(3_000),
  entities: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) }),
});
/** Limits small enough to be met; texts may be as short as 20 characters, longer than any attribute value of a shape. */
const someLimits: fc.Arbitrary<XmlLimits> = fc
  .record({
    maxDepth: fc.integer({ min: 2, max: 50 }),
    maxElements: fc.integer({ min: 1, max: 400 }),
    maxAttributes: fc.integer({ min: 1, max: 100 }),
    maxTextChars: fc.integer({ min: 20, max: 4_000 }),
  })
  .map((limits) => xmlLimitsWith(limits));

/** Which limits a shape goes over, by the variable its error names. */
function exceeded(shape: XmlShape, limits: XmlLimits): string[] {
  const over: string[] = [];
  if (Math.max(1 + shape.depth, shape.siblings > 0 ? 2 : 1) > limits.maxDepth) over.push('SWX_XML_MAX_DEPTH');
  if (1 + shape.depth + shape.siblings > limits.maxElements) over.push('SWX_XML_MAX_ELEMENTS');
  if (1 + shape.namespaces + shape.attributes > limits.maxAttributes) over.push('SWX_XML_MAX_ATTRIBUTES');
  if (shape.textChars > limits.maxTextChars) over.push('SWX_XML_MAX_TEXT_CHARS');
  return over;
}

describe('parseXml and parseXmlTree on hostile shapes', () => {
  it('parse a shape within the limits whole, and refuse one over a limit naming a limit it is over', () => {
    fc.assert(
      fc.property(aSmallShape, someLimits, (shape, limits) => {
        const xml = xmlOfShape(shape);
        const over = exceeded(shape, limits);
        for (const parse of [() => createXmlParser(limits)(xml), () => parseXmlTree(xml, { limits })]) {
          let error: unknown;
          try {
            parse();
          } catch (thrown) {
            error = thrown;
          }
          if (shape.entities > 0) {
            expect(isCoreError(error, 'XML_FORBIDDEN_CONSTRUCT')).toBe(true);
          } else if (over.length === 0) {
            expect(error).toBeUndefined();
          } else {
            expect(isCoreError(error) && ['PAYLOAD_TOO_LARGE', 'XML_FORBIDDEN_CONSTRUCT'].includes(error.code)).toBe(true);
            expect(over.some((variable) => (error as Error).message.includes(variable))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('give every sibling, in document order, whatever namespaces the root declares', () => {
    fc.assert(
      fc.property(aSmallShape, (generated) => {
        const shape = { ...generated, entities: 0, depth: 0, textChars: 0 };
        const root = parseXml(xmlOfShape(shape)).value as XmlElement;
        const siblings = shape.siblings === 0 ? undefined : shape.siblings === 1 ? '0' : Array.from({ length: shape.siblings }, (_, i) => String(i));
        expect(root['s']).toEqual(siblings);
        expect(Object.keys(root).filter((key) => key.startsWith('@_'))).toHaveLength(shape.attributes);
      }),
      { numRuns: 100 },
    );
  });

  it('canonicalize to a fixed point: exc-C14N of the canonical form is itself', () => {
    fc.assert(
      fc.property(aSmallShape, (generated) => {
        const xml = xmlOfShape({ ...generated, entities: 0 });
        const canonical = canonicalizeDocument(parseXmlTree(xml));
        expect(canonicalizeDocument(parseXmlTree(canonical))).toBe(canonical);
      }),
      { numRuns: 100 },
    );
  });
});

describe('namespace scopes', () => {
  it('end with the element that declares them, for its following siblings', () => {
    expect(thrownCoreError(() => parseXmlTree('<r><a xmlns:p="urn:1"><p:x/></a><p:y/></r>')).message).toContain('prefix p of p:y is not declared');
    expect(thrownCoreError(() => parseXmlTree('<r><a xmlns:p="urn:1"/><p:y/></r>')).message).toContain('prefix p of p:y is not declared');
  });

  it('shadow an outer declaration inside, and give it back after', () => {
    const tree = parseXmlTree('<r xmlns:p="urn:1" xmlns="urn:d"><a xmlns:p="urn:2" xmlns=""><p:x/><y/></a><p:x/><y/></r>');
    const [a, outerX, outerY] = childElements(tree.root);
    expect(childElements(a!).map((child) => child.namespaceUri)).toEqual(['urn:2', '']);
    expect([outerX?.namespaceUri, outerY?.namespaceUri]).toEqual(['urn:1', 'urn:d']);
    expect(canonicalizeDocument(tree)).toBe(
      '<r xmlns="urn:d"><a xmlns=""><p:x xmlns:p="urn:2"></p:x><y></y></a><p:x xmlns:p="urn:1"></p:x><y></y></r>',
    );
  });
});

describe('structural limits', () => {
  const cases: [string, XmlShape, keyof XmlLimits, string][] = [
    ['elements', { ...NO_SHAPE, siblings: XML_LIMITS.maxElements }, 'maxElements', 'SWX_XML_MAX_ELEMENTS'],
    ['attributes on one element', { ...NO_SHAPE, attributes: XML_LIMITS.maxAttributes }, 'maxAttributes', 'SWX_XML_MAX_ATTRIBUTES'],
    ['characters in one text', { ...NO_SHAPE, textChars: 2_000_001 }, 'maxTextChars', 'SWX_XML_MAX_TEXT_CHARS'],
  ];
  for (const [what, shape, limit, variable] of cases) {
    it(`refuses more ${what} than the limit with 413 PAYLOAD_TOO_LARGE naming ${variable}`, () => {
      const parse = createXmlParser(xmlLimitsWith({ [limit]: limit === 'maxTextChars' ? 2_000_000 : XML_LIMITS[limit] }));
      const error = thrownCoreError(() => parse(xmlOfShape(shape)));
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.message).toContain(variable);
    });
  }

  it('accepts the 221 KB ePhyto yardstick with room to spare under the defaults', async () => {
    const { readFileSync } = await import('node:fs');
    const xml = readFileSync('message-schemas/ephyto/1/examples/valid-with-pdf-attachment.xml', 'utf8');
    const tenTimesTighter = xmlLimitsWith({ maxDepth: 16, maxElements: 1_000, maxAttributes: 25, maxTextChars: 400_000 });
    expect(createXmlParser(tenTimesTighter)(xml).root).toBe('SPSCertificate');
  });
});
