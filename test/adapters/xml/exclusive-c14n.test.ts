import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import { canonicalizeDocument, canonicalizeElement } from '../../../src/adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../../../src/adapters/xml/parse-xml-tree.js';
import { childElements } from '../../../src/adapters/xml/xml-tree.js';

const scratch = mkdtempSync(join(tmpdir(), 'swx-c14n-'));

/** libxml2's exclusive C14N 1.0 of a whole document (it keeps comments, so the inputs here have none). */
function xmllintExcC14n(xml: string): string {
  const file = join(scratch, 'input.xml');
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--exc-c14n', file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

const documents: Record<string, string> = {
  'declaration, PIs around the root, CRLF, unused and inherited namespaces, attribute order':
    '<?xml version="1.0" encoding="UTF-8"?>\r\n<?before  some data ?>\n<r:Root xmlns:r="urn:r" xmlns:unused="urn:u" xmlns="urn:d" b="2" a="1" r:z="3">\n' +
    '  <Child xmlns:x="urn:x" x:attr="v&#9;w&#10;x" plain="a\tb\nc">t &amp; &lt; &gt; &#13; \' " &#x1F600; Tiếng Việt</Child>\n' +
    '  <x:Deep xmlns:x="urn:x"><x:Deeper xmlns:x="urn:x2"/><y xmlns=""><z xmlns="urn:d"/></y></x:Deep>\n' +
    '  <![CDATA[ <cdata> & ]]>\n  <e/><?inner?><f   attr = \'single "q"\' ></f   >\n</r:Root>\n<?after x?>\n',
  'two prefixes for one namespace and attributes sorted by namespace URI':
    '<a xmlns:p="urn:p" xmlns:q="urn:p" xmlns:z="urn:a"><p:b q:c="1" p:d="2" z:e="3" e="4"/><q:b/></a>',
  'default namespace changes and undeclaration': '<a xmlns="urn:a"><b xmlns="urn:b"><c xmlns="urn:a"/></b><d xmlns=""/></a>',
  'xml: attributes, which exclusive C14N does not inherit': '<a xml:lang="vi"><b xml:space="preserve"> </b></a>',
};

describe('canonicalizeDocument', () => {
  for (const [name, xml] of Object.entries(documents)) {
    it(`matches libxml2's exclusive C14N: ${name}`, () => {
      expect(canonicalizeDocument(parseXmlTree(xml))).toBe(xmllintExcC14n(xml));
    });
  }

  it('drops comments (C14N without comments)', () => {
    expect(canonicalizeDocument(parseXmlTree('<!-- c --><a>x<!-- c -->y</a><!-- c -->'))).toBe('<a>xy</a>');
  });

  it('leaves out the omitted element and its subtree', () => {
    const tree = parseXmlTree('<a xmlns="urn:a"><b>1</b><s:S xmlns:s="urn:s"><s:T/></s:S></a>');
    expect(canonicalizeDocument(tree, childElements(tree.root)[1])).toBe('<a xmlns="urn:a"><b>1</b></a>');
  });
});

describe('canonicalizeElement', () => {
  it("matches xml-crypto's exclusive C14N of an element whose namespaces are declared by its ancestors", () => {
    const xml =
      '<r xmlns="urn:d" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:x="urn:x"><ds:Signature><ds:SignedInfo x:a="1" b="2">' +
      '<ds:Reference URI=""><Plain/></ds:Reference></ds:SignedInfo></ds:Signature></r>';
    const dom = new DOMParser().parseFromString(xml, 'text/xml');
    const reference = new ExclusiveCanonicalization().process(
      dom.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'SignedInfo').item(0) as never,
      {},
    );
    const signedInfo = childElements(childElements(parseXmlTree(xml).root)[0]!)[0]!;
    expect(canonicalizeElement(signedInfo)).toBe(reference);
    expect(reference).toBe(
      '<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:x="urn:x" b="2" x:a="1"><ds:Reference URI=""><Plain xmlns="urn:d"></Plain></ds:Reference></ds:SignedInfo>',
    );
  });
});
