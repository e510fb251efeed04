-- The exchange ledger (design.md 3.5): append-only entries, the hashes of the perfect subtrees of their
-- RFC 9162 Merkle tree, and signed checkpoints. One SQL dialect for better-sqlite3, D1 and Durable Object storage.

-- entry_index is the rowid; bytes are the RFC 8785 canonical JSON of { index, type, subject, at, data }.
CREATE TABLE ledger_entries (
  entry_index  INTEGER PRIMARY KEY,
  bytes        BLOB NOT NULL
);

-- Every perfect subtree hash, keyed by the node's in-order position (leaf i at 2i; see core/ledger/merkle.ts).
-- Leaf hashes (even positions) live here rather than beside the bytes, so an edit to one table alone is caught
-- at the exact entry. The tree's frontier is the set of nodes of perfectSubtrees(0, size).
CREATE TABLE ledger_nodes (
  position  INTEGER PRIMARY KEY,
  hash      BLOB NOT NULL
);

-- C2SP tlog-checkpoint signed notes, one per published tree size.
CREATE TABLE ledger_checkpoints (
  tree_size     INTEGER PRIMARY KEY,
  root_hash     BLOB NOT NULL,
  note          TEXT NOT NULL,
  published_at  TEXT NOT NULL
);
