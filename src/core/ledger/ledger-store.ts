import type { SignedCheckpoint } from './checkpoint.js';
import type { LedgerEntry, LedgerEvent } from './entry.js';
import type { TreeNode } from './merkle.js';

/**
 * The exchange ledger's storage: an append-only log of entries, the hashes of the perfect subtrees of its
 * RFC 9162 Merkle tree (so proofs never rehash the log), and its signed checkpoints. Async so that D1 and
 * Durable Object storage can satisfy it; the SQLite adapter also appends synchronously inside other stores'
 * transactions.
 */
export interface LedgerStore {
  /** Appends events in order, atomically, and returns them as entries with their index and leaf hash. */
  append(events: readonly LedgerEvent[]): Promise<LedgerEntry[]>;
  /** The number of entries (the current tree size). */
  size(): Promise<number>;
  /** Entries with start <= index < end, in order. */
  entries(start: number, end: number): Promise<LedgerEntry[]>;
  /** Stored hashes of perfect subtrees (level 0: leaf hashes), in the order asked; LEDGER_INCONSISTENT if one is missing. */
  subtreeHashes(nodes: readonly TreeNode[]): Promise<Uint8Array[]>;
  /** Keeps a signed checkpoint; signing the same tree size again is a no-op. */
  saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void>;
  /** The checkpoint with the largest tree size, if any was signed. */
  latestCheckpoint(): Promise<SignedCheckpoint | undefined>;
  /** The first checkpoint whose tree includes entry `index`, if one was signed yet. */
  checkpointCovering(index: number): Promise<SignedCheckpoint | undefined>;
}

/** Signed ledger checkpoints for receipts, which carry the checkpoint that includes their entry. */
export interface CheckpointIssuer {
  /**
   * A signed checkpoint whose tree includes entry `index`: the latest one when it does, else one signed at once for
   * the ledger's current size (at most one per tree size). Undefined when the log refuses to sign because its
   * stored tree no longer matches a checkpoint it signed (LEDGER_INCONSISTENT, reported by the issuer).
   */
  covering(index: number): Promise<SignedCheckpoint | undefined>;
  /** The newest checkpoint signed, stored yet or not (GET /v1/ledger/checkpoint). */
  latest(): Promise<SignedCheckpoint | undefined>;
}
