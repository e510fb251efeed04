import { isCoreError } from '../errors.js';
import type { NoteVerifier, Sha256 } from '../primitives.js';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { readEntryIndex } from './entry.js';
import { equalBytes, HASH_SIZE, inOrderPosition, MerkleFrontier, RFC6962_LEAF_HASH_PREFIX, type TreeNode } from './merkle.js';

/**
 * Consecutive stored entry rows, packed as storage can hand them over in one read (rows come by the million, and an
 * object or buffer per row costs more than hashing it): each row's index, and each row's stored bytes after the
 * 0x00 leaf prefix of RFC 9162 §2.1.1, end to end in `leafInputs`, row r ending at `ends[r]`.
 */
export interface StoredEntryChunk {
  readonly indexes: readonly number[];
  readonly leafInputs: Uint8Array;
  readonly ends: readonly number[];
}

/**
 * Stored subtree hash rows in position order (merkle.ts inOrderPosition), packed: each row's position, and its hash
 * in `hashes`, 32 bytes each, or ending at `hashEnds[r]` when some stored hash is not 32 bytes long.
 */
export interface StoredNodeChunk {
  readonly positions: readonly number[];
  readonly hashes: Uint8Array;
  readonly hashEnds?: readonly number[];
}

/** A stored subtree hash row, keyed by the node's in-order position: how an audit part is seeded. */
export type StoredNodeRow = readonly [position: number, hash: Uint8Array];

/** A stored checkpoint row: the columns kept beside the note, which the note's signature must confirm. */
export type StoredCheckpointRow = Pick<SignedCheckpoint, 'treeSize' | 'rootHash' | 'note'>;

/** Where the audit found the ledger diverging: the first entry index concerned, and what was found. */
export interface AuditFailure {
  readonly index: number;
  readonly reason: string;
}

/**
 * One part of an audit split across threads: entries [from, to). The tree before `from` is taken from the stored
 * hashes of perfectSubtrees(0, from), which the part before checks against its own recomputation, so the parts
 * together check everything one audit would. Only the last part (to undefined) calls finish.
 */
export interface AuditPart {
  readonly from: number;
  readonly to?: number;
  /** Stored hashes of perfectSubtrees(0, from). */
  readonly frontier: readonly Uint8Array[];
  /** Stored internal nodes positioned before 2·from whose subtrees end at or after `from`: this part completes them. */
  readonly spanning: readonly StoredNodeRow[];
}

interface ExpectedRoot {
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly source: string;
}

/**
 * Recomputes the ledger from what storage holds, as `swx ledger verify` does, and names the first divergence:
 * 1. every signed checkpoint must verify under the checkpoint key and match its stored tree size and root;
 * 2. entry rows must run 0, 1, 2, … with no gap (deletion) and carry their own index inside their bytes (reordering);
 * 3. each leaf hash, recomputed from the bytes, must equal the stored one (edit);
 * 4. each perfect subtree completed by the recomputed tree must equal its stored hash (edit of bytes and leaf hash
 *    together, insertion);
 * 5. the recomputed root at each checkpoint's size must equal the signed root (a history rewritten throughout);
 * 6. at the end, no stored hash or checkpoint may lie beyond the last entry (deletion at the end).
 * Feed rows in index order with addChunk, then call finish.
 * @example
 * const audit = new LedgerAudit({ sha256, verifier, checkpoints })
 * const failure = audit.addChunk(entryChunk, nodeChunk) ?? audit.finish(trailingNodeRows)
 */
export class LedgerAudit {
  readonly #sha256: Sha256;
  readonly #frontier: MerkleFrontier;
  readonly #expectedRoots: ExpectedRoot[] = [];
  readonly #pending = new Map<number, Uint8Array>();
  #nextRoot = 0;
  #lastMatchedSize = 0;
  #failure: AuditFailure | undefined;

