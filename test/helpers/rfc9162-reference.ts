import { createHash } from 'node:crypto';

/**
 * A second, deliberately naive reading of RFC 9162 §2.1 for tests: every hash recomputed from the leaves with
 * the RFC's recursive definitions, and proofs checked by mirroring those definitions (not by the iterative
 * §2.1.3.2/§2.1.4.2 steps src/core/ledger/merkle.ts follows). Slow, and independent of the production code.
 */
export const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

const node = (left: Uint8Array, right: Uint8Array) => sha256(Buffer.concat([Buffer.of(1), left, right]));

/** MTH(D[n]) of §2.1.1, over leaf hashes. */
export function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  const k = splitPoint(leaves.length);
  return node(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** PATH(m, D[n]) of §2.1.3.1. */
export function referenceInclusionProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  return m < k
    ? [...referenceInclusionProof(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referenceInclusionProof(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of §2.1.4.1. */
export function referenceConsistencyProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  const subproof = (m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] => {
    if (m === d.length) return b ? [] : [referenceRoot(d)];
    const k = splitPoint(d.length);
    return m <= k
      ? [...subproof(m, d.slice(0, k), b), referenceRoot(d.slice(k))]
      : [...subproof(m - k, d.slice(k), false), referenceRoot(d.slice(0, k))];
  };
  return m === 0 || m === leaves.length ? [] : subproof(m, leaves, true);
}

/** The root PATH(m, D[n]) leads to from the leaf hash, undoing §2.1.3.1's recursion; undefined if the proof has the wrong length. */
export function referenceRootFromInclusion(m: number, n: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | undefined {
  const rest = [...proof];
  const walk = (m: number, n: number): Uint8Array | undefined => {
    if (n === 1) return leaf;
    const k = splitPoint(n);
    const sibling = rest.pop();
    if (!sibling) return undefined;
    if (m < k) {
      const left = walk(m, k);
      return left && node(left, sibling);
    }
    const right = walk(m - k, n - k);
    return right && node(sibling, right);
  };
  const root = walk(m, n);
  return rest.length === 0 ? root : undefined;
}

/** The [old root, new root] a consistency proof leads to, undoing §2.1.4.1's recursion. */
export function referenceRootsFromConsistency(
  m: number,
  n: number,
  oldRoot: Uint8Array,
  proof: readonly Uint8Array[],
): [Uint8Array, Uint8Array] | undefined {
  const rest = [...proof];
  const walk = (m: number, n: number, b: boolean): [Uint8Array, Uint8Array] | undefined => {
    if (m === n) {
      if (b) return [oldRoot, oldRoot];
      const subtree = rest.pop();
      return subtree && [subtree, subtree];
    }
    const k = splitPoint(n);
    const sibling = rest.pop();
    if (!sibling) return undefined;
    if (m <= k) {
      const left = walk(m, k, b);
      return left && [left[0], node(left[1], sibling)];
    }
    const right = walk(m - k, n - k, false);
    return right && [node(sibling, right[0]), node(sibling, right[1])];
  };
  const roots = walk(m, n, true);
  return rest.length === 0 ? roots : undefined;
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
