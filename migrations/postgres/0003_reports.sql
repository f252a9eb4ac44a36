-- The report pre-aggregation of migrations/sqlite/0003 (read its header for what each
-- column means): `report_entries`, one row per `lead_events` row, and `report_entry_days`,
-- the day counts per campaign and per source. The tables and their contents are the same
-- as on SQLite; only how the triggers keep them exact differs.
--
-- SQLite folds a new event in incrementally, in plain SQL that old SQLite versions
-- understand. Here one PL/pgSQL function recomputes every entry of the leads a change
-- touches (the backfill's window query, restricted to them): a lead has a handful of
-- events, so this costs about as much, and insert, update and delete share one code path.
-- The day counts follow each entry through row triggers on `report_entries`.

CREATE TABLE report_stage_ranks (
    stage text COLLATE "C" PRIMARY KEY,
    rank  bigint NOT NULL
);
INSERT INTO report_stage_ranks (stage, rank) VALUES
    ('visitor', 0), ('lead', 1), ('mql', 2), ('sql', 3), ('opportunity', 4), ('customer', 5),
    ('evangelist', 6);

CREATE TABLE report_entries (
    event_id       bigint PRIMARY KEY,
    lead_id        bigint NOT NULL,
    stage          text COLLATE "C" NOT NULL,
    rank           bigint,
    at             bigint NOT NULL,
    prev_at        bigint,
    forward_at     bigint,
    sql_at         bigint,
    opportunity_at bigint,
    customer_at    bigint,
    campaign       text COLLATE "C" NOT NULL DEFAULT '',
    source         text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX report_entries_by_lead ON report_entries (lead_id);
CREATE INDEX report_entries_by_stage_at
    ON report_entries (stage, at, prev_at, forward_at, campaign, source);
CREATE INDEX report_entries_by_stage_prev
    ON report_entries (stage, prev_at, at, forward_at, campaign, source)
    WHERE prev_at IS NOT NULL;

CREATE TABLE report_entry_days (
    dim      text COLLATE "C" NOT NULL,
    key      text COLLATE "C" NOT NULL,
    stage    text COLLATE "C" NOT NULL,
    day      bigint NOT NULL,
    at_n     bigint NOT NULL DEFAULT 0,
    at_fwd   bigint NOT NULL DEFAULT 0,
    prev_n   bigint NOT NULL DEFAULT 0,
    prev_fwd bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, stage, key, day)
);

-- A stored instant as integer milliseconds since 1970 UTC (SQLite: julianday arithmetic).
CREATE FUNCTION baton_epoch_ms(t text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT round(extract(epoch FROM baton_utc_text(t)::timestamptz) * 1000)::bigint
$$;

-- Every entry of the given leads, computed afresh from their events.
CREATE FUNCTION report_entries_recompute(leads_touched bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_entries WHERE lead_id = ANY (leads_touched);
    INSERT INTO report_entries (event_id, lead_id, stage, rank, at, prev_at, forward_at,
                                sql_at, opportunity_at, customer_at, campaign, source)
    SELECT w.id, w.lead_id, w.to_stage, w.rank, w.at, w.prev_at,
           CASE w.rank WHEN 0 THEN w.n1 WHEN 1 THEN w.n2 WHEN 2 THEN w.n3 WHEN 3 THEN w.n4
                       WHEN 4 THEN w.n5 WHEN 5 THEN w.n6 END,
           w.n3, w.n4, w.n5, coalesce(l.campaign, ''), coalesce(l.source, '')
    FROM (
        SELECT t.id, t.lead_id, t.to_stage, t.rank, t.at,
               lag(t.at) OVER (PARTITION BY t.lead_id, t.to_stage ORDER BY t.at, t.id) AS prev_at,
               min(CASE WHEN t.rank >= 1 THEN t.at END) OVER later AS n1,
               min(CASE WHEN t.rank >= 2 THEN t.at END) OVER later AS n2,
               min(CASE WHEN t.rank >= 3 THEN t.at END) OVER later AS n3,
               min(CASE WHEN t.rank >= 4 THEN t.at END) OVER later AS n4,
               min(CASE WHEN t.rank >= 5 THEN t.at END) OVER later AS n5,
               min(CASE WHEN t.rank >= 6 THEN t.at END) OVER later AS n6
        FROM (
            SELECT e.id, e.lead_id, e.to_stage, s.rank, baton_epoch_ms(e.at) AS at
            FROM lead_events e LEFT JOIN report_stage_ranks s ON s.stage = e.to_stage
            WHERE e.lead_id = ANY (leads_touched)
        ) t
        WINDOW later AS (PARTITION BY t.lead_id ORDER BY t.at, t.id
                         ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
    ) w
    LEFT JOIN leads l ON l.id = w.lead_id;
END;
$$;

CREATE FUNCTION report_entries_after_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM report_entries_recompute(ARRAY[NEW.lead_id]);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM report_entries_recompute(ARRAY[OLD.lead_id, NEW.lead_id]);
    ELSE
        PERFORM report_entries_recompute(ARRAY[OLD.lead_id]);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER report_entries_after_event
AFTER INSERT OR DELETE OR UPDATE OF id, lead_id, to_stage, at ON lead_events
FOR EACH ROW EXECUTE FUNCTION report_entries_after_event();

-- The lead's campaign and source, kept in step.
CREATE FUNCTION report_entries_after_lead_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE report_entries
    SET campaign = coalesce(NEW.campaign, ''), source = coalesce(NEW.source, '')
    WHERE lead_id = NEW.id
      AND (campaign IS DISTINCT FROM coalesce(NEW.campaign, '')
           OR source IS DISTINCT FROM coalesce(NEW.source, ''));
    RETURN NULL;
END;
$$;

CREATE TRIGGER report_entries_after_lead_update
AFTER UPDATE OF campaign, source ON leads
FOR EACH ROW EXECUTE FUNCTION report_entries_after_lead_update();

-- Adds an entry's counts (sign 1) or takes them away (sign -1).
CREATE FUNCTION report_entry_days_add(e report_entries, sign bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    fwd bigint := sign * (e.forward_at IS NOT NULL)::int;
BEGIN
    INSERT INTO report_entry_days AS d (dim, key, stage, day, at_n, at_fwd)
    VALUES ('campaign', e.campaign, e.stage, e.at / 86400000, sign, fwd),
           ('source', e.source, e.stage, e.at / 86400000, sign, fwd)
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = d.at_n + excluded.at_n, at_fwd = d.at_fwd + excluded.at_fwd;
    IF e.prev_at IS NOT NULL THEN
        INSERT INTO report_entry_days AS d (dim, key, stage, day, prev_n, prev_fwd)
        VALUES ('campaign', e.campaign, e.stage, e.prev_at / 86400000, sign, fwd),
               ('source', e.source, e.stage, e.prev_at / 86400000, sign, fwd)
        ON CONFLICT (dim, stage, key, day) DO UPDATE SET
            prev_n = d.prev_n + excluded.prev_n, prev_fwd = d.prev_fwd + excluded.prev_fwd;
    END IF;
END;
$$;

CREATE FUNCTION report_entry_days_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM report_entry_days_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM report_entry_days_add(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER report_entry_days_follow
AFTER INSERT OR DELETE OR UPDATE ON report_entries
FOR EACH ROW EXECUTE FUNCTION report_entry_days_follow();
