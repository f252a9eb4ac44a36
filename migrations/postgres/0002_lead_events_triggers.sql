-- The triggers of migrations/sqlite/0001 in PL/pgSQL: whatever statement another system
-- uses on `leads` (INSERT, UPDATE, INSERT ... ON CONFLICT DO UPDATE), every stage change
-- becomes a row of `lead_events`, an unknown stage is refused with the same message as on
-- SQLite, and every commit that records an event wakes Baton through NOTIFY.

-- A writer's RFC 3339 time (any offset, or none for UTC, as SQLite reads it) in Baton's
-- stored form, "2026-11-22T13:49:50.123Z"; NULL when the text is not such a time. Only ISO
-- forms are accepted, so the result does not depend on the session's DateStyle, and an
-- explicit offset (UTC when none is given) makes it independent of its TimeZone.
CREATE FUNCTION baton_utc_text(t text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    spelled text := btrim(t);
BEGIN
    IF spelled !~ '^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)?$' THEN
        RETURN NULL;
    END IF;
    IF spelled !~ '([zZ]|[+-]\d{2}(:?\d{2})?)$' OR spelled ~ '^\d{4}-\d{2}-\d{2}$' THEN
        spelled := spelled || '+00';
    END IF;
    RETURN to_char(spelled::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format OR invalid_text_representation THEN
    RETURN NULL;
END;
$$;

-- The stored form of this statement's time, for changes that give no `stage_changed_at`
-- (SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now') is the statement's time too).
CREATE FUNCTION baton_now_text() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

ALTER TABLE leads ADD
    CONSTRAINT "stage_changed_at must be RFC 3339, like 2026-11-22T09:30:00Z"
    CHECK (stage_changed_at IS NULL OR baton_utc_text(stage_changed_at) IS NOT NULL);

-- A clearer refusal than the CHECK's for an unknown stage, raised before the row is written.
CREATE FUNCTION leads_refuse_unknown_stage() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.stage NOT IN ('visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'disqualified') THEN
        RAISE EXCEPTION 'unknown stage: use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified'
            USING ERRCODE = 'check_violation', HINT = format('the stage given was %L', NEW.stage);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER leads_refuse_unknown_stage_insert
BEFORE INSERT ON leads
FOR EACH ROW EXECUTE FUNCTION leads_refuse_unknown_stage();

CREATE TRIGGER leads_refuse_unknown_stage_update
BEFORE UPDATE OF stage ON leads
FOR EACH ROW EXECUTE FUNCTION leads_refuse_unknown_stage();

-- A new lead enters its stage: at its `stage_changed_at` when given, else now.
CREATE FUNCTION leads_record_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_events (lead_id, from_stage, to_stage, at)
    VALUES (NEW.id, NULL, NEW.stage,
            COALESCE(baton_utc_text(NEW.stage_changed_at), baton_now_text()));
    RETURN NULL;
END;
$$;

CREATE TRIGGER leads_record_insert
AFTER INSERT ON leads
FOR EACH ROW EXECUTE FUNCTION leads_record_insert();

-- A changed stage: at the new `stage_changed_at` when the writer changed it too, else now.
CREATE FUNCTION leads_record_stage_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_events (lead_id, from_stage, to_stage, at)
    VALUES (NEW.id, OLD.stage, NEW.stage,
            CASE WHEN NEW.stage_changed_at IS NOT NULL
                      AND NEW.stage_changed_at IS DISTINCT FROM OLD.stage_changed_at
                 THEN baton_utc_text(NEW.stage_changed_at)
                 ELSE baton_now_text() END);
    RETURN NULL;
END;
$$;

CREATE TRIGGER leads_record_stage_change
AFTER UPDATE OF stage ON leads
FOR EACH ROW WHEN (NEW.stage IS DISTINCT FROM OLD.stage)
EXECUTE FUNCTION leads_record_stage_change();

-- One notification per statement that wrote events; PostgreSQL delivers it when the
-- transaction commits (and folds identical ones of a transaction into one), so a listener
-- wakes exactly when there is something committed to read. The payload is empty: the
-- watcher reads from its cursor, as on SQLite.
CREATE FUNCTION lead_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('baton_leads', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER lead_events_notify
AFTER INSERT OR UPDATE OR DELETE ON lead_events
FOR EACH STATEMENT EXECUTE FUNCTION lead_events_notify();
