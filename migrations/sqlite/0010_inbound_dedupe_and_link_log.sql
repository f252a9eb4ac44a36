-- Deliveries from chat platforms already handled, so a replayed or retried one is not
-- applied twice, even after a restart: Discord interactions by their id, Slack deliveries
-- by trigger, event or envelope id. Rows older than a day are pruned as new ones arrive
-- (Discord's signature window is five minutes, Slack retries within an hour).
CREATE TABLE inbound_deliveries (
    platform    TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (platform, delivery_id)
) WITHOUT ROWID;

CREATE INDEX inbound_deliveries_received ON inbound_deliveries (received_at);

-- The audit trail of Discord links: every request and every confirmation, with who did
-- it and when. `/baton links` shows it to managers and admins.
CREATE TABLE discord_link_log (
    id              INTEGER PRIMARY KEY,
    discord_user_id TEXT NOT NULL,
    email           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('requested', 'confirmed')),
    by_email        TEXT,
    at              TEXT NOT NULL
);
