-- The id of the HTTP request that queued each outbound message (its X-Request-Id), sent again as X-Request-Id with
-- every delivery attempt so that a partner's logs and ours name the same request. NULL for a message queued without
-- a request (a timer, an inbound envelope's consequence) and for messages queued before this migration: their
-- deliveries carry the message id instead.
ALTER TABLE outbox ADD COLUMN request_id TEXT;
