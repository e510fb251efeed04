import { z } from 'zod';
import type { PartnerDirectory } from '../partner.js';
import type { XmlSigner } from '../primitives.js';
import type { SignatureVerifier } from '../verify/signature-verifier.js';
import { firstFailure } from '../verify/verification-report.js';
import type { ExchangeMessage } from './exchange-store.js';
import type { PartnerCertificateDates } from './partner-view.js';

/** Whether a stored envelope's signature holds, checked when it is read, and whose it is. */
export const MessageSignature = z
  .object({
    outcome: z.enum(['VALID', 'INVALID', 'ERROR']),
    reason: z.string().nullable().meta({ description: 'Why it does not hold: the first failed check' }),
    signer: z
      .string()
      .meta({ example: 'TH (Thai Customs NSW gateway)', description: 'The gateway whose certificate the signature was checked with' }),
    certificateNotAfter: z.string().nullable().meta({ description: 'When that certificate lapses; null when swx does not know' }),
  })
  .readonly()
  .meta({ id: 'MessageSignature' });
export type MessageSignature = z.infer<typeof MessageSignature>;

/** What checking a stored envelope's signature needs: the partners' pinned certificates, swx's own, and a verifier. */
export interface MessageSignatureDeps {
  readonly partners: PartnerDirectory;
  readonly signatures: SignatureVerifier;
  readonly signer: XmlSigner;
  readonly self: { readonly gatewayId: string };
  readonly partnerCertificates?: PartnerCertificateDates;
}

/**
 * Checks a stored envelope's signature now: a received one with the certificate pinned for its partner (under the
 * partner's signature profiles), a sent one with swx's own signing certificate. A partner swx holds no trust for any
 * more is an ERROR with the reason, never a throw: the message is still shown.
 * @example const signature = checkMessageSignature(deps, await store.getMessage(id))
 */
export function checkMessageSignature(deps: MessageSignatureDeps, message: ExchangeMessage): MessageSignature {
  const outbound = message.direction === 'OUT';
  const owner = outbound ? deps.self.gatewayId : message.partnerId;
  const partner = outbound ? undefined : deps.partners.get(message.partnerId);
  const signer = outbound ? `${owner} (this single window)` : partner ? `${owner} (${partner.name})` : owner;
  const certificateNotAfter = deps.partnerCertificates?.notAfterOf(owner) ?? null;
  let certificatePem: string;
  try {
    certificatePem = outbound ? deps.signer.certificatePem : deps.partners.trustFor(message.partnerId).certificatePem;
  } catch (error) {
    return { outcome: 'ERROR', reason: error instanceof Error ? error.message : String(error), signer, certificateNotAfter };
  }
  const profiles = partner?.kind === 'gateway' ? partner.signatureProfiles : undefined;
  const report = deps.signatures.verify(message.envelope, certificatePem, profiles === undefined ? {} : { profiles });
  return { outcome: report.outcome, reason: firstFailure(report)?.reason?.message ?? null, signer, certificateNotAfter };
}
