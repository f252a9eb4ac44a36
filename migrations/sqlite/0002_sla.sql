-- SLA clocks. Each handoff may carry a policy and three deadlines, computed when it opens
-- (in the assignee's calendar, or wall time) and counted from the MQL time. The durations
-- of the three clocks are stored when each stops, in wall and business seconds, so that
-- reports need no calendar arithmetic.

ALTER TABLE handoffs ADD COLUMN sla_policy TEXT;
-- The calendar the clocks count in; NULL when the policy counts wall time.
ALTER TABLE handoffs ADD COLUMN sla_calendar TEXT;
ALTER TABLE handoffs ADD COLUMN ack_due_at TEXT;
ALTER TABLE handoffs ADD COLUMN first_touch_due_at TEXT;
ALTER TABLE handoffs ADD COLUMN disposition_due_at TEXT;
ALTER TABLE handoffs ADD COLUMN ack_s REAL;
ALTER TABLE handoffs ADD COLUMN ack_business_s REAL;
ALTER TABLE handoffs ADD COLUMN first_touch_s REAL;
ALTER TABLE handoffs ADD COLUMN first_touch_business_s REAL;
ALTER TABLE handoffs ADD COLUMN disposition_s REAL;
ALTER TABLE handoffs ADD COLUMN disposition_business_s REAL;
-- The fencing token: bumped whenever the handoff changes hands, so a timer armed for an
-- earlier assignee is dropped instead of firing.
ALTER TABLE handoffs ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
-- When the clocks started: the MQL time, or the open time if that lies ahead.
ALTER TABLE handoffs ADD COLUMN sla_start TEXT;
-- Who had the handoff before a reassignment (comma-separated emails), to skip them.
ALTER TABLE handoffs ADD COLUMN previous_assignees TEXT;

CREATE INDEX handoffs_by_mql_at ON handoffs (mql_at);

-- Reminders and breaches still to fire. The clock loop reads only the earliest pending one.
CREATE TABLE sla_timers (
    id         INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    clock      TEXT NOT NULL CHECK (clock IN ('ack', 'first_touch', 'disposition')),
    kind       TEXT NOT NULL CHECK (kind IN ('remind', 'breach')),
    fraction   REAL NOT NULL,
    due_at     TEXT NOT NULL,
    fence      INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'dropped'))
);
CREATE INDEX sla_timers_due ON sla_timers (due_at, id) WHERE status = 'pending';
CREATE INDEX sla_timers_by_handoff ON sla_timers (handoff_id);

-- Every breach, with its true time (the deadline), even when Baton was down then.
CREATE TABLE sla_breaches (
    id          INTEGER PRIMARY KEY,
    handoff_id  INTEGER NOT NULL REFERENCES handoffs (id),
    clock       TEXT NOT NULL CHECK (clock IN ('ack', 'first_touch', 'disposition')),
    assignee    TEXT,
    due_at      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (handoff_id, clock)
);
CREATE INDEX sla_breaches_by_due ON sla_breaches (due_at);
