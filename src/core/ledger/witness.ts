import { CoreError } from '../errors.js';
import type { NoteVerifier, Sha256 } from '../ports.js';
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
    throw new CoreError('LEDGER_INCONSISTENT', `the checkpoint at ${next.treeSize} entries does not extend the one at ${previous.treeSize}: history was rewritten`);
  }
  return next;
}
