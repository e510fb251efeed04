import { CoreError } from '../errors.js';
import type { NoteVerifier, Sha256 } from '../primitives.js';
import { openCheckpoint, type Checkpoint, type SignedCheckpoint } from './checkpoint.js';
import { verifyConsistency } from './merkle.js';

/**
 * What a witness (a partner gateway, an auditor) does with each new checkpoint of swx's ledger:
 * 1. verify the note's signature under the checkpoint key it pinned, and its origin;
 * 2. refuse a tree smaller than the last one it saw (a rollback);
 * 3. verify the RFC 9162 consistency proof from the last checkpoint to the new one
 *    (GET /v1/ledger/proofs/consistency?first=<last size>&second=<new size>).
 * Returns the checkpoint to keep in place of `previous`. Throws SIGNATURE_INVALID or CHECKPOINT_INVALID for a
 * note that is not the log's, LEDGER_INCONSISTENT when the log rewrote or rolled back the history it showed before.
 * @example last = witnessCheckpoint({ sha256, verifier, origin, previous: last, note, proof })
 */
export function witnessCheckpoint(options: {
  readonly sha256: Sha256;
  readonly verifier: NoteVerifier;
  readonly origin: string;
  readonly previous: Checkpoint | undefined;
  readonly note: string;
  readonly proof: readonly Uint8Array[];
}): SignedCheckpoint {
  const next = openCheckpoint(options.note, options.verifier, options.origin);
  const { previous } = options;
  if (!previous) return next;
  if (next.treeSize < previous.treeSize) {
    throw new CoreError('LEDGER_INCONSISTENT', `the ledger shrank from ${previous.treeSize} to ${next.treeSize} entries`);
  }
  if (!verifyConsistency(options.sha256, previous.treeSize, next.treeSize, previous.rootHash, next.rootHash, options.proof)) {
    throw new CoreError(
      'LEDGER_INCONSISTENT',
      `the checkpoint at ${next.treeSize} entries does not extend the one at ${previous.treeSize}: history was rewritten`,
    );
  }
  return next;
}

/**
 * The consistency proof a witness must fetch to compare a checkpoint `seen` in a receipt with the one it `kept`,
 * smaller tree first (GET /v1/ledger/proofs/consistency?first&second); undefined when none is needed (nothing kept
 * yet, or the same tree size, where the roots must simply be equal).
 * @example const range = consistencyToCheck(kept, seen) // { first: 40, second: 52 }
 */
export function consistencyToCheck(kept: Checkpoint | undefined, seen: Checkpoint): { first: number; second: number } | undefined {
  if (!kept || kept.treeSize === seen.treeSize || Math.min(kept.treeSize, seen.treeSize) === 0) return undefined;
  return { first: Math.min(kept.treeSize, seen.treeSize), second: Math.max(kept.treeSize, seen.treeSize) };
}

/**
 * What a partner gateway does with the checkpoint each receipt of swx carries (already opened with the key it
 * pinned): receipts of messages sent at once arrive in any order, so `seen` may be older than the checkpoint `kept`;
 * either way one must extend the other, by the proof consistencyToCheck asked for (RFC 9162 §2.1.4.2). Returns the
 * newer of the two, to keep. Throws LEDGER_INCONSISTENT when they describe different histories.
 * @example kept = witnessReceiptCheckpoint({ sha256, kept, seen, proof })
 */
export function witnessReceiptCheckpoint<T extends Checkpoint>(options: {
  readonly sha256: Sha256;
  readonly kept: T | undefined;
  readonly seen: T;
  readonly proof: readonly Uint8Array[];
}): T {
  const { sha256, kept, seen, proof } = options;
  if (!kept || kept.treeSize === 0) return seen;
  if (seen.treeSize === 0) return kept;
  const [older, newer] = seen.treeSize < kept.treeSize ? [seen, kept] : [kept, seen];
  if (!verifyConsistency(sha256, older.treeSize, newer.treeSize, older.rootHash, newer.rootHash, proof)) {
    throw new CoreError(
      'LEDGER_INCONSISTENT',
      `the checkpoint at ${newer.treeSize} entries does not extend the one at ${older.treeSize}: history was rewritten`,
    );
  }
  return newer;
}
