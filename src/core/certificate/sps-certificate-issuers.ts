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
    },
  };
}

/**
 * The SPS certificates national agencies issue through swx: plant protection's ePhyto and animal health's e-AH,
 * issued (status 70) in our country, the exporting country of the consignment, and free of the defects swx accepts
 * from partners only with a warning (sps-certificate-warnings.ts): those are refused, 422 naming each field.
 */
export const spsCertificateIssuers = { EPHYTO: spsIssuer(ephytoCodec), EAH: spsIssuer(eahCodec) } as const;
