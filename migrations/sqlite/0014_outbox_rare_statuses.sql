-- Partial indexes for the outbox's rare statuses, so reading them costs the same at any
-- history (the table keeps every sent row): crash recovery reads `sending` per platform,
-- `/metrics` counts `dead`, `baton outbox` lists and retries what is not sent. Each
-- index holds only the few rows in that status.
CREATE INDEX outbox_sending ON outbox (platform, id) WHERE status = 'sending';
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
CREATE INDEX outbox_unsent ON outbox (id) WHERE status <> 'sent';
