import { spsIssueDate, type SpsCertificate } from '../../../message-schemas/common/1/sps-certificate.js';
import type { SpsCertificateCodec } from '../../../message-schemas/common/1/sps-certificate-codec.js';
import { eahCodec } from '../../../message-schemas/eah/1/schema.js';
import { ephytoCodec } from '../../../message-schemas/ephyto/1/schema.js';
import { CoreError } from '../errors.js';
import type { CertificateIssuer } from './certificate-issuers.js';

function spsIssuer(codec: SpsCertificateCodec): CertificateIssuer {
  return {
    codec,
    facts: (document) => {
      const certificate = document as SpsCertificate;
      if (certificate.statusCode !== '70') {
        throw new CoreError('VALIDATION_FAILED', 'only issued certificates are sent through POST /v1/certificates', {
          issues: [{ pointer: '/statusCode', detail: 'must be 70 (issued)' }],
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
    },
  };
}

/**
 * The SPS certificates national agencies issue through swx: plant protection's ePhyto and animal health's e-AH,
 * issued (status 70) in our country, the exporting country of the consignment.
 */
export const spsCertificateIssuers = { EPHYTO: spsIssuer(ephytoCodec), EAH: spsIssuer(eahCodec) } as const;
