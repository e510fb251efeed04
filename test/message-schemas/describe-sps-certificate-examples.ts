import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpsCertificateCodec } from '../../message-schemas/common/1/sps-certificate-codec.js';
import { canonicalizeDocument } from '../../src/adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../../src/adapters/xml/parse-xml-tree.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { validateDocument } from '../../src/core/document/validate-document.js';
import { thrownCoreError } from '../helpers/core-error.js';
import { describeXsdVerdicts, xmllintValidate } from '../helpers/xmllint.js';

const SCHEMAS = new URL('../../message-schemas/', import.meta.url).pathname;

/**
 * The examples of an SPS certificate folder (ephyto/1, eah/1), checked against the XSD with xmllint and against
 * the codec (reader + zod schema): valid examples pass both, invalid ones fail both naming exactly the pointers
 * in `invalid` (those in `readerOnly` break a business rule XSD 1.0 cannot state: the XSD accepts them); valid examples
 * are accepted with exactly the warnings in `warnings` (none for those not named valid-with-warning-*); a valid XML example reads as its JSON twin (`twins`, else the same name, when there is one);
 * and the writer turns every valid example into exclusive-C14N XML the XSD accepts and the reader reads back.
 */
export function describeSpsCertificateExamples(options: {
  readonly folder: string;
  readonly xsd: string;
  readonly codec: SpsCertificateCodec;
  readonly invalid: Readonly<Record<string, readonly string[]>>;
  /** Invalid XML examples refused by a business rule of the reader that XSD 1.0 cannot state (ephyto/1/README.md). */
  readonly readerOnly?: readonly string[];
  /** Valid XML examples whose JSON twin has another name (the same certificate with other prefixes). */
  readonly twins?: Readonly<Record<string, string>>;
  /** The warnings (`CODE /pointer`) each valid-with-warning-* example is accepted with; every other valid example has none. */
  readonly warnings?: Readonly<Record<string, readonly string[]>>;
}): void {
  const examples = join(SCHEMAS, options.folder, 'examples');
  const xsdPath = join(SCHEMAS, options.folder, options.xsd);
  const files = readdirSync(examples).sort();
  const valid = files.filter((name) => name.startsWith('valid-'));
  const invalidFiles = files.filter((name) => name.startsWith('invalid-'));
  const text = (name: string): string => readFileSync(join(examples, name), 'utf8');
  const json = (name: string): unknown => JSON.parse(text(name));
  const read = (xml: string) => options.codec.read(parseXml(xml));
  const pointers = (run: () => unknown): string[] => {
    const error = thrownCoreError(run);
    expect(error.code).toBe('VALIDATION_FAILED');
    return [...new Set(error.issues.map((issue) => issue.pointer))].sort();
  };
  const twinOf = (name: string): string | undefined => {
    const twin = options.twins?.[name] ?? name.replace(/\.xml$/, '.json');
    return files.includes(twin) ? twin : undefined;
  };
  const validValues = (): [string, unknown][] =>
    valid.map((name) => [name, name.endsWith('.json') ? validateDocument(options.codec.schema, json(name)) : read(text(name))]);

  describe(`message-schemas/${options.folder}`, () => {
    it('holds only examples named valid-* or invalid-*, each invalid one with its expected pointers', () => {
      expect(files.every((name) => /^(valid|invalid)-[a-z0-9-]+\.(json|xml)$/.test(name))).toBe(true);
      expect(invalidFiles).toEqual(Object.keys(options.invalid).sort());
      expect(valid.filter((name) => name.startsWith('valid-with-warning-'))).toEqual(Object.keys(options.warnings ?? {}).sort());
    });

    it.each(valid)('accepts %s with exactly the warnings listed for it', (name) => {
      const value = validValues().find(([file]) => file === name)?.[1] as Parameters<typeof options.codec.warnings>[0];
      expect(options.codec.warnings(value).map((warning) => `${warning.code} ${warning.pointer}`)).toEqual(options.warnings?.[name] ?? []);
    });

    describeXsdVerdicts(
      xsdPath,
      examples,
      [...valid, ...(options.readerOnly ?? [])],
      invalidFiles.filter((name) => !options.readerOnly?.includes(name)),
    );

    describe('the reader and the zod schema', () => {
      it.each(valid.filter((name) => name.endsWith('.json')))('accept %s', (name) => {
        expect(validateDocument(options.codec.schema, json(name))).toEqual(json(name));
      });
      it.each(valid.filter((name) => name.endsWith('.xml')))('accept %s, with the content of its JSON twin if it has one', (name) => {
        const value = read(text(name));
        const twin = twinOf(name);
        if (twin !== undefined) expect(value).toEqual(json(twin));
        else expect(value.certificateNumber).not.toBe('');
      });
      it.each(invalidFiles.filter((name) => name.endsWith('.json')))('reject %s, naming the failing fields', (name) => {
        expect(pointers(() => validateDocument(options.codec.schema, json(name)))).toEqual([...(options.invalid[name] ?? [])].sort());
      });
      it.each(invalidFiles.filter((name) => name.endsWith('.xml')))('reject %s, naming the failing fields', (name) => {
        expect(pointers(() => read(text(name)))).toEqual([...(options.invalid[name] ?? [])].sort());
      });
    });

    describe('the writer', () => {
      it.each(valid)('writes %s as canonical XML the XSD accepts and the reader reads back unchanged', (name) => {
        const value = validValues().find(([file]) => file === name)?.[1] as Parameters<typeof options.codec.write>[0];
        const xml = options.codec.write(value);
        expect(xml.startsWith(`<rsm:SPSCertificate xmlns:rsm="${options.codec.namespace}">`)).toBe(true);
        expect(canonicalizeDocument(parseXmlTree(xml))).toBe(xml);
        const path = join(mkdtempSync(join(tmpdir(), 'swx-sps-')), name.replace(/\.json$/, '.xml'));
        writeFileSync(path, xml);
        expect(xmllintValidate(xsdPath, path).message).toMatch(/validates/);
        expect(read(xml)).toEqual(value);
      });
    });
  });
}
