import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { XML_LIMITS } from '../../../src/adapters/xml/refuse-unsafe-xml.js';
import { XML_NAMESPACE, type XmlElement } from '../../../src/core/xml/parsed-xml.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const nested = (depth: number): string => '<e>'.repeat(depth) + '</e>'.repeat(depth);

describe('parseXml', () => {
  describe('when the document declares a DTD or entities', () => {
    const hostile = {
      'a bare DOCTYPE': '<!DOCTYPE Envelope><Envelope/>',
      'a lower-case doctype': '<!doctype Envelope><Envelope/>',
      'an internal entity': '<!DOCTYPE a [<!ENTITY name "expanded">]><a>&name;</a>',
      'an external entity (XXE)': '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>',
      'a parameter entity': '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><a/>',
      'billion laughs': `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`,
      'an entity declaration without DOCTYPE': '<a><!ENTITY x "y"></a>',
    };
    for (const [defect, text] of Object.entries(hostile)) {
      it(`refuses ${defect} before parsing`, () => {
        const error = thrownCoreError(() => parseXml(text));
        expect(error.code).toBe('XML_FORBIDDEN_CONSTRUCT');
        expect(error.message).not.toContain('lollol');
        expect(error.message).not.toContain('root:');
      });
    }

    it('does not expand a reference to an undeclared entity', () => {
      expect(thrownCoreError(() => parseXml('<a>&xxe;</a>')).code).toBe('MALFORMED_REQUEST');
    });
  });

  describe('when text looks like a number or a boolean', () => {
    it('keeps element text and attribute values as strings', () => {
      const parsed = parseXml('<Item code="0012" flag="true"><HsCode>0012</HsCode><Exp>1e3</Exp><Qty>10.50</Qty></Item>');
      expect(parsed.value).toEqual({ '@_code': '0012', '@_flag': 'true', HsCode: '0012', Exp: '1e3', Qty: '10.50' });
    });
  });

  describe('the tree shape', () => {
    it('removes prefixes, drops namespace declarations and reports the root namespace', () => {
      const parsed = parseXml(
        '<?xml version="1.0" encoding="UTF-8"?><!-- note --><rsm:Cert xmlns:rsm="urn:rsm" xmlns:ram="urn:ram" rsm:id="7"><ram:ID>A1</ram:ID></rsm:Cert>',
      );
      expect(parsed).toEqual({ root: 'Cert', namespace: 'urn:rsm', value: { '@_id': '7', ID: 'A1' } });
    });

    it("records each element object's namespace under XML_NAMESPACE, invisible to Object.keys", () => {
      const parsed = parseXml(
        '<Envelope xmlns="urn:env"><Body><acdd:ACDD xmlns:acdd="urn:acdd"><acdd:Id>7</acdd:Id><Note n="1">x</Note></acdd:ACDD></Body></Envelope>',
      );
      const envelope = parsed.value as XmlElement;
      const body = envelope['Body'] as XmlElement;
      const acdd = body['ACDD'] as XmlElement;
      expect(body[XML_NAMESPACE]).toBe('urn:env');
      expect(acdd[XML_NAMESPACE]).toBe('urn:acdd');
      expect((acdd['Note'] as XmlElement)[XML_NAMESPACE]).toBe('urn:env');
      expect(Object.keys(acdd)).toEqual(['Id', 'Note']);
    });

    it('joins children of different namespaces with one local name into an array', () => {
      const parsed = parseXml('<r xmlns:a="urn:a" xmlns:b="urn:b"><a:Id>1</a:Id><b:Id>2</b:Id></r>');
      expect(parsed.value).toEqual({ Id: ['1', '2'] });
    });

    it('reports the default namespace, and none when there is none', () => {
      expect(parseXml('<Envelope xmlns="urn:swx:xsd:envelope:1"><A>1</A></Envelope>').namespace).toBe('urn:swx:xsd:envelope:1');
      expect(parseXml('<Envelope><A>1</A></Envelope>').namespace).toBeUndefined();
    });

    it('gives repeated elements as arrays in document order, attributes under @_ and text under #text', () => {
      const parsed = parseXml('<a>\n  <b>1</b>\n  <b>2</b>\n  <c unit="KGM"> 5 </c>\n  <d/>\n</a>');
      expect(parsed.value).toEqual({ b: ['1', '2'], c: { '@_unit': 'KGM', '#text': '5' }, d: '' });
    });

    it('decodes predefined entities, character references and CDATA, and normalises line ends', () => {
      const parsed = parseXml('<a><b>Fish &amp; chips &#x2014; &#65;&lt;</b><c><![CDATA[<&amp;>]]></c><d>x\r\ny\rz</d></a>');
      expect(parsed.value).toEqual({ b: 'Fish & chips \u2014 A<', c: '<&amp;>', d: 'x\ny\nz' });
    });
    it('trims each piece of text before decoding it, so white space from a reference or CDATA stays', () => {
      const parsed = parseXml('<a><b> &#32;x </b><c><![CDATA[ y ]]></c><d> t <e/> u </d></a>');
      expect(parsed.value).toEqual({ b: ' x', c: ' y ', d: { e: '', '#text': 'tu' } });
    });
  });

  describe('limits', () => {
    it(`accepts nesting ${XML_LIMITS.maxDepth} deep and refuses one more`, () => {
      expect(parseXml(nested(XML_LIMITS.maxDepth)).root).toBe('e');
      expect(thrownCoreError(() => parseXml(nested(XML_LIMITS.maxDepth + 1))).code).toBe('XML_FORBIDDEN_CONSTRUCT');
    });

    it('refuses input over the size limit', () => {
      const text = `<a>${'x'.repeat(XML_LIMITS.maxChars)}</a>`;
      expect(thrownCoreError(() => parseXml(text)).code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('when the XML is malformed', () => {
    it('reports the line and column of a mismatched end tag', () => {
      const error = thrownCoreError(() => parseXml('<a>\n<b></a>'));
      expect(error.code).toBe('MALFORMED_REQUEST');
      expect(error.message).toContain('line 2, column 4');
    });

    it('reports the position of a character XML forbids', () => {
      const error = thrownCoreError(() => parseXml('<a>\n  \u0001</a>'));
      expect(error.code).toBe('MALFORMED_REQUEST');
      expect(error.message).toContain('line 2, column 3');
    });

    const malformed = {
      'two root elements': '<a/><b/>',
      'text after the root': '<a/>text',
      'a bare ampersand': '<a>fish & chips</a>',
      'a repeated attribute': '<a x="1" x="2"/>',
      'an unquoted attribute': '<a x=1/>',
      'an undeclared root prefix': '<p:a/>',
      'a reference to character zero': '<a>&#0;</a>',
      'a prototype-polluting name': '<__proto__><x>1</x></__proto__>',
      'a prototype-polluting name behind a prefix': '<a><p:constructor xmlns:p="urn:p">1</p:constructor></a>',
      'an undeclared prefix on a child': '<a><p:b>1</p:b></a>',
      'an undeclared prefix on an attribute': '<a p:x="1"/>',
      'two attributes with one local name': '<a xmlns:p="urn:p" xmlns:q="urn:q" p:x="1" q:x="2"/>',
      'an unclosed element': '<a><b>',
      'no element at all': '   ',
    };
    for (const [defect, text] of Object.entries(malformed)) {
      it(`refuses ${defect}`, () => {
        expect(thrownCoreError(() => parseXml(text)).code).toBe('MALFORMED_REQUEST');
      });
    }
  });
});
