import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFolders, xmllintValidate } from '../helpers/xmllint.js';

const root = join(import.meta.dirname, '../../message-schemas');
const folders = schemaFolders(root);

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
      for (const file of folder.invalid) {
        it(`rejects ${basename(file)}`, () => {
          const result = xmllintValidate(folder.xsd, file);
          expect(result.message).toContain('Schemas validity error');
          expect(result.ok).toBe(false);
        });
      }
    });
  }
});
