//! One person, one handoff (SPEC §3): an MQL for an email that already has an open
//! handoff within `[routing] duplicate_window` opens none and alerts nobody new. It is
//! attached to the open handoff, whose history notes it and whose alert is updated ("also
//! came in via webinar / fall-launch at …").

use sqlx::SqliteConnection;
use tracing::info;

use super::{Ctx, clocks};
use crate::domain::lead::Lead;
use crate::message::Kind;
use crate::message::{buttons, compose};
use crate::store::events::EventRow;
use crate::store::{duplicates, handoffs, leads, outbox, parse_ts, ts};

/// Attaches the MQL entry `event` of `lead` to the open handoff of the same email, if
/// there is one within the window; returns true when it did (then no handoff opens).
pub async fn attach_if_duplicate(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    lead: &Lead,
) -> anyhow::Result<bool> {
    let Some(email) = lead.email.as_deref().filter(|e| e.contains('@')) else {
        return Ok(false);
    };
    let now = ctx.clock.now();
    let window = ctx.config.settings.routing.duplicate_window.as_chrono();
    let since = ts(now - window);
    let Some(open) = duplicates::open_for_email(conn, email, lead.id, &since).await? else {
        return Ok(false);
    };
    let source = lead.field_text("source", &lead.source);
    let campaign = lead.field_text("campaign", &lead.campaign);
    duplicates::attach(
        conn,
        open.handoff_id,
        lead.id,
        event.id,
        &event.at,
        source.as_deref(),
        campaign.as_deref(),
    )
    .await?;
    let via = match (&source, &campaign) {
        (Some(s), Some(c)) => format!("{s} / {c}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => "another record".into(),
    };
    let tz = clocks::tz_of(ctx, open.assignee.as_deref());
    let record = format!(
        "#{}{}",
        lead.id,
        lead.external_id
            .as_deref()
            .map(|e| format!(" {e}"))
            .unwrap_or_default()
    );
    let change = compose::Change::Duplicate {
        via: &via,
        when: parse_ts(&event.at).map_err(|_| event.at.as_str()),
        tz,
        record: &record,
    };
    let what = match parse_ts(&event.at) {
        Ok(at) => crate::i18n::Text::new("update-duplicate")
            .arg("via", via.as_str())
            .time("when", at)
            .arg("record", record.as_str())
            .to_stored(),
        Err(_) => change.phrase(crate::i18n::Locale::En, &mut |m| m.name.clone()),
    };
    let now_text = ts(now);
    handoffs::log(conn, open.handoff_id, &now_text, None, &what).await?;
    if !open.silent
        && let Some(first) = leads::by_id(conn, open.lead_id).await?
    {
        let targets = outbox::alert_targets(conn, open.handoff_id).await?;
        let handoff = handoffs::by_id(conn, open.handoff_id).await?;
        let actions = handoff
            .as_ref()
            .map(buttons::of_handoff)
            .unwrap_or_default();
        let first_team = handoff.and_then(|h| h.team);
        super::enqueue_localized(
            ctx,
            conn,
            &targets,
            first_team.as_deref(),
            Kind::Update,
            Some(open.handoff_id),
            |locale| compose::update(locale, &first, &change, &actions),
            None,
            &now_text,
        )
        .await?;
    }
    info!(
        lead = lead.id,
        handoff = open.handoff_id,
        "a duplicate MQL was attached to the open handoff of the same email"
    );
    Ok(true)
}
