//! The `discord_links` table: Discord accounts linked to Baton people who have no
//! `discord_id` in the config. `/baton link EMAIL` writes a pending link; the person's team
//! manager or an admin confirms it with `/baton confirm @user`. Only confirmed links count.

use anyhow::Context;
use sqlx::SqliteConnection;

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
    .execute(conn)
    .await
    .context("cannot write discord_links")?;
    Ok(())
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
    .execute(conn)
    .await
    .context("cannot write discord_links")?;
    Ok(())
}
