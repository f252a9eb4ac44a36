//! Starting, stopping and handing over a handoff's SLA clocks, inside the caller's
//! transaction. Used by the intake (a new handoff), the commands (ack, contacted, a
//! decision, reassign), the CRM's decisions and the SLA loop (reassign on breach).

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::Ctx;
use crate::chat::message::Kind;
use crate::chat::{buttons, compose};
use crate::domain::calendar::Calendar;
use crate::domain::lead::Lead;
use crate::domain::sla::{self, ClockKind, Plan, TimerKind};
use crate::store::handoffs::{self, Handoff};
use crate::store::{outbox, parse_ts, sla as store_sla, ts};

/// The calendar a handoff's clocks count in (stored by name; wall time when none).
pub fn calendar_of_handoff<'a>(ctx: &'a Ctx, h: &Handoff, wall: &'a Calendar) -> &'a Calendar {
    h.sla_calendar
        .as_deref()
        .and_then(|name| ctx.config.directory.calendars.get(name))
        .unwrap_or(wall)
}

/// The calendar of the person `email` (for business time and for showing times).
pub fn calendar_of_person<'a>(ctx: &'a Ctx, email: Option<&str>) -> Option<&'a Calendar> {
    let dir = &ctx.config.directory;
    email
        .and_then(|e| dir.person(e))
        .map(|p| dir.calendar_of(p))
}

/// The time zone to show `email` times in: their calendar's, else the reporting zone.
pub fn tz_of(ctx: &Ctx, email: Option<&str>) -> chrono_tz::Tz {
    calendar_of_person(ctx, email)
        .map(Calendar::tz)
        .unwrap_or(ctx.config.reporting_tz)
}

/// When the clocks of a handoff started (stored when it opened).
/// A stored time that cannot be read is an error, never "now".
pub fn start_of(h: &Handoff, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    match h.sla_start.as_deref() {
        Some(start) => parse_ts(start),
        None => Ok(parse_ts(&h.mql_at)?.min(now)),
    }
    .with_context(|| format!("the clocks' start of handoff {}", h.id))
}

/// The SLA of a new handoff: its policy, the calendar its clocks count in (none for wall
/// time) and the plan. Silent handoffs get deadlines and breach timers (so that their
/// breaches are recorded, without a message) but no reminders. `None` when no policy
/// matches the lead.
pub fn plan_new(
    ctx: &Ctx,
    lead: &Lead,
    assignee: Option<&str>,
    start: DateTime<Utc>,
    silent: bool,
) -> Option<NewClocks> {
    let policy = sla::policy_for(&ctx.config.policies, lead)?;
    let wall = Calendar::always_open();
    let calendar = calendar_of_person(ctx, assignee).unwrap_or(&wall);
    let mut plan = sla::plan(policy, calendar, start, &ClockKind::ALL);
    if silent {
        plan.timers.retain(|t| t.kind == TimerKind::Breach);
    }
    Some(NewClocks {
        policy: policy.name.clone(),
        calendar: policy.business_hours.then(|| calendar.name().to_string()),
        start,
        plan,
    })
}

/// What `plan_new` decided, stored with the handoff.
#[derive(Debug, Clone)]
pub struct NewClocks {
    pub policy: String,
    pub calendar: Option<String>,
    pub start: DateTime<Utc>,
    pub plan: Plan,
}

/// Stops `clocks` of `h` at `at` (those still running): stores how long each ran, drops
/// their timers, and settles each clock's breach by the definition of SPEC §7. A clock
/// stopped after its deadline has breached, however late Baton learned of it (a history
/// being loaded, a decision that arrived with the MQL): its breach is recorded at the
/// deadline, for whoever held the handoff then, without a message. A clock stopped by its
/// deadline was met: a breach recorded before the stop reached Baton is taken back.
pub async fn stop(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    h: &Handoff,
    clocks: &[ClockKind],
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    if h.sla_policy.is_none() {
        return Ok(());
    }
    let wall = Calendar::always_open();
    let calendar = calendar_of_handoff(ctx, h, &wall);
    let start = start_of(h, at)?;
    let running: Vec<ClockKind> = clocks
        .iter()
        .copied()
        .filter(|c| h.stopped_at(*c).is_none())
        .collect();
    let now_text = ts(ctx.clock.now());
    for clock in &running {
        let (wall_s, business_s) = sla::elapsed(h.sla_calendar.is_some(), calendar, start, at);
        store_sla::set_elapsed(conn, h.id, *clock, wall_s, business_s).await?;
        let Some(due_text) = h.due_at(*clock) else {
            continue;
        };
        if parse_ts(due_text)? < at {
            let holder = store_sla::holder_at(conn, h.id, due_text).await?;
            let stopped = format!(", stopped {}", ts(at));
            record_breach(
                conn,
                h,
                *clock,
                holder.as_deref(),
                due_text,
                &now_text,
                &stopped,
            )
            .await?;
        } else {
            store_sla::forget_breach(conn, h.id, *clock).await?;
        }
    }
    store_sla::disarm(conn, h.id, &running).await
}

