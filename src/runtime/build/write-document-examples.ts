import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The message-schemas/ folder the examples are read from. */
const SCHEMAS = fileURLToPath(new URL('../../../message-schemas/', import.meta.url));
/** The generated data the OpenAPI document takes its request examples from, on Node and on Workers alike (no filesystem at run time). */
export const DOCUMENT_EXAMPLES_FILE = fileURLToPath(new URL('../../http/openapi/document-examples.json', import.meta.url));

/**
 * The valid examples under message-schemas/ that the API document shows as request bodies, relative to that folder:
 * declarations, the certificate an agency issues, and what a partner gateway sends (an envelope, or a document alone).
 */
export const DOCUMENT_EXAMPLE_PATHS = [
  'export-declaration/1/examples/valid-coffee-to-thailand.json',
  'export-declaration/1/examples/valid-coffee-to-thailand.xml',
  'export-declaration/1/examples/valid-garments-by-road-no-agent.json',
  'export-declaration/1/examples/valid-garments-by-road-no-agent.xml',
  'import-declaration/1/examples/valid-with-form-d.json',
  'import-declaration/1/examples/valid-with-form-d.xml',
  'import-declaration/1/examples/valid-brake-pads-by-air-with-agent.json',
  'import-declaration/1/examples/valid-brake-pads-by-air-with-agent.xml',
  'form-d/1/examples/valid-vn-coffee-to-thailand.json',
  'form-d/1/examples/valid-vn-coffee-to-thailand.xml',
  'envelope/1/examples/valid-customs-response-signed.xml',
  'ephyto/1/examples/valid-id-worked-example.xml',
] as const;

/**
 * The text of document-examples.json: each example by its path, a JSON example as its value, an XML one as its text.
 * @example expect(JSON.parse(readFileSync(DOCUMENT_EXAMPLES_FILE, 'utf8'))).toEqual(JSON.parse(documentExamplesJson()))
 */
export function documentExamplesJson(): string {
  const examples = Object.fromEntries(
    DOCUMENT_EXAMPLE_PATHS.map((path) => {
      const text = readFileSync(`${SCHEMAS}${path}`, 'utf8');
      return [path, path.endsWith('.json') ? (JSON.parse(text) as unknown) : text];
    }),
  );
  const generated =
    'Generated from message-schemas/*/*/examples/ by `npm run build:examples` (src/runtime/build/write-document-examples.ts): do not edit.';
  return `${JSON.stringify({ $comment: generated, examples }, null, 2)}\n`;
}

/**
 * Writes document-examples.json when its examples differ from the files (atomically); answers whether it changed.
 * @example writeDocumentExamples()
 */
export function writeDocumentExamples(): boolean {
  const next = documentExamplesJson();
  const current = readFileSync(DOCUMENT_EXAMPLES_FILE, { encoding: 'utf8', flag: 'a+' });
  if (current !== '' && JSON.stringify(JSON.parse(current)) === JSON.stringify(JSON.parse(next))) return false;
  const temporary = `${DOCUMENT_EXAMPLES_FILE}.${process.pid}.tmp`;
  writeFileSync(temporary, next);
  renameSync(temporary, DOCUMENT_EXAMPLES_FILE);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) writeDocumentExamples();
