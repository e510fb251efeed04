import { describe, expect, it } from 'vitest';
import { parseXmlTree } from '../../../src/adapters/xml/parse-xml-tree.js';
import { XML_LIMITS } from '../../../src/adapters/xml/refuse-unsafe-xml.js';
import { childElements, textOf } from '../../../src/adapters/xml/xml-tree.js';
import { thrownCoreError } from '../../helpers/core-error.js';

describe('parseXmlTree', () => {
  it('resolves element and attribute namespaces and keeps text, CDATA and references as text', () => {
    const tree = parseXmlTree(
      '<?xml version="1.0" encoding="utf-8"?><r:a xmlns:r="urn:r" xmlns="urn:d" r:x="1" y="2"><b>x &amp; <![CDATA[<y>]]>&#x41;</b></r:a>',
    );
    expect(tree.root).toMatchObject({ prefix: 'r', localName: 'a', namespaceUri: 'urn:r' });
    expect(tree.root.attributes.map((attribute) => [attribute.qname, attribute.namespaceUri, attribute.value])).toEqual([
      ['r:x', 'urn:r', '1'],
      ['y', '', '2'],
    ]);
    const [b] = childElements(tree.root);
    expect(b?.namespaceUri).toBe('urn:d');
    expect(b && textOf(b)).toBe('x & <y>A');
  });

  it('reads names with characters beyond ASCII', () => {
    const tree = parseXmlTree('<Tờkhai xmlns:ü="urn:u" ü:lô="1"><Hàng·1>x</Hàng·1></Tờkhai>');
    expect(tree.root.localName).toBe('Tờkhai');
    expect(tree.root.attributes[0]).toMatchObject({ prefix: 'ü', localName: 'lô', namespaceUri: 'urn:u' });
    expect(childElements(tree.root)[0]?.qname).toBe('Hàng·1');
  });

  it('normalises line ends and literal white space in attribute values, keeping character references', () => {
    const tree = parseXmlTree('<a x="1\t2\r\n3&#10;4">l1\r\nl2\rl3</a>');
    expect(tree.root.attributes[0]?.value).toBe('1 2 3\n4');
    expect(textOf(tree.root)).toBe('l1\nl2\nl3');
  });

  describe('refusals before parsing', () => {
    it('refuses a DOCTYPE with an entity', () => {
      expect(thrownCoreError(() => parseXmlTree('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')).code).toBe('XML_FORBIDDEN_CONSTRUCT');
    });

    it(`refuses nesting deeper than ${XML_LIMITS.maxDepth}`, () => {
      const nested = (depth: number): string => '<e>'.repeat(depth) + '</e>'.repeat(depth);
      expect(parseXmlTree(nested(XML_LIMITS.maxDepth)).root.localName).toBe('e');
      expect(thrownCoreError(() => parseXmlTree(nested(XML_LIMITS.maxDepth + 1))).code).toBe('XML_FORBIDDEN_CONSTRUCT');
    });
  });

  it('reports the line and column of a malformation', () => {
    const error = thrownCoreError(() => parseXmlTree('<a>\n  <b></c>\n</a>'));
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.message).toBe('malformed XML at line 2, column 6: end tag </c> does not match <b>');
  });

  const malformed: Record<string, string> = {
    'an undeclared entity': '<a>&e;</a>',
    'a bare ampersand': '<a>&</a>',
    'a reference to a forbidden character': '<a>&#1;</a>',
    'a forbidden control character': '<a>\u0001</a>',
    'two root elements': '<a/><b/>',
    'text after the root': '<a/>x',
    'text before the root': 'x<a/>',
    'an unclosed element': '<a><b></b>',
    'a repeated attribute': '<a x="1" x="2"/>',
    'a repeated expanded attribute name': '<a xmlns:p="urn:x" xmlns:q="urn:x" p:x="1" q:x="2"/>',
    'an unquoted attribute': '<a x=1/>',
    'attributes without white space between them': '<a x="1"y="2"/>',
    "'<' in an attribute value": '<a x="<"/>',
    "']]>' in text": '<a>]]></a>',
    "'--' in a comment": '<a><!-- a -- b --></a>',
    'an undeclared element prefix': '<p:a/>',
    'an undeclared attribute prefix': '<a p:x="1"/>',
    'an undeclared prefix': '<a xmlns:p=""/>',
    'a rebound xml prefix': '<a xmlns:xml="urn:other"/>',
    'a declared xmlns prefix': '<a xmlns:xmlns="urn:other"/>',
    'a name with two colons': '<a:b:c xmlns:a="urn:a"/>',
    'a late XML declaration': '<a><?xml version="1.0"?></a>',
    'XML 1.1': '<?xml version="1.1"?><a/>',
    'an encoding other than UTF-8': '<?xml version="1.0" encoding="ISO-8859-1"?><a/>',
    'an unclosed CDATA section': '<a><![CDATA[x</a>',
    'no root element': '<!-- nothing -->',
  };
  for (const [defect, text] of Object.entries(malformed)) {
    it(`refuses ${defect}`, () => {
      expect(thrownCoreError(() => parseXmlTree(text)).code).toBe('MALFORMED_REQUEST');
    });
  }
});
