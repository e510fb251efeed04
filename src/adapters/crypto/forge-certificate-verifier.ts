import forge from 'node-forge';
import type { CertificateVerifier } from '../../core/verify/certificate-verifier.js';
import type { PartnerTrust } from '../../core/partner.js';
import { buildVerificationReport, skippedCheck, type Check, type VerificationReport } from '../../core/verify/verification-report.js';
import { normalizeSerialNumber, parseCrlPem, type CertificateRevocationList } from './forge-crl.js';

type Certificate = forge.pki.Certificate;
type Parsed<T> = { readonly value: T } | { readonly error: string };

/**
 * Checks a partner's certificate with node-forge, as four coded checks:
 * - `certificate-pinned`: it is byte for byte the certificate pinned in the partner file (CERTIFICATE_UNTRUSTED);
 * - `certificate-chain`: the country root is a self-signed CA and issued it: issuer name and signature
 *   (CERTIFICATE_UNTRUSTED);
 * - `certificate-validity`: the time is within its and the root's validity (CERTIFICATE_EXPIRED,
 *   CERTIFICATE_NOT_YET_VALID);
 * - `certificate-revocation`: the root's CRL, itself signed by the root and current, does not list it
 *   (CERTIFICATE_REVOKED); SKIPPED when the partner has no CRL.
 *
 * Trust material that cannot be used (an unreadable or non-CA root, a CRL not signed by the root or past its
 * nextUpdate) makes its check ERROR. Parsed certificates, CRLs and signature results are cached, so
 * verifying the same partner again costs a few map look-ups. node-forge reads RSA certificates only.
 *
 * @example
 * const verifier: CertificateVerifier = new ForgeCertificateVerifier();
 * const report = verifier.verify(keyInfoCertificate, partners.trustFor('TH'), clock.now());
 * if (report.outcome !== 'VALID') reject(report.checks);
 */
export class ForgeCertificateVerifier implements CertificateVerifier {
  readonly #certificates: BoundedCache<Parsed<Certificate>>;
  readonly #roots: BoundedCache<Parsed<Certificate>>;
  readonly #crls: BoundedCache<Parsed<CertificateRevocationList>>;
  // Keyed by the cached parsed objects, so these results leave memory with them.
  readonly #issuedBy = new WeakMap<Certificate, WeakMap<Certificate, string | undefined>>();
  readonly #rootProblems = new WeakMap<Certificate, string | undefined>();
  readonly #crlProblems = new WeakMap<CertificateRevocationList, WeakMap<Certificate, string | undefined>>();

  constructor(options: { readonly cacheSize?: number } = {}) {
    const size = options.cacheSize ?? 1_000;
    this.#certificates = new BoundedCache(size);
    this.#roots = new BoundedCache(size);
    this.#crls = new BoundedCache(size);
  }

  verify(certificate: string, trust: PartnerTrust, at: Date): VerificationReport {
    const der = base64Body(certificate);
    const presented = this.#certificates.get(der, () => parse(() => certificateFromBase64(der)));
    const root = this.#roots.get(trust.rootCertificatePem, () => parse(() => forge.pki.certificateFromPem(trust.rootCertificatePem)));
    const checks = [
      checkPinned(der, trust),
      this.#checkChain(presented, root),
      checkValidity(presented, root, at),
      this.#checkRevocation(presented, root, trust.crlPem, at),
    ];
    return buildVerificationReport(checks);
  }

