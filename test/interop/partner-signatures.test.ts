import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../message-schemas/receipt/1/schema.js';
import { XMLDSIG } from '../../src/adapters/crypto/xmldsig-algorithms.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { call } from '../helpers/api-client.js';
import { emptySignature, signatureOf, signatureTemplate, type SignatureTemplateOptions } from '../helpers/hostile-envelopes.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { signTemplate } from '../helpers/signature-profiles.js';
import { throwawayCredential } from '../helpers/throwaway-credential.js';
import { xmlsec1Sign, xmlsec1Verify } from '../helpers/xmlsec1.js';

/**
 * Issue 10, over real HTTP. "Signatures": a partner file's signatureProfiles decide which profiles its envelopes
 * may use. "Signed certificates are carried": an ePhyto signed by its issuing NPPO (an enveloped ds:Signature inside
 * the SPSCertificate, as Santuario signs by default: enveloped-signature alone, C14N 1.0), its bytes wrapped as they
 * are in an envelope signed by Indonesia's gateway with xmlsec1, posted over real HTTP. The envelope's verdict is its
 * own; the NPPO signature is a check recorded on the certificate and in the ledger.
 */

const EXAMPLE = new URL('../../message-schemas/ephyto/1/examples/valid-id-worked-example.xml', import.meta.url);
const WORKED_NUMBER = 'ID-EPHYTO-2026-000458';
const ENVELOPE_SIGNATURE = "/*/*[local-name()='Signature' and namespace-uri()='http://www.w3.org/2000/09/xmldsig#']";
const nppo = throwawayCredential('rsa', 'Barantin NPPO of Indonesia');
const otherNppo = throwawayCredential('rsa', 'another NPPO');
let swx: TestService;
let ppd: string;
let serial = 0;

beforeAll(async () => {
  const partnersDir = partnersDirWith({
    ID: {
      nppoCertificates: [{ certificateFile: nppo.certificatePath }],
      signatureProfiles: { transforms: ['enveloped+exc-c14n'], canonicalization: ['exc-c14n'] },
    },
  });
  swx = await startTestService({ SWX_SIMULATORS: 'off', SWX_PARTNERS_DIR: partnersDir });
  ppd = await swx.createKey('agency', 'VN-PPD');
}, 60_000);
afterAll(async () => swx?.close());

/** The worked ePhyto as the NPPO's system writes it (prefixes declared on the root, indentation), signed by `signer`. */
function nppoSignedEphyto(signer = nppo): { number: string; xml: string } {
  serial += 1;
  const number = `ID-NPPO-T${process.pid}-${serial}`;
  const unsigned = readFileSync(EXAMPLE, 'utf8')
    .replace(/^<\?xml[^>]*\?>\s*/, '')
    .replaceAll(WORKED_NUMBER, number);
  const template = signatureTemplate(unsigned, { c14nTransform: null, canonicalization: XMLDSIG.inclusiveC14n });
  return { number, xml: xmlsec1Sign(template, signer.keyPath, signer.certificatePath).replace(/^<\?xml[^>]*\?>\s*/, '') };
}

