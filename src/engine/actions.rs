//! Runs chat commands: parses the text, checks who may do it, and makes the change in one
//! transaction with the outbox rows it causes (updates to the alert in place). Returns the
//! reply for the person who typed the command; mistakes and refusals change nothing.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tracing::info;

use super::{Ctx, clocks};
use crate::chat::message::{Kind, Message};
use crate::chat::{buttons, compose};
use crate::command::grammar::{self, Command, LeadRef};
use crate::command::{HandbackFacts, may_hand_back, may_reassign, may_work_on, unknown_person};
use crate::domain::directory::Person;
use crate::domain::duration::humanize;
use crate::domain::handoff::Handoff;
use crate::domain::handoff::RejectReason;
use crate::domain::handoff::Status;
use crate::domain::lead::Lead;
use crate::domain::sla::ClockKind;
use crate::store::handoffs;
use crate::store::{accounts, leads, outbox, parse_ts, ts};

/// The answer to a command: for the person who typed it only, unless `public`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub message: Message,
    /// False for mistakes and refusals: nothing changed.
    pub ok: bool,
    /// True only when the person asked to post the answer to the channel
    /// (`/funnel ... share`); every other answer, and every refusal, is private.
    pub public: bool,
}

impl Reply {
    pub(crate) fn ok(message: Message) -> Reply {
        Reply {
            message,
            ok: true,
            public: false,
        }
    }

    pub(crate) fn refuse(text: impl Into<String>) -> Reply {
        Reply {
            message: compose::reply(text),
            ok: false,
            public: false,
        }
    }
}

/// True for a command whose answer the person asked to post to the channel.
pub fn is_shared(command: &Command) -> bool {
    matches!(command, Command::Funnel { share: true, .. })
}

/// Runs `text` as typed by `actor` (an email).
pub async fn execute(ctx: &Ctx, actor: &str, text: &str) -> anyhow::Result<Reply> {
    match grammar::parse(text) {
        Ok(command) => execute_command(ctx, actor, command).await,
        Err(e) => Ok(Reply::refuse(e.to_string())),
    }
}

/// Runs a parsed command as `actor` (an email). Discord builds the command from its typed
/// options and comes here directly, so option values are never re-split.
pub async fn execute_command(ctx: &Ctx, actor: &str, command: Command) -> anyhow::Result<Reply> {
    if matches!(command, Command::Help) {
        return Ok(Reply::ok(compose::reply(grammar::HELP)));
    }
    let Some(person) = ctx.config.directory.person(actor).cloned() else {
        return Ok(Reply::refuse(unknown_person(actor)));
    };
    match command {
        Command::Ack { lead } => change(ctx, &person, &lead, Change::Ack).await,
        Command::Contacted { lead, note } => {
            change(ctx, &person, &lead, Change::Contacted(note)).await
        }
        Command::Accept { lead, note } => change(ctx, &person, &lead, Change::Accept(note)).await,
        Command::Reject { lead, reason, note } => {
            change(ctx, &person, &lead, Change::Reject(reason, note)).await
        }
        Command::Rate { lead, stars, note } => {
            change(ctx, &person, &lead, Change::Rate(stars, note)).await
        }
        Command::Show { lead } => show(ctx, &person, &lead).await,
        Command::Why { lead } => why(ctx, &person, &lead).await,
        Command::Mine => mine(ctx, &person).await,
        Command::Reassign { lead, to } => reassign(ctx, &person, &lead, &to).await,
        Command::Snooze { lead, by } => super::snooze::snooze(ctx, &person, &lead, by).await,
        Command::Handback { lead, reason } => {
            handback(ctx, &person, &lead, reason.as_deref()).await
        }
        Command::Funnel {
            period,
            by,
            chart,
            share,
        } => {
            let tz = ctx.config.reporting_tz;
            let locale = ctx.locale_of(&person.email, None);
            let report =
                crate::report::funnel(&ctx.db, &ctx.config, period, by, ctx.clock.now()).await?;
            let mut message = compose::reply(report.render_text_in(tz, locale)).in_locale(locale);
            if chart {
                message = message.chart(report.chart_in(tz, locale));
            }
            Ok(Reply {
                public: share,
                ..Reply::ok(message)
            })
        }
        Command::Plan(request) => {
            let report = crate::plan::plan(&ctx.db, &ctx.config, &request, ctx.clock.now()).await?;
            let mut message = compose::reply(report.render_text(ctx.config.reporting_tz));
            if request.chart {
                message = message.chart(report.chart());
            }
            Ok(Reply::ok(message))
        }
        Command::Sla { period, team } => sla_report(ctx, &person, period, team.as_deref()).await,
        Command::Help => Ok(Reply::ok(compose::reply(grammar::HELP))),
        Command::Link { .. } => Ok(Reply::refuse(
            "/baton link is for Discord, which cannot look people up by email: run it there. \
             On Slack Baton finds you by email, and on the console you act as someone with @email",
        )),
        Command::Confirm { user } => super::links::confirm(ctx, &person, &user).await,
        Command::Away {
            person: who,
            period,
            note,
        } => super::availability::away(ctx, &person, who.as_deref(), period, note.as_deref()).await,
        Command::Back { person: who } => {
            super::availability::back(ctx, &person, who.as_deref()).await
        }
        Command::Who { team } => super::availability::who(ctx, team.as_deref()).await,
        Command::Links => {
            let tz = clocks::tz_of(ctx, Some(&person.email));
            super::links::list(ctx, &person, tz).await
        }
    }
}

