//! The facts routing needs that live in the database (the account a lead's domain
//! matches, open handoffs, the rotation), loaded for one lead so that `domain::routing`
//! stays a pure call per lead: the intake, the SLA reassignment and `baton route
//! --dry-run` all decide through it.

use sqlx::SqliteConnection;

use super::Ctx;
use crate::config::AccountMatch;
use crate::domain::account::{self, AccountFact};
use crate::domain::availability::Availabilities;
use crate::domain::lead::Lead;
use crate::domain::routing::{self, Explanation, Situation};
use crate::store::{accounts, availability as store_availability, handoffs, rotation};

/// The lead's company domain (free-mail and `[routing] ignore_domains` are none).
pub fn lead_domain(ctx: &Ctx, lead: &Lead) -> Option<String> {
    account::lead_domain(
        lead.company_domain.as_deref(),
        lead.email.as_deref(),
        &ctx.config.settings.routing.ignore_domains,
    )
}

/// The account the lead's domain matches and its owner, as routing needs it; `None` when
/// `[routing] account_match = "off"` or nothing matches.
pub async fn account_fact(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    lead: &Lead,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Option<AccountFact>> {
    let settings = &ctx.config.settings.routing;
    if settings.account_match == AccountMatch::Off {
        return Ok(None);
    }
    let Some(domain) = lead_domain(ctx, lead) else {
        return Ok(None);
    };
    accounts::owner_of(
        conn,
        &account::lookups(&domain),
        now,
        settings.account_memory,
    )
    .await
}

/// Availability said in chat that can matter now.
pub async fn availability(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
) -> anyhow::Result<Availabilities> {
    // The day before today in UTC covers every calendar's "today".
    let today = (ctx.clock.now() - chrono::Duration::days(1)).date_naive();
    store_availability::load(conn, today).await
}

/// What routing would decide for each lead in turn, as if they became MQLs now one after
/// the other (each pick moves the rotation and counts as an open handoff for the next),
/// without writing anything.
pub async fn preview(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    leads: &[Lead],
) -> anyhow::Result<Vec<Explanation>> {
    let now = ctx.clock.now();
    let mut open = handoffs::open_counts(conn).await?;
    let mut rotations = rotation::load_all(conn).await?;
    let away = availability(ctx, conn).await?;
    let mut decided = Vec::with_capacity(leads.len());
    for lead in leads {
        let account = account_fact(ctx, conn, lead, now).await?;
        let assignment = routing::route(
            &ctx.config.directory,
            lead,
            &Situation {
                now,
                open: &open,
                rotations: &rotations,
                exclude: &[],
                account: account.as_ref(),
                away: &away,
            },
        );
        if let Some((team, rotation)) = &assignment.rotation {
            rotations.insert(team.clone(), rotation.clone());
        }
        if let Some(who) = &assignment.assignee {
            *open.entry(who.clone()).or_default() += 1;
        }
        decided.push(assignment.explanation(lead_domain(ctx, lead).as_deref()));
    }
    Ok(decided)
}
