//! Starting, stopping and handing over a handoff's SLA clocks, inside the caller's
//! transaction. Used by the intake (a new handoff), the commands (ack, contacted, a
//! decision, reassign, handback), the CRM's decisions and the SLA loop (reassign on
//! breach). A holder who got a fresh window (`on_reassign = "fresh"`) is judged by it: its
//! deadlines are on their `handoff_holders` row, and its breaches are recorded under it.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::Ctx;
use super::actions::name_of;
use crate::domain::calendar::Calendar;
use crate::domain::handoff::Handoff;
use crate::domain::lead::Lead;
use crate::domain::sla::{self, ClockKind, OnReassign, TimerKind};
use crate::i18n::Text;
use crate::message::{Kind, Mention};
use crate::message::{buttons, compose};
use crate::store::handoffs;
use crate::store::sla::FreshWindow;
use crate::store::{outbox, sla as store_sla, ts};

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
    let start = h.clocks_start(at);
    let running: Vec<ClockKind> = clocks
        .iter()
        .copied()
        .filter(|c| h.stopped_at(*c).is_none())
        .collect();
    let now_text = ts(ctx.clock.now());
    let window = store_sla::current_window(conn, h.id).await?;
    let stopped = BreachNote::Stopped(at);
    for clock in &running {
        let (wall_s, business_s) = sla::elapsed(h.sla_calendar.is_some(), calendar, start, at);
        store_sla::set_elapsed(conn, h.id, *clock, wall_s, business_s).await?;
        let Some(due) = h.due_at(*clock) else {
            continue;
        };
        if due < at {
            // A holder with a fresh window for this clock is judged by that window alone:
            // the handoff's own deadline, run out while they held it, is the team's.
            let holder = match &window {
                Some(w) if w.due_at(*clock).is_some() && w.window_start <= due => None,
                _ => store_sla::holder_at(conn, h.id, &ts(due)).await?,
            };
            record_breach(
                conn,
                h,
                *clock,
                holder.as_deref(),
                due,
                &now_text,
                stopped,
                0,
            )
            .await?;
        } else {
            store_sla::forget_breach(conn, h.id, *clock, 0).await?;
        }
        if let Some(w) = &window
            && w.due_at(*clock).is_some()
        {
            let from = w.window_start;
            let (wall_s, business_s) = sla::elapsed(h.sla_calendar.is_some(), calendar, from, at);
            store_sla::set_window_elapsed(conn, w.id, *clock, wall_s, business_s).await?;
            let name = w.assignee.as_deref().map(|e| name_of(ctx, e));
            settle_window(conn, h, w, *clock, at, &now_text, name.as_deref()).await?;
        }
    }
    store_sla::disarm(conn, h.id, &running).await
}

/// Settles the holder's fresh window of `clock`, stopped at `at`: a breach when it ran
/// out first (recorded under the window), else none.
async fn settle_window(
    conn: &mut SqliteConnection,
    h: &Handoff,
    w: &FreshWindow,
    clock: ClockKind,
    at: DateTime<Utc>,
    now_text: &str,
    name: Option<&str>,
) -> anyhow::Result<()> {
    let Some(due) = w.due_at(clock) else {
        return Ok(());
    };
    if due < at {
        let detail = BreachNote::OwnWindow {
            name: name.unwrap_or("nobody"),
            stopped: at,
        };
        record_breach(
            conn,
            h,
            clock,
            w.assignee.as_deref(),
            due,
            now_text,
            detail,
            w.id,
        )
        .await?;
    } else {
        store_sla::forget_breach(conn, h.id, clock, w.id).await?;
    }
    Ok(())
}

/// The deadline the current holder works to for `clock`, and the window it belongs to:
/// their fresh window's (its `handoff_holders` id) when they got one for this clock, else
/// the handoff's own (0).
pub async fn holder_deadline(
    conn: &mut SqliteConnection,
    h: &Handoff,
    clock: ClockKind,
) -> anyhow::Result<Option<(DateTime<Utc>, i64)>> {
    let window = store_sla::current_window(conn, h.id).await?;
    let (due, id) = match window
        .as_ref()
        .and_then(|w| w.due_at(clock).map(|d| (d, w.id)))
    {
        Some(fresh) => fresh,
        None => match h.due_at(clock) {
            Some(due) => (due, 0),
            None => return Ok(None),
        },
    };
    Ok(Some((due, id)))
}