enum Change {
    Ack,
    Contacted(Option<String>),
    Accept(Option<String>),
    Reject(RejectReason, Option<String>),
    Rate(u8, Option<String>),
}

pub(super) async fn find_lead(
    conn: &mut SqliteConnection,
    lead: &LeadRef,
) -> anyhow::Result<Option<Lead>> {
    match lead {
        LeadRef::Id(id) => leads::by_id(conn, *id).await,
        LeadRef::External(ext) => leads::by_external_id(conn, ext).await,
    }
}

/// The manager of the handoff's team, if it has one.
pub(super) fn manager_of<'a>(ctx: &'a Ctx, h: &Handoff) -> Option<&'a str> {
    h.team
        .as_deref()
        .and_then(|t| ctx.config.directory.team(t))
        .map(|t| t.manager.as_str())
}

pub(super) fn no_such_lead(lead: &LeadRef) -> Reply {
    Reply::refuse(format!(
        "there is no lead {lead}: use the number shown in the alert (e.g. /lead show 12) or the lead's external id"
    ))
}

fn who_when(by: Option<&str>, at: Option<DateTime<Utc>>) -> String {
    format!(
        "{} at {}",
        by.unwrap_or("the CRM"),
        at.map_or_else(|| "an unknown time".to_string(), ts)
    )
}