  #checkChain(presented: Parsed<Certificate>, root: Parsed<Certificate>): Check {
    const name = 'certificate-chain';
    if ('error' in root) return error(name, `the partner's root certificate cannot be read: ${root.error}`);
    const rootProblem = memo(this.#rootProblems, root.value, () => problemOfRoot(root.value));
    if (rootProblem !== undefined) return error(name, rootProblem);
    if ('error' in presented) return invalid(name, 'CERTIFICATE_UNTRUSTED', `the certificate cannot be read: ${presented.error}`);
    const byRoot = memo(this.#issuedBy, presented.value, () => new WeakMap<Certificate, string | undefined>());
    const problem = memo(byRoot, root.value, () => problemOfIssue(presented.value, root.value));
    return problem === undefined ? { name, status: 'VALID' } : invalid(name, 'CERTIFICATE_UNTRUSTED', problem);
  }

  #checkRevocation(presented: Parsed<Certificate>, root: Parsed<Certificate>, crlPem: string | undefined, at: Date): Check {
    const name = 'certificate-revocation';
    if (crlPem === undefined || 'error' in presented) return skippedCheck(name);
    if ('error' in root) return error(name, `the partner's root certificate cannot be read: ${root.error}`);
    const crl = this.#crls.get(crlPem, () => parse(() => parseCrlPem(crlPem)));
    if ('error' in crl) return error(name, `the revocation list cannot be read: ${crl.error}`);
    const byRoot = memo(this.#crlProblems, crl.value, () => new WeakMap<Certificate, string | undefined>());
    const problem = memo(byRoot, root.value, () =>
      crl.value.issuerHash === root.value.subject.hash && crl.value.isSignedBy(root.value)
        ? undefined
        : `the revocation list is not signed by the root ${commonName(root.value)}`,
    );
    if (problem !== undefined) return error(name, problem);
    if (crl.value.nextUpdate !== undefined && at.getTime() > crl.value.nextUpdate.getTime()) {
      return error(name, `the revocation list is out of date since ${crl.value.nextUpdate.toISOString()}`);
    }
    const revokedAt = crl.value.revoked.get(normalizeSerialNumber(presented.value.serialNumber));
    return revokedAt !== undefined && revokedAt.getTime() <= at.getTime()
      ? invalid(name, 'CERTIFICATE_REVOKED', `serial ${presented.value.serialNumber} was revoked on ${revokedAt.toISOString()}`)
      : { name, status: 'VALID' };
  }
}

function checkPinned(der: string, trust: PartnerTrust): Check {
  const name = 'certificate-pinned';
  return der === base64Body(trust.certificatePem)
    ? { name, status: 'VALID' }
    : invalid(name, 'CERTIFICATE_UNTRUSTED', 'the certificate is not the one pinned in the partner file');
}

function checkValidity(presented: Parsed<Certificate>, root: Parsed<Certificate>, at: Date): Check {
  const name = 'certificate-validity';
  if ('error' in presented) return skippedCheck(name);
  const certificates: [string, Certificate][] = [['the certificate', presented.value]];
  if ('value' in root) certificates.push([`the root ${commonName(root.value)}`, root.value]);
  for (const [label, certificate] of certificates) {
    const { notBefore, notAfter } = certificate.validity;
    if (at.getTime() < notBefore.getTime())
      return invalid(name, 'CERTIFICATE_NOT_YET_VALID', `${label} is not valid before ${notBefore.toISOString()}`);
    if (at.getTime() > notAfter.getTime()) return invalid(name, 'CERTIFICATE_EXPIRED', `${label} expired on ${notAfter.toISOString()}`);
  }
  return { name, status: 'VALID' };
}

function problemOfRoot(root: Certificate): string | undefined {
  const constraints = root.getExtension('basicConstraints') as { cA?: boolean } | null;
  if (constraints?.cA !== true) return `the partner's root ${commonName(root)} is not a CA (basicConstraints)`;
  const usage = root.getExtension('keyUsage') as { keyCertSign?: boolean } | null;
  if (usage !== null && usage.keyCertSign !== true) return `the partner's root ${commonName(root)} may not sign certificates (keyUsage)`;
  return problemOfIssue(root, root) === undefined ? undefined : `the partner's root ${commonName(root)} is not self-signed`;
}

function problemOfIssue(child: Certificate, issuer: Certificate): string | undefined {
  if (child.issuer.hash !== issuer.subject.hash) return `issued by ${issuerName(child)}, not by the root ${commonName(issuer)}`;
  try {
    return issuer.verify(child) ? undefined : `its signature does not verify with the key of the root ${commonName(issuer)}`;
  } catch (cause) {
    return `its signature cannot be checked: ${messageOf(cause)}`;
  }
}

function invalid(
  name: string,
  code: 'CERTIFICATE_UNTRUSTED' | 'CERTIFICATE_EXPIRED' | 'CERTIFICATE_NOT_YET_VALID' | 'CERTIFICATE_REVOKED',
  message: string,
): Check {
  return { name, status: 'INVALID', reason: { code, message } };
}

function error(name: string, message: string): Check {
  return { name, status: 'ERROR', reason: { code: 'CERTIFICATE_UNTRUSTED', message } };
}

/** The base64 DER of a PEM certificate, or of a KeyInfo X509Certificate value, without whitespace. */
function base64Body(certificate: string): string {
  const match = /-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/.exec(certificate);
  return (match?.[1] ?? certificate).replace(/\s+/g, '');
}

function certificateFromBase64(der: string): Certificate {
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.decode64(der)));
}

function parse<T>(read: () => T): Parsed<T> {
  try {
    return { value: read() };
  } catch (cause) {
    return { error: messageOf(cause) };
  }
}

function memo<K extends object, V>(cache: WeakMap<K, V>, key: K, compute: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = compute();
  cache.set(key, value);
  return value;
}

function commonName(certificate: Certificate): string {
  return String(certificate.subject.getField('CN')?.value ?? certificate.subject.hash);
}

function issuerName(certificate: Certificate): string {
  return String(certificate.issuer.getField('CN')?.value ?? certificate.issuer.hash);
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A map that forgets its oldest entry past `limit`, so hostile input cannot grow it without bound. */
class BoundedCache<V> {
  readonly #entries = new Map<string, V>();

  constructor(readonly limit: number) {}

  get(key: string, compute: () => V): V {
    const found = this.#entries.get(key);
    if (found !== undefined) return found;
    const value = compute();
    this.#entries.set(key, value);
    if (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }
}
