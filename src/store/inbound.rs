//! The `inbound_deliveries` table: ids of chat deliveries already handled (Discord
//! interactions, Slack triggers, events and Socket Mode envelopes), so a replay or a retry
//! is recognised after a restart too. Rows older than [`KEEP_HOURS`] are pruned as new
//! ones are written.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use sqlx::SqliteConnection;

use super::ts;

/// How long a delivery id is remembered: longer than any platform retries or accepts a
/// signature (Discord five minutes, Slack about an hour).
pub const KEEP_HOURS: i64 = 24;

/// Records that `platform` delivered `id` at `now`. True the first time; false for a
/// delivery already recorded (a replay or a retry), which must not be run again.
pub async fn first_delivery(
    conn: &mut SqliteConnection,
    platform: &str,
    id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let cutoff = ts(now - Duration::hours(KEEP_HOURS));
    sqlx::query("DELETE FROM inbound_deliveries WHERE received_at < ?")
        .bind(&cutoff)
        .execute(&mut *conn)
        .await
        .context("cannot prune inbound_deliveries")?;
    let inserted = sqlx::query(
        "INSERT INTO inbound_deliveries (platform, delivery_id, received_at) VALUES (?, ?, ?)
         ON CONFLICT (platform, delivery_id) DO NOTHING",
    )
    .bind(platform)
    .bind(id)
    .bind(ts(now))
    .execute(conn)
    .await
    .context("cannot write inbound_deliveries")?;
    Ok(inserted.rows_affected() == 1)
}
