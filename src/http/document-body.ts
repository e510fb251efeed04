import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { toJSONSchema, type ZodType } from 'zod';
import { CoreError } from '../core/errors.js';
import type { ParsedXml } from '../core/xml/parsed-xml.js';
import type { AppEnv } from './deps.js';
import { refuseAmbiguousJson } from './ambiguous-json.js';
import { locateJsonSyntaxError } from './json-syntax-error.js';
import { requireMediaType } from './media-type.js';
import { type DocumentExamplePath, requestExamples } from './openapi/request-examples.js';

/** The media types a business document may be sent in (design.md 3.3). */
export const DOCUMENT_MEDIA_TYPES = ['application/json', 'application/xml', 'text/xml'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** How a route turns each representation into its document, throwing CoreError (VALIDATION_FAILED → 422). */
export interface DocumentDecoders<T> {
  /** Gets the parsed JSON value. */
  json(value: unknown): T;
  /** Gets the XML as deps.parseXml parsed it. */
  xml(document: ParsedXml): T;
}

export interface DocumentBody<T> {
  readonly mediaType: DocumentMediaType;
  /** The body exactly as received, for digests and idempotency. */
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly document: T;
}

/**
 * Reads a business document sent as JSON or XML: 415 for another media type or a charset other
 * than UTF-8; 400 for bytes that are not UTF-8, JSON that does not parse (with line and column), or
 * XML that deps.parseXml refuses (malformed, DOCTYPE or ENTITY), JSON naming a property twice in one object;
 * then the route's decoder.
 * zod-openapi does not validate such bodies; declare them with documentRequestBody.
 * @example
 * const { document, bytes } = await readDocumentBody(c, {
 *   json: (value) => validateDocument(ExportDeclaration, value),
 *   xml: (xml) => validateDocument(ExportDeclaration, decodeDocumentXml(exportDeclarationSpec, xml)),
 * })
 */
export async function readDocumentBody<T, E extends AppEnv>(c: Context<E>, decoders: DocumentDecoders<T>): Promise<DocumentBody<T>> {
  const mediaType = requireMediaType(c, DOCUMENT_MEDIA_TYPES);
  const charset = /;\s*charset="?([^";\s]+)/i.exec(c.req.header('Content-Type') ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new CoreError('UNSUPPORTED_MEDIA_TYPE', `documents are accepted in UTF-8 only, got charset ${charset}`);
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new CoreError('MALFORMED_REQUEST', 'the body is not valid UTF-8', { cause });
  }
  if (mediaType !== 'application/json') return { mediaType, bytes, text, document: decoders.xml(c.var.parseXml(text)) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const error = locateJsonSyntaxError(text);
    const where = error === undefined ? (cause as Error).message : `${error.message} at line ${error.line}, column ${error.column}`;
    throw new CoreError('MALFORMED_REQUEST', `the body is not valid JSON: ${where}`, { cause });
  }
  refuseAmbiguousJson(text);
  return { mediaType, bytes, text, document: decoders.json(value) };
}

/** The valid examples of a document, by representation, for its request body in the API document. */
export interface DocumentExamples {
  readonly json: readonly DocumentExamplePath[];
  readonly xml: readonly DocumentExamplePath[];
}

/**
 * The XML media types of a document's request body: the XML as a string, the XSD it is valid against (a path of the swx
 * repository) in its description, and the valid XML examples.
 * @example content: { ...xmlDocumentContent('message-schemas/form-d/1/form-d.xsd', ['form-d/1/examples/valid-vn-coffee-to-thailand.xml']) }
 */
export function xmlDocumentContent(xsd: string | readonly string[], examples: readonly DocumentExamplePath[]) {
  const xsds = typeof xsd === 'string' ? [xsd] : xsd;
  const description = `The same document as XML, valid against the XML Schema ${xsds.map((path) => `\`${path}\``).join(' or ')} (in the swx repository, with the schemas it imports)`;
  const xml = { schema: { type: 'string' as const, description }, examples: requestExamples(...examples) };
  return { 'application/xml': xml, 'text/xml': xml };
}

/**
 * The OpenAPI request body of a route that takes a document as JSON or XML. The schema is registered
 * as a component (plain JSON Schema 2020-12, as OpenAPI 3.1 uses) and referenced, so zod-openapi
 * documents it without validating it: readDocumentBody does, for both representations. The examples are the valid
 * ones of message-schemas/.
 * @example
 * const submit = createRoute({ method: 'post', path: '/certificates',
 *   request: { body: documentRequestBody(agencies, 'FormD', FormD, 'message-schemas/form-d/1/form-d.xsd', examples) }, … })
 */
export function documentRequestBody(
  group: Pick<OpenAPIHono, 'openAPIRegistry'>,
  name: string,
  schema: ZodType,
  xsd: string,
  examples: DocumentExamples,
) {
  registerDocumentSchema(group, name, schema);
  return {
    required: true,
    content: {
      'application/json': { schema: { $ref: `#/components/schemas/${name}` }, examples: requestExamples(...examples.json) },
      ...xmlDocumentContent(xsd, examples.xml),
    },
  };
}

/**
 * Registers a document's zod schema as the component `name`, converted here rather than registered as a zod schema:
 * register() calls .openapi(), which schemas created before @hono/zod-openapi extended zod do not have.
 * @example registerDocumentSchema(traders, 'ImportDeclaration', ImportDeclaration)
 */
export function registerDocumentSchema(group: Pick<OpenAPIHono, 'openAPIRegistry'>, name: string, schema: ZodType): void {
  const { $schema: _, ...jsonSchema } = toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  type Component = Parameters<typeof group.openAPIRegistry.registerComponent<'schemas'>>[2];
  group.openAPIRegistry.registerComponent('schemas', name, jsonSchema as Component);
}
