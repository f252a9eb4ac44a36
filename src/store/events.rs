//! `lead_events`, the log of stage changes that the triggers fill, and the durable cursors
//! of Baton's loops.

use anyhow::Context;
use sqlx::{FromRow, SqliteConnection};

use crate::domain::stage::Stage;

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub lead_id: i64,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub at: String,
}

impl EventRow {
    pub fn stages(&self) -> anyhow::Result<(Option<Stage>, Stage)> {
        let from = self.from_stage.as_deref().map(str::parse).transpose()?;
        Ok((from, self.to_stage.parse()?))
    }
}

/// The events after a cursor (the primary key).
pub(crate) const AFTER: &str = "SELECT id, lead_id, from_stage, to_stage, at FROM lead_events WHERE id > ? ORDER BY id LIMIT ?";

/// Up to `limit` events after `after`, oldest first.
pub async fn after(
    conn: &mut SqliteConnection,
    after: i64,
    limit: i64,
) -> anyhow::Result<Vec<EventRow>> {
    sqlx::query_as::<_, EventRow>(AFTER)
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await
        .context("cannot read lead_events")
}

pub async fn cursor(conn: &mut SqliteConnection, name: &str) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT value FROM cursors WHERE name = ?")
        .bind(name)
        .fetch_optional(conn)
        .await
        .context("cannot read a cursor")
}

pub async fn set_cursor(conn: &mut SqliteConnection, name: &str, value: i64) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .bind(name)
        .bind(value)
        .execute(conn)
        .await
        .context("cannot save a cursor")?;
    Ok(())
}

/// The id of the newest event, 0 when there is none.
pub async fn newest_id(conn: &mut SqliteConnection) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM lead_events")
        .fetch_one(conn)
        .await
        .context("cannot read lead_events")
}

/// SQLite's `PRAGMA data_version`: changes when another connection commits.
pub async fn data_version(conn: &mut SqliteConnection) -> anyhow::Result<i64> {
    sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await
        .context("cannot read PRAGMA data_version")
}

/// The watcher's per-wake read (the primary key and the partial retry index).
pub(crate) const WATCH_STATE: &str = "SELECT (SELECT data_version FROM pragma_data_version),
            EXISTS (SELECT 1 FROM lead_events
                    WHERE id > COALESCE((SELECT value FROM cursors WHERE name = ?), 0))
            OR EXISTS (SELECT 1 FROM quarantined_events WHERE retry_requested_at IS NOT NULL)";

/// In one statement: `PRAGMA data_version` and whether the intake has work (an event after
/// the cursor `cursor`, or a parked event someone asked to retry). Both reads use indexes,
/// so the answer costs the same at any history.
pub async fn watch_state(conn: &mut SqliteConnection, cursor: &str) -> anyhow::Result<(i64, bool)> {
    sqlx::query_as(WATCH_STATE)
        .bind(cursor)
        .fetch_one(conn)
        .await
        .context("cannot read PRAGMA data_version and the pending events")
}

/// Ranges of event ids whose handoffs get no alert (history imports) that end after `after`.
pub async fn quiet_ranges(
    conn: &mut SqliteConnection,
    after: i64,
) -> anyhow::Result<Vec<(i64, i64)>> {
    sqlx::query_as("SELECT first_id, last_id FROM quiet_events WHERE last_id > ?")
        .bind(after)
        .fetch_all(conn)
        .await
        .context("cannot read quiet_events")
}

pub async fn add_quiet_range(
    conn: &mut SqliteConnection,
    first: i64,
    last: i64,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO quiet_events (first_id, last_id) VALUES (?, ?)")
        .bind(first)
        .bind(last)
        .execute(conn)
        .await
        .context("cannot record the imported history")?;
    Ok(())
}