async fn change(
    ctx: &Ctx,
    actor: &Person,
    lead_ref: &LeadRef,
    change: Change,
) -> anyhow::Result<Reply> {
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(lead_ref));
    };
    let Some(h) = handoffs::current_for_lead(&mut tx, lead.id).await? else {
        return Ok(Reply::refuse(format!(
            "lead #{} has no handoff: it has not been an MQL",
            lead.id
        )));
    };
    let manager = manager_of(ctx, &h);
    if let Err(why) = may_work_on(actor, h.assignee.as_deref(), manager) {
        return Ok(Reply::refuse(why));
    }
    let now_at = ctx.clock.now();
    let now = ts(now_at);
    let me = actor.email.as_str();
    let decided = h.status != Status::Open;
    let (what, reply, stage) = match &change {
        Change::Ack => {
            if !handoffs::ack(&mut tx, h.id, &now, me).await? {
                return Ok(Reply::refuse(format!(
                    "lead #{} was already acknowledged by {}",
                    lead.id,
                    who_when(h.acked_by.as_deref(), h.acked_at)
                )));
            }
            clocks::stop(ctx, &mut tx, &h, &[ClockKind::Ack], now_at).await?;
            (
                format!("acknowledged by {}", actor.name),
                format!("Acknowledged lead #{}: {}.", lead.id, lead.display_name()),
                None,
            )
        }
        Change::Contacted(note) => {
            if !handoffs::contacted(&mut tx, h.id, &now, me).await? {
                return Ok(Reply::refuse(format!(
                    "contact with lead #{} was already recorded at {}",
                    lead.id,
                    h.contacted_at.map_or_else(|| "?".to_string(), ts)
                )));
            }
            if let Some(note) = note {
                handoffs::set_note(&mut tx, h.id, note).await?;
            }
            clocks::stop(
                ctx,
                &mut tx,
                &h,
                &[ClockKind::Ack, ClockKind::FirstTouch],
                now_at,
            )
            .await?;
            (
                format!("contacted by {}", actor.name),
                format!("Recorded first contact with lead #{}.", lead.id),
                None,
            )
        }
        Change::Accept(note) | Change::Reject(_, note) => {
            if decided {
                return Ok(Reply::refuse(format!(
                    "lead #{} was already {} by {}",
                    lead.id,
                    h.status,
                    who_when(h.decided_by.as_deref(), h.decided_at)
                )));
            }
            let (status, reason, stage) = match &change {
                Change::Reject(reason, _) => (
                    Status::Rejected,
                    Some(*reason),
                    ctx.config
                        .settings
                        .feedback
                        .stage_after_reject(reason.as_str()),
                ),
                _ => (Status::Accepted, None, crate::domain::stage::Stage::Sql),
            };
            handoffs::decide(&mut tx, h.id, status, &now, Some(me), reason).await?;
            clocks::stop(ctx, &mut tx, &h, &ClockKind::ALL, now_at).await?;
            if let Some(note) = note {
                handoffs::set_note(&mut tx, h.id, note).await?;
            }
            let what = match reason {
                Some(reason) => format!("rejected by {} ({reason})", actor.name),
                None => format!("accepted by {}", actor.name),
            };
            let reply = format!("Lead #{} {status}; its stage is now {stage}.", lead.id);
            (what, reply, Some(stage))
        }
        Change::Rate(stars, note) => {
            if h.rating == Some(i64::from(*stars)) && note.is_none() {
                return Ok(Reply::refuse(format!(
                    "lead #{} is already rated {stars}",
                    lead.id
                )));
            }
            handoffs::rate(&mut tx, h.id, *stars, note.as_deref()).await?;
            (
                format!("rated {stars}/5 by {}", actor.name),
                format!(
                    "Rated lead #{} {stars}/5. Thank you: marketing sees this in /funnel.",
                    lead.id
                ),
                None,
            )
        }
    };
    handoffs::log(&mut tx, h.id, &now, Some(me), &what).await?;
    if let Some(stage) = stage
        && stage != lead.stage
    {
        leads::set_stage(&mut tx, lead.id, stage.as_str(), &now).await?;
    }
    if !h.silent {
        let targets = outbox::alert_targets(&mut tx, h.id).await?;
        // The handoff as the change left it: its buttons are what the clocks allow now.
        let changed = handoffs::by_id(&mut tx, h.id)
            .await?
            .with_context(|| format!("handoff {} vanished during a change", h.id))?;
        let by = actor.name.as_str();
        let change = match &change {
            Change::Ack => compose::Change::Acked { by },
            Change::Contacted(_) => compose::Change::Contacted { by },
            Change::Accept(_) => compose::Change::Accepted { by },
            Change::Reject(reason, _) => compose::Change::Rejected {
                by,
                reason: reason.as_str(),
            },
            Change::Rate(stars, _) => compose::Change::Rated { by, stars: *stars },
        };
        let actions = buttons::of_handoff(&changed);
        crate::engine::enqueue_localized(
            ctx,
            &mut tx,
            &targets,
            h.team.as_deref(),
            Kind::Update,
            Some(h.id),
            |locale| compose::update(locale, &lead, &change, &actions),
            None,
            &now,
        )
        .await?;
    }
    tx.commit().await.context("cannot save the change")?;
    ctx.outbox_ready.notify_waiters();
    if stage.is_some() {
        ctx.leads_changed.notify_one();
    }
    info!(lead = lead.id, handoff = h.id, actor = me, what = %what, "handoff changed by a command");
    Ok(Reply::ok(compose::reply(reply)))
}