  constructor(options: {
    readonly sha256: Sha256;
    readonly verifier: NoteVerifier;
    /** Every checkpoint storage holds. */
    readonly checkpoints: readonly StoredCheckpointRow[];
    /** The origin every checkpoint must name. */
    readonly origin?: string;
    /** A checkpoint note saved earlier by a third party, which the ledger must still contain (`--against`). */
    readonly against?: string;
    /** When the audit is split across threads: the part of the ledger this one checks (AuditPart). */
    readonly part?: AuditPart;
  }) {
    const { part } = options;
    const from = part?.from ?? 0;
    // Each checkpoint is checked by the part its tree size ends in; a tree of 0 entries by the first.
    const inPart = (treeSize: number) => (from === 0 || treeSize > from) && (part?.to === undefined || treeSize <= part.to);
    this.#sha256 = options.sha256;
    this.#frontier = new MerkleFrontier(options.sha256, from, part?.frontier ?? []);
    for (const [position, hash] of part?.spanning ?? []) this.#pending.set(position, hash);
    this.#lastMatchedSize = Math.max(0, ...options.checkpoints.filter((stored) => stored.treeSize <= from).map((stored) => stored.treeSize));
    for (const stored of options.checkpoints.filter((row) => inPart(row.treeSize))) {
      const opened = this.#open(stored.note, options.verifier, options.origin, `the checkpoint stored at tree size ${stored.treeSize}`);
      if (!opened) return;
      if (opened.treeSize !== stored.treeSize || !equalBytes(opened.rootHash, stored.rootHash)) {
        this.#fail(
          Math.min(opened.treeSize, stored.treeSize),
          `the checkpoint row at tree size ${stored.treeSize} was altered: its columns differ from its signed note`,
        );
        return;
      }
      this.#expectedRoots.push({ ...opened, source: `the checkpoint signed at tree size ${opened.treeSize}` });
    }
    if (options.against !== undefined) {
      const opened = this.#open(options.against, options.verifier, options.origin, 'the checkpoint given with --against');
      if (!opened) return;
      if (inPart(opened.treeSize)) this.#expectedRoots.push({ ...opened, source: `the third party's checkpoint at tree size ${opened.treeSize}` });
    }
    this.#expectedRoots.sort((a, b) => a.treeSize - b.treeSize);
    this.#checkRoots();
  }

  /** Entries checked so far: the size of the recomputed tree. */
  get treeSize(): number {
    return this.#frontier.size;
  }

  /** The root of the recomputed tree. */
  rootHash(): Uint8Array {
    return this.#frontier.root();
  }

  /** The checkpoints and third-party checkpoint the recomputed tree matched so far. */
  get checkpointsMatched(): number {
    return this.#nextRoot;
  }

  /** The first divergence found, if any. */
  get failure(): AuditFailure | undefined {
    return this.#failure;
  }

  /**
   * Checks the next entry rows, in index order, with the stored node rows whose positions follow the previous
   * chunk's up to this chunk's last leaf (position 2·last + 1 included). Returns the first divergence, if any.
   */
  addChunk(entries: StoredEntryChunk, nodes: StoredNodeChunk): AuditFailure | undefined {
    if (this.#failure) return this.#failure;
    const { indexes, leafInputs, ends } = entries;
    const { positions } = nodes;
    let cursor = 0;
    let start = 0;
    for (let row = 0; row < indexes.length; row += 1) {
      const index = this.#frontier.size;
      const rowIndex = indexes[row] as number;
      const end = ends[row] as number;
      if (rowIndex !== index) return this.#fail(index, `entry ${index} is missing: the next row is entry ${rowIndex}`);
      if (leafInputs[start] !== RFC6962_LEAF_HASH_PREFIX) throw new RangeError(`row ${rowIndex}'s leaf input does not start with 0x00`);
      const input = leafInputs.subarray(start, end);
      start = end;
      // The index member is found from the end of the bytes, so the prefix byte before them does not matter.
      const inside = readEntryIndex(input);
      if (inside === undefined) return this.#fail(index, `entry ${index}'s stored bytes are not a ledger entry`);
      if (inside !== index) return this.#fail(index, `entry ${index}'s bytes carry index ${inside}: rows were reordered or renumbered`);
      // Internal nodes precede the leaf at 2·index in position order; the ones this leaf completes are among them.
      let storedLeaf = -1;
      while (cursor < positions.length) {
        const position = positions[cursor] as number;
        if (position > 2 * index) break;
        if (position === 2 * index) storedLeaf = cursor;
        else if (position % 2 === 1) this.#pending.set(position, nodeHash(nodes, cursor));
        else return this.#fail(position / 2, `a leaf hash is stored for entry ${position / 2}, which has no row`);
        cursor += 1;
      }
      if (storedLeaf < 0) return this.#fail(index, `entry ${index} has no stored leaf hash`);
      // The leaf input is hashed as it is: 0x00 ‖ bytes (merkle.ts hashLeaf), without copying it first.
      const leafHash = this.#sha256(input);
      if (!equalsNodeHash(leafHash, nodes, storedLeaf)) {
        return this.#fail(index, `entry ${index} was edited: its bytes no longer hash to its stored leaf hash`);
      }
      this.#frontier.append(leafHash, this.#checkNode);
      if (this.#failure) return this.#failure;
      if (this.#checkRoots()) return this.#failure;
    }
    for (; cursor < positions.length; cursor += 1) {
      const position = positions[cursor] as number;
      if (position % 2 === 0) return this.#fail(position / 2, `a leaf hash is stored for entry ${position / 2}, which has no row`);
      this.#pending.set(position, nodeHash(nodes, cursor));
    }
    return undefined;
  }

  /**
   * Ends the audit, given the node rows stored after the last entry's leaf, which a ledger must not have.
   * Returns the first divergence, if any.
   */
  finish(trailingNodes: readonly StoredNodeRow[]): AuditFailure | undefined {
    if (this.#failure) return this.#failure;
    const size = this.#frontier.size;
    const beyond = [...this.#pending.keys(), ...trailingNodes.map(([position]) => position)];
    if (beyond.length > 0) {
      return this.#fail(size, `hashes are stored for entries from ${size} on, but those entries are missing (deleted?)`);
    }
    const expected = this.#expectedRoots[this.#nextRoot];
    if (expected) {
      return this.#fail(
        size,
        `${expected.source} covers ${expected.treeSize} entries, but only ${size} remain: entries from ${size} on were deleted`,
      );
    }
    return undefined;
  }

  #open(note: string, verifier: NoteVerifier, origin: string | undefined, what: string): SignedCheckpoint | undefined {
    try {
      return openCheckpoint(note, verifier, origin);
    } catch (error) {
      if (!isCoreError(error)) throw error;
      const size = /\n(\d+)\n/.exec(note)?.[1];
      this.#fail(size === undefined ? 0 : Number(size), `${what} does not verify: ${error.message}`);
      return undefined;
    }
  }

  // An arrow function, so the frontier can call it without a closure per leaf.
  readonly #checkNode = (node: TreeNode, hash: Uint8Array): void => {
    if (this.#failure) return;
    const position = inOrderPosition(node);
    const stored = this.#pending.get(position);
    this.#pending.delete(position);
    const first = node.index * 2 ** node.level;
    const last = first + 2 ** node.level - 1;
    if (!stored) this.#fail(first, `the stored hash of entries ${first}–${last} is missing`);
    else if (!equalBytes(stored, hash)) {
      this.#fail(first, `entries ${first}–${last} no longer hash to their stored subtree hash: one of them was edited, inserted or removed`);
    }
  };

  // Compares the recomputed root with every checkpoint whose size the tree has reached; true on a mismatch.
  #checkRoots(): boolean {
    const size = this.#frontier.size;
    for (let expected = this.#expectedRoots[this.#nextRoot]; expected && expected.treeSize === size; expected = this.#expectedRoots[this.#nextRoot]) {
      if (!equalBytes(this.#frontier.root(), expected.rootHash)) {
        this.#fail(
          this.#lastMatchedSize,
          `the entries do not hash to the root of ${expected.source}: history from entry ${this.#lastMatchedSize} on was rewritten`,
        );
        return true;
      }
      this.#lastMatchedSize = size;
      this.#nextRoot += 1;
    }
    return false;
  }

  #fail(index: number, reason: string): AuditFailure {
    this.#failure ??= { index, reason };
    return this.#failure;
  }
}

function nodeHash(nodes: StoredNodeChunk, row: number): Uint8Array {
  const { hashes, hashEnds } = nodes;
  return hashEnds ? hashes.subarray(row === 0 ? 0 : hashEnds[row - 1], hashEnds[row]) : hashes.subarray(row * HASH_SIZE, (row + 1) * HASH_SIZE);
}

// equalBytes(hash, nodeHash(nodes, row)) without a view per leaf.
function equalsNodeHash(hash: Uint8Array, nodes: StoredNodeChunk, row: number): boolean {
  if (nodes.hashEnds) return equalBytes(hash, nodeHash(nodes, row));
  const { hashes } = nodes;
  const offset = row * HASH_SIZE;
  if (hash.length !== HASH_SIZE || offset + HASH_SIZE > hashes.length) return false;
  for (let i = 0; i < HASH_SIZE; i += 1) if (hash[i] !== hashes[offset + i]) return false;
  return true;
}
