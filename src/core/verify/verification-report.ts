import { isCoreError, type CoreErrorCode } from '../errors.js';

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

/**
 * Runs one check. It is `VALID` when `body` returns, `INVALID` with the code of a `CoreError` it throws
 * (the expected negatives), and `ERROR` with code `INTERNAL` for any other throw (the check could not be carried out).
 * @example runCheck('digest', () => { if (!same) throw new CoreError('SIGNATURE_INVALID', 'digest differs'); })
 */
export function runCheck(name: string, body: () => void): Check {
  try {
    body();
    return { name, status: 'VALID' };
  } catch (error) {
    if (isCoreError(error)) return { name, status: 'INVALID', reason: { code: error.code, message: error.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { name, status: 'ERROR', reason: { code: 'INTERNAL', message } };
  }
}

/**
 * A check that did not apply, or could not run because an earlier one failed.
 * @example skippedCheck('signature-value')
 */
export function skippedCheck(name: string): Check {
  return { name, status: 'SKIPPED' };
}

/**
 * The report of these checks, with the outcome the rule on `VerificationReport` gives.
 * @example buildVerificationReport([runCheck('well-formed', parse), skippedCheck('digest')])
 */
export function buildVerificationReport(checks: readonly Check[]): VerificationReport {
  const outcome = checks.some((check) => check.status === 'INVALID')
    ? 'INVALID'
    : checks.some((check) => check.status === 'ERROR')
      ? 'ERROR'
      : 'VALID';
  return { outcome, checks };
}

/**
 * The first check that failed (`INVALID` or `ERROR`), whose reason explains the outcome.
 * @example const reason = firstFailure(report)?.reason
 */
export function firstFailure(report: VerificationReport): Check | undefined {
  return report.checks.find((check) => check.status === 'INVALID' || check.status === 'ERROR');
}
