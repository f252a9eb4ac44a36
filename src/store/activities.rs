//! `activities` (engagement events posted through the API) and `mql_reasons` (why Baton
//! itself qualified a lead).

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::domain::scoring::Activity;
use crate::store::parse_ts;

pub async fn insert(
    conn: &mut SqliteConnection,
    lead_id: i64,
    kind: &str,
    at: &str,
    properties: Option<&str>,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO activities (lead_id, type, at, properties) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(lead_id)
    .bind(kind)
    .bind(at)
    .bind(properties)
    .fetch_one(conn)
    .await
    .context("cannot record the activity")
}

pub async fn for_lead(conn: &mut SqliteConnection, lead_id: i64) -> anyhow::Result<Vec<Activity>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT type, at FROM activities WHERE lead_id = ? ORDER BY at")
            .bind(lead_id)
            .fetch_all(conn)
            .await
            .context("cannot read activities")?;
    rows.into_iter()
        .map(|(kind, at)| {
            Ok(Activity {
                kind,
                at: parse_ts(&at)?,
            })
        })
        .collect()
}

/// Remembers why the stage change `event_id` happened.
pub async fn set_reason(
    conn: &mut SqliteConnection,
    event_id: i64,
    lead_id: i64,
    why: &str,
) -> anyhow::Result<()> {
    sqlx::query("INSERT OR REPLACE INTO mql_reasons (event_id, lead_id, why) VALUES (?, ?, ?)")
        .bind(event_id)
        .bind(lead_id)
        .bind(why)
        .execute(conn)
        .await
        .context("cannot record why the lead qualified")?;
    Ok(())
}

pub async fn reason(conn: &mut SqliteConnection, event_id: i64) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("SELECT why FROM mql_reasons WHERE event_id = ?")
        .bind(event_id)
        .fetch_optional(conn)
        .await
        .context("cannot read why the lead qualified")
}

/// [`reason`] for several MQL entries at once, by event id.
pub async fn reasons(
    conn: &mut SqliteConnection,
    event_ids: &[i64],
) -> anyhow::Result<std::collections::HashMap<i64, String>> {
    if event_ids.is_empty() {
        return Ok(Default::default());
    }
    let list = serde_json::to_string(event_ids).context("cannot list event ids")?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT event_id, why FROM mql_reasons WHERE event_id IN (SELECT value FROM json_each(?))",
    )
    .bind(list)
    .fetch_all(conn)
    .await
    .context("cannot read why the leads qualified")?;
    Ok(rows.into_iter().collect())
}

/// The newest stage change of a lead.
pub async fn last_event_id(
    conn: &mut SqliteConnection,
    lead_id: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MAX(id) FROM lead_events WHERE lead_id = ?")
        .bind(lead_id)
        .fetch_one(conn)
        .await
        .context("cannot read lead_events")
}
