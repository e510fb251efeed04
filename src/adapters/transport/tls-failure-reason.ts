// OpenSSL's certificate verification results, as Node names them in the error's code (X509_V_ERR_* without the prefix).
const VERIFICATION_FAILURES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'UNABLE_TO_GET_CRL',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);
// An alert the server sent during the handshake (`ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`, `…_ALERT_UNKNOWN_CA`).
const SERVER_ALERT = /^ERR_SSL_[A-Z0-9_]*ALERT_([A-Z_]+)$/;

/**
 * Says why a TLS connection to `host` failed, for the outbox's lastError, from the error code Node gives; undefined
 * when the code is not about TLS (`ECONNREFUSED`):
 * - `TLS: certificate of th-gateway.example not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`: it does not chain to the
 *   partner's `serverRoots` (or the public roots), or it expired, or is not valid for a server;
 * - `TLS: certificate of th-gateway.example does not name th-gateway.example (ERR_TLS_CERT_ALTNAME_INVALID)`;
 * - `TLS: th-gateway.example refused our client certificate (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)`, or `… requires a client
 *   certificate (…_CERTIFICATE_REQUIRED)` when swx presented none;
 * - `TLS: handshake with th-gateway.example failed (ERR_SSL_WRONG_VERSION_NUMBER)` for any other TLS error.
 * @example tlsFailureReason('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'th-gateway.example')
 */
export function tlsFailureReason(code: string, host: string): string | undefined {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: certificate of ${host} does not name ${host} (${code})`;
  if (VERIFICATION_FAILURES.has(code)) return `TLS: certificate of ${host} not trusted (${code})`;
  const alert = SERVER_ALERT.exec(code)?.[1];
  if (alert === 'CERTIFICATE_REQUIRED') return `TLS: ${host} requires a client certificate (${code})`;
  if (alert !== undefined && /CERTIFICATE|UNKNOWN_CA|ACCESS_DENIED|DECRYPT_ERROR/.test(alert))
    return `TLS: ${host} refused our client certificate (${code})`;
  if (alert !== undefined) return `TLS: ${host} refused the handshake (${code})`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') return `TLS: handshake with ${host} failed (${code})`;
  return undefined;
}
