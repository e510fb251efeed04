import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalizeElement } from '../../../src/adapters/xml/exclusive-c14n.js';
import { canonicalizeDocumentInclusive, canonicalizeElementInclusive } from '../../../src/adapters/xml/inclusive-c14n.js';
import { parseXmlTree } from '../../../src/adapters/xml/parse-xml-tree.js';
import type { TreeElement } from '../../../src/adapters/xml/xml-tree.js';
import { NO_SHAPE, xmlOfShape } from '../../helpers/hostile-xml.js';

const scratch = mkdtempSync(join(tmpdir(), 'swx-c14n-'));

/** libxml2's Canonical XML 1.0 (`xmllint --c14n`; the documents here have no comments, which it would keep). */
function xmllintC14n(xml: string): string {
  const path = join(scratch, `${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(path, xml);
  const run = spawnSync('xmllint', ['--c14n', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

function find(element: TreeElement, localName: string): TreeElement {
  if (element.localName === localName) return element;
  for (const child of element.children) {
    if (child.kind !== 'element') continue;
    try {
      return find(child, localName);
    } catch {
      // not in this subtree
    }
  }
  throw new Error(`no ${localName}`);
}

describe('canonicalizeDocumentInclusive', () => {
  const documents: Record<string, string> = {
    'unused and redeclared namespaces, attribute order, escapes':
      '<?xml version="1.0"?>\n<a:r xmlns:a="urn:a" xmlns:u="urn:unused" xmlns="urn:d" z="1" a:y="2" b="&lt;&amp;&quot;&#9;"><b xmlns:a="urn:a" xmlns:u="urn:other">x &gt; y\r\n</b><c xmlns=""><d xmlns="urn:d"/></c></a:r>',
    'processing instructions around the root, empty elements and CDATA':
      '<?pi before?>\n<r xmlns="urn:r"><e/><f><![CDATA[<&>]]></f><?inside data?></r>\n<?pi after?>',
    'xml:* attributes and a default namespace undeclared below a prefixed element':
      '<p:r xmlns:p="urn:p" xmlns="urn:d" xml:lang="th"><p:s xmlns=""><t xml:space="preserve"> a </t></p:s></p:r>',
  };
  for (const [name, xml] of Object.entries(documents)) {
    it(`agrees with libxml2 (xmllint --c14n): ${name}`, () => {
      expect(canonicalizeDocumentInclusive(parseXmlTree(xml))).toBe(xmllintC14n(xml));
    });
  }

  it('agrees with libxml2 on hostile shapes within the limits', () => {
    for (const shape of [
      { ...NO_SHAPE, siblings: 2_000, namespaces: 50, prefixed: true },
      { ...NO_SHAPE, depth: 60, namespaces: 3, prefixed: true, attributes: 20 },
    ]) {
      const xml = xmlOfShape(shape);
      expect(canonicalizeDocumentInclusive(parseXmlTree(xml))).toBe(xmllintC14n(xml));
    }
  });

  it('leaves out the omitted element and its subtree', () => {
    const tree = parseXmlTree('<r xmlns="urn:r"><a>1</a><s xmlns:x="urn:x"><x:y/></s></r>');
    expect(canonicalizeDocumentInclusive(tree, find(tree.root, 's'))).toBe('<r xmlns="urn:r"><a>1</a></r>');
  });
});

describe('canonicalizeElementInclusive, a subset apex (C14N 1.0 §2.3, §2.4)', () => {
  const tree = parseXmlTree(
    '<r xmlns="urn:r" xmlns:u="urn:u" xml:lang="th" xml:space="preserve"><s xmlns:v="urn:v" xml:lang="en"><t a="1"><w/></t></s></r>',
  );

  it('carries every namespace in scope and the xml:* attributes of its ancestors, the nearest first', () => {
    expect(canonicalizeElementInclusive(find(tree.root, 't'))).toBe(
      '<t xmlns="urn:r" xmlns:u="urn:u" xmlns:v="urn:v" a="1" xml:lang="en" xml:space="preserve"><w></w></t>',
    );
  });

  it('inherits nothing from above `top`, which stands as the document root', () => {
    expect(canonicalizeElementInclusive(find(tree.root, 't'), { top: find(tree.root, 's') })).toBe(
      '<t xmlns:v="urn:v" a="1" xml:lang="en"><w></w></t>',
    );
  });
});

describe('canonicalizeElement (exclusive) with an InclusiveNamespaces PrefixList', () => {
  const tree = parseXmlTree('<r xmlns="urn:r" xmlns:u="urn:u" xmlns:v="urn:v"><t><w/></t></r>');

  it('renders the listed prefixes in scope, used or not, once', () => {
    expect(canonicalizeElement(find(tree.root, 't'), { inclusivePrefixes: ['u', 'missing'] })).toBe('<t xmlns="urn:r" xmlns:u="urn:u"><w></w></t>');
  });

  it('renders #default as the default namespace, and without a list only what is used', () => {
    const other = parseXmlTree('<p:r xmlns:p="urn:p" xmlns="urn:d"><p:t/></p:r>');
    expect(canonicalizeElement(find(other.root, 't'), { inclusivePrefixes: ['#default'] })).toBe('<p:t xmlns="urn:d" xmlns:p="urn:p"></p:t>');
    expect(canonicalizeElement(find(other.root, 't'))).toBe('<p:t xmlns:p="urn:p"></p:t>');
  });
});
