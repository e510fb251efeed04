-- Each partner gateway's delivery circuit as the delivering process (the outbox worker) last recorded it, so
-- that other processes (`swx partners list`) can show it. Written at each change of state or failure count;
-- the worker replaces every row when it starts (all circuits closed) and removes them when it stops.
CREATE TABLE partner_circuits (
  partner_id            TEXT PRIMARY KEY,
  state                 TEXT NOT NULL CHECK (state IN ('CLOSED', 'OPEN', 'HALF_OPEN')),
  consecutive_failures  INTEGER NOT NULL,
  opened_at             TEXT,
  probe_at              TEXT,
  last_failure_at       TEXT,
  last_error            TEXT,
  recorded_at           TEXT NOT NULL
);
