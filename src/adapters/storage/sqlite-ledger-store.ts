import { CoreError } from '../../core/errors.js';
import { parseCheckpoint, type SignedCheckpoint } from '../../core/ledger/checkpoint.js';
import { decodeEntry, encodeEntry, type LedgerEntry, type LedgerEvent } from '../../core/ledger/entry.js';
import { equalBytes, hashLeaf, inOrderPosition, MerkleFrontier, perfectSubtrees, type TreeNode } from '../../core/ledger/merkle.js';
import { parseNote } from '../../core/ledger/signed-note.js';
import type { Clock, Sha256 } from '../../core/primitives.js';
import type { LedgerStore } from '../../core/ledger/ledger-store.js';
import { nodeSha256 } from '../crypto/node-sha256.js';
import type { SqlDatabase, SqlStatement } from './sql-database.js';

interface EntryRow {
  readonly entry_index: number;
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array | null;
}

interface CheckpointRow {
  readonly tree_size: number;
  readonly root_hash: Uint8Array;
  readonly note: string;
}

/**
 * The ledger in SQLite (tables of migrations/0001_ledger.sql). Appending writes the entry, its leaf hash and the
 * perfect subtrees it completes: O(log n) hashes, about three rows per entry. Proofs read O(log n) stored hashes.
 * The tree's frontier is cached and re-read whenever the database's last leaf is not the one this object
 * appended last (a rolled-back transaction, another writer).
 * @example
 * const ledger: LedgerStore = new SqliteLedgerStore(openDatabase('./data/swx.db'))
 * db.transaction(() => { const [entry] = ledger.appendSync([event]); ... })()
 */
export class SqliteLedgerStore implements LedgerStore {
  readonly #db: SqlDatabase;
  readonly #sha256: Sha256;
  readonly #clock: Clock;
  readonly #statements;
  readonly #appendInTransaction: (events: readonly LedgerEvent[]) => LedgerEntry[];
  #frontier: MerkleFrontier | undefined;
  #lastLeafHash: Uint8Array | undefined;

