import type { SpsCertificate } from '../../../message-schemas/common/1/sps-certificate.js';
import type { SpsCertificateCodec } from '../../../message-schemas/common/1/sps-certificate-codec.js';
import { eahCodec } from '../../../message-schemas/eah/1/schema.js';
import { ephytoCodec } from '../../../message-schemas/ephyto/1/schema.js';
import { spsAckSpec, type SpsAck } from '../../../message-schemas/sps-ack/1/schema.js';
import { codecOfSpec } from '../document/document-codec.js';
import type { InboundDocument } from '../exchange/inbound-documents.js';
import { replacedCertificateNumber } from '../../../message-schemas/common/1/sps-certificate.js';
import { routeSpsAck } from './route-sps-ack.js';
import { routeSpsCertificate } from './route-sps-certificate.js';

function spsCertificate(codec: SpsCertificateCodec): InboundDocument {
  return {
    validate: (body) => codec.read(body),
    summarise: (document) => {
      const certificate = document as SpsCertificate;
      return {
        certificateNumber: certificate.certificateNumber,
        typeCode: certificate.typeCode,
        status: certificate.statusCode === '40' ? 'WITHDRAWN' : 'ISSUED',
        replaces: replacedCertificateNumber(certificate) ?? null,
        consignor: certificate.consignment.consignor?.name ?? null,
        consignee: certificate.consignment.consignee.name,
        items: certificate.consignment.items.length,
      };
    },
    warnings: (document) => codec.warnings(document as SpsCertificate),
    route: (document, context) => routeSpsCertificate(codec.documentType, document as SpsCertificate, context),
  };
}

const spsAckCodec = codecOfSpec(spsAckSpec);

/** The SPS documents partner gateways send swx: ePhytos and e-AHs for import, and acknowledgements of ours. */
export const spsInboundDocuments = {
  EPHYTO: spsCertificate(ephytoCodec),
  EAH: spsCertificate(eahCodec),
  SPS_ACK: {
    validate: (body) => spsAckCodec.read(body),
    summarise: (document) => {
      const ack = document as SpsAck;
      return { certificateNumber: ack.certificateNumber, certificateType: ack.certificateType, status: ack.status, reason: ack.reason ?? null };
    },
    route: (document, context) => routeSpsAck(document as SpsAck, context),
  },
} satisfies Record<string, InboundDocument>;
