import Database, { type Statement } from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  LedgerAudit,
  type AuditFailure,
  type AuditPart,
  type StoredCheckpointRow,
  type StoredEntryChunk,
  type StoredNodeChunk,
  type StoredNodeRow,
} from '../../core/ledger/ledger-audit.js';
import { HASH_SIZE, inOrderPosition, perfectSubtrees, type TreeNode } from '../../core/ledger/merkle.js';
import type { NotePublicKey } from '../../core/ledger/signed-note.js';
import { createEd25519NoteVerifier } from '../crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../crypto/node-sha256.js';
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

export interface LedgerAuditOptions {
  /** The checkpoint key to trust. */
  readonly publicKey: NotePublicKey;
  /** The origin every checkpoint must name. */
  readonly origin?: string;
  /** A checkpoint note saved earlier by a third party, which the ledger must still contain. */
  readonly against?: string;
  readonly onProgress?: (checked: number, total: number) => void;
  /** Threads to split the audit across; default: two on a machine with two cores or more, for ledgers of 100,000 entries or more. */
  readonly threads?: number;
}

/** What one part of the audit needs, as it crosses to a worker thread. */
export interface AuditPartTask {
  readonly file: string;
  readonly publicKey: NotePublicKey;
  readonly origin: string | undefined;
  readonly against: string | undefined;
  readonly checkpoints: readonly StoredCheckpointRow[];
  readonly part: AuditPart & { readonly total: number };
}

type PartResult = Omit<LedgerAuditReport, 'checkpointsStored'>;

const CHUNK = 5_000;
const PARALLEL_FROM = 100_000;
const PART_ENTRIES = 100_000;

/**
 * Audits the ledger tables of a database file (core/ledger/ledger-audit.ts), reading it only. The entries known when
 * it starts are cut into parts (of about 100,000 entries when several threads run), which this thread and worker
 * threads take in turn, so a worker still starting delays nothing; each part is read in one read transaction, so a
 * server appending meanwhile does not disturb the audit. Parts after one that diverged are skipped: the first
 * divergence is reported. Reports progress as (entries checked, entries in all).
 * @example const report = await auditSqliteLedger('./data/swx.db', { publicKey, onProgress: (done, total) => bar(done, total) })
 */
export async function auditSqliteLedger(file: string, options: LedgerAuditOptions): Promise<LedgerAuditReport> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { checkpoints, total } = readSnapshot(db);
    const threads = Math.max(1, options.threads ?? (total >= PARALLEL_FROM && availableParallelism() >= 2 ? 2 : 1));
    const count = threads === 1 ? 1 : Math.max(threads * 2, Math.ceil(total / PART_ENTRIES));
    const bounds = Array.from({ length: count + 1 }, (_, i) => Math.floor((total * i) / count));
    const taskOf = (i: number): AuditPartTask => ({
      file,
      publicKey: options.publicKey,
      origin: options.origin,
      against: options.against,
      checkpoints,
      part: { ...seedPart(db, bounds[i] as number), ...(i === count - 1 ? {} : { to: bounds[i + 1] as number }), total },
    });
    const checked = bounds.slice(1).map(() => 0);
    const progress = (i: number, count: number) => {
      checked[i] = count;
      options.onProgress?.(
        checked.reduce((sum, value) => sum + value, 0),
        total,
      );
    };
    const results: PartResult[] = [];
    let next = 0;
    let failedPart = count;
    const parts: PartQueue = {
      take: () => (next < failedPart ? { index: next, task: taskOf(next++) } : undefined),
      settle(index, result) {
        results[index] = result;
        if (result.failure) failedPart = Math.min(failedPart, index);
      },
      progress,
    };
    const inThisThread = async () => {
      for (let part = parts.take(); part; part = parts.take()) {
        const { index } = part;
        parts.settle(index, await auditPart(db, part.task, (done) => progress(index, done)));
      }
    };
    await Promise.all([inThisThread(), ...Array.from({ length: threads - 1 }, () => auditPartsInWorker(file, parts))]);
    const failed = results.find((result) => result?.failure);
    return {
      ...(failed ?? (results[count - 1] as PartResult)),
      checkpointsStored: checkpoints.length,
      checkpointsMatched: results.reduce((sum, result) => sum + (result?.checkpointsMatched ?? 0), 0),
    };
  } finally {
    db.close();
  }
}

/** The parts of an audit, handed out in order to the threads that check them. */
interface PartQueue {
  take(): { readonly index: number; readonly task: AuditPartTask } | undefined;
  settle(index: number, result: PartResult): void;
  progress(index: number, checked: number): void;
}

