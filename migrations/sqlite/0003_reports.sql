-- Pre-aggregation for the reports of SPEC §7 (`/funnel`, `/sla`).
--
-- `report_entries` has one row per `lead_events` row (same id) with what the funnel needs
-- precomputed. Times are integer milliseconds since 1970 UTC (compact, and as exact as the
-- RFC 3339 text they come from). "Before" and "after" order entries by (at, id).
--
-- - `prev_at`: when the lead last entered the same stage before this entry. An entry is the
--   lead's first in a window [from, to) exactly when `prev_at` is NULL or before `from`, so
--   "distinct leads that entered S" is a plain count.
-- - `forward_at`: when the lead first entered a later funnel stage after this entry
--   (`disqualified` is after nothing). The lead has since gone further, at `now`, exactly
--   when its first entry in the window has `forward_at <= now`.
-- - `sql_at`, `opportunity_at`, `customer_at`: when the lead first entered that stage or a
--   later one after this entry; for an MQL entry, whether its handoff converted.
-- - `campaign`, `source`: the lead's, kept in step when the lead changes ('' for none).
--
-- `report_entry_days` counts entries per campaign (and, separately, per source), stage
-- and UTC day, both by the day of `at` and by the day of `prev_at`. The leads that entered
-- S in [from, to) are the entries in the window (A), minus those whose previous entry is
-- in the window too (B), plus those among B's entries that lie after the window (X):
-- A and B are sums of whole days plus partial days read from the indexes below, and X,
-- empty for periods up to now, is read from the entries directly.
--
-- Triggers keep both tables exact whatever writes `lead_events` or `leads`: an insert is
-- folded in; an update or delete recomputes the leads it touches. They use only SQL that
-- SQLite 3.25 and later understands (window functions, upsert), because other processes'
-- writes run them too.

