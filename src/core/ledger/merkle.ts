import type { Sha256 } from '../primitives.js';

/**
 * Merkle Tree Hash of RFC 9162 §2.1 (the RFC 6962 tree): SHA-256, leaves prefixed 0x00 and nodes 0x01,
 * so that a leaf can never be passed off as a node (second-preimage resistance, §2.1.1).
 */
export const RFC6962_LEAF_HASH_PREFIX = 0x00;
export const RFC6962_NODE_HASH_PREFIX = 0x01;
export const HASH_SIZE = 32;

// Hash inputs are built in these buffers, reused by every call (Sha256 is synchronous and keeps no reference to
// its input): allocating an ArrayBuffer per hash costs more than the hash itself, and the audit hashes millions.
const LEAF_SCRATCH = new Uint8Array(16 * 1024);
const NODE_SCRATCH = new Uint8Array(1 + 2 * HASH_SIZE);

/**
 * A perfect subtree: the 2^level leaves from index·2^level. Level 0 nodes are the leaves themselves.
 * Once its last leaf is appended its hash never changes, which is what lets storage keep it.
 */
export interface TreeNode {
  readonly level: number;
  readonly index: number;
}

/** The leaves D[start:end] of RFC 9162's notation, whose MTH is one element of a proof. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/**
 * MTH({d(0)}) = SHA-256(0x00 || d(0)), RFC 9162 §2.1.1.
 * @example const leafHash = hashLeaf(sha256, entry.bytes)
 */
export function hashLeaf(sha256: Sha256, leaf: Uint8Array): Uint8Array {
  const input = leaf.length < LEAF_SCRATCH.length ? LEAF_SCRATCH.subarray(0, leaf.length + 1) : new Uint8Array(leaf.length + 1);
  input[0] = RFC6962_LEAF_HASH_PREFIX;
  input.set(leaf, 1);
  return sha256(input);
}

/**
 * SHA-256(0x01 || left || right), RFC 9162 §2.1.1.
 * @example const parent = hashChildren(sha256, left, right)
 */
export function hashChildren(sha256: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = left.length === HASH_SIZE && right.length === HASH_SIZE ? NODE_SCRATCH : new Uint8Array(1 + left.length + right.length);
  input[0] = RFC6962_NODE_HASH_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/**
 * MTH({}) = SHA-256(), RFC 9162 §2.1.1.
 * @example hashEmptyTree(sha256) // e3b0c442…b855
 */
export function hashEmptyTree(sha256: Sha256): Uint8Array {
  return sha256(new Uint8Array(0));
}

/**
 * The k of RFC 9162 §2.1.1: the largest power of two smaller than n (n > 1).
 * @example largestPowerOfTwoBelow(6) // 4
 */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Where a perfect subtree sits in the in-order numbering of the tree's nodes (leaf i at 2i, its parent at 2i+1
 * or 2i-1, ...). Each node gets one integer, and a new node always lands near the end: a compact storage key.
 * @example inOrderPosition({ level: 1, index: 0 }) // 1
 */
export function inOrderPosition(node: TreeNode): number {
  const width = 2 ** node.level;
  return node.index * width * 2 + width - 1;
}

/**
 * The node at an in-order position (the inverse of inOrderPosition).
 * @example nodeAtPosition(119) // { level: 3, index: 7 }
 */
export function nodeAtPosition(position: number): TreeNode {
  let level = 0;
  let rest = position + 1;
  while (rest % 2 === 0) {
    rest /= 2;
    level += 1;
  }
  return { level, index: (rest - 1) / 2 };
}

/**
 * The perfect subtrees whose hashes make MTH(D[start:end]), left to right, for a range that starts on a
 * boundary of its own size as every range of the RFC's recursions does. Folding them from the right with
 * hashChildren gives the range's MTH (rootFromSubtrees).
 * @example perfectSubtrees(0, 6) // [{ level: 2, index: 0 }, { level: 1, index: 2 }]
 */
export function perfectSubtrees(start: number, end: number): TreeNode[] {
  const nodes: TreeNode[] = [];
  let at = start;
  while (at < end) {
    let width = 1;
    let level = 0;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level += 1;
    }
    nodes.push({ level, index: at / width });
    at += width;
  }
  return nodes;
}

/**
 * MTH of a range from the hashes of its perfect subtrees (perfectSubtrees order), per the recursive
 * definition of RFC 9162 §2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
 * @example const root = rootFromSubtrees(sha256, await store.subtreeHashes(perfectSubtrees(0, treeSize)))
 */
export function rootFromSubtrees(sha256: Sha256, hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return hashEmptyTree(sha256);
  let root = hashes[hashes.length - 1] as Uint8Array;
  for (let i = hashes.length - 2; i >= 0; i -= 1) root = hashChildren(sha256, hashes[i] as Uint8Array, root);
  return root;
}

/**
 * The ranges whose MTHs form PATH(m, D[n]), RFC 9162 §2.1.3.1, in the proof's order (closest to the leaf first).
 * @example inclusionProofRanges(5, 8) // [{ start: 4, end: 5 }, { start: 6, end: 8 }, { start: 0, end: 4 }]
 */
export function inclusionProofRanges(index: number, treeSize: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  path(index, 0, treeSize, ranges);
  return ranges;
}

