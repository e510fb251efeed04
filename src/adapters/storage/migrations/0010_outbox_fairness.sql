-- Fair delivery (one window per partner) and a retry budget in time as well as attempts.
-- The worker reads each partner's due messages on their own, so one partner's backlog behind an open circuit
-- never fills the window of another: the due index is per partner, and holds only PENDING rows.
DROP INDEX outbox_due;
CREATE INDEX outbox_pending_due ON outbox (partner_id, next_attempt_at) WHERE state = 'PENDING';

-- When a message's retry budget started (epoch ms): when it was queued, or last re-driven. Messages queued
-- before this migration start from their creation time.
ALTER TABLE outbox ADD COLUMN budget_started_at INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET budget_started_at = CAST(strftime('%s', created_at) AS INTEGER) * 1000;
CREATE INDEX outbox_pending_budget ON outbox (partner_id, budget_started_at) WHERE state = 'PENDING';
