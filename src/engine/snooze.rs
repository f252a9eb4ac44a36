//! `/lead snooze LEAD DURATION`: the assignee puts off the next reminder of a clock.
//!
//! The clock snoozed is the one whose reminder comes next (of the clocks still running).
//! Each clock may be snoozed once per holder, and never to or past its deadline: the
//! reminder must still come before the breach. The snooze, the moved reminder timer, the
//! handoff's log line and the manager's notice are written in one transaction.

use anyhow::Context;
use tracing::info;

use super::actions::{Reply, find_lead, manager_of, name_of, no_such_lead, when_of};
use super::{Ctx, clocks, enqueue_all};
use crate::command::grammar::LeadRef;
use crate::domain::directory::Person;
use crate::domain::duration::Span;
use crate::domain::sla::ClockKind;
use crate::i18n::{self, Arg, Locale, Text, t, tr};
use crate::message::Kind;
use crate::message::compose;
use crate::store::snoozes::{self, Snooze};
use crate::store::{handoffs, parse_ts, ts};

/// The command that stops `clock`, for the person who would rather act than snooze.
fn stop_command(locale: Locale, clock: ClockKind, lead: i64) -> String {
    match clock {
        ClockKind::Ack => format!("/lead ack {lead}"),
        ClockKind::FirstTouch => format!("/lead contacted {lead}"),
        ClockKind::Disposition => tr(locale, "snooze-stop-disposition", &[("lead", lead.into())]),
    }
}

pub async fn snooze(
    ctx: &Ctx,
    actor: &Person,
    l: Locale,
    lead_ref: &LeadRef,
    by: Span,
) -> anyhow::Result<Reply> {
    let clock_name = |clock: ClockKind| t(l, compose::clock_name_id(clock));
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(l, lead_ref));
    };
    let Some(h) = handoffs::open_for_lead(&mut tx, lead.id).await? else {
        return Ok(Reply::refuse(tr(
            l,
            "snooze-no-open-handoff",
            &[("lead", lead.id.into())],
        )));
    };
    if h.assignee.as_deref() != Some(actor.email.as_str()) {
        let assignee = h
            .assignee
            .as_deref()
            .map_or_else(|| t(l, "nobody"), |a| name_of(ctx, a));
        return Ok(Reply::refuse(tr(
            l,
            "snooze-not-assignee",
            &[("assignee", assignee.into()), ("lead", lead.id.into())],
        )));
    }
    let running = snoozes::next_reminders(&mut tx, h.id, h.fence)
        .await?
        .into_iter()
        .find(|(clock, _)| h.stopped_at(*clock).is_none());
    let Some((clock, next_due)) = running else {
        return Ok(Reply::refuse(tr(
            l,
            "snooze-nothing-to-come",
            &[("lead", lead.id.into())],
        )));
    };
    let now = ctx.clock.now();
    let tz = clocks::tz_of(ctx, Some(&actor.email));
    if let Some(until) = snoozes::snoozed_until(&mut tx, h.id, h.fence, clock).await? {
        return Ok(Reply::refuse(tr(
            l,
            "snooze-already",
            &[
                ("clock", clock_name(clock).into()),
                ("lead", lead.id.into()),
                ("until", when_of(l, &until, tz).into()),
                ("stop", stop_command(l, clock, lead.id).into()),
            ],
        )));
    }
    let deadline = h
        .due_at(clock)
        .with_context(|| format!("handoff {} has a reminder but no {clock} deadline", h.id))?;
    let until = now + by.as_chrono();
    if until >= deadline {
        let left = deadline - now;
        return Ok(Reply::refuse(tr(
            l,
            "snooze-past-deadline",
            &[
                ("by", i18n::span(l, by.as_chrono()).into()),
                ("clock", clock_name(clock).into()),
                ("lead", lead.id.into()),
                ("deadline", i18n::local(l, deadline, tz).into()),
                ("left", i18n::span(l, left).into()),
                ("stop", stop_command(l, clock, lead.id).into()),
            ],
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
        return Ok(Reply::refuse(tr(
            l,
            "snooze-raced",
            &[
                ("clock", clock_name(clock).into()),
                ("lead", lead.id.into()),
            ],
        )));
    }
    let next = parse_ts(&next_due)?.max(until);
    let logged = Text::new("log-snoozed")
        .message("clock", compose::clock_name_id(clock))
        .span("span", by.as_chrono())
        .time("until", until);
    handoffs::log(
        &mut tx,
        h.id,
        &now_text,
        Some(&actor.email),
        &logged.to_stored(),
    )
    .await?;
    let manager = manager_of(ctx, &h).filter(|m| *m != actor.email);
    let mut told = String::new();
    if !h.silent
        && let Some(manager) = manager
    {
        let manager_tz = clocks::tz_of(ctx, Some(manager));
        let manager_locale = ctx.locale_of(manager, None);
        let message = compose::snoozed(
            manager_locale,
            &lead,
            clock,
            &actor.name,
            by.as_chrono(),
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
        told = format!(
            " {}",
            tr(l, "snooze-manager-told", &[("name", name.into())])
        );
    }
    tx.commit().await.context("cannot save the snooze")?;
    ctx.outbox_ready.notify_waiters();
    ctx.timers_changed.notify_one();
    info!(lead = lead.id, handoff = h.id, clock = clock.as_str(), until = %until_text, "reminder snoozed");
    let args: [(&str, Arg<'_>); 7] = [
        ("clock", clock_name(clock).into()),
        ("lead", lead.id.into()),
        ("span", i18n::span(l, by.as_chrono()).into()),
        ("next", i18n::local(l, next, tz).into()),
        ("next_relative", i18n::relative(l, next, now).into()),
        ("deadline", i18n::local(l, deadline, tz).into()),
        ("deadline_relative", i18n::relative(l, deadline, now).into()),
    ];
    Ok(Reply::ok(compose::reply(format!(
        "{}{told}",
        tr(l, "snooze-done", &args)
    ))))
}
