import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportDeclaration } from '../../message-schemas/export-declaration/1/schema.js';
import { FormD } from '../../message-schemas/form-d/1/schema.js';
import { ImportDeclaration } from '../../message-schemas/import-declaration/1/schema.js';
import { problems, problemType } from '../../src/http/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

interface Example {
  readonly description: string;
  readonly value: unknown;
}
interface MediaType {
  readonly schema?: Schema;
  readonly examples?: Record<string, Example>;
}
interface Schema {
  readonly $ref?: string;
  readonly pattern?: string;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly description?: string;
}
interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly requestBody?: { content: Record<string, MediaType> };
  readonly responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, MediaType> }>;
}
interface OpenApiDocument {
  readonly openapi: string;
  readonly servers?: readonly { url: string }[];
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas: Record<string, Schema> };
}

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function openApi(app = t.app): Promise<OpenApiDocument> {
  const response = await app.request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method} ${path}`, operation })),
  );

/** Every `pattern` of the document, with where it is. */
function patternsOf(value: unknown, at = ''): { at: string; pattern: string }[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'pattern' && typeof child === 'string' ? [{ at, pattern: child }] : patternsOf(child, `${at}/${key}`),
  );
}

/** Every string of `value` with the patterns the document's schema puts on it, following $ref, oneOf, properties and items. */
function patternedStrings(
  doc: OpenApiDocument,
  schema: Schema | undefined,
  value: unknown,
  at = '',
): { at: string; pattern: string; text: string }[] {
  if (schema === undefined) return [];
  if (schema.$ref !== undefined) return patternedStrings(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')], value, at);
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap((each) =>
    patternedStrings(doc, each, value, at),
  );
  if (typeof value === 'string') return [...alternatives, ...(schema.pattern === undefined ? [] : [{ at, pattern: schema.pattern, text: value }])];
  if (Array.isArray(value)) return [...alternatives, ...value.flatMap((item, index) => patternedStrings(doc, schema.items, item, `${at}/${index}`))];
  if (typeof value === 'object' && value !== null) {
    return [
      ...alternatives,
      ...Object.entries(value).flatMap(([key, child]) => patternedStrings(doc, schema.properties?.[key], child, `${at}/${key}`)),
    ];
  }
  return alternatives;
}

describe('GET /openapi.json', () => {
  it('validates as OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    const doc = await openApi();
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has only patterns that JSON Schema validators compile, meaning the same with or without the u flag', async () => {
    const patterns = patternsOf(await openApi());
    expect(patterns.length).toBeGreaterThan(30);
    for (const { at, pattern } of patterns) {
      expect(pattern, at).not.toMatch(/\\u\{|\/u$/);
      expect(() => new RegExp(pattern), at).not.toThrow();
      expect(() => new RegExp(pattern, 'u'), at).not.toThrow();
    }
  });

  it('shows request examples the code accepts and whose every string the documented patterns accept, read either way', async () => {
    const doc = await openApi();
    const submit = doc.paths['/v1/declarations']?.['post']?.requestBody?.content['application/json'];
    const issue = doc.paths['/v1/certificates']?.['post']?.requestBody?.content['application/json'];
    const checked: string[] = [];
    // Each example with the component it is an instance of, as the code tells (the one of its schemas that accepts it).
    const componentOf = (value: unknown) =>
      ExportDeclaration.safeParse(value).success
        ? 'ExportDeclaration'
        : ImportDeclaration.safeParse(value).success
          ? 'ImportDeclaration'
          : FormD.safeParse(value).success
            ? 'FormD'
            : undefined;
    for (const media of [submit, issue]) {
      expect(Object.keys(media?.examples ?? {}).length).toBeGreaterThan(0);
      for (const example of Object.values(media?.examples ?? {})) {
        const component = componentOf(example.value);
        expect(component, example.description).toBeDefined();
        for (const { at, pattern, text } of patternedStrings(doc, { $ref: `#/components/schemas/${component}` }, example.value)) {
          expect(new RegExp(pattern).test(text), `${example.description}${at}`).toBe(true);
          expect(new RegExp(pattern, 'u').test(text), `${example.description}${at}`).toBe(true);
          checked.push(at);
        }
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['/exporter/taxId', '/importer/taxId', '/items/0/hsCode', '/exporter/name', '/departureDate', '/issueDate']),
    );
  });

  it('gives every operation a unique camelCase operationId, verb first, and a summary', async () => {
    const operations = operationsOf(await openApi());
    const ids = operations.map(({ operation }) => operation.operationId);
    for (const { name, operation } of operations) {
      expect(operation.operationId, name).toMatch(
        /^(get|list|search|create|submit|issue|cancel|revoke|grant|redrive|receive|check|decide|acknowledge)[A-Z][A-Za-z]*$/,
      );
      expect(operation.summary, name).toEqual(expect.any(String));
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows the valid examples of message-schemas/ as they are, JSON and XML, with the XSD of each XML body', async () => {
    const doc = await openApi();
    const xmlBodies = operationsOf(doc).filter(({ operation }) => operation.requestBody?.content['application/xml'] !== undefined);
    expect(xmlBodies.map(({ name }) => name).sort()).toEqual([
      'post /v1/certificates',
      'post /v1/conformance',
      'post /v1/declarations',
      'post /v1/exchange',
    ]);
    for (const { name, operation } of xmlBodies) {
      const xml = operation.requestBody?.content['application/xml'];
      expect(xml?.schema?.description, name).toMatch(/`message-schemas\/[a-z-]+\/1\/[a-z-]+\.xsd`/);
      expect(Object.keys(xml?.examples ?? {}).length, name).toBeGreaterThan(0);
      for (const media of Object.values(operation.requestBody?.content ?? {})) {
        for (const example of Object.values(media.examples ?? {})) {
          const [, path] = /^message-schemas\/(.*\/examples\/valid-[^/]+)$/.exec(example.description) ?? [];
          expect(path, example.description).toBeDefined();
          const text = readFileSync(new URL(`../../message-schemas/${path}`, import.meta.url), 'utf8');
          expect(example.value, example.description).toEqual(path?.endsWith('.json') ? JSON.parse(text) : text);
        }
      }
    }
    const declarations = doc.paths['/v1/declarations']?.['post']?.requestBody?.content ?? {};
    expect(Object.keys(declarations['application/json']?.examples ?? {})).toEqual(
      expect.arrayContaining(['valid-coffee-to-thailand', 'valid-with-form-d']),
    );
    expect(Object.keys(declarations['application/xml']?.examples ?? {})).toEqual(
      expect.arrayContaining(['valid-coffee-to-thailand', 'valid-with-form-d']),
    );
  });

  it('shows, per error status, every problem code the problem table maps to it, with its type; 500 on every operation', async () => {
    const doc = await openApi();
    for (const { name, operation } of operationsOf(doc)) {
      expect(Object.keys(operation.responses), name).toContain('500');
      for (const [status, response] of Object.entries(operation.responses)) {
        const problem = response.content?.['application/problem+json'];
        if (problem === undefined) continue;
        const codes = Object.entries(problems)
          .filter(([, mapped]) => String(mapped.status) === status)
          .map(([code]) => code);
        expect(Object.keys(problem.examples ?? {}), `${name} ${status}`).toEqual(codes);
        for (const code of codes) {
          expect(response.description, `${name} ${status}`).toContain(`\`${code}\``);
          expect(problem.examples?.[code]?.value, `${name} ${status}`).toMatchObject({
            code,
            status: Number(status),
            type: problemType(code as never),
          });
        }
      }
    }
    const exchange = doc.paths['/v1/exchange']?.['post']?.responses ?? {};
    expect(exchange['429']?.headers).toHaveProperty('Retry-After');
    expect(exchange['429']?.description).toMatch(/Retry-After/);
    const submit = doc.paths['/v1/declarations']?.['post']?.responses ?? {};
    expect(submit['500']?.description).toMatch(/request id/);
    expect(submit['422']?.content?.['application/problem+json']?.examples?.['VALIDATION_FAILED']?.value).toMatchObject({
      errors: [{ pointer: '/departureDate', detail: '2026-02-30 does not exist' }],
    });
  });

  it('writes the problem types under the configured base', async () => {
    const other = await createTestApp({ problemTypeBase: 'https://errors.example.test/swx/' });
    try {
      const text = JSON.stringify(await openApi(other.app));
      expect(text).toContain('https://errors.example.test/swx/validation-failed');
      expect(text).not.toContain('https://swx.customs.gov.vn/problems/');
    } finally {
      await other.close();
    }
  });

  it('names its server relative to where it is served', async () => {
    expect((await openApi()).servers).toEqual([{ url: '/', description: 'This swx' }]);
  });

  it('leaves out the console and the documentation assets, which are still served', async () => {
    const paths = Object.keys((await openApi()).paths);
    expect(paths.filter((path) => path.startsWith('/console') || path.startsWith('/docs/assets'))).toEqual([]);
    expect(paths).toContain('/docs');
    expect((await t.app.request('/console')).status).toBe(200);
    expect((await t.app.request('/console/console.js')).status).toBe(200);
    expect((await t.app.request('/docs/assets/swagger-ui-dist/swagger-ui.css')).status).toBe(200);
  });
});
