//! The SQL of the reports: stage entries counted from the pre-aggregated `report_entries`
//! and `report_entry_days` (see `migrations/sqlite/0003_reports.sql`), one [`HandoffFacts`] per
//! handoff, and SLA breaches (every clock that ran out, derived from the handoffs'
//! deadlines and stop times like the facts, so the lists and the counts always agree),
//! and the clocks overdue now (for the digest).
//!
//! Three things keep a report on a million leads fast:
//!
//! - Stage entries of a period are day totals plus the partial days at its ends, so a
//!   90-day funnel reads about a hundred rows per campaign instead of every entry (see
//!   [`entries`]); the day totals are summed per key with a "loose index scan" (a recursive
//!   query that jumps from one key to the next), so nothing is sorted.
//! - Handoff facts come back as one packed text (fields joined by U+001F, rows by U+001E)
//!   instead of one row each: sqlx's cost per row is several microseconds, far more than
//!   SQLite's. A field that itself contains a separator is detected (the row count or a
//!   field count is off) and the facts are read again row by row. The text is parsed where
//!   sqlx holds it, and each name (a person, team, campaign, source, reason) becomes one
//!   shared [`Name`] per report, not a string per handoff.
//! - The facts read `handoffs` alone: the campaign and source of each handoff's MQL entry
//!   and its stage times, already bounded by the lead's next entry into `mql`, are kept
//!   on the handoff by triggers (`migrations/sqlite/0015_handoff_report_facts.sql`), so no
//!   join and no look-up of the next entry runs per handoff.
//!
//! Handoff times are compared as text: they are RFC 3339 UTC with milliseconds, so text
//! order is time order. `report_entries` and the stage times on `handoffs` are milliseconds
//! since 1970.

use std::collections::HashMap;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::domain::handoff::Status;
use crate::domain::lead::Stored;
use crate::domain::period::Window;
use crate::domain::report::{
    ClockFacts, ClockState, HandoffFacts, Name, OwnClock, Reach, own_window_state,
};
use crate::domain::sla::ClockKind;
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
    /// Only handoffs this person holds or held (for facts), or breached by them (for
    /// breaches).
    pub assignee: Option<&'a str>,
}

/// The instant a clock is credited at, as SQL over its deadline `due` and stop time
/// `stop` (`?3` is `now`): when it was met, else when it ran out, else now (still
/// running, or without an SLA and not stopped).
fn credited_at(due: &str, stop: &str) -> String {
    format!(
        "CASE WHEN {stop} IS NOT NULL AND ({due} IS NULL OR {stop} <= {due}) THEN {stop}
              WHEN {due} IS NOT NULL AND ({stop} IS NOT NULL OR {due} < ?3) THEN {due}
              ELSE ?3 END"
    )
}

/// Who held handoff `h` at the instant `at` (SQL), encoded for [`parse_facts`]: `=` for
/// its assignee (always so when it was never reassigned), else `+` and the holder's
/// email (`+` alone for nobody).
fn holder_code(at: &str) -> String {
    format!(
        "CASE WHEN h.previous_assignees IS NULL THEN '='
              ELSE COALESCE((SELECT '+' || COALESCE(x.assignee, '') FROM handoff_holders x
                             WHERE x.handoff_id = h.id AND x.since <= {at}
                             ORDER BY x.since DESC, x.id DESC LIMIT 1), '=') END"
    )
}

/// Who held handoff `h` at the instant `at`, as SQL (the assignee when never reassigned).
fn holder_sql(at: &str) -> String {
    format!(
        "CASE WHEN h.previous_assignees IS NULL THEN h.assignee
              ELSE COALESCE((SELECT x.assignee FROM handoff_holders x
                             WHERE x.handoff_id = h.id AND x.since <= {at}
                             ORDER BY x.since DESC, x.id DESC LIMIT 1), h.assignee) END"
    )
}

/// How far the handoff's lead went (0 none, 1 sql, 2 opportunity, 3 customer) by `now`
/// (`?6`, milliseconds). The stage times on `handoffs` are already bounded by the lead's
/// next entry into `mql` (SPEC §7: that entry opens the next handoff, which earns what
/// follows; see `migrations/sqlite/0015_handoff_report_facts.sql`).
const REACH: &str = "CASE WHEN h.customer_at <= ?6 THEN 3 WHEN h.opportunity_at <= ?6 THEN 2
        WHEN h.sql_at <= ?6 THEN 1 ELSE 0 END";

