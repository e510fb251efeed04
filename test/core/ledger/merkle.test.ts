import { describe, expect, it } from 'vitest';
import {
  consistencyProofRanges,
  hashChildren,
  hashLeaf,
  inclusionProofRanges,
  inOrderPosition,
  MerkleFrontier,
  nodeAtPosition,
  perfectSubtrees,
  rootFromSubtrees,
  verifyConsistency,
  verifyInclusion,
  type LeafRange,
  type TreeNode,
} from '../../../src/core/ledger/merkle.js';
import {
  hex,
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceRoot,
  referenceRootFromInclusion,
  referenceRootsFromConsistency,
  sha256,
  unhex,
} from '../../helpers/rfc9162-reference.js';

// The RFC 6962 reference leaves and roots, as published in certificate-transparency-go and
// transparency-dev/merkle (proof/verify_test.go).
const CT_LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// transparency-dev/merkle proof/verify_test.go inclusionProofs (its leaf numbers are 1-based) and consistencyProofs.
const CT_INCLUSION_PROOFS = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CT_CONSISTENCY_PROOFS = [
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
  {
    first: 6,
    second: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const ctLeaves = CT_LEAF_INPUTS.map((input) => hashLeaf(sha256, input));
const root = (n: number) => unhex(CT_ROOTS[n] as string);

/** A tree kept the way storage keeps it: every perfect subtree hash, by in-order position. */
function storedTree(leafHashes: readonly Uint8Array[]) {
  const nodes = new Map<number, Uint8Array>();
  const frontier = new MerkleFrontier(sha256);
  for (const [index, leaf] of leafHashes.entries()) {
    nodes.set(inOrderPosition({ level: 0, index }), leaf);
    frontier.append(leaf, (node, hash) => nodes.set(inOrderPosition(node), hash));
  }
  const hashOf = (range: LeafRange) =>
    rootFromSubtrees(
      sha256,
      perfectSubtrees(range.start, range.end).map((node) => nodes.get(inOrderPosition(node)) as Uint8Array),
    );
  return {
    frontier,
    rootAt: (size: number) => hashOf({ start: 0, end: size }),
    inclusion: (index: number, size: number) => inclusionProofRanges(index, size).map(hashOf),
    consistency: (first: number, second: number) => consistencyProofRanges(first, second).map(hashOf),
  };
}

describe('hashLeaf and hashChildren', () => {
  it('match the RFC 6962 reference roots for every size 0..8', () => {
    const tree = storedTree(ctLeaves);
    for (let size = 0; size <= 8; size += 1) expect(hex(tree.rootAt(size)), `size ${size}`).toBe(CT_ROOTS[size]);
    expect(hex(tree.frontier.root())).toBe(CT_ROOTS[8]);
  });

  it('prefix nodes with 0x01', () => {
    expect(hex(hashChildren(sha256, ctLeaves[0] as Uint8Array, ctLeaves[1] as Uint8Array))).toBe(CT_ROOTS[2]);
  });
});

describe('inclusion proofs', () => {
  const tree = storedTree(ctLeaves);

  it.each(CT_INCLUSION_PROOFS)('match the published proof of leaf $index in a tree of $size', ({ index, size, proof }) => {
    expect(tree.inclusion(index, size).map(hex)).toEqual(proof);
    expect(verifyInclusion(sha256, index, size, ctLeaves[index] as Uint8Array, proof.map(unhex), root(size))).toBe(true);
  });

  describe('when anything differs', () => {
    const { index, size, proof } = CT_INCLUSION_PROOFS[1] as (typeof CT_INCLUSION_PROOFS)[number];
    const leaf = ctLeaves[index] as Uint8Array;
    const good = proof.map(unhex);
    const flipped = (at: number) => good.map((hash, i) => (i === at ? Uint8Array.from(hash, (byte, j) => (j === 0 ? byte ^ 8 : byte)) : hash));
    it.each([
      ['index - 1', index - 1, size, leaf, good, root(size)],
      ['index + 1', index + 1, size, leaf, good, root(size)],
      ['size * 2', index, size * 2, leaf, good, root(size)],
      ['size / 2', index, size / 2, leaf, good, root(size)],
      ['another leaf', index, size, ctLeaves[0] as Uint8Array, good, root(size)],
      ['the empty root', index, size, leaf, good, root(0)],
      ['trailing garbage', index, size, leaf, [...good, new Uint8Array(32)], root(size)],
      ['a missing node', index, size, leaf, good.slice(0, -1), root(size)],
      ['a flipped bit in node 0', index, size, leaf, flipped(0), root(size)],
      ['a flipped bit in node 2', index, size, leaf, flipped(2), root(size)],
      ['an index outside the tree', size, size, leaf, good, root(size)],
    ])('rejects %s', (_, i, n, leafHash, path, rootHash) => {
      expect(verifyInclusion(sha256, i, n, leafHash, path, rootHash)).toBe(false);
    });
  });
});

describe('consistency proofs', () => {
  const tree = storedTree(ctLeaves);

  it.each(CT_CONSISTENCY_PROOFS)('match the published proof from $first to $second', ({ first, second, proof }) => {
    expect(tree.consistency(first, second).map(hex)).toEqual(proof);
    expect(verifyConsistency(sha256, first, second, root(first), root(second), proof.map(unhex))).toBe(true);
  });

  describe('when anything differs', () => {
    const { first, second, proof } = CT_CONSISTENCY_PROOFS[1] as (typeof CT_CONSISTENCY_PROOFS)[number];
    const good = proof.map(unhex);
    it.each([
      ['first - 1', first - 1, second, root(first), root(second), good],
      ['first + 1', first + 1, second, root(first), root(second), good],
      ['second / 2', first, second / 2, root(first), root(second), good],
      ['swapped roots', first, second, root(second), root(first), good],
      ['an empty proof', first, second, root(first), root(second), []],
      ['a truncated proof', first, second, root(first), root(second), good.slice(0, -1)],
      ['a preceding root', first, second, root(first), root(second), [root(first), ...good]],
      ['a first size after the second', second, first, root(second), root(first), good],
      ['equal sizes with different roots', first, first, root(first), root(second), []],
    ])('rejects %s', (_, m, n, firstRoot, secondRoot, path) => {
      expect(verifyConsistency(sha256, m, n, firstRoot, secondRoot, path)).toBe(false);
    });
  });

  it('accepts what every tree extends: the empty tree, and the same tree with an empty proof', () => {
    expect(verifyConsistency(sha256, 0, 8, root(0), root(8), [])).toBe(true);
    expect(verifyConsistency(sha256, 8, 8, root(8), root(8), [])).toBe(true);
  });
});

describe('proofs of every (index, size) pair up to 64 leaves', () => {
  const leaves = Array.from({ length: 64 }, (_, i) => hashLeaf(sha256, Uint8Array.of(i, i * 7, 0x5a)));
  const tree = storedTree(leaves);

  it('build the RFC 9162 PATH, and both verifiers accept it', () => {
    for (let size = 1; size <= 64; size += 1) {
      const rootHash = referenceRoot(leaves.slice(0, size));
      expect(hex(tree.rootAt(size))).toBe(hex(rootHash));
      for (let index = 0; index < size; index += 1) {
        const proof = tree.inclusion(index, size);
        expect(proof.map(hex), `PATH(${index}, D[${size}])`).toEqual(referenceInclusionProof(index, leaves.slice(0, size)).map(hex));
        expect(hex(referenceRootFromInclusion(index, size, leaves[index] as Uint8Array, proof) ?? new Uint8Array())).toBe(hex(rootHash));
        expect(verifyInclusion(sha256, index, size, leaves[index] as Uint8Array, proof, rootHash)).toBe(true);
      }
    }
  });

  it('build the RFC 9162 PROOF, and both verifiers accept it', () => {
    for (let second = 1; second <= 64; second += 1) {
      const secondRoot = referenceRoot(leaves.slice(0, second));
      for (let first = 1; first <= second; first += 1) {
        const firstRoot = referenceRoot(leaves.slice(0, first));
        const proof = tree.consistency(first, second);
        expect(proof.map(hex), `PROOF(${first}, D[${second}])`).toEqual(referenceConsistencyProof(first, leaves.slice(0, second)).map(hex));
        expect(referenceRootsFromConsistency(first, second, firstRoot, proof)?.map(hex)).toEqual([hex(firstRoot), hex(secondRoot)]);
        expect(verifyConsistency(sha256, first, second, firstRoot, secondRoot, proof)).toBe(true);
      }
    }
  });
});

describe('inOrderPosition', () => {
  it('numbers leaves 2i and is inverted by nodeAtPosition', () => {
    const nodes: TreeNode[] = [
      { level: 0, index: 5 },
      { level: 1, index: 0 },
      { level: 3, index: 7 },
    ];
    expect(nodes.map(inOrderPosition)).toEqual([10, 1, 119]);
    for (const node of nodes) expect(nodeAtPosition(inOrderPosition(node))).toEqual(node);
  });
});

describe('MerkleFrontier', () => {
  it('resumes from the subtree hashes of a stored tree', () => {
    const full = storedTree(ctLeaves.slice(0, 6));
    const hashes = perfectSubtrees(0, 6).map((node) => {
      const first = node.index * 2 ** node.level;
      return referenceRoot(ctLeaves.slice(first, first + 2 ** node.level));
    });
    const resumed = new MerkleFrontier(sha256, 6, hashes);
    resumed.append(ctLeaves[6] as Uint8Array);
    resumed.append(ctLeaves[7] as Uint8Array);
    expect(hex(full.frontier.root())).toBe(CT_ROOTS[6]);
    expect(hex(resumed.root())).toBe(CT_ROOTS[8]);
  });
});
