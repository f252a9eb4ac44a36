//! Turns new `lead_events` into handoffs. One transaction per batch holds the handoffs,
//! their outbox rows, the rotation and the advanced cursor, so a crash either keeps all of
//! it or none of it: each MQL entry opens exactly one handoff and queues exactly one alert.

use std::collections::HashMap;

use anyhow::Context;
use sqlx::SqliteConnection;
use tracing::{info, warn};

use super::{Ctx, clocks, enqueue_all};
use crate::chat::compose;
use crate::chat::message::Kind;
use crate::domain::routing::{self, Rotation, Situation};
use crate::domain::sla::ClockKind;
use crate::domain::stage::{Transition, classify};
use crate::store::events::{self, EventRow};
use crate::store::sla as store_sla;
use crate::store::{activities, handoffs, leads, outbox, parse_ts, rotation, ts};

pub const CURSOR: &str = "watcher";
const BATCH: i64 = 1000;

/// What one pass of the intake did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Intake {
    pub events: usize,
    pub opened: usize,
    pub closed: usize,
    /// Seconds from each alerted MQL entry's commit to its handoff, for `/metrics`.
    pub latencies: Vec<f64>,
}

/// Processes every event after the cursor. Returns what was done.
pub async fn run_once(ctx: &Ctx) -> anyhow::Result<Intake> {
    let mut total = Intake::default();
    let mut busy: Option<Busy<'_>> = None;
    loop {
        let mut tx = ctx.db.begin().await?;
        let after = events::cursor(&mut tx, CURSOR).await?.unwrap_or(0);
        let batch = events::after(&mut tx, after, BATCH).await?;
        let Some(last) = batch.last().map(|e| e.id) else {
            return Ok(total);
        };
        busy.get_or_insert_with(|| Busy::start(ctx));
        let done = process(ctx, &mut tx, &batch).await?;
        events::set_cursor(&mut tx, CURSOR, last).await?;
        tx.commit().await.context("cannot commit new handoffs")?;
        total.events += batch.len();
        total.opened += done.opened;
        total.closed += done.closed;
        ctx.stats.update(|c| {
            c.events_processed += batch.len() as u64;
            c.handoffs_opened += done.opened as u64;
            c.handoffs_closed += done.closed as u64;
            for seconds in &done.latencies {
                c.observe_latency(*seconds);
            }
        });
        if done.opened + done.closed > 0 {
            ctx.outbox_ready.notify_waiters();
            ctx.timers_changed.notify_one();
        }
        if (batch.len() as i64) < BATCH {
            return Ok(total);
        }
    }
}

/// Marks the intake as running until dropped, then wakes the dispatchers.
struct Busy<'a>(&'a Ctx);

