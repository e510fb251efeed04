import { z } from 'zod';
import type { Principal } from '../auth/api-key.js';
import { type ClearanceCursor, encodeCursor } from '../clearance/clearance-search.js';
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

/** One page of `GET /v1/certificates`, as the other lists page (`GET /v1/clearances`, `GET /v1/messages`). */
export const CertificatePage = z
  .object({
    items: z.array(CertificateSummary).readonly(),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  })
  .readonly()
  .meta({ id: 'CertificatePage' });
export type CertificatePage = z.infer<typeof CertificatePage>;

/**
 * One page of the certificates a reader may see, newest first (creation time, then id), and the cursor of the next:
 * an agency those it is competent for (the ePhytos awaiting plant protection's acknowledgement, for instance), an
 * officer or admin all; filtered by type, direction and status. Walking the cursors visits each certificate once, even
 * while new ones arrive (they sort before the first page).
 * @example const { items, nextCursor } = await listCertificates(store, principal, { direction: 'IN', status: 'RECEIVED', limit: 50 })
 */
export async function listCertificates(
  store: ExchangeStore,
  reader: Principal,
  filter: {
    readonly documentType?: CertificateDocumentType;
    readonly direction: 'IN' | 'OUT';
    readonly status?: CertificateStatus;
    readonly after?: ClearanceCursor;
    readonly limit: number;
  },
): Promise<CertificatePage> {
  const types = filter.documentType === undefined ? CertificateDocumentType.options : [filter.documentType];
  const statuses = filter.status === undefined ? CertificateStatus.options : [filter.status];
  const found = await Promise.all(types.map((documentType) => store.listCertificates({ documentType, direction: filter.direction, statuses })));
  const { after } = filter;
  const matching = found
    .flat()
    .filter((certificate) => reader.role !== 'agency' || certificate.agencyId === reader.partyId)
    .filter(
      (certificate) =>
        after === undefined || certificate.createdAt < after.createdAt || (certificate.createdAt === after.createdAt && certificate.id < after.id),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  const items = matching.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items: items.map(summariseCertificate),
    nextCursor: matching.length > filter.limit && last !== undefined ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
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
