import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { call } from '../helpers/api-client.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';
import { anEphyto } from '../helpers/sps-certificates.js';

/**
 * An ePhyto whose PDF attachment makes its envelope 3 MB, received from Indonesia's gateway over real HTTP, then read
 * back byte for byte by an officer (the envelope) and the plant protection agency (the document). A Durable Object's
 * SQLite row holds 2 MB: on Workers both bodies live in R2 by digest and their rows hold a reference; on Node in the row.
 */
describe.each(RUNTIMES)('a 3 MB envelope on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let officer: string;
  let ppd: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_SIMULATORS: 'off' });
    officer = await swx.createKey('officer', 'GDVC');
    ppd = await swx.createKey('agency', 'VN-PPD');
  }, 120_000);
  afterAll(async () => swx?.close());

  it('is received with a receipt, and its envelope and certificate document read back whole', async () => {
    const pki = devPkiLayout(swx.pkiDir);
    const signer = new XmlDsigSigner(readFileSync(pki.gatewayKey('ID'), 'utf8'), readFileSync(pki.gatewayCertificate('ID'), 'utf8'));
    const certificateNumber = `ID-LARGE-${process.pid}-${runtime}`;
    const attachment = { filename: 'inspection.pdf', mimeCode: 'application/pdf', content: randomBytes(2_250_000).toString('base64') };
    const ephyto = anEphyto(certificateNumber, { referencedDocuments: [{ id: `${certificateNumber}-PDF`, typeCode: '916', attachment }] });
    const header = anEnvelope().from('ID').carrying('EPHYTO', 'SUBMIT');
    const envelope = header.signedBy(signer, ephyto);
    expect(Buffer.byteLength(envelope)).toBeGreaterThan(3_000_000);

    const received = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: envelope });
    const receipt = await received.text();
    expect(received.status, receipt).toBe(200);
    expect(receipt).toContain('RECEIVED');

    const { messageId } = header.header();
    const message = await call<{ envelope: string; digest: string }>(swx, officer, 'GET', `/v1/messages/${messageId}`);
    expect(message.status).toBe(200);
    expect(message.body.envelope).toBe(envelope);
    expect(message.body.digest).toBe(createHash('sha256').update(envelope).digest('base64'));

    const listed = await call<{ items: { id: string; referenceNumber: string }[] }>(swx, ppd, 'GET', '/v1/certificates?status=RECEIVED');
    const id = listed.body.items.find((each) => each.referenceNumber === certificateNumber)?.id;
    const certificate = await call<{ document: { referencedDocuments: { attachment?: { content: string } }[] } }>(
      swx,
      ppd,
      'GET',
      `/v1/certificates/${id}`,
    );
    expect(certificate.body.document.referencedDocuments[0]?.attachment?.content).toBe(attachment.content);

    const [row] = await swx.query<{ bytes: number }>('SELECT length(CAST(envelope AS BLOB)) AS bytes FROM messages WHERE message_id = ?', messageId);
    if (runtime === 'workers') expect(row?.bytes).toBeLessThan(100);
    else expect(row?.bytes).toBe(Buffer.byteLength(envelope));
  }, 60_000);
});
