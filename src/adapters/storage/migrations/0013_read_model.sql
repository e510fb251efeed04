-- The read model on Workers: the EXCHANGE Durable Object (the system of record) projects committed rows into D1, which
-- answers officers' searches, the MIS report and API key lookups, and never decides anything. Both sides run these
-- migrations; Node runs them too and never writes these two tables.

-- In the object: the rows a commit or key change touched, queued until D1 holds them (kind: declaration, message,
-- api_key; key: its id). Written before the change, removed once its rows are in D1.
CREATE TABLE read_model_changes (
  seq   INTEGER PRIMARY KEY,
  kind  TEXT NOT NULL CHECK (kind IN ('declaration', 'message', 'api_key')),
  key   TEXT NOT NULL
);

-- Named counters. In the object: 'ledger_entries', the next ledger index to project; 'api_keys_generation', how many
-- key changes began. In D1: 'api_keys_requested', the generation of the last key change begun, and
-- 'api_keys_projected', the generation D1's api_keys are complete up to: D1 answers for a key only when
-- projected >= requested.
CREATE TABLE read_model_marks (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