function path(m: number, start: number, end: number, out: LeafRange[]): void {
  const n = end - start;
  if (n <= 1) return;
  const k = largestPowerOfTwoBelow(n);
  if (m < k) {
    path(m, start, start + k, out);
    out.push({ start: start + k, end });
  } else {
    path(m - k, start + k, end, out);
    out.push({ start, end: start + k });
  }
}

/**
 * The ranges whose MTHs form PROOF(m, D[n]) = SUBPROOF(m, D[n], true), RFC 9162 §2.1.4.1, for 0 < m <= n.
 * @example consistencyProofRanges(6, 8) // [{ start: 4, end: 6 }, { start: 6, end: 8 }, { start: 0, end: 4 }]
 */
export function consistencyProofRanges(first: number, second: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  if (first > 0 && first < second) subproof(first, 0, second, true, ranges);
  return ranges;
}

function subproof(m: number, start: number, end: number, b: boolean, out: LeafRange[]): void {
  const n = end - start;
  if (m === n) {
    if (!b) out.push({ start, end });
    return;
  }
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) {
    subproof(m, start, start + k, b, out);
    out.push({ start: start + k, end });
  } else {
    subproof(m - k, start + k, end, false, out);
    out.push({ start, end: start + k });
  }
}

/**
 * Checks an inclusion proof, RFC 9162 §2.1.3.2, step by step.
 * @example verifyInclusion(sha256, 5, 8, leafHash, proof, checkpoint.rootHash) // true
 */
export function verifyInclusion(
  sha256: Sha256,
  index: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  // 1. leaf_index must be inside the tree.
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(rootHash) || !proof.every(isHash)) return false;
  // 2.-3.
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  // 4.
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(sha256, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(sha256, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 5.
  return sn === 0 && equalBytes(r, rootHash);
}

/**
 * Checks a consistency proof, RFC 9162 §2.1.4.2: the tree of `second` leaves extends the tree of `first`.
 * A tree of size 0 is a prefix of every tree; equal sizes need equal roots and an empty proof.
 * @example verifyConsistency(sha256, old.treeSize, now.treeSize, old.rootHash, now.rootHash, proof) // true
 */
export function verifyConsistency(
  sha256: Sha256,
  first: number,
  second: number,
  firstHash: Uint8Array,
  secondHash: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(first) || !isSize(second) || first > second || !proof.every(isHash)) return false;
  if (first === second) return proof.length === 0 && equalBytes(firstHash, secondHash);
  if (first === 0) return proof.length === 0;
  // 1. An empty proof proves nothing between different sizes.
  if (proof.length === 0 || !isHash(firstHash) || !isHash(secondHash)) return false;
  // 2. When first is a power of two its root is itself a node of the path.
  const path = isPowerOfTwo(first) ? [firstHash, ...proof] : proof;
  // 3.
  let fn = first - 1;
  let sn = second - 1;
  // 4.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 5.
  let fr = path[0] as Uint8Array;
  let sr = fr;
  // 6.
  for (let i = 1; i < path.length; i += 1) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(sha256, c, fr);
      sr = hashChildren(sha256, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sha256, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 7.
  return sn === 0 && equalBytes(fr, firstHash) && equalBytes(sr, secondHash);
}

/**
 * The right edge of a growing tree (its "frontier" or compact range): the hashes of the perfect subtrees of
 * perfectSubtrees(0, size). Appending a leaf costs O(log n) hashes and reports each perfect subtree it completes,
 * so storage can keep every node a proof will need.
 * @example
 * const frontier = new MerkleFrontier(sha256)
 * frontier.append(hashLeaf(sha256, bytes), (node, hash) => store(node, hash))
 * frontier.root()
 */
export class MerkleFrontier {
  readonly #sha256: Sha256;
  readonly #hashes: Uint8Array[];
  #size: number;

  /** A frontier for `size` leaves from the hashes of perfectSubtrees(0, size), e.g. read back from storage. */
  constructor(sha256: Sha256, size = 0, subtreeHashes: readonly Uint8Array[] = []) {
    const expected = perfectSubtrees(0, size).length;
    if (subtreeHashes.length !== expected) {
      throw new RangeError(`a tree of ${size} leaves has ${expected} frontier subtrees, not ${subtreeHashes.length}`);
    }
    this.#sha256 = sha256;
    this.#size = size;
    this.#hashes = [...subtreeHashes];
  }

  get size(): number {
    return this.#size;
  }

  append(leafHash: Uint8Array, onCompleted?: (node: TreeNode, hash: Uint8Array) => void): void {
    let hash = leafHash;
    let level = 0;
    let index = this.#size;
    // Each trailing 1 bit of the old size is a perfect subtree of the same width that the new leaf completes.
    let rest = this.#size;
    while (rest % 2 === 1) {
      hash = hashChildren(this.#sha256, this.#hashes.pop() as Uint8Array, hash);
      level += 1;
      index = Math.floor(index / 2);
      rest = Math.floor(rest / 2);
      onCompleted?.({ level, index }, hash);
    }
    this.#hashes.push(hash);
    this.#size += 1;
  }

  root(): Uint8Array {
    return rootFromSubtrees(this.#sha256, this.#hashes);
  }
}

/**
 * Byte equality of two hashes.
 * @example equalBytes(checkpoint.rootHash, recomputed) // true
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function isHash(hash: Uint8Array): boolean {
  return hash instanceof Uint8Array && hash.length === HASH_SIZE;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && n === largestPowerOfTwoBelow(n + 1);
}
