-- Certificates exchanged with partner gateways (e-Form D, ePhyto, e-AH), what import declarations require of
-- them, and the guards that keep a certificate and a declaration arriving at once from missing each other.

CREATE TABLE certificates (
  id                 TEXT PRIMARY KEY,
  document_type      TEXT NOT NULL CHECK (document_type IN ('FORM_D', 'EPHYTO', 'EAH')),
  direction          TEXT NOT NULL CHECK (direction IN ('IN', 'OUT')),
  reference_number   TEXT NOT NULL,
  issuing_country    TEXT NOT NULL,
  importing_country  TEXT NOT NULL,
  -- The partner gateway it came from (IN) or goes to (OUT), and the national agency competent for it.
  partner_id         TEXT NOT NULL,
  agency_id          TEXT NOT NULL,
  status             TEXT NOT NULL,
  document           TEXT NOT NULL,
  message_id         TEXT,
  replaces           TEXT REFERENCES certificates (id),
  issue_date         TEXT NOT NULL,
  valid_until        TEXT,
  -- JSON list of { itemNumber, quantity, declarationNumber, declarationId, at }: what each item has been used for.
  utilisation        TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (document_type, direction, issuing_country, reference_number)
);
CREATE INDEX certificates_reference ON certificates (document_type, reference_number);
CREATE INDEX certificates_agency ON certificates (agency_id, created_at);

-- What swx found about an import declaration's documents: each requirement's result and the preference decision.
CREATE TABLE import_assessments (
  declaration_id  TEXT PRIMARY KEY REFERENCES declarations (id),
  requirements    TEXT NOT NULL,
  preference      TEXT,
  updated_at      TEXT NOT NULL
);

-- The document types an import declaration still awaits: where a certificate's arrival looks for declarations.
CREATE TABLE declaration_awaits (
  declaration_id  TEXT NOT NULL REFERENCES declarations (id),
  document_type   TEXT NOT NULL,
  PRIMARY KEY (document_type, declaration_id)
);

-- Optimistic guards: a commit that read a key at one version fails if another commit moved it meanwhile.
CREATE TABLE document_guards (
  key      TEXT PRIMARY KEY,
  version  INTEGER NOT NULL
);
