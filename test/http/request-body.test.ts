import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.js';
import type { XmlElement } from '../../src/core/xml/parsed-xml.js';
import type { AppEnv } from '../../src/http/deps.js';
import { documentRequestBody, readDocumentBody } from '../../src/http/document-body.js';
import { fieldIssuesOf } from '../../src/http/validation.js';
import { createTestApp, listen, type TestApp } from '../helpers/test-app.js';

const LIMIT = 1024;
const Item = z.strictObject({ hsCode: z.string().regex(/^\d{6,10}$/), quantity: z.string() });

function validItem(value: unknown): z.infer<typeof Item> {
  const result = Item.safeParse(value);
  if (!result.success) throw new CoreError('VALIDATION_FAILED', 'invalid item', { issues: fieldIssuesOf(result.error) });
  return result.data;
}

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp({ bodyLimitBytes: LIMIT });
  const items = new OpenAPIHono<AppEnv>();
  items.openapi(
    createRoute({
      method: 'post',
      path: '/items',
      request: { body: documentRequestBody(items, 'TestItem', Item, 'test.xsd', { json: [], xml: [] }) },
      responses: { 200: { description: 'Echo', content: { 'application/json': { schema: z.object({}) } } } },
    }),
    async (c) => {
      const body = await readDocumentBody(c, {
        json: validItem,
        xml: (xml) => {
          const value = xml.value as XmlElement;
          return validItem({ hsCode: value['HsCode'], quantity: value['Quantity'] });
        },
      });
      return c.json({ mediaType: body.mediaType, document: body.document, length: body.bytes.length, text: body.text }, 200);
    },
  );
  t.app.route('/test', items);
});
afterEach(() => t.close());

const post = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) =>
  t.app.request(path, { method: 'POST', body, headers });
