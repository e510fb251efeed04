import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Validates an XML file against an XSD with the real libxml2 (`xmllint --noout --schema`); `message` is xmllint's
 * output, naming the failing element and facet.
 * @example expect(xmllintValidate('message-schemas/envelope/1/envelope.xsd', file).ok).toBe(true)
 */
export function xmllintValidate(xsdPath: string, xmlPath: string): { ok: boolean; message: string } {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdPath, xmlPath], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { ok: run.status === 0, message: `${run.stdout}${run.stderr}`.trim() };
}

/** A schema folder (message-schemas/<name>/<version>/) with its XSD and example files. */
export interface SchemaFolder {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly xsd: string;
  readonly valid: readonly string[];
  readonly invalid: readonly string[];
}

/**
 * Every folder under `root` (message-schemas/) holding an XSD and examples/valid-*.xml or invalid-*.xml.
 * The XSD is `<name>.xsd`, or the folder's only XSD.
 * @example for (const folder of schemaFolders('message-schemas')) xmllintValidate(folder.xsd, folder.valid[0])
 */
export function schemaFolders(root: string): SchemaFolder[] {
  const folders: SchemaFolder[] = [];
  for (const name of readdirSync(root).sort()) {
    if (!isDirectory(join(root, name))) continue;
    for (const version of readdirSync(join(root, name)).sort()) {
      const dir = join(root, name, version);
      const examples = join(dir, 'examples');
      if (!isDirectory(dir) || !existsSync(examples)) continue;
      const files = readdirSync(examples)
        .filter((file) => file.endsWith('.xml'))
        .sort();
      const xsd = xsdOf(dir, name);
      if (xsd === undefined || files.length === 0) continue;
      folders.push({
        name,
        version,
        dir,
        xsd,
        valid: files.filter((file) => file.startsWith('valid-')).map((file) => join(examples, file)),
        invalid: files.filter((file) => file.startsWith('invalid-')).map((file) => join(examples, file)),
      });
    }
  }
  return folders;
}

function xsdOf(dir: string, name: string): string | undefined {
  const xsds = readdirSync(dir).filter((file) => file.endsWith('.xsd'));
  const named = xsds.find((file) => basename(file, '.xsd') === name);
  const xsd = named ?? (xsds.length === 1 ? xsds[0] : undefined);
  return xsd === undefined ? undefined : join(dir, xsd);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * Tests that the XSD accepts every valid XML example and rejects every invalid one, in a `describe('the XSD')`.
 * @example describeXsdVerdicts(xsdPath, examplesDir, ['valid-a.xml'], ['invalid-b.xml'])
 */
export function describeXsdVerdicts(xsdPath: string, examples: string, valid: readonly string[], invalid: readonly string[]): void {
  describe('the XSD', () => {
    it.each(valid.filter((name) => name.endsWith('.xml')))('accepts %s', (name) => {
      const verdict = xmllintValidate(xsdPath, join(examples, name));
      expect(verdict.message).toMatch(/validates/);
      expect(verdict.ok).toBe(true);
    });
    it.each(invalid.filter((name) => name.endsWith('.xml')))('rejects %s', (name) => {
      expect(xmllintValidate(xsdPath, join(examples, name)).ok).toBe(false);
    });
  });
}
