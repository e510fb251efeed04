/**
 * Every failure a command can raise, as one closed union. The HTTP layer maps each code to a
 * status in one table (src/http/problem.ts); the problem `type` is the code in kebab-case.
 */
export type CoreErrorCode =
  | 'MALFORMED_REQUEST'
  | 'XML_FORBIDDEN_CONSTRUCT'
  | 'VALIDATION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'IDEMPOTENCY_CONFLICT'
  | 'MESSAGE_ID_CONFLICT'
  | 'DOCUMENT_STATE_CONFLICT'
  | 'CLEARANCE_CHANGED'
  | 'RATE_LIMITED'
  | 'NOT_READY'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_PROFILE_VIOLATION'
  | 'CERTIFICATE_UNTRUSTED'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'CERTIFICATE_REVOKED'
  | 'UNKNOWN_PARTNER'
  | 'SENDER_NOT_SIGNER'
  | 'REFERENCE_OTHER_PARTNER'
  | 'PARTNER_NOT_LIVE'
  | 'ENVELOPE_NOT_FOR_US'
  | 'ENVELOPE_STALE'
  | 'ENVELOPE_FROM_FUTURE'
  | 'DOCUMENT_TYPE_NOT_SUPPORTED'
  | 'RECEIPT_INVALID'
  | 'DELIVERY_FAILED'
  | 'LEDGER_INCONSISTENT'
  | 'LEDGER_RANGE_INVALID'
  | 'CHECKPOINT_INVALID'
  | 'PERIOD_INVALID'
  | 'CURSOR_INVALID'
  | 'CONFIG_INVALID'
  | 'INTERNAL';

/** One failing field of a document, located by an RFC 6901 JSON pointer. */
export interface FieldIssue {
  readonly pointer: string;
  readonly detail: string;
}

/**
 * The one error class commands throw.
 * @example throw new CoreError('NOT_FOUND', `no declaration ${id}`)
 */
export class CoreError extends Error {
  override readonly name = 'CoreError';
  readonly issues: readonly FieldIssue[];
  /** For RATE_LIMITED: seconds before trying again (the HTTP `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: CoreErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly FieldIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.issues = options.issues ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isCoreError(error: unknown, code?: CoreErrorCode): error is CoreError {
  return error instanceof CoreError && (code === undefined || error.code === code);
}
