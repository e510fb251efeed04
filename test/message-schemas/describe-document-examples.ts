import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import type { DocumentSpec } from '../../src/core/document/document-spec.js';
import { validateDocument } from '../../src/core/document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { thrownCoreError } from '../helpers/core-error.js';
import { describeXsdVerdicts, xmllintValidate } from '../helpers/xmllint.js';

const SCHEMAS = new URL('../../message-schemas/', import.meta.url).pathname;

/** Reads an XML example through the codec, the document mapping and the schema, as a request body would go. */
function readXml(spec: DocumentSpec, text: string): unknown {
  return validateDocument(spec.schema, decodeDocumentXml(spec, parseXml(text)));
}

/**
 * The examples of one message-schemas folder, checked against both the XSD (with xmllint) and the zod schema
 * (through the XML mapping for XML): valid examples pass both, invalid ones fail both, and each invalid one's
 * issues name exactly the pointers listed in `invalid`.
 */
export function describeDocumentExamples(options: {
  readonly folder: string;
  readonly xsd: string;
  readonly spec: DocumentSpec;
  /** Every invalid example, by file name, with the JSON pointers its issues must name. */
  readonly invalid: Readonly<Record<string, readonly string[]>>;
  /** Invalid JSON examples whose defect XSD 1.0 cannot express, so they have no XML counterpart that fails. */
  readonly zodOnly?: readonly string[];
}): void {
  const directory = join(SCHEMAS, options.folder);
  const examples = join(directory, 'examples');
  const xsdPath = join(directory, options.xsd);
  const files = readdirSync(examples).sort();
  const valid = files.filter((name) => name.startsWith('valid-'));
  const invalidFiles = files.filter((name) => name.startsWith('invalid-'));
  const json = (name: string): unknown => JSON.parse(readFileSync(join(examples, name), 'utf8'));
  const text = (name: string): string => readFileSync(join(examples, name), 'utf8');
  const pointers = (run: () => unknown): string[] => {
    const error = thrownCoreError(run);
    expect(error.code).toBe('VALIDATION_FAILED');
    return [...new Set(error.issues.map((issue) => issue.pointer))].sort();
  };

  describe(`message-schemas/${options.folder}`, () => {
    it('holds only examples named valid-* or invalid-*, each invalid one with its expected pointers', () => {
      expect(files.every((name) => /^(valid|invalid)-[a-z0-9-]+\.(json|xml)$/.test(name))).toBe(true);
      expect(valid.some((name) => name.endsWith('.json')) && valid.some((name) => name.endsWith('.xml'))).toBe(true);
      expect(invalidFiles).toEqual(Object.keys(options.invalid).sort());
    });

    describeXsdVerdicts(xsdPath, examples, valid, invalidFiles);

    describe('the zod schema', () => {
      it.each(valid.filter((name) => name.endsWith('.json')))('accepts %s', (name) => {
        expect(validateDocument(options.spec.schema, json(name))).toEqual(json(name));
      });
      it.each(valid.filter((name) => name.endsWith('.xml')))('accepts %s through the XML mapping, with the same content as its JSON twin', (name) => {
        const decoded = readXml(options.spec, text(name));
        const twin = name.replace(/\.xml$/, '.json');
        expect(files).toContain(twin);
        expect(decoded).toEqual(json(twin));
      });
      it.each(invalidFiles.filter((name) => name.endsWith('.json')))('rejects %s, naming the failing fields', (name) => {
        expect(pointers(() => validateDocument(options.spec.schema, json(name)))).toEqual([...(options.invalid[name] ?? [])].sort());
      });
      it.each(invalidFiles.filter((name) => name.endsWith('.xml')))('rejects %s through the XML mapping, naming the failing fields', (name) => {
        expect(pointers(() => readXml(options.spec, text(name)))).toEqual([...(options.invalid[name] ?? [])].sort());
      });
      const zodOnly = options.zodOnly ?? [];
      if (zodOnly.length > 0)
        it.each(zodOnly)('rejects %s, a rule the XSD cannot state, once written as XML too', (name) => {
          const dir = mkdtempSync(join(tmpdir(), 'swx-zod-only-'));
          const path = join(dir, name.replace(/\.json$/, '.xml'));
          const invalidValue = json(name) as Parameters<typeof encodeDocumentXml>[1];
          writeFileSync(path, encodeDocumentXml(options.spec, invalidValue));
          expect(xmllintValidate(xsdPath, path).ok).toBe(true);
          expect(pointers(() => readXml(options.spec, readFileSync(path, 'utf8')))).toEqual([...(options.invalid[name] ?? [])].sort());
        });
    });

    describe('the XML mapping', () => {
      it.each(valid.filter((name) => name.endsWith('.json')))('writes %s as XML the XSD accepts and reads it back unchanged', (name) => {
        const value = validateDocument(options.spec.schema, json(name));
        const xml = encodeDocumentXml(options.spec, value);
        expect(xml.startsWith(`<${options.spec.rootElement} xmlns="${options.spec.namespace}">`)).toBe(true);
        expect(xml).not.toMatch(/>\s+</);
        const path = join(mkdtempSync(join(tmpdir(), 'swx-round-trip-')), name.replace(/\.json$/, '.xml'));
        writeFileSync(path, xml);
        expect(xmllintValidate(xsdPath, path).ok).toBe(true);
        expect(readXml(options.spec, xml)).toEqual(value);
      });
    });
  });
}