/// The fields of [`HandoffFacts`] as SQL, in the order [`parse_facts`] reads them:
/// `?3` is `now` as text, `?6` in milliseconds. Durations go out in whole milliseconds
/// (integers print much faster than reals).
fn fact_fields() -> Vec<String> {
    let mut fields: Vec<String> = [
        "h.status",
        "h.reject_reason",
        "h.rating",
        "h.assignee",
        "h.team",
        "h.campaign",
        "h.source",
        REACH,
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
    ]
    .map(str::to_string)
    .to_vec();
    for (due, stop) in CLOCK_COLUMNS {
        fields.push(holder_code(&credited_at(due, stop)));
    }
    fields.push("h.id".to_string());
    fields
}

/// The deadline and stop columns of the three clocks, in [`ClockKind::ALL`] order.
const CLOCK_COLUMNS: [(&str, &str); 3] = [
    ("h.ack_due_at", "h.acked_at"),
    ("h.first_touch_due_at", "h.contacted_at"),
    ("h.disposition_due_at", "h.decided_at"),
];

/// How many fields [`fact_fields`] has.
const FACT_COUNT: usize = 21;

const FACTS_FROM: &str = "FROM handoffs h
    WHERE h.mql_at >= ?1 AND h.mql_at < ?2
      AND (?4 IS NULL OR h.team = ?4)
      AND (?5 IS NULL OR h.assignee = ?5
           OR (h.previous_assignees IS NOT NULL
               AND EXISTS (SELECT 1 FROM handoff_holders x
                           WHERE x.handoff_id = h.id AND x.assignee = ?5)))";

/// A statement ending in [`FACTS_FROM`], with its parameters bound: ?1 and ?2 the window,
/// ?3 now, ?4 the team, ?5 the assignee, ?6 now in milliseconds.
fn facts_query<'q>(
    sql: String,
    window: Window,
    now: DateTime<Utc>,
    filter: HandoffFilter<'q>,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ts(window.from))
        .bind(ts(window.to))
        .bind(ts(now))
        .bind(filter.team)
        .bind(filter.assignee)
        .bind(now.timestamp_millis())
}

