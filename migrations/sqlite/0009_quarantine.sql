-- Stage changes that the watcher could not process after several tries (issue 15): parked
-- here so that every later event goes on. `baton events quarantined` lists them and
-- `baton events retry` sets `retry_requested_at`, which the running watcher picks up: on
-- success the row is deleted, on failure it stays with the new error.
CREATE TABLE quarantined_events (
    event_id           INTEGER PRIMARY KEY,
    lead_id            INTEGER NOT NULL,
    error              TEXT NOT NULL,
    attempts           INTEGER NOT NULL,
    parked_at          TEXT NOT NULL,
    last_failed_at     TEXT NOT NULL,
    retry_requested_at TEXT
);
CREATE INDEX quarantined_events_retry ON quarantined_events (event_id)
    WHERE retry_requested_at IS NOT NULL;
