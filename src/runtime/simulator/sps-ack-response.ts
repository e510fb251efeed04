import { eahCodec } from '../../../message-schemas/eah/1/schema.js';
import type { EnvelopeHeader, GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import { ephytoCodec } from '../../../message-schemas/ephyto/1/schema.js';
import { spsAckSpec, type SpsAck } from '../../../message-schemas/sps-ack/1/schema.js';
import { encodeDocumentXml } from '../../core/document/xml-mapping.js';
import type { Clock } from '../../core/ports.js';
import type { ParsedXml } from '../../core/xml/parsed-xml.js';
import type { BusinessResponse } from './business-response.js';

/**
 * What a partner's plant protection or animal health authority answers to an ePhyto or e-AH it received: an SPS
 * acknowledgement, ACCEPTED when the certificate is for import into its own country, else REJECTED saying so.
 * Throws VALIDATION_FAILED for an invalid certificate (the envelope is then refused with an error receipt).
 * @example spsAckFor(header, body, { self, clock }).documentType // 'SPS_ACK'
 */
export function spsAckFor(
  header: EnvelopeHeader & { readonly documentType: 'EPHYTO' | 'EAH' },
  body: ParsedXml,
  context: { readonly self: GatewayAddress; readonly clock: Clock },
): BusinessResponse {
  const certificate = (header.documentType === 'EPHYTO' ? ephytoCodec : eahCodec).read(body);
  const importCountry = certificate.consignment.importCountry.id;
  const common = {
    certificateNumber: certificate.certificateNumber,
    certificateType: header.documentType,
    issuingCountry: header.from.country,
    acknowledgingCountry: context.self.country,
    acknowledgedAt: context.clock.now().toISOString(),
  };
  const ack: SpsAck =
    importCountry === context.self.country
      ? { ...common, status: 'ACCEPTED' }
      : { ...common, status: 'REJECTED', reason: `the certificate is for import into ${importCountry}, not ${context.self.country}` };
  return { documentType: 'SPS_ACK', action: 'RESPOND', bodyXml: encodeDocumentXml(spsAckSpec, ack) };
}
