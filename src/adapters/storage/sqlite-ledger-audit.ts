import type { Statement } from 'better-sqlite3';
import {
  LedgerAudit,
  type AuditFailure,
  type StoredCheckpointRow,
  type StoredEntryRow,
  type StoredNodeRow,
} from '../../core/ledger/ledger-audit.js';
import { HASH_SIZE } from '../../core/ledger/merkle.js';
import type { NoteVerifier, Sha256 } from '../../core/ports.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** What `swx ledger verify` found. */
export interface LedgerAuditReport {
  /** Entries recomputed (up to the first divergence). */
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** Stored checkpoints found, and checkpoints (with `--against`'s) whose root the recomputed tree matched. */
  readonly checkpointsStored: number;
  readonly checkpointsMatched: number;
  readonly failure: AuditFailure | undefined;
}

const CHUNK = 20_000;

/**
 * Audits the ledger tables of a database file row by row (core/ledger/ledger-audit.ts) inside one read
 * transaction, so a server appending meanwhile does not disturb the snapshot. Yields to the event loop between
 * chunks and reports progress as (entries checked, entries in the snapshot).
 * @example const report = await auditSqliteLedger(db, { sha256: nodeSha256, verifier, onProgress: (done, total) => bar(done, total) })
 */
export async function auditSqliteLedger(
  db: SqliteDatabase,
  options: {
    readonly sha256: Sha256;
    readonly verifier: NoteVerifier;
    readonly origin?: string;
    readonly against?: string;
    readonly onProgress?: (checked: number, total: number) => void;
  },
): Promise<LedgerAuditReport> {
  // Raw rows (arrays, not objects): the audit reads three rows per entry.
  const entriesFrom = db
    .prepare('SELECT entry_index, bytes FROM ledger_entries WHERE entry_index >= ? ORDER BY entry_index LIMIT ?')
    .raw() as Statement<[number, number], StoredEntryRow>;
  const nodesBetween = db
    .prepare('SELECT position, hash FROM ledger_nodes WHERE position >= ? AND position <= ? ORDER BY position')
    .raw() as Statement<[number, number], StoredNodeRow>;
  // Twice as many node rows as entries: fetched as one string of positions and one of hex hashes per chunk,
  // which costs a fraction of a Buffer per row.
  const packedNodesBetween = db
    .prepare(
      `SELECT group_concat(position, ',' ORDER BY position), group_concat(hex(hash), '' ORDER BY position),
              count(*), coalesce(min(length(hash)), 32), coalesce(max(length(hash)), 32)
       FROM ledger_nodes WHERE position >= ? AND position <= ?`,
    )
    .raw() as Statement<[number, number], [string | null, string | null, number, number, number]>;
  const readNodes = (from: number, to: number): StoredNodeRow[] => {
    const [positions, hashes, count, shortest, longest] = packedNodesBetween.get(from, to) as [string | null, string | null, number, number, number];
    if (count === 0 || positions === null || hashes === null) return [];
    if (shortest !== HASH_SIZE || longest !== HASH_SIZE) return nodesBetween.all(from, to);
    const bytes = Buffer.from(hashes, 'hex');
    return (JSON.parse(`[${positions}]`) as number[]).map((position, i) => [position, bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)]);
  };
  const nodesFrom = db
    .prepare('SELECT position, hash FROM ledger_nodes WHERE position >= ? ORDER BY position LIMIT 1')
    .raw() as Statement<[number], StoredNodeRow>;
  db.exec('BEGIN');
  try {
    const checkpoints = db
      .prepare('SELECT tree_size AS treeSize, root_hash AS rootHash, note FROM ledger_checkpoints ORDER BY tree_size')
      .all() as StoredCheckpointRow[];
    const last = db.prepare('SELECT max(entry_index) FROM ledger_entries').pluck().get() as number | null;
    const total = last === null ? 0 : last + 1;
    const audit = new LedgerAudit({ ...options, checkpoints });
    let next = 0;
    let nodeCursor = 0;
    while (!audit.failure) {
      const rows = entriesFrom.all(next, CHUNK);
      const last = rows[rows.length - 1];
      if (!last) break;
      // Node rows up to the odd position after this chunk's last leaf, so no position falls between chunks.
      const [lastIndex] = last;
      const nodes = readNodes(nodeCursor, 2 * lastIndex + 1);
      nodeCursor = 2 * lastIndex + 2;
      next = lastIndex + 1;
      audit.addChunk(rows, nodes);
      options.onProgress?.(audit.treeSize, total);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!audit.failure) {
      const trailing = nodesFrom.get(nodeCursor);
      audit.finish(trailing ? [trailing] : []);
    }
    return {
      treeSize: audit.treeSize,
      rootHash: audit.rootHash(),
      checkpointsStored: checkpoints.length,
      checkpointsMatched: audit.checkpointsMatched,
      failure: audit.failure,
    };
  } finally {
    db.exec('COMMIT');
  }
}
