import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** A message a simulated gateway received and receipted: asked again with the same bytes, it answers the same receipt. */
export const ReceivedMessage = z.object({
  messageId: z.string(),
  digest: z.string(),
  status: z.number().int(),
  receipt: z.string(),
});
export type ReceivedMessage = z.infer<typeof ReceivedMessage>;

/** One envelope a simulated gateway owes swx, signed once (a re-send is the same bytes), not sent before `notBefore` (epoch ms). */
export const OwedEnvelope = z.object({
  documentType: z.string(),
  refToMessageId: z.string(),
  notBefore: z.number(),
  envelope: z.string(),
});
export type OwedEnvelope = z.infer<typeof OwedEnvelope>;

/** What a gateway owes for one received message, sent in order (a business acknowledgement before the response). */
export const PendingResponse = z.object({
  id: z.string(),
  steps: z.array(OwedEnvelope).min(1),
});
export type PendingResponse = z.infer<typeof PendingResponse>;

/**
 * What a simulated gateway keeps across a crash, under `<data>/simulators/<ID>/`: `received.jsonl` (one line per
 * message receipted, appended before the receipt is answered) and `pending/<id>.json` (what it still owes, written
 * whole with a rename, rewritten as steps are delivered, removed when all are). Files are written before the answer
 * leaves the simulator, so a `kill -9` loses nothing; they are not fsynced, so a power cut may.
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
    let text: string;
    try {
      text = readFileSync(this.#receivedFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
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
    if (received.length <= this.keepReceived) return received;
    const kept = received.slice(-this.keepReceived);
    writeFileSync(`${this.#receivedFile}.tmp`, kept.map((message) => `${JSON.stringify(message)}\n`).join(''), { mode: 0o600 });
    renameSync(`${this.#receivedFile}.tmp`, this.#receivedFile);
    return kept;
  }

  recordReceived(message: ReceivedMessage): void {
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