async fn show(ctx: &Ctx, actor: &Person, lead_ref: &LeadRef) -> anyhow::Result<Reply> {
    let mut conn = ctx.db.pool.acquire().await?;
    let Some(lead) = find_lead(&mut conn, lead_ref).await? else {
        return Ok(no_such_lead(lead_ref));
    };
    let mut all = Vec::new();
    for h in handoffs::for_lead(&mut conn, lead.id).await? {
        let log = handoffs::history(&mut conn, h.id).await?;
        all.push((h, log));
    }
    let attached = crate::store::duplicates::attached_to(&mut conn, lead.id).await?;
    let now = ctx.clock.now();
    let tz = clocks::tz_of(ctx, Some(&actor.email));
    let mut message = compose::show(&lead, &all, tz, now);
    if !attached.is_empty() {
        let lines: Vec<String> = attached
            .iter()
            .map(|(handoff, first, at)| {
                let when = parse_ts(at)
                    .map(|t| compose::local(t, tz))
                    .unwrap_or_else(|_| at.clone());
                format!(
                    "{when}: the same person's MQL, attached to handoff #{handoff} of lead #{first} (one person, one handoff)"
                )
            })
            .collect();
        message = message.section("Attached to", lines.join("\n"));
    }
    Ok(Reply::ok(message))
}

/// `/lead why`: the stored routing decision of the lead's latest handoff, for its
/// assignee, their manager and admins.
async fn why(ctx: &Ctx, actor: &Person, lead_ref: &LeadRef) -> anyhow::Result<Reply> {
    let mut conn = ctx.db.pool.acquire().await?;
    let Some(lead) = find_lead(&mut conn, lead_ref).await? else {
        return Ok(no_such_lead(lead_ref));
    };
    let Some(h) = handoffs::current_for_lead(&mut conn, lead.id).await? else {
        return Ok(Reply::refuse(format!(
            "lead #{} has no handoff: it has not been an MQL, so nobody was chosen",
            lead.id
        )));
    };
    if may_work_on(actor, h.assignee.as_deref(), manager_of(ctx, &h)).is_err() {
        return Ok(Reply::refuse(format!(
            "only the assignee ({}), their manager or an admin can see why lead #{} went to them",
            h.assignee.as_deref().unwrap_or("nobody"),
            lead.id
        )));
    }
    let Some((at, explanation)) = accounts::decision(&mut conn, h.id).await? else {
        return Ok(Reply::refuse(format!(
            "handoff #{} of lead #{} has no stored routing decision",
            h.id, lead.id
        )));
    };
    let tz = clocks::tz_of(ctx, Some(&actor.email));
    let when = parse_ts(&at).map(|t| compose::local(t, tz)).unwrap_or(at);
    let mut lines = vec![format!(
        "Why lead #{} ({}) went to {} (handoff #{}, routed {when}):",
        lead.id,
        lead.display_name(),
        h.assignee.as_deref().unwrap_or("nobody"),
        h.id
    )];
    lines.extend(explanation.lines());
    if h.assignee != explanation.assignee {
        lines.push(format!(
            "Since then the lead was reassigned to {} (see /lead show {}).",
            h.assignee.as_deref().unwrap_or("nobody"),
            lead.id
        ));
    }
    Ok(Reply::ok(compose::reply(lines.join("\n"))))
}

async fn mine(ctx: &Ctx, person: &Person) -> anyhow::Result<Reply> {
    let text = open_handoff_lines(ctx, person)
        .await?
        .unwrap_or_else(|| "You have no open handoffs.".into());
    Ok(Reply::ok(compose::reply(text)))
}

