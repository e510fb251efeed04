import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customsResponseSpec, CustomsResponse } from '../../message-schemas/customs-response/1/schema.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../message-schemas/receipt/1/schema.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { call, submitExport } from '../helpers/api-client.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * What refused envelopes cost on POST /v1/exchange (issue 9, "Ledger amplification"), over real HTTP: junk from
 * an unknown or unverified sender leaves nothing in the ledger, a known partner's refused envelope leaves one
 * entry of bounded size, receipts stay small, and refused traffic is rate-limited per source address and per
 * sender while a partner's valid envelopes keep being accepted. Each source address is a loopback address of
 * its own (127.0.0.x), so the cases do not share address budgets. On both runtimes (test/helpers/runtimes.ts).
 */

const CLEARED = CustomsResponse.parse(
  JSON.parse(readFileSync(new URL('../../message-schemas/customs-response/1/examples/valid-cleared.json', import.meta.url), 'utf8')),
);
const BODY = encodeDocumentXml(customsResponseSpec, CLEARED);
const MB = 1024 * 1024;
/** A refusal's ledger entry stays under this, whatever was sent: its code, first issues, digest, size, sender. */
const ENTRY_BOUND = 2 * 1024;
/** A refusal's signed receipt stays under this, whatever was sent (the signature, certificate and checkpoint are 3 KB of it). */
const RECEIPT_BOUND = 6 * 1024;

const agents = new Map<string, Agent>();

/** POSTs `xml` to /v1/exchange from the loopback address `from`. */
async function postFrom(swx: ServiceUnderTest, from: string, xml: string) {
  let agent = agents.get(from);
  if (agent === undefined) {
    agent = new Agent({ localAddress: from });
    agents.set(from, agent);
  }
  const response = await undiciFetch(`${swx.url}/v1/exchange`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/xml' },
    body: xml,
    dispatcher: agent,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
    text: await response.text(),
  };
}

/** 3.55 MB of junk: an envelope root followed by unclosed tags, which the XML parser's error used to echo in full. */
const junk = (): string => `<Envelope xmlns="urn:swx:xsd:envelope:1">${'<a>'.repeat(1_183_000)}`;

/** The number of ledger entries and their total size in bytes. */
const ledgerSize = async (swx: ServiceUnderTest) =>
  (
    await swx.query<{ entries: number; bytes: number }>('SELECT count(*) AS entries, coalesce(sum(length(bytes)), 0) AS bytes FROM ledger_entries')
  )[0];

const signerOf = (swx: ServiceUnderTest, id: string) => {
  const pki = devPkiLayout(swx.pkiDir);
  return new XmlDsigSigner(readFileSync(pki.gatewayKey(id), 'utf8'), readFileSync(pki.gatewayCertificate(id), 'utf8'));
};

afterAll(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.close()));
});

