import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type JournalPosition, JsonlFile, parseLine } from './jsonl-file.js';
import { PendingLog } from './pending-log.js';
import { type PendingResponse, ReceivedMessage } from './simulator-records.js';

/** A line of `received.jsonl` as a record, or undefined when it is not one. */
function parseReceived(line: string): ReceivedMessage | undefined {
  return parseLine(ReceivedMessage, line);
}

/**
 * What a simulated gateway keeps across a crash, under `<data>/simulators/<ID>/`: `received.jsonl` (one line per
 * message receipted) and `pending.jsonl` (what it still owes, with the receipt record of the message it answers: a
 * PendingLog). Both are written before the receipt leaves the simulator, what is owed first: a `kill -9` between the
 * two leaves the receipt record with what is owed (taken back into `received.jsonl` at the next start), never a
 * receipt without what it owes. They are not fsynced, so a power cut may lose them.
 * @example const journal = new ResponseJournal(join(dataDir, 'simulators', 'TH')); journal.pending()
 */
export class ResponseJournal {
  readonly #received: JsonlFile;
  readonly #pending: PendingLog;

  /**
   * @param keepReceived how many received messages are kept when the journal is read at start (the newest): enough to
   * recognise any message swx may still re-send, without `received.jsonl` growing for ever.
   */
  constructor(
    readonly dir: string,
    readonly keepReceived = 100_000,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#received = new JsonlFile(join(dir, 'received.jsonl'));
    this.#pending = new PendingLog(dir);
  }

  /**
   * Where each message receipted so far is in `received.jsonl`, for reading one back with `receivedAt` when it is sent
   * again (what a simulator keeps in memory instead of every receipt): the newest `keepReceived` (the file is rewritten
   * without the older ones). A line torn by a crash is skipped (its sender got no receipt and sends it again); a
   * receipt record left only with what is owed (a crash between the two writes) is taken back into the file. Read it
   * once at start, before recording.
   */
  receivedIndex(): Array<{ messageId: string; at: JournalPosition }> {
    const received: Array<{ message: ReceivedMessage; at: JournalPosition }> = [];
    for (const { text, at } of this.#received.lines()) {
      const message = parseReceived(text);
      if (message !== undefined) received.push({ message, at });
    }
    const recorded = new Set(received.map(({ message }) => message.messageId));
    for (const { received: owedFor } of this.pending()) {
      if (owedFor === undefined || recorded.has(owedFor.messageId)) continue;
      received.push({ message: owedFor, at: this.#received.append(JSON.stringify(owedFor)) });
    }
    if (received.length <= this.keepReceived) return received.map(({ message, at }) => ({ messageId: message.messageId, at }));
    const kept = received.slice(-this.keepReceived);
    const positions = this.#received.rewrite(kept.map(({ message }) => JSON.stringify(message)));
    return kept.map(({ message }, index) => ({ messageId: message.messageId, at: positions[index] as JournalPosition }));
  }

  /** The message receipted at `at` (from `receivedIndex` or `recordReceived`), read back from `received.jsonl`. */
  receivedAt(at: JournalPosition): ReceivedMessage {
    const message = parseReceived(this.#received.readAt(at));
    if (message === undefined) throw new Error(`${this.#received.path}: no receipt record at byte ${at.offset}`);
    return message;
  }

  /**
   * Records a message receipted and, when it owes swx something for it, that first, with the record in the same file;
   * returns where the record is, for `receivedAt`.
   */
  recordReceived(message: ReceivedMessage, owed?: PendingResponse): JournalPosition {
    if (owed !== undefined) this.savePending({ ...owed, received: message });
    return this.#received.append(JSON.stringify(message));
  }

  /** What is still owed, oldest first. */
  pending(): PendingResponse[] {
    return this.#pending.entries();
  }

  /** What is still owed for one received message (`PendingResponse.id`), if anything. */
  pendingEntry(id: string): PendingResponse | undefined {
    return this.#pending.entry(id);
  }

  /** Writes (or rewrites) a pending entry whole. */
  savePending(entry: PendingResponse): void {
    this.#pending.save(entry);
  }

  removePending(id: string): void {
    this.#pending.remove(id);
  }
}