/// One [`HandoffFacts`] per handoff whose MQL time is in `window`, as things stand at `now`.
pub async fn handoff_facts(
    pool: &SqlitePool,
    window: Window,
    now: DateTime<Utc>,
    filter: HandoffFilter<'_>,
) -> anyhow::Result<Vec<HandoffFacts>> {
    // printf builds each row in one step; `%s` prints NULL as the empty text.
    let fields = fact_fields();
    debug_assert_eq!(fields.len(), FACT_COUNT);
    let format = vec!["%s"; FACT_COUNT].join("\u{1f}");
    let sql = format!(
        "SELECT COUNT(*), group_concat(printf('{format}', {}), char(30)) {FACTS_FROM}",
        fields.join(", ")
    );
    let row = facts_query(sql, window, now, filter)
        .fetch_one(pool)
        .await
        .context("cannot read the handoffs of the period")?;
    // The packed text is read where sqlx holds it, not copied.
    let (count, packed): (i64, Option<&str>) = (row.try_get(0)?, row.try_get(1)?);
    if let Some(facts) = unpack(packed.unwrap_or_default(), count) {
        return with_own_windows(pool, window, now, filter, facts).await;
    }
    // A name contains a separator: read the rows one by one.
    let sql = format!(
        "SELECT {} {FACTS_FROM}",
        fields
            .iter()
            .map(|f| format!("CAST({f} AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = facts_query(sql, window, now, filter)
        .fetch_all(pool)
        .await
        .context("cannot read the handoffs of the period")?;
    let facts = rows
        .iter()
        .map(|row| {
            let fields = (0..FACT_COUNT)
                .map(|i| row.try_get::<Stored, _>(i).map(Option::<String>::from))
                .collect::<Result<Vec<_>, _>>()
                .context("cannot read a handoff of the period")?;
            let fields: Vec<&str> = fields.iter().map(|f| f.as_deref().unwrap_or("")).collect();
            parse_facts(&fields, &mut Names::default())
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    with_own_windows(pool, window, now, filter, facts).await
}

/// The facts in a packed text of `count` rows, each row read straight into its facts
/// (its fields on the stack); `None` when the text is not `count` rows of
/// [`FACT_COUNT`] fields that parse, as when a name contains a separator.
fn unpack(packed: &str, count: i64) -> Option<Vec<(i64, HandoffFacts)>> {
    let mut facts = Vec::with_capacity(usize::try_from(count).ok()?);
    let mut names = Names::default();
    if count == 0 {
        return Some(facts);
    }
    for row in packed.split('\u{1e}') {
        let mut fields = [""; FACT_COUNT];
        let mut parts = row.split('\u{1f}');
        for field in &mut fields {
            *field = parts.next()?;
        }
        if parts.next().is_some() {
            return None;
        }
        facts.push(parse_facts(&fields, &mut names).ok()?);
    }
    (facts.len() as i64 == count).then_some(facts)
}

/// A holder's own windows (`on_reassign = "fresh"`), as stored on `handoff_holders`.
#[derive(Debug, sqlx::FromRow)]
struct OwnRow {
    handoff_id: i64,
    assignee: Option<String>,
    ack_due_at: Option<String>,
    first_touch_due_at: Option<String>,
    ack_s: Option<f64>,
    ack_business_s: Option<f64>,
    first_touch_s: Option<f64>,
    first_touch_business_s: Option<f64>,
    acked_at: Option<String>,
    contacted_at: Option<String>,
    /// When the holder stopped holding the handoff (the next holder's start).
    until: Option<String>,
}

/// The fields of [`OwnRow`], read [`OWN_FROM`], in its order (the last is `until`).
const OWN_FIELDS: [&str; 11] = [
    "x.handoff_id",
    "x.assignee",
    "x.ack_due_at",
    "x.first_touch_due_at",
    "x.ack_s",
    "x.ack_business_s",
    "x.first_touch_s",
    "x.first_touch_business_s",
    "h.acked_at",
    "h.contacted_at",
    "(SELECT MIN(y.since) FROM handoff_holders y WHERE y.handoff_id = x.handoff_id AND y.id > x.id)",
];

/// The own windows of the handoffs whose MQL time is in [`?1`, `?2`), of team `?3` or all.
const OWN_FROM: &str = "FROM handoff_holders x JOIN handoffs h ON h.id = x.handoff_id
    WHERE x.window_start IS NOT NULL AND x.assignee IS NOT NULL
      AND h.mql_at >= ?1 AND h.mql_at < ?2 AND (?3 IS NULL OR h.team = ?3)";

/// The floor under [`handoff_facts`], for the reports benchmark: SQLite computes every
/// field of the same rows (the handoffs and the holders' own windows) with the same
/// statements, but returns only each field's maximum, so nothing is packed, sent to Rust
/// or assembled. Returns the number of handoffs.
pub async fn handoff_facts_floor(
    pool: &SqlitePool,
    window: Window,
    now: DateTime<Utc>,
    filter: HandoffFilter<'_>,
) -> anyhow::Result<i64> {
    let max = |fields: &[&str]| {
        fields
            .iter()
            .map(|f| format!("MAX({f})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fields = fact_fields();
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let sql = format!("SELECT COUNT(*), {} {FACTS_FROM}", max(&fields));
    let row = facts_query(sql, window, now, filter)
        .fetch_one(pool)
        .await
        .context("cannot step through the handoffs of the period")?;
    let own = format!("SELECT COUNT(*), {} {OWN_FROM}", max(&OWN_FIELDS));
    sqlx::query(sqlx::AssertSqlSafe(own))
        .bind(ts(window.from))
        .bind(ts(window.to))
        .bind(filter.team)
        .fetch_one(pool)
        .await
        .context("cannot step through the holders' own SLA windows")?;
    Ok(row.try_get(0)?)
}

/// Adds to each handoff the own windows of its holders, and drops the handoff ids.
async fn with_own_windows(
    pool: &SqlitePool,
    window: Window,
    now: DateTime<Utc>,
    filter: HandoffFilter<'_>,
    facts: Vec<(i64, HandoffFacts)>,
) -> anyhow::Result<Vec<HandoffFacts>> {
    let rows: Vec<OwnRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} AS until {OWN_FROM} ORDER BY x.id",
        OWN_FIELDS.join(", ")
    )))
    .bind(ts(window.from))
    .bind(ts(window.to))
    .bind(filter.team)
    .fetch_all(pool)
    .await
    .context("cannot read the holders' own SLA windows")?;
    let mut own: HashMap<i64, Vec<OwnClock>> = HashMap::new();
    let time = |t: &Option<String>| t.as_deref().map(crate::store::parse_ts).transpose();
    for row in &rows {
        let Some(holder) = &row.assignee else {
            continue;
        };
        let clocks = [
            (
                ClockKind::Ack,
                &row.ack_due_at,
                &row.acked_at,
                row.ack_s,
                row.ack_business_s,
            ),
            (
                ClockKind::FirstTouch,
                &row.first_touch_due_at,
                &row.contacted_at,
                row.first_touch_s,
                row.first_touch_business_s,
            ),
        ];
        for (clock, due, event, wall_s, business_s) in clocks {
            let Some(due) = time(due)? else {
                continue;
            };
            let state = own_window_state(due, time(event)?, time(&row.until)?, now);
            let held = matches!(state, ClockState::Met | ClockState::Breached) && wall_s.is_some();
            own.entry(row.handoff_id).or_default().push(OwnClock {
                holder: holder.clone(),
                clock,
                facts: ClockFacts {
                    wall_s: if held { wall_s } else { None },
                    business_s: if held { business_s } else { None },
                    state,
                },
            });
        }
    }
    Ok(facts
        .into_iter()
        .map(|(id, mut f)| {
            f.own = own.remove(&id).unwrap_or_default();
            f
        })
        .collect())
}

/// The names read so far in one report's facts, each stored once.
#[derive(Default)]
struct Names<'a>(HashMap<&'a str, Name>);

impl<'a> Names<'a> {
    /// The name, shared; none for the empty text (NULL).
    fn text(&mut self, name: &'a str) -> Option<Name> {
        (!name.is_empty()).then(|| self.0.entry(name).or_insert_with(|| name.into()).clone())
    }
}

/// Reads the fields of [`fact_fields`], where the empty text stands for NULL: the
/// handoff's id and its facts (without own windows yet).
fn parse_facts<'a>(f: &[&'a str], names: &mut Names<'a>) -> anyhow::Result<(i64, HandoffFacts)> {
    let mut text = |i: usize| names.text(f[i]);
    let (reject_reason, assignee, team, campaign, source) =
        (text(1), text(3), text(4), text(5), text(6));
    let mut holder = |i: usize| -> anyhow::Result<Option<Name>> {
        match f[i] {
            "=" => Ok(assignee.clone()),
            code => match code.strip_prefix('+') {
                Some(email) => Ok(names.text(email)),
                None => bail!("unknown holder code \"{code}\""),
            },
        }
    };
    let holders = [holder(17)?, holder(18)?, holder(19)?];
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
    let id = f[20]
        .parse::<i64>()
        .with_context(|| format!("\"{}\" is not a handoff id", f[20]))?;
    let facts = HandoffFacts {
        status: Status::parse(f[0])
            .with_context(|| format!("unknown handoff status \"{}\"", f[0]))?,
        reject_reason,
        rating: match f[2] {
            "" => None,
            r => Some(r.parse().with_context(|| format!("bad rating \"{r}\""))?),
        },
        assignee,
        team,
        campaign,
        source,
        reach: match f[7] {
            "3" => Reach::Customer,
            "2" => Reach::Opportunity,
            "1" => Reach::Sql,
            _ => Reach::None,
        },
        clocks: [clock(8, 14)?, clock(10, 15)?, clock(12, 16)?],
        holders,
        own: Vec::new(),
    };
    Ok((id, facts))
}

/// One breach (a clock that ran out), for the lists of `/sla` and the digest.
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

/// Every clock that ran out before its event (or is still open past its deadline at
/// `?3`), one [`BreachRow`] each, for the holder at the deadline: the same clocks that
/// the facts count as breached, so a breach appears however Baton learned of it.
/// `conditions` select the handoffs `h` of each clock, in [`ClockKind::ALL`] order.
fn breach_rows(conditions: [&str; 3]) -> String {
    let clocks: Vec<String> = CLOCK_COLUMNS
        .iter()
        .zip(ClockKind::ALL)
        .zip(conditions)
        .map(|(((due, stop), kind), condition)| {
            format!(
                "SELECT h.id AS handoff_id, h.lead_id, COALESCE(l.name, l.external_id) AS lead,
                        '{clock}' AS clock, {holder} AS assignee, h.team, {due} AS due_at,
                        {stop} AS stopped_at
                 FROM handoffs h LEFT JOIN leads l ON l.id = h.lead_id
                 WHERE {due} IS NOT NULL AND ({condition})
                   AND (({stop} IS NOT NULL AND {stop} > {due})
                        OR ({stop} IS NULL AND {due} < ?3))",
                clock = kind.as_str(),
                holder = holder_sql(due),
            )
        })
        .collect();
    clocks.join("\nUNION ALL\n")
}

/// The own windows (`on_reassign = "fresh"`) of rep `?5` that ran out before the clock's
/// event came while they held the handoff (or before they stopped holding it, or `?3`),
/// as [`BreachRow`]s of the handoffs selected by `condition`; none without `?5`.
fn own_breach_rows(condition: &str) -> String {
    [("ack", "h.acked_at"), ("first_touch", "h.contacted_at")]
        .map(|(clock, stop)| {
            let until = "(SELECT MIN(y.since) FROM handoff_holders y
                          WHERE y.handoff_id = x.handoff_id AND y.id > x.id)";
            format!(
                "SELECT h.id AS handoff_id, h.lead_id, COALESCE(l.name, l.external_id) AS lead,
                        '{clock}' AS clock, x.assignee, h.team, x.{clock}_due_at AS due_at,
                        {stop} AS stopped_at
                 FROM handoff_holders x JOIN handoffs h ON h.id = x.handoff_id
                 LEFT JOIN leads l ON l.id = h.lead_id
                 WHERE ?5 IS NOT NULL AND x.assignee = ?5 AND x.{clock}_due_at IS NOT NULL
                   AND ({condition})
                   AND x.{clock}_due_at < COALESCE(
                       CASE WHEN {stop} IS NOT NULL AND ({until} IS NULL OR {stop} <= {until})
                            THEN {stop} END,
                       {until}, ?3)"
            )
        })
        .join("\nUNION ALL\n")
}

