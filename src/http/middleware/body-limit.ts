import type { MiddlewareHandler } from 'hono';
import { CoreError } from '../../core/errors.js';

/** How much more than the limit a refused chunked body is read (and dropped) before its stream is cancelled. */
const DRAIN_FACTOR = 4;

/**
 * Refuses bodies over `maxBytes` with a 413 problem: at once from Content-Length, or while reading a chunked body once
 * the count passes the limit, so an oversized body is never buffered whole. The rest of a refused chunked body is read
 * and dropped, up to DRAIN_FACTOR times the limit, then the stream is cancelled: on Workers, a request answered with its
 * body half-read made the next one fail ("Your worker restarted mid-request" under `wrangler dev`), and hono's
 * bodyLimit left it so. A body within the limit is read once and handed on as bytes.
 * @example app.use(limitBody(deps.http.bodyLimitBytes))
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new CoreError('PAYLOAD_TOO_LARGE', `the request body exceeds the limit of ${maxBytes} bytes`);
  return async (c, next) => {
    // Headers first: on Node, touching `body` makes @hono/node-server build a full web Request and stream around the
    // socket, which a body with a Content-Length (nearly all) or a GET never needs.
    const declared = c.req.raw.headers.get('content-length');
    if (declared !== null && !c.req.raw.headers.has('transfer-encoding')) {
      if (Number.parseInt(declared, 10) > maxBytes) throw tooLarge();
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const body = c.req.raw.body;
    if (body === null) return next();
    const reader = body.getReader();
    let buffer = new Uint8Array(0);
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.length > maxBytes) {
        await drain(reader, DRAIN_FACTOR * maxBytes);
        throw tooLarge();
      }
      if (size + value.length > buffer.length) {
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(size + value.length, buffer.length * 2)));
        grown.set(buffer.subarray(0, size));
        buffer = grown;
      }
      buffer.set(value, size);
      size += value.length;
    }
    c.req.raw = new Request(c.req.raw, { body: buffer.subarray(0, size) });
    return next();
  };
}

/** Reads and drops what is left of a refused body, at most `maxBytes`, then cancels the stream if it has not ended. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<void> {
  let dropped = 0;
  try {
    while (dropped <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.length;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing is left to drop.
  }
}
