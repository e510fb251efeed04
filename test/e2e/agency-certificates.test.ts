import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formDSpec, type FormD } from '../../message-schemas/form-d/1/schema.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { call } from '../helpers/api-client.js';
import { aFormD } from '../helpers/import-preference.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';
import { WORKED_EPHYTO } from '../helpers/sps-certificates.js';

/**
 * National agencies issue outbound certificates over real HTTP: an e-Form D signed and routed to Thailand's simulator,
 * which receipts it and reports its utilisation. On both runtimes (test/helpers/runtimes.ts).
 */

interface CertificateView {
  status: string;
  agency: string;
  partner: string;
  message: { messageId: string; ledgerIndex: number | null; delivery: string | null; receipted: boolean } | null;
  responses: { documentType: string; ledgerIndex: number | null }[];
  utilisation: { itemNumber: number; quantity: number; declarationNumber: string }[];
}

interface Message {
  envelope: string;
  receipt: string | null;
}

let serial = 0;

/** A Vietnamese e-Form D for coffee to Thailand, as the trade ministry (VN-MOIT-CO) issues it. */
function vietnameseFormD(changes: Partial<FormD> = {}): FormD {
  const base = aFormD(`VN-TH-26-${process.pid}-${(serial += 1)}`);
  return {
    ...base,
    issuingCountry: 'VN',
    importingCountry: 'TH',
    exporter: { name: 'Công ty TNHH Cà phê Tây Nguyên', address: '123 Lê Lợi, Quận 1, Thành phố Hồ Chí Minh, Việt Nam', country: 'VN' },
    consignee: { name: 'Siam Coffee Trading Co., Ltd.', address: '88 Sukhumvit Road, Bangkok 10110, Thailand', country: 'TH' },
    transport: { departureDate: base.issueDate, vesselOrFlight: 'IMO9321483', portOfLoading: 'VNSGN', portOfDischarge: 'THLCH' },
    items: [
      {
        itemNumber: 1,
        marks: 'TN/SCT/26',
        packageCount: 320,
        packageKind: 'bags',
        description: 'Robusta green coffee beans',
        hsCode: '090111',
        originCriteria: [{ code: 'WO' }],
        quantity: 19200,
        unit: 'KGM',
      },
    ],
    issuingAuthority: { name: 'Ministry of Industry and Trade, Certificate of Origin Office', place: 'Ho Chi Minh City' },
    ...changes,
  };
}

