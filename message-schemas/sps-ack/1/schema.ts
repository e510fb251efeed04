import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import { CountryCode, Description, expected, IsoDateTime } from '../../common/1/common-types.js';
import { SpsIdentifier } from '../../common/1/sps-certificate.js';

/** The kind of SPS certificate acknowledged, as its document type code. */
export const SpsCertificateType = z.enum(['EPHYTO', 'EAH'], { error: expected('EPHYTO or EAH') });
export type SpsCertificateType = z.infer<typeof SpsCertificateType>;

/** The importing country's competent authority accepted the certificate, or rejected it with a reason. */
export const SpsAckStatus = z.enum(['ACCEPTED', 'REJECTED'], { error: expected('ACCEPTED or REJECTED') });
export type SpsAckStatus = z.infer<typeof SpsAckStatus>;

/**
 * The SPS acknowledgement: the importing country's answer to an ePhyto or e-AH (design.md 3.4, a business
 * response), sent back to the issuing country. A REJECTED acknowledgement must give its reason; XSD 1.0
 * cannot say that, so sps-ack.xsd leaves the reason optional and only this schema enforces it.
 * @example SpsAck.parse({ certificateNumber: 'ID-EPHYTO-2026-000458', certificateType: 'EPHYTO', issuingCountry: 'ID', acknowledgingCountry: 'VN', status: 'ACCEPTED', acknowledgedAt: '2026-11-22T10:15:00+07:00' })
 */
export const SpsAck = z
  .strictObject({
    certificateNumber: SpsIdentifier,
    certificateType: SpsCertificateType,
    issuingCountry: CountryCode,
    acknowledgingCountry: CountryCode,
    status: SpsAckStatus,
    reason: Description.optional(),
    acknowledgedAt: IsoDateTime,
  })
  .superRefine((ack, context) => {
    if (ack.status === 'REJECTED' && ack.reason === undefined) {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'required when the status is REJECTED', input: ack.reason });
    }
  });
export type SpsAck = z.infer<typeof SpsAck>;

/** The SPS acknowledgement's XML form: `<SpsAcknowledgement xmlns="urn:swx:xsd:sps-ack:1">`. */
export const spsAckSpec = defineDocumentSpec({
  documentType: 'SPS_ACK',
  rootElement: 'SpsAcknowledgement',
  namespace: 'urn:swx:xsd:sps-ack:1',
  schema: SpsAck,
  itemElements: {},
});
