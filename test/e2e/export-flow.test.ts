import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';
import { xmlsec1Verify } from '../helpers/xmlsec1.js';
import { EXPORT_FLOW_STEPS } from '../helpers/export-flow-steps.js';

/**
 * The export flow of issue 2, end to end: the whole swx on 127.0.0.1 with a real SQLite store, the simulated Thai
 * gateway, and nothing but HTTP between the test and the service, on both runtimes (test/helpers/runtimes.ts): the Node
 * service as `npm start` runs it, and the Worker with the simulators Worker beside it in local workerd.
 */

const EXAMPLES = new URL('../../message-schemas/export-declaration/1/examples/', import.meta.url).pathname;
const example = (name: string): string => readFileSync(join(EXAMPLES, name), 'utf8');
const COFFEE_JSON = example('valid-coffee-to-thailand.json');
const COFFEE_XML = example('valid-coffee-to-thailand.xml');
/** The coffee declaration without the exporter's consent to share its ACDD: nothing to deliver, so nothing in flight. */
const COFFEE_KEPT_HOME = COFFEE_JSON.replace('"acddConsent": true', '"acddConsent": false');

const FLOW = EXPORT_FLOW_STEPS;

interface Answer {
  id: string;
  declarationNumber: string;
  status: string;
  channel: string;
  ledgerIndex: number;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { pointer: string; detail: string }[];
}

interface DeclarationView {
  id: string;
  declarationNumber: string;
  kind: string;
  status: string;
  channel: string;
  partner: string | null;
  documents: { messageId: string; direction: string; documentType: string; partner: string; ledgerIndex?: number; receipted: boolean }[];
  timeline: { ledgerIndex: number; type: string; at: string; messageId?: string; detail: Record<string, unknown> }[];
  declaration: unknown;
}

const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

function submit(
  swx: ServiceUnderTest,
  token: string | undefined,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${swx.url}/v1/declarations`, {
    method: 'POST',
    body,
    headers: { ...(token === undefined ? {} : bearer(token)), 'Content-Type': contentType, ...headers },
    signal: AbortSignal.timeout(10_000),
  });
}

async function getJson<T>(swx: ServiceUnderTest, path: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${swx.url}${path}`, { headers: bearer(token), signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as T };
}

async function accepted(response: Response): Promise<Answer> {
  const body = await response.text();
  expect(response.status, body).toBe(202);
  return JSON.parse(body) as Answer;
}

const hasSettled = (view: DeclarationView): boolean =>
  ['RESPONSE_RECEIVED', 'RECEIPT_SENT'].every((type) => view.timeline.some((step) => step.type === type));

/** Reads the declaration until the partner's Customs Response and our receipt for it are in its timeline (10 s at most). */
async function settled(swx: ServiceUnderTest, id: string, token: string): Promise<DeclarationView> {
  return waitFor(async () => (await getJson<DeclarationView>(swx, `/v1/declarations/${id}`, token)).body, hasSettled, 10_000);
}

/** Asserts a problem+json answer with `status` and returns the problem. */
async function problemOf(response: Response, status: number): Promise<Problem> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  const problem = JSON.parse(text) as Problem;
  expect(problem.status).toBe(status);
  return problem;
}

const pointersOf = (problem: Problem): string[] => [...new Set((problem.errors ?? []).map((error) => error.pointer))].sort();

/** What a request may write: row counts of every table it touches, and the declaration numbers handed out. */
async function written(swx: ServiceUnderTest): Promise<Record<string, number>> {
  const [sequence] = await swx.query<{ total: number }>('SELECT coalesce(sum(value), 0) AS total FROM declaration_sequence');
  return { ...(await swx.rowCounts()), sequenceTotal: sequence?.total ?? 0 };
}

