//! The SQL of the reports: stage entries counted from the pre-aggregated `report_entries`
//! and `report_entry_days` (see `migrations/0003_reports.sql`), one [`HandoffFacts`] per
//! handoff, and SLA breaches.
//!
//! Two things keep a report on a million leads fast:
//!
//! - Stage entries of a period are day totals plus the partial days at its ends, so a
//!   90-day funnel reads about a hundred rows per campaign instead of every entry (see
//!   [`entries`]); the day totals are summed per key with a "loose index scan" (a recursive
//!   query that jumps from one key to the next), so nothing is sorted.
//! - Handoff facts come back as one packed text (fields joined by U+001F, rows by U+001E)
//!   instead of one row each: sqlx's cost per row is several microseconds, far more than
//!   SQLite's. A field that itself contains a separator is detected (the row count or a
//!   field count is off) and the facts are read again row by row.
//!
//! Handoff times are compared as text: they are RFC 3339 UTC with milliseconds, so text
//! order is time order. `report_entries` keeps times as milliseconds since 1970.

use std::collections::HashMap;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::domain::lead::Stored;
use crate::domain::period::Window;
use crate::domain::report::{ClockFacts, ClockState, HandoffFacts, Reach, Status};
use crate::domain::stage::Stage;
use crate::store::ts;

/// Milliseconds in a day: `report_entry_days` counts per UTC day.
const DAY_MS: i64 = 86_400_000;

/// The lead field that stage entries are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadKey {
    Campaign,
    Source,
}

impl LeadKey {
    /// The column of `report_entries` and the `dim` of `report_entry_days`.
    fn column(self) -> &'static str {
        match self {
            LeadKey::Campaign => "campaign",
            LeadKey::Source => "source",
        }
    }
}

/// Entries into one stage by leads with one campaign (or source), in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryCount {
    pub stage: Stage,
    /// The campaign or source; `None` for leads without one (or with an empty one).
    pub key: Option<String>,
    /// Distinct leads that entered the stage in the window.
    pub entered: u64,
    /// Of those, the ones that entered a later funnel stage after that, up to `now`.
    pub converted: u64,
}

/// (entered, converted) or their parts, per stage and key.
type Counts = HashMap<(String, String), (i64, i64)>;

/// A campaign or source as a report groups it: another writer may have stored a BLOB in
/// `leads`, which the report tables copied; it is grouped and shown as stored.
fn key_text(key: Stored) -> String {
    key.shown().unwrap_or_default()
}

fn add(counts: &mut Counts, rows: Vec<(String, Stored, i64, i64)>, sign: i64) {
    for (stage, key, n, fwd) in rows {
        let c = counts.entry((stage, key_text(key))).or_default();
        c.0 += sign * n;
        c.1 += sign * fwd;
    }
}

/// Counts, per funnel stage and per campaign (or source), the distinct leads that entered
/// the stage in `window` and those of them that have since gone further (by `now`);
/// `only` limits it to one stage. Groups without entries are left out. All reads see one
/// snapshot.
///
/// With A = entries in the window, B = entries in the window whose previous entry into the
/// stage is in the window too, and X = entries after the window whose previous entry is in
/// it, the leads that entered are A - (B_prev - X) where B_prev counts entries by the time
/// of their previous entry: A and B_prev come from day totals plus the partial days at the
/// ends; X is read directly, and is empty for periods up to now. "Converted by now" is
/// "has a `forward_at`", which holds unless an entry lies in the future; then every entry
/// of the window is read instead ([`entries_by_scan`]).
pub async fn entries(
    pool: &SqlitePool,
    key: LeadKey,
    window: Window,
    now: DateTime<Utc>,
    only: Option<Stage>,
) -> anyhow::Result<Vec<EntryCount>> {
    let mut tx = pool
        .begin()
        .await
        .context("cannot start reading the funnel")?;
    let (from, to, now) = (
        window.from.timestamp_millis(),
        window.to.timestamp_millis(),
        now.timestamp_millis(),
    );
    let only = only.map(Stage::as_str);
    let latest: Option<i64> = sqlx::query_scalar(
        "SELECT MAX((SELECT MAX(r.at) FROM report_entries r WHERE r.stage = s.stage))
         FROM report_stage_ranks s",
    )
    .fetch_one(&mut *tx)
    .await
    .context("cannot find the latest stage entry")?;
    let counts = match latest {
        Some(latest) if latest > now => {
            entries_by_scan_in(&mut tx, key, from, to, now, only).await?
        }
        _ => {
            entries_by_days(
                &mut tx,
                key,
                from,
                to,
                latest.is_some_and(|l| l >= to),
                only,
            )
            .await?
        }
    };
    tx.commit()
        .await
        .context("cannot finish reading the funnel")?;
    finish(counts)
}

