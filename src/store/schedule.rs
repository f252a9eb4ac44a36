//! When each timed job last ran (`schedule_runs`), and the clocks that are overdue now
//! (for the digest).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

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
