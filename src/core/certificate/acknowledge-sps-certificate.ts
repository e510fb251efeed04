import { z } from 'zod';
import { spsAckSpec, type SpsAck } from '../../../message-schemas/sps-ack/1/schema.js';
import { encodeDocumentXml } from '../document/xml-mapping.js';
import { CoreError } from '../errors.js';
import { type SealedMessage, sealOutboundMessage } from '../exchange/seal-outbound-message.js';
import { ChangeBuilder, findLedgerIndex } from '../exchange/change-builder.js';
import { CertificateDocumentType, CertificateStatus, type Certificate } from './certificate.js';
import { commitWithRetry } from '../exchange/commit-with-retry.js';
import type { RequirementDeps } from '../import-assessment/document-requirement.js';
import { reassessAfterCertificate } from '../import-assessment/reassess-after-certificate.js';

/** An agency's decision on an inbound ePhyto or e-AH, as sent to `POST /v1/certificates/{id}/acknowledgement`; a rejection gives its reason. */
export const SpsDecision = z
  .strictObject({
    decision: z.enum(['ACCEPTED', 'REJECTED']),
    reason: z.string().trim().min(1).max(512).optional().meta({ description: 'Required when the decision is REJECTED; sent to the issuing country' }),
  })
  .superRefine((request, context) => {
    if (request.decision === 'REJECTED' && request.reason === undefined) {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'required when the decision is REJECTED' });
    }
  })
  .meta({ id: 'SpsAcknowledgementRequest' });
export type SpsDecision = z.infer<typeof SpsDecision>;

/** What the acknowledgement recorded: the certificate as it now is, its ledger entry and the SPS_ACK message sent. */
export interface SpsAcknowledged {
  readonly certificate: Certificate;
  readonly ledgerIndex: number;
  /** The SPS acknowledgement queued for the issuing country, unless its gateway does not receive them. */
  readonly messageId: string | undefined;
  /** Import declarations the decision settled. */
  readonly declarationIds: readonly string[];
}

/** The answer to an acknowledgement (200): the certificate's new status, its ledger entry, the SPS_ACK queued. */
export const SpsAcknowledgement = z
  .object({
    id: z.string(),
    documentType: CertificateDocumentType,
    referenceNumber: z.string(),
    status: CertificateStatus,
    ledgerIndex: z.int().meta({ description: 'Index of the CERTIFICATE_ACKNOWLEDGED ledger entry' }),
    acknowledgementMessageId: z.string().nullable().meta({ description: 'The SPS_ACK queued for the issuing country’s gateway' }),
    declarations: z.array(z.string()).readonly().meta({ description: 'Import declarations the decision settled' }),
  })
  .readonly()
  .meta({ id: 'SpsAcknowledgement' });
export type SpsAcknowledgement = z.infer<typeof SpsAcknowledgement>;

/**
 * What the agency is answered once its decision is recorded.
 * @example c.json(answerSpsAcknowledgement(await acknowledgeSpsCertificate(deps, agency, id, decision)), 200)
 */
export function answerSpsAcknowledgement(done: SpsAcknowledged): SpsAcknowledgement {
  return {
    id: done.certificate.id,
    documentType: done.certificate.documentType,
    referenceNumber: done.certificate.referenceNumber,
    status: done.certificate.status,
    ledgerIndex: done.ledgerIndex,
    acknowledgementMessageId: done.messageId ?? null,
    declarations: done.declarationIds,
  };
}

/**
 * The competent agency accepts or rejects an inbound ePhyto or e-AH (POST /v1/certificates/{id}/acknowledgement),
 * in one commit:
 * 1. the certificate must be an inbound SPS certificate of this agency (else NOT_FOUND) still RECEIVED (else
 *    DOCUMENT_STATE_CONFLICT: already acknowledged, withdrawn or replaced);
 * 2. it becomes ACCEPTED or REJECTED, with CERTIFICATE_ACKNOWLEDGED in the ledger;
 * 3. the SPS acknowledgement is signed and queued for the issuing country's gateway (RefTo the certificate's message);
 * 4. import declarations awaiting it are settled again: an accepted certificate lets them proceed, a rejected one
 *    sends them to an officer with the agency's reason.
 * Concurrent decisions on one certificate: one wins, the other is DOCUMENT_STATE_CONFLICT.
 * `requestId`: the HTTP request's id, which the SPS acknowledgement's deliveries send as X-Request-Id.
 * @example await acknowledgeSpsCertificate(deps, 'VN-PPD', id, { decision: 'ACCEPTED' }, c.var.requestId)
 */
