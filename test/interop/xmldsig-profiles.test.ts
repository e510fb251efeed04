import { describe, expect, it } from 'vitest';
import { XMLDSIG } from '../../src/adapters/crypto/xmldsig-algorithms.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import type { CoreErrorCode } from '../../src/core/errors.js';
import { ALL_SIGNATURE_PROFILES, type SignatureProfiles } from '../../src/core/verify/signature-profiles.js';
import { firstFailure } from '../../src/core/verify/verification-report.js';
import { readEnvelope } from '../../message-schemas/envelope/1/build.js';
import {
  certificateBase64Of,
  doctypeWithEntity,
  emptySignature,
  keyInfoCertificateReplaced,
  payloadChangedAfterSigning,
  secondUnsignedPayload,
  signatureOf,
  signedCopyMovedUnderExtension,
  twoSignatures,
  type SignatureTemplateOptions,
} from '../helpers/hostile-envelopes.js';
import { PROFILES_UNDER_TEST, signTemplate, type ProfileUnderTest } from '../helpers/signature-profiles.js';
import { throwawayCredential, type ThrowawayCredential } from '../helpers/throwaway-credential.js';
import { xmlsec1Sign, xmlsec1Verify } from '../helpers/xmlsec1.js';

const credentials = { rsa: throwawayCredential('rsa', 'TH gateway'), ec: throwawayCredential('ec', 'MY gateway') };
const attackers = { rsa: throwawayCredential('rsa', 'attacker'), ec: throwawayCredential('ec', 'attacker EC') };
const verifier = new XmlDsigVerifier();
const ENVELOPE_ID: readonly [string, string] = ['Id', 'urn:swx:xsd:envelope:1:Envelope'];
const EXPORTER = '<fd:Exporter>Thai Rice &amp; Co. — ข้าวหอมมะลิ</fd:Exporter>';

/**
 * A partner's envelope as another toolkit writes it: an XML declaration and a processing instruction before the
 * root (in a URI="" reference, not in a #id one), an unused namespace declaration on the root (which C14N 1.0
 * renders and exc-C14N does not), indentation, and an empty signature to fill.
 */
