import { CoreError } from '../errors.js';
import type { NoteSigner, Sha256 } from '../primitives.js';
import type { LedgerStore } from './ledger-store.js';
import { signCheckpoint, type Checkpoint, type SignedCheckpoint } from './checkpoint.js';
import { consistencyProofRanges, equalBytes, inclusionProofRanges, perfectSubtrees, rootFromSubtrees, type LeafRange } from './merkle.js';

/** The most entries one read returns (GET /v1/ledger/entries); RFC 9162 §4.6 lets a log cap it. */
export const MAX_ENTRIES_PER_READ = 1000;

/**
 * The RFC 9162 root hash of the first `treeSize` entries, from stored subtree hashes: O(log n) reads.
 * @example const root = await rootAt(store, sha256, 8)
 */
export async function rootAt(store: LedgerStore, sha256: Sha256, treeSize: number): Promise<Uint8Array> {
  await checkTreeSize(store, treeSize);
  return rootFromSubtrees(sha256, await store.subtreeHashes(perfectSubtrees(0, treeSize)));
}

/**
 * The inclusion proof of entry `index` in the tree of `treeSize` entries, RFC 9162 §2.1.3.1, built from stored
 * subtree hashes. Throws LEDGER_RANGE_INVALID unless 0 <= index < treeSize <= the ledger's size.
 * @example const proof = await proveInclusion(store, sha256, receipt.ledgerIndex, checkpoint.treeSize)
 */
export async function proveInclusion(store: LedgerStore, sha256: Sha256, index: number, treeSize: number): Promise<Uint8Array[]> {
  await checkTreeSize(store, treeSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new CoreError('LEDGER_RANGE_INVALID', `entry ${index} is not in a tree of ${treeSize} entries`);
  }
  return proofFromRanges(store, sha256, inclusionProofRanges(index, treeSize));
}

/**
 * The consistency proof between the trees of `first` and `second` entries, RFC 9162 §2.1.4.1, built from stored
 * subtree hashes. Throws LEDGER_RANGE_INVALID unless 0 < first <= second <= the ledger's size.
 * @example const proof = await proveConsistency(store, sha256, witnessed.treeSize, latest.treeSize)
 */
export async function proveConsistency(store: LedgerStore, sha256: Sha256, first: number, second: number): Promise<Uint8Array[]> {
  await checkTreeSize(store, second);
  if (!Number.isSafeInteger(first) || first < 1 || first > second) {
    throw new CoreError('LEDGER_RANGE_INVALID', `no consistency proof from ${first} to ${second} entries: need 0 < first <= second`);
  }
  return proofFromRanges(store, sha256, consistencyProofRanges(first, second));
}

/** What signing a checkpoint needs: the ledger, SHA-256, the checkpoint key and the origin line. */
export interface CheckpointSigning {
  readonly store: LedgerStore;
  readonly sha256: Sha256;
  readonly signer: NoteSigner;
  readonly origin: string;
}

/**
 * Signs a checkpoint of the ledger as it is now, without storing it, unless `latest` (the newest checkpoint signed
 * before) already covers every entry; returns it, or undefined. Before signing it checks that the stored tree still
 * has `latest`'s root at that size, because a log must never sign a tree inconsistent with one it signed before
 * (C2SP tlog-checkpoint, "Signatures"): a rewritten history stops checkpointing with LEDGER_INCONSISTENT.
 * @example const checkpoint = await signLedgerCheckpoint({ store, sha256, signer, origin }, await store.latestCheckpoint())
 */
export async function signLedgerCheckpoint(deps: CheckpointSigning, latest: Checkpoint | undefined): Promise<SignedCheckpoint | undefined> {
  const { store, sha256, signer, origin } = deps;
  const treeSize = await store.size();
  if (latest && latest.treeSize >= treeSize) return undefined;
  if (latest && !equalBytes(await rootAt(store, sha256, latest.treeSize), latest.rootHash)) {
    throw new CoreError('LEDGER_INCONSISTENT', `the stored tree no longer has the root signed at ${latest.treeSize} entries`);
  }
  return signCheckpoint({ origin, treeSize, rootHash: await rootAt(store, sha256, treeSize) }, signer);
}

/**
 * Signs and stores a checkpoint of the ledger as it is now, unless the latest stored one already covers every
 * entry (signLedgerCheckpoint); returns the checkpoint signed, or undefined.
 * @example await publishCheckpoint({ store, sha256, signer, origin: 'swx.vn-nsw/ledger' })
 */
export async function publishCheckpoint(deps: CheckpointSigning): Promise<SignedCheckpoint | undefined> {
  const checkpoint = await signLedgerCheckpoint(deps, await deps.store.latestCheckpoint());
  if (checkpoint) await deps.store.saveCheckpoint(checkpoint);
  return checkpoint;
}

async function proofFromRanges(store: LedgerStore, sha256: Sha256, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
  const perRange = ranges.map((range) => perfectSubtrees(range.start, range.end));
  const hashes = await store.subtreeHashes(perRange.flat());
  let at = 0;
  return perRange.map((nodes) => {
    const slice = hashes.slice(at, at + nodes.length);
    at += nodes.length;
    return rootFromSubtrees(sha256, slice);
  });
}

async function checkTreeSize(store: LedgerStore, treeSize: number): Promise<void> {
  const size = await store.size();
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > size) {
    throw new CoreError('LEDGER_RANGE_INVALID', `tree size ${treeSize} is not between 0 and the ledger's ${size} entries`);
  }
}
