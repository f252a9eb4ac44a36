-- The report facts of each handoff, kept on `handoffs` itself so that the reports read one
-- table (issue 18 item 3): before, every report joined `report_entries` for the MQL entry's
-- campaign and source and looked up the lead's next `mql` entry for each handoff.
--
-- - `campaign`, `source`: those of the handoff's MQL entry (`report_entries` of
--   `event_id`), as that table has them ('' for none); NULL when there is no such entry
--   (the event was deleted by hand).
-- - `sql_at`, `opportunity_at`, `customer_at`: the MQL entry's (integer milliseconds since
--   1970), kept only when strictly before the lead's next entry into `mql` (the entry whose
--   `prev_at` is this entry's `at`), which opens the next handoff and earns what follows
--   (SPEC §7, "a handoff converts"). NULL otherwise. Whether a time is also at or before
--   `now` is the report's question, not the table's.
--
-- The values depend on the handoff's own entry and on the lead's `mql` entries after it,
-- so triggers on `report_entries` keep them exact whatever changes that table: events
-- recorded, moved, deleted or recomputed, a CRM's edit of campaign or source (which
-- `report_entries` follows), later stages, a re-entry into `mql`. A new handoff gets its
-- values when it is inserted. Every trigger names the events whose handoffs are stale by
-- inserting their ids into the view `handoff_facts_stale`, whose INSTEAD OF trigger holds
-- the one computation (the same as the backfill below), so it is written once. Only SQL
-- that SQLite 3.25 and later understands (row values, INSTEAD OF triggers), because other
-- processes' writes run these triggers too.

ALTER TABLE handoffs ADD COLUMN campaign TEXT;
ALTER TABLE handoffs ADD COLUMN source TEXT;
ALTER TABLE handoffs ADD COLUMN sql_at INTEGER;
ALTER TABLE handoffs ADD COLUMN opportunity_at INTEGER;
ALTER TABLE handoffs ADD COLUMN customer_at INTEGER;

-- The backfill of the handoffs already opened. One row per handoff: its entry (at most
-- one, by `event_id`) and the earliest `mql` entry after it, through
-- `report_entries_by_stage_prev`.
UPDATE handoffs SET (campaign, source, sql_at, opportunity_at, customer_at) = (
    SELECT r.campaign, r.source,
           CASE WHEN MIN(n.at) IS NULL OR r.sql_at < MIN(n.at) THEN r.sql_at END,
           CASE WHEN MIN(n.at) IS NULL OR r.opportunity_at < MIN(n.at) THEN r.opportunity_at END,
           CASE WHEN MIN(n.at) IS NULL OR r.customer_at < MIN(n.at) THEN r.customer_at END
    FROM report_entries r
    LEFT JOIN report_entries n
           ON n.stage = 'mql' AND n.prev_at IS NOT NULL AND n.prev_at = r.at
          AND n.lead_id = r.lead_id
    WHERE r.event_id = handoffs.event_id);

-- Inserting an event id here recomputes the facts of the handoff it opened, if any.
CREATE VIEW handoff_facts_stale AS SELECT NULL AS event_id WHERE 0;

CREATE TRIGGER handoff_facts_refresh
INSTEAD OF INSERT ON handoff_facts_stale
BEGIN
    UPDATE handoffs SET (campaign, source, sql_at, opportunity_at, customer_at) = (
        SELECT r.campaign, r.source,
               CASE WHEN MIN(n.at) IS NULL OR r.sql_at < MIN(n.at) THEN r.sql_at END,
               CASE WHEN MIN(n.at) IS NULL OR r.opportunity_at < MIN(n.at) THEN r.opportunity_at END,
               CASE WHEN MIN(n.at) IS NULL OR r.customer_at < MIN(n.at) THEN r.customer_at END
        FROM report_entries r
        LEFT JOIN report_entries n
               ON n.stage = 'mql' AND n.prev_at IS NOT NULL AND n.prev_at = r.at
              AND n.lead_id = r.lead_id
        WHERE r.event_id = handoffs.event_id)
    WHERE event_id = NEW.event_id;
END;

-- A new handoff (or one pointed at another event).
CREATE TRIGGER handoff_facts_after_handoff_insert
AFTER INSERT ON handoffs
BEGIN
    INSERT INTO handoff_facts_stale (event_id) VALUES (NEW.event_id);
END;

CREATE TRIGGER handoff_facts_after_handoff_event
AFTER UPDATE OF event_id ON handoffs
BEGIN
    INSERT INTO handoff_facts_stale (event_id) VALUES (NEW.event_id);
END;

-- An entry's own values: the handoff it opened. A new or removed `mql` entry that has a
-- previous one is that entry's next: the handoffs of the lead's events (a handful, through
-- `lead_events_by_lead`).
CREATE TRIGGER handoff_facts_after_entry_insert
AFTER INSERT ON report_entries
BEGIN
    INSERT INTO handoff_facts_stale (event_id) VALUES (NEW.event_id);
    INSERT INTO handoff_facts_stale (event_id)
    SELECT id FROM lead_events
    WHERE NEW.stage = 'mql' AND NEW.prev_at IS NOT NULL AND lead_id = NEW.lead_id
      AND id <> NEW.event_id;
END;

CREATE TRIGGER handoff_facts_after_entry_delete
AFTER DELETE ON report_entries
BEGIN
    INSERT INTO handoff_facts_stale (event_id) VALUES (OLD.event_id);
    INSERT INTO handoff_facts_stale (event_id)
    SELECT id FROM lead_events
    WHERE OLD.stage = 'mql' AND OLD.prev_at IS NOT NULL AND lead_id = OLD.lead_id
      AND id <> OLD.event_id;
END;

-- An update matters only when a value the facts read changes: the common ones (a later
-- stage, a CRM's edit) touch one entry and its handoff.
CREATE TRIGGER handoff_facts_after_entry_update
AFTER UPDATE ON report_entries
WHEN OLD.event_id IS NOT NEW.event_id OR OLD.lead_id IS NOT NEW.lead_id
  OR OLD.at IS NOT NEW.at OR OLD.campaign IS NOT NEW.campaign OR OLD.source IS NOT NEW.source
  OR OLD.sql_at IS NOT NEW.sql_at OR OLD.opportunity_at IS NOT NEW.opportunity_at
  OR OLD.customer_at IS NOT NEW.customer_at
BEGIN
    INSERT INTO handoff_facts_stale (event_id) VALUES (OLD.event_id);
    INSERT INTO handoff_facts_stale (event_id)
    SELECT NEW.event_id WHERE NEW.event_id IS NOT OLD.event_id;
END;

-- An `mql` entry that has (or had) a previous entry changes which entry it follows, or
-- when: the handoffs of the lead's events, before and after.
CREATE TRIGGER handoff_facts_after_next_entry_update
AFTER UPDATE ON report_entries
WHEN ((OLD.stage = 'mql' AND OLD.prev_at IS NOT NULL)
      OR (NEW.stage = 'mql' AND NEW.prev_at IS NOT NULL))
 AND (OLD.stage IS NOT NEW.stage OR OLD.prev_at IS NOT NEW.prev_at OR OLD.at IS NOT NEW.at
      OR OLD.lead_id IS NOT NEW.lead_id)
BEGIN
    INSERT INTO handoff_facts_stale (event_id)
    SELECT id FROM lead_events WHERE lead_id IN (OLD.lead_id, NEW.lead_id);
END;