CREATE TABLE report_stage_ranks (
    stage TEXT PRIMARY KEY,
    rank  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO report_stage_ranks (stage, rank) VALUES
    ('visitor', 0), ('lead', 1), ('mql', 2), ('sql', 3), ('opportunity', 4), ('customer', 5),
    ('evangelist', 6);

CREATE TABLE report_entries (
    event_id       INTEGER PRIMARY KEY,
    lead_id        INTEGER NOT NULL,
    stage          TEXT NOT NULL,
    rank           INTEGER,
    at             INTEGER NOT NULL,
    prev_at        INTEGER,
    forward_at     INTEGER,
    sql_at         INTEGER,
    opportunity_at INTEGER,
    customer_at    INTEGER,
    campaign       TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE report_entry_days (
    -- 'campaign' or 'source': what `key` is.
    dim      TEXT NOT NULL,
    key      TEXT NOT NULL,
    stage    TEXT NOT NULL,
    -- Days since 1970-01-01 UTC.
    day      INTEGER NOT NULL,
    -- Entries with `at` on this day, and those of them with a `forward_at`.
    at_n     INTEGER NOT NULL DEFAULT 0,
    at_fwd   INTEGER NOT NULL DEFAULT 0,
    -- Entries whose `prev_at` is on this day, and those of them with a `forward_at`.
    prev_n   INTEGER NOT NULL DEFAULT 0,
    prev_fwd INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, stage, key, day)
) WITHOUT ROWID;

-- The backfill of the events already recorded. The same computation, restricted to the
-- touched leads, appears again in the update and delete triggers below.
INSERT INTO report_entries (event_id, lead_id, stage, rank, at, prev_at, forward_at,
                            sql_at, opportunity_at, customer_at, campaign, source)
SELECT w.id, w.lead_id, w.to_stage, w.rank, w.at, w.prev_at,
       CASE w.rank WHEN 0 THEN w.n1 WHEN 1 THEN w.n2 WHEN 2 THEN w.n3 WHEN 3 THEN w.n4
                   WHEN 4 THEN w.n5 WHEN 5 THEN w.n6 END,
       w.n3, w.n4, w.n5, ifnull(l.campaign, ''), ifnull(l.source, '')
FROM (
    SELECT t.id, t.lead_id, t.to_stage, t.rank, t.at,
           LAG(t.at) OVER (PARTITION BY t.lead_id, t.to_stage ORDER BY t.at, t.id) AS prev_at,
           MIN(CASE WHEN t.rank >= 1 THEN t.at END) OVER later AS n1,
           MIN(CASE WHEN t.rank >= 2 THEN t.at END) OVER later AS n2,
           MIN(CASE WHEN t.rank >= 3 THEN t.at END) OVER later AS n3,
           MIN(CASE WHEN t.rank >= 4 THEN t.at END) OVER later AS n4,
           MIN(CASE WHEN t.rank >= 5 THEN t.at END) OVER later AS n5,
           MIN(CASE WHEN t.rank >= 6 THEN t.at END) OVER later AS n6
    FROM (
        SELECT e.id, e.lead_id, e.to_stage, s.rank,
               CAST(round((julianday(e.at) - 2440587.5) * 86400000.0) AS INTEGER) AS at
        FROM lead_events e LEFT JOIN report_stage_ranks s ON s.stage = e.to_stage
    ) t
    WINDOW later AS (PARTITION BY t.lead_id ORDER BY t.at, t.id
                     ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
) w
LEFT JOIN leads l ON l.id = w.lead_id
ORDER BY w.id;

INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd, prev_n, prev_fwd)
SELECT dim, key, stage, day, SUM(at_n), SUM(at_fwd), SUM(prev_n), SUM(prev_fwd)
FROM (
    SELECT d.dim, CASE d.dim WHEN 'campaign' THEN r.campaign ELSE r.source END AS key,
           r.stage, r.at / 86400000 AS day, 1 AS at_n, r.forward_at IS NOT NULL AS at_fwd,
           0 AS prev_n, 0 AS prev_fwd
    FROM report_entries r, (SELECT 'campaign' AS dim UNION ALL SELECT 'source') d
    UNION ALL
    SELECT d.dim, CASE d.dim WHEN 'campaign' THEN r.campaign ELSE r.source END,
           r.stage, r.prev_at / 86400000, 0, 0, 1, r.forward_at IS NOT NULL
    FROM report_entries r, (SELECT 'campaign' AS dim UNION ALL SELECT 'source') d
    WHERE r.prev_at IS NOT NULL
)
GROUP BY dim, key, stage, day;

-- For the partial days at the ends of a window, and for X: entries by stage and time, and
-- repeated entries by stage and the time of their previous entry, with the columns the
-- counts need, so that reports never read the table itself.
CREATE INDEX report_entries_by_stage_at
    ON report_entries (stage, at, prev_at, forward_at, campaign, source);
CREATE INDEX report_entries_by_stage_prev
    ON report_entries (stage, prev_at, at, forward_at, campaign, source)
    WHERE prev_at IS NOT NULL;

-- The day counts follow every change of an entry.
CREATE TRIGGER report_entry_days_after_insert
AFTER INSERT ON report_entries
BEGIN
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'campaign', NEW.campaign, NEW.stage, NEW.at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'campaign', NEW.campaign, NEW.stage, NEW.prev_at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE NEW.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'source', NEW.source, NEW.stage, NEW.at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'source', NEW.source, NEW.stage, NEW.prev_at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE NEW.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
END;

CREATE TRIGGER report_entry_days_after_delete
AFTER DELETE ON report_entries
BEGIN
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'campaign', OLD.campaign, OLD.stage, OLD.at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'campaign', OLD.campaign, OLD.stage, OLD.prev_at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE OLD.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'source', OLD.source, OLD.stage, OLD.at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'source', OLD.source, OLD.stage, OLD.prev_at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE OLD.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
END;

CREATE TRIGGER report_entry_days_after_update
AFTER UPDATE OF stage, campaign, source, at, prev_at ON report_entries
WHEN OLD.stage IS NOT NEW.stage OR OLD.campaign IS NOT NEW.campaign
  OR OLD.source IS NOT NEW.source OR OLD.at IS NOT NEW.at
  OR OLD.prev_at IS NOT NEW.prev_at
BEGIN
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'campaign', OLD.campaign, OLD.stage, OLD.at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'campaign', OLD.campaign, OLD.stage, OLD.prev_at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE OLD.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'source', OLD.source, OLD.stage, OLD.at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'source', OLD.source, OLD.stage, OLD.prev_at / 86400000, -1, -(OLD.forward_at IS NOT NULL)
    WHERE OLD.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'campaign', NEW.campaign, NEW.stage, NEW.at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'campaign', NEW.campaign, NEW.stage, NEW.prev_at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE NEW.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, at_n, at_fwd)
    SELECT 'source', NEW.source, NEW.stage, NEW.at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE 1
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        at_n = at_n + excluded.at_n, at_fwd = at_fwd + excluded.at_fwd;
    INSERT INTO report_entry_days (dim, key, stage, day, prev_n, prev_fwd)
    SELECT 'source', NEW.source, NEW.stage, NEW.prev_at / 86400000, 1, (NEW.forward_at IS NOT NULL)
    WHERE NEW.prev_at IS NOT NULL
    ON CONFLICT (dim, stage, key, day) DO UPDATE SET
        prev_n = prev_n + excluded.prev_n, prev_fwd = prev_fwd + excluded.prev_fwd;