describe.each(RUNTIMES)('a refused envelope costs the ledger a bounded entry, or none, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_SIMULATORS: 'off' });
  });
  afterAll(() => swx?.close());

  it('3.5 MB of junk from no known sender: a small signed receipt, nothing in the ledger or messages, counted in /metrics', async () => {
    const before = { ledger: await ledgerSize(swx), rows: await swx.rowCounts() };
    const { status, text } = await postFrom(swx, '127.0.0.11', junk());
    expect([400, 422]).toContain(status);
    expect(text.length).toBeLessThan(RECEIPT_BOUND);
    const receipt = readReceipt(parseXml(text));
    expect(receipt.status).toBe('REJECTED');
    expect(receipt.errors).toHaveLength(1);
    expect(receipt.ledgerIndex).toBeUndefined();
    expect(await ledgerSize(swx)).toEqual(before.ledger);
    expect(await swx.rowCounts()).toEqual(before.rows);
    const metrics = await (await fetch(`${swx.url}/metrics`)).text();
    // On Workers every series carries an `isolate` label as well.
    const refused = metrics
      .split('\n')
      .filter((line) => line.startsWith('swx_exchange_refused_total{') && line.includes(`code="${receipt.errors[0]?.code}"`));
    expect(refused.map((line) => [line.includes('recorded="false"'), line.split(' ').at(-1)])).toEqual([[true, '1']]);
  });

  it('3.5 MB claiming to be TH but not signed by TH: nothing in the ledger', async () => {
    const before = await ledgerSize(swx);
    const padded = anEnvelope()
      .from('TH')
      .unsigned(BODY.replace('</CustomsResponse>', `<!--${'x'.repeat(3.5 * MB)}--></CustomsResponse>`));
    const forged = signerOf(swx, 'MY').signSync(padded);
    const { status, text } = await postFrom(swx, '127.0.0.12', forged);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(text.length).toBeLessThan(RECEIPT_BOUND);
    expect(readReceipt(parseXml(text)).ledgerIndex).toBeUndefined();
    expect(await ledgerSize(swx)).toEqual(before);
  });

  it('a 3.5 MB document signed by TH with 2,000 long invalid fields: one ledger entry under 2 KB and a receipt under 6 KB', async () => {
    const before = { ledger: await ledgerSize(swx), messages: (await swx.rowCounts()).messages };
    const name = (i: number) => `Unknown${String(i).padStart(5, '0')}${'x'.repeat(900)}`;
    const fields = Array.from({ length: 2_000 }, (_, i) => `<${name(i)}>v</${name(i)}>`).join('');
    const envelope = anEnvelope()
      .from('TH')
      .signedBy(signerOf(swx, 'TH'), BODY.replace('</CustomsResponse>', `${fields}</CustomsResponse>`));
    expect(envelope.length).toBeGreaterThan(3_500_000);

    const { status, text } = await postFrom(swx, '127.0.0.13', envelope);
    expect(status).toBe(422);
    expect(text.length).toBeLessThan(RECEIPT_BOUND);
    const receipt: Receipt = readReceipt(parseXml(text));
    expect(receipt.errors).toHaveLength(1);
    expect(receipt.errors[0]?.message).toMatch(/and \d+ more issues/);

    const after = await ledgerSize(swx);
    expect(after?.entries).toBe((before.ledger?.entries ?? 0) + 1);
    expect((after?.bytes ?? 0) - (before.ledger?.bytes ?? 0)).toBeLessThan(ENTRY_BOUND);
    const entries = await call<{ entries: { index: number; entry: { type: string; data: Record<string, unknown> } }[] }>(
      swx,
      swx.adminToken,
      'GET',
      `/v1/ledger/entries?start=${receipt.ledgerIndex}&end=${(receipt.ledgerIndex ?? 0) + 1}`,
    );
    expect(JSON.stringify(entries.body)).toContain('"VALIDATION_FAILED"');
    const [row] = await swx.query<{ bytes: Buffer }>('SELECT bytes FROM ledger_entries WHERE entry_index = ?', receipt.ledgerIndex);
    expect(JSON.parse(Buffer.from(row?.bytes ?? []).toString('utf8'))).toMatchObject({
      type: 'DOCUMENT_REJECTED',
      data: { code: 'VALIDATION_FAILED', from: 'TH', documentType: 'CUSTOMS_RESPONSE', envelopeBytes: Buffer.byteLength(envelope) },
    });
    expect((await swx.rowCounts()).messages).toBe(before.messages);
  });
});

describe.each(RUNTIMES)('refused traffic is rate-limited (5 refusals, then one a minute), on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_REFUSED_BURST: '5', SWX_REFUSED_RATE_PER_MINUTE: '1' });
  });
  afterAll(() => swx?.close());

  const small = () => `<Envelope xmlns="urn:swx:xsd:envelope:1"><Header>junk</Header></Envelope>`;

  it('per source address: the 6th refusal is 429 problem+json with Retry-After, and so is anything else from there until then', async () => {
    for (let i = 0; i < 5; i += 1) expect((await postFrom(swx, '127.0.0.21', small())).status).toBe(422);
    const throttled = await postFrom(swx, '127.0.0.21', small());
    expect(throttled.status).toBe(429);
    expect(throttled.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(throttled.text)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
    // Checked before the body is parsed: even a valid envelope from that address waits.
    const valid = anEnvelope().from('TH').signedBy(signerOf(swx, 'TH'), BODY);
    expect((await postFrom(swx, '127.0.0.21', valid)).status).toBe(429);
    expect((await postFrom(swx, '127.0.0.22', valid)).status).toBe(200);
  });

  it('per claimed sender: forgeries claiming TH from many addresses are throttled, TH’s own envelopes are not', async () => {
    const forgery = () => anEnvelope().from('TH').signedBy(signerOf(swx, 'MY'), BODY);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await postFrom(swx, `127.0.0.${31 + i}`, forgery())).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429]);
    // TH's valid envelopes, as its simulator signs them, are accepted; its own refusals have their own budget.
    const th = partnerGateway(swx, 'TH');
    for (let i = 0; i < 3; i += 1) expect((await th.send('CUSTOMS_RESPONSE', BODY)).status).toBe(200);
    const stale = anEnvelope().from('TH').createdSecondsAgo(7_200).signedBy(signerOf(swx, 'TH'), BODY);
    expect((await postFrom(swx, '127.0.0.41', stale)).status).toBe(400);
  });

  it('while junk is throttled, an export to TH still completes with the simulator’s signed Customs Response', async () => {
    for (let i = 0; i < 6; i += 1) await postFrom(swx, '127.0.0.51', small());
    expect((await postFrom(swx, '127.0.0.51', small())).status).toBe(429);
    const trader = await swx.createKey('trader', '0301234567');
    const { id } = await submitExport(swx, trader, anExportDeclaration({ destination: 'TH', channel: 'GREEN' }));
    const view = await waitFor(
      () => call<{ timeline: { type: string }[] }>(swx, trader, 'GET', `/v1/declarations/${id}`),
      (answer) => answer.body.timeline.some((step) => step.type === 'RESPONSE_RECEIVED'),
    );
    expect(view.status).toBe(200);
  });
});
