-- A fair window after reassignment (`[[sla]] on_reassign`, `max_reassign`, `/lead handback`).
--
-- With `on_reassign = "fresh"` the new holder of a handoff gets the policy's ack and
-- first-touch windows again from the moment of the reassignment. The handoff's own
-- deadlines (`handoffs.*_due_at`) keep measuring from the MQL time for the team-level
-- figures; the holder's own window is kept on its `handoff_holders` row.
ALTER TABLE handoff_holders ADD COLUMN window_start TEXT;
ALTER TABLE handoff_holders ADD COLUMN ack_due_at TEXT;
ALTER TABLE handoff_holders ADD COLUMN first_touch_due_at TEXT;
-- How long each of those clocks ran in the holder's window (wall and business seconds),
-- stored when it stopped while they held the handoff, for their figures.
ALTER TABLE handoff_holders ADD COLUMN ack_s REAL;
ALTER TABLE handoff_holders ADD COLUMN ack_business_s REAL;
ALTER TABLE handoff_holders ADD COLUMN first_touch_s REAL;
ALTER TABLE handoff_holders ADD COLUMN first_touch_business_s REAL;

-- How many times the SLA loop reassigned the handoff after a breach (the cascade that
-- `max_reassign` caps). Manual reassignments and hand-backs do not count.
ALTER TABLE handoffs ADD COLUMN breach_reassigns INTEGER NOT NULL DEFAULT 0;

-- `/lead handback`: each person may hand a handoff back once.
CREATE TABLE handoff_handbacks (
    id         INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    assignee   TEXT NOT NULL,
    at         TEXT NOT NULL,
    reason     TEXT,
    UNIQUE (handoff_id, assignee)
);

-- A clock may now breach once per window: once for the handoff's own window (from the MQL,
-- `holder_id` 0) and once for each fresh window of a later holder (`holder_id` is that
-- `handoff_holders` row). SQLite cannot change a UNIQUE constraint in place, so the table
-- is rebuilt with its rows.
CREATE TABLE sla_breaches_new (
    id          INTEGER PRIMARY KEY,
    handoff_id  INTEGER NOT NULL REFERENCES handoffs (id),
    clock       TEXT NOT NULL CHECK (clock IN ('ack', 'first_touch', 'disposition')),
    assignee    TEXT,
    due_at      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    holder_id   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (handoff_id, clock, holder_id)
);
INSERT INTO sla_breaches_new (id, handoff_id, clock, assignee, due_at, recorded_at)
SELECT id, handoff_id, clock, assignee, due_at, recorded_at FROM sla_breaches;
DROP TABLE sla_breaches;
ALTER TABLE sla_breaches_new RENAME TO sla_breaches;
CREATE INDEX sla_breaches_by_due ON sla_breaches (due_at);
