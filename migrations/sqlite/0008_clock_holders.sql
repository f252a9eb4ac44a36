-- Whose clock it is (SPEC §7): who held a handoff from when, so that a clock met or run
-- out is credited to the person who held the handoff at that moment, and a breach learned
-- late is recorded for the rep who held the handoff at its deadline.
--
-- A handoff that was never reassigned has no rows here: its assignee held it all along.
-- The first reassignment writes the first holder (from the MQL time) and the new one;
-- each later one writes the new holder. The holder at an instant t is the row with the
-- latest `since` at or before t.

CREATE TABLE handoff_holders (
    id         INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    since      TEXT NOT NULL,
    assignee   TEXT,
    team       TEXT
);
CREATE INDEX handoff_holders_by_handoff ON handoff_holders (handoff_id, since, id);

-- The holders of handoffs reassigned before this migration, from their log: the first
-- one (the first of `previous_assignees`) from the MQL time, then each "reassigned to X:
-- ..." line. The log does not keep teams, so every row gets the handoff's team.
INSERT INTO handoff_holders (handoff_id, since, assignee, team)
SELECT id, mql_at,
       substr(previous_assignees, 1, instr(previous_assignees || ',', ',') - 1), team
FROM handoffs WHERE previous_assignees IS NOT NULL
ORDER BY id;

INSERT INTO handoff_holders (handoff_id, since, assignee, team)
SELECT g.handoff_id, g.at, substr(g.what, 15, instr(g.what, ':') - 15), h.team
FROM handoff_log g JOIN handoffs h ON h.id = g.handoff_id
WHERE h.previous_assignees IS NOT NULL AND g.what LIKE 'reassigned to %:%'
ORDER BY g.id;

-- Breaches by deadline, for the digest's list of the week's breaches.
CREATE INDEX handoffs_by_ack_due ON handoffs (ack_due_at) WHERE ack_due_at IS NOT NULL;
CREATE INDEX handoffs_by_first_touch_due ON handoffs (first_touch_due_at)
    WHERE first_touch_due_at IS NOT NULL;
CREATE INDEX handoffs_by_disposition_due ON handoffs (disposition_due_at)
    WHERE disposition_due_at IS NOT NULL;

-- Every clock that already ran out gets its breach, at its deadline, for the holder then:
-- before this migration only a timer firing on a running clock recorded one, so imported
-- handoffs, MQLs older than max_alert_age and decisions learned together with the MQL
-- have none.
INSERT INTO sla_breaches (handoff_id, clock, assignee, due_at, recorded_at)
SELECT c.id, c.clock,
       CASE WHEN c.previous_assignees IS NULL THEN c.assignee
            ELSE COALESCE((SELECT x.assignee FROM handoff_holders x
                           WHERE x.handoff_id = c.id AND x.since <= c.due
                           ORDER BY x.since DESC, x.id DESC LIMIT 1), c.assignee) END,
       c.due, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM (
    SELECT id, assignee, previous_assignees, 'ack' AS clock, ack_due_at AS due, acked_at AS stop
    FROM handoffs WHERE ack_due_at IS NOT NULL
    UNION ALL
    SELECT id, assignee, previous_assignees, 'first_touch', first_touch_due_at, contacted_at
    FROM handoffs WHERE first_touch_due_at IS NOT NULL
    UNION ALL
    SELECT id, assignee, previous_assignees, 'disposition', disposition_due_at, decided_at
    FROM handoffs WHERE disposition_due_at IS NOT NULL
) c
WHERE (c.stop IS NOT NULL AND c.stop > c.due)
   OR (c.stop IS NULL AND c.due < strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
ON CONFLICT (handoff_id, clock) DO NOTHING;