END;

-- The common change: an entry gains (or loses) a later stage and stays where it is. Only
-- whether `forward_at` is set matters to the counts.
CREATE TRIGGER report_entry_days_after_forward
AFTER UPDATE OF forward_at ON report_entries
WHEN (OLD.forward_at IS NULL) <> (NEW.forward_at IS NULL)
  AND OLD.stage IS NEW.stage AND OLD.campaign IS NEW.campaign AND OLD.source IS NEW.source
  AND OLD.at IS NEW.at AND OLD.prev_at IS NEW.prev_at
BEGIN
    UPDATE report_entry_days
    SET at_fwd = at_fwd + (NEW.forward_at IS NOT NULL) - (OLD.forward_at IS NOT NULL)
    WHERE ((dim = 'campaign' AND key = NEW.campaign) OR (dim = 'source' AND key = NEW.source))
      AND stage = NEW.stage AND day = NEW.at / 86400000;
    UPDATE report_entry_days
    SET prev_fwd = prev_fwd + (NEW.forward_at IS NOT NULL) - (OLD.forward_at IS NOT NULL)
    WHERE NEW.prev_at IS NOT NULL
      AND ((dim = 'campaign' AND key = NEW.campaign) OR (dim = 'source' AND key = NEW.source))
      AND stage = NEW.stage AND day = NEW.prev_at / 86400000;
END;

