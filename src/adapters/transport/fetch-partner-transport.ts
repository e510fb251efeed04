import type { PartnerTransport, PostOptions, TransportAnswer } from '../../core/delivery/partner-transport.js';
import { AnswerTooLarge, DEFAULT_MAX_ANSWER_BYTES, deliveryFailed, networkReason, readAnswer } from './partner-answer.js';
import { requestIdHeader } from './request-id-header.js';

export interface FetchPartnerTransportOptions {
  /** The most bytes of an answer read; a larger one is a delivery failure. */
  readonly maxAnswerBytes?: number;
  /** Sends the request; the global `fetch` by default (on Workers, one that routes some origins to a service binding). */
  readonly fetch?: (input: URL, init: RequestInit) => Promise<Response>;
}

/**
 * Delivers envelopes with the global `fetch` (workerd, Node 20+), honouring the same contract as UndiciPartnerTransport.
 * `fetch` has no connect timeout and workerd cannot observe the connect at all, so the partner file's timeouts map
 * to two deadlines, each aborting the request:
 * 1. until the response headers arrive: `connectMs + responseMs` (connecting and waiting are one phase here);
 * 2. then reading the body: `responseMs` in all (undici bounds each pause instead).
 * Redirects are not followed (`redirect: 'manual'`): a 3xx is the partner's answer. No answer, or one over
 * `maxAnswerBytes`, is DELIVERY_FAILED. There is no connection pool to close: the runtime keeps its own.
 * @example const transport: PartnerTransport = new FetchPartnerTransport()
 */
export class FetchPartnerTransport implements PartnerTransport {
  readonly #maxAnswerBytes: number;
  readonly #fetch: (input: URL, init: RequestInit) => Promise<Response>;

  constructor(options: FetchPartnerTransportOptions = {}) {
    this.#maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async post(endpoint: string, envelope: string, timeouts: PostOptions): Promise<TransportAnswer> {
    const url = new URL(endpoint);
    const controller = new AbortController();
    let expired: string | undefined;
    const deadline = (ms: number) =>
      setTimeout(() => {
        expired = `no response within ${ms} ms`;
        controller.abort();
      }, ms);
    let timer = deadline(timeouts.connectMs + timeouts.responseMs);
    try {
      const response = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/xml; charset=utf-8', ...requestIdHeader(timeouts) },
        body: envelope,
        redirect: 'manual',
        signal: controller.signal,
      });
      clearTimeout(timer);
      timer = deadline(timeouts.responseMs);
      const body =
        response.body === null ? '' : await readAnswer(chunksOf(response.body), response.headers.get('content-length'), this.#maxAnswerBytes);
      return { status: response.status, body };
    } catch (cause) {
      throw deliveryFailed(url.origin, expired ?? (cause instanceof AnswerTooLarge ? cause.message : networkReason(cause)), cause);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A response body as an async iterable (workerd's ReadableStream is not one); stopping early cancels the stream. */
function chunksOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  const iterator: AsyncIterator<Uint8Array, undefined> = {
    next: async () => {
      const chunk = await reader.read();
      return chunk.done ? { done: true, value: undefined } : { done: false, value: chunk.value };
    },
    return: async () => {
      await reader.cancel().catch(() => undefined);
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