/// The latest `limit` breaches (by deadline) of the window's handoffs, at `now`.
pub async fn latest_breaches(
    pool: &SqlitePool,
    window: Window,
    now: DateTime<Utc>,
    filter: HandoffFilter<'_>,
    limit: u32,
) -> anyhow::Result<Vec<BreachRow>> {
    let condition = "h.mql_at >= ?1 AND h.mql_at < ?2 AND (?4 IS NULL OR h.team = ?4)";
    // A rep's list: the handoff clocks that are theirs, except where their own window
    // took the clock's place, and the own windows that ran out on them.
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM (
            SELECT * FROM ({}) b
            WHERE ?5 IS NULL
               OR (b.assignee = ?5 AND NOT EXISTS (
                       SELECT 1 FROM handoff_holders y
                       WHERE y.handoff_id = b.handoff_id AND y.assignee = ?5
                         AND ((b.clock = 'ack' AND y.ack_due_at IS NOT NULL)
                              OR (b.clock = 'first_touch' AND y.first_touch_due_at IS NOT NULL))))
            UNION ALL
            {}
         )
         ORDER BY due_at DESC, handoff_id DESC, clock DESC
         LIMIT ?6",
        breach_rows([condition; 3]),
        own_breach_rows(condition),
    )))
    .bind(ts(window.from))
    .bind(ts(window.to))
    .bind(ts(now))
    .bind(filter.team)
    .bind(filter.assignee)
    .bind(limit)
    .fetch_all(pool)
    .await
    .context("cannot list the SLA breaches")
}