/// Records the breach of `clock` at its deadline `due` for `holder` (whoever held the
/// handoff then) and writes it to the handoff's log, with `detail` after the deadline.
/// How a breach came to be recorded, for its line in the handoff's history.
#[derive(Debug, Clone, Copy)]
pub enum BreachNote<'a> {
    /// Its timer fired.
    Live,
    /// Its timer fired on a handoff that sends no alert.
    Silent,
    /// The clock stopped after its deadline, at this time.
    Stopped(DateTime<Utc>),
    /// The clock stopped after the deadline of this holder's own (fresh) window.
    OwnWindow {
        name: &'a str,
        stopped: DateTime<Utc>,
    },
}

impl BreachNote<'_> {
    /// The history line: "SLA breached: acknowledge was due ...", in each reader's
    /// language when shown.
    fn text(self, clock: ClockKind, due: DateTime<Utc>) -> Text {
        let id = match self {
            BreachNote::Live => "log-breached",
            BreachNote::Silent => "log-breached-silent",
            BreachNote::Stopped(_) => "log-breached-stopped",
            BreachNote::OwnWindow { .. } => "log-breached-own-window",
        };
        let text = Text::new(id)
            .message("clock", compose::clock_name_id(clock))
            .time("due", due);
        match self {
            BreachNote::Live | BreachNote::Silent => text,
            BreachNote::Stopped(at) => text.time("stopped", at),
            BreachNote::OwnWindow { name, stopped } => {
                text.arg("name", name).time("stopped", stopped)
            }
        }
    }
}

/// Returns false when the breach was already recorded: a clock breaches once per window
/// (`holder_id` is the fresh window's `handoff_holders` row, 0 for the handoff's own).
#[allow(clippy::too_many_arguments)]
pub async fn record_breach(
    conn: &mut SqliteConnection,
    h: &Handoff,
    clock: ClockKind,
    holder: Option<&str>,
    due: DateTime<Utc>,
    now_text: &str,
    detail: BreachNote<'_>,
    holder_id: i64,
) -> anyhow::Result<bool> {
    let due_at = due;
    let due = ts(due);
    if !store_sla::record_breach(conn, h.id, clock, holder, &due, now_text, holder_id).await? {
        return Ok(false);
    }
    let what = detail.text(clock, due_at);
    handoffs::log(conn, h.id, now_text, None, &what.to_stored()).await?;
    Ok(true)
}

/// The deadlines of a handoff as (clock, due) pairs, for messages.
pub fn deadlines(h: &Handoff) -> Vec<(ClockKind, DateTime<Utc>)> {
    ClockKind::ALL
        .into_iter()
        .filter_map(|c| h.due_at(c).map(|d| (c, d)))
        .collect()
}

/// How a handoff changes hands: what the log, the old alert and the new assignee read,
/// and whether the policy's `on_reassign` applies.
#[derive(Debug, Clone)]
pub struct Handover<'a> {
    /// Why, for the log and the update of the old alert (in each reader's language).
    pub why: Text,
    /// Why, for the new assignee's alert ("Reassigned to you from Ann (ack missed)").
    pub note: crate::i18n::Text,
    /// Who did it; `None` for Baton itself.
    pub actor: Option<&'a str>,
    /// True for the SLA loop's cascade and for a hand-back, where `on_reassign` decides the
    /// new assignee's clocks; a manager's `/lead reassign` keeps them running (SPEC §6).
    pub fair: bool,
}

/// Hands `h` to `to` as a manager's reassignment: the clocks keep running from the MQL
/// time. See [`hand_over_with`].
#[allow(clippy::too_many_arguments)]
pub async fn hand_over(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    h: &Handoff,
    lead: &Lead,
    to: &str,
    team: Option<&str>,
    why: Text,
    actor: Option<&str>,
) -> anyhow::Result<i64> {
    let by = actor
        .and_then(|a| ctx.config.directory.person(a))
        .map_or_else(|| actor.unwrap_or_default().to_string(), |p| p.name.clone());
    let how = Handover {
        why,
        note: Text::new("note-by").arg("who", by),
        actor,
        fair: false,
    };
    hand_over_with(ctx, conn, h, lead, to, team, &how).await
}

