//! `quarantined_events`: stage changes the watcher could not process after several tries,
//! parked so that the events after them go on (SPEC §1 `baton events`). A parked event
//! stays in `lead_events`; retrying it means the watcher reads it again by its id.

use anyhow::Context;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use super::events::EventRow;

/// One parked event, for `baton events quarantined` and `/healthz`.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Quarantined {
    pub event_id: i64,
    pub lead_id: i64,
    pub error: String,
    pub attempts: i64,
    pub parked_at: String,
    pub last_failed_at: String,
    pub retry_requested_at: Option<String>,
}

/// Parks `event` with the error of its last try. Returns false if it was parked already.
pub async fn park(
    conn: &mut SqliteConnection,
    event: &EventRow,
    error: &str,
    attempts: u32,
    now: &str,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO quarantined_events (event_id, lead_id, error, attempts, parked_at, last_failed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event.id)
    .bind(event.lead_id)
    .bind(error)
    .bind(i64::from(attempts))
    .bind(now)
    .execute(conn)
    .await
    .context("cannot park an event in quarantine")?;
    Ok(done.rows_affected() == 1)
}

/// The parked events someone asked to retry, in event order. Ordered by the parked row's
/// id (the same number), so SQLite walks the small partial index and looks each event up,
/// instead of walking all of `lead_events` in id order to avoid a sort: that took 40 ms a
/// pass at 1M events.
pub(crate) const REQUESTED: &str = "SELECT e.id, e.lead_id, e.from_stage, e.to_stage, e.at
     FROM quarantined_events q JOIN lead_events e ON e.id = q.event_id
     WHERE q.retry_requested_at IS NOT NULL
     ORDER BY q.event_id";

/// The parked events someone asked to retry, oldest first, as the watcher reads events.
pub async fn requested(conn: &mut SqliteConnection) -> anyhow::Result<Vec<EventRow>> {
    sqlx::query_as(REQUESTED)
        .fetch_all(conn)
        .await
        .context("cannot read the events to retry")
}

/// A retried event failed again: it stays parked with the new error, until asked again.
pub async fn failed_again(
    conn: &mut SqliteConnection,
    event_id: i64,
    error: &str,
    now: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE quarantined_events
         SET error = ?2, attempts = attempts + 1, last_failed_at = ?3, retry_requested_at = NULL
         WHERE event_id = ?1",
    )
    .bind(event_id)
    .bind(error)
    .bind(now)
    .execute(conn)
    .await
    .context("cannot update a parked event")?;
    Ok(())
}

/// A retried event was processed: it leaves the quarantine.
pub async fn release(conn: &mut SqliteConnection, event_id: i64) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM quarantined_events WHERE event_id = ?")
        .bind(event_id)
        .execute(conn)
        .await
        .context("cannot take an event out of quarantine")?;
    Ok(())
}

/// Asks the watcher to retry one parked event, or all (`None`). Returns how many.
pub async fn request_retry(
    conn: &mut SqliteConnection,
    event_id: Option<i64>,
    now: &str,
) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE quarantined_events SET retry_requested_at = ?1
         WHERE ?2 IS NULL OR event_id = ?2",
    )
    .bind(now)
    .bind(event_id)
    .execute(conn)
    .await
    .context("cannot ask for a retry")?;
    Ok(done.rows_affected())
}

/// Every parked event, oldest first (at most `limit`).
pub async fn list(pool: &SqlitePool, limit: i64) -> anyhow::Result<Vec<Quarantined>> {
    sqlx::query_as(
        "SELECT event_id, lead_id, error, attempts, parked_at, last_failed_at, retry_requested_at
         FROM quarantined_events ORDER BY event_id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
    .context("cannot list the quarantined events")
}

/// How many events are parked.
pub async fn count(pool: &SqlitePool) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM quarantined_events")
        .fetch_one(pool)
        .await
        .context("cannot count the quarantined events")
}
