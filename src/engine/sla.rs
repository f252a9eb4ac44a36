//! The SLA clock loop. It sleeps until the earliest pending timer (one indexed lookup, so
//! the cost of a wake-up does not grow with the number of open handoffs), then fires what
//! is due: reminders to the assignee, and on a breach the policy's `on_breach` actions.
//!
//! A timer overtaken by events is dropped, never sent late: the clock it belongs to has
//! stopped, the handoff was decided, or its fence no longer matches (it was reassigned).
//! Timers found overdue by more than [`LATE`] (Baton was down) are not sent one by one:
//! each recipient gets one notice listing them, and breaches are recorded with their true
//! time (the deadline), not the restart time.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tracing::{error, info};

use super::{Ctx, clocks, enqueue_all};
use crate::domain::handoff::{Handoff, Status};
use crate::domain::routing::{self, Situation};
use crate::domain::sla::{self, BreachAction, CascadeStep, ClockKind, TimerKind};
use crate::message::compose;
use crate::message::{Kind, Mention, Message};
use crate::store::handoffs;
use crate::store::sla::{self as store_sla, TimerRow};
use crate::store::{leads, rotation, ts};

/// A timer this much overdue was missed while Baton was not running.
pub const LATE: chrono::Duration = chrono::Duration::seconds(60);
const BATCH: i64 = 200;