impl<'a> Busy<'a> {
    fn start(ctx: &'a Ctx) -> Busy<'a> {
        ctx.intake_running
            .store(true, std::sync::atomic::Ordering::Release);
        Busy(ctx)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0
            .intake_running
            .store(false, std::sync::atomic::Ordering::Release);
        self.0.outbox_ready.notify_waiters();
    }
}

struct BatchState {
    /// (team, member) whose rotation pass changed in this batch, saved once at its end.
    picked: std::collections::BTreeSet<(String, String)>,
    open: HashMap<String, u32>,
    rotations: HashMap<String, Rotation>,
    quiet: Vec<(i64, i64)>,
}

async fn process(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    batch: &[EventRow],
) -> anyhow::Result<Intake> {
    let mut done = Intake::default();
    let mut state: Option<BatchState> = None;
    for event in batch {
        let (from, to) = match event.stages() {
            Ok(stages) => stages,
            Err(e) => {
                warn!(event = event.id, error = %e, "skipping a stage change Baton cannot read");
                continue;
            }
        };
        match classify(from, to) {
            Transition::BecameMql => {
                if state.is_none() {
                    state = Some(BatchState {
                        picked: Default::default(),
                        open: handoffs::open_counts(conn).await?,
                        rotations: rotation::load_all(conn).await?,
                        quiet: events::quiet_ranges(conn, event.id - 1).await?,
                    });
                }
                let state = state.as_mut().expect("loaded above");
                if open_handoff(ctx, conn, event, state, &mut done.latencies).await? {
                    done.opened += 1;
                }
            }
            Transition::LeftForward | Transition::LeftBackward => {
                if close_handoff(ctx, conn, event, to.as_str()).await? {
                    done.closed += 1;
                    // A decided handoff frees its assignee's capacity.
                    if let Some(state) = state.as_mut() {
                        state.open = handoffs::open_counts(conn).await?;
                    }
                }
            }
            Transition::Other => {}
        }
    }
    if let Some(state) = &state {
        for (team, member) in &state.picked {
            if let Some(rotation) = state.rotations.get(team) {
                rotation::save_pick(conn, team, rotation, member).await?;
            }
        }
    }
    Ok(done)
}

async fn open_handoff(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    state: &mut BatchState,
    latencies: &mut Vec<f64>,
) -> anyhow::Result<bool> {
    let Some(lead) = leads::by_id(conn, event.lead_id).await? else {
        warn!(
            lead = event.lead_id,
            event = event.id,
            "a lead became an MQL and was deleted before Baton saw it"
        );
        return Ok(false);
    };
    if let Some(open) = handoffs::open_for_lead(conn, lead.id).await? {
        warn!(
            lead = lead.id,
            handoff = open.id,
            "the lead entered mql again while its handoff is open; keeping the open one"
        );
        return Ok(false);
    }
    let now = ctx.clock.now();
    let mql_at = parse_ts(&event.at).unwrap_or(now);
    let imported = state
        .quiet
        .iter()
        .any(|(first, last)| (*first..=*last).contains(&event.id));
    let silent = imported || now - mql_at > ctx.config.settings.watch.max_alert_age.as_chrono();
    let assignment = routing::route(
        &ctx.config.directory,
        &lead,
        &Situation {
            now,
            open: &state.open,
            rotations: &state.rotations,
            exclude: &[],
        },
    );
    // Only Baton's own scoring leaves reasons; in watch mode there is nothing to look up.
    let reason = match ctx.config.score_model {
        Some(_) => activities::reason(conn, event.id).await?,
        None => None,
    };
    let why = match reason {
        Some(rules) => format!("{rules} (at {})", event.at),
        None => compose::why_mql(event.from_stage.as_deref(), &event.at),
    };
    let now_text = ts(now);
    let clocks = clocks::plan_new(
        ctx,
        &lead,
        assignment.assignee.as_deref(),
        mql_at.min(now),
        silent,
    );
    let handoff_id = handoffs::insert(
        conn,
        &handoffs::NewHandoff {
            lead_id: lead.id,
            event_id: event.id,
            assignee: assignment.assignee.as_deref(),
            team: assignment.team.as_deref(),
            why: &why,
            route_reason: &assignment.reason,
            mql_at: &event.at,
            opened_at: &now_text,
            silent,
            sla: clocks.as_ref().map(|c| handoffs::NewSla {
                policy: &c.policy,
                calendar: c.calendar.as_deref(),
                start: ts(c.start),
                deadlines: ClockKind::ALL.map(|k| ts(c.plan.deadline(k))),
            }),
        },
    )
    .await?;
    if let Some(c) = &clocks {
        store_sla::arm(conn, handoff_id, 0, &c.plan).await?;
    }
    let assignee = assignment.assignee.as_deref().unwrap_or("nobody");
    handoffs::log(
        conn,
        handoff_id,
        &now_text,
        None,
        &format!("assigned to {assignee}: {}", assignment.reason),
    )
    .await?;
    if let (Some((team, rotation)), Some(who)) = (&assignment.rotation, &assignment.assignee) {
        state.rotations.insert(team.clone(), rotation.clone());
        state.picked.insert((team.clone(), who.clone()));
    }
    if let Some(who) = &assignment.assignee {
        *state.open.entry(who.clone()).or_default() += 1;
    }

    if silent {
        let why_quiet = if imported {
            "no alert: loaded by baton import --history"
        } else {
            "no alert: the change is older than watch.max_alert_age"
        };
        handoffs::log(conn, handoff_id, &now_text, None, why_quiet).await?;
        info!(
            lead = lead.id,
            handoff = handoff_id,
            assignee,
            "handoff recorded without an alert (old change)"
        );
    } else {
        let targets = match &assignment.assignee {
            Some(_) => {
                ctx.alert_targets(assignment.assignee.as_deref(), assignment.team.as_deref())
            }
            None => ctx
                .config
                .directory
                .admins()
                .flat_map(|a| ctx.person_targets(&a.email))
                .collect(),
        };
        let deadlines: Vec<_> = clocks
            .as_ref()
            .map(|c| &c.plan)
            .map(|p| {
                ClockKind::ALL
                    .iter()
                    .map(|c| (*c, p.deadline(*c)))
                    .collect()
            })
            .unwrap_or_default();
        let tz = clocks::tz_of(ctx, assignment.assignee.as_deref());
        let message = compose::alert(
            &lead,
            handoff_id,
            assignee,
            &why,
            &assignment.reason,
            &deadlines,
            tz,
            now,
        );
        latencies.push((now - mql_at).num_milliseconds().max(0) as f64 / 1000.0);
        let key = format!("alert:{handoff_id}");
        enqueue_all(
            conn,
            &targets,
            Kind::Alert,
            Some(handoff_id),
            &message,
            Some(&key),
            &now_text,
        )
        .await?;
        info!(
            lead = lead.id,
            handoff = handoff_id,
            assignee,
            "handoff opened"
        );
    }
    Ok(true)
}

/// The CRM moved the lead out of `mql`: its open handoff is decided by that change.
async fn close_handoff(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    to: &str,
) -> anyhow::Result<bool> {
    let Some(handoff) = handoffs::open_for_lead(conn, event.lead_id).await? else {
        return Ok(false);
    };
    let forward = matches!(
        classify(Some(crate::domain::stage::Stage::Mql), to.parse()?),
        Transition::LeftForward
    );
    let (status, reason) = if forward {
        ("accepted", None)
    } else {
        ("rejected", Some("other"))
    };
    if !handoffs::decide(conn, handoff.id, status, &event.at, None, reason).await? {
        return Ok(false);
    }
    let decided_at = parse_ts(&event.at).unwrap_or_else(|_| ctx.clock.now());
    clocks::stop(ctx, conn, &handoff, &ClockKind::ALL, decided_at).await?;
    let now = ts(ctx.clock.now());
    let what = format!("{status} by a stage change to {to} outside Baton");
    handoffs::log(conn, handoff.id, &now, None, &what).await?;
    if !handoff.silent
        && let Some(lead) = leads::by_id(conn, event.lead_id).await?
    {
        let targets = outbox::alert_targets(conn, handoff.id).await?;
        let message = compose::update(&lead, &what, false);
        enqueue_all(
            conn,
            &targets,
            Kind::Update,
            Some(handoff.id),
            &message,
            None,
            &now,
        )
        .await?;
    }
    info!(
        lead = event.lead_id,
        handoff = handoff.id,
        status,
        "handoff decided by the CRM"
    );
    Ok(true)
}
