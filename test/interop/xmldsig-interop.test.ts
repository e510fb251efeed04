import { describe, expect, it } from 'vitest';
import { XMLDSIG } from '../../src/adapters/crypto/xmldsig-algorithms.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import type { CoreErrorCode } from '../../src/core/errors.js';
import { firstFailure } from '../../src/core/verify/verification-report.js';
import { readEnvelope } from '../../message-schemas/envelope/1/build.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { throwawayCredential } from '../helpers/throwaway-credential.js';
import { xmlCryptoVerify } from '../helpers/xml-crypto-verify.js';
import {
  certificateBase64Of,
  doctypeWithEntity,
  emptySignature,
  keyInfoCertificateReplaced,
  payloadChangedAfterSigning,
  signatureOf,
  signedCopyMovedUnderExtension,
  twoSignatures,
  type SignatureTemplateOptions,
} from '../helpers/hostile-envelopes.js';
import { xmlsec1Sign, xmlsec1Verify } from '../helpers/xmlsec1.js';

const partner = throwawayCredential('rsa', 'TH gateway');
const attacker = throwawayCredential('rsa', 'attacker');
const partnerEc = throwawayCredential('ec', 'MY gateway');
const verifier = new XmlDsigVerifier();

const envelope = anEnvelope()
  .from('TH')
  .carrying('CUSTOMS_RESPONSE')
  .identifiedAs('TH-2026-000042', '0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45')
  .createdAt('2026-11-20T07:09:12.000Z')
  .unsigned('<CustomsResponse xmlns="urn:swx:xsd:customs-response:1"><Status>CLEARED</Status></CustomsResponse>');
const swxSigned = new XmlDsigSigner(partner.privateKeyPem, partner.certificatePem).signSync(envelope);

/**
 * A partner's envelope as another implementation writes it: declaration, indentation, prefixes, an empty
 * signature to fill. A reference `uri` also gives the Body an Id to point at.
 */