/** A message from a worker thread (sqlite-ledger-audit-worker.ts). */
export type AuditWorkerMessage = 'ready' | { readonly checked: number } | { readonly result: PartResult };

/** A message to a worker thread: the next part to check, or none. */
export type AuditWorkerTask = { readonly task: AuditPartTask } | 'done';

/**
 * Checks the entries of one part, chunk by chunk, in a read transaction of `db`.
 * The last part (no `to`) also checks that nothing is stored beyond the entries.
 */
export async function auditPart(db: SqliteDatabase, task: AuditPartTask, onProgress: (checked: number) => void): Promise<PartResult> {
  const { part } = task;
  const end = part.to ?? part.total;
  const readEntries = packedEntryReader(db);
  const readNodes = packedNodeReader(db);
  const nodesBetween = db
    .prepare('SELECT position, hash FROM ledger_nodes WHERE position >= ? AND position <= ? ORDER BY position')
    .raw() as Statement<[number, number], StoredNodeRow>;

  db.exec('BEGIN');
  try {
    const audit = new LedgerAudit({
      sha256: nodeSha256,
      verifier: createEd25519NoteVerifier(task.publicKey),
      checkpoints: task.checkpoints,
      ...(task.origin === undefined ? {} : { origin: task.origin }),
      ...(task.against === undefined ? {} : { against: task.against }),
      part,
    });
    let next = part.from;
    let nodeCursor = 2 * part.from;
    while (!audit.failure) {
      const rows = readEntries(next, end, CHUNK);
      const lastIndex = rows.indexes[rows.indexes.length - 1];
      if (lastIndex === undefined) break;
      // Node rows up to the odd position after this chunk's last leaf, so no position falls between chunks.
      audit.addChunk(rows, readNodes(nodeCursor, 2 * lastIndex + 1));
      nodeCursor = 2 * lastIndex + 2;
      next = lastIndex + 1;
      onProgress(audit.treeSize - part.from);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!audit.failure && part.to === undefined) {
      // Entries appended since the audit started may have stored hashes beyond `end`; that is growth, not tampering.
      const grown = (db.prepare('SELECT count(*) FROM ledger_entries WHERE entry_index >= ?').pluck().get(end) as number) > 0;
      const trailing = grown ? undefined : nodesBetween.all(nodeCursor, Number.MAX_SAFE_INTEGER)[0];
      audit.finish(trailing ? [trailing] : []);
    }
    return { treeSize: audit.treeSize, rootHash: audit.rootHash(), checkpointsMatched: audit.checkpointsMatched, failure: audit.failure };
  } finally {
    db.exec('COMMIT');
  }
}

/**
 * Entry rows from `from` (below `to`, at most `limit`) in one read: SQLite concatenates the rows' bytes, each after
 * the 0x00 leaf prefix, into one blob (the concatenation of || and group_concat copies bytes as they are). If the
 * blob is not exactly the lengths it reports (it always is), the rows are read one by one instead.
 */
function packedEntryReader(db: SqliteDatabase): (from: number, to: number, limit: number) => StoredEntryChunk {
  const packed = db
    .prepare(
      `SELECT group_concat(entry_index), group_concat(length(CAST(bytes AS BLOB)) + 1), CAST(group_concat(CAST(x'00' AS TEXT) || bytes, '') AS BLOB)
       FROM (SELECT entry_index, bytes FROM ledger_entries WHERE entry_index >= ? AND entry_index < ? ORDER BY entry_index LIMIT ?)`,
    )
    .raw() as Statement<[number, number, number], [string | null, string | null, Buffer | null]>;
  const rows = db
    .prepare('SELECT entry_index, CAST(bytes AS BLOB) FROM ledger_entries WHERE entry_index >= ? AND entry_index < ? ORDER BY entry_index LIMIT ?')
    .raw() as Statement<[number, number, number], [number, Buffer]>;
  return (from, to, limit) => {
    const [indexes, lengths, blob] = packed.get(from, to, limit) as [string | null, string | null, Buffer | null];
    if (indexes === null || lengths === null || blob === null) return { indexes: [], leafInputs: new Uint8Array(0), ends: [] };
    const ends = endsOf(JSON.parse(`[${lengths}]`) as number[]);
    const chunk = { indexes: JSON.parse(`[${indexes}]`) as number[], leafInputs: blob, ends };
    if (chunk.indexes.length === ends.length && ends[ends.length - 1] === blob.length) return chunk;
    const stored = rows.all(from, to, limit);
    return {
      indexes: stored.map(([index]) => index),
      leafInputs: Buffer.concat(stored.flatMap(([, bytes]) => [LEAF_PREFIX, bytes])),
      ends: endsOf(stored.map(([, bytes]) => bytes.length + 1)),
    };
  };
}

