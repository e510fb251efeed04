import { describe, expect, it } from 'vitest';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import type { SignatureVerifier } from '../../../src/core/verify/signature-verifier.js';
import { XMLDSIG } from '../../../src/adapters/crypto/xmldsig-algorithms.js';
import { firstFailure } from '../../../src/core/verify/verification-report.js';
import { emptySignature } from '../../helpers/hostile-envelopes.js';
import { signTemplate } from '../../helpers/signature-profiles.js';
import { throwawayCredential } from '../../helpers/throwaway-credential.js';

const rsa = throwawayCredential('rsa');
const ec = throwawayCredential('ec');
const document = '<Receipt xmlns="urn:swx:xsd:receipt:1"><ReceiptId>r-1</ReceiptId><Note>ACME Trading</Note></Receipt>';
const signed = new XmlDsigSigner(rsa.privateKeyPem, rsa.certificatePem).signSync(document);
const verifier = new XmlDsigVerifier();
const statuses = (xml: string, pem = rsa.certificatePem): Record<string, string> =>
  Object.fromEntries(verifier.verify(xml, pem).checks.map((check) => [check.name, check.status]));

describe('XmlDsigVerifier', () => {
  it('satisfies the SignatureVerifier port', () => {
    const port: SignatureVerifier = verifier;
    expect(port.verify(signed, rsa.certificatePem).outcome).toBe('VALID');
  });

  it('reports every check, in order, and the signed bytes when valid', () => {
    const result = verifier.verify(signed, rsa.certificatePem);
    expect(result).toEqual({
      outcome: 'VALID',
      signedXml: document,
      checks: [
        { name: 'well-formed', status: 'VALID' },
        { name: 'signature-profile', status: 'VALID' },
        { name: 'key-info-certificate', status: 'VALID' },
        { name: 'reference-digest', status: 'VALID' },
        { name: 'signature-value', status: 'VALID' },
      ],
    });
  });

  it('skips the KeyInfo check when there is no KeyInfo', () => {
    const withoutKeyInfo = signed.replace(/<ds:KeyInfo>.*<\/ds:KeyInfo>/, '');
    expect(statuses(withoutKeyInfo)).toEqual({
      'well-formed': 'VALID',
      'signature-profile': 'VALID',
      'key-info-certificate': 'SKIPPED',
      'reference-digest': 'VALID',
      'signature-value': 'VALID',
    });
    expect(verifier.verify(withoutKeyInfo, rsa.certificatePem).outcome).toBe('VALID');
  });

  it('skips every later check when the XML is malformed, and gives no signed bytes', () => {
    const result = verifier.verify(signed.slice(0, -3), rsa.certificatePem);
    expect(result.outcome).toBe('INVALID');
    expect(result.signedXml).toBeUndefined();
    expect(result.checks.map((check) => check.status)).toEqual(['INVALID', 'SKIPPED', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(result.checks[0]?.reason?.code).toBe('MALFORMED_REQUEST');
  });

  it('reports ERROR, not INVALID, when the pinned certificate cannot be read', () => {
    const result = verifier.verify(signed, 'not a certificate');
    expect(result.outcome).toBe('ERROR');
    expect(statuses(signed, 'not a certificate')).toMatchObject({
      'key-info-certificate': 'ERROR',
      'signature-value': 'ERROR',
      'reference-digest': 'VALID',
    });
    expect(result.checks.find((check) => check.status === 'ERROR')?.reason?.code).toBe('INTERNAL');
  });

  it('verifies ECDSA signatures with a pinned P-256 certificate, and refuses them against an RSA one', () => {
    const ecSigned = new XmlDsigSigner(ec.privateKeyPem, ec.certificatePem).signSync(document);
    expect(verifier.verify(ecSigned, ec.certificatePem).outcome).toBe('VALID');
    const withoutKeyInfo = ecSigned.replace(/<ds:KeyInfo>.*<\/ds:KeyInfo>/, '');
    const mismatch = verifier.verify(withoutKeyInfo, rsa.certificatePem);
    expect(mismatch.checks.find((check) => check.name === 'signature-value')?.reason?.code).toBe('SIGNATURE_INVALID');
  });

  it('gives the signed bytes without comments, so a comment inserted after signing cannot cut a value short', () => {
    const commented = signed.replace('<Note>ACME Trading</Note>', '<Note>ACME<!-- inserted --> Trading</Note>');
    const result = verifier.verify(commented, rsa.certificatePem);
    expect(result.outcome).toBe('VALID');
    expect(result.signedXml).toBe(document);
    expect(parseXml(result.signedXml ?? '').value).toMatchObject({ Note: 'ACME Trading' });
  });

  describe('a reference to the root by Id', () => {
    const byId = (attribute: string) =>
      signTemplate(
        `<Receipt xmlns="urn:swx:xsd:receipt:1" ${attribute}="r1"><ReceiptId>r-1</ReceiptId>${emptySignature({ uri: '#r1' })}</Receipt>`,
        rsa,
      );

    it('accepts Id, ID and id on the root', () => {
      for (const attribute of ['Id', 'ID', 'id']) expect(verifier.verify(byId(attribute), rsa.certificatePem).outcome).toBe('VALID');
    });

    it('refuses an Id another element also carries, as Id, ID, id or xml:id', () => {
      for (const other of [' Id="r1"', ' ID="r1"', ' id="r1"', ' xml:id="r1"']) {
        const shared = byId('Id').replace('<ReceiptId>', `<ReceiptId${other}>`);
        expect(firstFailure(verifier.verify(shared, rsa.certificatePem))?.reason?.message).toContain('not unique');
      }
    });

    it('refuses an Id attribute with a prefix, and an XPointer', () => {
      const prefixed = byId('Id').replace(' Id="r1"', ' xmlns:p="urn:p" p:Id="r1"');
      expect(firstFailure(verifier.verify(prefixed, rsa.certificatePem))?.reason?.code).toBe('SIGNATURE_PROFILE_VIOLATION');
      expect(firstFailure(verifier.verify(byId('Id').replace('URI="#r1"', 'URI="#xpointer(/)"'), rsa.certificatePem))?.reason?.code).toBe(
        'SIGNATURE_PROFILE_VIOLATION',
      );
    });
  });

  describe('InclusiveNamespaces', () => {
    const withPrefixes = (list: string) =>
      `<Receipt xmlns="urn:swx:xsd:receipt:1"><ReceiptId>r-1</ReceiptId>${emptySignature({ transformPrefixList: list })}</Receipt>`;

    it('refuses more than 32 prefixes, and a PrefixList on a C14N 1.0 transform', () => {
      const many = Array.from({ length: 33 }, (_, i) => `p${i}`).join(' ');
      expect(
        firstFailure(verifier.verify(signTemplate(withPrefixes('a'), rsa).replace('PrefixList="a"', `PrefixList="${many}"`), rsa.certificatePem))
          ?.reason?.message,
      ).toContain('at most 32');
      const inclusive = signTemplate(withPrefixes('a'), rsa).replace(
        `<ds:Transform Algorithm="${XMLDSIG.exclusiveC14n}">`,
        `<ds:Transform Algorithm="${XMLDSIG.inclusiveC14n}">`,
      );
      expect(firstFailure(verifier.verify(inclusive, rsa.certificatePem))?.reason?.message).toContain('for exc-C14N only');
    });
  });
});
