-- Baton's first schema: the `leads` table other systems write, the `lead_events` log that
-- triggers fill whatever statement changed a stage, and Baton's own tables.
--
-- Timestamps are RFC 3339 text in UTC with milliseconds ("2026-11-22T13:49:50.123Z"), so
-- that text order is time order and other tools can read them.

CREATE TABLE leads (
    id               INTEGER PRIMARY KEY,
    external_id      TEXT UNIQUE,
    email            TEXT,
    name             TEXT,
    company          TEXT,
    title            TEXT,
    company_size     INTEGER,
    country          TEXT,
    source           TEXT,
    campaign         TEXT,
    score            INTEGER,
    stage            TEXT NOT NULL DEFAULT 'lead'
        CONSTRAINT "stage must be one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified"
        CHECK (stage IN ('visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'disqualified')),
    owner_email      TEXT,
    stage_changed_at TEXT
        CONSTRAINT "stage_changed_at must be an RFC 3339 time such as 2026-11-22T09:30:00Z"
        CHECK (stage_changed_at IS NULL OR strftime('%s', stage_changed_at) IS NOT NULL)
);

-- Every stage change, one row each. Read-only for other systems.
CREATE TABLE lead_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id    INTEGER NOT NULL,
    from_stage TEXT,
    to_stage   TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX lead_events_by_lead ON lead_events (lead_id, id);
CREATE INDEX lead_events_by_stage_at ON lead_events (to_stage, at);

-- A clearer refusal than the CHECK's for an unknown stage, raised before the row is written.
CREATE TRIGGER leads_refuse_unknown_stage_insert
BEFORE INSERT ON leads
WHEN NEW.stage NOT IN ('visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'disqualified')
BEGIN
    SELECT RAISE(ABORT, 'unknown stage: use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified');
END;

CREATE TRIGGER leads_refuse_unknown_stage_update
BEFORE UPDATE OF stage ON leads
WHEN NEW.stage NOT IN ('visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'disqualified')
BEGIN
    SELECT RAISE(ABORT, 'unknown stage: use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified');
END;

-- INSERT OR REPLACE deletes the old row and inserts a new one, which would lose the stage
-- the lead had and give it a new id. Before each insert we note the row it may replace; the
-- insert trigger below then restores the id and records the true previous stage.
CREATE TABLE lead_replace_memo (
    slot      INTEGER PRIMARY KEY CHECK (slot = 1),
    old_id    INTEGER NOT NULL,
    old_stage TEXT NOT NULL
);

CREATE TRIGGER leads_note_replaced_row
BEFORE INSERT ON leads
BEGIN
    DELETE FROM lead_replace_memo;
    INSERT INTO lead_replace_memo (slot, old_id, old_stage)
        SELECT 1, id, stage FROM leads
        WHERE (NEW.external_id IS NOT NULL AND external_id = NEW.external_id)
           OR (NEW.id IS NOT NULL AND id = NEW.id)
        ORDER BY id LIMIT 1;
END;

CREATE TRIGGER leads_record_insert
AFTER INSERT ON leads
BEGIN
    UPDATE leads SET id = (SELECT old_id FROM lead_replace_memo)
        WHERE id = NEW.id
          AND EXISTS (SELECT 1 FROM lead_replace_memo WHERE old_id <> NEW.id);
    INSERT INTO lead_events (lead_id, from_stage, to_stage, at)
        SELECT COALESCE((SELECT old_id FROM lead_replace_memo), NEW.id),
               (SELECT old_stage FROM lead_replace_memo),
               NEW.stage,
               strftime('%Y-%m-%dT%H:%M:%fZ', COALESCE(NEW.stage_changed_at, 'now'))
        WHERE NEW.stage IS NOT (SELECT old_stage FROM lead_replace_memo);
    DELETE FROM lead_replace_memo;
END;

CREATE TRIGGER leads_record_stage_change
AFTER UPDATE OF stage ON leads
WHEN NEW.stage IS NOT OLD.stage
BEGIN
    INSERT INTO lead_events (lead_id, from_stage, to_stage, at)
        VALUES (NEW.id, OLD.stage, NEW.stage,
                strftime('%Y-%m-%dT%H:%M:%fZ',
                         CASE WHEN NEW.stage_changed_at IS NOT NULL
                                   AND NEW.stage_changed_at IS NOT OLD.stage_changed_at
                              THEN NEW.stage_changed_at ELSE 'now' END));
END;

-- One handoff per entry into `mql`: the event that opened it is unique.
CREATE TABLE handoffs (
    id            INTEGER PRIMARY KEY,
    lead_id       INTEGER NOT NULL,
    event_id      INTEGER NOT NULL UNIQUE,
    assignee      TEXT,
    team          TEXT,
    why           TEXT NOT NULL,
    route_reason  TEXT NOT NULL,
    mql_at        TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    silent        INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    acked_at      TEXT,
    acked_by      TEXT,
    contacted_at  TEXT,
    decided_at    TEXT,
    decided_by    TEXT,
    reject_reason TEXT,
    rating        INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    note          TEXT
);
CREATE INDEX handoffs_by_lead ON handoffs (lead_id, id);
CREATE INDEX handoffs_open_by_assignee ON handoffs (assignee) WHERE status = 'open';
CREATE INDEX handoffs_by_opened_at ON handoffs (opened_at);

-- What happened to a handoff, for `/lead show`.
CREATE TABLE handoff_log (
    id         INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    at         TEXT NOT NULL,
    actor      TEXT,
    what       TEXT NOT NULL
);
CREATE INDEX handoff_log_by_handoff ON handoff_log (handoff_id, id);

-- The transactional outbox: every message Baton will send, written in the same
-- transaction as the change that causes it. Only the dispatcher reads it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    dedupe_key      TEXT UNIQUE,
    platform        TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    kind            TEXT NOT NULL
        CHECK (kind IN ('alert', 'reminder', 'escalation', 'update', 'reply', 'digest')),
    lead_id         INTEGER,
    handoff_id      INTEGER,
    message         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claim_marker    TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    external_ref    TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_queue_order ON outbox (platform, recipient, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_by_handoff ON outbox (handoff_id, kind);

-- Weighted round-robin state per team: each member's pass and the team's virtual time.
CREATE TABLE rotation_members (
    team  TEXT NOT NULL,
    email TEXT NOT NULL,
    pass  INTEGER NOT NULL,
    PRIMARY KEY (team, email)
) WITHOUT ROWID;

CREATE TABLE rotation_teams (
    team         TEXT PRIMARY KEY,
    virtual_time INTEGER NOT NULL
) WITHOUT ROWID;

-- Durable positions of Baton's loops (the watcher's last processed lead_events id).
CREATE TABLE cursors (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Ranges of lead_events loaded by `baton import --history`: their handoffs are recorded
-- without alerts. Written in the same transaction as the imported rows.
CREATE TABLE quiet_events (
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL
);