/** An envelope from ID carrying `ephyto`'s bytes unchanged, signed by ID's gateway key with xmlsec1 (`options`: the profile). */
function envelopeFromId(ephyto: string, options: SignatureTemplateOptions = {}): string {
  const pki = devPkiLayout(join(swx.dataDir, 'pki'));
  const id = randomUUID();
  const template = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:swx:xsd:envelope:1">
  <Header><MessageId>${id}</MessageId><ConversationId>${id}</ConversationId>
    <From><GatewayId>ID</GatewayId><Country>ID</Country></From><To><GatewayId>VN</GatewayId><Country>VN</Country></To>
    <DocumentType>EPHYTO</DocumentType><DocumentVersion>1</DocumentVersion><Action>SUBMIT</Action><CreatedAt>${new Date().toISOString()}</CreatedAt></Header>
  <Body>${ephyto}</Body>
  ${emptySignature(options)}
</Envelope>
`;
  // xmlsec1 signs the first ds:Signature it meets unless told which: the envelope's is the root's last child.
  return xmlsec1Sign(template, pki.gatewayKey('ID'), pki.gatewayCertificate('ID'), ['--node-xpath', ENVELOPE_SIGNATURE]);
}

async function post(envelope: string): Promise<{ status: number; receipt: Receipt }> {
  const response = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: envelope });
  return { status: response.status, receipt: readReceipt(parseXml(await response.text())) };
}

interface IssuerSignature {
  status: string;
  signer?: string;
  message: string;
}

async function issuerSignatureOf(number: string): Promise<IssuerSignature | null> {
  const [row] = swx.query<{ id: string }>('SELECT id FROM certificates WHERE reference_number = ?', number);
  const view = await call<{ issuerSignature: IssuerSignature | null }>(swx, ppd, 'GET', `/v1/certificates/${row?.id ?? 'none'}`);
  expect(view.status).toBe(200);
  return view.body.issuerSignature;
}

async function ledgerData(index: number): Promise<Record<string, unknown>> {
  const answer = await call<{ entries: { data: Record<string, unknown> }[] }>(
    swx,
    swx.adminToken,
    'GET',
    `/v1/ledger/entries?start=${index}&end=${index}`,
  );
  return answer.body.entries[0]?.data ?? {};
}

describe('an ePhyto signed by its NPPO, in an envelope signed by the partner gateway', () => {
  it('is accepted; the NPPO signature is VALID on the certificate and in the ledger entry', async () => {
    const { number, xml } = nppoSignedEphyto();
    expect(xmlsec1Verify(xml, nppo.certificatePath).ok).toBe(true);
    const sent = await post(envelopeFromId(xml));
    expect(sent.receipt.errors).toEqual([]);
    expect(sent.status).toBe(200);
    expect(sent.receipt.status).toBe('RECEIVED');
    const check = await issuerSignatureOf(number);
    expect(check).toMatchObject({ status: 'VALID', signer: expect.stringContaining('Barantin NPPO of Indonesia') });
    expect((await ledgerData(sent.receipt.ledgerIndex as number))['issuerSignature']).toMatchObject({ status: 'VALID' });
  });

  it('is accepted with UNKNOWN_SIGNER when signed by an NPPO key the partner file does not list', async () => {
    const { number, xml } = nppoSignedEphyto(otherNppo);
    const sent = await post(envelopeFromId(xml));
    expect(sent.receipt.status).toBe('RECEIVED');
    expect(await issuerSignatureOf(number)).toMatchObject({ status: 'UNKNOWN_SIGNER', signer: expect.stringContaining('another NPPO') });
  });

  it('is accepted with INVALID when its content was changed after the NPPO signed it and the envelope signed again', async () => {
    const { number, xml } = nppoSignedEphyto();
    const tampered = xml.replace('PT Nusantara Agro Ekspor', 'PT Someone Else');
    expect(tampered).not.toBe(xml);
    const sent = await post(envelopeFromId(tampered));
    expect(sent.receipt.status).toBe('RECEIVED');
    expect(await issuerSignatureOf(number)).toMatchObject({
      status: 'INVALID',
      message: expect.stringContaining('changed after its issuer signed it'),
    });
  });

  it('has no issuer signature check when the ePhyto carries no signature', async () => {
    const { number, xml } = nppoSignedEphyto();
    const sent = await post(envelopeFromId(xml.replace(signatureOf(xml), '')));
    expect(sent.receipt.status).toBe('RECEIVED');
    expect(await issuerSignatureOf(number)).toBeNull();
  });

  describe('wrapping: the NPPO signature moved after the envelope was signed', () => {
    const cases: Record<string, (envelope: string, inner: string) => string> = {
      'to the Body, after the ePhyto': (envelope, inner) => envelope.replace(inner, '').replace('</Body>', `${inner}</Body>`),
      'into the Header': (envelope, inner) => envelope.replace(inner, '').replace('</Header>', `${inner}</Header>`),
      'out of the ePhyto, a copy left in place': (envelope, inner) => envelope.replace('</Body>', `${inner}</Body>`),
    };
    for (const [name, move] of Object.entries(cases)) {
      it(`is refused: ${name}`, async () => {
        const { number, xml } = nppoSignedEphyto();
        const envelope = envelopeFromId(xml);
        const sent = await post(move(envelope, signatureOf(xml)));
        expect(sent.receipt.status).toBe('REJECTED');
        // A Header with anything but its fields is refused as read, before the signature.
        expect(sent.receipt.errors[0]?.code).toMatch(/^(SIGNATURE_PROFILE_VIOLATION|SIGNATURE_INVALID|VALIDATION_FAILED)$/);
        expect(swx.query('SELECT id FROM certificates WHERE reference_number = ?', number)).toEqual([]);
      });
    }
  });
});

describe('a partner file restricting signature profiles (ID: exc-C14N only)', () => {
  it('refuses an envelope signed in another profile, naming the partner file field', async () => {
    const { number, xml } = nppoSignedEphyto();
    const sent = await post(envelopeFromId(xml, { c14nTransform: null, canonicalization: XMLDSIG.inclusiveC14n }));
    expect(sent.status).toBe(400);
    expect(sent.receipt.errors[0]).toMatchObject({
      code: 'SIGNATURE_PROFILE_VIOLATION',
      message: expect.stringContaining('signatureProfiles do not allow'),
    });
    expect(swx.query('SELECT id FROM certificates WHERE reference_number = ?', number)).toEqual([]);
  });
});

describe('the NPPO signature check, at the verifier', () => {
  const verifier = new XmlDsigVerifier();
  const gateway = throwawayCredential('rsa', 'ID gateway');
  const wrap = (ephyto: string) =>
    signTemplate(`<Envelope xmlns="urn:swx:xsd:envelope:1"><Header/><Body>${ephyto}</Body>${emptySignature()}</Envelope>`, gateway);

  it('is UNKNOWN_SIGNER when no NPPO certificate is listed, and the envelope stays VALID', () => {
    const result = verifier.verify(wrap(nppoSignedEphyto().xml), gateway.certificatePem);
    expect(result.outcome).toBe('VALID');
    expect(result.payloadSignature).toMatchObject({ status: 'UNKNOWN_SIGNER' });
  });

  it('is VALID without KeyInfo by trying each listed certificate, and INVALID when the signature value is not the listed key’s', () => {
    const { xml } = nppoSignedEphyto();
    const withoutKeyInfo = xml.replace(/<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/, '');
    const certificates = [otherNppo.certificatePem, nppo.certificatePem];
    expect(verifier.verify(wrap(withoutKeyInfo), gateway.certificatePem, { payloadCertificates: certificates }).payloadSignature?.status).toBe(
      'VALID',
    );
    const forged = xml.replace(/(<ds:SignatureValue>)[A-Za-z0-9+/]{4}/, '$1AAAA');
    expect(verifier.verify(wrap(forged), gateway.certificatePem, { payloadCertificates: certificates }).payloadSignature?.status).toBe('INVALID');
  });

  it('gives no check when the envelope is not VALID', () => {
    const result = verifier.verify(wrap(nppoSignedEphyto().xml).replace('PT Nusantara', 'PT Other'), gateway.certificatePem, {
      payloadCertificates: [nppo.certificatePem],
    });
    expect(result.outcome).toBe('INVALID');
    expect(result.payloadSignature).toBeUndefined();
  });
});