/// Records the breach of `clock` at its deadline `due` for `holder` (whoever held the
/// handoff then) and writes it to the handoff's log, with `detail` after the deadline.
/// Returns false when the breach was already recorded: a clock breaches once.
pub async fn record_breach(
    conn: &mut SqliteConnection,
    h: &Handoff,
    clock: ClockKind,
    holder: Option<&str>,
    due: &str,
    now_text: &str,
    detail: &str,
) -> anyhow::Result<bool> {
    if !store_sla::record_breach(conn, h.id, clock, holder, due, now_text).await? {
        return Ok(false);
    }
    let what = format!("SLA breached: {} was due {due}{detail}", clock.label());
    handoffs::log(conn, h.id, now_text, None, &what).await?;
    Ok(true)
}

/// The deadlines of a handoff as (clock, due) pairs, for messages.
pub fn deadlines(h: &Handoff) -> Vec<(ClockKind, DateTime<Utc>)> {
    ClockKind::ALL
        .into_iter()
        .filter_map(|c| h.due_at(c).and_then(|d| parse_ts(d).ok()).map(|d| (c, d)))
        .collect()
}

/// Hands `h` to `to`: bumps the fence (so the old assignee's timers are dropped), plans
/// the clocks that still run in the new assignee's calendar from the same start, alerts
/// the new assignee and updates the old alert. Returns the new fence.
#[allow(clippy::too_many_arguments)]
pub async fn hand_over(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    h: &Handoff,
    lead: &Lead,
    to: &str,
    team: Option<&str>,
    why: &str,
    actor: Option<&str>,
) -> anyhow::Result<i64> {
    let now = ctx.clock.now();
    let now_text = ts(now);
    let fence = store_sla::reassign(conn, h.id, to, team, h.assignee.as_deref(), &now_text).await?;
    let what = format!("reassigned to {to}: {why}");
    handoffs::log(conn, h.id, &now_text, actor, &what).await?;
    let old_targets = if h.silent {
        Vec::new()
    } else {
        outbox::alert_targets(conn, h.id).await?
    };
    if !h.silent {
        let change = compose::Change::Reassigned { to, why };
        let actions = buttons::of_handoff(h);
        super::enqueue_localized(
            ctx,
            conn,
            &old_targets,
            h.team.as_deref(),
            Kind::Update,
            Some(h.id),
            |locale| compose::update(locale, lead, &change, &actions),
            None,
            &now_text,
        )
        .await?;
    }
    let mut deadlines = Vec::new();
    if let Some(policy) = h
        .sla_policy
        .as_deref()
        .and_then(|name| ctx.config.policies.iter().find(|p| p.name == name))
    {
        let wall = Calendar::always_open();
        let calendar = calendar_of_person(ctx, Some(to)).unwrap_or(&wall);
        let running: Vec<ClockKind> = ClockKind::ALL
            .into_iter()
            .filter(|c| h.stopped_at(*c).is_none())
            .filter(|c| {
                h.due_at(*c)
                    .and_then(|d| parse_ts(d).ok())
                    .is_none_or(|d| d > now)
            })
            .collect();
        let start = start_of(h, now)?;
        let plan = sla::plan(policy, calendar, start, &running);
        let calendar_name = policy.business_hours.then(|| calendar.name());
        store_sla::set_deadlines(conn, h.id, &policy.name, calendar_name, &ts(start), &plan)
            .await?;
        // Timers already due are not re-armed: a clock breaches once per handoff. A
        // silent handoff keeps only its breach timers (recorded, never sent).
        let mut plan = plan.clone();
        plan.timers
            .retain(|t| t.due_at > now && (!h.silent || t.kind == TimerKind::Breach));
        store_sla::arm(conn, h.id, fence, &plan).await?;
        deadlines = ClockKind::ALL
            .iter()
            .map(|c| (*c, plan.deadline(*c)))
            .collect();
    }
    if !h.silent {
        let team_name = team.or(h.team.as_deref());
        // The new assignee gets the alert; a channel that already shows this handoff's
        // alert gets only the update above, so it sees one alert and one update per change.
        let targets: Vec<_> = ctx
            .alert_targets(Some(to), team_name)
            .into_iter()
            .filter(|target| target.1 == to || !old_targets.contains(target))
            .collect();
        let tz = tz_of(ctx, Some(to));
        let message =
            |locale| compose::alert(locale, lead, h.id, to, &h.why, why, &deadlines, tz, now);
        let key = format!("alert:{}:f{fence}", h.id);
        super::enqueue_localized(
            ctx,
            conn,
            &targets,
            team_name,
            Kind::Alert,
            Some(h.id),
            message,
            Some(&key),
            &now_text,
        )
        .await?;
    }
    Ok(fence)
}
