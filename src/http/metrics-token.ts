import type { Sha256 } from '../core/primitives.js';

const encoder = new TextEncoder();
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Whether an `Authorization` header carries `Bearer <token>` (SWX_METRICS_TOKEN). Both tokens are hashed to 32 bytes
 * first, so the comparison takes the same time whatever the length or the first differing byte of what was sent.
 * @example const allowed = checkMetricsToken(config.SWX_METRICS_TOKEN, sha256); allowed(request.headers.get('authorization'))
 */
export function checkMetricsToken(token: string, sha256: Sha256): (authorization: string | null | undefined) => boolean {
  const expected = sha256(encoder.encode(token));
  return (authorization) => {
    const presented = sha256(encoder.encode(BEARER.exec(authorization ?? '')?.[1] ?? ''));
    let difference = presented.length ^ expected.length;
    for (let i = 0; i < expected.length; i += 1) difference |= (presented[i] ?? 0) ^ (expected[i] ?? 0);
    return difference === 0;
  };
}

/** The detail of the 401 answered to a scrape without the metrics token. */
export const METRICS_TOKEN_REQUIRED = 'GET /metrics needs Authorization: Bearer <SWX_METRICS_TOKEN>';
