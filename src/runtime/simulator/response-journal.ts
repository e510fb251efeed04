import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { PendingResponse, ReceivedMessage } from './simulator-records.js';

/** Where one receipt record is in `received.jsonl`: its line, in bytes, without the newline. */
export interface JournalPosition {
  readonly offset: number;
  readonly length: number;
}

const NEWLINE = 0x0a;

/** A line of `received.jsonl` as a record, or undefined when it is not one (torn by a crash). */
function parseReceived(line: string): ReceivedMessage | undefined {
  try {
    const parsed = ReceivedMessage.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a simulated gateway keeps across a crash, under `<data>/simulators/<ID>/`: `received.jsonl` (one line per
 * message receipted) and `pending/<id>.json` (what it still owes, with the receipt record of the message it answers,
 * written whole with a rename, rewritten as steps are delivered, removed when all are). Both are written before the
 * receipt leaves the simulator, the pending file first: a `kill -9` between the two leaves the receipt record in the
 * pending file (taken back into `received.jsonl` at the next start), never a receipt without what it owes. They are
 * not fsynced, so a power cut may lose them.
 * @example const journal = new ResponseJournal(join(dataDir, 'simulators', 'TH')); journal.pending()
 */
export class ResponseJournal {
  readonly #receivedFile: string;
  readonly #pendingDir: string;
  /** The length of `received.jsonl` in bytes: where the next record starts. */
  #size: number;

  /**
   * @param keepReceived how many received messages are kept when the journal is read at start (the newest): enough to
   * recognise any message swx may still re-send, without `received.jsonl` growing for ever.
   */
  constructor(
    readonly dir: string,
    readonly keepReceived = 100_000,
  ) {
    this.#receivedFile = join(dir, 'received.jsonl');
    this.#pendingDir = join(dir, 'pending');
    mkdirSync(this.#pendingDir, { recursive: true, mode: 0o700 });
    this.#size = existsSync(this.#receivedFile) ? statSync(this.#receivedFile).size : 0;
  }

  /**
   * The messages receipted so far, the newest `keepReceived` (the file is rewritten without the older ones); a line
   * torn by a crash is skipped (its sender got no receipt and sends it again). Read it once at start, before recording.
   */
  received(): ReceivedMessage[] {
    return this.receivedIndex().map(({ at }) => this.receivedAt(at));
  }

  /**
   * Where each message receipted so far is in `received.jsonl`, as `received()` lists them, for reading one back with
   * `receivedAt` when it is sent again: what a simulator keeps in memory instead of every receipt.
   */
  receivedIndex(): Array<{ messageId: string; at: JournalPosition }> {
    let bytes = Buffer.alloc(0);
    try {
      bytes = readFileSync(this.#receivedFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // A line torn by a crash is ended here, so that the next record starts a line of its own.
    if (bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE) {
      appendFileSync(this.#receivedFile, '\n');
      bytes = Buffer.concat([bytes, Buffer.from('\n')]);
    }
    this.#size = bytes.length;
    const received: ReceivedMessage[] = [];
    const index: Array<{ messageId: string; at: JournalPosition }> = [];
    for (let offset = 0; offset < bytes.length; ) {
      const end = bytes.indexOf(NEWLINE, offset);
      const message = parseReceived(bytes.toString('utf8', offset, end));
      if (message !== undefined) {
        received.push(message);
        index.push({ messageId: message.messageId, at: { offset, length: end - offset } });
      }
      offset = end + 1;
    }
    const recorded = new Set(index.map(({ messageId }) => messageId));
    for (const { received: owedFor } of this.pending()) {
      if (owedFor === undefined || recorded.has(owedFor.messageId)) continue;
      received.push(owedFor);
      index.push({ messageId: owedFor.messageId, at: this.#append(owedFor) });
    }
    if (index.length <= this.keepReceived) return index;
    const lines = received.slice(-this.keepReceived).map((message) => `${JSON.stringify(message)}\n`);
    writeFileSync(`${this.#receivedFile}.tmp`, lines.join(''), { mode: 0o600 });
    renameSync(`${this.#receivedFile}.tmp`, this.#receivedFile);
    this.#size = 0;
    return index.slice(-this.keepReceived).map(({ messageId }, kept) => {
      const length = Buffer.byteLength(lines[kept] as string) - 1;
      const at = { offset: this.#size, length };
      this.#size += length + 1;
      return { messageId, at };
    });
  }

  /** The message receipted at `at` (from `receivedIndex` or `recordReceived`), read back from `received.jsonl`. */
  receivedAt(at: JournalPosition): ReceivedMessage {
    const bytes = Buffer.alloc(at.length);
    const fd = openSync(this.#receivedFile, 'r');
    try {
      readSync(fd, bytes, 0, at.length, at.offset);
    } finally {
      closeSync(fd);
    }
    const message = parseReceived(bytes.toString('utf8'));
    if (message === undefined) throw new Error(`${this.#receivedFile}: no receipt record at byte ${at.offset}`);
    return message;
  }

  /**
   * Records a message receipted and, when it owes swx something for it, that first, with the record in the same file;
   * returns where the record is, for `receivedAt`.
   */
  recordReceived(message: ReceivedMessage, owed?: PendingResponse): JournalPosition {
    if (owed !== undefined) this.savePending({ ...owed, received: message });
    return this.#append(message);
  }

  /** What is still owed for one received message (`PendingResponse.id`), if anything. */
  pendingEntry(id: string): PendingResponse | undefined {
    let text: string;
    try {
      text = readFileSync(this.#pendingFile(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = PendingResponse.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  }

  /** What is still owed, oldest first. */
  pending(): PendingResponse[] {
    const entries = readdirSync(this.#pendingDir)
      .filter((name) => name.endsWith('.json'))
      .flatMap((name) => {
        const parsed = PendingResponse.safeParse(JSON.parse(readFileSync(join(this.#pendingDir, name), 'utf8')));
        return parsed.success ? [parsed.data] : [];
      });
    return entries.sort((a, b) => (a.steps[0]?.notBefore ?? 0) - (b.steps[0]?.notBefore ?? 0));
  }

  /** Writes (or rewrites) a pending entry whole: a crash leaves the old file or the new one, never half of one. */
  savePending(entry: PendingResponse): void {
    const file = this.#pendingFile(entry.id);
    writeFileSync(`${file}.tmp`, JSON.stringify(entry), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  removePending(id: string): void {
    rmSync(this.#pendingFile(id), { force: true });
  }

  #pendingFile(id: string): string {
    return join(this.#pendingDir, `${id}.json`);
  }

  #append(message: ReceivedMessage): JournalPosition {
    const line = `${JSON.stringify(message)}\n`;
    appendFileSync(this.#receivedFile, line, { mode: 0o600 });
    const at = { offset: this.#size, length: Buffer.byteLength(line) - 1 };
    this.#size += at.length + 1;
    return at;
  }
}
