//! `handoffs` (one per entry of a lead into `mql`) and `handoff_log`, their history.

use std::collections::HashMap;

use anyhow::Context;
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::domain::report::Status;

#[derive(Debug, Clone, PartialEq, FromRow, Serialize)]
pub struct Handoff {
    pub id: i64,
    pub lead_id: i64,
    pub event_id: i64,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub why: String,
    pub route_reason: String,
    pub mql_at: String,
    pub opened_at: String,
    pub silent: bool,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub acked_at: Option<String>,
    pub acked_by: Option<String>,
    pub contacted_at: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub reject_reason: Option<String>,
    pub rating: Option<i64>,
    pub note: Option<String>,
    pub sla_policy: Option<String>,
    pub sla_calendar: Option<String>,
    pub sla_start: Option<String>,
    pub ack_due_at: Option<String>,
    pub first_touch_due_at: Option<String>,
    pub disposition_due_at: Option<String>,
    pub fence: i64,
    pub previous_assignees: Option<String>,
    /// How many times the SLA loop reassigned it after a breach (`max_reassign`).
    pub breach_reassigns: i64,
}

impl Handoff {
    /// The stored deadline of a clock.
    pub fn due_at(&self, clock: crate::domain::sla::ClockKind) -> Option<&str> {
        use crate::domain::sla::ClockKind;
        match clock {
            ClockKind::Ack => self.ack_due_at.as_deref(),
            ClockKind::FirstTouch => self.first_touch_due_at.as_deref(),
            ClockKind::Disposition => self.disposition_due_at.as_deref(),
        }
    }

    /// When a clock stopped, if it has.
    pub fn stopped_at(&self, clock: crate::domain::sla::ClockKind) -> Option<&str> {
        use crate::domain::sla::ClockKind;
        match clock {
            ClockKind::Ack => self.acked_at.as_deref(),
            ClockKind::FirstTouch => self.contacted_at.as_deref(),
            ClockKind::Disposition => self.decided_at.as_deref(),
        }
    }
}

/// What is needed to open a handoff.
#[derive(Debug, Clone)]
pub struct NewHandoff<'a> {
    pub lead_id: i64,
    pub event_id: i64,
    pub assignee: Option<&'a str>,
    pub team: Option<&'a str>,
    pub why: &'a str,
    pub route_reason: &'a str,
    pub mql_at: &'a str,
    pub opened_at: &'a str,
    pub silent: bool,
    /// The SLA policy, its calendar and start, and the three deadlines, when one applies.
    pub sla: Option<NewSla<'a>>,
}

#[derive(Debug, Clone)]
pub struct NewSla<'a> {
    pub policy: &'a str,
    pub calendar: Option<&'a str>,
    pub start: String,
    pub deadlines: [String; 3],
}

const COLUMNS: &str = "id, lead_id, event_id, assignee, team, why, route_reason, mql_at, opened_at, silent, status,
    acked_at, acked_by, contacted_at, decided_at, decided_by, reject_reason, rating, note,
    sla_policy, sla_calendar, sla_start, ack_due_at, first_touch_due_at, disposition_due_at, fence, previous_assignees, breach_reassigns";

pub async fn insert(conn: &mut SqliteConnection, h: &NewHandoff<'_>) -> anyhow::Result<i64> {
    let sla = h.sla.as_ref();
    let due = |i: usize| sla.map(|s| s.deadlines[i].as_str());
    sqlx::query_scalar(
        "INSERT INTO handoffs (lead_id, event_id, assignee, team, why, route_reason, mql_at, opened_at, silent,
                               sla_policy, sla_calendar, sla_start, ack_due_at, first_touch_due_at, disposition_due_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(h.lead_id)
    .bind(h.event_id)
    .bind(h.assignee)
    .bind(h.team)
    .bind(h.why)
    .bind(h.route_reason)
    .bind(h.mql_at)
    .bind(h.opened_at)
    .bind(h.silent)
    .bind(sla.map(|s| s.policy))
    .bind(sla.and_then(|s| s.calendar))
    .bind(sla.map(|s| s.start.as_str()))
    .bind(due(0))
    .bind(due(1))
    .bind(due(2))
    .fetch_one(conn)
    .await
    .context("cannot open a handoff")
}

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Option<Handoff>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
    .context("cannot read a handoff")
}

/// The lead's open handoff, if any.
pub async fn open_for_lead(
    conn: &mut SqliteConnection,
    lead_id: i64,
) -> anyhow::Result<Option<Handoff>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE lead_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1"
    )))
    .bind(lead_id)
    .fetch_optional(conn)
    .await
    .context("cannot read the lead's handoff")
}

/// Every handoff of a lead, oldest first.
pub async fn for_lead(conn: &mut SqliteConnection, lead_id: i64) -> anyhow::Result<Vec<Handoff>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE lead_id = ? ORDER BY id"
    )))
    .bind(lead_id)
    .fetch_all(conn)
    .await
    .context("cannot read the lead's handoffs")
}

/// Open handoffs per assignee, for `max_open` caps.
pub async fn open_counts(conn: &mut SqliteConnection) -> anyhow::Result<HashMap<String, u32>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT assignee, COUNT(*) FROM handoffs WHERE status = 'open' AND assignee IS NOT NULL GROUP BY assignee",
    )
    .fetch_all(conn)
    .await
    .context("cannot count open handoffs")?;
    Ok(rows.into_iter().map(|(who, n)| (who, n as u32)).collect())
}