-- A new event: its own entry, then what it changes for the lead's other entries. The
-- lead's entries are found through its events (lead_events_by_lead); NOT INDEXED and the
-- unary + keep SQLite from walking a report index over every lead's entries of the stage
-- instead.
CREATE TRIGGER report_entries_after_event_insert
AFTER INSERT ON lead_events
BEGIN
    DELETE FROM report_entries WHERE event_id = NEW.id;
    -- One pass over the lead's other entries: the new entry's previous entry into the
    -- stage, and the first entries further down the funnel after it.
    INSERT INTO report_entries (event_id, lead_id, stage, rank, at, prev_at, forward_at,
                                sql_at, opportunity_at, customer_at, campaign, source)
    SELECT NEW.id, NEW.lead_id, NEW.to_stage, s.rank, CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER),
           a.prev_at, a.forward_at, a.sql_at, a.opportunity_at, a.customer_at,
           ifnull(l.campaign, ''), ifnull(l.source, '')
    FROM (SELECT
            MAX(CASE WHEN p.stage = NEW.to_stage
                          AND (p.at < CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) OR (p.at = CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) AND p.event_id < NEW.id))
                     THEN p.at END) AS prev_at,
            MIN(CASE WHEN p.rank > (SELECT rank FROM report_stage_ranks WHERE stage = NEW.to_stage)
                          AND (p.at > CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) OR (p.at = CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) AND p.event_id > NEW.id))
                     THEN p.at END) AS forward_at,
            MIN(CASE WHEN p.rank >= 3 AND (p.at > CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) OR (p.at = CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) AND p.event_id > NEW.id))
                     THEN p.at END) AS sql_at,
            MIN(CASE WHEN p.rank >= 4 AND (p.at > CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) OR (p.at = CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) AND p.event_id > NEW.id))
                     THEN p.at END) AS opportunity_at,
            MIN(CASE WHEN p.rank >= 5 AND (p.at > CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) OR (p.at = CAST(round((julianday(NEW.at) - 2440587.5) * 86400000.0) AS INTEGER) AND p.event_id > NEW.id))
                     THEN p.at END) AS customer_at
          FROM lead_events e CROSS JOIN report_entries p ON p.event_id = e.id
          WHERE e.lead_id = NEW.lead_id) AS a
    LEFT JOIN report_stage_ranks s ON s.stage = NEW.to_stage
    LEFT JOIN leads l ON l.id = NEW.lead_id;
    -- Later entries into the same stage (rare: only when an event is recorded out of
    -- order) now have this one before them.
    UPDATE report_entries SET prev_at = (SELECT at FROM report_entries WHERE event_id = NEW.id)
    WHERE EXISTS (SELECT 1 FROM lead_events
                  WHERE lead_id = NEW.lead_id AND id <> NEW.id AND to_stage = NEW.to_stage
                    AND julianday(at) >= julianday(NEW.at))
      AND event_id IN (SELECT id FROM lead_events WHERE lead_id = NEW.lead_id AND id <> NEW.id)
      AND +stage = NEW.to_stage
      AND (at > (SELECT at FROM report_entries WHERE event_id = NEW.id)
           OR (at = (SELECT at FROM report_entries WHERE event_id = NEW.id)
               AND event_id > NEW.id))
      AND (prev_at IS NULL OR prev_at < (SELECT at FROM report_entries WHERE event_id = NEW.id));
    -- Earlier entries may have gone further down the funnel at this moment: the new
    -- entry's time and rank are read back from its row.
    UPDATE report_entries SET
        forward_at = CASE
            WHEN rank < (SELECT rank FROM report_entries WHERE event_id = NEW.id)
                 AND (forward_at IS NULL
                      OR forward_at > (SELECT at FROM report_entries WHERE event_id = NEW.id))
            THEN (SELECT at FROM report_entries WHERE event_id = NEW.id) ELSE forward_at END,
        sql_at = CASE
            WHEN (SELECT rank FROM report_entries WHERE event_id = NEW.id) >= 3
                 AND (sql_at IS NULL
                      OR sql_at > (SELECT at FROM report_entries WHERE event_id = NEW.id))
            THEN (SELECT at FROM report_entries WHERE event_id = NEW.id) ELSE sql_at END,
        opportunity_at = CASE
            WHEN (SELECT rank FROM report_entries WHERE event_id = NEW.id) >= 4
                 AND (opportunity_at IS NULL
                      OR opportunity_at > (SELECT at FROM report_entries WHERE event_id = NEW.id))
            THEN (SELECT at FROM report_entries WHERE event_id = NEW.id) ELSE opportunity_at END,
        customer_at = CASE
            WHEN (SELECT rank FROM report_entries WHERE event_id = NEW.id) >= 5
                 AND (customer_at IS NULL
                      OR customer_at > (SELECT at FROM report_entries WHERE event_id = NEW.id))
            THEN (SELECT at FROM report_entries WHERE event_id = NEW.id) ELSE customer_at END
    WHERE NEW.to_stage IN (SELECT stage FROM report_stage_ranks WHERE rank >= 1)
      AND event_id IN (SELECT id FROM lead_events WHERE lead_id = NEW.lead_id AND id <> NEW.id)
      AND (at < (SELECT at FROM report_entries WHERE event_id = NEW.id)
           OR (at = (SELECT at FROM report_entries WHERE event_id = NEW.id)
               AND event_id < NEW.id));
END;

