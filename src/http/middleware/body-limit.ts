import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CoreError } from '../../core/errors.js';

/**
 * Refuses bodies over `maxBytes` with a 413 problem: at once from Content-Length, or while reading
 * a chunked body once the count passes the limit, so an oversized body is never buffered whole.
 * @example app.use(limitBody(deps.http.bodyLimitBytes))
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new CoreError('PAYLOAD_TOO_LARGE', `the request body exceeds the limit of ${maxBytes} bytes`);
    },
  });
}
