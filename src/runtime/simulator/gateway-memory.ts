import type { PendingResponse, ReceivedMessage } from './simulator-records.js';

/**
 * What a simulated gateway remembers of the messages it receipted: enough to answer a message sent again with its
 * first receipt, to number its receipts, and to keep what it owes for a message with the record of that message.
 * A JournaledGatewayMemory on Node (the file journal), SQLite storage in a Durable Object on Workers, a
 * MapGatewayMemory without either.
 */
export interface GatewayMemory {
  /** The message receipted earlier under this id, if any. */
  received(messageId: string): ReceivedMessage | undefined;
  /** How many messages were receipted: the ledger index of the next receipt. */
  receivedCount(): number;
  /** Records a message receipted and what is owed for it, in one write, before its receipt is answered. */
  record(message: ReceivedMessage, owed: PendingResponse | undefined): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A copy of `text` that keeps nothing else alive: a field read from an envelope may be a slice that keeps the whole
 * envelope's text in memory for as long as the field is kept.
 * @example detached(header.messageId)
 */
export function detached(text: string): string {
  return decoder.decode(encoder.encode(text));
}

/** How many receipted messages a simulated gateway without a journal remembers (their receipts, a few KB each). */
export const REMEMBERED_MESSAGES = 5_000;

/**
 * A GatewayMemory in a Map, for a simulated gateway without a journal (JournaledGatewayMemory is the one with). It
 * keeps the newest `capacity` messages, so that it does not grow with every message swx sends it (a receipt of a few
 * KB each, for as long as the process runs): a message sent again after `capacity` newer ones is receipted as new.
 * swx re-sends a message only when its receipt was lost, within its delivery retries.
 * @example const memory = new MapGatewayMemory(); memory.record(message, undefined)
 */
export class MapGatewayMemory implements GatewayMemory {
  readonly #received = new Map<string, ReceivedMessage>();
  #count = 0;

  constructor(private readonly capacity = REMEMBERED_MESSAGES) {}

  received(messageId: string): ReceivedMessage | undefined {
    return this.#received.get(messageId);
  }

  receivedCount(): number {
    return this.#count;
  }

  record(message: ReceivedMessage): void {
    const messageId = detached(message.messageId);
    this.#received.set(messageId, { ...message, messageId });
    this.#count += 1;
    for (const oldest of this.#received.keys()) {
      if (this.#received.size <= this.capacity) break;
      this.#received.delete(oldest);
    }
  }

  /** The message ids remembered (the newest `capacity`), in the order they first arrived. */
  messageIds(): string[] {
    return [...this.#received.keys()];
  }
}
