import type { PendingResponse, ReceivedMessage } from './simulator-records.js';

/**
 * What a simulated gateway remembers of the messages it receipted: enough to answer a message sent again with its
 * first receipt, to number its receipts, and to keep what it owes for a message with the record of that message.
 * A MapGatewayMemory on Node (seeded from the file journal), SQLite storage in a Durable Object on Workers.
 */
export interface GatewayMemory {
  /** The message receipted earlier under this id, if any. */
  received(messageId: string): ReceivedMessage | undefined;
  /** How many messages were receipted: the ledger index of the next receipt. */
  receivedCount(): number;
  /** Records a message receipted and what is owed for it, in one write, before its receipt is answered. */
  record(message: ReceivedMessage, owed: PendingResponse | undefined): void;
}

/**
 * A GatewayMemory in a Map, seeded with what an earlier run receipted; `persist` (the file journal's write) is called
 * before the Map changes, so a failed write leaves the message unreceipted.
 * @example const memory = new MapGatewayMemory(journal.received(), (message, owed) => journal.recordReceived(message, owed))
 */
export class MapGatewayMemory implements GatewayMemory {
  readonly #received = new Map<string, ReceivedMessage>();

  constructor(
    seed: readonly ReceivedMessage[] = [],
    private readonly persist?: (message: ReceivedMessage, owed: PendingResponse | undefined) => void,
  ) {
    for (const message of seed) this.#received.set(message.messageId, message);
  }

  received(messageId: string): ReceivedMessage | undefined {
    return this.#received.get(messageId);
  }

  receivedCount(): number {
    return this.#received.size;
  }

  record(message: ReceivedMessage, owed: PendingResponse | undefined): void {
    this.persist?.(message, owed);
    this.#received.set(message.messageId, message);
  }

  /** The message ids receipted, in the order they first arrived. */
  messageIds(): string[] {
    return [...this.#received.keys()];
  }
}