describe.each(RUNTIMES)('agencies issue outbound certificates (POST /v1/certificates), over HTTP with TH simulated, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let moit: string;
  let ppd: string;
  let officer: string;
  let trader: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [moit, ppd, officer, trader] = await Promise.all([
      swx.createKey('agency', 'VN-MOIT-CO'),
      swx.createKey('agency', 'VN-PPD'),
      swx.createKey('officer', 'customs-officer-1'),
      swx.createKey('trader', '0301234567'),
    ]);
  }, 60_000);
  afterAll(async () => swx?.close());

  async function issue(token: string, body: string, contentType = 'application/json', query = ''): Promise<Response> {
    return fetch(`${swx.url}/v1/certificates${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
      body,
    });
  }

  async function read(token: string, id: string): Promise<Response> {
    return fetch(`${swx.url}/v1/certificates/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  }

  /** The certificate once Thailand receipted it and reported its utilisation. */
  async function untilUtilised(id: string): Promise<CertificateView> {
    return waitFor(
      async () => (await (await read(moit, id)).json()) as CertificateView,
      (view) => view.status === 'UTILISED' && view.message?.receipted === true,
    );
  }

  it('signs and routes VN-MOIT-CO’s e-Form D to Thailand, and tracks delivery, receipt and the utilisation Thailand reports', async () => {
    const formD = vietnameseFormD();
    const response = await issue(moit, JSON.stringify(formD));
    expect(response.status).toBe(202);
    const issued = (await response.json()) as { id: string; status: string; partner: string; messageId: string; ledgerIndex: number };
    expect(issued).toMatchObject({ status: 'ISSUED', partner: 'TH', documentType: 'FORM_D', referenceNumber: formD.referenceNumber });
    expect(issued.ledgerIndex).toBeGreaterThanOrEqual(0);

    const settled = await untilUtilised(issued.id);
    expect(settled.message).toMatchObject({ messageId: issued.messageId, delivery: 'DELIVERED', receipted: true });
    // Thailand's signed receipt of the envelope's exact bytes.
    const message = await call<Message>(swx, officer, 'GET', `/v1/messages/${issued.messageId}`);
    expect(readReceipt(parseXml(message.body.receipt ?? ''))).toMatchObject({
      messageId: issued.messageId,
      from: { gatewayId: 'TH' },
      status: 'RECEIVED',
      envelopeDigest: createHash('sha256').update(message.body.envelope, 'utf8').digest('base64'),
    });
    expect(settled.responses).toEqual([expect.objectContaining({ documentType: 'FORM_D_STATUS' })]);
    expect(settled.utilisation).toEqual([
      expect.objectContaining({ itemNumber: 1, quantity: 19200, declarationNumber: expect.stringMatching(/^TH\d{12}$/) }),
    ]);
    const [entry] = await swx.query<{ bytes: Uint8Array }>('SELECT bytes FROM ledger_entries WHERE entry_index = ?', issued.ledgerIndex);
    expect(JSON.parse(Buffer.from(entry?.bytes ?? []).toString('utf8'))).toMatchObject({ type: 'CERTIFICATE_ISSUED', subject: issued.id });
  });

  it('takes the e-Form D as XML too', async () => {
    const response = await issue(moit, encodeDocumentXml(formDSpec, vietnameseFormD()), 'application/xml');
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    // Settled before the next test counts rows: Thailand's receipt and utilisation status are ledger entries too.
    await untilUtilised(id);
  });

  it('lists every invalid field (422) and writes nothing', async () => {
    const before = await swx.rowCounts();
    const response = await issue(moit, JSON.stringify({ ...vietnameseFormD(), items: [], issueDate: '2026-02-30' }));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string }[] };
    expect(problem.errors.map((error) => error.pointer).sort()).toEqual(['/issueDate', '/items']);
    expect(await swx.rowCounts()).toEqual(before);
  });

  it('refuses an e-Form D not issued in Viet Nam (422), a reference issued before (409), a partner that does not receive e-Form Ds (422), and a certificate for a gateway not live (409)', async () => {
    expect((await issue(moit, JSON.stringify(vietnameseFormD({ issuingCountry: 'TH', importingCountry: 'VN' })))).status).toBe(422);
    const once = vietnameseFormD();
    expect((await issue(moit, JSON.stringify(once))).status).toBe(202);
    const again = await issue(moit, JSON.stringify(once));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toMatch(/document-state-conflict$/);
    const toKorea = await issue(
      moit,
      JSON.stringify(vietnameseFormD({ importingCountry: 'KR', consignee: { name: 'Busan Coffee', address: 'Busan', country: 'KR' } })),
    );
    expect(toKorea.status).toBe(422);
    expect(((await toKorea.json()) as { detail: string }).detail).toBe("KR's gateway does not receive FORM_D");
    // New Zealand's gateway is planned (partners/nz.json): it will receive ePhytos, but nothing goes to it yet.
    const toNewZealand = await issue(
      ppd,
      JSON.stringify({
        ...WORKED_EPHYTO,
        certificateNumber: `VN-NZ-${process.pid}-${(serial += 1)}`,
        issuer: { name: 'Plant Protection Department, Viet Nam' },
        consignment: { ...WORKED_EPHYTO.consignment, exportCountry: { id: 'VN' }, importCountry: { id: 'NZ' } },
      }),
    );
    const notLive = (await toNewZealand.json()) as { type: string; detail: string };
    expect(toNewZealand.status, JSON.stringify(notLive)).toBe(409);
    expect(notLive.type).toMatch(/partner-not-live$/);
    expect(notLive.detail).toBe("NZ's gateway is planned, not live: nothing can be sent to it yet");
  });

  describe('role isolation', () => {
    it('lets an agency issue only its own domain’s certificates (403), and no trader at all', async () => {
      const asPlantProtection = await issue(ppd, JSON.stringify(vietnameseFormD()), 'application/json', '?documentType=FORM_D');
      expect(asPlantProtection.status).toBe(403);
      expect(((await asPlantProtection.json()) as { detail: string }).detail).toMatch(/^VN-PPD issues .*, not FORM_D$/);
      const xmlAsPlantProtection = await issue(ppd, encodeDocumentXml(formDSpec, vietnameseFormD()), 'application/xml');
      expect(xmlAsPlantProtection.status).toBe(403);
      // The same e-Form D as JSON, naming no type: refused as another domain's too, not read as an invalid ePhyto.
      const jsonAsPlantProtection = await issue(ppd, JSON.stringify(vietnameseFormD()));
      expect(jsonAsPlantProtection.status).toBe(403);
      expect(((await jsonAsPlantProtection.json()) as { detail: string }).detail).toMatch(/^VN-PPD issues .*, not FORM_D$/);
      expect((await issue(trader, JSON.stringify(vietnameseFormD()))).status).toBe(403);
    });

    it('shows a certificate to its own agency and to officers, and to no other agency (404)', async () => {
      const issued = (await (await issue(moit, JSON.stringify(vietnameseFormD()))).json()) as { id: string };
      expect((await read(moit, issued.id)).status).toBe(200);
      expect((await read(officer, issued.id)).status).toBe(200);
      expect((await read(ppd, issued.id)).status).toBe(404);
      expect((await read(trader, issued.id)).status).toBe(403);
    });
  });
});
