import { X509Certificate } from 'node:crypto';
import { daysUntil } from '../../core/certificate-expiry-warning.js';
import type { PartnerDirectory } from '../../core/partner.js';

/** What a certificate swx holds is for. */
export type CertificateRole = 'gateway-signing' | 'partner-gateway' | 'partner-root' | 'partner-nppo' | 'tls-server';

/** One certificate swx holds, with when it lapses. */
export interface CertificateExpiry {
  readonly role: CertificateRole;
  /** Whose it is: swx's gateway id for its own, else the partner's id. */
  readonly owner: string;
  /** The subject as one line (`CN=…, O=…, C=…`). */
  readonly subject: string;
  /** ISO 8601 instant after which the certificate is no longer valid. */
  readonly notAfter: string;
  /** SHA-256 of the DER, upper-case hex pairs joined by colons (as `openssl x509 -fingerprint -sha256` prints it). */
  readonly fingerprint: string;
}

/** The certificates to list: swx's signing certificate, its HTTPS certificate when set, and the partners' trust material. */
export interface HeldCertificates {
  readonly gatewayId: string;
  readonly gatewayCertificatePem: string;
  readonly partners: PartnerDirectory;
  readonly tlsCertificatePem?: string;
}

/**
 * Every key certificate and partner certificate swx holds, with its subject and notAfter, for expiry warnings and the
 * days-until-expiry gauge: swx's own signing certificate, its HTTPS certificate (the first of the chain), and for each
 * partner gateway its pinned certificate, its root and its NPPO certificates. A partner without trust material is left out.
 * @example for (const expiry of listCertificateExpiries({ gatewayId: 'VN', gatewayCertificatePem, partners })) gauge.set({ owner: expiry.owner, role: expiry.role }, daysUntilExpiry(expiry, new Date()))
 */
export function listCertificateExpiries(held: HeldCertificates): CertificateExpiry[] {
  const expiries = [describeCertificate('gateway-signing', held.gatewayId, held.gatewayCertificatePem)];
  if (held.tlsCertificatePem !== undefined) expiries.push(describeCertificate('tls-server', held.gatewayId, held.tlsCertificatePem));
  for (const partner of held.partners.list()) {
    if (partner.kind !== 'gateway') continue;
    let trust: ReturnType<PartnerDirectory['trustFor']>;
    try {
      trust = held.partners.trustFor(partner.id);
    } catch {
      continue;
    }
    expiries.push(describeCertificate('partner-gateway', partner.id, trust.certificatePem));
    expiries.push(describeCertificate('partner-root', partner.id, trust.rootCertificatePem));
    for (const pem of trust.nppoCertificatePems ?? []) expiries.push(describeCertificate('partner-nppo', partner.id, pem));
  }
  return expiries;
}

/**
 * The subject, notAfter and fingerprint of a PEM certificate (the first one when the PEM holds a chain).
 * @example describeCertificate('gateway-signing', 'VN', readFileSync(layout.gatewayCertificate('VN'), 'utf8')).notAfter
 */
export function describeCertificate(role: CertificateRole, owner: string, pem: string): CertificateExpiry {
  const certificate = new X509Certificate(pem);
  return {
    role,
    owner,
    subject: certificate.subject.split('\n').join(', '),
    notAfter: new Date(certificate.validTo).toISOString(),
    fingerprint: certificate.fingerprint256,
  };
}

/**
 * Whole days from `now` until the certificate lapses, rounded down; negative once it has.
 * @example daysUntilExpiry({ notAfter: '2027-01-11T00:00:00.000Z' } as CertificateExpiry, new Date('2027-01-01T00:00:00Z')) // 10
 */
export function daysUntilExpiry(expiry: Pick<CertificateExpiry, 'notAfter'>, now: Date): number {
  return daysUntil(expiry.notAfter, now);
}
