//! `/lead snooze LEAD DURATION`: the assignee puts off the next reminder of a clock.
//!
//! The clock snoozed is the one whose reminder comes next (of the clocks still running).
//! Each clock may be snoozed once per holder, and never to or past its deadline: the
//! reminder must still come before the breach. The snooze, the moved reminder timer, the
//! handoff's log line and the manager's notice are written in one transaction.

use anyhow::Context;
use tracing::info;

use super::actions::{Reply, find_lead, manager_of, no_such_lead};
use super::{Ctx, clocks, enqueue_all};
use crate::chat::compose;
use crate::chat::message::Kind;
use crate::command::grammar::LeadRef;
use crate::domain::directory::Person;
use crate::domain::duration::{Span, humanize};
use crate::domain::sla::ClockKind;
use crate::store::snoozes::{self, Snooze};
use crate::store::{handoffs, parse_ts, ts};

/// The command that stops `clock`, for the person who would rather act than snooze.
fn stop_command(clock: ClockKind, lead: i64) -> String {
    match clock {
        ClockKind::Ack => format!("/lead ack {lead}"),
        ClockKind::FirstTouch => format!("/lead contacted {lead}"),
        ClockKind::Disposition => format!("/lead accept {lead} or /lead reject {lead} REASON"),
    }
}

pub async fn snooze(
    ctx: &Ctx,
    actor: &Person,
    lead_ref: &LeadRef,
    by: Span,
) -> anyhow::Result<Reply> {
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(lead_ref));
    };
    let Some(h) = handoffs::open_for_lead(&mut tx, lead.id).await? else {
        return Ok(Reply::refuse(format!(
            "lead #{} has no open handoff: there is no reminder to snooze",
            lead.id
        )));
    };
    if h.assignee.as_deref() != Some(actor.email.as_str()) {
        return Ok(Reply::refuse(format!(
            "only the assignee ({}) may snooze the reminders of lead #{}",
            h.assignee.as_deref().unwrap_or("nobody"),
            lead.id
        )));
    }
    let running = snoozes::next_reminders(&mut tx, h.id, h.fence)
        .await?
        .into_iter()
        .find(|(clock, _)| h.stopped_at(*clock).is_none());
    let Some((clock, next_due)) = running else {
        return Ok(Reply::refuse(format!(
            "no reminder of lead #{} is still to come: there is nothing to snooze",
            lead.id
        )));
    };
    if let Some(until) = snoozes::snoozed_until(&mut tx, h.id, h.fence, clock).await? {
        return Ok(Reply::refuse(format!(
            "you already snoozed the {} reminder of lead #{} (until {until}): a clock can be snoozed once. \
             To stop it, type {}",
            clock.label(),
            lead.id,
            stop_command(clock, lead.id)
        )));
    }
    let now = ctx.clock.now();
    let tz = clocks::tz_of(ctx, Some(&actor.email));
    let deadline = h
        .due_at(clock)
        .with_context(|| format!("handoff {} has a reminder but no {clock} deadline", h.id))?;
    let until = now + by.as_chrono();
    if until >= deadline {
        let left = deadline - now;
        return Ok(Reply::refuse(format!(
            "a snooze of {} would reach the {} deadline of lead #{} ({}, in {}): snooze for less than {}, \
             or stop the clock with {}\nusage: /lead snooze LEAD DURATION",
            humanize(by.as_chrono()),
            clock.label(),
            lead.id,
            compose::local(deadline, tz),
            humanize(left),
            humanize(left),
            stop_command(clock, lead.id)
        )));
    }
    let now_text = ts(now);
    let until_text = ts(until);
    let recorded = snoozes::snooze(
        &mut tx,
        &Snooze {
            handoff_id: h.id,
            fence: h.fence,
            clock,
            by: &actor.email,
            at: &now_text,
            until: &until_text,
        },
    )
    .await?;
    if !recorded {
        return Ok(Reply::refuse(format!(
            "the {} reminder of lead #{} was snoozed already: a clock can be snoozed once",
            clock.label(),
            lead.id
        )));
    }
    let next = parse_ts(&next_due)?.max(until);
    let span = humanize(by.as_chrono());
    handoffs::log(
        &mut tx,
        h.id,
        &now_text,
        Some(&actor.email),
        &format!(
            "snoozed the {} reminder for {span}, until {until_text}",
            clock.label()
        ),
    )
    .await?;
    let manager = manager_of(ctx, &h).filter(|m| *m != actor.email);
    let mut told = String::new();
    if !h.silent
        && let Some(manager) = manager
    {
        let manager_tz = clocks::tz_of(ctx, Some(manager));
        let message = compose::snoozed(
            &lead,
            clock,
            &actor.name,
            &span,
            next,
            deadline,
            manager_tz,
            now,
        );
        let key = format!("snooze:{}:f{}:{}", h.id, h.fence, clock.as_str());
        enqueue_all(
            &mut tx,
            &ctx.person_targets(manager),
            Kind::Update,
            None,
            &message,
            Some(&key),
            &now_text,
        )
        .await?;
        let name = ctx
            .config
            .directory
            .person(manager)
            .map_or(manager, |p| p.name.as_str());
        told = format!(" {name} was told.");
    }
    tx.commit().await.context("cannot save the snooze")?;
    ctx.outbox_ready.notify_waiters();
    ctx.timers_changed.notify_one();
    info!(lead = lead.id, handoff = h.id, clock = clock.as_str(), until = %until_text, "reminder snoozed");
    Ok(Reply::ok(compose::reply(format!(
        "Snoozed the {} reminder of lead #{} for {span}: the next one comes {} ({}); the deadline stays {} ({}).{told}",
        clock.label(),
        lead.id,
        compose::local(next, tz),
        compose::relative(next, now),
        compose::local(deadline, tz),
        compose::relative(deadline, now),
    ))))
}
