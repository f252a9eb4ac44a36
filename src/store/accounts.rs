//! Accounts and routing decisions (migration 0013): the owner of a company domain, from
//! `accounts` (written by other systems) or from the domain's last accepted handoff, and
//! the stored reasons of each routing decision, for `/lead why`.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::ts;
use crate::domain::account::{self, AccountFact, OwnerSource};
use crate::domain::duration::Span;
use crate::domain::routing::Explanation;

/// The owner of the first of `lookups` (most specific first) that `accounts` has; else
/// the assignee of the most recent handoff accepted within `memory` before `now` whose
/// lead had one of these domains.
pub async fn owner_of(
    conn: &mut SqliteConnection,
    lookups: &[String],
    now: DateTime<Utc>,
    memory: Span,
) -> anyhow::Result<Option<AccountFact>> {
    for domain in lookups {
        let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT domain,
                    CASE WHEN typeof(name) = 'text' THEN name END,
                    CASE WHEN typeof(owner_email) = 'text' THEN lower(trim(owner_email)) END
             FROM accounts WHERE domain = ?",
        )
        .bind(domain)
        .fetch_optional(&mut *conn)
        .await
        .with_context(|| format!("cannot look up the account of {domain}"))?;
        if let Some((_, name, owner_email)) = row {
            return Ok(Some(AccountFact {
                domain: domain.clone(),
                owner_email,
                source: OwnerSource::Account { name },
            }));
        }
    }
    // Decisions are kept under the company's root (`acme.com` for `eu.acme.com`), so a
    // lead from any subdomain finds one from any other; decisions stored before that
    // hold the exact domain, which the lookups themselves still find.
    let Some(most_specific) = lookups.first() else {
        return Ok(None);
    };
    let mut names: Vec<String> = lookups.to_vec();
    let root = account::root(most_specific);
    if !names.contains(&root) {
        names.push(root.clone());
    }
    let since = ts(now - memory.as_chrono());
    let marks = vec!["?"; names.len()].join(", ");
    let sql = format!(
        "SELECT h.id, h.assignee, h.decided_at
         FROM routing_decisions r JOIN handoffs h ON h.id = r.handoff_id
         WHERE r.domain IN ({marks}) AND h.status = 'accepted' AND h.assignee IS NOT NULL
           AND h.decided_at >= ?
         ORDER BY h.decided_at DESC, h.id DESC LIMIT 1"
    );
    let mut query = sqlx::query_as::<_, (i64, String, String)>(sqlx::AssertSqlSafe(sql));
    for name in &names {
        query = query.bind(name);
    }
    let row = query
        .bind(&since)
        .fetch_optional(&mut *conn)
        .await
        .with_context(|| format!("cannot look up the last accepted handoff of {root}"))?;
    if let Some((handoff, assignee, accepted_at)) = row {
        return Ok(Some(AccountFact {
            domain: root,
            owner_email: Some(assignee),
            source: OwnerSource::Memory {
                handoff,
                accepted_at,
            },
        }));
    }
    Ok(None)
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
    let detail = serde_json::to_string(explanation).context("cannot encode a routing decision")?;
    sqlx::query(
        "INSERT INTO routing_decisions (handoff_id, decided_at, domain, summary, detail)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (handoff_id) DO UPDATE SET decided_at = excluded.decided_at,
             summary = excluded.summary, detail = excluded.detail",
    )
    .bind(handoff_id)
    .bind(at)
    .bind(explanation.domain.as_deref().map(account::root))
    .bind(&explanation.summary)
    .bind(detail)
    .execute(conn)
    .await
    .with_context(|| format!("cannot store the routing decision of handoff {handoff_id}"))?;
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