  constructor(db: SqlDatabase, options: { readonly sha256?: Sha256; readonly clock?: Clock } = {}) {
    this.#db = db;
    this.#sha256 = options.sha256 ?? nodeSha256;
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#statements = {
      insertEntry: db.prepare('INSERT INTO ledger_entries (entry_index, bytes) VALUES (?, ?)'),
      insertNode: db.prepare('INSERT INTO ledger_nodes (position, hash) VALUES (?, ?)'),
      lastIndex: db.prepare('SELECT entry_index FROM ledger_entries ORDER BY entry_index DESC LIMIT 1').pluck(),
      node: db.prepare('SELECT hash FROM ledger_nodes WHERE position = ?').pluck() as SqlStatement<[number], Uint8Array>,
      entries: db.prepare(
        `SELECT e.entry_index, e.bytes, n.hash FROM ledger_entries e LEFT JOIN ledger_nodes n ON n.position = 2 * e.entry_index
         WHERE e.entry_index >= ? AND e.entry_index < ? ORDER BY e.entry_index`,
      ) as SqlStatement<[number, number], EntryRow>,
      insertCheckpoint: db.prepare('INSERT OR IGNORE INTO ledger_checkpoints (tree_size, root_hash, note, published_at) VALUES (?, ?, ?, ?)'),
      latestCheckpoint: db.prepare('SELECT tree_size, root_hash, note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1') as SqlStatement<
        [],
        CheckpointRow
      >,
      checkpointCovering: db.prepare(
        'SELECT tree_size, root_hash, note FROM ledger_checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT 1',
      ) as SqlStatement<[number], CheckpointRow>,
    };
    this.#appendInTransaction = db.transaction((events: readonly LedgerEvent[]) => this.#appendRows(events)).immediate;
  }

  /**
   * Appends events and returns their entries, synchronously: inside a `db.transaction()` another store opened
   * (the entries commit or roll back with that store's rows), or in a transaction of its own.
   * @example const entries = ledger.appendSync([{ type: 'DOCUMENT_RECEIVED', subject: id, at, data: {} }])
   */
  appendSync(events: readonly LedgerEvent[]): LedgerEntry[] {
    return this.#db.inTransaction ? this.#appendRows(events) : this.#appendInTransaction(events);
  }

  append(events: readonly LedgerEvent[]): Promise<LedgerEntry[]> {
    return Promise.resolve().then(() => this.appendSync(events));
  }

  /** The number of entries, synchronously. */
  sizeSync(): number {
    const last = this.#statements.lastIndex.get() as number | undefined;
    return last === undefined ? 0 : last + 1;
  }

  size(): Promise<number> {
    return Promise.resolve(this.sizeSync());
  }

  entries(start: number, end: number): Promise<LedgerEntry[]> {
    return Promise.resolve().then(() =>
      this.#statements.entries.all(start, end).map((row, offset) => {
        const event = decodeEntry(row.bytes);
        if (row.entry_index !== start + offset || event.index !== row.entry_index || !row.hash) {
          throw new CoreError('LEDGER_INCONSISTENT', `ledger entry ${start + offset} is missing or altered; run swx ledger verify`);
        }
        const { index, type, subject, at, data } = event;
        return { index, type, subject, at, data, leafHash: row.hash, bytes: row.bytes };
      }),
    );
  }

  subtreeHashes(nodes: readonly TreeNode[]): Promise<Uint8Array[]> {
    return Promise.resolve().then(() => nodes.map((node) => this.#subtreeHash(node)));
  }

  saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void> {
    return Promise.resolve().then(() => {
      this.#statements.insertCheckpoint.run(checkpoint.treeSize, checkpoint.rootHash, checkpoint.note, this.#clock.now().toISOString());
    });
  }

  latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    return Promise.resolve().then(() => toCheckpoint(this.#statements.latestCheckpoint.get()));
  }

  checkpointCovering(index: number): Promise<SignedCheckpoint | undefined> {
    return Promise.resolve().then(() => toCheckpoint(this.#statements.checkpointCovering.get(index)));
  }

  #appendRows(events: readonly LedgerEvent[]): LedgerEntry[] {
    const frontier = this.#currentFrontier();
    // Encoding first: an event the ledger cannot hold fails before any row is written.
    const encoded = events.map((event, offset) => encodeEntry(frontier.size + offset, event));
    const { insertEntry, insertNode } = this.#statements;
    const storeNode = (node: TreeNode, hash: Uint8Array) => insertNode.run(inOrderPosition(node), hash);
    try {
      return events.map((event, offset): LedgerEntry => {
        const index = frontier.size;
        const bytes = encoded[offset] as Uint8Array;
        const leafHash = hashLeaf(this.#sha256, bytes);
        insertEntry.run(index, bytes);
        insertNode.run(2 * index, leafHash);
        frontier.append(leafHash, storeNode);
        this.#lastLeafHash = leafHash;
        const { type, subject, at, data } = event;
        return { index, type, subject, at, data, leafHash, bytes };
      });
    } catch (error) {
      this.#frontier = undefined;
      throw new CoreError('LEDGER_INCONSISTENT', `appending to the ledger failed: ${(error as Error).message}`, { cause: error });
    }
  }

  // The cached frontier holds while the database's last leaf is the one appended last through this object.
  #currentFrontier(): MerkleFrontier {
    const size = this.sizeSync();
    const cached = this.#frontier;
    if (
      cached &&
      cached.size === size &&
      (size === 0 || (this.#lastLeafHash && equalBytes(this.#subtreeHash({ level: 0, index: size - 1 }), this.#lastLeafHash)))
    ) {
      return cached;
    }
    const hashes = perfectSubtrees(0, size).map((node) => this.#subtreeHash(node));
    this.#frontier = new MerkleFrontier(this.#sha256, size, hashes);
    this.#lastLeafHash = size === 0 ? undefined : this.#subtreeHash({ level: 0, index: size - 1 });
    return this.#frontier;
  }

  #subtreeHash(node: TreeNode): Uint8Array {
    const hash = this.#statements.node.get(inOrderPosition(node));
    if (!hash) {
      const first = node.index * 2 ** node.level;
      throw new CoreError('LEDGER_INCONSISTENT', `the stored hash of ledger entries ${first}–${first + 2 ** node.level - 1} is missing`);
    }
    return hash;
  }
}

function toCheckpoint(row: CheckpointRow | undefined): SignedCheckpoint | undefined {
  if (!row) return undefined;
  const { origin } = parseCheckpoint(parseNote(row.note).text);
  return { origin, treeSize: row.tree_size, rootHash: row.root_hash, note: row.note };
}
