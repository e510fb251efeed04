-- Mandates: a declaring agent (customs broker) may file declarations in the name of its principal (design.md 3.2).
-- Each grant and revocation is also a ledger entry (MANDATE_GRANTED, MANDATE_REVOKED); this table is what is checked.
CREATE TABLE mandates (
  id                   TEXT PRIMARY KEY,
  agent_party_id       TEXT NOT NULL,
  principal_party_id   TEXT NOT NULL,
  valid_from           TEXT NOT NULL,
  valid_to             TEXT,
  document_types       TEXT,
  granted_at           TEXT NOT NULL,
  granted_by           TEXT NOT NULL,
  ledger_index         INTEGER NOT NULL,
  revoked_at           TEXT,
  revoked_by           TEXT,
  revoked_ledger_index INTEGER
);
CREATE INDEX mandates_by_parties ON mandates (agent_party_id, principal_party_id);