-- A changed or removed event: recompute every entry of the leads concerned, as the
-- backfill above does.
CREATE TRIGGER report_entries_after_event_update
AFTER UPDATE OF id, lead_id, to_stage, at ON lead_events
BEGIN
    DELETE FROM report_entries
    WHERE event_id = OLD.id
       OR event_id IN (SELECT id FROM lead_events WHERE lead_id IN (OLD.lead_id, NEW.lead_id));
    INSERT INTO report_entries (event_id, lead_id, stage, rank, at, prev_at, forward_at,
                                sql_at, opportunity_at, customer_at, campaign, source)
    SELECT w.id, w.lead_id, w.to_stage, w.rank, w.at, w.prev_at,
           CASE w.rank WHEN 0 THEN w.n1 WHEN 1 THEN w.n2 WHEN 2 THEN w.n3 WHEN 3 THEN w.n4
                       WHEN 4 THEN w.n5 WHEN 5 THEN w.n6 END,
           w.n3, w.n4, w.n5, ifnull(l.campaign, ''), ifnull(l.source, '')
    FROM (
        SELECT t.id, t.lead_id, t.to_stage, t.rank, t.at,
               LAG(t.at) OVER (PARTITION BY t.lead_id, t.to_stage ORDER BY t.at, t.id) AS prev_at,
               MIN(CASE WHEN t.rank >= 1 THEN t.at END) OVER later AS n1,
               MIN(CASE WHEN t.rank >= 2 THEN t.at END) OVER later AS n2,
               MIN(CASE WHEN t.rank >= 3 THEN t.at END) OVER later AS n3,
               MIN(CASE WHEN t.rank >= 4 THEN t.at END) OVER later AS n4,
               MIN(CASE WHEN t.rank >= 5 THEN t.at END) OVER later AS n5,
               MIN(CASE WHEN t.rank >= 6 THEN t.at END) OVER later AS n6
        FROM (
            SELECT e.id, e.lead_id, e.to_stage, s.rank,
                   CAST(round((julianday(e.at) - 2440587.5) * 86400000.0) AS INTEGER) AS at
            FROM lead_events e LEFT JOIN report_stage_ranks s ON s.stage = e.to_stage
            WHERE e.lead_id IN (OLD.lead_id, NEW.lead_id)
        ) t
        WINDOW later AS (PARTITION BY t.lead_id ORDER BY t.at, t.id
                         ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
    ) w
    LEFT JOIN leads l ON l.id = w.lead_id;
END;

CREATE TRIGGER report_entries_after_event_delete
AFTER DELETE ON lead_events
BEGIN
    DELETE FROM report_entries
    WHERE event_id = OLD.id
       OR event_id IN (SELECT id FROM lead_events WHERE lead_id = OLD.lead_id);
    INSERT INTO report_entries (event_id, lead_id, stage, rank, at, prev_at, forward_at,
                                sql_at, opportunity_at, customer_at, campaign, source)
    SELECT w.id, w.lead_id, w.to_stage, w.rank, w.at, w.prev_at,
           CASE w.rank WHEN 0 THEN w.n1 WHEN 1 THEN w.n2 WHEN 2 THEN w.n3 WHEN 3 THEN w.n4
                       WHEN 4 THEN w.n5 WHEN 5 THEN w.n6 END,
           w.n3, w.n4, w.n5, ifnull(l.campaign, ''), ifnull(l.source, '')
    FROM (
        SELECT t.id, t.lead_id, t.to_stage, t.rank, t.at,
               LAG(t.at) OVER (PARTITION BY t.lead_id, t.to_stage ORDER BY t.at, t.id) AS prev_at,
               MIN(CASE WHEN t.rank >= 1 THEN t.at END) OVER later AS n1,
               MIN(CASE WHEN t.rank >= 2 THEN t.at END) OVER later AS n2,
               MIN(CASE WHEN t.rank >= 3 THEN t.at END) OVER later AS n3,
               MIN(CASE WHEN t.rank >= 4 THEN t.at END) OVER later AS n4,
               MIN(CASE WHEN t.rank >= 5 THEN t.at END) OVER later AS n5,
               MIN(CASE WHEN t.rank >= 6 THEN t.at END) OVER later AS n6
        FROM (
            SELECT e.id, e.lead_id, e.to_stage, s.rank,
                   CAST(round((julianday(e.at) - 2440587.5) * 86400000.0) AS INTEGER) AS at
            FROM lead_events e LEFT JOIN report_stage_ranks s ON s.stage = e.to_stage
            WHERE e.lead_id = OLD.lead_id
        ) t
        WINDOW later AS (PARTITION BY t.lead_id ORDER BY t.at, t.id
                         ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
    ) w
    LEFT JOIN leads l ON l.id = w.lead_id;
END;

-- The lead's campaign and source, kept in step. An `INSERT OR REPLACE` that keeps a lead's
-- id (see 0001) restores it with an `UPDATE ... SET id`, which the second trigger sees.
CREATE TRIGGER report_entries_after_lead_insert
AFTER INSERT ON leads
BEGIN
    UPDATE report_entries SET campaign = ifnull(NEW.campaign, ''), source = ifnull(NEW.source, '')
    WHERE event_id IN (SELECT id FROM lead_events WHERE lead_id = NEW.id)
      AND (campaign IS NOT ifnull(NEW.campaign, '') OR source IS NOT ifnull(NEW.source, ''));
END;

CREATE TRIGGER report_entries_after_lead_update
AFTER UPDATE OF id, campaign, source ON leads
BEGIN
    UPDATE report_entries SET campaign = ifnull(NEW.campaign, ''), source = ifnull(NEW.source, '')
    WHERE event_id IN (SELECT id FROM lead_events WHERE lead_id = NEW.id)
      AND (campaign IS NOT ifnull(NEW.campaign, '') OR source IS NOT ifnull(NEW.source, ''));
END;
