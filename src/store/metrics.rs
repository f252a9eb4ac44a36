//! The gauges `/metrics` reads from the database at scrape time.

use anyhow::Context;
use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, Copy, FromRow)]
pub struct Gauges {
    /// Messages pending or being sent.
    pub queued: i64,
    /// Messages given up after too many attempts.
    pub dead: i64,
    pub handoffs_open: i64,
    pub breaches: i64,
}

/// Each count walks a partial index (`outbox_dead` is migration 0014), so a scrape costs
/// the same at any history.
pub(crate) const GAUGES: &str =
    "SELECT (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS queued,
            (SELECT COUNT(*) FROM outbox WHERE status = 'dead') AS dead,
            (SELECT COUNT(*) FROM handoffs WHERE status = 'open') AS handoffs_open,
            (SELECT COUNT(*) FROM sla_breaches) AS breaches";

pub async fn gauges(pool: &SqlitePool) -> anyhow::Result<Gauges> {
    sqlx::query_as(GAUGES)
        .fetch_one(pool)
        .await
        .context("cannot read the metrics gauges")
}

/// The watcher's backlog (the primary key of `lead_events`).
pub(crate) const BACKLOG: &str = "SELECT COUNT(*),
            (SELECT at FROM lead_events
             WHERE id > (SELECT COALESCE(MAX(value), 0) FROM cursors WHERE name = ?1)
             ORDER BY id LIMIT 1)
     FROM lead_events
     WHERE id > (SELECT COALESCE(MAX(value), 0) FROM cursors WHERE name = ?1)";

/// The stage changes after `cursor` that the watcher has not processed: how many, and the
/// stamp of the oldest.
pub async fn backlog(pool: &SqlitePool, cursor: &str) -> anyhow::Result<(i64, Option<String>)> {
    sqlx::query_as(BACKLOG)
        .bind(cursor)
        .fetch_one(pool)
        .await
        .context("cannot read the watcher's backlog")
}

/// The due messages per platform (the partial index `outbox_pending_due`).
pub(crate) const OUTBOX_DUE: &str = "SELECT platform, COUNT(*), MIN(next_attempt_at) FROM outbox
     WHERE status = 'pending' AND next_attempt_at <= ?
     GROUP BY platform";

/// Per platform, the messages due at `now` and the earliest time one of them fell due.
pub async fn outbox_due(
    pool: &SqlitePool,
    now: &str,
) -> anyhow::Result<Vec<(String, i64, String)>> {
    sqlx::query_as(OUTBOX_DUE)
        .bind(now)
        .fetch_all(pool)
        .await
        .context("cannot read the due messages")
}