/**
 * Node rows with positions in [from, to] in one read: their positions, and their hashes end to end. When a stored
 * hash is not 32 bytes long (altered), the rows are read one by one and each hash's end is given.
 */
function packedNodeReader(db: SqliteDatabase): (from: number, to: number) => StoredNodeChunk {
  const packed = db
    .prepare(
      `SELECT group_concat(position), CAST(group_concat(hash, '') AS BLOB), min(length(CAST(hash AS BLOB))), max(length(CAST(hash AS BLOB)))
       FROM (SELECT position, hash FROM ledger_nodes WHERE position >= ? AND position <= ? ORDER BY position)`,
    )
    .raw() as Statement<[number, number], [string | null, Buffer | null, number | null, number | null]>;
  const rows = db
    .prepare('SELECT position, CAST(hash AS BLOB) FROM ledger_nodes WHERE position >= ? AND position <= ? ORDER BY position')
    .raw() as Statement<[number, number], [number, Buffer]>;
  return (from, to) => {
    const [positions, hashes, shortest, longest] = packed.get(from, to) as [string | null, Buffer | null, number | null, number | null];
    if (positions === null || hashes === null) return { positions: [], hashes: new Uint8Array(0) };
    const chunk = { positions: JSON.parse(`[${positions}]`) as number[], hashes };
    if (shortest === HASH_SIZE && longest === HASH_SIZE && hashes.length === chunk.positions.length * HASH_SIZE) return chunk;
    const stored = rows.all(from, to);
    return {
      positions: stored.map(([position]) => position),
      hashes: Buffer.concat(stored.map(([, hash]) => hash)),
      hashEnds: endsOf(stored.map(([, hash]) => hash.length)),
    };
  };
}

const LEAF_PREFIX = Buffer.of(0);

function endsOf(lengths: readonly number[]): number[] {
  let end = 0;
  return lengths.map((length) => (end += length));
}

function readSnapshot(db: SqliteDatabase): { checkpoints: StoredCheckpointRow[]; total: number } {
  return db.transaction(() => {
    const last = db.prepare('SELECT max(entry_index) FROM ledger_entries').pluck().get() as number | null;
    const total = last === null ? 0 : last + 1;
    const checkpoints = db
      .prepare('SELECT tree_size AS treeSize, root_hash AS rootHash, note FROM ledger_checkpoints ORDER BY tree_size')
      .all() as StoredCheckpointRow[];
    return { checkpoints, total };
  })();
}

// The stored tree before `from`: its frontier, and the internal nodes over `from` positioned before 2·from.
function seedPart(db: SqliteDatabase, from: number): Pick<AuditPart, 'from' | 'frontier' | 'spanning'> {
  const hash = db.prepare('SELECT hash FROM ledger_nodes WHERE position = ?').pluck() as Statement<[number], Buffer>;
  const frontier = perfectSubtrees(0, from).map((node) => hash.get(inOrderPosition(node)) ?? Buffer.alloc(HASH_SIZE));
  const spanning: StoredNodeRow[] = [];
  for (let level = 1; 2 ** (level - 1) <= from; level += 1) {
    const node: TreeNode = { level, index: Math.floor(from / 2 ** level) };
    const first = node.index * 2 ** level;
    const position = inOrderPosition(node);
    const stored = first < from && position < 2 * from ? hash.get(position) : undefined;
    if (stored) spanning.push([position, stored]);
  }
  return { from, frontier, spanning };
}

// A worker thread taking parts until none is left.
function auditPartsInWorker(file: string, parts: PartQueue): Promise<void> {
  // Under tsx (the .ts sources run as they are), a worker must register tsx itself before loading the module.
  const module = new URL(import.meta.url.endsWith('.ts') ? './sqlite-ledger-audit-worker.ts' : './sqlite-ledger-audit-worker.js', import.meta.url);
  const entry = import.meta.url.endsWith('.ts')
    ? new URL(
        `data:text/javascript,${encodeURIComponent(
          `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(module.href)});`,
        )}`,
      )
    : module;
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: { file } });
    let current = -1;
    const dispatch = () => {
      const part = parts.take();
      current = part?.index ?? -1;
      worker.postMessage(part ? ({ task: part.task } satisfies AuditWorkerTask) : ('done' satisfies AuditWorkerTask));
    };
    worker.on('message', (message: AuditWorkerMessage) => {
      if (message === 'ready') return dispatch();
      if ('checked' in message) return parts.progress(current, message.checked);
      parts.settle(current, message.result);
      dispatch();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ledger audit worker exited with ${code}`))));
  });
}