describe.each(RUNTIMES)('an export declaration to Thailand, JSON or XML, answered by the Thai simulator, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let officer: string;
  let first: Promise<{ answer: Answer; view: DeclarationView }> | undefined;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [trader, officer] = await Promise.all([swx.createKey('trader', '0301234567'), swx.createKey('officer', 'GDVC')]);
  });
  afterAll(() => swx?.close());

  /** The coffee declaration submitted as JSON and followed to its end, once for the whole describe. */
  const jsonFlow = () =>
    (first ??= (async () => {
      const answer = await accepted(await submit(swx, trader, COFFEE_JSON, 'application/json'));
      return { answer, view: await settled(swx, answer.id, trader) };
    })());

  it('goes from submission to the partner’s Customs Response, every step in the ledger', async () => {
    const { answer, view } = await jsonFlow();
    expect(Object.keys(answer).sort()).toEqual(['channel', 'declarationNumber', 'id', 'ledgerIndex', 'status']);
    expect(answer.id).toMatch(/\S/);
    expect(answer.declarationNumber).toMatch(/^\d{12}$/);
    expect(Number.isInteger(answer.ledgerIndex)).toBe(true);
    expect(['GREEN', 'YELLOW', 'RED']).toContain(answer.channel);

    expect(view).toMatchObject({
      id: answer.id,
      declarationNumber: answer.declarationNumber,
      kind: 'EXPORT',
      channel: answer.channel,
      partner: 'TH',
    });
    expect(view.timeline.map((step) => step.type)).toEqual(FLOW);
    const indices = view.timeline.map((step) => step.ledgerIndex);
    expect(indices.every((index) => Number.isInteger(index) && index >= 0)).toBe(true);
    for (let i = 1; i < indices.length; i += 1) expect(indices[i]).toBeGreaterThan(indices[i - 1] as number);
    expect(view.timeline.find((step) => step.type === 'DECLARATION_ACCEPTED')?.ledgerIndex).toBe(answer.ledgerIndex);

    const outbound = view.documents.filter((document) => document.direction === 'OUT');
    const inbound = view.documents.filter((document) => document.direction === 'IN');
    expect(outbound).toEqual([expect.objectContaining({ documentType: 'ACDD', partner: 'TH', receipted: true })]);
    expect(inbound).toEqual([expect.objectContaining({ documentType: 'CUSTOMS_RESPONSE', partner: 'TH', receipted: true })]);
    const acdd = outbound[0]!;
    const response = inbound[0]!;
    expect(Number.isInteger(acdd.ledgerIndex) && Number.isInteger(response.ledgerIndex)).toBe(true);

    // The steps about each message name it; the Customs Response answers our ACDD.
    const byType = new Map(view.timeline.map((step) => [step.type, step]));
    for (const type of ['DOCUMENT_SIGNED', 'MESSAGE_QUEUED', 'MESSAGE_DELIVERED', 'RECEIPT_VERIFIED'])
      expect(byType.get(type)?.messageId).toBe(acdd.messageId);
    for (const type of ['RESPONSE_RECEIVED', 'RECEIPT_SENT']) expect(byType.get(type)?.messageId).toBe(response.messageId);
    expect(byType.get('RESPONSE_RECEIVED')?.detail).toMatchObject({ documentType: 'CUSTOMS_RESPONSE', from: 'TH', refTo: acdd.messageId });

    // Sent once, and receipted by TH at the first attempt.
    expect(await swx.query('SELECT state, attempts FROM outbox WHERE message_id = ?', acdd.messageId)).toEqual([{ state: 'DELIVERED', attempts: 1 }]);
  });

  it('accepts the same content as XML: same channel and status, its own id and number, the same stored declaration', async () => {
    const { answer: fromJson, view: jsonView } = await jsonFlow();
    const fromXml = await accepted(await submit(swx, trader, COFFEE_XML, 'application/xml'));
    expect(fromXml.declarationNumber).toMatch(/^\d{12}$/);
    expect(fromXml.id).not.toBe(fromJson.id);
    expect(fromXml.declarationNumber).not.toBe(fromJson.declarationNumber);
    expect({ channel: fromXml.channel, status: fromXml.status }).toEqual({ channel: fromJson.channel, status: fromJson.status });

    const xmlView = await settled(swx, fromXml.id, trader);
    expect(xmlView.declaration).toEqual(jsonView.declaration);
    expect(xmlView.declaration).toEqual(JSON.parse(COFFEE_JSON));
    expect(xmlView.timeline.map((step) => step.type)).toEqual(FLOW);
    expect(xmlView.timeline[0]?.detail).toMatchObject({ mediaType: 'application/xml' });
  });

  it('signs the ACDD envelope so that xmlsec1 verifies it with the VN gateway certificate, and not once tampered with', async () => {
    const { view } = await jsonFlow();
    const acdd = view.documents.find((document) => document.documentType === 'ACDD')!;
    const response = await fetch(`${swx.url}/v1/messages/${acdd.messageId}/envelope`, { headers: bearer(officer) });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/xml/);
    const envelope = await response.text();
    const vnCertificate = join(swx.pkiDir, 'gateways', 'VN.cert.pem');

    const verdict = xmlsec1Verify(envelope, vnCertificate);
    expect(verdict.message).toMatch(/^OK/m);
    expect(verdict.ok).toBe(true);

    // One character of the ACDD body changed: the consignee's name, inside <Body>.
    const body = /<Body>[\s\S]*<\/Body>/.exec(envelope)?.[0] ?? '';
    expect(body.split('Siam Coffee Trading').length).toBe(2);
    const tampered = envelope.replace(body, body.replace('Siam Coffee Trading', 'Siam Coffee Tradinf'));
    expect(tampered.length).toBe(envelope.length);
    expect(tampered).not.toBe(envelope);
    const refused = xmlsec1Verify(tampered, vnCertificate);
    expect(refused.message).toMatch(/^FAIL/m);
    expect(refused.ok).toBe(false);

    // Another gateway's certificate does not verify it either.
    expect(xmlsec1Verify(envelope, join(swx.pkiDir, 'gateways', 'TH.cert.pem')).ok).toBe(false);
  });

  it('keeps the Thai simulator’s signed receipt, which xmlsec1 verifies with the TH certificate and which digests our exact envelope', async () => {
    const { view } = await jsonFlow();
    const acdd = view.documents.find((document) => document.documentType === 'ACDD')!;
    const response = await fetch(`${swx.url}/v1/messages/${acdd.messageId}/receipt`, { headers: bearer(officer) });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/xml/);
    const receipt = await response.text();

    const verdict = xmlsec1Verify(receipt, join(swx.pkiDir, 'gateways', 'TH.cert.pem'));
    expect(verdict.message).toMatch(/^OK/m);
    expect(verdict.ok).toBe(true);
    expect(xmlsec1Verify(receipt, join(swx.pkiDir, 'gateways', 'VN.cert.pem')).ok).toBe(false);

    const message = await getJson<{ envelope: string; receipt: string; digest: string }>(swx, `/v1/messages/${acdd.messageId}`, officer);
    expect(message.status).toBe(200);
    expect(message.body.receipt).toBe(receipt);
    const digest = createHash('sha256').update(message.body.envelope, 'utf8').digest('base64');
    expect(message.body.digest).toBe(digest);
    expect(receipt).toContain(`<MessageId>${acdd.messageId}</MessageId>`);
    expect(/<EnvelopeDigest[^>]*>([^<]+)<\/EnvelopeDigest>/.exec(receipt)?.[1]).toBe(digest);
  });

  it('keeps the Customs Response as the Thai simulator signed it, and our own signed receipt for it', async () => {
    const { view } = await jsonFlow();
    const inbound = view.documents.find((document) => document.documentType === 'CUSTOMS_RESPONSE')!;
    const raw = async (part: 'envelope' | 'receipt') => {
      const response = await fetch(`${swx.url}/v1/messages/${inbound.messageId}/${part}`, { headers: bearer(officer) });
      expect(response.status).toBe(200);
      return response.text();
    };
    expect(xmlsec1Verify(await raw('envelope'), join(swx.pkiDir, 'gateways', 'TH.cert.pem')).ok).toBe(true);
    const ours = await raw('receipt');
    expect(ours).toContain(`<MessageId>${inbound.messageId}</MessageId>`);
    expect(xmlsec1Verify(ours, join(swx.pkiDir, 'gateways', 'VN.cert.pem')).ok).toBe(true);
  });
});

