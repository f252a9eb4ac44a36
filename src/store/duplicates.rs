//! Duplicate MQLs (`handoff_duplicates`, migration 0013): the open handoff of a person by
//! email, the MQL entries attached to it, and their count for reports.

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::domain::period::Window;
use crate::store::ts;

/// An open handoff another MQL may be attached to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenFor {
    pub handoff_id: i64,
    pub lead_id: i64,
    pub assignee: Option<String>,
    pub silent: bool,
}

/// An open handoff of the same email (`leads_by_lower_email`).
pub(crate) const OPEN_FOR_EMAIL: &str = "SELECT h.id AS handoff_id, h.lead_id, h.assignee, h.silent
     FROM leads l JOIN handoffs h ON h.lead_id = l.id
     WHERE lower(l.email) = lower(?) AND l.id <> ? AND h.status = 'open' AND h.opened_at >= ?
     ORDER BY h.id DESC LIMIT 1";

/// The newest open handoff, opened at or after `since`, of a lead other than `lead_id`
/// whose email is `email` (compared lower-cased).
pub async fn open_for_email(
    conn: &mut SqliteConnection,
    email: &str,
    lead_id: i64,
    since: &str,
) -> anyhow::Result<Option<OpenFor>> {
    sqlx::query_as(OPEN_FOR_EMAIL)
        .bind(email.trim())
        .bind(lead_id)
        .bind(since)
        .fetch_optional(conn)
        .await
        .context("cannot look for an open handoff of the same email")
}

/// Open handoffs of a batch's emails (`leads_by_lower_email`).
pub(crate) const OPEN_EMAILS: &str = "SELECT DISTINCT lower(l.email), l.id
     FROM leads l JOIN handoffs h ON h.lead_id = l.id
     WHERE lower(l.email) IN (SELECT value FROM json_each(?)) AND h.status = 'open'
       AND h.opened_at >= ?";

/// For each of `emails` (lower-cased as SQLite's `lower` does, ASCII only), the leads with
/// that email whose handoff is open and was opened at or after `since`: the pairs
/// `(email, lead)` that [`open_for_email`] would find.
pub async fn open_emails(
    conn: &mut SqliteConnection,
    emails: &[String],
    since: &str,
) -> anyhow::Result<std::collections::HashSet<(String, i64)>> {
    if emails.is_empty() {
        return Ok(Default::default());
    }
    let list = serde_json::to_string(emails).context("cannot list emails")?;
    let rows: Vec<(String, i64)> = sqlx::query_as(OPEN_EMAILS)
        .bind(list)
        .bind(since)
        .fetch_all(conn)
        .await
        .context("cannot look for open handoffs of the same emails")?;
    Ok(rows.into_iter().collect())
}

/// Attaches MQL entry `event_id` of `lead_id` to `handoff_id`.
#[allow(clippy::too_many_arguments)]
pub async fn attach(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    lead_id: i64,
    event_id: i64,
    at: &str,
    source: Option<&str>,
    campaign: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO handoff_duplicates (handoff_id, lead_id, event_id, at, source, campaign)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(handoff_id)
    .bind(lead_id)
    .bind(event_id)
    .bind(at)
    .bind(source)
    .bind(campaign)
    .execute(conn)
    .await
    .with_context(|| format!("cannot attach lead {lead_id} to handoff {handoff_id}"))?;
    Ok(())
}

/// The handoffs a lead's MQL entries were attached to, oldest first.
pub async fn attached_to(
    conn: &mut SqliteConnection,
    lead_id: i64,
) -> anyhow::Result<Vec<(i64, i64, String)>> {
    sqlx::query_as(
        "SELECT d.handoff_id, h.lead_id, d.at FROM handoff_duplicates d
         JOIN handoffs h ON h.id = d.handoff_id WHERE d.lead_id = ? ORDER BY d.id",
    )
    .bind(lead_id)
    .fetch_all(conn)
    .await
    .context("cannot read the lead's attached handoffs")
}

/// Duplicates attached to the handoffs whose MQL time is in `window` (as the reports count
/// handoffs).
pub async fn count(pool: &sqlx::SqlitePool, window: Window) -> anyhow::Result<u64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM handoff_duplicates d JOIN handoffs h ON h.id = d.handoff_id
         WHERE h.mql_at >= ? AND h.mql_at < ?",
    )
    .bind(ts(window.from))
    .bind(ts(window.to))
    .fetch_one(pool)
    .await
    .context("cannot count duplicate MQLs")?;
    Ok(n as u64)
}
