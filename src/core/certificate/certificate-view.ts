import { z } from 'zod';
import type { Principal } from '../auth/api-key.js';
import { CoreError } from '../errors.js';
import type { DocumentWarning } from '../documents/document-descriptor.js';
import { findDocument } from '../documents/document-table.js';
import type { ExchangeStore } from '../exchange/exchange-store.js';
import type { Certificate } from './certificate.js';
import { CertificateSummary, summariseCertificate } from './list-certificates.js';

/** What `GET /v1/certificates/{id}` shows: where the certificate stands, its delivery, the partner's answers. */
export const CertificateView = CertificateSummary.unwrap()
  .extend({
    validUntil: z.string().nullable(),
    /** The envelope that carries it: signed (its ledger index), delivered (outbox), receipted (the partner's signed receipt). */
    message: z
      .object({
        messageId: z.string(),
        ledgerIndex: z.int().nullable(),
        signed: z.boolean(),
        delivery: z.enum(['PENDING', 'DELIVERED', 'REJECTED', 'DEAD_LETTER']).nullable(),
        attempts: z.int(),
        lastError: z.string().nullable(),
        receipted: z.boolean(),
      })
      .readonly()
      .nullable(),
    /** The partner's business responses to it (e-Form D utilisation status, SPS acknowledgement), oldest first. */
    responses: z
      .array(z.object({ messageId: z.string(), documentType: z.string(), ledgerIndex: z.int().nullable(), receivedAt: z.string() }).readonly())
      .readonly(),
    utilisation: z
      .array(
        z
          .object({ itemNumber: z.int(), quantity: z.number(), declarationNumber: z.string(), declarationId: z.string().optional(), at: z.string() })
          .readonly(),
      )
      .readonly(),
    replaces: z.string().nullable(),
    warnings: z
      .array(z.object({ code: z.string(), pointer: z.string(), message: z.string() }).readonly())
      .readonly()
      .meta({
        description:
          'Defects an inbound ePhyto or e-AH was accepted with (ATTACHMENT_NOT_BASE64, UNIT_CODE_UNKNOWN, COUNTRY_CODE_UNKNOWN, TRANSPORT_MODE_UNKNOWN, TEXT_UNREADABLE, GOODS_NOT_DESCRIBED), each with the JSON pointer of its field in `document`; empty when none',
      }),
    issuerSignature: z
      .object({ status: z.enum(['VALID', 'INVALID', 'UNKNOWN_SIGNER']), signer: z.string().optional(), message: z.string() })
      .readonly()
      .nullable()
      .meta({
        description:
          "The check of an inbound certificate's own enveloped signature by its issuer (an NPPO-signed ePhyto), made on reception with the partner file's nppoCertificates: VALID, INVALID (changed after signing, or not verifying with the listed certificate), UNKNOWN_SIGNER (no listed certificate is the signer's); null when the document carried no signature. It never decides whether the envelope is accepted",
      }),
    document: z.unknown(),
    updatedAt: z.string(),
  })
  .readonly()
  .meta({ id: 'Certificate' });
export type CertificateView = z.infer<typeof CertificateView>;

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
  const [message, outbox, replies] =
    messageId === undefined
      ? [undefined, undefined, []]
      : await Promise.all([store.getMessage(messageId), store.getOutbox(messageId), store.listReplies(messageId)]);
  return {
    ...summariseCertificate(certificate),
    validUntil: certificate.validUntil ?? null,
    message:
      message === undefined
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
    responses: replies.map((reply) => ({
      messageId: reply.messageId,
      documentType: reply.documentType,
      ledgerIndex: reply.ledgerIndex ?? null,
      receivedAt: reply.createdAt,
    })),
    utilisation: certificate.utilisation,
    replaces: certificate.replaces ?? null,
    warnings: warningsOf(certificate),
    issuerSignature: certificate.issuerSignature ?? null,
    document: certificate.document,
    updatedAt: certificate.updatedAt,
  };
}

function warningsOf(certificate: Certificate): readonly DocumentWarning[] {
  return findDocument(certificate.documentType)?.inbound?.warnings?.(certificate.document) ?? [];
}
