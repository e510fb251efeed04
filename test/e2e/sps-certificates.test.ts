import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephytoCodec } from '../../message-schemas/ephyto/1/schema.js';
import { readEnvelope } from '../../message-schemas/envelope/1/build.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import type { ImportDeclaration } from '../../message-schemas/import-declaration/1/schema.js';
import { spsAckSpec, type SpsAck } from '../../message-schemas/sps-ack/1/schema.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import simulateSend from '../../src/cli/commands/simulate-send.js';
import { codecOfSpec } from '../../src/core/document/document-codec.js';
import { captureIo } from '../helpers/capture-io.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';
import {
  anEah,
  anEphyto,
  anEphytoFile,
  anImportNeeding,
  aYellowImportNeeding,
  CHICKEN_EAH,
  WORKED_EPHYTO,
  WORKED_SPS_IMPORT,
} from '../helpers/sps-certificates.js';

interface View {
  status: string;
  channel: string;
  channelReasons: { rule: string; detail: string }[];
  requirements: { requirement: string; state: string; detail: string; certificateId?: string }[];
  documents: { messageId: string; direction: string; documentType: string }[];
  timeline: { type: string; ledgerIndex: number; detail: Record<string, unknown> }[];
}
interface Message {
  envelope: string;
  receipt: string | null;
}
interface CertificateView {
  id: string;
  documentType: string;
  direction: string;
  status: string;
  agency: string;
  referenceNumber: string;
}

/**
 * SPS certificates over real HTTP: ePhytos and e-AHs sent by partner gateways, held declarations, the agencies'
 * acknowledgements and the SPS_ACK swx sends back to the issuing country's simulator, and ePhytos VN-PPD issues.
 * On both runtimes (test/helpers/runtimes.ts).
 */
