import { detached, type GatewayMemory } from './gateway-memory.js';
import type { JournalPosition } from './jsonl-file.js';
import type { ResponseJournal } from './response-journal.js';
import type { PendingResponse, ReceivedMessage } from './simulator-records.js';

/**
 * A GatewayMemory over the file journal (Node): in memory only where each message's receipt record is in
 * `received.jsonl` (its id and two numbers), read back when the same message comes again, which is rare; the
 * receipts themselves (a few KB each) stay on disk. It knows the newest `capacity` messages, as many as the journal
 * keeps across a restart. The journal is written before the index changes, so a failed write leaves the
 * message unreceipted.
 * @example const memory = new JournaledGatewayMemory(new ResponseJournal(join(dataDir, 'simulators', 'TH')))
 */
export class JournaledGatewayMemory implements GatewayMemory {
  readonly #at = new Map<string, JournalPosition>();
  #count = 0;

  constructor(
    private readonly journal: ResponseJournal,
    private readonly capacity = journal.keepReceived,
  ) {
    for (const { messageId, at } of journal.receivedIndex()) this.#remember(messageId, at);
  }

  received(messageId: string): ReceivedMessage | undefined {
    const at = this.#at.get(messageId);
    return at === undefined ? undefined : this.journal.receivedAt(at);
  }

  receivedCount(): number {
    return this.#count;
  }

  record(message: ReceivedMessage, owed: PendingResponse | undefined): void {
    this.#remember(message.messageId, this.journal.recordReceived(message, owed));
  }

  /** The message ids remembered (the newest `capacity`), in the order they first arrived. */
  messageIds(): string[] {
    return [...this.#at.keys()];
  }

  #remember(messageId: string, at: JournalPosition): void {
    this.#at.set(detached(messageId), at);
    this.#count += 1;
    for (const oldest of this.#at.keys()) {
      if (this.#at.size <= this.capacity) break;
      this.#at.delete(oldest);
    }
  }
}
