//! Accounts and routing decisions (migration 0013): the owner of a company domain, from
//! `accounts` (written by other systems) or from the domain's last accepted handoff, and
//! the stored reasons of each routing decision, for `/lead why`.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::ts;
use crate::domain::account::{self, AccountFact, AccountRow, Remembered};
use crate::domain::duration::Span;
use crate::domain::routing::Explanation;

/// The owner of the first of `lookups` (most specific first) that `accounts` has; else
/// the assignee of the most recent handoff accepted within `memory` before `now` whose
/// lead had one of these domains ([`account::from_accounts`], [`account::from_memory`]).
pub async fn owner_of(
    conn: &mut SqliteConnection,
    lookups: &[String],
    now: DateTime<Utc>,
    memory: Span,
) -> anyhow::Result<Option<AccountFact>> {
    let rows = rows_for(conn, lookups).await?;
    if let Some(fact) = account::from_accounts(lookups, |d| row_of(&rows, d)) {
        return Ok(Some(fact));
    }
    let names = account::memory_names(lookups);
    let remembered = remembered(conn, &names, now, memory).await?;
    Ok(account::from_memory(lookups, &remembered))
}

/// The `accounts` rows of `domains`, by their domain lower-cased (ASCII only, as
/// `COLLATE NOCASE` compares); look one up with [`row_of`].
pub async fn rows_for(
    conn: &mut SqliteConnection,
    domains: &[String],
) -> anyhow::Result<HashMap<String, AccountRow>> {
    if domains.is_empty() {
        return Ok(HashMap::new());
    }
    let list = serde_json::to_string(domains).context("cannot encode domains")?;
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT domain,
                CASE WHEN typeof(name) = 'text' THEN name END,
                CASE WHEN typeof(owner_email) = 'text' THEN lower(trim(owner_email)) END
         FROM accounts WHERE domain IN (SELECT value FROM json_each(?))",
    )
    .bind(list)
    .fetch_all(&mut *conn)
    .await
    .context("cannot look up accounts")?;
    Ok(rows
        .into_iter()
        .map(|(domain, name, owner_email)| {
            (
                domain.to_ascii_lowercase(),
                AccountRow { name, owner_email },
            )
        })
        .collect())
}

/// The row of `domain` among `rows` ([`rows_for`]).
pub fn row_of(rows: &HashMap<String, AccountRow>, domain: &str) -> Option<AccountRow> {
    rows.get(&domain.to_ascii_lowercase()).cloned()
}

/// Accepted handoffs as the memory of account owners reads them; the caller adds which.
const REMEMBERED: &str = "SELECT r.domain, h.id, h.assignee, h.decided_at
     FROM routing_decisions r JOIN handoffs h ON h.id = r.handoff_id
     WHERE h.status = 'accepted' AND h.assignee IS NOT NULL AND h.decided_at >= ?";

/// Handoffs accepted within `memory` before `now` whose routing decision was kept under
/// one of `names`.
pub async fn remembered(
    conn: &mut SqliteConnection,
    names: &[String],
    now: DateTime<Utc>,
    memory: Span,
) -> anyhow::Result<Vec<Remembered>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(names).context("cannot encode domains")?;
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REMEMBERED} AND r.domain IN (SELECT value FROM json_each(?))"
    )))
    .bind(ts(now - memory.as_chrono()))
    .bind(list)
    .fetch_all(&mut *conn)
    .await
    .context("cannot look up the last accepted handoffs of domains")?;
    Ok(rows.into_iter().map(remembered_row).collect())
}

/// Handoff `id` as the memory of account owners holds it: nothing unless it is accepted
/// within `memory` before `now` and its decision kept a domain.
pub async fn remembered_of(
    conn: &mut SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
    memory: Span,
) -> anyhow::Result<Vec<Remembered>> {
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REMEMBERED} AND h.id = ? AND r.domain IS NOT NULL"
    )))
    .bind(ts(now - memory.as_chrono()))
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .with_context(|| format!("cannot read whether handoff {id} is remembered"))?;
    Ok(rows.into_iter().map(remembered_row).collect())
}

fn remembered_row(
    (domain, handoff, assignee, accepted_at): (String, i64, String, String),
) -> Remembered {
    Remembered {
        domain,
        handoff,
        assignee,
        accepted_at,
    }
}

/// Stores (or, on a new routing of the same handoff, replaces) why it went to whom, with
/// the root of the lead's company domain ([`account::root`]) for the memory of accepted
/// handoffs.
pub async fn record_decision(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    at: &str,
    explanation: &Explanation,
) -> anyhow::Result<()> {
    record_decisions(conn, &[(handoff_id, at, explanation)]).await
}

/// Columns per row written by [`record_decisions`].
const DECISION_COLUMNS: usize = 5;

/// [`record_decision`] for several handoffs, each `(handoff, at, explanation)`, in as few
/// statements as SQLite's limit on bound values allows.
pub async fn record_decisions(
    conn: &mut SqliteConnection,
    decisions: &[(i64, &str, &Explanation)],
) -> anyhow::Result<()> {
    let encoded = decisions
        .iter()
        .map(|(id, at, explanation)| {
            let detail = serde_json::to_string(explanation)
                .with_context(|| format!("cannot encode the routing decision of handoff {id}"))?;
            Ok((
                *id,
                *at,
                explanation.domain.as_deref().map(account::root),
                &explanation.summary,
                detail,
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    for chunk in encoded.chunks(super::MAX_BOUND / DECISION_COLUMNS) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO routing_decisions (handoff_id, decided_at, domain, summary, detail) ",
        );
        insert.push_values(chunk, |mut row, (id, at, domain, summary, detail)| {
            row.push_bind(*id)
                .push_bind(*at)
                .push_bind(domain.as_deref())
                .push_bind(summary.as_str())
                .push_bind(detail.as_str());
        });
        insert.push(
            " ON CONFLICT (handoff_id) DO UPDATE SET decided_at = excluded.decided_at,
                 summary = excluded.summary, detail = excluded.detail",
        );
        let first = chunk.first().map_or(0, |d| d.0);
        insert.build().execute(&mut *conn).await.with_context(|| {
            format!("cannot store the routing decisions of handoffs from {first}")
        })?;
    }
    Ok(())
}

/// The stored decision of a handoff: when it was made and its explanation (only the
/// summary for handoffs routed before decisions were kept).
pub async fn decision(
    conn: &mut SqliteConnection,
    handoff_id: i64,
) -> anyhow::Result<Option<(String, Explanation)>> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT decided_at, summary, detail FROM routing_decisions WHERE handoff_id = ?",
    )
    .bind(handoff_id)
    .fetch_optional(conn)
    .await
    .with_context(|| format!("cannot read the routing decision of handoff {handoff_id}"))?;
    let Some((at, summary, detail)) = row else {
        return Ok(None);
    };
    let explanation = match detail {
        Some(text) => serde_json::from_str(&text).with_context(|| {
            format!("the stored routing decision of handoff {handoff_id} cannot be read")
        })?,
        None => Explanation {
            summary,
            ..Explanation::default()
        },
    };
    Ok(Some((at, explanation)))
}
