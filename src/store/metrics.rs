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

pub async fn gauges(pool: &SqlitePool) -> anyhow::Result<Gauges> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS queued,
                (SELECT COUNT(*) FROM outbox WHERE status = 'dead') AS dead,
                (SELECT COUNT(*) FROM handoffs WHERE status = 'open') AS handoffs_open,
                (SELECT COUNT(*) FROM sla_breaches) AS breaches",
    )
    .fetch_one(pool)
    .await
    .context("cannot read the metrics gauges")
}