pub async fn run(ctx: Ctx) -> anyhow::Result<()> {
    info!("SLA clock running");
    loop {
        ctx.progress.sla_woke(ctx.clock.now());
        match fire_due(&ctx).await {
            Ok(fired) if fired > 0 => continue,
            Ok(_) => {}
            Err(e) => {
                error!(error = %format!("{e:#}"), "SLA clock error; will retry");
                tokio::select! {
                    _ = ctx.shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                continue;
            }
        }
        let next = {
            let mut conn = ctx.db.pool.acquire().await?;
            store_sla::next_due(&mut conn).await?
        };
        let wake_at = next;
        let due = async {
            match wake_at {
                Some(at) => ctx.clock.sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return Ok(()),
            _ = ctx.timers_changed.notified() => {}
            _ = due => {}
        }
    }
}

/// Messages for what was missed while down, gathered per (platform, recipient).
#[derive(Default)]
struct Missed {
    reminders: BTreeMap<String, Vec<String>>,
    breaches: BTreeMap<String, Vec<String>>,
}

/// Fires every timer due now, in batches of one transaction each. Returns how many
/// timers were settled.
pub async fn fire_due(ctx: &Ctx) -> anyhow::Result<usize> {
    let now = ctx.clock.now();
    let mut tx = ctx.db.begin().await?;
    let timers = store_sla::due(&mut tx, &ts(now), BATCH).await?;
    if timers.is_empty() {
        return Ok(0);
    }
    let mut missed = Missed::default();
    let (mut fired_count, mut breaches) = (0u64, 0u64);
    for timer in &timers {
        let outcome = fire(ctx, &mut tx, timer, now, &mut missed).await?;
        let fired = outcome != Outcome::Dropped;
        fired_count += u64::from(fired);
        breaches += u64::from(outcome == Outcome::Breached);
        store_sla::finish_timer(&mut tx, timer.id, fired).await?;
    }
    let now_text = ts(now);
    for (recipient, lines) in &missed.reminders {
        let locale = ctx.locale_of(recipient, None);
        let message = compose::missed(locale, compose::Missed::Reminders, lines);
        enqueue_all(
            &mut tx,
            &ctx.person_targets(recipient),
            Kind::Reminder,
            None,
            &message,
            None,
            &now_text,
        )
        .await?;
    }
    for (recipient, lines) in &missed.breaches {
        let locale = ctx.locale_of(recipient, None);
        let message = compose::missed(locale, compose::Missed::Breaches, lines);
        let targets = targets_for(ctx, recipient);
        enqueue_all(
            &mut tx,
            &targets,
            Kind::Escalation,
            None,
            &message,
            None,
            &now_text,
        )
        .await?;
    }
    tx.commit().await.context("cannot commit SLA timers")?;
    ctx.outbox_ready.notify_waiters();
    ctx.stats.update(|c| {
        c.timers_fired += fired_count;
        c.breaches += breaches;
    });
    Ok(timers.len())
}

/// A recipient may be a person (email) or a channel.
fn targets_for(ctx: &Ctx, recipient: &str) -> Vec<(String, String)> {
    ctx.person_targets(recipient)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Overtaken by events: not sent.
    Dropped,
    Reminded,
    Breached,
}

/// Fires one timer.
async fn fire(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    timer: &TimerRow,
    now: DateTime<Utc>,
    missed: &mut Missed,
) -> anyhow::Result<Outcome> {
    let Some(h) = handoffs::by_id(conn, timer.handoff_id).await? else {
        return Ok(Outcome::Dropped);
    };
    let clock = timer.clock;
    let overtaken =
        h.status != Status::Open || h.fence != timer.fence || h.stopped_at(clock).is_some();
    if overtaken {
        return Ok(Outcome::Dropped);
    }
    if h.silent {
        return record_silent_breach(conn, &h, timer, clock, now).await;
    }
    let Some(lead) = leads::by_id(conn, h.lead_id).await? else {
        return Ok(Outcome::Dropped);
    };
    let due = timer.due_at;
    let late = now - due > LATE;
    let assignee = h.assignee.clone().unwrap_or_default();
    let tz = clocks::tz_of(ctx, Some(&assignee));
    // The deadline the holder works to: their fresh window's, else the handoff's.
    let (deadline, window_id) = clocks::holder_deadline(conn, &h, clock)
        .await?
        .unwrap_or((due, 0));
    let now_text = ts(now);

    if matches!(timer.kind, TimerKind::Remind(_)) {
        if deadline <= now {
            // The breach is due too: it speaks for this reminder.
            return Ok(Outcome::Dropped);
        }
        if late {
            missed
                .reminders
                .entry(assignee.clone())
                .or_default()
                .push(format!(
                    "lead #{} {}: {} by {} ({})",
                    lead.id,
                    lead.display_name(),
                    clock.label(),
                    compose::local(deadline, tz),
                    compose::relative(deadline, now)
                ));
        } else {
            let locale = ctx.locale_of(&assignee, h.team.as_deref());
            let message = compose::reminder(locale, &lead, clock, deadline, tz, now);
            let key = format!("timer:{}", timer.id);
            enqueue_all(
                conn,
                &ctx.person_targets(&assignee),
                Kind::Reminder,
                Some(h.id),
                &message,
                Some(&key),
                &now_text,
            )
            .await?;
        }
        handoffs::log(
            conn,
            h.id,
            &now_text,
            None,
            &crate::i18n::Text::new("log-reminded")
                .message("clock", compose::clock_name_id(clock))
                .time("due", deadline)
                .to_stored(),
        )
        .await?;
        return Ok(Outcome::Reminded);
    }

    // A breach, recorded at its true time.
    if !clocks::record_breach(
        conn,
        &h,
        clock,
        h.assignee.as_deref(),
        timer.due_at,
        &now_text,
        clocks::BreachNote::Live,
        window_id,
    )
    .await?
    {
        return Ok(Outcome::Dropped);
    }
    info!(handoff = h.id, lead = lead.id, clock = clock.as_str(), assignee = %assignee, "SLA breached");
    let policy = h
        .sla_policy
        .as_deref()
        .and_then(|name| ctx.config.policies.iter().find(|p| p.name == name));
    let actions = policy.map(|p| p.on_breach.clone()).unwrap_or_default();
    let team = h.team.as_deref().and_then(|t| ctx.config.directory.team(t));
    let mut recipients: Vec<String> = Vec::new();
    for action in &actions {
        match action {
            BreachAction::NotifyRep => recipients.push(assignee.clone()),
            BreachAction::NotifyManager => recipients.extend(team.map(|t| t.manager.clone())),
            BreachAction::NotifyChannel => recipients.extend(team.and_then(|t| t.channel.clone())),
            BreachAction::Reassign => {}
        }
    }
    recipients.dedup();
    let step = actions
        .contains(&BreachAction::Reassign)
        .then(|| cascade(ctx, &h, policy));
    // When the cascade ends at the manager, the escalation says so.
    let cascade_end = match &step {
        Some((CascadeStep::ToManager | CascadeStep::Stay, Some(manager))) => {
            let name = ctx
                .config
                .directory
                .person(manager)
                .map_or(manager.clone(), |p| p.name.clone());
            let max = policy.map_or(0, |p| p.max_reassign);
            let done = u32::try_from(h.breach_reassigns).unwrap_or(u32::MAX);
            Some((done, max, name))
        }
        _ => None,
    };
    let assignee_who = Mention::of(&ctx.config.directory, &assignee);
    for recipient in recipients.iter().filter(|r| !r.is_empty()) {
        let locale = ctx.locale_of(recipient, h.team.as_deref());
        let mut message: Message =
            compose::breach(locale, &lead, clock, &assignee_who, deadline, tz, now);
        if let Some((done, max, name)) = &cascade_end {
            message = compose::cascade_end(message, *done, *max, name);
        }
        if late {
            missed
                .breaches
                .entry(recipient.clone())
                .or_default()
                .push(message.named().title);
        } else {
            // One escalation per window: a holder's fresh window is a window of its own.
            let key = match window_id {
                0 => format!("breach:{}:{}:{recipient}", h.id, clock.as_str()),
                w => format!("breach:{}:{}:w{w}:{recipient}", h.id, clock.as_str()),
            };
            enqueue_all(
                conn,
                &targets_for(ctx, recipient),
                Kind::Escalation,
                Some(h.id),
                &message,
                Some(&key),
                &now_text,
            )
            .await?;
        }
    }
    match step {
        Some((CascadeStep::Route, _)) => {
            reassign_after_breach(ctx, conn, &h, &lead, clock, now).await?;
        }
        Some((CascadeStep::ToManager, Some(manager))) => {
            to_manager_after_breach(ctx, conn, &h, &lead, clock, &manager).await?;
        }
        _ => {}
    }
    Ok(Outcome::Breached)
}

/// The cascade's next step for `h` (`max_reassign`), and the team's manager.
fn cascade(
    ctx: &Ctx,
    h: &Handoff,
    policy: Option<&crate::domain::sla::Policy>,
) -> (CascadeStep, Option<String>) {
    let manager = h
        .team
        .as_deref()
        .and_then(|t| ctx.config.directory.team(t))
        .map(|t| t.manager.clone());
    let max = policy.map_or(u32::MAX, |p| p.max_reassign);
    let done = u32::try_from(h.breach_reassigns).unwrap_or(u32::MAX);
    let held_by_manager = manager.is_none() || h.assignee == manager;
    (sla::cascade_step(done, max, held_by_manager), manager)
}

/// `max_reassign` is used up: the lead goes to the team's manager and stays there.
async fn to_manager_after_breach(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    h: &Handoff,
    lead: &crate::domain::lead::Lead,
    clock: ClockKind,
    manager: &str,
) -> anyhow::Result<()> {
    let why = crate::i18n::Text::new("why-breach-to-manager")
        .message("clock", compose::clock_name_id(clock))
        .num("count", h.breach_reassigns);
    let how = clocks::Handover {
        why,
        note: compose::missed_note(clock),
        actor: None,
        fair: true,
    };
    handoffs::count_breach_reassign(conn, h.id).await?;
    clocks::hand_over_with(ctx, conn, h, lead, manager, None, &how).await?;
    info!(handoff = h.id, from = ?h.assignee, to = %manager, "max_reassign reached: to the manager");
    Ok(())
}

/// A silent handoff's clock ran out (an MQL loaded by `import --history` or older than
/// `max_alert_age`): the breach is recorded at its deadline, for the holder then, and
/// nobody is told or reassigned (no storms on backfill). Silent handoffs have no
/// reminder timers; one found anyway is dropped.
async fn record_silent_breach(
    conn: &mut SqliteConnection,
    h: &Handoff,
    timer: &TimerRow,
    clock: ClockKind,
    now: DateTime<Utc>,
) -> anyhow::Result<Outcome> {
    if timer.kind != TimerKind::Breach {
        return Ok(Outcome::Dropped);
    }
    let now_text = ts(now);
    let holder = store_sla::holder_at(conn, h.id, &ts(timer.due_at)).await?;
    let window_id = clocks::holder_deadline(conn, h, clock)
        .await?
        .map_or(0, |(_, id)| id);
    if !clocks::record_breach(
        conn,
        h,
        clock,
        holder.as_deref(),
        timer.due_at,
        &now_text,
        clocks::BreachNote::Silent,
        window_id,
    )
    .await?
    {
        return Ok(Outcome::Dropped);
    }
    Ok(Outcome::Breached)
}

/// Routes the lead again without the reps who had it; the new assignee gets an alert
/// ("reassigned to you") and, with `on_reassign = "fresh"`, their own ack and first-touch
/// windows (else the clocks keep counting from the MQL time).
async fn reassign_after_breach(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    h: &Handoff,
    lead: &crate::domain::lead::Lead,
    clock: ClockKind,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut exclude: Vec<String> = h.previous_assignees.clone();
    exclude.extend(h.assignee.clone());
    let open = handoffs::open_counts(conn).await?;
    let rotations = rotation::load_all(conn).await?;
    let account = super::routing::account_fact(ctx, conn, lead, now).await?;
    let away = super::routing::availability(ctx, conn).await?;
    let assignment = routing::route(
        &ctx.config.directory,
        lead,
        &Situation {
            now,
            open: &open,
            rotations: &rotations,
            exclude: &exclude,
            account: account.as_ref(),
            away: &away,
        },
    );
    let Some(to) = assignment.assignee.clone() else {
        return Ok(());
    };
    if Some(&to) == h.assignee.as_ref() {
        return Ok(());
    }
    if let Some((team, rotation)) = &assignment.rotation {
        rotation::save_pick(conn, team, rotation, &to).await?;
    }
    let why = crate::i18n::Text::new("why-breach-reassigned")
        .message("clock", compose::clock_name_id(clock))
        .nested("why", assignment.reason.clone());
    let how = clocks::Handover {
        why,
        note: compose::missed_note(clock),
        actor: None,
        fair: true,
    };
    handoffs::count_breach_reassign(conn, h.id).await?;
    clocks::hand_over_with(ctx, conn, h, lead, &to, assignment.team.as_deref(), &how).await?;
    crate::store::accounts::record_decision(
        conn,
        h.id,
        &crate::store::ts(now),
        &assignment.explanation(super::routing::lead_domain(ctx, lead).as_deref()),
    )
    .await?;
    info!(handoff = h.id, from = ?h.assignee, to = %to, "reassigned after a breach");
    Ok(())
}