function template(options: SignatureTemplateOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="urn:swx:xsd:envelope:1" xmlns:unused="urn:example:unused">
  <env:Header>
    <env:MessageId>TH-2026-000043</env:MessageId>
    <env:ConversationId>0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45</env:ConversationId>
    <env:From><env:GatewayId>TH</env:GatewayId><env:Country>TH</env:Country></env:From>
    <env:To><env:GatewayId>VN</env:GatewayId><env:Country>VN</env:Country></env:To>
    <env:DocumentType>FORM_D</env:DocumentType>
    <env:DocumentVersion>1</env:DocumentVersion>
    <env:Action>SUBMIT</env:Action>
    <env:CreatedAt>2026-11-20T07:09:12Z</env:CreatedAt>
  </env:Header>
  <env:Body${options.uri === undefined ? '' : ' Id="body"'}>
    <fd:FormD xmlns:fd="urn:swx:xsd:form-d:1" fd:issued="2026-11-19"><fd:Exporter>Thai Rice &amp; Co. — ข้าวหอมมะลิ</fd:Exporter><fd:HsCode>100630</fd:HsCode></fd:FormD>
  </env:Body>
  ${emptySignature(options)}
</env:Envelope>
`;
}

describe('XML-DSig interoperability', () => {
  describe('documents signed by swx', () => {
    it('verify with xmlsec1 and xml-crypto', () => {
      expect(xmlsec1Verify(swxSigned, partner.certificatePath).ok).toBe(true);
      expect(xmlCryptoVerify(swxSigned, partner.certificatePem)).toBe(true);
    });

    it('do not verify with either once tampered', () => {
      const tampered = swxSigned.replace('<Status>CLEARED</Status>', '<Status>REJECTED</Status>');
      expect(xmlsec1Verify(tampered, partner.certificatePath).ok).toBe(false);
      expect(xmlCryptoVerify(tampered, partner.certificatePem)).toBe(false);
    });
  });

  describe('documents signed by xmlsec1 from a template', () => {
    const cases = {
      'RSA-SHA256, ds: prefix': { credential: partner, template: template() },
      'RSA-SHA256, ds in the default namespace': { credential: partner, template: template({ signatureElement: 'default' }) },
      'ECDSA-SHA256': { credential: partnerEc, template: template({ method: XMLDSIG.ecdsaSha256 }) },
    };
    for (const [name, { credential, template: unsigned }] of Object.entries(cases)) {
      it(`verify with the strict verifier (${name}), which returns the canonical signed envelope`, () => {
        const signed = xmlsec1Sign(unsigned, credential.keyPath, credential.certificatePath);
        const result = verifier.verify(signed, credential.certificatePem);
        expect(result.checks.filter((check) => check.status !== 'VALID')).toEqual([]);
        expect(result.outcome).toBe('VALID');
        const { header: read, body } = readEnvelope(parseXml(result.signedXml ?? ''));
        expect(read.messageId).toBe('TH-2026-000043');
        expect(body).toMatchObject({ root: 'FormD', namespace: 'urn:swx:xsd:form-d:1', value: { Exporter: 'Thai Rice & Co. — ข้าวหอมมะลิ' } });
      });

      it(`do not verify once tampered (${name})`, () => {
        const signed = xmlsec1Sign(unsigned, credential.keyPath, credential.certificatePath).replace('100630', '100640');
        expect(codeOf(signed, credential.certificatePem)).toBe('SIGNATURE_INVALID');
      });
    }
  });

  describe('hostile documents', () => {
    const body = '<Status>CLEARED</Status>';
    const signature = signatureOf(swxSigned);
    const attackerSigned = new XmlDsigSigner(attacker.privateKeyPem, attacker.certificatePem).signSync(envelope);
    const hostile: Record<string, { xml: string; code: CoreErrorCode }> = {
      'invalid_payload-changed-after-signing': {
        xml: payloadChangedAfterSigning(swxSigned, body, '<Status>RELEASED</Status>'),
        code: 'SIGNATURE_INVALID',
      },
      'invalid_two-signatures': { xml: twoSignatures(swxSigned, signature), code: 'SIGNATURE_PROFILE_VIOLATION' },
      'invalid_second-signature-inside-the-body': {
        xml: swxSigned.replace(body, `${body}${signatureOf(attackerSigned)}`),
        code: 'SIGNATURE_INVALID',
      },
      'invalid_second-signature-inside-the-header': {
        xml: swxSigned.replace('</Header>', `${signatureOf(attackerSigned)}</Header>`),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_signature-not-last-child': {
        xml: swxSigned.replace(signature, '').replace('<Body>', `${signature}<Body>`),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_reference-to-id-attribute': {
        xml: xmlsec1Sign(template({ uri: '#body' }), partner.keyPath, partner.certificatePath, ['--id-attr:Id', 'urn:swx:xsd:envelope:1:Body']),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_extra-xpath-transform': { xml: xpathExcludingBody(), code: 'SIGNATURE_PROFILE_VIOLATION' },
      'invalid_sha1-digest': {
        xml: xmlsec1Sign(template({ digest: 'http://www.w3.org/2000/09/xmldsig#sha1' }), partner.keyPath, partner.certificatePath),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_rsa-sha1-signature-method': {
        xml: swxSigned.replace(XMLDSIG.rsaSha256, 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_canonicalization-changed-after-signing': {
        xml: swxSigned.replace(
          `<ds:CanonicalizationMethod Algorithm="${XMLDSIG.exclusiveC14n}">`,
          `<ds:CanonicalizationMethod Algorithm="${XMLDSIG.inclusiveC14n}">`,
        ),
        code: 'SIGNATURE_INVALID',
      },
      'invalid_canonicalization-with-comments': {
        xml: swxSigned.replace(
          `<ds:CanonicalizationMethod Algorithm="${XMLDSIG.exclusiveC14n}">`,
          `<ds:CanonicalizationMethod Algorithm="${XMLDSIG.exclusiveC14nWithComments}">`,
        ),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_ds-object': {
        xml: swxSigned.replace('</ds:KeyInfo>', '</ds:KeyInfo><ds:Object><Status>RELEASED</Status></ds:Object>'),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_signed-copy-moved-under-an-extension-element': {
        xml: signedCopyMovedUnderExtension(envelope.replace(body, '<Status>RELEASED</Status>'), swxSigned),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_no-signature': { xml: envelope, code: 'SIGNATURE_PROFILE_VIOLATION' },
      'invalid_key-info-carrying-another-certificate': {
        xml: keyInfoCertificateReplaced(swxSigned, certificateBase64Of(attacker.certificatePem)),
        code: 'CERTIFICATE_UNTRUSTED',
      },
      'invalid_signed-by-another-key-with-its-certificate': { xml: attackerSigned, code: 'CERTIFICATE_UNTRUSTED' },
      'invalid_signed-by-another-key-without-key-info': {
        xml: attackerSigned.replace(/<ds:KeyInfo>.*<\/ds:KeyInfo>/, ''),
        code: 'SIGNATURE_INVALID',
      },
      'invalid_doctype-with-entity': {
        xml: doctypeWithEntity(swxSigned, 'CLEARED'),
        code: 'XML_FORBIDDEN_CONSTRUCT',
      },
      'invalid_not-well-formed': { xml: swxSigned.replace('</Header>', ''), code: 'MALFORMED_REQUEST' },
    };

    for (const [name, { xml, code }] of Object.entries(hostile)) {
      it(`${name} is INVALID with ${code}`, () => {
        const result = verifier.verify(xml, partner.certificatePem);
        expect(result.outcome).toBe('INVALID');
        expect(result.signedXml).toBeUndefined();
        expect(firstFailure(result)?.reason?.code).toBe(code);
      });
    }

    it('invalid_extra-xpath-transform is accepted by permissive xmlsec1 even with a swapped payload, which the profile prevents', () => {
      expect(xmlsec1Verify(xpathExcludingBody(), partner.certificatePath).ok).toBe(true);
    });

    it('invalid_signature-not-last-child and invalid_key-info-carrying-another-certificate are cryptographically sound: only the profile and the pin refuse them', () => {
      for (const name of ['invalid_signature-not-last-child', 'invalid_key-info-carrying-another-certificate']) {
        const checks = verifier.verify(hostile[name]?.xml ?? '', partner.certificatePem).checks;
        if (name === 'invalid_key-info-carrying-another-certificate') {
          expect(checks.find((check) => check.name === 'signature-value')?.status).toBe('VALID');
        }
        expect(xmlCryptoVerify(hostile[name]?.xml ?? '', partner.certificatePem)).toBe(true);
      }
    });
  });
});

/** Signed with an XPath transform that leaves the Body out of the digest, then given another Body. */
function xpathExcludingBody(): string {
  const xpath = `
          <ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::*[local-name()='Body'])</ds:XPath></ds:Transform>`;
  return xmlsec1Sign(template({ extraTransform: xpath }), partner.keyPath, partner.certificatePath).replace('100630', '999999');
}

function codeOf(xml: string, certificatePem: string): CoreErrorCode | undefined {
  return firstFailure(verifier.verify(xml, certificatePem))?.reason?.code;
}
