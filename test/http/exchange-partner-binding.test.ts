import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customsResponseSpec, CustomsResponse } from '../../message-schemas/customs-response/1/schema.js';
import type { EnvelopeHeader } from '../../message-schemas/envelope/1/build.js';
import { formDStatusSpec, FormDStatus } from '../../message-schemas/form-d-status/1/schema.js';
import { readReceipt, writeReceipt } from '../../message-schemas/receipt/1/build.js';
import { spsAckSpec, SpsAck } from '../../message-schemas/sps-ack/1/schema.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import type { DocumentType } from '../../src/core/document/document-type.js';
import { call, submitExport } from '../helpers/api-client.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

/**
 * Partner binding on POST /v1/exchange (issue 9), over real HTTP with the partners simulated: the From of an
 * envelope is the partner whose pinned certificate verified it, and a partner's response may only reference a
 * message exchanged with that same partner.
 */

const example = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../message-schemas/${path}`, import.meta.url), 'utf8'));
const CLEARED = encodeDocumentXml(customsResponseSpec, CustomsResponse.parse(example('customs-response/1/examples/valid-cleared.json')));
const VN = { gatewayId: 'VN', country: 'VN' } as const;

interface Step {
  type: string;
  messageId?: string;
  detail: { from?: string; documentType?: string };
}

let swx: TestService;
let trader: string;
const signers = new Map<string, XmlDsigSigner>();

beforeAll(async () => {
  swx = await startTestService();
  trader = await swx.createKey('trader', '0301234567');
  const pki = devPkiLayout(join(swx.dataDir, 'pki'));
  for (const id of ['TH', 'MY', 'SG']) {
    signers.set(id, new XmlDsigSigner(readFileSync(pki.gatewayKey(id), 'utf8'), readFileSync(pki.gatewayCertificate(id), 'utf8')));
  }
});

afterAll(() => swx?.close());

/** A Customs Response envelope from `from` (gateway and country as given), signed with `keyOf`'s development key. */
function envelopeSignedBy(keyOf: string, from: EnvelopeHeader['from']): { xml: string; messageId: string } {
  const envelope = anEnvelope().from(from.gatewayId, from.country).carrying('CUSTOMS_RESPONSE');
  return { xml: envelope.signedBy(signers.get(keyOf) as XmlDsigSigner, CLEARED), messageId: envelope.header().messageId };
}

async function post(xml: string) {
  const response = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
  return { status: response.status, receipt: readReceipt(parseXml(await response.text())) };
}

function ledgerEntry(index: number | undefined): { type: string; data: Record<string, unknown> } | undefined {
  const [row] = swx.query<{ bytes: Buffer }>('SELECT bytes FROM ledger_entries WHERE entry_index = ?', index);
  return row === undefined ? undefined : JSON.parse(Buffer.from(row.bytes).toString('utf8'));
}

const storedMessages = (messageId: string) => swx.query('SELECT message_id FROM messages WHERE message_id = ?', messageId);

describe('the From of an envelope is its signer', () => {
  it('refuses an envelope signed with MY’s key whose From/Country says TH: 403 SENDER_NOT_SIGNER, signed, recorded as MY’s', async () => {
    const { xml, messageId } = envelopeSignedBy('MY', { gatewayId: 'MY', country: 'TH' });
    const { status, receipt } = await post(xml);
    expect([status, receipt.status, receipt.errors[0]?.code]).toEqual([403, 'REJECTED', 'SENDER_NOT_SIGNER']);
    expect(receipt.errors[0]?.message).toContain('signed with the key of MY');
    expect(ledgerEntry(receipt.ledgerIndex)).toMatchObject({ type: 'DOCUMENT_REJECTED', data: { code: 'SENDER_NOT_SIGNER', from: 'MY' } });
    expect(storedMessages(messageId)).toEqual([]);
  });

  it('refuses an envelope signed with TH’s key whose From/Country says MY', async () => {
    const { xml, messageId } = envelopeSignedBy('TH', { gatewayId: 'TH', country: 'MY' });
    const { status, receipt } = await post(xml);
    expect([status, receipt.errors[0]?.code]).toEqual([403, 'SENDER_NOT_SIGNER']);
    expect(storedMessages(messageId)).toEqual([]);
  });

  it('verifies with the certificate of the partner From names: MY’s signature cannot pass as TH’s, nor TH’s as MY’s', async () => {
    for (const [key, claimed] of [
      ['MY', 'TH'],
      ['TH', 'MY'],
    ] as const) {
      const { xml, messageId } = envelopeSignedBy(key, { gatewayId: claimed, country: claimed });
      const { status, receipt } = await post(xml);
      // Checked against the certificate pinned for `claimed`, the signer's own certificate in KeyInfo is not trusted.
      expect([key, status, receipt.status, receipt.errors[0]?.code]).toEqual([key, 403, 'REJECTED', 'CERTIFICATE_UNTRUSTED']);
      expect(storedMessages(messageId)).toEqual([]);
    }
  });

  it('accepts each partner signing as itself', async () => {
    for (const id of ['TH', 'MY'] as const) {
      const { xml } = envelopeSignedBy(id, { gatewayId: id, country: id });
      expect((await post(xml)).status).toBe(200);
    }
  });
});

describe('a partner’s response references a message exchanged with that same partner', () => {
  let declarationId: string;
  let acddToSg: string;

  const timeline = async () => {
    const answer = await call<{ timeline: Step[] }>(swx, trader, 'GET', `/v1/declarations/${declarationId}`);
    return answer.body.timeline;
  };

  beforeAll(async () => {
    declarationId = (await submitExport(swx, trader, anExportDeclaration({ destination: 'SG', channel: 'GREEN' }))).id;
    // SG's simulator answers its ACDD with a Customs Response: the legitimate response is on the timeline first, with
    // SG's receipt of the ACDD and swx's receipt of the response (each may be recorded a moment later), so the
    // timeline no longer moves.
    const settled = ['RESPONSE_RECEIVED', 'RECEIPT_VERIFIED', 'RECEIPT_SENT'];
    await waitFor(timeline, (steps) => settled.every((type) => steps.some((step) => step.type === type)));
    const [acdd] = swx.query<{ message_id: string }>(
      "SELECT message_id FROM messages WHERE declaration_id = ? AND document_type = 'ACDD'",
      declarationId,
    );
    acddToSg = acdd?.message_id ?? '';
    expect(acddToSg).not.toBe('');
  });

  const responses: Record<string, { type: DocumentType; body: () => string }> = {
    'a Customs Response': { type: 'CUSTOMS_RESPONSE', body: () => CLEARED },
    'a Form D utilisation status': {
      type: 'FORM_D_STATUS',
      body: () =>
        encodeDocumentXml(
          formDStatusSpec,
          FormDStatus.parse({ ...(example('form-d-status/1/examples/valid-utilised.json') as object), issuingCountry: 'VN', importingCountry: 'TH' }),
        ),
    },
    'an SPS acknowledgement': {
      type: 'SPS_ACK',
      body: () =>
        encodeDocumentXml(
          spsAckSpec,
          SpsAck.parse({ ...(example('sps-ack/1/examples/valid-accepted.json') as object), issuingCountry: 'VN', acknowledgingCountry: 'TH' }),
        ),
    },
  };

  for (const [name, { type, body }] of Object.entries(responses)) {
    it(`refuses ${name} from TH pointing at the ACDD sent to SG: 403 REFERENCE_OTHER_PARTNER, nothing on the declaration’s timeline`, async () => {
      const before = await timeline();
      const { status, messageId, receipt } = await partnerGateway(swx, 'TH').send(type, body(), { refTo: acddToSg });
      expect([status, receipt.status, receipt.errors[0]?.code]).toEqual([403, 'REJECTED', 'REFERENCE_OTHER_PARTNER']);
      expect(receipt.errors[0]?.message).toContain('/header/refToMessageId');
      expect(storedMessages(messageId)).toEqual([]);
      expect(await timeline()).toEqual(before);
    });
  }

  it('refuses TH’s business acknowledgement of the ACDD sent to SG the same way', async () => {
    const before = await timeline();
    const [acdd] = swx.query<{ digest: string }>('SELECT digest FROM messages WHERE message_id = ?', acddToSg);
    const at = new Date().toISOString();
    const ack = writeReceipt({
      receiptId: randomUUID(),
      messageId: acddToSg,
      from: { gatewayId: 'TH', country: 'TH' },
      to: VN,
      status: 'RECEIVED',
      envelopeDigest: acdd?.digest ?? '',
      errors: [],
      createdAt: at,
    });
    const acknowledgement = anEnvelope().from('TH').carrying('ACDD', 'ACKNOWLEDGE').referringTo(acddToSg).createdAt(at);
    const { status, receipt } = await post(acknowledgement.signedBy(signers.get('TH') as XmlDsigSigner, ack));
    expect([status, receipt.errors[0]?.code]).toEqual([403, 'REFERENCE_OTHER_PARTNER']);
    expect(await timeline()).toEqual(before);
  });

  it('still accepts SG’s own response to it, on the timeline', async () => {
    const { status } = await partnerGateway(swx, 'SG').send('CUSTOMS_RESPONSE', CLEARED, { refTo: acddToSg });
    expect(status).toBe(200);
    const steps = await timeline();
    expect(steps.filter((step) => step.type === 'RESPONSE_RECEIVED').map((step) => step.detail.from)).toEqual(['SG', 'SG']);
  });
});
