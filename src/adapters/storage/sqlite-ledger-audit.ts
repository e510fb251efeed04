import Database, { type Statement } from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  LedgerAudit,
  type AuditFailure,
  type AuditPart,
  type StoredCheckpointRow,
  type StoredEntryRow,
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

/**
 * Audits the ledger tables of a database file (core/ledger/ledger-audit.ts), reading it only. The entries known when
 * it starts are split between this thread and worker threads, each reading its part in one read transaction, so a
 * server appending meanwhile does not disturb the audit. Reports progress as (entries checked, entries in all).
 * @example const report = await auditSqliteLedger('./data/swx.db', { publicKey, onProgress: (done, total) => bar(done, total) })
 */
export async function auditSqliteLedger(file: string, options: LedgerAuditOptions): Promise<LedgerAuditReport> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { checkpoints, total } = readSnapshot(db);
    const threads = Math.max(1, options.threads ?? (total >= PARALLEL_FROM && availableParallelism() >= 2 ? 2 : 1));
    const bounds = Array.from({ length: threads + 1 }, (_, i) => Math.floor((total * i) / threads));
    const tasks = bounds.slice(0, -1).map(
      (from, i): AuditPartTask => ({
        file,
        publicKey: options.publicKey,
        origin: options.origin,
        against: options.against,
        checkpoints,
        part: { ...seedPart(db, from), ...(i === threads - 1 ? {} : { to: bounds[i + 1] as number }), total },
      }),
    );
    const checked = tasks.map(() => 0);
    const progress = (i: number) => (count: number) => {
      checked[i] = count;
      options.onProgress?.(
        checked.reduce((sum, value) => sum + value, 0),
        total,
      );
    };
    const [first, ...rest] = tasks;
    const results = await Promise.all([
      auditPart(db, first as AuditPartTask, progress(0)),
      ...rest.map((task, i) => auditPartInWorker(task, progress(i + 1))),
    ]);
    const failed = results.find((result) => result.failure);
    const last = results[results.length - 1] as PartResult;
    return {
      ...(failed ?? last),
      checkpointsStored: checkpoints.length,
      checkpointsMatched: results.reduce((sum, result) => sum + result.checkpointsMatched, 0),
    };
  } finally {
    db.close();
  }
}

/**
 * Checks the entries of one part, chunk by chunk, in a read transaction of `db`.
 * The last part (no `to`) also checks that nothing is stored beyond the entries.
 */
export async function auditPart(db: SqliteDatabase, task: AuditPartTask, onProgress: (checked: number) => void): Promise<PartResult> {
  const { part } = task;
  const end = part.to ?? part.total;
  // Raw rows (arrays, not objects): the audit reads three rows per entry.
  const entriesFrom = db
    .prepare('SELECT entry_index, bytes FROM ledger_entries WHERE entry_index >= ? AND entry_index < ? ORDER BY entry_index LIMIT ?')
    .raw() as Statement<[number, number, number], StoredEntryRow>;
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
      const rows = entriesFrom.all(next, end, CHUNK);
      const last = rows[rows.length - 1];
      if (!last) break;
      const [lastIndex] = last;
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

function auditPartInWorker(task: AuditPartTask, onProgress: (checked: number) => void): Promise<PartResult> {
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
    const worker = new Worker(entry, { workerData: task });
    worker.on('message', (message: { checked: number } | { result: PartResult }) => {
      if ('checked' in message) onProgress(message.checked);
      else resolve(message.result);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`ledger audit worker exited with ${code}`));
    });
  });
}
