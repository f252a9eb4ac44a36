//! Runs chat commands: parses the text, checks who may do it, and makes the change in one
//! transaction with the outbox rows it causes (updates to the alert in place). Returns the
//! reply for the person who typed the command; mistakes and refusals change nothing.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tracing::info;

use super::{Ctx, clocks};
use crate::command::grammar::{self, Command, LeadRef};
use crate::command::{HandbackFacts, may_hand_back, may_reassign, may_work_on, unknown_person};
use crate::domain::directory::Person;
use crate::domain::handoff::{Handoff, RejectReason, Status};
use crate::domain::lead::Lead;
use crate::domain::sla::ClockKind;
use crate::i18n::{Locale, Text, t, tr};
use crate::message::{Kind, Mention, Message};
use crate::message::{buttons, compose};
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

/// The language of `actor`'s replies (SPEC §2): their own, else their team's, else
/// `[reporting] locale`.
pub fn locale_of_actor(ctx: &Ctx, actor: &str) -> Locale {
    ctx.config
        .directory
        .locale_of_person(actor, ctx.config.reporting_locale)
}

/// Runs `text` as typed by `actor` (an email), answering in the actor's language.
pub async fn execute(ctx: &Ctx, actor: &str, text: &str) -> anyhow::Result<Reply> {
    let locale = locale_of_actor(ctx, actor);
    match grammar::parse(text) {
        Ok(command) => execute_command_in(ctx, actor, command, locale).await,
        Err(e) => Ok(Reply::refuse(e.render(locale))),
    }
}

/// Runs a parsed command as `actor` (an email), answering in the actor's language.
pub async fn execute_command(ctx: &Ctx, actor: &str, command: Command) -> anyhow::Result<Reply> {
    let locale = locale_of_actor(ctx, actor);
    execute_command_in(ctx, actor, command, locale).await
}