/// Every breach whose deadline lies in `window` (the digest's week), as things stand at
/// `now`, of one team or all, oldest first.
pub async fn breaches_due_in(
    pool: &SqlitePool,
    window: Window,
    now: DateTime<Utc>,
    team: Option<&str>,
) -> anyhow::Result<Vec<BreachRow>> {
    let conditions = CLOCK_COLUMNS
        .map(|(due, _)| format!("{due} >= ?1 AND {due} < ?2 AND (?4 IS NULL OR h.team = ?4)"));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM ({}) ORDER BY due_at, handoff_id, clock",
        breach_rows([&conditions[0], &conditions[1], &conditions[2]])
    )))
    .bind(ts(window.from))
    .bind(ts(window.to))
    .bind(ts(now))
    .bind(team)
    .fetch_all(pool)
    .await
    .context("cannot list the breaches of the week")
}

/// A clock of an open handoff whose deadline has passed and which has not stopped.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OverdueRow {
    pub handoff_id: i64,
    pub lead_id: i64,
    /// Read whatever another writer stored there (a BLOB name is shown as stored).
    #[sqlx(try_from = "crate::domain::lead::Stored")]
    pub lead: Option<String>,
    pub clock: String,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub due_at: String,
}

/// The clocks overdue at `now` (of one team or all), most overdue first: by deadline,
/// then handoff, then clock. Driven by the open handoffs (a partial index), each with its
/// three clocks: the deadline indexes would walk every deadline in history before `now`.
/// (Packing the rows into one text, as the report facts do, measured slower here: see
/// BENCHMARKS.md.)
pub async fn overdue(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    team: Option<&str>,
) -> anyhow::Result<Vec<OverdueRow>> {
    sqlx::query_as(
        "SELECT h.id AS handoff_id, h.lead_id, COALESCE(l.name, l.external_id) AS lead,
                k.clock, h.assignee, h.team,
                CASE k.clock WHEN 'ack' THEN h.ack_due_at
                             WHEN 'first_touch' THEN h.first_touch_due_at
                             ELSE h.disposition_due_at END AS due_at
         FROM handoffs h
         CROSS JOIN (SELECT 0 AS n, 'ack' AS clock UNION ALL SELECT 1, 'first_touch'
                     UNION ALL SELECT 2, 'disposition') k
         LEFT JOIN leads l ON l.id = h.lead_id
         WHERE h.status = 'open' AND (?2 IS NULL OR h.team = ?2)
           AND CASE k.clock WHEN 'ack' THEN h.acked_at
                            WHEN 'first_touch' THEN h.contacted_at
                            ELSE h.decided_at END IS NULL
           AND due_at IS NOT NULL AND due_at < ?1
         ORDER BY due_at, h.id, k.n",
    )
    .bind(ts(now))
    .bind(team)
    .fetch_all(pool)
    .await
    .context("cannot list the overdue handoffs")
}

