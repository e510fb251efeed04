import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acddCancellationSpec } from '../../message-schemas/acdd-cancellation/1/schema.js';
import { acddSpec } from '../../message-schemas/acdd/1/schema.js';
import { customsResponseSpec } from '../../message-schemas/customs-response/1/schema.js';
import { eahCodec } from '../../message-schemas/eah/1/schema.js';
import { readEnvelope } from '../../message-schemas/envelope/1/build.js';
import { ephytoCodec } from '../../message-schemas/ephyto/1/schema.js';
import { exportDeclarationSpec } from '../../message-schemas/export-declaration/1/schema.js';
import { formDStatusSpec } from '../../message-schemas/form-d-status/1/schema.js';
import { formDSpec } from '../../message-schemas/form-d/1/schema.js';
import { importDeclarationSpec } from '../../message-schemas/import-declaration/1/schema.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import { spsAckSpec } from '../../message-schemas/sps-ack/1/schema.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { codecOfSpec } from '../../src/core/document/document-codec.js';
import type { ParsedXml } from '../../src/core/xml/parsed-xml.js';
import { schemaFolders, xmllintValidate } from '../helpers/xmllint.js';

const root = join(import.meta.dirname, '../../message-schemas');
const folders = schemaFolders(root);

/** How swx reads each folder's documents: the reader whose verdict the published XSD must share. */
const READERS: Readonly<Record<string, (parsed: ParsedXml) => unknown>> = {
  'acdd-cancellation': codecOfSpec(acddCancellationSpec).read,
  acdd: codecOfSpec(acddSpec).read,
  'customs-response': codecOfSpec(customsResponseSpec).read,
  eah: (parsed) => eahCodec.read(parsed),
  envelope: readEnvelope,
  ephyto: (parsed) => ephytoCodec.read(parsed),
  'export-declaration': codecOfSpec(exportDeclarationSpec).read,
  'form-d-status': codecOfSpec(formDStatusSpec).read,
  'form-d': codecOfSpec(formDSpec).read,
  'import-declaration': codecOfSpec(importDeclarationSpec).read,
  receipt: readReceipt,
  'sps-ack': codecOfSpec(spsAckSpec).read,
};

/**
 * The only examples on which the XSD and the reader may disagree: the XSD accepts them, a business rule of the
 * reader that XSD 1.0 cannot state refuses them (each listed in its folder's README table).
 */
const READER_ONLY: Readonly<Record<string, string>> = {
  'ephyto/1/invalid-issue-date-time-not-a-date.xml': 'the issue date-time begins with a date (ephyto/1/README.md)',
};

/** xmllint's verdict on every file, in one run ("FILE validates" / "FILE fails to validate"). */
function xsdVerdicts(xsd: string, files: readonly string[]): Map<string, boolean> {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  const lines = new Set(`${run.stdout}${run.stderr}`.split('\n'));
  return new Map(files.map((file) => [file, lines.has(`${file} validates`)]));
}

function readerAccepts(reader: (parsed: ParsedXml) => unknown, file: string): boolean {
  try {
    reader(parseXml(readFileSync(file, 'utf8')));
    return true;
  } catch {
    return false;
  }
}

describe('message-schemas examples against their published XSD (xmllint)', () => {
  it('finds the envelope and receipt folders at least', () => {
    expect(folders.map((folder) => folder.name)).toEqual(expect.arrayContaining(['envelope', 'receipt']));
  });

  for (const folder of folders) {
    describe(`${folder.name}/${folder.version}`, () => {
      it('names every example valid-* or invalid-<defect>', () => {
        const examples = readdirSync(join(folder.dir, 'examples')).filter((file) => file.endsWith('.xml'));
        expect(examples.filter((file) => !/^(valid|invalid)-[a-z0-9-]+\.xml$/.test(file))).toEqual([]);
      });

      for (const file of folder.valid) {
        it(`accepts ${basename(file)}`, () => {
          const result = xmllintValidate(folder.xsd, file);
          expect(result.message).toContain('validates');
          expect(result.ok).toBe(true);
        });
      }
      for (const file of folder.invalid.filter((path) => READER_ONLY[`${folder.name}/${folder.version}/${basename(path)}`] === undefined)) {
        it(`rejects ${basename(file)}`, () => {
          const result = xmllintValidate(folder.xsd, file);
          expect(result.message).toContain('Schemas validity error');
          expect(result.ok).toBe(false);
        });
      }
    });
  }
});

describe('message-schemas examples: the published XSD and the reader agree', () => {
  it('knows the reader of every folder', () => {
    expect(folders.map((folder) => folder.name).filter((name) => READERS[name] === undefined)).toEqual([]);
  });

  for (const folder of folders) {
    it(`${folder.name}/${folder.version}: every example (valid and invalid) gets one verdict from xmllint and from the reader`, () => {
      const reader = READERS[folder.name];
      if (reader === undefined) return;
      const files = [...folder.valid, ...folder.invalid];
      const xsd = xsdVerdicts(folder.xsd, files);
      const disagreements = files.flatMap((file) => {
        const name = `${folder.name}/${folder.version}/${basename(file)}`;
        const byXsd = xsd.get(file) === true;
        const byReader = readerAccepts(reader, file);
        if (READER_ONLY[name] !== undefined)
          return byXsd && !byReader
            ? []
            : [`${name}: listed as refused by the reader only (${READER_ONLY[name]}), but XSD ${byXsd}, reader ${byReader}`];
        return byXsd === byReader ? [] : [`${name}: the XSD ${byXsd ? 'accepts' : 'refuses'} it, the reader ${byReader ? 'accepts' : 'refuses'} it`];
      });
      expect(disagreements).toEqual([]);
    });
  }
});
