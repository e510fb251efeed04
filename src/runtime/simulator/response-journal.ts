import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PendingResponse, ReceivedMessage } from './simulator-records.js';

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

  /**
   * @param keepReceived how many received messages are kept when the journal is read at start (the newest): enough to
   * recognise any message swx may still re-send, without `received.jsonl` growing for ever.
   */
  constructor(
    readonly dir: string,
    private readonly keepReceived = 100_000,
  ) {
    this.#receivedFile = join(dir, 'received.jsonl');
    this.#pendingDir = join(dir, 'pending');
    mkdirSync(this.#pendingDir, { recursive: true, mode: 0o700 });
  }

  /**
   * The messages receipted so far, the newest `keepReceived` (the file is rewritten without the older ones); a line
   * torn by a crash is skipped (its sender got no receipt and sends it again). Read it once at start, before recording.
   */
  received(): ReceivedMessage[] {
    let text = '';
    try {
      text = readFileSync(this.#receivedFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // A line torn by a crash is ended here, so that the next record starts a line of its own.
    if (text !== '' && !text.endsWith('\n')) appendFileSync(this.#receivedFile, '\n');
    const received = text.split('\n').flatMap((line) => {
      if (line === '') return [];
      try {
        const parsed = ReceivedMessage.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
    const recorded = new Set(received.map((message) => message.messageId));
    for (const { received: owedFor } of this.pending()) {
      if (owedFor === undefined || recorded.has(owedFor.messageId)) continue;
      appendFileSync(this.#receivedFile, `${JSON.stringify(owedFor)}\n`, { mode: 0o600 });
      received.push(owedFor);
    }
    if (received.length <= this.keepReceived) return received;
    const kept = received.slice(-this.keepReceived);
    writeFileSync(`${this.#receivedFile}.tmp`, kept.map((message) => `${JSON.stringify(message)}\n`).join(''), { mode: 0o600 });
    renameSync(`${this.#receivedFile}.tmp`, this.#receivedFile);
    return kept;
  }

  /** Records a message receipted and, when it owes swx something for it, that first, with the record in the same file. */
  recordReceived(message: ReceivedMessage, owed?: PendingResponse): void {
    if (owed !== undefined) this.savePending({ ...owed, received: message });
    appendFileSync(this.#receivedFile, `${JSON.stringify(message)}\n`, { mode: 0o600 });
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
    const file = join(this.#pendingDir, `${entry.id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(entry), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  removePending(id: string): void {
    rmSync(join(this.#pendingDir, `${id}.json`), { force: true });
  }
}
