import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type JournalPosition, JsonlFile, parseLine, readJsonl } from './jsonl-file.js';
import { PendingResponse } from './simulator-records.js';

/** A line of `pending.jsonl`: what is owed for a message (written again whole as its steps are sent), or that it is all sent. */
const PendingRecord = z.union([z.object({ owe: PendingResponse }), z.object({ done: z.string() })]);
type PendingRecord = z.infer<typeof PendingRecord>;

/** `pending.jsonl` is rewritten with what is still owed once it is this large and holds twice as much as that. */
const COMPACT_AT_BYTES = 32 * 1024 * 1024;

function parseRecord(text: string): PendingRecord | undefined {
  return parseLine(PendingRecord, text);
}

/** Each entry still owed, as its newest record says, and where that record is: folded from the lines of `pending.jsonl`. */
function owedIn(lines: ReadonlyArray<{ text: string; at: JournalPosition }>): Map<string, { entry: PendingResponse; at: JournalPosition }> {
  const owed = new Map<string, { entry: PendingResponse; at: JournalPosition }>();
  for (const { text, at } of lines) {
    const record = parseRecord(text);
    if (record === undefined) continue;
    if ('owe' in record) owed.set(record.owe.id, { entry: record.owe, at });
    else owed.delete(record.done);
  }
  return owed;
}

/**
 * What a simulated gateway kept in `<dir>/pending.jsonl` as still owed, read without changing anything: how a test
 * or an operator looks while the simulator runs.
 * @example const owed = readOwed(join(dataDir, 'simulators', 'TH')).length
 */
export function readOwed(dir: string): PendingResponse[] {
  return [...owedIn(readJsonl(join(dir, 'pending.jsonl')).lines).values()].map(({ entry }) => entry);
}

/**
 * What a simulated gateway still owes swx, in `pending.jsonl`: appended to, never rewritten in place (one file, not a
 * file created and deleted per message: creating files at a thousand a second made ext4's inode allocator most of
 * the simulator's time). Each record is the whole entry; an entry is closed by a `done` record; the newest record
 * wins. In memory it keeps only where each open entry's newest record is. The file is emptied when nothing is owed,
 * and rewritten with what is when it grows past `compactAtBytes` and twice that. A `pending/` directory of an
 * earlier version (a file per entry) is taken into the log at start.
 * @example const log = new PendingLog(join(dataDir, 'simulators', 'TH')); log.save(entry); log.remove(entry.id)
 */
export class PendingLog {
  readonly #file: JsonlFile;
  readonly #owedAt: Map<string, JournalPosition>;
  /** The bytes of the open entries' newest records: what a rewrite would keep. */
  #owedBytes = 0;

  constructor(
    dir: string,
    private readonly compactAtBytes = COMPACT_AT_BYTES,
  ) {
    this.#file = new JsonlFile(join(dir, 'pending.jsonl'));
    // The entries themselves are read back when wanted (entry): only where each is stays in memory.
    this.#owedAt = new Map([...owedIn(this.#file.lines())].map(([id, { at }]) => [id, at]));
    for (const at of this.#owedAt.values()) this.#owedBytes += at.length + 1;
    this.#takeLegacyDirectory(join(dir, 'pending'));
  }

  /** What is still owed, oldest first. */
  entries(): PendingResponse[] {
    return [...this.#owedAt.keys()].flatMap((id) => this.entry(id) ?? []).sort((a, b) => (a.steps[0]?.notBefore ?? 0) - (b.steps[0]?.notBefore ?? 0));
  }

  /** What is still owed for one received message, if anything. */
  entry(id: string): PendingResponse | undefined {
    const at = this.#owedAt.get(id);
    if (at === undefined) return undefined;
    const record = parseRecord(this.#file.readAt(at));
    return record !== undefined && 'owe' in record ? record.owe : undefined;
  }

  /** Writes an entry whole (its first record, or a newer one once some of its steps are sent). */
  save(entry: PendingResponse): void {
    const at = this.#file.append(JSON.stringify({ owe: entry }));
    this.#forget(entry.id);
    this.#owedAt.set(entry.id, at);
    this.#owedBytes += at.length + 1;
  }

  /** Closes an entry: all of it is sent. */
  remove(id: string): void {
    if (!this.#owedAt.has(id)) return;
    this.#file.append(JSON.stringify({ done: id }));
    this.#forget(id);
    if (this.#owedAt.size === 0) this.#file.clear();
    else if (this.#file.size > this.compactAtBytes && this.#file.size > 2 * this.#owedBytes) this.#compact();
  }

  #forget(id: string): void {
    const at = this.#owedAt.get(id);
    if (at === undefined) return;
    this.#owedAt.delete(id);
    this.#owedBytes -= at.length + 1;
  }

  #compact(): void {
    const ids = [...this.#owedAt.keys()];
    const positions = this.#file.rewrite(ids.map((id) => this.#file.readAt(this.#owedAt.get(id) as JournalPosition)));
    for (const [index, id] of ids.entries()) this.#owedAt.set(id, positions[index] as JournalPosition);
  }

  #takeLegacyDirectory(legacy: string): void {
    if (!existsSync(legacy)) return;
    for (const name of readdirSync(legacy).filter((file) => file.endsWith('.json'))) {
      const parsed = PendingResponse.safeParse(JSON.parse(readFileSync(join(legacy, name), 'utf8')));
      if (parsed.success && !this.#owedAt.has(parsed.data.id)) this.save(parsed.data);
    }
    rmSync(legacy, { recursive: true, force: true });
  }
}
