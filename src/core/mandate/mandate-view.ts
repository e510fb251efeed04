import { z } from 'zod';
import { MandateDocumentType, MandateState, readMandateState, type Mandate } from './mandate.js';

/** A mandate as the admin API shows it (`/v1/admin/mandates`): absent values as null, and where it stands now. */
export const MandateView = z
  .object({
    id: z.string(),
    agentPartyId: z.string().meta({ description: 'The declaring agent (customs broker) who may file', example: '0312345678' }),
    principalPartyId: z.string().meta({ description: 'The exporter or importer it may file for', example: '0301234567' }),
    validFrom: z.string().meta({ description: 'A date (from its start, UTC) or a date-time' }),
    validTo: z.string().nullable().meta({ description: 'A date (through its end, UTC) or a date-time; null: until revoked' }),
    documentTypes: z.array(MandateDocumentType).readonly().nullable().meta({ description: 'null: export and import declarations' }),
    grantedAt: z.string().meta({ format: 'date-time' }),
    grantedBy: z.string(),
    ledgerIndex: z.int().meta({ description: 'Index of the MANDATE_GRANTED ledger entry' }),
    revokedAt: z.string().nullable().meta({ format: 'date-time' }),
    revokedBy: z.string().nullable(),
    revokedLedgerIndex: z.int().nullable().meta({ description: 'Index of the MANDATE_REVOKED ledger entry' }),
    state: MandateState.meta({ description: 'Where it stands now' }),
  })
  .readonly()
  .meta({ id: 'Mandate' });
export type MandateView = z.infer<typeof MandateView>;

/**
 * A mandate as the admin API shows it at an instant.
 * @example viewMandate(mandate, clock.now()).state // 'active'
 */
export function viewMandate(mandate: Mandate, now: Date): MandateView {
  return {
    id: mandate.id,
    agentPartyId: mandate.agentPartyId,
    principalPartyId: mandate.principalPartyId,
    validFrom: mandate.validFrom,
    validTo: mandate.validTo ?? null,
    documentTypes: mandate.documentTypes ?? null,
    grantedAt: mandate.grantedAt,
    grantedBy: mandate.grantedBy,
    ledgerIndex: mandate.ledgerIndex,
    revokedAt: mandate.revokedAt ?? null,
    revokedBy: mandate.revokedBy ?? null,
    revokedLedgerIndex: mandate.revokedLedgerIndex ?? null,
    state: readMandateState(mandate, now),
  };
}