/// The few numbers of a window that the digest's trend shows, counted in SQL instead of
/// built from the full [`HandoffFacts`]: the same definitions (SPEC §7) as [`entries`]
/// and [`handoff_facts`] with the report's figures over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowCounts {
    /// Distinct leads that entered `mql` in the window (`entries` of `mql`, summed).
    pub mqls: u64,
    /// Handoffs whose MQL time lies in the window, accepted and rejected as they stand.
    pub accepted: u64,
    pub rejected: u64,
    /// Their ack clocks, met and breached at `now` (each handoff's own clock, from its
    /// MQL entry, as overall figures count it).
    pub ack_met: u64,
    pub ack_breached: u64,
}

/// Counts [`WindowCounts`] of `window` at `now` in one statement: the stage entries
/// through `report_entries_by_stage_at` (an entry is a lead's first in the window when
/// its previous entry is before it), the handoffs through `handoffs_by_mql_at`. The ack
/// states are those of [`fact_fields`].
pub async fn window_counts(
    pool: &SqlitePool,
    window: Window,
    now: DateTime<Utc>,
) -> anyhow::Result<WindowCounts> {
    let (mqls, accepted, rejected, met, breached): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM report_entries INDEXED BY report_entries_by_stage_at
                 WHERE stage = 'mql' AND at >= ?4 AND at < ?5
                   AND (prev_at IS NULL OR prev_at < ?4)),
                COUNT(CASE WHEN h.status = 'accepted' THEN 1 END),
                COUNT(CASE WHEN h.status = 'rejected' THEN 1 END),
                COUNT(CASE WHEN h.ack_due_at IS NOT NULL AND h.acked_at IS NOT NULL
                                AND h.acked_at <= h.ack_due_at THEN 1 END),
                COUNT(CASE WHEN h.ack_due_at IS NOT NULL
                                AND ((h.acked_at IS NOT NULL AND h.acked_at > h.ack_due_at)
                                     OR (h.acked_at IS NULL AND h.ack_due_at < ?3)) THEN 1 END)
         FROM handoffs h INDEXED BY handoffs_by_mql_at
         WHERE h.mql_at >= ?1 AND h.mql_at < ?2",
    )
    .bind(ts(window.from))
    .bind(ts(window.to))
    .bind(ts(now))
    .bind(window.from.timestamp_millis())
    .bind(window.to.timestamp_millis())
    .fetch_one(pool)
    .await
    .context("cannot count the handoffs and MQLs of a week")?;
    let count = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(WindowCounts {
        mqls: count(mqls),
        accepted: count(accepted),
        rejected: count(rejected),
        ack_met: count(met),
        ack_breached: count(breached),
    })
}
