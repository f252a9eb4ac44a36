//! When each timed job last ran (`schedule_runs`), and the clocks that are overdue now
//! (for the digest).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::domain::lead::Stored;
use crate::store::{parse_ts, ts};

/// The latest time `job` ran (or was first seen), if Baton knows the job.
pub async fn last_run(
    conn: &mut SqliteConnection,
    job: &str,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<String> = sqlx::query_scalar("SELECT last_at FROM schedule_runs WHERE job = ?")
        .bind(job)
        .fetch_optional(conn)
        .await
        .context("cannot read when a timed job last ran")?;
    at.as_deref().map(parse_ts).transpose()
}

/// Records that `job` ran for its time `at` (or was first seen at `at`).
pub async fn set_last_run(
    conn: &mut SqliteConnection,
    job: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO schedule_runs (job, last_at) VALUES (?, ?)
         ON CONFLICT (job) DO UPDATE SET last_at = excluded.last_at",
    )
    .bind(job)
    .bind(ts(at))
    .execute(conn)
    .await
    .context("cannot record that a timed job ran")?;
    Ok(())
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

/// The clocks, in [`crate::domain::sla::ClockKind::ALL`] order, with their deadline and
/// stop columns.
const CLOCKS: [(&str, &str, &str); 3] = [
    ("ack", "h.ack_due_at", "h.acked_at"),
    ("first_touch", "h.first_touch_due_at", "h.contacted_at"),
    ("disposition", "h.disposition_due_at", "h.decided_at"),
];

/// The clocks overdue at `now` (of one team or all), most overdue first: by deadline,
/// then handoff, then clock.
///
/// Driven by the open handoffs (a partial index), each read once with its lead: the
/// deadline indexes would walk every deadline in history before `now`. On a large
/// database this list has tens of thousands of rows, so it comes back from SQLite as one
/// packed text, one row per handoff with its overdue deadlines, as the report facts do
/// (sqlx's cost per row is several microseconds); the rows are expanded and sorted here.
/// When a field holds a separator or a lead's name is not text, it is read row by row.
pub async fn overdue(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    team: Option<&str>,
) -> anyhow::Result<Vec<OverdueRow>> {
    match overdue_packed(pool, now, team).await? {
        Some(rows) => Ok(rows),
        None => overdue_by_row(pool, now, team).await,
    }
}

/// A text field, packed: `+` and the text, the empty text for NULL, `?` for a value that
/// is not text (read row by row instead, so it is shown exactly as it is stored).
fn packed_text(x: &str) -> String {
    format!("CASE WHEN {x} IS NULL THEN '' WHEN typeof({x}) = 'text' THEN '+' || {x} ELSE '?' END")
}

/// The open handoffs with an overdue clock (`?1` is now, `?2` the team or NULL).
const OVERDUE_FROM: &str = "FROM handoffs h LEFT JOIN leads l ON l.id = h.lead_id
    WHERE h.status = 'open' AND (?2 IS NULL OR h.team = ?2)";

/// [`overdue`] from one packed text; `None` when it has to be read row by row.
async fn overdue_packed(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    team: Option<&str>,
) -> anyhow::Result<Option<Vec<OverdueRow>>> {
    // `||` keeps every byte of a text (printf's `%s` would stop at a NUL).
    let mut fields = vec![
        "h.id".to_string(),
        "h.lead_id".to_string(),
        packed_text("COALESCE(l.name, l.external_id)"),
        packed_text("h.assignee"),
        packed_text("h.team"),
    ];
    let mut any = Vec::new();
    for (_, due, stop) in CLOCKS {
        let overdue = format!("{stop} IS NULL AND {due} < ?1");
        fields.push(format!("CASE WHEN {overdue} THEN {due} ELSE '' END"));
        any.push(format!("({overdue})"));
    }
    let sql = format!(
        "SELECT COUNT(*), group_concat({}, char(30)) {OVERDUE_FROM} AND ({})",
        fields.join(" || char(31) || "),
        any.join(" OR ")
    );
    let (count, packed): (i64, Stored) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(ts(now))
        .bind(team)
        .fetch_one(pool)
        .await
        .context("cannot list the overdue handoffs")?;
    let packed = match packed {
        Stored::Text(text) => text,
        Stored::Null => String::new(),
        // Not UTF-8 somewhere: shown as stored, row by row.
        _ => return Ok(None),
    };
    let rows: Vec<&str> = if count == 0 {
        Vec::new()
    } else {
        packed.split('\u{1e}').collect()
    };
    if rows.len() as i64 != count {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(rows.len() * 2);
    for row in rows {
        let f: Vec<&str> = row.split('\u{1f}').collect();
        let [id, lead_id, lead, assignee, team, dues @ ..] = f.as_slice() else {
            return Ok(None);
        };
        if dues.len() != CLOCKS.len() {
            return Ok(None);
        }
        let text = |code: &str| match code {
            "" => Some(None),
            code => code.strip_prefix('+').map(|t| Some(t.to_string())),
        };
        let (Some(lead), Some(assignee), Some(team)) = (text(lead), text(assignee), text(team))
        else {
            return Ok(None);
        };
        let handoff_id: i64 = id
            .parse()
            .with_context(|| format!("\"{id}\" is not a handoff id"))?;
        let lead_id: i64 = lead_id
            .parse()
            .with_context(|| format!("\"{lead_id}\" is not a lead id"))?;
        for ((clock, _, _), due) in CLOCKS.iter().zip(dues) {
            if due.is_empty() {
                continue;
            }
            out.push(OverdueRow {
                handoff_id,
                lead_id,
                lead: lead.clone(),
                clock: (*clock).to_string(),
                assignee: assignee.clone(),
                team: team.clone(),
                due_at: (*due).to_string(),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.due_at.as_str(), a.handoff_id, clock_rank(&a.clock)).cmp(&(
            b.due_at.as_str(),
            b.handoff_id,
            clock_rank(&b.clock),
        ))
    });
    Ok(Some(out))
}

fn clock_rank(clock: &str) -> usize {
    CLOCKS
        .iter()
        .position(|(c, _, _)| *c == clock)
        .unwrap_or(CLOCKS.len())
}

/// [`overdue`] one row per clock, each value decoded as stored.
pub async fn overdue_by_row(
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

/// When every known job last ran.
pub async fn all_runs(
    conn: &mut SqliteConnection,
) -> anyhow::Result<std::collections::HashMap<String, DateTime<Utc>>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT job, last_at FROM schedule_runs")
        .fetch_all(conn)
        .await
        .context("cannot read when the timed jobs last ran")?;
    rows.into_iter()
        .map(|(job, at)| Ok((job, parse_ts(&at)?)))
        .collect()
}
