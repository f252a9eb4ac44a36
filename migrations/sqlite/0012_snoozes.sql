-- `/lead snooze LEAD DURATION`: the assignee put off a clock's next reminder. One snooze
-- per clock and holder (the fence of the handoff when it was snoozed): a second one is
-- refused, and a new assignee after a reassignment may snooze again.
CREATE TABLE sla_snoozes (
    id         INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    fence      INTEGER NOT NULL,
    clock      TEXT NOT NULL CHECK (clock IN ('ack', 'first_touch', 'disposition')),
    snoozed_by TEXT NOT NULL,
    snoozed_at TEXT NOT NULL,
    until      TEXT NOT NULL,
    UNIQUE (handoff_id, fence, clock)
);
