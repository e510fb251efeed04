import { createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { CoreError } from '../../core/errors.js';
import type { SignatureVerifier } from '../../core/ports.js';
import type { SignedXmlVerification } from '../../core/verify/signed-xml-verification.js';
import { reportOf, runCheck, skippedCheck, type Check } from '../../core/verify/verification-report.js';
import { canonicalizeDocument, canonicalizeElement } from '../xml/exclusive-c14n.js';
import { parseXmlTree } from '../xml/parse-xml-tree.js';
import { XML_LIMITS, type XmlLimits } from '../xml/refuse-unsafe-xml.js';
import { checkSignatureProfile, type ProfiledSignature } from './xmldsig-profile.js';

/** A pinned certificate, parsed once. */
interface Pinned {
  readonly der: Buffer;
  readonly publicKey: KeyObject;
}

/** Partners are a few dozen; the bound only stops a stream of distinct certificates from growing the cache. */
const MAX_PINNED = 256;
const CHECKS = ['well-formed', 'signature-profile', 'key-info-certificate', 'reference-digest', 'signature-value'] as const;

/**
 * Verifies signed XML (inbound envelopes, partners' receipts) under swx's strict profile with a certificate swx
 * chose, never the one in KeyInfo. The report's checks, in order:
 * 1. `well-formed`: strict XML, DOCTYPE and ENTITY refused (MALFORMED_REQUEST, XML_FORBIDDEN_CONSTRUCT, PAYLOAD_TOO_LARGE);
 * 2. `signature-profile`: see `checkSignatureProfile` (SIGNATURE_PROFILE_VIOLATION);
 * 3. `key-info-certificate`: every certificate in KeyInfo is the pinned one (CERTIFICATE_UNTRUSTED); SKIPPED without one;
 * 4. `reference-digest`: SHA-256 of the exc-C14N document without its signature (SIGNATURE_INVALID);
 * 5. `signature-value`: over the exc-C14N SignedInfo, with the pinned public key (SIGNATURE_INVALID).
 * A check runs only if the checks it depends on passed; an unreadable pinned certificate makes an ERROR check.
 * When VALID, `signedXml` holds the canonical bytes the digest covers: process those, not the received text.
 * Chain, validity period and revocation of the certificate are `CertificateVerifier`'s.
 * The XML is held to `options.xmlLimits` (default `XML_LIMITS`).
 * @example const result = new XmlDsigVerifier().verify(body, trust.certificatePem)
 */
export class XmlDsigVerifier implements SignatureVerifier {
  readonly #pinned = new Map<string, Pinned>();
  readonly #xmlLimits: XmlLimits;

  constructor(options: { readonly xmlLimits?: XmlLimits } = {}) {
    this.#xmlLimits = options.xmlLimits ?? XML_LIMITS;
  }

  verify(xml: string, certificatePem: string): SignedXmlVerification {
    const checks: Check[] = [];
    const tree = attempt(checks, 'well-formed', () => parseXmlTree(xml, { limits: this.#xmlLimits }));
    const profile = tree && attempt(checks, 'signature-profile', () => checkSignatureProfile(tree));
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
      const canonical = canonicalizeDocument(tree, profile.signature);
      if (!createHash('sha256').update(canonical, 'utf8').digest().equals(profile.digestValue)) {
        throw new CoreError('SIGNATURE_INVALID', 'the digest of the signed document does not match ds:DigestValue: the document was changed after signing');
      }
      return canonical;
    });
    checks.push(runCheck('signature-value', () => this.#checkSignatureValue(profile, certificatePem)));
    return verificationOf(checks, signedXml);
  }

  #checkKeyInfo(profile: ProfiledSignature, certificatePem: string): void {
    const pinned = this.#pin(certificatePem);
    for (const der of profile.keyInfoCertificates) {
      if (!der.equals(pinned.der)) {
        throw new CoreError('CERTIFICATE_UNTRUSTED', `KeyInfo carries a certificate (${subjectOf(der)}) other than the one pinned for this partner`);
      }
    }
  }

  #checkSignatureValue(profile: ProfiledSignature, certificatePem: string): void {
    const { publicKey } = this.#pin(certificatePem);
    const keyType = publicKey.asymmetricKeyType === 'ec' ? 'ecdsa' : publicKey.asymmetricKeyType;
    if (keyType !== profile.algorithm) {
      throw new CoreError('SIGNATURE_INVALID', `the signature method is ${profile.algorithm}-sha256 but the pinned certificate's key is ${publicKey.asymmetricKeyType}`);
    }
    const signedInfo = Buffer.from(canonicalizeElement(profile.signedInfo), 'utf8');
    // XML-DSig 1.1 §6.4.3: an ECDSA SignatureValue is r || s (ieee-p1363), not DER.
    const valid = profile.algorithm === 'ecdsa'
      ? verify('sha256', signedInfo, { key: publicKey, dsaEncoding: 'ieee-p1363' }, profile.signatureValue)
      : verify('sha256', signedInfo, publicKey, profile.signatureValue);
    if (!valid) throw new CoreError('SIGNATURE_INVALID', 'ds:SignatureValue does not verify with the pinned certificate');
  }

  #pin(certificatePem: string): Pinned {
    let pinned = this.#pinned.get(certificatePem);
    if (!pinned) {
      const certificate = new X509Certificate(certificatePem);
      pinned = { der: certificate.raw, publicKey: certificate.publicKey };
      if (this.#pinned.size >= MAX_PINNED) this.#pinned.clear();
      this.#pinned.set(certificatePem, pinned);
    }
    return pinned;
  }
}

/** The report, with the signed bytes when VALID (the digest check, which yields them, is VALID then). */
function verificationOf(checks: readonly Check[], signedXml: string | undefined): SignedXmlVerification {
  const { outcome } = reportOf(checks);
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
