-- A partner gateway's operator may hold a key (role partner) to check documents with POST /v1/conformance.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same columns and rows.
CREATE TABLE api_keys_with_partner (
  id          TEXT PRIMARY KEY,
  role        TEXT NOT NULL CHECK (role IN ('trader', 'agency', 'officer', 'admin', 'partner')),
  name        TEXT NOT NULL,
  party_id    TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
INSERT INTO api_keys_with_partner (id, role, name, party_id, token_hash, created_at, revoked_at)
  SELECT id, role, name, party_id, token_hash, created_at, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_with_partner RENAME TO api_keys;
