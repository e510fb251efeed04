import { CoreError } from '../../core/errors.js';

/**
 * The most bytes of a partner's answer a transport reads: a signed receipt is a few kilobytes, so 1 MiB is ample,
 * and an endless or oversized answer from a faulty gateway cannot exhaust memory.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 1_048_576;

/** Raised while reading an answer over the cap; the transport turns it into DELIVERY_FAILED. */
export class AnswerTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`answer larger than ${maxBytes} bytes`);
  }
}

/**
 * Reads an answer body as UTF-8, refusing it once it passes `maxBytes` (announced by Content-Length or counted while
 * streaming). Either way the stream is cancelled, so the rest is never read.
 * @example const body = await readAnswer(response.body, response.headers.get('content-length'), DEFAULT_MAX_ANSWER_BYTES)
 */
export async function readAnswer(chunks: AsyncIterable<Uint8Array>, contentLength: string | null | undefined, maxBytes: number): Promise<string> {
  if (contentLength != null && Number(contentLength) > maxBytes) {
    await chunks[Symbol.asyncIterator]().return?.();
    throw new AnswerTooLarge(maxBytes);
  }
  const parts: Uint8Array[] = [];
  let read = 0;
  for await (const chunk of chunks) {
    read += chunk.byteLength;
    if (read > maxBytes) throw new AnswerTooLarge(maxBytes);
    parts.push(chunk);
  }
  const bytes = new Uint8Array(read);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * The one failure every transport reports when no usable answer came back, retried by deliverMessage:
 * `no answer from http://127.0.0.1:9100: ECONNREFUSED`, `…: no response within 30000 ms`, `…: answer larger than 1048576 bytes`.
 * @example throw deliveryFailed(url.origin, 'ECONNREFUSED', cause)
 */
export function deliveryFailed(origin: string, reason: string, cause: unknown): CoreError {
  return new CoreError('DELIVERY_FAILED', `no answer from ${origin}: ${reason}`, { cause });
}

/** What a network error says, in its shortest stable form: the system or driver code when it has one (`ECONNREFUSED`). */
export function networkReason(error: unknown): string {
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof code === 'string') return code;
  return (error as Error).message;
}
