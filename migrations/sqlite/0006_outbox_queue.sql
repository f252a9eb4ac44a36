-- The dispatcher reads the oldest pending rows of one platform and the earliest time one
-- falls due; both through indexes that hold pending rows only, so the cost of a pass does
-- not grow with the number of messages already sent.
CREATE INDEX outbox_pending_by_platform ON outbox (platform, id) WHERE status = 'pending';
CREATE INDEX outbox_pending_due ON outbox (platform, next_attempt_at) WHERE status = 'pending';