describe.each(RUNTIMES)('a declaration’s readers, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let otherTrader: string;
  let officer: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [trader, otherTrader, officer] = await Promise.all([
      swx.createKey('trader', '0301234567'),
      swx.createKey('trader', 'VN0109999999'),
      swx.createKey('officer', 'GDVC'),
    ]);
  });
  afterAll(() => swx?.close());

  it('shows a declaration to its trader and to officers, and to no other trader', async () => {
    // No ACDD to send: the view does not change between the reads.
    const answer = await accepted(await submit(swx, trader, COFFEE_KEPT_HOME, 'application/json'));
    const path = `/v1/declarations/${answer.id}`;
    const own = await getJson<DeclarationView>(swx, path, trader);
    expect(own.status).toBe(200);

    const other = await fetch(`${swx.url}${path}`, { headers: bearer(otherTrader) });
    const problem = await problemOf(other, 404);
    expect(problem.code).toBe('NOT_FOUND');
    expect(JSON.stringify(problem)).not.toContain(answer.declarationNumber);

    const asOfficer = await getJson<DeclarationView>(swx, path, officer);
    expect(asOfficer.status).toBe(200);
    expect(asOfficer.body).toEqual(own.body);
  });
});

describe.each(RUNTIMES)('Idempotency-Key on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    trader = await swx.createKey('trader', '0301234567');
  });
  afterAll(() => swx?.close());

  it('answers the same key and body with the first answer, writing one declaration; another body under the key is a 409 that writes nothing', async () => {
    const before = await written(swx);
    const key = { 'Idempotency-Key': 'coffee-2026-0458' };
    const answer = await accepted(await submit(swx, trader, COFFEE_KEPT_HOME, 'application/json', key));
    const again = await submit(swx, trader, COFFEE_KEPT_HOME, 'application/json', key);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(answer);

    const after = await written(swx);
    expect(after.declarations).toBe(before.declarations! + 1);
    expect(after.idempotency_keys).toBe(before.idempotency_keys! + 1);
    expect(after.outbox).toBe(before.outbox);
    expect(await swx.query('SELECT id FROM declarations')).toEqual([{ id: answer.id }]);
    expect(await swx.query('SELECT key FROM idempotency_keys')).toEqual([{ key: 'coffee-2026-0458' }]);

    const late = await submit(swx, trader, COFFEE_KEPT_HOME, 'application/json', key);
    expect(late.status).toBe(202);
    expect(await late.json()).toEqual(answer);
    expect(await written(swx)).toEqual(after);

    const otherBody = COFFEE_KEPT_HOME.replace('TN-2026/0458', 'TN-2026/0459');
    expect(otherBody).not.toBe(COFFEE_KEPT_HOME);
    const conflict = await problemOf(await submit(swx, trader, otherBody, 'application/json', key), 409);
    expect(conflict.type).toMatch(/idempotency-conflict$/);
    expect(conflict.code).toBe('IDEMPOTENCY_CONFLICT');
    // The same content as XML is another body too.
    expect((await problemOf(await submit(swx, trader, COFFEE_XML, 'application/xml', key), 409)).type).toMatch(/idempotency-conflict$/);
    expect(await written(swx)).toEqual(after);
  });

  it('keeps keys apart per trader', async () => {
    // The customs broker the coffee declaration names as declaring agent, filing it for the exporter.
    const other = await swx.createKey('trader', '0312345678');
    const mandate = await fetch(`${swx.url}/v1/admin/mandates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${swx.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ agentPartyId: '0312345678', principalPartyId: '0301234567' }),
    });
    expect(mandate.status).toBe(201);
    const key = { 'Idempotency-Key': 'shared-key' };
    const mine = await accepted(await submit(swx, trader, COFFEE_KEPT_HOME, 'application/json', key));
    const theirs = await accepted(await submit(swx, other, COFFEE_KEPT_HOME, 'application/json', key));
    expect(theirs.id).not.toBe(mine.id);
  });

  it('sends the ACDD of a replayed submission once, and answers a replay after the flow has settled as the first time, writing nothing', async () => {
    const before = await written(swx);
    // A key of its own: the first test's is bound to the declaration without ACDD consent.
    const key = { 'Idempotency-Key': 'coffee-2026-0458-sent' };
    const answer = await accepted(await submit(swx, trader, COFFEE_JSON, 'application/json', key));
    expect(await (await submit(swx, trader, COFFEE_JSON, 'application/json', key)).json()).toEqual(answer);

    await settled(swx, answer.id, trader);
    const after = await written(swx);
    expect(after.declarations).toBe(before.declarations! + 1);
    expect(after.outbox).toBe(before.outbox! + 1);
    // The ACDD went out once: one outbound message, delivered at the first attempt.
    expect(await swx.query("SELECT message_id FROM messages WHERE direction = 'OUT'")).toHaveLength(1);
    expect(await swx.query('SELECT state, attempts FROM outbox')).toEqual([{ state: 'DELIVERED', attempts: 1 }]);

    const late = await submit(swx, trader, COFFEE_JSON, 'application/json', key);
    expect(late.status).toBe(202);
    expect(await late.json()).toEqual(answer);
    expect(await written(swx)).toEqual(after);
  });
});

describe.each(RUNTIMES)('bad input: a problem+json answer, and nothing written, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let officer: string;
  let agency: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [trader, officer, agency] = await Promise.all([
      swx.createKey('trader', '0301234567'),
      swx.createKey('officer', 'GDVC'),
      swx.createKey('agency', 'PPD'),
    ]);
    // One declaration accepted first, so that the tables are not empty; it has no ACDD to send, so nothing is in flight.
    await accepted(await submit(swx, trader, COFFEE_KEPT_HOME, 'application/json'));
  });
  afterAll(() => swx?.close());

  /** Sends the request, expects `status` as problem+json, and checks that no table changed. */
  async function refused(status: number, send: () => Promise<Response>): Promise<Problem> {
    const before = await written(swx);
    expect(before.declarations).toBe(1);
    const problem = await problemOf(await send(), status);
    expect(await written(swx)).toEqual(before);
    return problem;
  }

  it.each([
    ['a missing HS code (JSON)', 'invalid-missing-hs-code.json', ['/items/0/hsCode']],
    ['a missing HS code (XML)', 'invalid-missing-hs-code.xml', ['/items/0/hsCode']],
    ['a bad UN/LOCODE (JSON)', 'invalid-bad-unlocode.json', ['/portOfDischarge']],
    ['a bad UN/LOCODE (XML)', 'invalid-bad-unlocode.xml', ['/portOfDischarge']],
    ['several defects, every one listed', 'invalid-several-defects.json', ['/invoice', '/items/0/hsCode', '/items/1/quantity', '/portOfDischarge']],
  ])('answers 422 for %s, listing the failing fields by JSON pointer', async (_, file, pointers) => {
    const type = file.endsWith('.xml') ? 'application/xml' : 'application/json';
    const problem = await refused(422, () => submit(swx, trader, example(file), type));
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.type).toMatch(/validation-failed$/);
    expect(pointersOf(problem)).toEqual(pointers);
    expect(problem.errors!.every((error) => error.detail.length > 0)).toBe(true);
  });

  it('answers 400 for malformed JSON', async () => {
    const problem = await refused(400, () => submit(swx, trader, COFFEE_JSON.slice(0, 400), 'application/json'));
    expect(problem.code).toBe('MALFORMED_REQUEST');
  });

  it('answers 400 for malformed XML', async () => {
    const truncated = COFFEE_XML.replace('</ExportDeclaration>', '');
    const problem = await refused(400, () => submit(swx, trader, truncated, 'application/xml'));
    expect(problem.code).toBe('MALFORMED_REQUEST');
    const mismatched = await refused(400, () => submit(swx, trader, COFFEE_XML.replace('</Exporter>', '</Exportr>'), 'application/xml'));
    expect(mismatched.code).toBe('MALFORMED_REQUEST');
  });

  const withDoctype = (doctype: string) =>
    COFFEE_XML.replace('<?xml version="1.0" encoding="UTF-8"?>', `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}`);

  it.each([
    ['a bare DOCTYPE', withDoctype('<!DOCTYPE ExportDeclaration>')],
    [
      'an internal entity',
      withDoctype('<!DOCTYPE ExportDeclaration [<!ENTITY name "Siam Coffee">]>').replace('Siam Coffee Trading', '&name; Trading'),
    ],
    [
      'an external entity',
      withDoctype('<!DOCTYPE ExportDeclaration [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('Siam Coffee Trading', '&xxe;'),
    ],
  ])('answers 400 for XML with %s', async (_, xml) => {
    expect(xml).not.toBe(COFFEE_XML);
    const problem = await refused(400, () => submit(swx, trader, xml, 'application/xml'));
    expect(problem.code).toBe('XML_FORBIDDEN_CONSTRUCT');
    expect(JSON.stringify(problem)).not.toContain('root:');
  });

  it('answers 400 to a billion laughs before expanding anything', async () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i += 1) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const bomb = withDoctype(`<!DOCTYPE ExportDeclaration [${entities.join('')}]>`).replace('Siam Coffee Trading', '&lol9;');
    const heapBefore = process.memoryUsage().heapUsed;
    // Expanded, &lol9; would be 3 × 10⁹ characters; refused before expansion, it costs next to nothing.
    const problem = await refused(400, () => submit(swx, trader, bomb, 'application/xml'));
    expect(problem.code).toBe('XML_FORBIDDEN_CONSTRUCT');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
  ])('answers 415 for %s', async (_, type) => {
    const problem = await refused(415, () => submit(swx, trader, COFFEE_JSON, type));
    expect(problem.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 401 without a token or with an unknown one', async () => {
    const missing = await refused(401, () => submit(swx, undefined, COFFEE_JSON, 'application/json'));
    expect(missing.code).toBe('UNAUTHENTICATED');
    const unknown = await refused(401, () => submit(swx, 'not-a-token-swx-knows', COFFEE_JSON, 'application/json'));
    expect(unknown.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['an officer', () => officer],
    ['an agency', () => agency],
  ])('answers 403 to %s', async (_, token) => {
    const problem = await refused(403, () => submit(swx, token(), COFFEE_JSON, 'application/json'));
    expect(problem.code).toBe('FORBIDDEN');
  });

  it('gives the next valid declaration the number right after the last one accepted: no number was used up', async () => {
    // K YY SSSSSSSS C: the year's sequence is digits 4 to 11.
    const sequenceOf = (number: string) => Number(number.slice(3, 11));
    const [{ number: last } = { number: '' }] = await swx.query<{ number: string }>('SELECT declaration_number AS number FROM declarations');
    const next = await accepted(await submit(swx, trader, COFFEE_KEPT_HOME, 'application/json'));
    expect(sequenceOf(next.declarationNumber)).toBe(sequenceOf(last) + 1);
  });
});

describe.each(RUNTIMES)('a body over SWX_BODY_LIMIT_BYTES, on %s', (runtime) => {
  const LIMIT = 4096;
  let swx: ServiceUnderTest;
  let trader: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_BODY_LIMIT_BYTES: String(LIMIT) });
    trader = await swx.createKey('trader', '0301234567');
  });
  afterAll(() => swx?.close());

  /** POSTs over node:http: with Content-Length, or without it in 512-byte writes (Transfer-Encoding: chunked). */
  function post(body: string, chunked: boolean): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...bearer(trader), 'Content-Type': 'application/json' };
      if (!chunked) headers['Content-Length'] = String(Buffer.byteLength(body));
      const req = httpRequest(`${swx.url}/v1/declarations`, { method: 'POST', headers, timeout: 10_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
      req.on('error', reject);
      if (chunked) for (let i = 0; i < body.length; i += 512) req.write(body.slice(i, i + 512));
      else req.write(body);
      req.end();
    });
  }

  // The coffee declaration padded with whitespace to 10 KB: valid JSON, refused for its size alone.
  const padded = COFFEE_JSON.replace(/\}\s*$/, `${' '.repeat(10 * 1024 - COFFEE_JSON.length)}}`);

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('answers 413 %s and writes nothing', async (_, chunked) => {
    expect(Buffer.byteLength(padded)).toBeGreaterThanOrEqual(10 * 1024);
    expect(JSON.parse(padded)).toEqual(JSON.parse(COFFEE_JSON));
    const before = await written(swx);
    const answer = await post(padded, chunked);
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await written(swx)).toEqual(before);
  });

  // Right after a chunked body refused with 413 (on Workers, a refused body left half-read once broke the next request).
  it('accepts the same declaration under the limit, chunked too', async () => {
    expect(Buffer.byteLength(COFFEE_JSON)).toBeLessThan(LIMIT);
    const answer = await post(COFFEE_JSON, true);
    expect(answer.status, answer.body).toBe(202);
    const { id } = JSON.parse(answer.body) as Answer;
    expect((await getJson<DeclarationView>(swx, `/v1/declarations/${id}`, trader)).body.declaration).toEqual(JSON.parse(COFFEE_JSON));
  });
});
