import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReceipt, writeReceipt } from '../../message-schemas/receipt/1/build.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { Faults } from '../../src/runtime/simulator/faults.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { asServiceUnderTest, startTestService, type TestService, waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * Business-level acknowledgements (ACKNOWLEDGE envelopes, design.md 3.4): recorded on the declaration's timeline when
 * Thailand's simulator sends them (Node: its faults make it acknowledge), and refused with a signed receipt when they
 * do not hold up (both runtimes, test/helpers/runtimes.ts).
 */

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

interface Step {
  ledgerIndex: number;
  type: string;
  messageId?: string;
  detail: { documentType?: string; from?: string; summary?: { acknowledgement?: string; acknowledges?: string; errors?: { code: string }[] } };
}

const timeline = async (swx: ServiceUnderTest, trader: string, id: string) => {
  const response = await fetch(`${swx.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${trader}` } });
  return ((await response.json()) as { timeline: Step[] }).timeline;
};

const submit = async (swx: ServiceUnderTest, trader: string) => {
  const response = await fetch(`${swx.url}/v1/declarations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
    body: coffee,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
};

const acddOf = async (swx: ServiceUnderTest, declarationId: string) =>
  (
    await swx.query<{ message_id: string; digest: string }>(
      "SELECT message_id, digest FROM messages WHERE declaration_id = ? AND document_type = 'ACDD'",
      declarationId,
    )
  )[0];

/** An ACKNOWLEDGE envelope signed with `from`'s development key, its Body a receipt of `messageId`. */
const acknowledgement = (swx: ServiceUnderTest, from: 'TH' | 'SG', refTo: string, receiptOf: { messageId: string; digest: string }) => {
  const pki = devPkiLayout(swx.pkiDir);
  const signer = new XmlDsigSigner(readFileSync(pki.gatewayKey(from), 'utf8'), readFileSync(pki.gatewayCertificate(from), 'utf8'));
  const gateway = { gatewayId: from, country: from } as const;
  const vn = { gatewayId: 'VN', country: 'VN' } as const;
  const at = new Date().toISOString();
  const body = writeReceipt({
    receiptId: randomUUID(),
    messageId: receiptOf.messageId,
    from: gateway,
    to: vn,
    status: 'RECEIVED',
    envelopeDigest: receiptOf.digest,
    errors: [],
    createdAt: at,
  });
  return anEnvelope().from(from).carrying('ACDD', 'ACKNOWLEDGE').inConversation(randomUUID()).referringTo(refTo).createdAt(at).signedBy(signer, body);
};

const post = async (swx: ServiceUnderTest, envelope: string) => {
  const response = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: envelope });
  return { status: response.status, receipt: readReceipt(parseXml(await response.text())) };
};

// Node only: Thailand's simulator acknowledges at the business level under the fault injection of the Node simulators.
describe.runIf(RUNTIMES.includes('node'))('a partner that acknowledges at the business level (design.md 3.4), on Node', () => {
  let node: TestService;
  let swx: ServiceUnderTest;
  let trader: string;

  beforeAll(async () => {
    node = await startTestService({}, { simulatorFaults: Faults.parse({ businessAckRate: 1, responseDelayMs: 20 }) });
    swx = asServiceUnderTest(node);
    trader = await swx.createKey('trader', '0301234567');
  });
  afterAll(() => swx?.close());

  it('records the acknowledgement on the declaration timeline, before the Customs Response', async () => {
    const id = await submit(swx, trader);
    const steps = await waitFor(
      () => timeline(swx, trader, id),
      (all) => all.some((step) => step.type === 'RESPONSE_RECEIVED'),
    );
    const acdd = await acddOf(swx, id);
    const acknowledged = steps.find((step) => step.type === 'ACKNOWLEDGEMENT_RECEIVED');
    const responded = steps.find((step) => step.type === 'RESPONSE_RECEIVED');
    expect(acknowledged?.detail).toMatchObject({
      documentType: 'ACDD',
      from: 'TH',
      summary: { acknowledgement: 'ACCEPTED', acknowledges: acdd?.message_id, errors: [] },
    });
    expect(acknowledged!.ledgerIndex).toBeLessThan(responded!.ledgerIndex);
  });

  it('records a rejection with its errors, and no business response follows it', async () => {
    node.service.simulators.get('TH')?.setFaults(Faults.parse({ businessAckRate: 1, businessRejectRate: 1, responseDelayMs: 20 }));
    const id = await submit(swx, trader);
    const steps = await waitFor(
      () => timeline(swx, trader, id),
      (all) => all.some((step) => step.type === 'ACKNOWLEDGEMENT_RECEIVED'),
    );
    expect(steps.find((step) => step.type === 'ACKNOWLEDGEMENT_RECEIVED')?.detail.summary).toMatchObject({
      acknowledgement: 'REJECTED',
      errors: [{ code: 'BUSINESS_RULE_FAILED' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await timeline(swx, trader, id)).map((step) => step.type)).not.toContain('RESPONSE_RECEIVED');
  });
});

describe.each(RUNTIMES)('refuses with a signed receipt (422 VALIDATION_FAILED unless said) an acknowledgement, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let acdd: { messageId: string; digest: string };

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    const trader = await swx.createKey('trader', '0301234567');
    const id = await submit(swx, trader);
    const row = await waitFor(
      () => acddOf(swx, id),
      (found) => found !== undefined,
    );
    acdd = { messageId: row?.message_id ?? '', digest: row?.digest ?? '' };
  });
  afterAll(() => swx?.close());

  it.each([
    ['of a message swx never sent', () => acknowledgement(swx, 'TH', 'never-sent', { ...acdd, messageId: 'never-sent' }), '/header/refToMessageId'],
    [
      'whose receipt names another message',
      () => acknowledgement(swx, 'TH', acdd.messageId, { ...acdd, messageId: randomUUID() }),
      '/body/messageId',
    ],
    [
      'whose receipt holds another digest',
      () => acknowledgement(swx, 'TH', acdd.messageId, { ...acdd, digest: createHash('sha256').update('other').digest('base64') }),
      '/body/envelopeDigest',
    ],
  ])('%s', async (_name, envelope, pointer) => {
    const { status, receipt } = await post(swx, envelope());
    expect([status, receipt.status, receipt.errors[0]?.code]).toEqual([422, 'REJECTED', 'VALIDATION_FAILED']);
    expect(receipt.errors[0]?.message).toContain(pointer);
  });

  it('from a gateway the message was not sent to: 403 REFERENCE_OTHER_PARTNER', async () => {
    const { status, receipt } = await post(swx, acknowledgement(swx, 'SG', acdd.messageId, acdd));
    expect([status, receipt.status, receipt.errors[0]?.code]).toEqual([403, 'REJECTED', 'REFERENCE_OTHER_PARTNER']);
    expect(receipt.errors[0]?.message).toContain('/header/refToMessageId');
  });
});
