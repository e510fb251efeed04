import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eahCodec } from '../../message-schemas/eah/1/schema.js';
import type { Ephyto } from '../../message-schemas/ephyto/1/schema.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../message-schemas/receipt/1/schema.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import type { DocumentType } from '../../src/core/document/document-type.js';
import { call } from '../helpers/api-client.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';
import { anEphyto, anEphytoFile, CHICKEN_EAH, WORKED_EPHYTO } from '../helpers/sps-certificates.js';
import { xmlsec1Verify } from '../helpers/xmlsec1.js';

/**
 * Issue 10, "Accept with warnings": an SPS certificate whose defects do not touch its meaning is RECEIVED, the
 * signed receipt lists the warnings, the ledger entry records them (bounded), and the certificate view shows them;
 * a structural defect is still refused. Over real HTTP, with partners' development keys and xmlsec1 checking swx's signature,
 * on both runtimes (test/helpers/runtimes.ts).
 */

interface Warning {
  code: string;
  pointer?: string | undefined;
  message: string;
}
interface Sent {
  status: number;
  messageId: string;
  receipt: Receipt;
}

describe.each(RUNTIMES)('SPS certificates accepted with warnings, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let ppd: string;
  let dah: string;
  let vnCertificate: string;
  let serial = 0;
  const number = (country: string) => `${country}-WARN-T${process.pid}-${(serial += 1)}`;

  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_SIMULATORS: 'off' });
    ppd = await swx.createKey('agency', 'VN-PPD');
    dah = await swx.createKey('agency', 'VN-DAH');
    vnCertificate = devPkiLayout(swx.pkiDir).gatewayCertificate('VN');
  }, 60_000);
  afterAll(async () => swx?.close());

  /** Sends a document as partner gateway `partnerId` (signed with its development key); xmlsec1 verifies swx's receipt with VN's certificate. */
  async function send(partnerId: 'ID' | 'TH', documentType: DocumentType, bodyXml: string): Promise<Sent> {
    const pki = devPkiLayout(swx.pkiDir);
    const signer = new XmlDsigSigner(readFileSync(pki.gatewayKey(partnerId), 'utf8'), readFileSync(pki.gatewayCertificate(partnerId), 'utf8'));
    const envelope = anEnvelope().from(partnerId).carrying(documentType, 'SUBMIT');
    const { messageId } = envelope.header();
    const response = await fetch(`${swx.url}/v1/exchange`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml' },
      body: envelope.signedBy(signer, bodyXml),
    });
    const xml = await response.text();
    const verdict = xmlsec1Verify(xml, vnCertificate);
    expect(verdict.ok, verdict.message).toBe(true);
    return { status: response.status, messageId, receipt: readReceipt(parseXml(xml)) };
  }

  /** The worked ePhyto with a PDF attachment that is not base64 and item 1's net weight in "kilograms". */
  function anEphytoWithDefects(certificateNumber: string): string {
    const [first, ...rest] = WORKED_EPHYTO.consignment.items;
    if (first === undefined) throw new Error('the worked ePhyto has items');
    const changes: Partial<Ephyto> = {
      referencedDocuments: [
        {
          id: `${certificateNumber}-PDF`,
          typeCode: '916',
          attachment: { filename: 'certificate.pdf', mimeCode: 'application/pdf', content: 'not-base64!' },
        },
      ],
      consignment: { ...WORKED_EPHYTO.consignment, items: [{ ...first, netWeight: { value: 12000, unitCode: 'kilograms' } }, ...rest] },
    };
    return anEphyto(certificateNumber, changes);
  }

  async function ledgerEntry(index: number): Promise<{ type: string; subject: string; data: Record<string, unknown> }> {
    const answer = await call<{ entries: { type: string; subject: string; data: Record<string, unknown> }[] }>(
      swx,
      swx.adminToken,
      'GET',
      `/v1/ledger/entries?start=${index}&end=${index}`,
    );
    const [entry] = answer.body.entries;
    if (entry === undefined) throw new Error(`no ledger entry ${index}`);
    return entry;
  }

  async function certificateView(messageId: string, token: string): Promise<{ status: number; body: { status: string; warnings: Warning[] } }> {
    const [row] = await swx.query<{ id: string }>('SELECT id FROM certificates WHERE message_id = ?', messageId);
    return call(swx, token, 'GET', `/v1/certificates/${row?.id ?? 'none'}`);
  }

  const codesAndPointers = (warnings: readonly Warning[] | undefined) =>
    (warnings ?? []).map((warning) => `${warning.code} ${warning.pointer ?? ''}`);

  describe('an ePhyto with defects that do not touch its meaning', () => {
    it('is RECEIVED; the signed receipt, the ledger entry and the certificate view list the warnings', async () => {
      const sent = await send('ID', 'EPHYTO', anEphytoWithDefects(number('ID')));
      expect(sent.status).toBe(200);
      const expected = [
        'ATTACHMENT_NOT_BASE64 /referencedDocuments/0/attachment/content',
        'UNIT_CODE_UNKNOWN /consignment/items/0/netWeight/unitCode',
      ];
      expect(sent.receipt).toMatchObject({ status: 'RECEIVED', errors: [], ledgerIndex: expect.any(Number) });
      expect(codesAndPointers(sent.receipt.warnings)).toEqual(expected);
      expect(sent.receipt.warnings?.[1]?.message).toBe('"kilograms" is not a UN/ECE Recommendation 20 unit code (such as KGM)');

      const entry = await ledgerEntry(sent.receipt.ledgerIndex as number);
      expect(entry).toMatchObject({
        type: 'DOCUMENT_RECEIVED',
        subject: sent.messageId,
        data: { documentType: 'EPHYTO', routedTo: 'VN-PPD', warningCount: 2 },
      });
      expect(entry.data['warnings']).toEqual(sent.receipt.warnings);

      const view = await certificateView(sent.messageId, ppd);
      expect(view.status).toBe(200);
      expect(view.body.status).toBe('RECEIVED');
      expect(view.body.warnings).toEqual(sent.receipt.warnings);
    });

    it('is RECEIVED with unreadable texts, as a partner’s system wrote it', async () => {
      const sent = await send('ID', 'EPHYTO', anEphytoFile('ephyto/1/examples/valid-with-warning-unreadable-text.xml', number('ID')));
      expect(sent.receipt.status).toBe('RECEIVED');
      expect(codesAndPointers(sent.receipt.warnings)).toEqual([
        'TEXT_UNREADABLE /consignment/consignor/name',
        'TEXT_UNREADABLE /consignment/items/1/descriptions/0',
      ]);
    });

    it('bounds what the receipt and the ledger list; the certificate view shows every warning', async () => {
      const [first] = WORKED_EPHYTO.consignment.items;
      if (first === undefined) throw new Error('the worked ePhyto has items');
      const items = Array.from({ length: 25 }, (_, index) => ({ ...first, sequence: index, netWeight: { value: 100, unitCode: `kg${index}` } }));
      const sent = await send('ID', 'EPHYTO', anEphyto(number('ID'), { consignment: { ...WORKED_EPHYTO.consignment, items } }));
      expect(sent.receipt.status).toBe('RECEIVED');
      expect(sent.receipt.warnings).toHaveLength(21);
      expect(sent.receipt.warnings?.at(-1)).toEqual({ code: 'WARNINGS_NOT_LISTED', message: '… and 5 more warnings' });
      const entry = await ledgerEntry(sent.receipt.ledgerIndex as number);
      expect(entry.data['warningCount']).toBe(25);
      expect(entry.data['warnings']).toHaveLength(20);
      expect((await certificateView(sent.messageId, ppd)).body.warnings).toHaveLength(25);
    });

    it('is still REJECTED for a structural defect, with no warnings and no certificate', async () => {
      const sent = await send('ID', 'EPHYTO', anEphytoFile('ephyto/1/examples/invalid-consignor-in-rsm-namespace.xml', number('ID')));
      expect(sent.status).toBe(422);
      expect(sent.receipt).toMatchObject({
        status: 'REJECTED',
        errors: [expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining('/consignment/consignor: ') })],
      });
      expect(sent.receipt).not.toHaveProperty('warnings');
      expect(await swx.query('SELECT id FROM certificates WHERE message_id = ?', sent.messageId)).toEqual([]);
    });

    it('is RECEIVED without warnings when it has no defect: the receipt has no Warning element', async () => {
      const sent = await send('ID', 'EPHYTO', anEphyto(number('ID')));
      expect(sent.receipt.status).toBe('RECEIVED');
      expect(sent.receipt).not.toHaveProperty('warnings');
      expect((await ledgerEntry(sent.receipt.ledgerIndex as number)).data).not.toHaveProperty('warnings');
      expect((await certificateView(sent.messageId, ppd)).body.warnings).toEqual([]);
    });
  });

  describe('an e-AH with defects that do not touch its meaning', () => {
    it('is RECEIVED with its warnings, shown to VN-DAH', async () => {
      const eah = {
        ...CHICKEN_EAH,
        certificateNumber: number('TH'),
        consignment: { ...CHICKEN_EAH.consignment, transitCountries: [{ id: 'Malaysia' }] },
      };
      const sent = await send('TH', 'EAH', eahCodec.write(eah));
      expect(sent.receipt.status).toBe('RECEIVED');
      expect(codesAndPointers(sent.receipt.warnings)).toEqual(['COUNTRY_CODE_UNKNOWN /consignment/transitCountries/0/id']);
      expect(codesAndPointers((await certificateView(sent.messageId, dah)).body.warnings)).toEqual([
        'COUNTRY_CODE_UNKNOWN /consignment/transitCountries/0/id',
      ]);
    });
  });

  describe('an ePhyto VN-PPD issues', () => {
    it('is refused (422, naming each field) with a defect swx would accept from a partner only with a warning', async () => {
      const [first, ...rest] = WORKED_EPHYTO.consignment.items;
      if (first === undefined) throw new Error('the worked ePhyto has items');
      const ephyto = {
        ...WORKED_EPHYTO,
        certificateNumber: number('VN'),
        consignment: {
          ...WORKED_EPHYTO.consignment,
          exportCountry: { id: 'VN' },
          importCountry: { id: 'ID' },
          items: [{ ...first, netWeight: { value: 12000, unitCode: 'kilograms' } }, ...rest],
        },
      };
      const answer = await call<{ code: string; errors: { pointer: string; detail: string }[] }>(swx, ppd, 'POST', '/v1/certificates', ephyto);
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([
        { pointer: '/consignment/items/0/netWeight/unitCode', detail: expect.stringContaining('(UNIT_CODE_UNKNOWN)') },
      ]);
      expect(await swx.query('SELECT id FROM certificates WHERE reference_number = ?', ephyto.certificateNumber)).toEqual([]);
    });
  });
});
