import generated from './document-examples.json' with { type: 'json' };

/** The path, under message-schemas/, of a valid example the API document shows (DOCUMENT_EXAMPLE_PATHS lists them). */
export type DocumentExamplePath = keyof typeof generated.examples;

/** An OpenAPI Example Object. */
export interface RequestExample {
  readonly summary: string;
  readonly description: string;
  readonly value: unknown;
}

/**
 * The OpenAPI `examples` of a request body's media type: each valid example file as it is in message-schemas/ (a JSON
 * example as its value, an XML one as its text), named by its file.
 * @example content: { 'application/xml': { schema, examples: requestExamples('form-d/1/examples/valid-vn-coffee-to-thailand.xml') } }
 */
export function requestExamples(...paths: readonly DocumentExamplePath[]): Record<string, RequestExample> {
  return Object.fromEntries(
    paths.map((path) => {
      const name = path.slice(path.lastIndexOf('/') + 1, path.lastIndexOf('.'));
      return [
        name,
        { summary: name.replace(/^valid-/, '').replaceAll('-', ' '), description: `message-schemas/${path}`, value: generated.examples[path] },
      ];
    }),
  );
}