/// The same counts as [`entries`], always by reading every entry of the window: the
/// reference the day totals are checked against, and the way when entries lie in the
/// future.
pub async fn entries_by_scan(
    pool: &SqlitePool,
    key: LeadKey,
    window: Window,
    now: DateTime<Utc>,
    only: Option<Stage>,
) -> anyhow::Result<Vec<EntryCount>> {
    let mut conn = pool.acquire().await.context("cannot read the funnel")?;
    let counts = entries_by_scan_in(
        &mut conn,
        key,
        window.from.timestamp_millis(),
        window.to.timestamp_millis(),
        now.timestamp_millis(),
        only.map(Stage::as_str),
    )
    .await?;
    finish(counts)
}

fn finish(counts: Counts) -> anyhow::Result<Vec<EntryCount>> {
    let mut out = Vec::with_capacity(counts.len());
    for ((stage, key), (entered, converted)) in counts {
        let (Ok(entered), Ok(converted)) = (u64::try_from(entered), u64::try_from(converted))
        else {
            bail!("the stage counts of report_entry_days are inconsistent for {stage} {key:?}");
        };
        if entered > 0 {
            out.push(EntryCount {
                stage: stage.parse()?,
                key: (!key.is_empty()).then_some(key),
                entered,
                converted,
            });
        }
    }
    Ok(out)
}

/// The stages counted: every funnel stage, or only the one bound to parameter `n`.
fn stages(n: u8) -> String {
    format!("(SELECT stage FROM report_stage_ranks WHERE ?{n} IS NULL OR stage = ?{n})")
}

async fn entries_by_days(
    tx: &mut SqliteConnection,
    key: LeadKey,
    from: i64,
    to: i64,
    after_window: bool,
    only: Option<&str>,
) -> anyhow::Result<Counts> {
    let column = key.column();
    // Whole days [first, last), and the partial days around them.
    let first = from.div_euclid(DAY_MS) + i64::from(from.rem_euclid(DAY_MS) != 0);
    let last = to.div_euclid(DAY_MS);
    let mut counts = Counts::new();
    let partials = if first < last {
        vec![(from, first * DAY_MS), (last * DAY_MS, to)]
    } else {
        vec![(from, to)]
    };
    if first < last {
        // A loose index scan: jump from one key to the next, then sum its days.
        let days: Vec<(String, Stored, Option<i64>, Option<i64>)> = sqlx::query_as(
            "WITH RECURSIVE keys(stage, key) AS (
                SELECT s.stage, (SELECT MIN(d.key) FROM report_entry_days d
                                  WHERE d.dim = ?1 AND d.stage = s.stage)
                FROM report_stage_ranks s WHERE ?4 IS NULL OR s.stage = ?4
                UNION ALL
                SELECT keys.stage, (SELECT MIN(d.key) FROM report_entry_days d
                                     WHERE d.dim = ?1 AND d.stage = keys.stage AND d.key > keys.key)
                FROM keys WHERE keys.key IS NOT NULL
            )
            SELECT keys.stage, keys.key,
                   (SELECT SUM(d.at_n + d.at_fwd * 4294967296) FROM report_entry_days d
                     WHERE d.dim = ?1 AND d.stage = keys.stage AND d.key = keys.key
                       AND d.day >= ?2 AND d.day < ?3),
                   (SELECT SUM(d.prev_n + d.prev_fwd * 4294967296) FROM report_entry_days d
                     WHERE d.dim = ?1 AND d.stage = keys.stage AND d.key = keys.key
                       AND d.day >= ?2 AND d.day < ?3)
            FROM keys WHERE keys.key IS NOT NULL",
        )
        .bind(column)
        .bind(first)
        .bind(last)
        .bind(only)
        .fetch_all(&mut *tx)
        .await
        .context("cannot sum the stage entries by day")?;
        for (stage, k, at, prev) in days {
            let (at, prev) = (at.unwrap_or(0), prev.unwrap_or(0));
            let c = counts.entry((stage, key_text(k))).or_default();
            c.0 += (at & 0xFFFF_FFFF) - (prev & 0xFFFF_FFFF);
            c.1 += (at >> 32) - (prev >> 32);
        }
    }
    for (a, b) in partials.into_iter().filter(|(a, b)| a < b) {
        let sql = format!(
            "SELECT stage, {column}, COUNT(*), COUNT(forward_at)
             FROM report_entries INDEXED BY report_entries_by_stage_at
             WHERE stage IN {} AND at >= ?1 AND at < ?2 GROUP BY stage, {column}",
            stages(3)
        );
        let rows = partial(tx, &sql, a, b, only).await?;
        add(&mut counts, rows, 1);
        let sql = format!(
            "SELECT stage, {column}, COUNT(*), COUNT(forward_at)
             FROM report_entries INDEXED BY report_entries_by_stage_prev
             WHERE stage IN {} AND prev_at >= ?1 AND prev_at < ?2 GROUP BY stage, {column}",
            stages(3)
        );
        let rows = partial(tx, &sql, a, b, only).await?;
        add(&mut counts, rows, -1);
    }
    if after_window {
        let sql = format!(
            "SELECT stage, {column}, COUNT(*), COUNT(forward_at)
             FROM report_entries INDEXED BY report_entries_by_stage_prev
             WHERE stage IN {} AND prev_at >= ?1 AND prev_at < ?2 AND at >= ?2
             GROUP BY stage, {column}",
            stages(3)
        );
        let rows = partial(tx, &sql, from, to, only).await?;
        add(&mut counts, rows, 1);
    }
    Ok(counts)
}

