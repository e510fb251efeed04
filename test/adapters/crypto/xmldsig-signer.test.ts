import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { canonicalizeDocument } from '../../../src/adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../../../src/adapters/xml/parse-xml-tree.js';
import { childElements } from '../../../src/adapters/xml/xml-tree.js';
import type { XmlSigner } from '../../../src/core/primitives.js';
import { thrownCoreError } from '../../helpers/core-error.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { throwawayCredential } from '../../helpers/throwaway-credential.js';
import { xmlCryptoVerify } from '../../helpers/xml-crypto-verify.js';
import { xmlsec1Verify } from '../../helpers/xmlsec1.js';

const envelope = anEnvelope()
  .from('VN')
  .to('TH')
  .carrying('ACDD')
  .identifiedAs('0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45')
  .createdAt('2026-11-20T07:05:00.000Z')
  .unsigned('<ACDD xmlns="urn:swx:xsd:acdd:1"><Exporter>Công ty Thủy sản Cà Mau &amp; Co &lt;VN&gt;</Exporter><HsCode>0012</HsCode></ACDD>');
const tampered = (signed: string): string => signed.replace('<HsCode>0012</HsCode>', '<HsCode>0013</HsCode>');

describe('XmlDsigSigner', () => {
  for (const kind of ['rsa', 'ec'] as const) {
    describe(`with an ${kind === 'rsa' ? 'RSA-2048' : 'EC P-256'} key`, () => {
      const credential = throwawayCredential(kind);
      const signer = new XmlDsigSigner(credential.privateKeyPem, credential.certificatePem);
      const signed = signer.signSync(envelope);

      it('signs through the XmlSigner port as signSync does', async () => {
        const port: XmlSigner = signer;
        const result = new XmlDsigVerifier().verify(await port.sign(envelope), credential.certificatePem);
        expect(result.outcome).toBe('VALID');
        expect(result.signedXml).toBe(envelope);
        await expect(port.sign(`${envelope}\n`)).rejects.toThrow(/canonical element/);
      });

      it('appends one ds:Signature as the last child of the root and leaves the document otherwise unchanged', () => {
        const root = parseXmlTree(signed).root;
        expect(childElements(root).map((child) => child.qname)).toEqual(['Header', 'Body', 'ds:Signature']);
        expect(signed.startsWith(envelope.slice(0, -'</Envelope>'.length))).toBe(true);
      });

      it('writes the signed document in exclusive-C14N form', () => {
        expect(canonicalizeDocument(parseXmlTree(signed))).toBe(signed);
      });

      it('names the algorithms of the profile and carries the certificate in KeyInfo', () => {
        const method = kind === 'rsa' ? 'xmldsig-more#rsa-sha256' : 'xmldsig-more#ecdsa-sha256';
        expect(signed).toContain(`<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/${method}">`);
        expect(signed).toContain(
          '<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature">',
        );
        expect(signer.certificatePem).toBe(credential.certificatePem);
        const base64 = credential.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
        expect(signed).toContain(`<ds:X509Certificate>${base64}</ds:X509Certificate>`);
      });

      it('verifies with xmlsec1, and a tampered copy does not', () => {
        expect(xmlsec1Verify(signed, credential.certificatePath)).toMatchObject({ ok: true });
        expect(xmlsec1Verify(tampered(signed), credential.certificatePath).ok).toBe(false);
      });

      it('verifies with the strict verifier, which returns exactly the unsigned document as signed bytes', () => {
        const result = new XmlDsigVerifier().verify(signed, credential.certificatePem);
        expect(result.outcome).toBe('VALID');
        expect(result.signedXml).toBe(envelope);
        expect(new XmlDsigVerifier().verify(tampered(signed), credential.certificatePem).outcome).toBe('INVALID');
      });

      if (kind === 'rsa') {
        it('verifies with xml-crypto, and a tampered copy does not', () => {
          expect(xmlCryptoVerify(signed, credential.certificatePem)).toBe(true);
          expect(xmlCryptoVerify(tampered(signed), credential.certificatePem)).toBe(false);
        });
      }
    });
  }

  describe('construction', () => {
    const rsa = throwawayCredential('rsa');
    const other = throwawayCredential('rsa');

    it('refuses a certificate that is not the key’s', () => {
      expect(thrownCoreError(() => new XmlDsigSigner(rsa.privateKeyPem, other.certificatePem)).code).toBe('CONFIG_INVALID');
    });

    it('refuses an RSA key under 2048 bits', () => {
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const error = thrownCoreError(() => new XmlDsigSigner(weak, rsa.certificatePem));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('2048');
    });

    it('refuses a key that is not PEM', () => {
      expect(thrownCoreError(() => new XmlDsigSigner('not a key', rsa.certificatePem)).code).toBe('CONFIG_INVALID');
    });
  });

  describe('when the input is not one canonical element', () => {
    const credential = throwawayCredential('rsa');
    const signer = new XmlDsigSigner(credential.privateKeyPem, credential.certificatePem);
    for (const [defect, xml] of Object.entries({
      'an XML declaration': `<?xml version="1.0"?>${envelope}`,
      'trailing white space': `${envelope}\n`,
      'a mismatched end': '<Envelope xmlns="urn:x"></Other>',
    })) {
      it(`refuses ${defect}`, () => {
        expect(thrownCoreError(() => signer.signSync(xml)).code).toBe('INTERNAL');
      });
    }
  });
});
