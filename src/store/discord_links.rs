//! The `discord_links` table: Discord accounts linked to Baton people who have no
//! `discord_id` in the config. `/baton link EMAIL` writes a pending link; the person's team
//! manager or an admin confirms it with `/baton confirm @user`. Only confirmed links count.
//! Every request and confirmation is also written to `discord_link_log`, the audit trail.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::parse_ts;

/// The email a Discord user is confirmed as, if any.
pub async fn confirmed_email(
    conn: &mut SqliteConnection,
    discord_user_id: &str,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT email FROM discord_links WHERE discord_user_id = ? AND status = 'confirmed'",
    )
    .bind(discord_user_id)
    .fetch_optional(conn)
    .await
    .context("cannot read discord_links")
}

/// The Discord user confirmed for an email, if any.
pub async fn confirmed_user(
    conn: &mut SqliteConnection,
    email: &str,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT discord_user_id FROM discord_links WHERE email = ? AND status = 'confirmed'",
    )
    .bind(email)
    .fetch_optional(conn)
    .await
    .context("cannot read discord_links")
}

/// The email a Discord user asked to be linked to and that still waits for confirmation.
pub async fn pending_email(
    conn: &mut SqliteConnection,
    discord_user_id: &str,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT email FROM discord_links WHERE discord_user_id = ? AND status = 'pending'",
    )
    .bind(discord_user_id)
    .fetch_optional(conn)
    .await
    .context("cannot read discord_links")
}

/// Records a request to link `discord_user_id` to `email`, replacing any earlier link of
/// that user.
pub async fn request(
    conn: &mut SqliteConnection,
    discord_user_id: &str,
    email: &str,
    now: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO discord_links (discord_user_id, email, status, requested_at)
         VALUES (?1, ?2, 'pending', ?3)
         ON CONFLICT (discord_user_id) DO UPDATE SET email = ?2, status = 'pending',
             requested_at = ?3, confirmed_by = NULL, confirmed_at = NULL",
    )
    .bind(discord_user_id)
    .bind(email)
    .bind(now)
    .execute(&mut *conn)
    .await
    .context("cannot write discord_links")?;
    log(
        conn,
        discord_user_id,
        email,
        LinkAction::Requested,
        None,
        now,
    )
    .await
}

/// Confirms a pending link; an older confirmed link of the same email is removed. Run it
/// in a transaction.
pub async fn confirm(
    conn: &mut SqliteConnection,
    discord_user_id: &str,
    email: &str,
    by: &str,
    now: &str,
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM discord_links WHERE email = ? AND status = 'confirmed'")
        .bind(email)
        .execute(&mut *conn)
        .await
        .context("cannot write discord_links")?;
    sqlx::query(
        "UPDATE discord_links SET status = 'confirmed', confirmed_by = ?, confirmed_at = ?
         WHERE discord_user_id = ? AND email = ? AND status = 'pending'",
    )
    .bind(by)
    .bind(now)
    .bind(discord_user_id)
    .bind(email)
    .execute(&mut *conn)
    .await
    .context("cannot write discord_links")?;
    log(
        conn,
        discord_user_id,
        email,
        LinkAction::Confirmed,
        Some(by),
        now,
    )
    .await
}

/// What happened to a link, as the audit trail records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkAction {
    Requested,
    Confirmed,
}

crate::domain::names!(LinkAction {
    Requested => "requested",
    Confirmed => "confirmed",
});

impl LinkAction {
    /// The stored action; an unknown one is an error at the boundary.
    fn decode(text: &str) -> anyhow::Result<LinkAction> {
        LinkAction::parse(text)
            .ok_or_else(|| anyhow::anyhow!("unknown discord_link_log action {text:?}"))
    }
}

/// One link as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub discord_user_id: String,
    pub email: String,
    pub confirmed: bool,
    pub requested_at: DateTime<Utc>,
    pub confirmed_by: Option<String>,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub discord_user_id: String,
    pub email: String,
    pub action: LinkAction,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

async fn log(
    conn: &mut SqliteConnection,
    discord_user_id: &str,
    email: &str,
    action: LinkAction,
    by: Option<&str>,
    now: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO discord_link_log (discord_user_id, email, action, by_email, at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(discord_user_id)
    .bind(email)
    .bind(action.as_str())
    .bind(by)
    .bind(now)
    .execute(conn)
    .await
    .context("cannot write discord_link_log")?;
    Ok(())
}

/// Every link, confirmed or pending, by email.
pub async fn all(conn: &mut SqliteConnection) -> anyhow::Result<Vec<Link>> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT discord_user_id, email, status, requested_at, confirmed_by
         FROM discord_links ORDER BY email, discord_user_id",
    )
    .fetch_all(conn)
    .await
    .context("cannot read discord_links")?;
    rows.into_iter()
        .map(
            |(discord_user_id, email, status, requested_at, confirmed_by)| {
                let confirmed = match status.as_str() {
                    "confirmed" => true,
                    "pending" => false,
                    other => anyhow::bail!("unknown discord_links status {other:?}"),
                };
                Ok(Link {
                    discord_user_id,
                    email,
                    confirmed,
                    requested_at: parse_ts(&requested_at)?,
                    confirmed_by,
                })
            },
        )
        .collect()
}

/// The latest `limit` lines of the audit trail, oldest first.
pub async fn history(conn: &mut SqliteConnection, limit: i64) -> anyhow::Result<Vec<LogEntry>> {
    let rows: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT discord_user_id, email, action, by_email, at FROM
           (SELECT * FROM discord_link_log ORDER BY id DESC LIMIT ?) ORDER BY id",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("cannot read discord_link_log")?;
    rows.into_iter()
        .map(|(discord_user_id, email, action, by, at)| {
            Ok(LogEntry {
                discord_user_id,
                email,
                action: LinkAction::decode(&action)?,
                by,
                at: parse_ts(&at)?,
            })
        })
        .collect()
}
