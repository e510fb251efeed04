import { replacedCertificateNumber, spsIssueDate, type SpsCertificate } from '../../../message-schemas/common/1/sps-certificate.js';
import type { SpsCertificateCodec } from '../../../message-schemas/common/1/sps-certificate-codec.js';
import { spsAckSpec, type SpsAck } from '../../../message-schemas/sps-ack/1/schema.js';
import { routeSpsCertificate } from '../certificate/route-sps-certificate.js';
import { encodeDocumentXml } from '../document/xml-mapping.js';
import { CoreError } from '../errors.js';
import type { DocumentDescriptor, IssuedCertificateFacts } from './document-descriptor.js';

/**
 * An SPS certificate document type (ePhyto, e-AH: design.md 1, flow C), whatever its certificate type codes:
 * - received from the exporting country, read as tolerantly as the IPPC hub (defects that do not touch its meaning
 *   are warnings) and routed to the competent agency (route-sps-certificate.ts);
 * - issued by that agency through swx: issued (status 70) in our country, the exporting country of the
 *   consignment, and free of the defects swx accepts from partners only with a warning (sps-certificate-warnings.ts):
 *   those are refused, 422 naming each field;
 * - a simulated importing country's plant protection or animal health authority answers with an SPS
 *   acknowledgement, ACCEPTED when the certificate is for import into its own country, else REJECTED saying so.
 * @example export const ephyto = spsCertificateDocument('EPHYTO', ephytoCodec)
 */
export function spsCertificateDocument<K extends SpsCertificateCodec['documentType']>(
  type: K,
  codec: SpsCertificateCodec,
): DocumentDescriptor<SpsCertificate, K> {
  return {
    type,
    codec,
    inbound: {
      validate: (body) => codec.read(body),
      summarise: (certificate) => ({
        certificateNumber: certificate.certificateNumber,
        typeCode: certificate.typeCode,
        status: certificate.statusCode === '40' ? 'WITHDRAWN' : 'ISSUED',
        replaces: replacedCertificateNumber(certificate) ?? null,
        consignor: certificate.consignment.consignor?.name ?? null,
        consignee: certificate.consignment.consignee.name,
        items: certificate.consignment.items.length,
      }),
      warnings: (certificate) => codec.warnings(certificate),
      route: (certificate, context) => routeSpsCertificate(type, certificate, context),
    },
    issue: { facts: (certificate) => issuedFacts(codec, certificate) },
    simulatorResponse(body, { header, self, clock }) {
      const certificate = codec.read(body);
      const importCountry = certificate.consignment.importCountry.id;
      const common = {
        certificateNumber: certificate.certificateNumber,
        certificateType: type,
        issuingCountry: header.from.country,
        acknowledgingCountry: self.country,
        acknowledgedAt: clock.now().toISOString(),
      };
      const ack: SpsAck =
        importCountry === self.country
          ? { ...common, status: 'ACCEPTED' }
          : { ...common, status: 'REJECTED', reason: `the certificate is for import into ${importCountry}, not ${self.country}` };
      return { documentType: 'SPS_ACK', action: 'RESPOND', bodyXml: encodeDocumentXml(spsAckSpec, ack) };
    },
  };
}

function issuedFacts(codec: SpsCertificateCodec, certificate: SpsCertificate): IssuedCertificateFacts {
  if (certificate.statusCode !== '70') {
    throw new CoreError('VALIDATION_FAILED', 'only issued certificates are sent through POST /v1/certificates', {
      issues: [{ pointer: '/statusCode', detail: 'must be 70 (issued)' }],
    });
  }
  // What swx accepts from a partner with a warning, it does not send: we write our own certificates.
  const warnings = codec.warnings(certificate);
  if (warnings.length > 0) {
    throw new CoreError('VALIDATION_FAILED', 'swx does not issue a certificate with defects it would accept only with a warning', {
      issues: warnings.map((warning) => ({ pointer: warning.pointer, detail: `${warning.message} (${warning.code})` })),
    });
  }
  return {
    referenceNumber: certificate.certificateNumber,
    issuingCountry: certificate.consignment.exportCountry.id,
    importingCountry: certificate.consignment.importCountry.id,
    issueDate: spsIssueDate(certificate.issuedAt) ?? certificate.issuedAt,
    validUntil: undefined,
    summary: {
      ...(certificate.consignment.consignor?.name === undefined ? {} : { consignor: certificate.consignment.consignor.name }),
      consignee: certificate.consignment.consignee.name,
      items: certificate.consignment.items.length,
    },
  };
}