/// A person's open handoffs with their clocks, one per line (`/lead mine` and the morning
/// summary); none when nothing is open.
pub async fn open_handoff_lines(ctx: &Ctx, person: &Person) -> anyhow::Result<Option<String>> {
    let mut conn = ctx.db.pool.acquire().await?;
    let open: Vec<Handoff> = handoffs::open_for_assignee(&mut conn, &person.email).await?;
    if open.is_empty() {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let tz = clocks::tz_of(ctx, Some(&person.email));
    let mut lines = vec![format!("Your open handoffs ({}):", open.len())];
    for h in &open {
        let lead = leads::by_id(&mut conn, h.lead_id).await?;
        let name = lead.map(|l| l.display_name()).unwrap_or_default();
        let age = humanize(now - h.opened_at);
        let acked = if h.acked_at.is_some() {
            "acked"
        } else {
            "not acked"
        };
        lines.push(format!("#{} {name}: open for {age}, {acked}", h.lead_id));
        // A fresh window after a reassignment is the one this person works to.
        let mut shown = h.clone();
        if let Some(w) = crate::store::sla::current_window(&mut conn, h.id).await?
            && w.assignee.as_deref() == Some(person.email.as_str())
        {
            shown.ack_due_at = w.ack_due_at.or(shown.ack_due_at);
            shown.first_touch_due_at = w.first_touch_due_at.or(shown.first_touch_due_at);
            let since = w.window_start;
            lines.push(format!(
                "    your own window since {} (reassigned to you)",
                compose::local(since, tz)
            ));
        }
        for line in compose::clock_status(&shown, tz, now) {
            lines.push(format!("    {line}"));
        }
    }
    Ok(Some(lines.join("\n")))
}

async fn reassign(
    ctx: &Ctx,
    actor: &Person,
    lead_ref: &LeadRef,
    to: &str,
) -> anyhow::Result<Reply> {
    let Some(target) = ctx.config.directory.person(to).cloned() else {
        return Ok(Reply::refuse(format!(
            "{to} is not a Baton user: reassign to someone listed as a [[person]]\nusage: /lead reassign LEAD EMAIL"
        )));
    };
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(lead_ref));
    };
    let Some(h) = handoffs::open_for_lead(&mut tx, lead.id).await? else {
        return Ok(Reply::refuse(format!(
            "lead #{} has no open handoff to reassign",
            lead.id
        )));
    };
    let manager = manager_of(ctx, &h);
    if let Err(why) = may_reassign(actor, manager) {
        return Ok(Reply::refuse(why));
    }
    if h.assignee.as_deref() == Some(target.email.as_str()) {
        return Ok(Reply::refuse(format!(
            "lead #{} is already assigned to {}",
            lead.id, target.email
        )));
    }
    let why = format!("by {}", actor.name);
    clocks::hand_over(
        ctx,
        &mut tx,
        &h,
        &lead,
        &target.email,
        target.team.as_deref(),
        &why,
        Some(&actor.email),
    )
    .await?;
    tx.commit().await.context("cannot save the reassignment")?;
    ctx.outbox_ready.notify_waiters();
    ctx.timers_changed.notify_one();
    info!(lead = lead.id, handoff = h.id, to = %target.email, "handoff reassigned by a command");
    Ok(Reply::ok(compose::reply(format!(
        "Lead #{} is now assigned to {}; the SLA clocks keep running from the MQL time.",
        lead.id, target.name
    ))))
}

