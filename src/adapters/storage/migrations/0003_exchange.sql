-- Declarations, the messages exchanged with partners, and the outbox that delivers them.
-- One SQL dialect for better-sqlite3, D1 and Durable Object storage.

CREATE TABLE declarations (
  id                  TEXT PRIMARY KEY,
  declaration_number  TEXT NOT NULL UNIQUE,
  kind                TEXT NOT NULL CHECK (kind IN ('EXPORT', 'IMPORT')),
  party_id            TEXT NOT NULL,
  status              TEXT NOT NULL,
  channel             TEXT NOT NULL CHECK (channel IN ('GREEN', 'YELLOW', 'RED')),
  channel_reasons     TEXT NOT NULL,
  partner_id          TEXT,
  document            TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
);
CREATE INDEX declarations_party ON declarations (party_id, created_at);
CREATE INDEX declarations_status ON declarations (status, created_at);

CREATE TABLE declaration_sequence (
  year   INTEGER PRIMARY KEY,
  value  INTEGER NOT NULL
);

-- Each step of a declaration's history, pointing at its ledger entry.
CREATE TABLE declaration_timeline (
  declaration_id  TEXT NOT NULL REFERENCES declarations (id),
  ledger_index    INTEGER NOT NULL,
  type            TEXT NOT NULL,
  at              TEXT NOT NULL,
  message_id      TEXT,
  detail          TEXT NOT NULL,
  PRIMARY KEY (declaration_id, ledger_index)
);

CREATE TABLE idempotency_keys (
  party_id      TEXT NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (party_id, key)
);

-- Every signed envelope sent or received, byte for byte, with the receipt that answered it.
CREATE TABLE messages (
  message_id       TEXT PRIMARY KEY,
  direction        TEXT NOT NULL CHECK (direction IN ('OUT', 'IN')),
  partner_id       TEXT NOT NULL,
  document_type    TEXT NOT NULL,
  conversation_id  TEXT NOT NULL,
  ref_to           TEXT,
  declaration_id   TEXT,
  envelope         TEXT NOT NULL,
  digest           TEXT NOT NULL,
  receipt          TEXT,
  ledger_index     INTEGER,
  created_at       TEXT NOT NULL
);
CREATE INDEX messages_declaration ON messages (declaration_id);
CREATE INDEX messages_ref_to ON messages (ref_to);

CREATE TABLE outbox (
  message_id       TEXT PRIMARY KEY REFERENCES messages (message_id),
  partner_id       TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'REJECTED', 'DEAD_LETTER')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  delivered_at     TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