export async function acknowledgeSpsCertificate(
  deps: RequirementDeps,
  agencyId: string,
  certificateId: string,
  decision: SpsDecision,
  requestId?: string,
): Promise<SpsAcknowledged> {
  if (decision.decision === 'REJECTED' && (decision.reason ?? '').trim() === '') {
    throw new CoreError('VALIDATION_FAILED', 'a rejection gives its reason', {
      issues: [{ pointer: '/reason', detail: 'required when the decision is REJECTED' }],
    });
  }
  let outcome: Omit<SpsAcknowledged, 'ledgerIndex'> | undefined;
  const committed = await commitWithRetry(deps.store, async () => {
    const certificate = await deps.store.getCertificate(certificateId);
    if (
      certificate === undefined ||
      certificate.direction !== 'IN' ||
      (certificate.documentType !== 'EPHYTO' && certificate.documentType !== 'EAH') ||
      certificate.agencyId !== agencyId
    ) {
      throw new CoreError('NOT_FOUND', `no inbound SPS certificate ${certificateId} for ${agencyId}`);
    }
    if (certificate.status !== 'RECEIVED') {
      throw new CoreError(
        'DOCUMENT_STATE_CONFLICT',
        `${certificate.documentType} ${certificate.referenceNumber} is ${certificate.status}, not awaiting acknowledgement`,
      );
    }
    const at = deps.clock.now().toISOString();
    const reason = decision.decision === 'REJECTED' ? decision.reason?.trim() : undefined;
    const decided: Certificate = {
      ...certificate,
      status: decision.decision,
      ...(reason === undefined ? {} : { statusReason: reason }),
      updatedAt: at,
    };
    const change = new ChangeBuilder()
      .event(
        {
          type: 'CERTIFICATE_ACKNOWLEDGED',
          subject: certificate.id,
          at,
          data: {
            documentType: certificate.documentType,
            referenceNumber: certificate.referenceNumber,
            issuingCountry: certificate.issuingCountry,
            agency: agencyId,
            decision: decision.decision,
            reason: reason ?? null,
          },
        },
        { label: 'acknowledged' },
      )
      .updateCertificate({
        id: certificate.id,
        status: decided.status,
        ...(reason === undefined ? {} : { statusReason: reason }),
        updatedAt: at,
        expectedStatus: 'RECEIVED',
      });
    const sent = await spsAckMessage(deps, decided, reason, at);
    if (sent !== undefined) change.queue(sent, { notBefore: Date.parse(at) });
    const settled = await reassessAfterCertificate(deps, decided, { stored: true });
    outcome = { certificate: decided, messageId: sent?.message.messageId, declarationIds: settled.declarationIds };
    return change.include(settled.change).requestedBy(requestId).build();
  });
  if (outcome === undefined) throw new CoreError('INTERNAL', 'the acknowledgement was not recorded');
  return { ...outcome, ledgerIndex: findLedgerIndex(committed.change, committed.entries, 'acknowledged') };
}

/** The SPS acknowledgement to the issuing country's gateway, if it is live and receives them. */
async function spsAckMessage(
  deps: RequirementDeps,
  certificate: Certificate,
  reason: string | undefined,
  at: string,
): Promise<SealedMessage | undefined> {
  const partner = deps.partners.gatewayFor(certificate.partnerId);
  if (!partner || partner.state === 'planned' || !partner.documents.receive.some((entry) => entry.type === 'SPS_ACK')) return undefined;
  const ack: SpsAck = {
    certificateNumber: certificate.referenceNumber,
    certificateType: certificate.documentType === 'EAH' ? 'EAH' : 'EPHYTO',
    issuingCountry: partner.country,
    acknowledgingCountry: deps.self.country,
    status: certificate.status === 'ACCEPTED' ? 'ACCEPTED' : 'REJECTED',
    ...(reason === undefined ? {} : { reason }),
    acknowledgedAt: at,
  };
  const received = certificate.messageId === undefined ? undefined : await deps.store.getMessage(certificate.messageId);
  return sealOutboundMessage(deps, {
    partner: { gatewayId: partner.id, country: partner.country },
    documentType: 'SPS_ACK',
    action: 'RESPOND',
    bodyXml: encodeDocumentXml(spsAckSpec, ack),
    ...(received === undefined ? {} : { refTo: received.messageId, conversationId: received.conversationId }),
  });
}