async fn partial(
    tx: &mut SqliteConnection,
    sql: &str,
    from: i64,
    to: i64,
    only: Option<&str>,
) -> anyhow::Result<Vec<(String, Stored, i64, i64)>> {
    sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(from)
        .bind(to)
        .bind(only)
        .fetch_all(&mut *tx)
        .await
        .context("cannot count the stage entries of a partial day")
}

async fn entries_by_scan_in(
    conn: &mut SqliteConnection,
    key: LeadKey,
    from: i64,
    to: i64,
    now: i64,
    only: Option<&str>,
) -> anyhow::Result<Counts> {
    let column = key.column();
    let sql = format!(
        "SELECT stage, {column}, COUNT(*), COUNT(CASE WHEN forward_at <= ?3 THEN 1 END)
         FROM report_entries INDEXED BY report_entries_by_stage_at
         WHERE stage IN {} AND at >= ?1 AND at < ?2
           AND (prev_at IS NULL OR prev_at < ?1)
         GROUP BY stage, {column}",
        stages(4)
    );
    let rows: Vec<(String, Stored, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .bind(now)
        .bind(only)
        .fetch_all(&mut *conn)
        .await
        .context("cannot count the stage entries of the period")?;
    let mut counts = Counts::new();
    add(&mut counts, rows, 1);
    Ok(counts)
}

/// Which handoffs a report looks at, besides the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HandoffFilter<'a> {
    /// Only this team's handoffs.
    pub team: Option<&'a str>,
    /// Only handoffs assigned to this person (for facts), or breached by them (for
    /// breaches).
    pub assignee: Option<&'a str>,
}

/// The fields of [`HandoffFacts`] as SQL, in the order [`parse_facts`] reads them:
/// `?3` is `now` as text, `?6` in milliseconds. Durations go out in whole milliseconds
/// (integers print much faster than reals).
const FACT_FIELDS: [&str; 17] = [
    "h.status",
    "h.reject_reason",
    "h.rating",
    "h.assignee",
    "h.team",
    "r.campaign",
    "r.source",
    "CASE WHEN r.customer_at <= ?6 THEN 3 WHEN r.opportunity_at <= ?6 THEN 2
          WHEN r.sql_at <= ?6 THEN 1 ELSE 0 END",
    "CAST(round(h.ack_s * 1000) AS INTEGER)",
    "CAST(round(h.ack_business_s * 1000) AS INTEGER)",
    "CAST(round(h.first_touch_s * 1000) AS INTEGER)",
    "CAST(round(h.first_touch_business_s * 1000) AS INTEGER)",
    "CAST(round(h.disposition_s * 1000) AS INTEGER)",
    "CAST(round(h.disposition_business_s * 1000) AS INTEGER)",
    "CASE WHEN h.ack_due_at IS NULL THEN 0
          WHEN h.acked_at IS NOT NULL THEN CASE WHEN h.acked_at <= h.ack_due_at THEN 1 ELSE 2 END
          WHEN h.ack_due_at < ?3 THEN 2 ELSE 3 END",
    "CASE WHEN h.first_touch_due_at IS NULL THEN 0
          WHEN h.contacted_at IS NOT NULL
               THEN CASE WHEN h.contacted_at <= h.first_touch_due_at THEN 1 ELSE 2 END
          WHEN h.first_touch_due_at < ?3 THEN 2 ELSE 3 END",
    "CASE WHEN h.disposition_due_at IS NULL THEN 0
          WHEN h.decided_at IS NOT NULL
               THEN CASE WHEN h.decided_at <= h.disposition_due_at THEN 1 ELSE 2 END
          WHEN h.disposition_due_at < ?3 THEN 2 ELSE 3 END",
];

