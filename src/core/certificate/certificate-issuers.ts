import { formDSpec, formDValidUntil, type FormD } from '../../../message-schemas/form-d/1/schema.js';
import { codecOfSpec, type DocumentCodec } from '../document/document-codec.js';
import type { CertificateDocumentType } from './certificate.js';
import { spsCertificateIssuers } from './sps-certificate-issuers.js';

/** What swx reads of an issued certificate to record and route it. */
export interface IssuedCertificateFacts {
  readonly referenceNumber: string;
  readonly issuingCountry: string;
  readonly importingCountry: string;
  readonly issueDate: string;
  readonly validUntil: string | undefined;
  /** What the ledger's CERTIFICATE_ISSUED entry says of it beyond the reference and countries. */
  readonly summary: Readonly<Record<string, string | number>>;
}

/** How a national agency's certificate of one type is read and described for `POST /v1/certificates`. */
export interface CertificateIssuer {
  readonly codec: DocumentCodec;
  /** The validated document's facts. */
  facts(document: unknown): IssuedCertificateFacts;
}

const formDIssuer: CertificateIssuer = {
  codec: codecOfSpec(formDSpec),
  facts: (document) => {
    const formD = document as FormD;
    return {
      referenceNumber: formD.referenceNumber,
      issuingCountry: formD.issuingCountry,
      importingCountry: formD.importingCountry,
      issueDate: formD.issueDate,
      validUntil: formDValidUntil(formD.issueDate),
      summary: { exporter: formD.exporter.name, consignee: formD.consignee.name, items: formD.items.length },
    };
  },
};

/** The certificate types agencies issue through swx, by document type. */
export const certificateIssuers: Partial<Record<CertificateDocumentType, CertificateIssuer>> = {
  FORM_D: formDIssuer,
  ...spsCertificateIssuers,
};
