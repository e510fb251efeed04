import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReceipt, writeReceipt } from '../../message-schemas/receipt/1/build.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { Faults } from '../../src/runtime/simulator/faults.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

interface Step {
  ledgerIndex: number;
  type: string;
  messageId?: string;
  detail: { documentType?: string; from?: string; summary?: { acknowledgement?: string; acknowledges?: string; errors?: { code: string }[] } };
}

describe('a partner that acknowledges at the business level (design.md 3.4)', () => {
  let swx: TestService;
  let trader: string;

  const timeline = async (id: string) => {
    const response = await fetch(`${swx.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${trader}` } });
    return ((await response.json()) as { timeline: Step[] }).timeline;
  };
  const submit = async () => {
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
      body: coffee,
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };
  const acddOf = (declarationId: string) =>
    swx.query<{ message_id: string; digest: string }>(
      "SELECT message_id, digest FROM messages WHERE declaration_id = ? AND document_type = 'ACDD'",
      declarationId,
    )[0];

  /** An ACKNOWLEDGE envelope signed with `from`'s development key, its Body a receipt of `messageId`. */
  const acknowledgement = (from: 'TH' | 'SG', refTo: string, receiptOf: { messageId: string; digest: string }) => {
    const pki = devPkiLayout(join(swx.dataDir, 'pki'));
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
    return anEnvelope()
      .from(from)
      .carrying('ACDD', 'ACKNOWLEDGE')
      .inConversation(randomUUID())
      .referringTo(refTo)
      .createdAt(at)
      .signedBy(signer, body);
  };
  const post = async (envelope: string) => {
    const response = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: envelope });
    return { status: response.status, receipt: readReceipt(parseXml(await response.text())) };
  };

  beforeAll(async () => {
    swx = await startTestService({}, { simulatorFaults: Faults.parse({ businessAckRate: 1, responseDelayMs: 20 }) });
    trader = await swx.createKey('trader', '0301234567');
  });
  afterAll(() => swx.close());

  it('records the acknowledgement on the declaration timeline, before the Customs Response', async () => {
    const id = await submit();
    const steps = await waitFor(
      () => timeline(id),
      (all) => all.some((step) => step.type === 'RESPONSE_RECEIVED'),
    );
    const acdd = acddOf(id);
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
    swx.service.simulators.get('TH')?.setFaults(Faults.parse({ businessAckRate: 1, businessRejectRate: 1, responseDelayMs: 20 }));
    const id = await submit();
    const steps = await waitFor(
      () => timeline(id),
      (all) => all.some((step) => step.type === 'ACKNOWLEDGEMENT_RECEIVED'),
    );
    expect(steps.find((step) => step.type === 'ACKNOWLEDGEMENT_RECEIVED')?.detail.summary).toMatchObject({
      acknowledgement: 'REJECTED',
      errors: [{ code: 'BUSINESS_RULE_FAILED' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await timeline(id)).map((step) => step.type)).not.toContain('RESPONSE_RECEIVED');
  });

  describe('refuses with a signed receipt (422 VALIDATION_FAILED unless said) an acknowledgement', () => {
    let acdd: { messageId: string; digest: string };
    beforeAll(async () => {
      const id = await submit();
      await waitFor(
        async () => acddOf(id),
        (row) => row !== undefined,
      );
      const row = acddOf(id);
      acdd = { messageId: row?.message_id ?? '', digest: row?.digest ?? '' };
    });

    it.each([
      ['of a message swx never sent', () => acknowledgement('TH', 'never-sent', { ...acdd, messageId: 'never-sent' }), '/header/refToMessageId'],
      ['whose receipt names another message', () => acknowledgement('TH', acdd.messageId, { ...acdd, messageId: randomUUID() }), '/body/messageId'],
      [
        'whose receipt holds another digest',
        () => acknowledgement('TH', acdd.messageId, { ...acdd, digest: createHash('sha256').update('other').digest('base64') }),
        '/body/envelopeDigest',
      ],
    ])('%s', async (_name, envelope, pointer) => {
      const { status, receipt } = await post(envelope());
      expect([status, receipt.status, receipt.errors[0]?.code]).toEqual([422, 'REJECTED', 'VALIDATION_FAILED']);
      expect(receipt.errors[0]?.message).toContain(pointer);
    });

    it('from a gateway the message was not sent to: 403 REFERENCE_OTHER_PARTNER', async () => {
      const { status, receipt } = await post(acknowledgement('SG', acdd.messageId, acdd));
      expect([status, receipt.status, receipt.errors[0]?.code]).toEqual([403, 'REJECTED', 'REFERENCE_OTHER_PARTNER']);
      expect(receipt.errors[0]?.message).toContain('/header/refToMessageId');
    });
  });
});
