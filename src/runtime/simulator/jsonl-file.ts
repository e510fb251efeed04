import type { z } from 'zod';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';

/** Where one record is in a JSONL file: its line, in bytes, without the newline. */
export interface JournalPosition {
  readonly offset: number;
  readonly length: number;
}

const NEWLINE = 0x0a;

/** A line of a JSONL file as a `schema` record, or undefined when it is not one (torn by a crash, or another kind). */
export function parseLine<T>(schema: z.ZodType<T>, line: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The complete lines of a JSONL file, with where each is, read without changing the file (another process may be
 * appending to it): a last line without its newline is not among them, and `torn` says there was one.
 */
export function readJsonl(path: string): { lines: Array<{ text: string; at: JournalPosition }>; size: number; torn: boolean } {
  let bytes = Buffer.alloc(0);
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const lines: Array<{ text: string; at: JournalPosition }> = [];
  let offset = 0;
  for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, offset)) {
    lines.push({ text: bytes.toString('utf8', offset, end), at: { offset, length: end - offset } });
    offset = end + 1;
  }
  return { lines, size: bytes.length, torn: offset < bytes.length };
}

/**
 * A file of one JSON record per line, appended to and read back by position: what a simulated gateway's journal is
 * made of. Appends are not fsynced (they survive a crash of the process, not of the machine); a last line torn by a
 * crash is ended when the file is read, so that the next record starts a line of its own, and is skipped by readers.
 * @example const file = new JsonlFile(join(dir, 'received.jsonl')); const at = file.append(JSON.stringify(record))
 */
export class JsonlFile {
  /** The file's length in bytes: where the next record starts. */
  #size: number;

  constructor(readonly path: string) {
    this.#size = existsSync(path) ? statSync(path).size : 0;
  }

  get size(): number {
    return this.#size;
  }

  /** Every complete line of the file, in order, with where it is; a torn last line is ended first. */
  lines(): Array<{ text: string; at: JournalPosition }> {
    const { lines, size, torn } = readJsonl(this.path);
    this.#size = size;
    if (torn) {
      appendFileSync(this.path, '\n');
      this.#size += 1;
    }
    return lines;
  }

  append(text: string): JournalPosition {
    const line = `${text}\n`;
    appendFileSync(this.path, line, { mode: 0o600 });
    const at = { offset: this.#size, length: Buffer.byteLength(line) - 1 };
    this.#size += at.length + 1;
    return at;
  }

  /** The line at `at`, as `lines` or `append` gave it. */
  readAt(at: JournalPosition): string {
    const bytes = Buffer.alloc(at.length);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, bytes, 0, at.length, at.offset);
    } finally {
      closeSync(fd);
    }
    return bytes.toString('utf8');
  }

  /** Empties the file in place (no new file is created: see PendingLog). */
  clear(): void {
    if (existsSync(this.path)) truncateSync(this.path, 0);
    this.#size = 0;
  }

  /** Replaces the file with these lines (written whole, then renamed over it); returns where each now is. */
  rewrite(texts: readonly string[]): JournalPosition[] {
    let offset = 0;
    const positions = texts.map((text) => {
      const at = { offset, length: Buffer.byteLength(text) };
      offset += at.length + 1;
      return at;
    });
    writeFileSync(`${this.path}.tmp`, texts.map((text) => `${text}\n`).join(''), { mode: 0o600 });
    renameSync(`${this.path}.tmp`, this.path);
    this.#size = offset;
    return positions;
  }
}