/// Stops the ack clock (once). Returns false when it was already stopped.
pub async fn ack(conn: &mut SqliteConnection, id: i64, at: &str, by: &str) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE handoffs SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(id)
    .execute(conn)
    .await
    .context("cannot acknowledge the handoff")?;
    Ok(done.rows_affected() == 1)
}

/// Records the decision on an open handoff and stops the earlier clocks at the same moment.
pub async fn decide(
    conn: &mut SqliteConnection,
    id: i64,
    status: &str,
    at: &str,
    by: Option<&str>,
    reject_reason: Option<&str>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE handoffs SET status = ?, decided_at = ?, decided_by = ?, reject_reason = ?,
                acked_at = COALESCE(acked_at, ?), acked_by = COALESCE(acked_by, ?),
                contacted_at = COALESCE(contacted_at, ?)
         WHERE id = ? AND status = 'open'",
    )
    .bind(status)
    .bind(at)
    .bind(by)
    .bind(reject_reason)
    .bind(at)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(conn)
    .await
    .context("cannot record the handoff's outcome")?;
    Ok(done.rows_affected() == 1)
}

pub async fn log(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    at: &str,
    actor: Option<&str>,
    what: &str,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO handoff_log (handoff_id, at, actor, what) VALUES (?, ?, ?, ?)")
        .bind(handoff_id)
        .bind(at)
        .bind(actor)
        .bind(what)
        .execute(conn)
        .await
        .context("cannot write the handoff log")?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct LogEntry {
    pub at: String,
    pub actor: Option<String>,
    pub what: String,
}

pub async fn history(
    conn: &mut SqliteConnection,
    handoff_id: i64,
) -> anyhow::Result<Vec<LogEntry>> {
    sqlx::query_as("SELECT at, actor, what FROM handoff_log WHERE handoff_id = ? ORDER BY id")
        .bind(handoff_id)
        .fetch_all(conn)
        .await
        .context("cannot read the handoff log")
}

/// Stops the first-touch clock (and the ack clock if still running). Returns false when
/// contact was already recorded.
pub async fn contacted(
    conn: &mut SqliteConnection,
    id: i64,
    at: &str,
    by: &str,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE handoffs SET contacted_at = ?1, acked_at = COALESCE(acked_at, ?1), acked_by = COALESCE(acked_by, ?2)
         WHERE id = ?3 AND contacted_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(id)
    .execute(conn)
    .await
    .context("cannot record the contact")?;
    Ok(done.rows_affected() == 1)
}

pub async fn rate(
    conn: &mut SqliteConnection,
    id: i64,
    stars: u8,
    note: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE handoffs SET rating = ?, note = COALESCE(?, note) WHERE id = ?")
        .bind(i64::from(stars))
        .bind(note)
        .bind(id)
        .execute(conn)
        .await
        .context("cannot record the rating")?;
    Ok(())
}

pub async fn set_note(conn: &mut SqliteConnection, id: i64, note: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE handoffs SET note = ? WHERE id = ?")
        .bind(note)
        .bind(id)
        .execute(conn)
        .await
        .context("cannot record the note")?;
    Ok(())
}

/// The newest handoff of a lead, open ones first.
pub async fn current_for_lead(
    conn: &mut SqliteConnection,
    lead_id: i64,
) -> anyhow::Result<Option<Handoff>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE lead_id = ? ORDER BY status = 'open' DESC, id DESC LIMIT 1"
    )))
    .bind(lead_id)
    .fetch_optional(conn)
    .await
    .context("cannot read the lead's handoff")
}

/// Open handoffs assigned to `email`, oldest first.
pub async fn open_for_assignee(
    conn: &mut SqliteConnection,
    email: &str,
) -> anyhow::Result<Vec<Handoff>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE assignee = ? AND status = 'open' ORDER BY id"
    )))
    .bind(email)
    .fetch_all(conn)
    .await
    .context("cannot read open handoffs")
}

/// Counts one more reassignment after a breach (the cascade `max_reassign` caps).
pub async fn count_breach_reassign(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE handoffs SET breach_reassigns = breach_reassigns + 1 WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await
        .context("cannot count the reassignment")?;
    Ok(())
}

/// Records that `assignee` handed the handoff back; false when they already did.
pub async fn record_handback(
    conn: &mut SqliteConnection,
    id: i64,
    assignee: &str,
    at: &str,
    reason: Option<&str>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO handoff_handbacks (handoff_id, assignee, at, reason) VALUES (?, ?, ?, ?)
         ON CONFLICT (handoff_id, assignee) DO NOTHING",
    )
    .bind(id)
    .bind(assignee)
    .bind(at)
    .bind(reason)
    .execute(conn)
    .await
    .context("cannot record the hand-back")?;
    Ok(done.rows_affected() == 1)
}

/// When `assignee` handed the handoff back, if they did.
pub async fn handed_back_at(
    conn: &mut SqliteConnection,
    id: i64,
    assignee: &str,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("SELECT at FROM handoff_handbacks WHERE handoff_id = ? AND assignee = ?")
        .bind(id)
        .bind(assignee)
        .fetch_optional(conn)
        .await
        .context("cannot read the hand-backs")
}