/// `/lead handback`: the assignee gives the lead back to the rotation, once, before a
/// breach; routing picks the next assignee as it would for a new lead, without them. No
/// breach is recorded for them, and `on_reassign` decides the new assignee's clocks.
async fn handback(
    ctx: &Ctx,
    actor: &Person,
    lead_ref: &LeadRef,
    reason: Option<&str>,
) -> anyhow::Result<Reply> {
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(lead_ref));
    };
    let Some(h) = handoffs::current_for_lead(&mut tx, lead.id).await? else {
        return Ok(Reply::refuse(format!(
            "lead #{} has no handoff: it has not been an MQL",
            lead.id
        )));
    };
    let now = ctx.clock.now();
    let me = actor.email.as_str();
    let handed_back_at = handoffs::handed_back_at(&mut tx, h.id, me).await?.map(ts);
    let mut breached = crate::store::sla::breached_by(&mut tx, h.id, me).await?;
    if h.status == Status::Open && h.assignee.as_deref() == Some(me) {
        for clock in ClockKind::ALL {
            if breached.is_some() || h.stopped_at(clock).is_some() {
                continue;
            }
            if let Some((due, _)) = clocks::holder_deadline(&mut tx, &h, clock).await?
                && due < now
            {
                breached = Some(clock);
            }
        }
    }
    let decided = (h.status != Status::Open).then(|| h.status.to_string());
    let facts = HandbackFacts {
        lead_id: lead.id,
        assignee: h.assignee.as_deref(),
        decided: decided.as_deref(),
        handed_back_at: handed_back_at.as_deref(),
        breached: breached.map(ClockKind::label),
    };
    if let Err(why) = may_hand_back(actor, &facts) {
        return Ok(Reply::refuse(why));
    }
    let exclude = vec![me.to_string()];
    let open = handoffs::open_counts(&mut tx).await?;
    let rotations = crate::store::rotation::load_all(&mut tx).await?;
    let account = super::routing::account_fact(ctx, &mut tx, &lead, now).await?;
    let away = super::routing::availability(ctx, &mut tx).await?;
    let assignment = crate::domain::routing::route(
        &ctx.config.directory,
        &lead,
        &crate::domain::routing::Situation {
            now,
            open: &open,
            rotations: &rotations,
            exclude: &exclude,
            account: account.as_ref(),
            away: &away,
        },
    );
    let Some(to) = assignment.assignee.clone().filter(|to| to != me) else {
        return Ok(Reply::refuse(format!(
            "nobody else can take lead #{} now ({}): it stays with you; ask your manager to reassign it (/lead reassign)",
            lead.id, assignment.reason
        )));
    };
    if let Some((team, rotation)) = &assignment.rotation {
        crate::store::rotation::save_pick(&mut tx, team, rotation, &to).await?;
    }
    let now_text = ts(now);
    handoffs::record_handback(&mut tx, h.id, me, &now_text, reason).await?;
    let why = match reason {
        Some(reason) => format!(
            "handed back by {} ({reason}); {}",
            actor.name, assignment.reason
        ),
        None => format!("handed back by {}; {}", actor.name, assignment.reason),
    };
    let how = clocks::Handover {
        why: &why,
        note: "handed back".to_string(),
        actor: Some(me),
        fair: true,
    };
    clocks::hand_over_with(
        ctx,
        &mut tx,
        &h,
        &lead,
        &to,
        assignment.team.as_deref(),
        &how,
    )
    .await?;
    tx.commit().await.context("cannot save the hand-back")?;
    ctx.outbox_ready.notify_waiters();
    ctx.timers_changed.notify_one();
    info!(lead = lead.id, handoff = h.id, from = me, to = %to, "handoff handed back");
    let name = ctx
        .config
        .directory
        .person(&to)
        .map_or(to.clone(), |p| p.name.clone());
    Ok(Reply::ok(compose::reply(format!(
        "Lead #{} is back in the rotation and now with {name}. No breach is recorded for you.",
        lead.id
    ))))
}

/// `/sla`: managers, marketers and admins see every team; a rep sees their own figures.
async fn sla_report(
    ctx: &Ctx,
    person: &Person,
    period: crate::domain::period::Period,
    team: Option<&str>,
) -> anyhow::Result<Reply> {
    let team = match team
        .map(|t| crate::report::check_team(&ctx.config, t))
        .transpose()
    {
        Ok(team) => team,
        Err(why) => return Ok(Reply::refuse(why)),
    };
    let only_rep =
        (person.role == crate::domain::directory::Role::Rep).then_some(person.email.as_str());
    let locale = ctx.locale_of(&person.email, None);
    let report = crate::report::sla(
        &ctx.db,
        &ctx.config,
        period,
        team.as_deref(),
        only_rep,
        ctx.clock.now(),
    )
    .await?;
    let text = report.render_text_in(&ctx.config, locale);
    Ok(Reply::ok(compose::reply(text).in_locale(locale)))
}