describe.each(RUNTIMES)('SPS certificates on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let poultryTrader: string;
  let ppd: string;
  let dah: string;
  let officer: string;
  let id: ReturnType<typeof partnerGateway>;
  let th: ReturnType<typeof partnerGateway>;
  let my: ReturnType<typeof partnerGateway>;
  let serial = 0;
  const number = (country = 'ID') => `${country}-EPHYTO-T${process.pid}-${(serial += 1)}`;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    trader = await swx.createKey('trader', WORKED_SPS_IMPORT.importer.taxId);
    poultryTrader = await swx.createKey('trader', '0201234567');
    ppd = await swx.createKey('agency', 'VN-PPD');
    dah = await swx.createKey('agency', 'VN-DAH');
    officer = await swx.createKey('officer', 'VN-CUSTOMS-HCM');
    id = partnerGateway(swx, 'ID');
    th = partnerGateway(swx, 'TH');
    my = partnerGateway(swx, 'MY');
  }, 60_000);
  afterAll(async () => swx?.close());

  async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${swx.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  async function submit(declaration: ImportDeclaration, token = trader): Promise<{ id: string; status: string; channel: string }> {
    const answer = await call('POST', '/v1/declarations', token, declaration);
    expect(answer.status, JSON.stringify(answer.json)).toBe(202);
    return answer.json as { id: string; status: string; channel: string };
  }

  async function view(declarationId: string, token = trader): Promise<View> {
    const answer = await call('GET', `/v1/declarations/${declarationId}`, token);
    expect(answer.status).toBe(200);
    return answer.json as unknown as View;
  }

  /** The inbound certificate recorded from a partner's envelope, found by the reception's ledger entry. */
  async function certificateFrom(messageId: string): Promise<{ id: string; status: string; agency_id: string }> {
    const [row] = await swx.query<{ id: string; status: string; agency_id: string }>(
      'SELECT id, status, agency_id FROM certificates WHERE message_id = ?',
      messageId,
    );
    if (!row) throw new Error(`no certificate recorded from message ${messageId}`);
    return row;
  }

  async function acknowledge(certificateId: string, token: string, body: unknown) {
    return call('POST', `/v1/certificates/${certificateId}/acknowledgement`, token, body);
  }

  /**
   * The SPS_ACK swx sent about a certificate, once the issuing country's simulator has receipted it, as it reads it: the
   * envelope an officer reads, and the partner's receipt of exactly those bytes.
   */
  async function spsAckDelivered(partnerId: string, messageId: string): Promise<SpsAck> {
    const message = await waitFor(
      async () => (await call('GET', `/v1/messages/${messageId}`, officer)).json as unknown as Message,
      (sent) => sent.receipt !== null,
    );
    expect(readReceipt(parseXml(message.receipt ?? ''))).toMatchObject({
      messageId,
      from: { gatewayId: partnerId },
      status: 'RECEIVED',
      envelopeDigest: createHash('sha256').update(message.envelope, 'utf8').digest('base64'),
    });
    const envelope = readEnvelope(parseXml(message.envelope));
    expect(envelope.header).toMatchObject({ documentType: 'SPS_ACK', action: 'RESPOND', to: { gatewayId: partnerId } });
    return codecOfSpec(spsAckSpec).read(envelope.body) as SpsAck;
  }

  describe('import needing an ePhyto, over HTTP with Indonesia simulated', () => {
    it('holds a declaration for an ePhyto that came first until VN-PPD accepts it, then releases it and acknowledges to Indonesia', async () => {
      const certificate = number();
      const delivery = await id.send('EPHYTO', anEphyto(certificate));
      expect(delivery.status).toBe(200);
      expect(delivery.receipt.status).toBe('RECEIVED');
      const received = await certificateFrom(delivery.messageId);
      expect(received).toMatchObject({ status: 'RECEIVED', agency_id: 'VN-PPD' });

      const answer = await submit(anImportNeeding(certificate));
      expect(answer.status).toBe('AWAITING_DOCUMENTS');
      expect((await view(answer.id)).requirements).toEqual([
        expect.objectContaining({
          requirement: 'sps-certificates',
          state: 'AWAITED',
          certificateId: received.id,
          detail: expect.stringContaining("awaiting VN-PPD's acknowledgement"),
        }),
      ]);

      const worklist = await call('GET', '/v1/certificates?status=RECEIVED', ppd);
      expect(worklist.json['items']).toContainEqual(
        expect.objectContaining({ id: received.id, referenceNumber: certificate, documentType: 'EPHYTO', partner: 'ID' }),
      );
      const animalHealth = await call('GET', '/v1/certificates?status=RECEIVED', dah);
      expect((animalHealth.json['items'] as { id: string }[]).map((listed) => listed.id)).not.toContain(received.id);

      const decided = await acknowledge(received.id, ppd, { decision: 'ACCEPTED' });
      expect(decided.status, JSON.stringify(decided.json)).toBe(200);
      expect(decided.json).toMatchObject({ status: 'ACCEPTED', referenceNumber: certificate, declarations: [answer.id] });
      const settled = await view(answer.id);
      expect(settled).toMatchObject({ status: 'RELEASED', channel: 'GREEN' });
      expect(settled.requirements).toEqual([expect.objectContaining({ state: 'MET', detail: expect.stringContaining('accepted by VN-PPD') })]);
      expect(settled.timeline.at(-1)?.type).toBe('STATUS_CHANGED');

      const ack = await spsAckDelivered('ID', String(decided.json['acknowledgementMessageId']));
      expect(ack).toMatchObject({
        certificateNumber: certificate,
        certificateType: 'EPHYTO',
        issuingCountry: 'ID',
        acknowledgingCountry: 'VN',
        status: 'ACCEPTED',
      });
      const sent = await call('GET', `/v1/messages/${String(decided.json['acknowledgementMessageId'])}`, officer);
      expect(sent.json['refTo']).toBe(delivery.messageId);
      expect(decided.json['ledgerIndex']).toEqual(expect.any(Number));
    });

    it('waits for an ePhyto that has not arrived, still waits once it arrives, and proceeds when VN-PPD accepts it', async () => {
      const certificate = number();
      const answer = await submit(anImportNeeding(certificate));
      expect(answer.status).toBe('AWAITING_DOCUMENTS');
      expect((await view(answer.id)).requirements[0]?.detail).toBe(`awaiting ePhyto ${certificate} for items 1, 2 (HS 08109099, 09101100) from ID`);

      const delivery = await id.send('EPHYTO', anEphyto(certificate));
      expect(delivery.receipt.status).toBe('RECEIVED');
      const waiting = await view(answer.id);
      expect(waiting.status).toBe('AWAITING_DOCUMENTS');
      expect(waiting.requirements[0]?.detail).toContain("received, awaiting VN-PPD's acknowledgement");

      expect((await acknowledge((await certificateFrom(delivery.messageId)).id, ppd, { decision: 'ACCEPTED' })).status).toBe(200);
      expect(await view(answer.id)).toMatchObject({ status: 'RELEASED', channel: 'GREEN' });
    });

    it('sends the declaration to an officer with VN-PPD’s reason when it rejects the ePhyto, and tells Indonesia why', async () => {
      const certificate = number();
      const delivery = await id.send('EPHYTO', anEphyto(certificate));
      const answer = await submit(anImportNeeding(certificate));
      const reason = 'Live larvae of Bactrocera dorsalis found in the mangosteens at inspection';
      const noReason = await acknowledge((await certificateFrom(delivery.messageId)).id, ppd, { decision: 'REJECTED' });
      expect(noReason.status).toBe(422);
      expect(noReason.json['errors']).toEqual([expect.objectContaining({ pointer: '/reason' })]);

      const decided = await acknowledge((await certificateFrom(delivery.messageId)).id, ppd, { decision: 'REJECTED', reason });
      expect(decided.json).toMatchObject({ status: 'REJECTED', declarations: [answer.id] });
      const seen = await view(answer.id);
      expect(seen).toMatchObject({ status: 'UNDER_REVIEW', channel: 'YELLOW' });
      expect(seen.channelReasons).toContainEqual({
        rule: 'phytosanitary-certificate',
        detail: expect.stringContaining(`rejected by VN-PPD: ${reason}`),
      });
      expect(seen.requirements[0]).toMatchObject({ state: 'NOT_MET' });
      expect(await spsAckDelivered('ID', String(decided.json['acknowledgementMessageId']))).toMatchObject({ status: 'REJECTED', reason });

      const again = await acknowledge((await certificateFrom(delivery.messageId)).id, ppd, { decision: 'ACCEPTED' });
      expect(again.status).toBe(409);

      const later = await view((await submit(anImportNeeding(certificate))).id);
      expect(later.channelReasons).toContainEqual({
        rule: 'phytosanitary-certificate',
        detail: expect.stringContaining(`rejected by VN-PPD: ${reason}`),
      });
    });

    it('puts a declaration relying on a withdrawn ePhyto back to AWAITING_DOCUMENTS, but not a released one', async () => {
      const certificate = number();
      const delivery = await id.send('EPHYTO', anEphyto(certificate));
      const yellow = await submit(aYellowImportNeeding(certificate));
      const green = await submit(anImportNeeding(certificate));
      const received = await certificateFrom(delivery.messageId);
      await acknowledge(received.id, ppd, { decision: 'ACCEPTED' });
      expect((await view(yellow.id)).status).toBe('UNDER_REVIEW');
      expect((await view(green.id)).status).toBe('RELEASED');

      const withdrawal = await id.send('EPHYTO', anEphyto(certificate, { statusCode: '40' }));
      expect(withdrawal.receipt.status).toBe('RECEIVED');
      expect((await certificateFrom(delivery.messageId)).status).toBe('WITHDRAWN');
      const reopened = await view(yellow.id);
      expect(reopened.status).toBe('AWAITING_DOCUMENTS');
      const withdrawn = reopened.timeline.find((step) => step.type === 'CERTIFICATE_WITHDRAWN');
      expect(withdrawn?.detail).toMatchObject({
        referenceNumber: certificate,
        detail: `EPHYTO ${certificate} withdrawn by ID: ${WORKED_EPHYTO.notes[0]?.contents[0]}`,
      });
      expect(reopened.timeline.at(-1)).toMatchObject({ type: 'STATUS_CHANGED', detail: { status: 'AWAITING_DOCUMENTS', from: 'UNDER_REVIEW' } });
      expect((await view(green.id)).status).toBe('RELEASED');
      const seen = await call('GET', `/v1/certificates/${received.id}`, ppd);
      expect(seen.json).toMatchObject({ status: 'WITHDRAWN', direction: 'IN', agency: 'VN-PPD' });

      const twice = await id.send('EPHYTO', anEphyto(certificate, { statusCode: '40' }));
      expect(twice.receipt).toMatchObject({ status: 'REJECTED', errors: [expect.objectContaining({ code: 'DOCUMENT_STATE_CONFLICT' })] });
    });

    it('supersedes an ePhyto by its replacement: relying declarations wait for VN-PPD to accept the replacement', async () => {
      const original = number();
      const first = await id.send('EPHYTO', anEphyto(original));
      const yellow = await submit(aYellowImportNeeding(original));
      await acknowledge((await certificateFrom(first.messageId)).id, ppd, { decision: 'ACCEPTED' });
      expect((await view(yellow.id)).status).toBe('UNDER_REVIEW');

      const replacement = number();
      const replaces = { id: original, typeCode: '851', relationshipTypeCode: 'ACW', information: 'net weight of item 2 corrected' };
      const second = await id.send('EPHYTO', anEphyto(replacement, { referencedDocuments: [replaces] }));
      expect(second.receipt.status).toBe('RECEIVED');
      expect((await certificateFrom(first.messageId)).status).toBe('SUPERSEDED');
      const waiting = await view(yellow.id);
      expect(waiting.status).toBe('AWAITING_DOCUMENTS');
      expect(waiting.timeline.map((step) => step.type)).toContain('CERTIFICATE_REPLACED');
      expect(waiting.requirements[0]).toMatchObject({ state: 'AWAITED', detail: expect.stringContaining(`ePhyto ${replacement} from ID`) });

      await acknowledge((await certificateFrom(second.messageId)).id, ppd, { decision: 'ACCEPTED' });
      expect(await view(yellow.id)).toMatchObject({ status: 'UNDER_REVIEW', channel: 'YELLOW' });
    });
  });

  describe('certificates as partners’ systems write them', () => {
    it('takes the worked example from swx simulate send --partner ID --type EPHYTO, for VN-PPD', async () => {
      const file = new URL('../../message-schemas/ephyto/1/examples/valid-id-worked-example.xml', import.meta.url).pathname;
      const io = captureIo({ SWX_DATA_DIR: dirname(swx.pkiDir) });
      const code = await simulateSend.run(['--partner', 'ID', '--type', 'EPHYTO', '--url', swx.url, file], io);
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      expect(io.out()).toMatch(/^receipt RECEIVED \(HTTP 200\)$/m);
      const recorded = await swx.query<{ agency_id: string; status: string }>(
        'SELECT agency_id, status FROM certificates WHERE reference_number = ?',
        WORKED_EPHYTO.certificateNumber,
      );
      expect(recorded).toEqual([{ agency_id: 'VN-PPD', status: 'RECEIVED' }]);
    });

    it.each([
      ['rsm:/ram: prefixes', 'ephyto/1/examples/valid-id-worked-example.xml'],
      ['default namespaces', 'ephyto/1/examples/valid-default-namespaces.xml'],
      ['odd prefixes declared on the root', 'ephyto/1/examples/valid-odd-prefixes.xml'],
    ])('accepts the same ePhyto with %s, read the same', async (_, path) => {
      const certificate = number();
      const delivery = await id.send('EPHYTO', anEphytoFile(path, certificate));
      expect(delivery.receipt.status).toBe('RECEIVED');
      const [row] = await swx.query<{ document: string }>('SELECT document FROM certificates WHERE message_id = ?', delivery.messageId);
      expect(JSON.parse(row?.document ?? '{}')).toEqual({ ...WORKED_EPHYTO, certificateNumber: certificate });
    });

    it('accepts a hub-style ePhyto with empty optional elements, standard elements swx does not read and an extension', async () => {
      const delivery = await my.send(
        'EPHYTO',
        anEphytoFile('ephyto/1/examples/valid-hub-empty-optional-elements.xml', number('MY'), 'MY-PC-2026-0044817'),
      );
      expect(delivery.receipt.status).toBe('RECEIVED');
    });

    it.each([
      ['a missing ID', 'ephyto/1/examples/invalid-missing-id.xml', '/certificateNumber'],
      ['the wrong namespace', 'ephyto/1/examples/invalid-wrong-namespace.xml', ''],
    ])('refuses an ePhyto with %s with a coded receipt and records nothing', async (_, path, pointer) => {
      const [before] = await swx.query<{ n: number }>('SELECT count(*) AS n FROM certificates');
      const delivery = await id.send('EPHYTO', anEphytoFile(path, number()));
      expect(delivery.status).toBe(422);
      expect(delivery.receipt.status).toBe('REJECTED');
      expect(delivery.receipt.errors).toEqual([
        expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining(`${pointer}: `) }),
      ]);
      expect(await swx.query<{ n: number }>('SELECT count(*) AS n FROM certificates')).toEqual([before]);
    });

    it('refuses an ePhyto for goods exported from another country than the sending gateway’s', async () => {
      const delivery = await th.send('EPHYTO', anEphyto(number()));
      expect(delivery.receipt).toMatchObject({ status: 'REJECTED', errors: [expect.objectContaining({ code: 'VALIDATION_FAILED' })] });
    });
  });

  describe('e-AH and the agencies’ domains', () => {
    const chickenImport = (certificate: string): ImportDeclaration => ({
      ...WORKED_SPS_IMPORT,
      importer: { taxId: '0201234567', name: 'Hai Phong Cold Storage Food JSC', address: 'Lot B2, Dinh Vu Industrial Zone, Hai Phong' },
      exporter: { name: CHICKEN_EAH.consignment.consignor?.name ?? '', address: '99 Moo 4, Bang Na-Trat Road, Samut Prakan', country: 'TH' },
      exportCountry: 'TH',
      portOfLoading: 'THLCH',
      portOfDischarge: 'VNHPH',
      items: [
        {
          hsCode: '02071400',
          description: 'Frozen chicken leg quarters',
          quantity: 24000,
          unit: 'KGM',
          countryOfOrigin: 'TH',
          customsValue: 31200,
          grossWeightKg: 25100,
        },
      ],
      invoice: { ...WORKED_SPS_IMPORT.invoice, totalValue: 31200 },
      certificates: [{ typeCode: '853', referenceNumber: certificate }],
    });

    it('holds frozen chicken for its e-AH, which only VN-DAH may acknowledge', async () => {
      const certificate = `TH-EAH-T${process.pid}-1`;
      const delivery = await th.send('EAH', anEah(certificate));
      expect(delivery.receipt.status).toBe('RECEIVED');
      const received = await certificateFrom(delivery.messageId);
      expect(received.agency_id).toBe('VN-DAH');
      const answer = await submit(chickenImport(certificate), poultryTrader);
      expect(answer.status).toBe('AWAITING_DOCUMENTS');

      expect((await acknowledge(received.id, ppd, { decision: 'ACCEPTED' })).status).toBe(404);
      expect((await acknowledge(received.id, poultryTrader, { decision: 'ACCEPTED' })).status).toBe(403);
      expect((await acknowledge(received.id, officer, { decision: 'ACCEPTED' })).status).toBe(403);
      expect((await view(answer.id, poultryTrader)).status).toBe('AWAITING_DOCUMENTS');

      const decided = await acknowledge(received.id, dah, { decision: 'ACCEPTED' });
      expect(decided.json).toMatchObject({ documentType: 'EAH', status: 'ACCEPTED', declarations: [answer.id] });
      expect(await view(answer.id, poultryTrader)).toMatchObject({ status: 'RELEASED', channel: 'GREEN' });
      expect(await spsAckDelivered('TH', String(decided.json['acknowledgementMessageId']))).toMatchObject({
        certificateType: 'EAH',
        status: 'ACCEPTED',
      });
    });
  });

  describe('an ePhyto issued by VN-PPD', () => {
    it('is signed, delivered to the importing country, and acknowledged by its SPS_ACK', async () => {
      const certificate = `VN-PPD-T${process.pid}-1`;
      const ephyto = {
        ...WORKED_EPHYTO,
        certificateNumber: certificate,
        issuer: { name: 'Plant Protection Department, Viet Nam' },
        consignment: {
          ...WORKED_EPHYTO.consignment,
          consignor: { name: 'Tay Nguyen Coffee JSC' },
          consignee: { name: 'PT Kopi Nusantara' },
          exportCountry: { id: 'VN' as const },
          importCountry: { id: 'ID' as const },
        },
      };
      const issued = await call('POST', '/v1/certificates', ppd, ephyto);
      expect(issued.status, JSON.stringify(issued.json)).toBe(202);
      expect(issued.json).toMatchObject({ documentType: 'EPHYTO', partner: 'ID', status: 'ISSUED' });
      const seen = await waitFor(
        async () => (await call('GET', `/v1/certificates/${String(issued.json['id'])}`, ppd)).json as unknown as CertificateView,
        (certificateView) => certificateView.status === 'ACKNOWLEDGED',
      );
      expect(seen).toMatchObject({ direction: 'OUT', referenceNumber: certificate, agency: 'VN-PPD' });
      const sent = (await call('GET', `/v1/messages/${String(issued.json['messageId'])}`, officer)).json as unknown as Message;
      expect(ephytoCodec.read(readEnvelope(parseXml(sent.envelope)).body)).toEqual(ephyto);

      const byAnimalHealth = (query: string) =>
        fetch(`${swx.url}/v1/certificates${query}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${dah}`, 'Content-Type': 'application/xml' },
          body: ephytoCodec.write({ ...ephyto, certificateNumber: `${certificate}-X` }),
        });
      expect((await byAnimalHealth('?documentType=EPHYTO')).status).toBe(403);
      const readAsEah = await byAnimalHealth('');
      expect(readAsEah.status).toBe(422);
      expect(((await readAsEah.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ pointer: '/typeCode' })]);
    });
  });
});
