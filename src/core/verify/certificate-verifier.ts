import type { PartnerTrust } from '../partner.js';
import type { VerificationReport } from './verification-report.js';

/**
 * Checks a certificate presented by a partner (PEM, or the base64 DER of a KeyInfo X509Certificate) against
 * that partner's trust at a given time: pinned, chain to the country root, validity period, revocation.
 * Never throws; a check that cannot be carried out is an ERROR check.
 */
export interface CertificateVerifier {
  verify(certificate: string, trust: PartnerTrust, at: Date): VerificationReport;
}
