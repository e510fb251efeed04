import { z } from 'zod';
import type { Principal } from '../auth/api-key.js';
import type { ExchangeStore } from '../exchange/exchange-store.js';
import { CertificateDocumentType, CertificateStatus, type Certificate } from './certificate.js';

/** One line of an agency's worklist (`GET /v1/certificates`). */
export const CertificateSummary = z
  .object({
    id: z.string(),
    documentType: CertificateDocumentType,
    direction: z.enum(['IN', 'OUT']),
    referenceNumber: z.string(),
    issuingCountry: z.string(),
    importingCountry: z.string(),
    partner: z.string(),
    agency: z.string(),
    status: CertificateStatus,
    statusReason: z.string().nullable().meta({ description: 'Why it has this status: the agency’s reason for a rejection' }),
    issueDate: z.string(),
    createdAt: z.string(),
  })
  .readonly()
  .meta({ id: 'CertificateSummary' });
export type CertificateSummary = z.infer<typeof CertificateSummary>;

/**
 * The certificates a reader may see, newest first: an agency those it is competent for (the ePhytos awaiting
 * plant protection's acknowledgement, for instance), an officer or admin all; filtered by type, direction and status.
 * @example await listCertificates(store, principal, { direction: 'IN', status: 'RECEIVED', limit: 50 })
 */
export async function listCertificates(
  store: ExchangeStore,
  reader: Principal,
  filter: {
    readonly documentType?: CertificateDocumentType;
    readonly direction: 'IN' | 'OUT';
    readonly status?: CertificateStatus;
    readonly limit: number;
  },
): Promise<CertificateSummary[]> {
  const types = filter.documentType === undefined ? CertificateDocumentType.options : [filter.documentType];
  const statuses = filter.status === undefined ? CertificateStatus.options : [filter.status];
  const found = await Promise.all(types.map((documentType) => store.listCertificates({ documentType, direction: filter.direction, statuses })));
  return found
    .flat()
    .filter((certificate) => reader.role !== 'agency' || certificate.agencyId === reader.partyId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .slice(0, filter.limit)
    .map(summariseCertificate);
}

/**
 * A certificate's worklist line.
 * @example summariseCertificate(certificate).status // 'RECEIVED'
 */
export function summariseCertificate(certificate: Certificate): CertificateSummary {
  return {
    id: certificate.id,
    documentType: certificate.documentType,
    direction: certificate.direction,
    referenceNumber: certificate.referenceNumber,
    issuingCountry: certificate.issuingCountry,
    importingCountry: certificate.importingCountry,
    partner: certificate.partnerId,
    agency: certificate.agencyId,
    status: certificate.status,
    statusReason: certificate.statusReason ?? null,
    issueDate: certificate.issueDate,
    createdAt: certificate.createdAt,
  };
}