/// Hands `h` to `to`: bumps the fence (so the old assignee's timers are dropped), plans
/// the clocks in the new assignee's calendar ([`sla::replan`]: the handoff's deadlines from
/// the MQL time, and with `on_reassign = "fresh"` their own ack and first-touch windows
/// from now), alerts the new assignee ("reassigned to you", with the lead's total wait)
/// and updates the old alert. Returns the new fence.
pub async fn hand_over_with(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    h: &Handoff,
    lead: &Lead,
    to: &str,
    team: Option<&str>,
    how: &Handover<'_>,
) -> anyhow::Result<i64> {
    let now = ctx.clock.now();
    let now_text = ts(now);
    let fence = store_sla::reassign(conn, h.id, to, team, h.assignee.as_deref(), &now_text).await?;
    let to_name = name_of(ctx, to);
    let what = Text::new("log-reassigned")
        .arg("to", to_name.as_str())
        .nested("why", how.why.clone());
    handoffs::log(conn, h.id, &now_text, how.actor, &what.to_stored()).await?;
    let old_targets = if h.silent {
        Vec::new()
    } else {
        outbox::alert_targets(conn, h.id).await?
    };
    if !h.silent {
        let to_who = Mention::of(&ctx.config.directory, to);
        let change = compose::Change::Reassigned {
            to: &to_who,
            why: &how.why,
        };
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
        let start = h.clocks_start(now);
        let stopped = ClockKind::ALL.map(|c| h.stopped_at(c).is_some());
        let on_reassign = if how.fair {
            policy.on_reassign
        } else {
            OnReassign::Continue
        };
        let replan = sla::replan(policy, calendar, start, now, stopped, on_reassign);
        let calendar_name = policy.business_hours.then(|| calendar.name());
        store_sla::set_deadlines(
            conn,
            h.id,
            &policy.name,
            calendar_name,
            &ts(start),
            &replan.plan,
        )
        .await?;
        if let Some([ack, first_touch]) = replan.fresh {
            store_sla::set_fresh_window(
                conn,
                h.id,
                &now_text,
                ack.map(ts).as_deref(),
                first_touch.map(ts).as_deref(),
            )
            .await?;
            handoffs::log(
                conn,
                h.id,
                &now_text,
                None,
                &Text::new("log-fresh-window")
                    .arg("to", to_name.as_str())
                    .time("from", now)
                    .to_stored(),
            )
            .await?;
        }
        // Timers already due are not re-armed: a window breaches once. A silent handoff
        // keeps only its breach timers (recorded, never sent).
        let mut plan = replan.plan.clone();
        plan.timers = replan.timers;
        plan.timers
            .retain(|t| !h.silent || t.kind == TimerKind::Breach);
        store_sla::arm(conn, h.id, fence, &plan).await?;
        let fresh = replan.fresh.unwrap_or([None, None]);
        deadlines = ClockKind::ALL
            .iter()
            .map(|c| {
                let own = match c {
                    ClockKind::Ack => fresh[0],
                    ClockKind::FirstTouch => fresh[1],
                    ClockKind::Disposition => None,
                };
                (*c, own.unwrap_or_else(|| plan.deadline(*c)))
            })
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
        let dir = &ctx.config.directory;
        let who_of = |email: Option<&str>| match email {
            Some(e) => Mention::of(dir, e),
            None => Mention {
                name: crate::i18n::t(crate::i18n::Locale::En, "nobody"),
                ..Mention::default()
            },
        };
        let reassigned = compose::Reassigned {
            from: who_of(h.assignee.as_deref()),
            to: who_of(Some(to)),
            note: how.note.clone(),
            waiting_since: h.clocks_start(now),
        };
        let tz = tz_of(ctx, Some(to));
        let actions = buttons::of_handoff(h);
        let key = format!("alert:{}:f{fence}", h.id);
        // The first lead after a return says "welcome back", to the new assignee only.
        let away = super::routing::availability(ctx, conn).await?;
        let welcome = match dir.person(to) {
            Some(person)
                if super::availability::first_since_return(ctx, conn, &away, to, h.id, now)
                    .await? =>
            {
                Some(person.name.clone())
            }
            _ => None,
        };
        for for_assignee in [true, false] {
            let group_targets: Vec<_> = targets
                .iter()
                .filter(|t| (t.1 == to) == for_assignee)
                .cloned()
                .collect();
            if group_targets.is_empty() {
                continue;
            }
            let message = |locale| {
                // Why it moved, in the reader's language ("ack missed", "by Boss").
                let who = |email: &str| Mention::of(dir, email);
                let alert = compose::alert(
                    locale, lead, h.id, to, &who, &h.why, &how.note, &deadlines, tz, now,
                );
                // The clocks that already stopped stay stopped: offer what is left.
                let alert = compose::reassigned(alert, lead, &reassigned, for_assignee, tz, now)
                    .actions(&actions);
                match welcome.as_deref().filter(|_| for_assignee) {
                    Some(name) => compose::welcome_back(alert, locale, name),
                    None => alert,
                }
            };
            super::enqueue_localized(
                ctx,
                conn,
                &group_targets,
                team_name,
                Kind::Alert,
                Some(h.id),
                message,
                Some(&key),
                &now_text,
            )
            .await?;
        }
    }
    Ok(fence)
}
