-- The report facts kept on `handoffs` of migrations/sqlite/0015 (read its header for what
-- each column means): `campaign` and `source` of the handoff's MQL entry, and its
-- `sql_at`, `opportunity_at`, `customer_at` when strictly before the lead's next entry into
-- `mql`. The columns hold the same values as on SQLite; only how the triggers keep them
-- exact differs.
--
-- One PL/pgSQL function recomputes the facts of the handoffs opened by given events (the
-- backfill's query, restricted to them). Row triggers on `report_entries` call it for the
-- entry that changed and, for an `mql` entry with a previous one, for the entries of its
-- lead at that previous time (the handoff whose next entry it is); a new handoff calls it
-- for itself. `report_entries_recompute` (0003) rewrites a lead's entries, so a change of
-- events, a CRM's edit and a later stage all reach the handoffs through these triggers.

ALTER TABLE handoffs ADD COLUMN campaign text COLLATE "C";
ALTER TABLE handoffs ADD COLUMN source text COLLATE "C";
ALTER TABLE handoffs ADD COLUMN sql_at bigint;
ALTER TABLE handoffs ADD COLUMN opportunity_at bigint;
ALTER TABLE handoffs ADD COLUMN customer_at bigint;

-- The facts of the handoffs whose `event_id` is in `events` (NULL for a handoff whose
-- entry is gone), computed afresh.
CREATE FUNCTION handoff_facts_refresh(events bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE handoffs h SET (campaign, source, sql_at, opportunity_at, customer_at) = (
        SELECT r.campaign, r.source,
               CASE WHEN x.next IS NULL OR r.sql_at < x.next THEN r.sql_at END,
               CASE WHEN x.next IS NULL OR r.opportunity_at < x.next THEN r.opportunity_at END,
               CASE WHEN x.next IS NULL OR r.customer_at < x.next THEN r.customer_at END
        FROM (SELECT 1) one
        LEFT JOIN report_entries r ON r.event_id = h.event_id
        LEFT JOIN LATERAL (
            SELECT min(n.at) AS next FROM report_entries n
            WHERE n.stage = 'mql' AND n.prev_at IS NOT NULL AND n.prev_at = r.at
              AND n.lead_id = r.lead_id
        ) x ON true)
    WHERE h.event_id = ANY (events);
END;
$$;

-- The backfill of the handoffs already opened.
SELECT handoff_facts_refresh(array_agg(event_id)) FROM handoffs;

-- The events whose handoffs an entry's change can touch: its own, and for an `mql` entry
-- with a previous one, the lead's entries at that previous time.
CREATE FUNCTION handoff_facts_events_of(e report_entries) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT ARRAY[e.event_id] || coalesce(
        (SELECT array_agg(p.event_id) FROM report_entries p
         WHERE e.stage = 'mql' AND e.prev_at IS NOT NULL
           AND p.lead_id = e.lead_id AND p.at = e.prev_at),
        '{}')
$$;

CREATE FUNCTION handoff_facts_after_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM handoff_facts_refresh(handoff_facts_events_of(NEW));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM handoff_facts_refresh(handoff_facts_events_of(OLD));
    ELSE
        PERFORM handoff_facts_refresh(handoff_facts_events_of(OLD) || handoff_facts_events_of(NEW));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER handoff_facts_after_entry
AFTER INSERT OR DELETE OR UPDATE OF event_id, lead_id, stage, at, prev_at, sql_at,
    opportunity_at, customer_at, campaign, source ON report_entries
FOR EACH ROW EXECUTE FUNCTION handoff_facts_after_entry();

-- A new handoff (or one pointed at another event).
CREATE FUNCTION handoff_facts_after_handoff() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM handoff_facts_refresh(ARRAY[NEW.event_id]);
    RETURN NULL;
END;
$$;

CREATE TRIGGER handoff_facts_after_handoff
AFTER INSERT OR UPDATE OF event_id ON handoffs
FOR EACH ROW EXECUTE FUNCTION handoff_facts_after_handoff();
