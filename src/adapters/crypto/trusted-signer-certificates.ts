import { X509Certificate } from 'node:crypto';
import type { SignerCertificates, TrustedCertificate } from '../../core/exchange/signer-certificates.js';
import type { PartnerDirectory } from '../../core/partner.js';

/** swx's own signing certificates: the one in use and those retired by `swx keys rotate`, newest first. */
export interface OwnSigningCertificates {
  readonly gatewayId: string;
  readonly currentPem: string;
  readonly retiredPems: readonly string[];
}

function trusted(pem: string, retired: boolean): TrustedCertificate {
  const certificate = new X509Certificate(pem);
  return {
    pem,
    subject: certificate.subject.split('\n').join(', '),
    fingerprint: certificate.fingerprint256,
    notAfter: new Date(certificate.validTo).toISOString(),
    retired,
  };
}

/**
 * The certificates swx trusts per signer, described with node:crypto (Node, and Workers under nodejs_compat): its own
 * current and retired signing certificates, read once, and each partner's pinned gateway certificate as the partner
 * directory holds it now.
 * @example trustedSignerCertificates({ gatewayId: 'VN', currentPem, retiredPems: readRetiredCertificates(pkiDir, 'VN') }, partners).of('VN')
 */
export function trustedSignerCertificates(own: OwnSigningCertificates, partners: PartnerDirectory): SignerCertificates {
  const ownCertificates = [trusted(own.currentPem, false), ...own.retiredPems.map((pem) => trusted(pem, true))];
  const pinned = new Map<string, TrustedCertificate>();
  return {
    of(signer) {
      if (signer === own.gatewayId) return ownCertificates;
      const pem = partners.trustFor(signer).certificatePem;
      let certificate = pinned.get(pem);
      if (certificate === undefined) {
        certificate = trusted(pem, false);
        pinned.set(pem, certificate);
      }
      return [certificate];
    },
  };
}
