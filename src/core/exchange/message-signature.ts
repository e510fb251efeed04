import { z } from 'zod';
import type { PartnerDirectory } from '../partner.js';
import type { SignatureVerifier } from '../verify/signature-verifier.js';
import { firstFailure } from '../verify/verification-report.js';
import type { ExchangeMessage } from './exchange-store.js';
import type { SignerCertificates, TrustedCertificate } from './signer-certificates.js';

/** Whether a stored envelope's signature holds, checked when it is read, and whose it is. */
export const MessageSignature = z
  .object({
    outcome: z.enum(['VALID', 'INVALID', 'ERROR']),
    reason: z.string().nullable().meta({ description: 'Why it does not hold: the first failed check' }),
    signer: z
      .string()
      .meta({ example: 'TH (Thai Customs NSW gateway)', description: 'The gateway whose certificate the signature was checked with' }),
    certificateNotAfter: z.string().nullable().meta({ description: 'When that certificate lapses; null when no certificate could be tried' }),
    certificate: z
      .object({
        subject: z.string(),
        fingerprint: z.string().meta({ description: 'SHA-256 of the DER, hex pairs joined by colons' }),
        notAfter: z.string(),
        retired: z
          .boolean()
          .meta({ description: 'One of swx’s own signing certificates retired by `swx keys rotate`, kept to check what it signed' }),
      })
      .nullable()
      .meta({
        description:
          'The certificate the signature was checked with: the one that verifies it among those swx trusts for the signer (its own current and retired signing certificates, a partner’s pinned one), else the one in use; null when swx holds none for the signer',
      }),
  })
  .readonly()
  .meta({ id: 'MessageSignature' });
export type MessageSignature = z.infer<typeof MessageSignature>;

/** What checking a stored envelope's signature needs: the partners, the certificates trusted per signer, and a verifier. */
export interface MessageSignatureDeps {
  readonly partners: PartnerDirectory;
  readonly signatures: SignatureVerifier;
  readonly signerCertificates: SignerCertificates;
  readonly self: { readonly gatewayId: string };
}

const described = (certificate: TrustedCertificate) => ({
  certificateNotAfter: certificate.notAfter,
  certificate: { subject: certificate.subject, fingerprint: certificate.fingerprint, notAfter: certificate.notAfter, retired: certificate.retired },
});

/**
 * Checks a stored envelope's signature now, with each certificate swx trusts for its signer in turn until one
 * verifies it: a received one with the certificate pinned for its partner (under the partner's signature profiles), a
 * sent one with swx's signing certificate in use, then those `swx keys rotate` retired (so what swx signed before a
 * rotation still reads as valid, naming the retired certificate). When none verifies, the answer is the check with
 * the certificate in use. A partner swx holds no trust for any more is an ERROR with the reason, never a throw: the
 * message is still shown.
 * @example const signature = checkMessageSignature(deps, await store.getMessage(id))
 */
export function checkMessageSignature(deps: MessageSignatureDeps, message: ExchangeMessage): MessageSignature {
  const outbound = message.direction === 'OUT';
  const owner = outbound ? deps.self.gatewayId : message.partnerId;
  const partner = outbound ? undefined : deps.partners.get(message.partnerId);
  const signer = outbound ? `${owner} (this single window)` : partner ? `${owner} (${partner.name})` : owner;
  let candidates: readonly TrustedCertificate[];
  try {
    candidates = deps.signerCertificates.of(owner);
  } catch (error) {
    return { outcome: 'ERROR', reason: error instanceof Error ? error.message : String(error), signer, certificateNotAfter: null, certificate: null };
  }
  const profiles = partner?.kind === 'gateway' ? partner.signatureProfiles : undefined;
  const checks = candidates.map((certificate) => ({
    certificate,
    report: () => deps.signatures.verify(message.envelope, certificate.pem, profiles === undefined ? {} : { profiles }),
  }));
  const [inUse] = checks;
  if (inUse === undefined) {
    return { outcome: 'ERROR', reason: `swx holds no certificate for ${owner}`, signer, certificateNotAfter: null, certificate: null };
  }
  const first = inUse.report();
  if (first.outcome !== 'VALID') {
    for (const check of checks.slice(1)) {
      if (check.report().outcome === 'VALID') return { outcome: 'VALID', reason: null, signer, ...described(check.certificate) };
    }
  }
  return { outcome: first.outcome, reason: firstFailure(first)?.reason?.message ?? null, signer, ...described(inUse.certificate) };
}