/// Runs a parsed command as `actor` (an email), answering in `locale`. Discord builds the
/// command from its typed options and comes here directly, so option values are never
/// re-split (and it may know the user's own client language).
pub async fn execute_command_in(
    ctx: &Ctx,
    actor: &str,
    command: Command,
    locale: Locale,
) -> anyhow::Result<Reply> {
    if matches!(command, Command::Help) {
        return Ok(Reply::ok(compose::reply(grammar::help(locale))));
    }
    let Some(person) = ctx.config.directory.person(actor).cloned() else {
        return Ok(Reply::refuse(unknown_person(actor).render(locale)));
    };
    let l = locale;
    match command {
        Command::Ack { lead } => change(ctx, &person, l, &lead, Change::Ack).await,
        Command::Contacted { lead, note } => {
            change(ctx, &person, l, &lead, Change::Contacted(note)).await
        }
        Command::Accept { lead, note } => {
            change(ctx, &person, l, &lead, Change::Accept(note)).await
        }
        Command::Reject { lead, reason, note } => {
            change(ctx, &person, l, &lead, Change::Reject(reason, note)).await
        }
        Command::Rate { lead, stars, note } => {
            change(ctx, &person, l, &lead, Change::Rate(stars, note)).await
        }
        Command::Show { lead } => show(ctx, &person, l, &lead).await,
        Command::Why { lead } => why(ctx, &person, l, &lead).await,
        Command::Mine => mine(ctx, &person, l).await,
        Command::Reassign { lead, to } => reassign(ctx, &person, l, &lead, &to).await,
        Command::Snooze { lead, by } => super::snooze::snooze(ctx, &person, l, &lead, by).await,
        Command::Handback { lead, reason } => {
            handback(ctx, &person, l, &lead, reason.as_deref()).await
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
                crate::reports::funnel(&ctx.db, &ctx.config, period, by, ctx.clock.now()).await?;
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
            let locale = ctx.locale_of(&person.email, None);
            let report = crate::plan::plan(&ctx.db, &ctx.config, &request, ctx.clock.now()).await?;
            let text = report.render_text_in(ctx.config.reporting_tz, locale);
            let mut message = compose::reply(text).in_locale(locale);
            if request.chart {
                message = message.chart(report.chart_in(locale));
            }
            Ok(Reply::ok(message))
        }
        Command::Sla { period, team } => sla_report(ctx, &person, period, team.as_deref()).await,
        Command::Help => Ok(Reply::ok(compose::reply(grammar::help(l)))),
        Command::Link { .. } => Ok(Reply::refuse(t(l, "reply-link-elsewhere"))),
        Command::Confirm { user } => super::links::confirm(ctx, &person, l, &user).await,
        Command::Away {
            person: who,
            period,
            note,
        } => {
            super::availability::away(ctx, &person, l, who.as_deref(), period, note.as_deref())
                .await
        }
        Command::Back { person: who } => {
            super::availability::back(ctx, &person, l, who.as_deref()).await
        }
        Command::Who { team } => super::availability::who(ctx, l, team.as_deref()).await,
        Command::Links => {
            let tz = clocks::tz_of(ctx, Some(&person.email));
            super::links::list(ctx, &person, l, tz).await
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

pub(super) fn no_such_lead(locale: Locale, lead: &LeadRef) -> Reply {
    Reply::refuse(tr(
        locale,
        "reply-no-such-lead",
        &[("lead", lead.to_string().into())],
    ))
}

/// "lead #7 has no handoff: it has not been an MQL".
pub(super) fn no_handoff(locale: Locale, lead: i64) -> Reply {
    Reply::refuse(tr(locale, "reply-no-handoff", &[("lead", lead.into())]))
}

/// A person as a reader sees them: their name from the directory (an email Baton does not
/// know stays as it is).
pub(super) fn name_of(ctx: &Ctx, email: &str) -> String {
    ctx.config
        .directory
        .person(email)
        .map_or_else(|| email.to_string(), |p| p.name.clone())
}

/// A stored time in the reader's zone and language; text that is not a time stays as is.
pub(super) fn when_of(locale: Locale, at: &str, tz: chrono_tz::Tz) -> String {
    parse_ts(at).map_or_else(|_| at.to_string(), |t| crate::i18n::local(locale, t, tz))
}

/// "Ann at Tue 01 Dec 22:11 CET", or "the CRM at an unknown time".
fn who_when(
    ctx: &Ctx,
    locale: Locale,
    tz: chrono_tz::Tz,
    by: Option<&str>,
    at: Option<DateTime<Utc>>,
) -> String {
    tr(
        locale,
        "reply-who-when",
        &[
            (
                "by",
                by.map_or_else(|| t(locale, "the-crm"), |b| name_of(ctx, b))
                    .into(),
            ),
            (
                "at",
                at.map_or_else(
                    || t(locale, "unknown-time"),
                    |a| crate::i18n::local(locale, a, tz),
                )
                .into(),
            ),
        ],
    )
}

async fn change(
    ctx: &Ctx,
    actor: &Person,
    l: Locale,
    lead_ref: &LeadRef,
    change: Change,
) -> anyhow::Result<Reply> {
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(l, lead_ref));
    };
    let Some(h) = handoffs::current_for_lead(&mut tx, lead.id).await? else {
        return Ok(no_handoff(l, lead.id));
    };
    let manager = manager_of(ctx, &h);
    if let Err(why) = may_work_on(actor, h.assignee.as_deref(), manager) {
        return Ok(Reply::refuse(why.render(l)));
    }
    let now_at = ctx.clock.now();
    let now = ts(now_at);
    let me = actor.email.as_str();
    let reader_tz = clocks::tz_of(ctx, Some(me));
    let decided = h.status != Status::Open;
    let (what, reply, stage) = match &change {
        Change::Ack => {
            if !handoffs::ack(&mut tx, h.id, &now, me).await? {
                return Ok(Reply::refuse(tr(
                    l,
                    "reply-already-acked",
                    &[
                        ("lead", lead.id.into()),
                        (
                            "who",
                            who_when(ctx, l, reader_tz, h.acked_by.as_deref(), h.acked_at).into(),
                        ),
                    ],
                )));
            }
            clocks::stop(ctx, &mut tx, &h, &[ClockKind::Ack], now_at).await?;
            (
                Text::new("update-acked").arg("by", actor.name.as_str()),
                tr(
                    l,
                    "reply-acked",
                    &[
                        ("lead", lead.id.into()),
                        ("name", lead.display_name().into()),
                    ],
                ),
                None,
            )
        }
        Change::Contacted(note) => {
            if !handoffs::contacted(&mut tx, h.id, &now, me).await? {
                let tz = reader_tz;
                return Ok(Reply::refuse(tr(
                    l,
                    "reply-already-contacted",
                    &[
                        ("lead", lead.id.into()),
                        (
                            "at",
                            h.contacted_at
                                .map_or_else(
                                    || t(l, "unknown-time"),
                                    |a| crate::i18n::local(l, a, tz),
                                )
                                .into(),
                        ),
                    ],
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
                Text::new("update-contacted").arg("by", actor.name.as_str()),
                tr(l, "reply-contacted", &[("lead", lead.id.into())]),
                None,
            )
        }
        Change::Accept(note) | Change::Reject(_, note) => {
            if decided {
                return Ok(Reply::refuse(tr(
                    l,
                    "reply-already-decided",
                    &[
                        ("lead", lead.id.into()),
                        ("status", h.status.to_string().into()),
                        (
                            "who",
                            who_when(ctx, l, reader_tz, h.decided_by.as_deref(), h.decided_at)
                                .into(),
                        ),
                    ],
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
                Some(reason) => Text::new("update-rejected")
                    .arg("by", actor.name.as_str())
                    .arg("reason", reason.as_str()),
                None => Text::new("update-accepted").arg("by", actor.name.as_str()),
            };
            let reply = tr(
                l,
                "reply-decided",
                &[
                    ("lead", lead.id.into()),
                    ("status", status.as_str().into()),
                    ("stage", stage.as_str().into()),
                ],
            );
            (what, reply, Some(stage))
        }
        Change::Rate(stars, note) => {
            if h.rating == Some(i64::from(*stars)) && note.is_none() {
                return Ok(Reply::refuse(tr(
                    l,
                    "reply-already-rated",
                    &[
                        ("lead", lead.id.into()),
                        ("stars", i64::from(*stars).into()),
                    ],
                )));
            }
            handoffs::rate(&mut tx, h.id, *stars, note.as_deref()).await?;
            (
                Text::new("update-rated")
                    .arg("by", actor.name.as_str())
                    .num("stars", i64::from(*stars)),
                tr(
                    l,
                    "reply-rated",
                    &[
                        ("lead", lead.id.into()),
                        ("stars", i64::from(*stars).into()),
                    ],
                ),
                None,
            )
        }
    };
    handoffs::log(&mut tx, h.id, &now, Some(me), &what.to_stored()).await?;
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
        let by = &Mention::person(actor);
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

async fn show(ctx: &Ctx, actor: &Person, l: Locale, lead_ref: &LeadRef) -> anyhow::Result<Reply> {
    let mut conn = ctx.db.pool.acquire().await?;
    let Some(lead) = find_lead(&mut conn, lead_ref).await? else {
        return Ok(no_such_lead(l, lead_ref));
    };
    let mut all = Vec::new();
    for h in handoffs::for_lead(&mut conn, lead.id).await? {
        let log = handoffs::history(&mut conn, h.id).await?;
        all.push((h, log));
    }
    let attached = crate::store::duplicates::attached_to(&mut conn, lead.id).await?;
    let now = ctx.clock.now();
    let tz = clocks::tz_of(ctx, Some(&actor.email));
    let name = |email: &str| name_of(ctx, email);
    let mut message = compose::show(l, &lead, &all, tz, now, &name);
    if !attached.is_empty() {
        let lines: Vec<String> = attached
            .iter()
            .map(|(handoff, first, at)| {
                tr(
                    l,
                    "show-attached-line",
                    &[
                        ("when", when_of(l, at, tz).into()),
                        ("handoff", (*handoff).into()),
                        ("lead", (*first).into()),
                    ],
                )
            })
            .collect();
        message = message.section(t(l, "show-attached"), lines.join("\n"));
    }
    Ok(Reply::ok(message))
}

/// `/lead why`: the stored routing decision of the lead's latest handoff, for its
/// assignee, their manager and admins.
async fn why(ctx: &Ctx, actor: &Person, l: Locale, lead_ref: &LeadRef) -> anyhow::Result<Reply> {
    let mut conn = ctx.db.pool.acquire().await?;
    let Some(lead) = find_lead(&mut conn, lead_ref).await? else {
        return Ok(no_such_lead(l, lead_ref));
    };
    let Some(h) = handoffs::current_for_lead(&mut conn, lead.id).await? else {
        return Ok(Reply::refuse(tr(
            l,
            "reply-why-no-handoff",
            &[("lead", lead.id.into())],
        )));
    };
    let assignee = h
        .assignee
        .as_deref()
        .map_or_else(|| t(l, "nobody"), |a| name_of(ctx, a));
    if may_work_on(actor, h.assignee.as_deref(), manager_of(ctx, &h)).is_err() {
        return Ok(Reply::refuse(tr(
            l,
            "reply-why-not-allowed",
            &[("assignee", assignee.into()), ("lead", lead.id.into())],
        )));
    }
    let Some((at, explanation)) = accounts::decision(&mut conn, h.id).await? else {
        return Ok(Reply::refuse(tr(
            l,
            "reply-why-no-decision",
            &[("handoff", h.id.into()), ("lead", lead.id.into())],
        )));
    };
    let tz = clocks::tz_of(ctx, Some(&actor.email));
    let mut lines = vec![tr(
        l,
        "reply-why-title",
        &[
            ("lead", lead.id.into()),
            ("name", lead.display_name().into()),
            ("assignee", assignee.as_str().into()),
            ("handoff", h.id.into()),
            ("when", when_of(l, &at, tz).into()),
        ],
    )];
    let name = |email: &str| name_of(ctx, email);
    lines.extend(explanation.lines(l, tz, &name));
    if h.assignee != explanation.assignee {
        lines.push(tr(
            l,
            "reply-why-reassigned-since",
            &[
                ("assignee", assignee.as_str().into()),
                ("lead", lead.id.into()),
            ],
        ));
    }
    Ok(Reply::ok(compose::reply(lines.join("\n"))))
}

async fn mine(ctx: &Ctx, person: &Person, l: Locale) -> anyhow::Result<Reply> {
    let text = open_handoff_lines(ctx, person, l)
        .await?
        .unwrap_or_else(|| t(l, "mine-none"));
    Ok(Reply::ok(compose::reply(text)))
}

/// A person's open handoffs with their clocks, one per line, in `locale` (`/lead mine`
/// and the morning summary); none when nothing is open.
pub async fn open_handoff_lines(
    ctx: &Ctx,
    person: &Person,
    l: Locale,
) -> anyhow::Result<Option<String>> {
    let mut conn = ctx.db.pool.acquire().await?;
    let open: Vec<Handoff> = handoffs::open_for_assignee(&mut conn, &person.email).await?;
    if open.is_empty() {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let tz = clocks::tz_of(ctx, Some(&person.email));
    let count = i64::try_from(open.len()).unwrap_or(i64::MAX);
    let mut lines = vec![tr(l, "mine-title", &[("count", count.into())])];
    for h in &open {
        let lead = leads::by_id(&mut conn, h.lead_id).await?;
        let name = lead.map(|l| l.display_name()).unwrap_or_default();
        let age = crate::i18n::span(l, now - h.opened_at);
        let acked = if h.acked_at.is_some() { "yes" } else { "no" };
        lines.push(tr(
            l,
            "mine-line",
            &[
                ("lead", h.lead_id.into()),
                ("name", name.into()),
                ("age", age.into()),
                ("acked", acked.into()),
            ],
        ));
        // A fresh window after a reassignment is the one this person works to.
        let mut shown = h.clone();
        if let Some(w) = crate::store::sla::current_window(&mut conn, h.id).await?
            && w.assignee.as_deref() == Some(person.email.as_str())
        {
            shown.ack_due_at = w.ack_due_at.or(shown.ack_due_at);
            shown.first_touch_due_at = w.first_touch_due_at.or(shown.first_touch_due_at);
            let since = w.window_start;
            lines.push(format!(
                "    {}",
                tr(
                    l,
                    "mine-own-window",
                    &[("since", crate::i18n::local(l, since, tz).into())],
                )
            ));
        }
        for line in compose::clock_status(l, &shown, tz, now) {
            lines.push(format!("    {line}"));
        }
    }
    Ok(Some(lines.join("\n")))
}

async fn reassign(
    ctx: &Ctx,
    actor: &Person,
    l: Locale,
    lead_ref: &LeadRef,
    to: &str,
) -> anyhow::Result<Reply> {
    let Some(target) = ctx.config.directory.person(to).cloned() else {
        return Ok(Reply::refuse(tr(
            l,
            "reply-reassign-unknown",
            &[("to", to.into())],
        )));
    };
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(l, lead_ref));
    };
    let Some(h) = handoffs::open_for_lead(&mut tx, lead.id).await? else {
        return Ok(Reply::refuse(tr(
            l,
            "reply-no-open-handoff",
            &[("lead", lead.id.into())],
        )));
    };
    let manager = manager_of(ctx, &h);
    if let Err(why) = may_reassign(actor, manager) {
        return Ok(Reply::refuse(why.render(l)));
    }
    if h.assignee.as_deref() == Some(target.email.as_str()) {
        return Ok(Reply::refuse(tr(
            l,
            "reply-already-assigned",
            &[
                ("lead", lead.id.into()),
                ("to", target.name.as_str().into()),
            ],
        )));
    }
    let why = Text::new("note-by").arg("who", actor.name.as_str());
    clocks::hand_over(
        ctx,
        &mut tx,
        &h,
        &lead,
        &target.email,
        target.team.as_deref(),
        why,
        Some(&actor.email),
    )
    .await?;
    tx.commit().await.context("cannot save the reassignment")?;
    ctx.outbox_ready.notify_waiters();
    ctx.timers_changed.notify_one();
    info!(lead = lead.id, handoff = h.id, to = %target.email, "handoff reassigned by a command");
    Ok(Reply::ok(compose::reply(tr(
        l,
        "reply-reassigned",
        &[
            ("lead", lead.id.into()),
            ("to", target.name.as_str().into()),
        ],
    ))))
}

/// `/lead handback`: the assignee gives the lead back to the rotation, once, before a
/// breach; routing picks the next assignee as it would for a new lead, without them. No
/// breach is recorded for them, and `on_reassign` decides the new assignee's clocks.
async fn handback(
    ctx: &Ctx,
    actor: &Person,
    l: Locale,
    lead_ref: &LeadRef,
    reason: Option<&str>,
) -> anyhow::Result<Reply> {
    let mut tx = ctx.db.begin().await?;
    let Some(lead) = find_lead(&mut tx, lead_ref).await? else {
        return Ok(no_such_lead(l, lead_ref));
    };
    let Some(h) = handoffs::current_for_lead(&mut tx, lead.id).await? else {
        return Ok(no_handoff(l, lead.id));
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
    let tz = clocks::tz_of(ctx, Some(me));
    let handed_back_at = handed_back_at.map(|at| when_of(l, &at, tz));
    let facts = HandbackFacts {
        lead_id: lead.id,
        assignee: h.assignee.as_deref(),
        decided: decided.as_deref(),
        handed_back_at: handed_back_at.as_deref(),
        breached: breached.map(ClockKind::as_str),
    };
    if let Err(why) = may_hand_back(actor, &facts) {
        return Ok(Reply::refuse(why.render(l)));
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
        return Ok(Reply::refuse(tr(
            l,
            "reply-handback-nobody",
            &[
                ("lead", lead.id.into()),
                ("reason", assignment.reason.render_in(l, tz).into()),
            ],
        )));
    };
    if let Some((team, rotation)) = &assignment.rotation {
        crate::store::rotation::save_pick(&mut tx, team, rotation, &to).await?;
    }
    let now_text = ts(now);
    handoffs::record_handback(&mut tx, h.id, me, &now_text, reason).await?;
    let why = match reason {
        Some(reason) => Text::new("why-handed-back-because").arg("reason", reason),
        None => Text::new("why-handed-back"),
    }
    .arg("name", actor.name.as_str())
    .nested("why", assignment.reason.clone());
    let how = clocks::Handover {
        why,
        note: Text::new("note-handed-back"),
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
    Ok(Reply::ok(compose::reply(tr(
        l,
        "reply-handed-back",
        &[("lead", lead.id.into()), ("name", name.into())],
    ))))
}

/// `/sla`: managers, marketers and admins see every team; a rep sees their own figures.
async fn sla_report(
    ctx: &Ctx,
    person: &Person,
    period: crate::domain::period::Period,
    team: Option<&str>,
) -> anyhow::Result<Reply> {
    let locale = ctx.locale_of(&person.email, None);
    let team = match team
        .map(|t| crate::reports::check_team(&ctx.config, t))
        .transpose()
    {
        Ok(team) => team,
        Err(why) => return Ok(Reply::refuse(why.render(locale))),
    };
    let only_rep =
        (person.role == crate::domain::directory::Role::Rep).then_some(person.email.as_str());
    let report = crate::reports::sla(
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