const adminJson = () => ({ Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' });

describe('body limit', () => {
  const big = JSON.stringify({ role: 'trader', name: 'x'.repeat(LIMIT), partyId: 'P' });

  it('refuses a body whose Content-Length is over the limit with 413', async () => {
    const response = await post('/v1/admin/api-keys', big, { ...adminJson(), 'Content-Length': String(big.length) });
    expect(response.status).toBe(413);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: `the request body exceeds the limit of ${LIMIT} bytes` });
  });

  it('refuses a streamed body without Content-Length once it passes the limit', async () => {
    const chunks = [new TextEncoder().encode(big.slice(0, 600)), new TextEncoder().encode(big.slice(600))];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await t.app.request('/v1/admin/api-keys', { method: 'POST', body: stream, headers: adminJson(), duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
  });

  describe('over real HTTP', () => {
    async function send(body: string, chunked: boolean): Promise<{ status: number; body: string }> {
      const server = await listen(t.app.fetch);
      try {
        return await new Promise((resolve, reject) => {
          const headers: Record<string, string> = { ...adminJson(), ...(chunked ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) };
          const req = httpRequest(`${server.url}/v1/admin/api-keys`, { method: 'POST', headers }, (res) => {
            let text = '';
            res
              .setEncoding('utf8')
              .on('data', (chunk: string) => (text += chunk))
              .on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          // Several writes without Content-Length go out with Transfer-Encoding: chunked.
          for (let i = 0; i < body.length; i += 200) req.write(body.slice(i, i + 200));
          req.end();
        });
      } finally {
        await server.close();
      }
    }

    it('answers 413 with Content-Length', async () => {
      expect((await send(big, false)).status).toBe(413);
    });

    it('answers 413 for a chunked body', async () => {
      const answer = await send(big, true);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    });

    it('accepts a chunked body under the limit', async () => {
      expect((await send(JSON.stringify({ role: 'trader', name: 'ACME', partyId: 'P' }), true)).status).toBe(201);
    });
  });
});

describe('media types of a JSON route', () => {
  it('answers 415 for a media type the route does not declare', async () => {
    const response = await post('/v1/admin/api-keys', 'role=trader', { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
  });

  it('answers 400 for JSON that does not parse', async () => {
    const response = await post('/v1/admin/api-keys', '{"role":', adminJson());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });
});

describe('readDocumentBody', () => {
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Item xmlns="urn:test"><HsCode>0012345678</HsCode><Quantity>0012</Quantity></Item>';

  it('reads JSON', async () => {
    const text = '{"hsCode":"847130","quantity":"5"}';
    const response = await post('/test/items', text, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      mediaType: 'application/json',
      document: { hsCode: '847130', quantity: '5' },
      length: text.length,
      text,
    });
  });

  it.each(['application/xml', 'text/xml'])('reads the same document as %s, text never coerced', async (type) => {
    const response = await post('/test/items', xml, { 'Content-Type': type });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ mediaType: type, document: { hsCode: '0012345678', quantity: '0012' }, text: xml });
  });

  it('answers 400 with line and column for JSON that does not parse', async () => {
    const response = await post('/test/items', '{\n  "hsCode": "847130"\n  "quantity": "5"\n}', { 'Content-Type': 'application/json' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'MALFORMED_REQUEST',
      detail: "the body is not valid JSON: expected ',' or '}' after the property value at line 3, column 3",
    });
  });

  it('answers 400 for an empty JSON body', async () => {
    const response = await post('/test/items', '', { 'Content-Type': 'application/json' });
    expect(await response.json()).toMatchObject({ status: 400, detail: 'the body is not valid JSON: unexpected end of input at line 1, column 1' });
  });

  it('answers 400 before expansion for a DOCTYPE with an entity', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE Item [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Item xmlns="urn:test"><HsCode>&b;</HsCode></Item>';
    const response = await post('/test/items', bomb, { 'Content-Type': 'application/xml' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'XML_FORBIDDEN_CONSTRUCT' });
  });

  it('answers 400 for malformed XML', async () => {
    const response = await post('/test/items', '<Item xmlns="urn:test"><HsCode>1</Item>', { 'Content-Type': 'text/xml' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });

  it('answers 400 for bytes that are not UTF-8', async () => {
    const response = await post('/test/items', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), { 'Content-Type': 'application/json' });
    expect(await response.json()).toMatchObject({ status: 400, detail: 'the body is not valid UTF-8' });
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['a charset other than UTF-8', 'application/json; charset=iso-8859-1'],
  ])('answers 415 for %s', async (_, type) => {
    const response = await post('/test/items', '{}', { 'Content-Type': type });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers 415 without Content-Type', async () => {
    const response = await t.app.request('/test/items', { method: 'POST', body: new Uint8Array([0x7b, 0x7d]) });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ detail: 'expected application/json or application/xml or text/xml, got no Content-Type' });
  });

  it.each([
    ['JSON', 'application/json', '{"hsCode":"12","colour":"red"}'],
    ['XML', 'application/xml', '<Item xmlns="urn:test"><HsCode>12</HsCode></Item>'],
  ])('answers 422 with JSON pointers for an invalid %s document', async (_, type, body) => {
    const response = await post('/test/items', body, { 'Content-Type': type });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string }[] };
    expect(problem.errors.map((error) => error.pointer)).toEqual(
      type === 'application/json' ? ['/hsCode', '/quantity', '/colour'] : ['/hsCode', '/quantity'],
    );
  });

  it('is documented with both media types, the JSON schema as a component', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as {
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>;
      components: { schemas: Record<string, { properties: object }> };
    };
    const content = doc.paths['/test/items']?.post.requestBody.content ?? {};
    expect(Object.keys(content)).toEqual(['application/json', 'application/xml', 'text/xml']);
    expect(content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/TestItem' });
    expect(content['text/xml']?.schema).toMatchObject({ type: 'string' });
    expect(Object.keys(doc.components.schemas['TestItem']?.properties ?? {})).toEqual(['hsCode', 'quantity']);
  });
});
