import type { SpsCertificate } from '../../../message-schemas/common/1/sps-certificate.js';
import { spsCertificateWarnings, type SpsWarning } from '../../../message-schemas/common/1/sps-certificate-warnings.js';
import type { Principal } from '../auth/api-key.js';
import type { PayloadSignature } from '../verify/signature-profiles.js';
import { CoreError } from '../errors.js';
import type { ExchangeStore, OutboxState } from '../ports.js';
import type { Certificate, ItemUtilisation } from './certificate.js';
import { summariseCertificate, type CertificateSummary } from './list-certificates.js';

/** What `GET /v1/certificates/{id}` shows: where the certificate stands, its delivery, the partner's answers. */
export interface CertificateView extends CertificateSummary {
  readonly validUntil: string | null;
  /** The envelope that carries it: signed (its ledger index), delivered (outbox), receipted (the partner's signed receipt). */
  readonly message: {
    readonly messageId: string;
    readonly ledgerIndex: number | null;
    readonly signed: boolean;
    readonly delivery: OutboxState | null;
    readonly attempts: number;
    readonly lastError: string | null;
    readonly receipted: boolean;
  } | null;
  /** The partner's business responses to it (e-Form D utilisation status, SPS acknowledgement), oldest first. */
  readonly responses: readonly { readonly messageId: string; readonly documentType: string; readonly ledgerIndex: number | null; readonly receivedAt: string }[];
  readonly utilisation: readonly ItemUtilisation[];
  readonly replaces: string | null;
  /**
   * The defects an inbound ePhyto or e-AH was accepted with (the receipt listed them, at most LISTED_WARNINGS), all of
   * them, computed from the stored document; none for an e-Form D.
   */
  readonly warnings: readonly SpsWarning[];
  /** The check of an inbound certificate's own signature by its issuer (VALID, INVALID, UNKNOWN_SIGNER), or null when it carried none. */
  readonly issuerSignature: PayloadSignature | null;
  readonly document: unknown;
  readonly updatedAt: string;
}

/**
 * A certificate as its reader may see it: the agency competent for it, or an officer or admin. For anyone
 * else it is "not found", so that its existence does not leak.
 * @example const view = await viewCertificate(store, id, principal)
 */
export async function viewCertificate(store: ExchangeStore, id: string, reader: Principal): Promise<CertificateView> {
  const certificate = await store.getCertificate(id);
  const allowed = reader.role === 'officer' || reader.role === 'admin' || (reader.role === 'agency' && certificate?.agencyId === reader.partyId);
  if (!certificate || !allowed) throw new CoreError('NOT_FOUND', `no certificate ${id}`);
  const messageId = certificate.messageId;
  const [message, outbox, replies] = messageId === undefined
    ? [undefined, undefined, []]
    : await Promise.all([store.getMessage(messageId), store.getOutbox(messageId), store.listReplies(messageId)]);
  return {
    ...summariseCertificate(certificate),
    validUntil: certificate.validUntil ?? null,
    message: message === undefined
      ? null
      : {
          messageId: message.messageId,
          ledgerIndex: message.ledgerIndex ?? null,
          signed: message.direction === 'OUT',
          delivery: outbox?.state ?? null,
          attempts: outbox?.attempts ?? 0,
          lastError: outbox?.lastError ?? null,
          receipted: message.receipt !== undefined,
        },
    responses: replies.map((reply) => ({ messageId: reply.messageId, documentType: reply.documentType, ledgerIndex: reply.ledgerIndex ?? null, receivedAt: reply.createdAt })),
    utilisation: certificate.utilisation,
    replaces: certificate.replaces ?? null,
    warnings: warningsOf(certificate),
    issuerSignature: certificate.issuerSignature ?? null,
    document: certificate.document,
    updatedAt: certificate.updatedAt,
  };
}

function warningsOf(certificate: Certificate): readonly SpsWarning[] {
  return certificate.documentType === 'EPHYTO' || certificate.documentType === 'EAH' ? spsCertificateWarnings(certificate.document as SpsCertificate) : [];
}
