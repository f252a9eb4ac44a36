//! `sla_snoozes` (migration 0012) and the reminder timers a snooze puts off. A snooze
//! moves the pending reminders of one clock that fall due before its end to that end
//! (several become one), under the handoff's current fence; breach timers never move.

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::domain::sla::ClockKind;

/// The earliest pending reminder of each clock of a handoff under `fence`, earliest first.
pub async fn next_reminders(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    fence: i64,
) -> anyhow::Result<Vec<(ClockKind, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT clock, MIN(due_at) AS due FROM sla_timers
         WHERE handoff_id = ? AND fence = ? AND kind = 'remind' AND status = 'pending'
         GROUP BY clock ORDER BY due",
    )
    .bind(handoff_id)
    .bind(fence)
    .fetch_all(conn)
    .await
    .context("cannot read a handoff's reminders")?;
    rows.into_iter()
        .map(|(clock, due)| Ok((clock.parse().map_err(anyhow::Error::msg)?, due)))
        .collect()
}

/// Until when `clock` of the handoff was snoozed under `fence`, if it was.
pub async fn snoozed_until(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    fence: i64,
    clock: ClockKind,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT until FROM sla_snoozes WHERE handoff_id = ? AND fence = ? AND clock = ?",
    )
    .bind(handoff_id)
    .bind(fence)
    .bind(clock.as_str())
    .fetch_optional(conn)
    .await
    .context("cannot read a handoff's snoozes")
}

/// What a snooze records.
#[derive(Debug, Clone)]
pub struct Snooze<'a> {
    pub handoff_id: i64,
    pub fence: i64,
    pub clock: ClockKind,
    pub by: &'a str,
    pub at: &'a str,
    pub until: &'a str,
}

/// Records the snooze and puts off the clock's reminders due before its end to its end
/// (one reminder, not a pile). Returns false, changing nothing, when the clock was
/// snoozed already under this fence.
pub async fn snooze(conn: &mut SqliteConnection, s: &Snooze<'_>) -> anyhow::Result<bool> {
    let recorded = sqlx::query(
        "INSERT INTO sla_snoozes (handoff_id, fence, clock, snoozed_by, snoozed_at, until)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (handoff_id, fence, clock) DO NOTHING",
    )
    .bind(s.handoff_id)
    .bind(s.fence)
    .bind(s.clock.as_str())
    .bind(s.by)
    .bind(s.at)
    .bind(s.until)
    .execute(&mut *conn)
    .await
    .context("cannot record a snooze")?;
    if recorded.rows_affected() == 0 {
        return Ok(false);
    }
    const BEFORE: &str = "handoff_id = ? AND fence = ? AND clock = ? AND kind = 'remind'
                          AND status = 'pending' AND due_at < ?";
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE sla_timers SET status = 'dropped' WHERE {BEFORE}
         AND id <> (SELECT id FROM sla_timers WHERE {BEFORE} ORDER BY due_at DESC, id DESC LIMIT 1)"
    )))
    .bind(s.handoff_id)
    .bind(s.fence)
    .bind(s.clock.as_str())
    .bind(s.until)
    .bind(s.handoff_id)
    .bind(s.fence)
    .bind(s.clock.as_str())
    .bind(s.until)
    .execute(&mut *conn)
    .await
    .context("cannot merge snoozed reminders")?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE sla_timers SET due_at = ? WHERE {BEFORE}"
    )))
    .bind(s.until)
    .bind(s.handoff_id)
    .bind(s.fence)
    .bind(s.clock.as_str())
    .bind(s.until)
    .execute(&mut *conn)
    .await
    .context("cannot put off a reminder")?;
    Ok(true)
}
