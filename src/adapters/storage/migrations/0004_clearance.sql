-- Officers' clearance search and the MIS report (GET /v1/clearances, GET /v1/reports/exchange).

-- Newest-first paging over all declarations, and the partner filter.
CREATE INDEX declarations_created ON declarations (created_at, id);
CREATE INDEX declarations_partner ON declarations (partner_id, created_at);

-- Releases (STATUS_CHANGED) and decisions in a period.
CREATE INDEX declaration_timeline_type ON declaration_timeline (type, at);

-- Messages sent and received in a period.
CREATE INDEX messages_created ON messages (created_at);