function envelopeTemplate(options: SignatureTemplateOptions, rootId: boolean, status = 'SUBMIT'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<?partner-toolkit build="7"?>
<env:Envelope xmlns:env="urn:swx:xsd:envelope:1" xmlns:unused="urn:example:unused"${rootId ? ' Id="envelope"' : ''}>
  <env:Header>
    <env:MessageId>TH-2026-000043</env:MessageId>
    <env:ConversationId>0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45</env:ConversationId>
    <env:From><env:GatewayId>TH</env:GatewayId><env:Country>TH</env:Country></env:From>
    <env:To><env:GatewayId>VN</env:GatewayId><env:Country>VN</env:Country></env:To>
    <env:DocumentType>FORM_D</env:DocumentType>
    <env:DocumentVersion>1</env:DocumentVersion>
    <env:Action>${status}</env:Action>
    <env:CreatedAt>2026-11-20T07:09:12Z</env:CreatedAt>
  </env:Header>
  <env:Body>
    <fd:FormD xmlns:fd="urn:swx:xsd:form-d:1" fd:issued="2026-11-19">${EXPORTER}<fd:HsCode>100630</fd:HsCode></fd:FormD>
  </env:Body>
  ${emptySignature(options)}
</env:Envelope>
`;
}

function signedByXmlsec1(profile: ProfileUnderTest, credential: ThrowawayCredential, options: SignatureTemplateOptions = profile.template): string {
  return xmlsec1Sign(
    envelopeTemplate(options, profile.rootId),
    credential.keyPath,
    credential.certificatePath,
    profile.rootId ? [`--id-attr:${ENVELOPE_ID[0]}`, ENVELOPE_ID[1]] : [],
  );
}

function codeOf(xml: string, certificatePem: string, profiles?: SignatureProfiles): CoreErrorCode | undefined {
  const result = verifier.verify(xml, certificatePem, { profiles });
  if (result.outcome === 'VALID') return undefined;
  expect(result.signedXml).toBeUndefined();
  return firstFailure(result)?.reason?.code;
}

describe.each(PROFILES_UNDER_TEST)('signature profile: $name', (profile) => {
  const credential = credentials[profile.key];
  const attacker = attackers[profile.key];
  const idAttribute = profile.rootId ? ENVELOPE_ID : undefined;
  const xmlsec1Signed = signedByXmlsec1(profile, credential);
  const swxSigned = signTemplate(envelopeTemplate(profile.template, profile.rootId), credential);

  describe('xmlsec1 signs, swx verifies', () => {
    it('is VALID, and the signed bytes read as the envelope sent', () => {
      const result = verifier.verify(xmlsec1Signed, credential.certificatePem);
      expect(result.checks.filter((check) => check.status !== 'VALID')).toEqual([]);
      const { header, body } = readEnvelope(parseXml(result.signedXml ?? ''));
      expect(header.messageId).toBe('TH-2026-000043');
      expect(body).toMatchObject({ root: 'FormD', value: { Exporter: 'Thai Rice & Co. — ข้าวหอมมะลิ', HsCode: '100630' } });
    });

    it('is refused once tampered, by swx and by xmlsec1', () => {
      const tampered = xmlsec1Signed.replace('100630', '100640');
      expect(codeOf(tampered, credential.certificatePem)).toBe('SIGNATURE_INVALID');
      expect(xmlsec1Verify(tampered, credential.certificatePath, idAttribute).ok).toBe(false);
    });
  });

  describe('swx signs, xmlsec1 verifies', () => {
    it('verifies with xmlsec1 and with swx', () => {
      const checked = xmlsec1Verify(swxSigned, credential.certificatePath, idAttribute);
      expect(checked.message).toMatch(/^OK/m);
      expect(checked.ok).toBe(true);
      expect(verifier.verify(swxSigned, credential.certificatePem).outcome).toBe('VALID');
    });

    it('is refused once tampered, by xmlsec1 and by swx', () => {
      const tampered = swxSigned.replace('100630', '100640');
      expect(xmlsec1Verify(tampered, credential.certificatePath, idAttribute).ok).toBe(false);
      expect(codeOf(tampered, credential.certificatePem)).toBe('SIGNATURE_INVALID');
    });

    it('covers what xmlsec1 says it covers: the unused namespace under C14N 1.0 or a PrefixList, the processing instruction under URI="" only', () => {
      const inclusive = profile.aspects.transforms !== 'enveloped+exc-c14n' || (profile.template.transformPrefixList ?? '').includes('unused');
      const namespaceChanged = swxSigned.replace('xmlns:unused="urn:example:unused"', 'xmlns:unused="urn:example:other"');
      expect(xmlsec1Verify(namespaceChanged, credential.certificatePath, idAttribute).ok).toBe(!inclusive);
      expect(codeOf(namespaceChanged, credential.certificatePem)).toBe(inclusive ? 'SIGNATURE_INVALID' : undefined);
      const instructionChanged = swxSigned.replace('build="7"', 'build="8"');
      expect(xmlsec1Verify(instructionChanged, credential.certificatePath, idAttribute).ok).toBe(profile.rootId);
      expect(codeOf(instructionChanged, credential.certificatePem)).toBe(profile.rootId ? undefined : 'SIGNATURE_INVALID');
    });
  });

  describe('a partner file that does not allow it', () => {
    for (const aspect of Object.keys(profile.aspects) as (keyof SignatureProfiles)[]) {
      it(`refuses it when signatureProfiles.${aspect} leaves out "${profile.aspects[aspect]}"`, () => {
        const allowed: readonly string[] = ALL_SIGNATURE_PROFILES[aspect];
        const profiles = { ...ALL_SIGNATURE_PROFILES, [aspect]: allowed.filter((value) => value !== profile.aspects[aspect]) } as SignatureProfiles;
        const result = verifier.verify(xmlsec1Signed, credential.certificatePem, { profiles });
        expect(firstFailure(result)?.reason).toMatchObject({ code: 'SIGNATURE_PROFILE_VIOLATION', message: expect.stringContaining(aspect) });
        expect(
          verifier.verify(xmlsec1Signed, credential.certificatePem, { profiles: { ...ALL_SIGNATURE_PROFILES, [aspect]: [profile.aspects[aspect]] } })
            .outcome,
        ).toBe('VALID');
      });
    }
  });

  describe('the wrapping catalogue', () => {
    const signature = signatureOf(xmlsec1Signed);
    const attackerSigned = signedByXmlsec1(profile, attacker);
    const uri = profile.template.uri ?? '';
    const hostile: Record<string, { xml: () => string; code: CoreErrorCode }> = {
      'invalid_payload-changed-after-signing': {
        xml: () => payloadChangedAfterSigning(xmlsec1Signed, '<fd:HsCode>100630', '<fd:HsCode>999999'),
        code: 'SIGNATURE_INVALID',
      },
      'invalid_two-signatures': { xml: () => twoSignatures(xmlsec1Signed, signature), code: 'SIGNATURE_PROFILE_VIOLATION' },
      'invalid_second-signature-in-the-header': {
        xml: () => xmlsec1Signed.replace('</env:Header>', `${signatureOf(attackerSigned)}</env:Header>`),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_second-signature-ending-the-business-document-after-signing': {
        xml: () => xmlsec1Signed.replace('</fd:FormD>', `${signatureOf(attackerSigned)}</fd:FormD>`),
        code: 'SIGNATURE_INVALID',
      },
      'invalid_signature-directly-in-the-body': {
        xml: () => xmlsec1Signed.replace('</env:Body>', `${signatureOf(attackerSigned)}</env:Body>`),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_signature-not-last-child': {
        xml: () => xmlsec1Signed.replace(signature, '').replace('<env:Header>', `${signature}<env:Header>`),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_signed-copy-moved-under-an-extension-element': {
        xml: () =>
          signedCopyMovedUnderExtension(
            envelopeTemplate(profile.template, profile.rootId, 'CANCEL').replace(
              /<ds:Signature[\s\S]*<\/ds:Signature>|<Signature[\s\S]*<\/Signature>/,
              '',
            ),
            xmlsec1Signed,
          ),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_second-unsigned-payload-after-the-signature': {
        xml: () => secondUnsignedPayload(xmlsec1Signed, '<fd:FormD xmlns:fd="urn:swx:xsd:form-d:1"><fd:HsCode>999999</fd:HsCode></fd:FormD>'),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_reference-to-the-body-by-id': {
        xml: () => xmlsec1Signed.replace(`URI="${uri}"`, 'URI="#body"').replace('<env:Body>', '<env:Body Id="body">'),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_root-id-also-on-the-body': {
        xml: () =>
          xmlsec1Signed
            .replace(`URI="${uri}"`, 'URI="#dup"')
            .replace('<env:Envelope ', '<env:Envelope ID="dup" ')
            .replace('<env:Body>', '<env:Body id="dup">'),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_extra-xpath-transform': {
        xml: () =>
          signedByXmlsec1(profile, credential, {
            ...profile.template,
            extraTransform: `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::*[local-name()='Body'])</ds:XPath></ds:Transform>`,
          }).replace('100630', '999999'),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_signed-info-canonicalized-with-comments': {
        xml: () => xmlsec1Signed.replace(/(CanonicalizationMethod Algorithm=")[^"]*/, `$1${XMLDSIG.inclusiveC14nWithComments}`),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_ds-object': {
        xml: () =>
          xmlsec1Signed.replace('</ds:KeyInfo>', '</ds:KeyInfo><ds:Object><fd:HsCode xmlns:fd="urn:swx:xsd:form-d:1">999999</fd:HsCode></ds:Object>'),
        code: 'SIGNATURE_PROFILE_VIOLATION',
      },
      'invalid_key-info-carrying-another-certificate': {
        xml: () => keyInfoCertificateReplaced(xmlsec1Signed, certificateBase64Of(attacker.certificatePem)),
        code: 'CERTIFICATE_UNTRUSTED',
      },
      'invalid_signed-by-another-key-with-its-certificate': { xml: () => attackerSigned, code: 'CERTIFICATE_UNTRUSTED' },
      'invalid_signed-by-another-key-without-key-info': {
        xml: () => attackerSigned.replace(/<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/, ''),
        code: 'SIGNATURE_INVALID',
      },
      'invalid_doctype-with-entity': { xml: () => doctypeWithEntity(xmlsec1Signed, '100630'), code: 'XML_FORBIDDEN_CONSTRUCT' },
    };
    for (const [name, { xml, code }] of Object.entries(hostile)) {
      it(`${name} is refused with ${code}`, () => {
        expect(codeOf(xml(), credential.certificatePem)).toBe(code);
      });
    }
  });
});

describe('comments in SignedInfo', () => {
  const profile = PROFILES_UNDER_TEST[1] as ProfileUnderTest;
  const signed = signedByXmlsec1(profile, credentials.rsa);

  it('cannot change its meaning: a comment cutting DigestValue is not part of it, for swx as for xmlsec1', () => {
    const commented = signed.replace(/(<ds:DigestValue>[A-Za-z0-9+/]{8})/, '$1<!-- cut -->').replace('<ds:Reference', '<!-- a note --><ds:Reference');
    expect(commented).toContain('<!-- cut -->');
    expect(verifier.verify(commented, credentials.rsa.certificatePem).outcome).toBe('VALID');
    expect(xmlsec1Verify(commented, credentials.rsa.certificatePath).ok).toBe(true);
  });
});

describe('xml:* attributes and namespaces in scope of SignedInfo (C14N 1.0 brings them down, exc-C14N does not)', () => {
  const document = (options: SignatureTemplateOptions) => `<?xml version="1.0" encoding="UTF-8"?>
<doc:Certificate xmlns:doc="urn:example:certificate" xmlns:unused="urn:example:unused" xml:lang="th" xml:space="preserve"><doc:Number>TH-001</doc:Number><doc:Note xml:lang="en">rice</doc:Note>${emptySignature(options)}</doc:Certificate>`;
  for (const profile of PROFILES_UNDER_TEST.filter((candidate) => !candidate.rootId)) {
    it(`signs and verifies both ways: ${profile.name}`, () => {
      const credential = credentials[profile.key];
      const byXmlsec1 = xmlsec1Sign(document(profile.template), credential.keyPath, credential.certificatePath);
      expect(verifier.verify(byXmlsec1, credential.certificatePem).outcome).toBe('VALID');
      const bySwx = signTemplate(document(profile.template), credential);
      expect(xmlsec1Verify(bySwx, credential.certificatePath).ok).toBe(true);
      expect(xmlsec1Verify(bySwx.replace('xml:space="preserve"', 'xml:space="default"'), credential.certificatePath).ok).toBe(false);
    });
  }
});
