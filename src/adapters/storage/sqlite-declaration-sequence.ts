import type { SqlDatabase, SqlStatement } from './sql-database.js';

/** The largest block of declaration numbers reserved at once. */
export const MAX_SEQUENCE_BLOCK = 256;

interface Block {
  readonly year: number;
  readonly size: number;
  readonly reservedAt: number;
  readonly last: number;
  next: number;
}

/**
 * A year's declaration sequence, handed out from blocks reserved in `declaration_sequence`, so that numbering
 * costs one durable write per block instead of one per declaration. The stored value is the last number
 * reserved, so no number is handed out twice, by this process or another on the same file; what a restart
 * costs is a gap, the unused rest of the block. A block holds one number, and twice as many as the previous
 * one (up to MAX_SEQUENCE_BLOCK) when that one was used up within a second: no gaps at a trickle, few writes
 * under load.
 * @example const sequence = new SqliteDeclarationSequence(db); sequence.next(2026) // 1, then 2, ...
 */
export class SqliteDeclarationSequence {
  readonly #reserve: SqlStatement<[number, number], number>;
  readonly #now: () => number;
  #block: Block | undefined;

  constructor(db: SqlDatabase, options: { readonly now?: () => number } = {}) {
    this.#reserve = db
      .prepare(
        `INSERT INTO declaration_sequence (year, value) VALUES (?, ?)
         ON CONFLICT (year) DO UPDATE SET value = value + excluded.value RETURNING value`,
      )
      .pluck() as SqlStatement<[number, number], number>;
    this.#now = options.now ?? Date.now;
  }

  /** The year's next sequence number, from 1. */
  next(year: number): number {
    const block = this.#block;
    if (block && block.year === year && block.next <= block.last) return block.next++;
    const now = this.#now();
    const size = block && block.year === year && now - block.reservedAt < 1000 ? Math.min(block.size * 2, MAX_SEQUENCE_BLOCK) : 1;
    const last = this.#reserve.get(year, size) as number;
    this.#block = { year, size, reservedAt: now, last, next: last - size + 2 };
    return last - size + 1;
  }
}
