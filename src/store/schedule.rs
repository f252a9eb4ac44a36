//! When each timed job last ran (`schedule_runs`).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

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
