import { createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { CoreError, isCoreError } from '../../core/errors.js';
import type { SignatureVerifier } from '../../core/verify/signature-verifier.js';
import type { SignedXmlVerification } from '../../core/verify/signed-xml-verification.js';
import type { PayloadSignature, SignatureVerifyOptions } from '../../core/verify/signature-profiles.js';
import { buildVerificationReport, runCheck, skippedCheck, type Check } from '../../core/verify/verification-report.js';
import { parseXmlTree } from '../xml/parse-xml-tree.js';
import { XML_LIMITS, type XmlLimits } from '../xml/refuse-unsafe-xml.js';
import type { TreeElement, XmlTree } from '../xml/xml-tree.js';
import { referenceOctets, signedInfoOctets } from './xmldsig-octets.js';
import { checkSignatureProfile, type ProfiledSignature } from './xmldsig-profile.js';

/** A pinned certificate, parsed once. */
interface Pinned {
  readonly der: Buffer;
  readonly publicKey: KeyObject;
  readonly subject: string;
}

/** Partners are a few dozen; the bound only stops a stream of distinct certificates from growing the cache. */
const MAX_PINNED = 256;
const CHECKS = ['well-formed', 'signature-profile', 'key-info-certificate', 'reference-digest', 'signature-value'] as const;
const HASHES = { 'rsa-sha256': 'sha256', 'rsa-sha512': 'sha512', 'ecdsa-sha256': 'sha256' } as const;

/**
 * Verifies signed XML (inbound envelopes, partners' receipts) under swx's strict profile with a certificate swx
 * chose, never the one in KeyInfo. The report's checks, in order:
 * 1. `well-formed`: strict XML, DOCTYPE and ENTITY refused (MALFORMED_REQUEST, XML_FORBIDDEN_CONSTRUCT, PAYLOAD_TOO_LARGE);
 * 2. `signature-profile`: see `checkSignatureProfile`, within `options.profiles` (SIGNATURE_PROFILE_VIOLATION);
 * 3. `key-info-certificate`: every certificate in KeyInfo is the pinned one (CERTIFICATE_UNTRUSTED); SKIPPED without one;
 * 4. `reference-digest`: of the document without its signature, canonicalized as the reference's transforms say (SIGNATURE_INVALID);
 * 5. `signature-value`: over the canonical SignedInfo, with the pinned public key (SIGNATURE_INVALID).
 * A check runs only if the checks it depends on passed; an unreadable pinned certificate makes an ERROR check.
 * When VALID, `signedXml` holds the canonical bytes the digest covers: process those, not the received text; and
 * a signature ending the business document (root/Body/document) is checked with `options.payloadCertificates` as
 * that document's own (its `URI=""` is the business document, as its issuer signed it alone): `payloadSignature`.
 * Chain, validity period and revocation of the certificate are `CertificateVerifier`'s.
 * The XML is held to `options.xmlLimits` (default `XML_LIMITS`).
 * @example const result = new XmlDsigVerifier().verify(body, trust.certificatePem, { profiles: partner.signatureProfiles })
 */
export class XmlDsigVerifier implements SignatureVerifier {
  readonly #pinned = new Map<string, Pinned>();
  readonly #xmlLimits: XmlLimits;

  constructor(options: { readonly xmlLimits?: XmlLimits } = {}) {
    this.#xmlLimits = options.xmlLimits ?? XML_LIMITS;
  }

  verify(xml: string, certificatePem: string, options: SignatureVerifyOptions = {}): SignedXmlVerification {
    const checks: Check[] = [];
    const tree = attempt(checks, 'well-formed', () => parseXmlTree(xml, { limits: this.#xmlLimits }));
    const profile =
      tree &&
      attempt(checks, 'signature-profile', () => checkSignatureProfile({ top: tree.root, allowPayloadSignature: true, profiles: options.profiles }));
    if (!tree || !profile) {
      for (const name of CHECKS.slice(checks.length)) checks.push(skippedCheck(name));
      return verificationOf(checks, undefined);
    }
    checks.push(
      profile.keyInfoCertificates.length === 0
        ? skippedCheck('key-info-certificate')
        : runCheck('key-info-certificate', () => this.#checkKeyInfo(profile, certificatePem)),
    );
    const signedXml = attempt(checks, 'reference-digest', () => {
      const canonical = referenceOctets(tree, profile);
      if (!digestMatches(profile, canonical)) {
        throw new CoreError(
          'SIGNATURE_INVALID',
          'the digest of the signed document does not match ds:DigestValue: the document was changed after signing',
        );
      }
      return canonical;
    });
    checks.push(runCheck('signature-value', () => this.#checkSignatureValue(profile, this.#pin(certificatePem))));
    const verification = verificationOf(checks, signedXml);
    if (verification.outcome !== 'VALID' || profile.payloadSignature === undefined) return verification;
    return { ...verification, payloadSignature: this.#checkPayloadSignature(tree, profile.payloadSignature, options.payloadCertificates ?? []) };
  }

  #checkKeyInfo(profile: ProfiledSignature, certificatePem: string): void {
    const pinned = this.#pin(certificatePem);
    for (const der of profile.keyInfoCertificates) {
      if (!der.equals(pinned.der)) {
        throw new CoreError('CERTIFICATE_UNTRUSTED', `KeyInfo carries a certificate (${subjectOf(der)}) other than the one pinned for this partner`);
      }
    }
  }

  #checkSignatureValue(profile: ProfiledSignature, { publicKey }: Pinned): void {
    const keyType = publicKey.asymmetricKeyType === 'ec' ? 'ecdsa' : publicKey.asymmetricKeyType;
    if (!profile.algorithm.startsWith(`${keyType ?? ''}-`)) {
      throw new CoreError(
        'SIGNATURE_INVALID',
        `the signature method is ${profile.algorithm} but the certificate's key is ${publicKey.asymmetricKeyType}`,
      );
    }
    const signedInfo = Buffer.from(signedInfoOctets(profile), 'utf8');
    const hash = HASHES[profile.algorithm];
    // XML-DSig 1.1 §6.4.3: an ECDSA SignatureValue is r || s (ieee-p1363), not DER.
    const valid =
      profile.algorithm === 'ecdsa-sha256'
        ? verify(hash, signedInfo, { key: publicKey, dsaEncoding: 'ieee-p1363' }, profile.signatureValue)
        : verify(hash, signedInfo, publicKey, profile.signatureValue);
    if (!valid) throw new CoreError('SIGNATURE_INVALID', 'ds:SignatureValue does not verify with the certificate');
  }

  /**
   * The business document's own signature, in a VALID envelope (whose signature covers it): its profile, its digest,
   * then its value with the listed certificate KeyInfo names (or each listed one when KeyInfo names none).
   */
  #checkPayloadSignature(tree: XmlTree, signature: TreeElement, certificatePems: readonly string[]): PayloadSignature {
    const top = signature.parent as TreeElement;
    let profile: ProfiledSignature;
    try {
      profile = checkSignatureProfile({ top, allowPayloadSignature: false });
    } catch (error) {
      if (isCoreError(error)) return { status: 'INVALID', message: `the ${top.localName} signature: ${error.message}` };
      throw error;
    }
    if (!digestMatches(profile, referenceOctets(tree, profile))) {
      return { status: 'INVALID', message: `${top.localName} was changed after its issuer signed it: its digest does not match` };
    }
    const listed = certificatePems.flatMap((pem) => {
      try {
        return [this.#pin(pem)];
      } catch {
        return [];
      }
    });
    const named =
      profile.keyInfoCertificates.length === 0
        ? undefined
        : listed.filter((pinned) => profile.keyInfoCertificates.some((der) => der.equals(pinned.der)));
    if (named !== undefined && named.length === 0) {
      const subject = subjectOf(profile.keyInfoCertificates[0] as Buffer);
      return {
        status: 'UNKNOWN_SIGNER',
        signer: subject,
        message: `signed by ${subject}, which is not among the NPPO certificates listed for this partner`,
      };
    }
    for (const candidate of named ?? listed) {
      if (runCheck('payload-signature', () => this.#checkSignatureValue(profile, candidate)).status === 'VALID') {
        return { status: 'VALID', signer: candidate.subject, message: `signed by ${candidate.subject}` };
      }
    }
    if (named !== undefined) {
      return {
        status: 'INVALID',
        signer: (named[0] as Pinned).subject,
        message: `ds:SignatureValue of ${top.localName} does not verify with the listed certificate`,
      };
    }
    return {
      status: 'UNKNOWN_SIGNER',
      message: listed.length === 0 ? 'no NPPO certificate is listed for this partner' : 'no listed NPPO certificate verifies the signature',
    };
  }

  #pin(certificatePem: string): Pinned {
    let pinned = this.#pinned.get(certificatePem);
    if (!pinned) {
      const certificate = new X509Certificate(certificatePem);
      pinned = { der: certificate.raw, publicKey: certificate.publicKey, subject: certificate.subject.replace(/\n/g, ', ') };
      if (this.#pinned.size >= MAX_PINNED) this.#pinned.clear();
      this.#pinned.set(certificatePem, pinned);
    }
    return pinned;
  }
}

function digestMatches(profile: ProfiledSignature, canonical: string): boolean {
  return createHash(profile.digest).update(canonical, 'utf8').digest().equals(profile.digestValue);
}

/** The report, with the signed bytes when VALID (the digest check, which yields them, is VALID then). */
function verificationOf(checks: readonly Check[], signedXml: string | undefined): SignedXmlVerification {
  const { outcome } = buildVerificationReport(checks);
  if (outcome === 'VALID' && signedXml !== undefined) return { outcome, checks, signedXml };
  return { outcome: outcome === 'VALID' ? 'ERROR' : outcome, checks };
}

/** Runs a check that produces a value, recording it; the value when the check was VALID. */
function attempt<T>(checks: Check[], name: string, body: () => T): T | undefined {
  let value: T | undefined;
  const check = runCheck(name, () => {
    value = body();
  });
  checks.push(check);
  return check.status === 'VALID' ? value : undefined;
}

function subjectOf(der: Buffer): string {
  try {
    return new X509Certificate(der).subject.replace(/\n/g, ', ');
  } catch {
    return 'unreadable';
  }
}
