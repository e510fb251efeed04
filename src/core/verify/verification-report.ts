import type { CoreErrorCode } from '../errors.js';

/** The result of one check: `ERROR` when the check itself could not be carried out, `SKIPPED` when it did not apply. */
export type CheckStatus = 'VALID' | 'INVALID' | 'ERROR' | 'SKIPPED';

/**
 * One coded check of a verification (oa-verify's fragments).
 * @example { name: 'certificate-validity', status: 'INVALID', reason: { code: 'CERTIFICATE_EXPIRED', message: 'expired on 2024-01-01T00:00:00.000Z' } }
 */
export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly reason?: { readonly code: CoreErrorCode; readonly message: string };
}

/**
 * Every check a verification ran, so officers see each failure, and its outcome: `INVALID` when any check is
 * invalid, else `ERROR` when any check could not be carried out, else `VALID`.
 */
export interface VerificationReport {
  readonly outcome: 'VALID' | 'INVALID' | 'ERROR';
  readonly checks: readonly Check[];
}