const FACTS_FROM: &str = "FROM handoffs h LEFT JOIN report_entries r ON r.event_id = h.event_id
    WHERE h.mql_at >= ?1 AND h.mql_at < ?2
      AND (?4 IS NULL OR h.team = ?4) AND (?5 IS NULL OR h.assignee = ?5)";

/// One [`HandoffFacts`] per handoff whose MQL time is in `window`, as things stand at `now`.
pub async fn handoff_facts(
    pool: &SqlitePool,
    window: Window,
    now: DateTime<Utc>,
    filter: HandoffFilter<'_>,
) -> anyhow::Result<Vec<HandoffFacts>> {
    // printf builds each row in one step; `%s` prints NULL as the empty text.
    let format = vec!["%s"; FACT_FIELDS.len()].join("\u{1f}");
    let sql = format!(
        "SELECT COUNT(*), group_concat(printf('{format}', {}), char(30)) {FACTS_FROM}",
        FACT_FIELDS.join(", ")
    );
    let (count, packed): (i64, Option<String>) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(ts(window.from))
        .bind(ts(window.to))
        .bind(ts(now))
        .bind(filter.team)
        .bind(filter.assignee)
        .bind(now.timestamp_millis())
        .fetch_one(pool)
        .await
        .context("cannot read the handoffs of the period")?;
    let packed = packed.unwrap_or_default();
    let rows: Vec<Vec<&str>> = if count == 0 {
        Vec::new()
    } else {
        packed
            .split('\u{1e}')
            .map(|row| row.split('\u{1f}').collect())
            .collect()
    };
    let intact = rows.len() as i64 == count && rows.iter().all(|r| r.len() == FACT_FIELDS.len());
    if intact {
        return rows.iter().map(|r| parse_facts(r)).collect();
    }
    // A name contains a separator: read the rows one by one.
    let sql = format!(
        "SELECT {} {FACTS_FROM}",
        FACT_FIELDS
            .iter()
            .map(|f| format!("CAST({f} AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ts(window.from))
        .bind(ts(window.to))
        .bind(ts(now))
        .bind(filter.team)
        .bind(filter.assignee)
        .bind(now.timestamp_millis())
        .fetch_all(pool)
        .await
        .context("cannot read the handoffs of the period")?;
    rows.iter()
        .map(|row| {
            let fields = (0..FACT_FIELDS.len())
                .map(|i| row.try_get::<Stored, _>(i).map(Option::<String>::from))
                .collect::<Result<Vec<_>, _>>()
                .context("cannot read a handoff of the period")?;
            let fields: Vec<&str> = fields.iter().map(|f| f.as_deref().unwrap_or("")).collect();
            parse_facts(&fields)
        })
        .collect()
}

/// Reads the fields of [`FACT_FIELDS`], where the empty text stands for NULL.
fn parse_facts(f: &[&str]) -> anyhow::Result<HandoffFacts> {
    let text = |i: usize| (!f[i].is_empty()).then(|| f[i].to_string());
    let seconds = |i: usize| -> anyhow::Result<Option<f64>> {
        if f[i].is_empty() {
            return Ok(None);
        }
        f[i].parse::<i64>()
            .map(|ms| Some(ms as f64 / 1000.0))
            .with_context(|| format!("\"{}\" is not a number of milliseconds", f[i]))
    };
    let state = |i: usize| -> anyhow::Result<ClockState> {
        Ok(match f[i] {
            "0" => ClockState::NoSla,
            "1" => ClockState::Met,
            "2" => ClockState::Breached,
            "3" => ClockState::Running,
            other => bail!("unknown clock state {other}"),
        })
    };
    let clock = |i: usize, s: usize| -> anyhow::Result<ClockFacts> {
        Ok(ClockFacts {
            wall_s: seconds(i)?,
            business_s: seconds(i + 1)?,
            state: state(s)?,
        })
    };
    Ok(HandoffFacts {
        status: Status::parse(f[0])
            .with_context(|| format!("unknown handoff status \"{}\"", f[0]))?,
        reject_reason: text(1),
        rating: match f[2] {
            "" => None,
            r => Some(r.parse().with_context(|| format!("bad rating \"{r}\""))?),
        },
        assignee: text(3),
        team: text(4),
        campaign: text(5),
        source: text(6),
        reach: match f[7] {
            "3" => Reach::Customer,
            "2" => Reach::Opportunity,
            "1" => Reach::Sql,
            _ => Reach::None,
        },
        clocks: [clock(8, 14)?, clock(10, 15)?, clock(12, 16)?],
    })
}

/// Recorded SLA breaches of the window's handoffs, per person who breached and team.
pub async fn breach_counts(
    pool: &SqlitePool,
    window: Window,
    filter: HandoffFilter<'_>,
) -> anyhow::Result<HashMap<(Option<String>, Option<String>), u64>> {
    let rows: Vec<(Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT b.assignee, h.team, COUNT(*)
         FROM handoffs h JOIN sla_breaches b ON b.handoff_id = h.id
         WHERE h.mql_at >= ?1 AND h.mql_at < ?2
           AND (?3 IS NULL OR h.team = ?3) AND (?4 IS NULL OR b.assignee = ?4)
         GROUP BY b.assignee, h.team",
    )
    .bind(ts(window.from))
    .bind(ts(window.to))
    .bind(filter.team)
    .bind(filter.assignee)
    .fetch_all(pool)
    .await
    .context("cannot count the SLA breaches")?;
    Ok(rows
        .into_iter()
        .map(|(who, team, n)| ((who, team), n.max(0) as u64))
        .collect())
}

/// One recorded breach, for the list in `/sla`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BreachRow {
    pub handoff_id: i64,
    pub lead_id: i64,
    /// The lead's name, else its external id.
    /// Read whatever another writer stored there (a BLOB name is shown as stored).
    #[sqlx(try_from = "crate::domain::lead::Stored")]
    pub lead: Option<String>,
    pub clock: String,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub due_at: String,
    /// When the clock stopped, if it has.
    pub stopped_at: Option<String>,
}

/// A [`BreachRow`] per recorded breach, before the conditions.
const BREACH_ROWS: &str = "SELECT b.handoff_id, h.lead_id, COALESCE(l.name, l.external_id) AS lead,
        b.clock, b.assignee, h.team, b.due_at,
        CASE b.clock WHEN 'ack' THEN h.acked_at WHEN 'first_touch' THEN h.contacted_at
                     ELSE h.decided_at END AS stopped_at
    FROM sla_breaches b
    JOIN handoffs h ON h.id = b.handoff_id
    LEFT JOIN leads l ON l.id = h.lead_id";

/// The latest `limit` breaches (by deadline) of the window's handoffs.
pub async fn latest_breaches(
    pool: &SqlitePool,
    window: Window,
    filter: HandoffFilter<'_>,
    limit: u32,
) -> anyhow::Result<Vec<BreachRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BREACH_ROWS}
         WHERE h.mql_at >= ?1 AND h.mql_at < ?2
           AND (?3 IS NULL OR h.team = ?3) AND (?4 IS NULL OR b.assignee = ?4)
         ORDER BY b.due_at DESC, b.id DESC
         LIMIT ?5"
    )))
    .bind(ts(window.from))
    .bind(ts(window.to))
    .bind(filter.team)
    .bind(filter.assignee)
    .bind(limit)
    .fetch_all(pool)
    .await
    .context("cannot list the SLA breaches")
}

/// Every breach whose deadline lies in `window` (the digest's week), of one team or all,
/// oldest first.
pub async fn breaches_due_in(
    pool: &SqlitePool,
    window: Window,
    team: Option<&str>,
) -> anyhow::Result<Vec<BreachRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BREACH_ROWS}
         WHERE b.due_at >= ?1 AND b.due_at < ?2 AND (?3 IS NULL OR h.team = ?3)
         ORDER BY b.due_at, b.id"
    )))
    .bind(ts(window.from))
    .bind(ts(window.to))
    .bind(team)
    .fetch_all(pool)
    .await
    .context("cannot list the breaches of the week")
}
