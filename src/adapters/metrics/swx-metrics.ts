/** The HTTP request histogram both runtimes keep, by route pattern (observe-requests.ts). */
export const HTTP_REQUEST_DURATION = {
  name: 'swx_http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern and status',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
} as const;

/** The counter of envelopes refused on POST /v1/exchange (ReceiveDeps.onRefused). */
export const EXCHANGE_REFUSED = {
  name: 'swx_exchange_refused_total',
  help: 'Envelopes refused on POST /v1/exchange, by code and whether the ledger recorded them',
} as const;

/** The counter of envelopes refused because a signature or certificate did not verify, by reason (the refusal code). */
export const SIGNATURE_FAILURES = {
  name: 'swx_signature_verification_failures_total',
  help: 'Inbound envelopes whose signature or certificate did not verify, by reason',
} as const;

/** The refusal codes that are signature verification failures. */
export const SIGNATURE_FAILURE_CODES: ReadonlySet<string> = new Set([
  'SIGNATURE_INVALID',
  'SIGNATURE_PROFILE_VIOLATION',
  'CERTIFICATE_UNTRUSTED',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  'CERTIFICATE_REVOKED',
]);
