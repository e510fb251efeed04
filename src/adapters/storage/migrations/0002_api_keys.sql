-- API keys: the bearer token itself is never stored, only its SHA-256 (design.md 3.2).
CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  role        TEXT NOT NULL CHECK (role IN ('trader', 'agency', 'officer', 'admin')),
  name        TEXT NOT NULL,
  party_id    TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
