import { z } from 'zod';
import type { LedgerEvent } from '../ledger/entry.js';

/** The declarations a mandate may be limited to. */
export const MandateDocumentType = z.enum(['EXPORT_DECLARATION', 'IMPORT_DECLARATION']);
export type MandateDocumentType = z.infer<typeof MandateDocumentType>;

const PartyId = z.string().trim().min(1).max(64);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected an ISO 8601 date (2026-12-31) or date-time with offset (2026-12-31T17:00:00+07:00)',
});

/**
 * What an admin gives to grant a mandate, over HTTP or with `swx mandates grant`: the declaring agent (customs
 * broker) may file in the principal's name (exporter or importer), from `validFrom` (default: now) through
 * `validTo` (a date counts to its end, UTC; default: until revoked), for the listed declaration types (default: both).
 */
export const NewMandate = z
  .strictObject({
    agentPartyId: PartyId,
    principalPartyId: PartyId,
    validFrom: DateOrDateTime.optional(),
    validTo: DateOrDateTime.optional(),
    documentTypes: z.array(MandateDocumentType).min(1).max(2).optional(),
  })
  .superRefine((mandate, context) => {
    if (mandate.agentPartyId === mandate.principalPartyId) {
      context.addIssue({ code: 'custom', path: ['agentPartyId'], message: 'a party needs no mandate from itself' });
    }
    if (mandate.validFrom !== undefined && validityIsEmpty(mandate.validFrom, mandate.validTo)) {
      context.addIssue({ code: 'custom', path: ['validTo'], message: 'must not be before validFrom' });
    }
  });
export type NewMandate = z.infer<typeof NewMandate>;

/** A mandate as stored: who may file for whom, when, for what, and the ledger entries of its grant and revocation. */
export interface Mandate {
  readonly id: string;
  readonly agentPartyId: string;
  readonly principalPartyId: string;
  /** A date (from its start, UTC) or a date-time. */
  readonly validFrom: string;
  /** A date (through its end, UTC) or a date-time; undefined: until revoked. */
  readonly validTo: string | undefined;
  /** Undefined: export and import declarations. */
  readonly documentTypes: readonly MandateDocumentType[] | undefined;
  readonly grantedAt: string;
  readonly grantedBy: string;
  /** The MANDATE_GRANTED ledger entry. */
  readonly ledgerIndex: number;
  readonly revokedAt: string | undefined;
  readonly revokedBy: string | undefined;
  /** The MANDATE_REVOKED ledger entry. */
  readonly revokedLedgerIndex: number | undefined;
}

/** Mandates: rows and their ledger entries, written together (port; src/adapters/storage/sqlite-mandate-store.ts). */
export interface MandateStore {
  /** Stores the mandate and appends `event` (MANDATE_GRANTED) in one transaction; returns it with the entry's index. */
  grant(mandate: Omit<Mandate, 'ledgerIndex'>, event: LedgerEvent): Promise<Mandate>;
  /** Marks it revoked and appends `event` (MANDATE_REVOKED) in one transaction; false when it is unknown or revoked already. */
  revoke(id: string, revokedAt: string, revokedBy: string, event: LedgerEvent): Promise<boolean>;
  get(id: string): Promise<Mandate | undefined>;
  /** Every mandate, oldest first. */
  list(): Promise<readonly Mandate[]>;
  /** The mandates an agent holds from a principal, revoked or not, oldest first. */
  listBetween(agentPartyId: string, principalPartyId: string): Promise<readonly Mandate[]>;
}

/**
 * Whether a mandate lets its agent file a declaration of this type now, and if not, why not.
 * @example checkMandateStanding(mandate, new Date(), 'IMPORT_DECLARATION') // { active: false, reason: 'expired at the end of 2026-12-31' }
 */
export function checkMandateStanding(
  mandate: Mandate,
  at: Date,
  documentType: MandateDocumentType,
): { readonly active: true } | { readonly active: false; readonly reason: string } {
  const state = readMandateState(mandate, at);
  if (state === 'revoked') return { active: false, reason: `was revoked at ${mandate.revokedAt}` };
  if (state === 'not yet valid') return { active: false, reason: `is valid only from ${mandate.validFrom}` };
  if (state === 'expired') {
    return { active: false, reason: DATE.test(mandate.validTo ?? '') ? `expired at the end of ${mandate.validTo}` : `expired at ${mandate.validTo}` };
  }
  if (mandate.documentTypes !== undefined && !mandate.documentTypes.includes(documentType)) {
    return { active: false, reason: `covers ${mandate.documentTypes.join(', ')} only` };
  }
  return { active: true };
}

/** Where a mandate stands at an instant, whatever the declaration type. */
export const MandateState = z.enum(['active', 'revoked', 'expired', 'not yet valid']);
export type MandateState = z.infer<typeof MandateState>;

/**
 * Where a mandate stands at an instant: revoked, before its validFrom, after its validTo, or active.
 * @example readMandateState(mandate, new Date()) // 'active'
 */
export function readMandateState(mandate: Mandate, at: Date): MandateState {
  if (mandate.revokedAt !== undefined) return 'revoked';
  if (at.getTime() < validityStart(mandate.validFrom)) return 'not yet valid';
  if (mandate.validTo !== undefined && at.getTime() >= validityEnd(mandate.validTo)) return 'expired';
  return 'active';
}

/**
 * Whether a validity from `validFrom` to `validTo` holds no instant (it ends before it starts).
 * @example validityIsEmpty('2026-12-31', '2026-12-31') // false: the whole day
 */
export function validityIsEmpty(validFrom: string, validTo: string | undefined): boolean {
  return validTo !== undefined && validityEnd(validTo) <= validityStart(validFrom);
}

/** Epoch ms from which a validFrom holds: a date from its start (UTC). */
function validityStart(text: string): number {
  return Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text);
}

/** Epoch ms from which a validTo no longer holds: a date through its end (UTC). */
function validityEnd(text: string): number {
  return DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) + 86_400_000 : Date.parse(text) + 1;
}
