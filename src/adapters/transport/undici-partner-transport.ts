import { Pool } from 'undici';
import type { PartnerTransport, TransportAnswer } from '../../core/delivery/partner-transport.js';
import { AnswerTooLarge, DEFAULT_MAX_ANSWER_BYTES, deliveryFailed, networkReason, readAnswer } from './partner-answer.js';

export interface UndiciPartnerTransportOptions {
  /** Keep-alive connections per partner origin. */
  readonly connections?: number;
  /** The most bytes of an answer read; a larger one is a delivery failure. */
  readonly maxAnswerBytes?: number;
}

/**
 * Delivers envelopes with undici: one keep-alive pool per partner origin, so a burst of messages to one
 * gateway reuses its connections, with the connect and response timeouts of the partner file: `connectMs` bounds
 * the TCP connect, `responseMs` the wait for the response headers and each pause while the body streams. Redirects
 * are not followed: a 3xx is the partner's answer. No answer, or one over `maxAnswerBytes`, is DELIVERY_FAILED.
 * @example const transport: PartnerTransport = new UndiciPartnerTransport()
 */
export class UndiciPartnerTransport implements PartnerTransport {
  readonly #pools = new Map<string, Pool>();
  readonly #connections: number;
  readonly #maxAnswerBytes: number;

  constructor(options: UndiciPartnerTransportOptions = {}) {
    this.#connections = options.connections ?? 16;
    this.#maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  }

  async post(endpoint: string, envelope: string, timeouts: { readonly connectMs: number; readonly responseMs: number }): Promise<TransportAnswer> {
    const url = new URL(endpoint);
    try {
      const response = await this.#pool(url.origin, timeouts.connectMs).request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        body: envelope,
        headersTimeout: timeouts.responseMs,
        bodyTimeout: timeouts.responseMs,
      });
      const length = response.headers['content-length'];
      return { status: response.statusCode, body: await readAnswer(response.body, Array.isArray(length) ? length[0] : length, this.#maxAnswerBytes) };
    } catch (cause) {
      throw deliveryFailed(url.origin, reasonFor(cause, timeouts), cause);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
    this.#pools.clear();
  }

  #pool(origin: string, connectMs: number): Pool {
    const key = `${origin}#${connectMs}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Pool(origin, { connections: this.#connections, connect: { timeout: connectMs }, keepAliveTimeout: 30_000 });
      this.#pools.set(key, pool);
    }
    return pool;
  }
}

function reasonFor(cause: unknown, timeouts: { readonly connectMs: number; readonly responseMs: number }): string {
  if (cause instanceof AnswerTooLarge) return cause.message;
  const reason = networkReason(cause);
  if (reason === 'UND_ERR_CONNECT_TIMEOUT') return `no connection within ${timeouts.connectMs} ms`;
  if (reason === 'UND_ERR_HEADERS_TIMEOUT' || reason === 'UND_ERR_BODY_TIMEOUT') return `no response within ${timeouts.responseMs} ms`;
  return reason;
}
