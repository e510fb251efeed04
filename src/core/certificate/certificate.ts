import { z } from 'zod';
import type { PayloadSignature } from '../verify/signature-profiles.js';

/** The certificates swx exchanges: ATIGA e-Form D, ePhyto (plant health), e-AH (animal health). */
export const CertificateDocumentType = z.enum(['FORM_D', 'EPHYTO', 'EAH']);
export type CertificateDocumentType = z.infer<typeof CertificateDocumentType>;

/**
 * Where a certificate stands. Inbound: RECEIVED, then ACCEPTED or REJECTED by the competent agency (SPS),
 * WITHDRAWN or SUPERSEDED by the issuing country. Outbound: ISSUED (signed and queued), DELIVERED,
 * ACKNOWLEDGED or REJECTED by the importing country; an e-Form D then UTILISED, PARTLY_UTILISED or NOT_ACCEPTED.
 */
export const CertificateStatus = z.enum([
  'RECEIVED',
  'ACCEPTED',
  'REJECTED',
  'WITHDRAWN',
  'SUPERSEDED',
  'ISSUED',
  'DELIVERED',
  'ACKNOWLEDGED',
  'UTILISED',
  'PARTLY_UTILISED',
  'NOT_ACCEPTED',
]);
export type CertificateStatus = z.infer<typeof CertificateStatus>;

/** One use of a certificate item: by one of our import declarations (IN), or as the importing country reported it (OUT). */
export interface ItemUtilisation {
  readonly itemNumber: number;
  readonly quantity: number;
  readonly declarationNumber: string;
  /** Our declaration, for inbound certificates. */
  readonly declarationId?: string;
  readonly at: string;
}

/** A certificate as swx holds it: the document, once, and what happened to it. */
export interface Certificate {
  readonly id: string;
  readonly documentType: CertificateDocumentType;
  readonly direction: 'IN' | 'OUT';
  readonly referenceNumber: string;
  readonly issuingCountry: string;
  readonly importingCountry: string;
  /** The partner gateway it came from (IN) or goes to (OUT). */
  readonly partnerId: string;
  /** The national agency competent for it (partners/ id): VN-MOIT-CO, VN-PPD, VN-DAH, or VN-CUSTOMS for an inbound e-Form D. */
  readonly agencyId: string;
  readonly status: CertificateStatus;
  /** Why it has this status, when someone gave a reason (the agency rejecting an inbound certificate). */
  readonly statusReason?: string;
  readonly document: unknown;
  /** The envelope that carried it. */
  readonly messageId: string | undefined;
  /** The certificate it replaces (same document type), if any. */
  readonly replaces: string | undefined;
  readonly issueDate: string;
  /** Last valid day (YYYY-MM-DD), when the document type has a validity. */
  readonly validUntil: string | undefined;
  readonly utilisation: readonly ItemUtilisation[];
  /**
   * An inbound certificate's own signature by its issuing authority (an NPPO-signed ePhyto), checked with the
   * partner file's `nppoCertificates` when it was received; absent when the document carried none.
   */
  readonly issuerSignature?: PayloadSignature;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A certificate's new status or utilisation; `expectedStatus` makes the commit fail (409) if it moved meanwhile. */
export interface CertificateUpdate {
  readonly id: string;
  readonly status?: CertificateStatus;
  readonly statusReason?: string;
  readonly utilisation?: readonly ItemUtilisation[];
  readonly updatedAt: string;
  readonly expectedStatus?: CertificateStatus;
}

/**
 * The quantity of an item still available: certified less what was utilised.
 * @example remainingQuantity(formD.items[0].quantity, certificate.utilisation, 1) // 3000
 */
export function remainingQuantity(certified: number, utilisation: readonly ItemUtilisation[], itemNumber: number): number {
  const used = utilisation.filter((use) => use.itemNumber === itemNumber).reduce((total, use) => total + use.quantity, 0);
  return roundQuantity(certified - used);
}

/** Quantities are decimals: sums are rounded to 6 places so that 0.1 + 0.2 compares as 0.3. */
export function roundQuantity(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
