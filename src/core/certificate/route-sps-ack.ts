import type { SpsAck } from '../../../message-schemas/sps-ack/1/schema.js';
import { CoreError } from '../errors.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { InboundContext, InboundRouting } from '../documents/document-descriptor.js';

/**
 * Routes an SPS acknowledgement from a partner gateway: the importing country's answer to an ePhyto or e-AH we
 * issued. The certificate must be one of ours sent to that partner's country and not yet acknowledged; it becomes
 * ACKNOWLEDGED, or REJECTED with the partner's reason, with CERTIFICATE_ACKNOWLEDGED in the ledger, and the
 * acknowledgement goes to the agency that issued it. Anything else is refused with a coded receipt.
 * @example const routing = await routeSpsAck(ack, context) // { routedTo: 'VN-PPD', change: { updateCertificates: [...] } }
 */
export async function routeSpsAck(ack: SpsAck, context: InboundContext): Promise<InboundRouting> {
  const { deps, partner, at } = context;
  if (ack.acknowledgingCountry !== partner.country) {
    throw invalid(
      '/acknowledgingCountry',
      `an SPS acknowledgement sent by ${partner.id}'s gateway comes from ${partner.country}, not ${ack.acknowledgingCountry}`,
    );
  }
  if (ack.issuingCountry !== deps.self.country) throw invalid('/issuingCountry', `this gateway issued no certificates for ${ack.issuingCountry}`);
  const [certificate] = await deps.store.findCertificates({
    documentType: ack.certificateType,
    direction: 'OUT',
    referenceNumber: ack.certificateNumber,
    issuingCountry: deps.self.country,
  });
  if (certificate === undefined || certificate.partnerId !== partner.id) {
    throw invalid('/certificateNumber', `no ${ack.certificateType} ${ack.certificateNumber} was sent to ${partner.id}`);
  }
  if (certificate.status === 'ACKNOWLEDGED' || certificate.status === 'REJECTED') {
    throw new CoreError(
      'DOCUMENT_STATE_CONFLICT',
      `${ack.certificateType} ${ack.certificateNumber} was already acknowledged (${certificate.status})`,
    );
  }
  const status = ack.status === 'ACCEPTED' ? 'ACKNOWLEDGED' : 'REJECTED';
  return {
    routedTo: certificate.agencyId,
    change: new ChangeBuilder()
      .event({
        type: 'CERTIFICATE_ACKNOWLEDGED',
        subject: certificate.id,
        at,
        data: {
          documentType: certificate.documentType,
          referenceNumber: certificate.referenceNumber,
          acknowledgedBy: partner.country,
          decision: ack.status,
          reason: ack.reason ?? null,
        },
      })
      .updateCertificate({
        id: certificate.id,
        status,
        ...(ack.reason === undefined ? {} : { statusReason: ack.reason }),
        updatedAt: at,
        expectedStatus: certificate.status,
      })
      .build(),
  };
}

function invalid(pointer: string, detail: string): CoreError {
  return new CoreError('VALIDATION_FAILED', `SPS acknowledgement not accepted: ${detail}`, { issues: [{ pointer, detail }] });
}
