//! Turns new `lead_events` into handoffs. One transaction per batch holds the handoffs,
//! their outbox rows, the rotation and the advanced cursor, so a crash either keeps all of
//! it or none of it: each MQL entry opens exactly one handoff and queues exactly one alert.
//! Each event runs under a savepoint, so one that fails is undone alone; after a few tries
//! it is parked in `quarantined_events` (admins are told once) and the others go on.

use std::collections::HashMap;

use anyhow::Context;
use sqlx::SqliteConnection;
use tracing::{error, info, warn};

use super::{Ctx, clocks, enqueue_all};
use crate::chat::message::{Kind, Mention, Message};
use crate::chat::{buttons, compose};
use crate::domain::handoff::{self, RejectReason, Status};
use crate::domain::lead::Lead;
use crate::domain::routing::{Rotation, Situation};
use crate::domain::sla::ClockKind;
use crate::domain::stage::{Transition, classify};
use crate::store::events::{self, EventRow};
use crate::store::{self, activities, handoffs, leads, outbox, parse_ts, quarantine, rotation, ts};

pub const CURSOR: &str = "watcher";
const BATCH: i64 = 1000;
/// How many times an event is tried before it is parked in quarantine.
pub const TRIES: u32 = 3;
/// The savepoint that lets one event be undone without the rest of its batch.
const EVENT_SAVEPOINT: &str = "intake_event";

/// What one pass of the intake did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Intake {
    pub events: usize,
    pub opened: usize,
    pub closed: usize,
    /// Events parked in quarantine by this pass.
    pub parked: usize,
    /// Quarantined events retried on request that failed again.
    pub retries_failed: usize,
    /// Seconds from each alerted MQL entry's commit to its handoff, for `/metrics`.
    pub latencies: Vec<f64>,
}

/// Processes every event after the cursor, and the parked events someone asked to retry.
/// An event that fails is undone alone: the events before it are kept; after [`TRIES`]
/// failed tries it is parked and the cursor moves past it. Returns what was done, or the
/// error of an event that will be tried again.
pub async fn run_once(ctx: &Ctx) -> anyhow::Result<Intake> {
    let mut total = Intake::default();
    let mut busy: Option<Busy<'_>> = None;
    let mut first = true;
    loop {
        let mut tx = ctx.db.begin().await?;
        let after = events::cursor(&mut tx, CURSOR).await?.unwrap_or(0);
        let retries = if first {
            quarantine::requested(&mut tx).await?
        } else {
            Vec::new()
        };
        first = false;
        let batch = events::after(&mut tx, after, BATCH).await?;
        if batch.is_empty() && retries.is_empty() {
            return Ok(total);
        }
        busy.get_or_insert_with(|| Busy::start(ctx));
        let done = process(ctx, &mut tx, &retries, &batch).await?;
        if let Some(last) = done.last {
            events::set_cursor(&mut tx, CURSOR, last).await?;
        }
        tx.commit().await.context("cannot commit new handoffs")?;
        let seen = done.intake.events;
        total.events += seen;
        total.opened += done.intake.opened;
        total.closed += done.intake.closed;
        total.parked += done.intake.parked;
        total.retries_failed += done.intake.retries_failed;
        ctx.stats.update(|c| {
            c.events_processed += seen as u64;
            c.handoffs_opened += done.intake.opened as u64;
            c.handoffs_closed += done.intake.closed as u64;
            c.events_quarantined += done.intake.parked as u64;
            c.retries_failed += done.intake.retries_failed as u64;
            for seconds in &done.intake.latencies {
                c.observe_latency(*seconds);
            }
        });
        if done.intake.opened + done.intake.closed + done.intake.parked > 0 {
            ctx.outbox_ready.notify_waiters();
            ctx.timers_changed.notify_one();
        }
        if let Some(e) = done.stopped {
            return Err(e);
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

#[derive(Clone)]
struct BatchState {
    /// (team, member) whose rotation pass changed in this batch, saved once at its end.
    picked: std::collections::BTreeSet<(String, String)>,
    open: HashMap<String, u32>,
    rotations: HashMap<String, Rotation>,
    quiet: Vec<(i64, i64)>,
    /// Availability said in chat, read once per batch.
    away: crate::domain::availability::Availabilities,
}

/// What [`process`] did with a batch.
struct Processed {
    intake: Intake,
    /// The last event of the batch that was processed or parked: the new cursor.
    last: Option<i64>,
    /// The error of an event that stopped the batch, to be tried again.
    stopped: Option<anyhow::Error>,
}

/// What one event did.
#[derive(Default)]
struct Step {
    opened: bool,
    closed: bool,
    latency: Option<f64>,
}

async fn process(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    retries: &[EventRow],
    batch: &[EventRow],
) -> anyhow::Result<Processed> {
    let mut done = Processed {
        intake: Intake::default(),
        last: None,
        stopped: None,
    };
    let mut state: Option<BatchState> = None;
    // The batch's leads in one query; intake writes no lead, so they stay as read.
    let ids: Vec<i64> = retries
        .iter()
        .chain(batch)
        .map(|e| e.lead_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let batch_leads = leads::by_ids(conn, &ids).await?;
    let steps = retries
        .iter()
        .map(|e| (e, true))
        .chain(batch.iter().map(|e| (e, false)));
    for (event, retried) in steps {
        let saved = state.clone();
        store::savepoint(conn, EVENT_SAVEPOINT).await?;
        match handle(ctx, conn, event, &batch_leads, &mut state).await {
            Ok(step) => {
                store::release(conn, EVENT_SAVEPOINT).await?;
                if retried {
                    quarantine::release(conn, event.id).await?;
                    info!(
                        event = event.id,
                        "a quarantined stage change was processed on retry"
                    );
                } else {
                    done.last = Some(event.id);
                }
                ctx.progress.event_settled(event.id);
                done.intake.events += 1;
                done.intake.opened += usize::from(step.opened);
                done.intake.closed += usize::from(step.closed);
                done.intake.latencies.extend(step.latency);
            }
            Err(e) => {
                store::rollback_to(conn, EVENT_SAVEPOINT).await?;
                state = saved;
                let error = format!("{e:#}");
                if is_transient(&e) {
                    done.stopped = Some(e);
                    break;
                }
                let now = ts(ctx.clock.now());
                if retried {
                    quarantine::failed_again(conn, event.id, &error, &now).await?;
                    done.intake.retries_failed += 1;
                    warn!(
                        event = event.id,
                        error, "a quarantined stage change failed again; it stays in quarantine"
                    );
                    continue;
                }
                let tries = ctx.progress.event_failed(event.id);
                if tries < TRIES {
                    warn!(
                        event = event.id,
                        tries, error, "cannot process a stage change; will try again"
                    );
                    done.stopped = Some(e);
                    break;
                }
                park(ctx, conn, event, &error, tries, &now).await?;
                ctx.progress.event_settled(event.id);
                done.last = Some(event.id);
                done.intake.parked += 1;
            }
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

/// True when `e` says nothing about the event itself (the database is busy, full or
/// unreachable): such a failure is retried without counting towards quarantine.
fn is_transient(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|cause| match cause.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Database(db)) => {
                let code = db.code().unwrap_or_default();
                let primary = code.parse::<i64>().map_or(0, |c| c & 0xff);
                // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
                matches!(primary, 5 | 6 | 10 | 13 | 14)
            }
            Some(sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed) => true,
            _ => false,
        })
}

/// Parks `event` in quarantine and tells the admins once, in the caller's transaction.
async fn park(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    error: &str,
    tries: u32,
    now: &str,
) -> anyhow::Result<()> {
    quarantine::park(conn, event, error, tries, now).await?;
    error!(
        event = event.id,
        lead = event.lead_id,
        tries,
        error,
        "a stage change cannot be processed; parked in quarantine, later events go on"
    );
    let message = Message::new(format!(
        "Baton set aside stage change #{} (lead {}, {} → {}) after {tries} failed tries: {error}. \
         Later leads are not held up. Fix the cause, then run `baton events retry {}`; \
         `baton events quarantined` lists every event set aside.",
        event.id,
        event.lead_id,
        event.from_stage.as_deref().unwrap_or("new"),
        event.to_stage,
        event.id,
    ));
    let targets: Vec<_> = ctx
        .config
        .directory
        .admins()
        .flat_map(|a| ctx.person_targets(&a.email))
        .collect();
    let key = format!("quarantine:{}", event.id);
    enqueue_all(
        conn,
        &targets,
        Kind::Escalation,
        None,
        &message,
        Some(&key),
        now,
    )
    .await?;
    Ok(())
}

/// Processes one event in the caller's transaction.
async fn handle(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    batch_leads: &BatchLeads,
    state: &mut Option<BatchState>,
) -> anyhow::Result<Step> {
    let (from, to) = event.stages().with_context(|| {
        format!(
            "stage change #{} names a stage Baton does not know",
            event.id
        )
    })?;
    let mut step = Step::default();
    match classify(from, to) {
        Transition::BecameMql => {
            if state.is_none() {
                *state = Some(BatchState {
                    picked: Default::default(),
                    open: handoffs::open_counts(conn).await?,
                    rotations: rotation::load_all(conn).await?,
                    quiet: events::quiet_ranges(conn, event.id - 1).await?,
                    away: super::routing::availability(ctx, conn).await?,
                });
            }
            let state = state.as_mut().expect("loaded above");
            let mut latencies = Vec::new();
            let lead = lead_of(batch_leads, event)?;
            step.opened = open_handoff(ctx, conn, event, lead, state, &mut latencies).await?;
            step.latency = latencies.pop();
        }
        Transition::LeftForward | Transition::LeftBackward => {
            if close_handoff(ctx, conn, event, batch_leads, to.as_str()).await? {
                step.closed = true;
                // A decided handoff frees its assignee's capacity.
                if let Some(state) = state.as_mut() {
                    state.open = handoffs::open_counts(conn).await?;
                }
            }
        }
        Transition::Other => {}
    }
    Ok(step)
}

/// The leads of a batch by id, each read or the reason it could not be.
type BatchLeads = HashMap<i64, Result<Lead, String>>;

/// The lead an MQL entry is about; a lead that is gone or unreadable fails its event.
fn lead_of<'a>(batch_leads: &'a BatchLeads, event: &EventRow) -> anyhow::Result<&'a Lead> {
    match batch_leads.get(&event.lead_id) {
        Some(Ok(lead)) => Ok(lead),
        Some(Err(error)) => Err(anyhow::anyhow!("{error}")),
        // A lost MQL must be seen: after its tries the event is parked and admins are told.
        None => anyhow::bail!(
            "lead {} entered mql but is not in the leads table (deleted, or the event was written by hand)",
            event.lead_id
        ),
    }
}

async fn open_handoff(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    lead: &Lead,
    state: &mut BatchState,
    latencies: &mut Vec<f64>,
) -> anyhow::Result<bool> {
    if let Some(open) = handoffs::open_for_lead(conn, lead.id).await? {
        warn!(
            lead = lead.id,
            handoff = open.id,
            "the lead entered mql again while its handoff is open; keeping the open one"
        );
        return Ok(false);
    }
    if super::duplicates::attach_if_duplicate(ctx, conn, event, lead).await? {
        return Ok(false);
    }
    let now = ctx.clock.now();
    // A stage change whose own time cannot be read fails (and after a few tries goes to
    // quarantine) rather than being taken as "now", which would alert a stale MQL.
    let mql_at =
        parse_ts(&event.at).with_context(|| format!("lead_events.at of event {}", event.id))?;
    let imported = state
        .quiet
        .iter()
        .any(|(first, last)| (*first..=*last).contains(&event.id));
    let account = super::routing::account_fact(ctx, conn, lead, now).await?;
    // Only Baton's own scoring leaves reasons; in watch mode there is nothing to look up.
    let reason = match ctx.config.score_model {
        Some(_) => activities::reason(conn, event.id).await?,
        None => None,
    };
    let why = match reason {
        Some(rules) => format!("{rules} (at {})", event.at),
        None => compose::why_mql(event.from_stage.as_deref(), &event.at),
    };
    let domain = super::routing::lead_domain(ctx, lead);
    let opening = handoff::open(
        &handoff::Facts {
            lead,
            event_id: event.id,
            mql_at,
            why,
            imported,
            max_alert_age: ctx.config.settings.watch.max_alert_age.as_chrono(),
            directory: &ctx.config.directory,
            policies: &ctx.config.policies,
            situation: Situation {
                now,
                open: &state.open,
                rotations: &state.rotations,
                exclude: &[],
                account: account.as_ref(),
                away: &state.away,
            },
            domain: domain.as_deref(),
        },
        now,
    );
    let handoff_id = handoffs::open(conn, &opening).await?;
    let assignment = &opening.assignment;
    if let (Some((team, rotation)), Some(who)) = (&assignment.rotation, &assignment.assignee) {
        state.rotations.insert(team.clone(), rotation.clone());
        state.picked.insert((team.clone(), who.clone()));
    }
    if let Some(who) = &assignment.assignee {
        *state.open.entry(who.clone()).or_default() += 1;
    }
    let assignee = assignment.assignee.as_deref().unwrap_or("nobody");
    if opening.silent() {
        info!(
            lead = lead.id,
            handoff = handoff_id,
            assignee,
            "handoff recorded without an alert (old change)"
        );
        return Ok(true);
    }
    enqueue_alert(ctx, conn, lead, handoff_id, &opening, &state.away).await?;
    latencies.extend(opening.latency());
    info!(
        lead = lead.id,
        handoff = handoff_id,
        assignee,
        "handoff opened"
    );
    Ok(true)
}

/// Queues the alert of a handoff just opened: to the assignee (and their team's channel),
/// or to the admins when nobody could take it.
async fn enqueue_alert(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    lead: &Lead,
    handoff_id: i64,
    opening: &handoff::Opening,
    away: &crate::domain::availability::Availabilities,
) -> anyhow::Result<()> {
    let assignment = &opening.assignment;
    let assignee = assignment.assignee.as_deref().unwrap_or("nobody");
    let targets = match &assignment.assignee {
        Some(_) => ctx.alert_targets(assignment.assignee.as_deref(), assignment.team.as_deref()),
        None => ctx
            .config
            .directory
            .admins()
            .flat_map(|a| ctx.person_targets(&a.email))
            .collect(),
    };
    let deadlines = opening.deadlines();
    let tz = clocks::tz_of(ctx, assignment.assignee.as_deref());
    let now = opening.opened_at;
    // The first lead after a return says "welcome back", to the assignee only.
    let welcome = match ctx.config.directory.person(assignee) {
        Some(person) => {
            super::availability::first_since_return(ctx, conn, away, assignee, handoff_id, now)
                .await?
                .then_some(person.name.as_str())
        }
        None => None,
    };
    let key = format!("alert:{handoff_id}");
    for for_assignee in [true, false] {
        let group: Vec<_> = targets
            .iter()
            .filter(|t| (t.1 == assignee) == for_assignee)
            .cloned()
            .collect();
        if group.is_empty() {
            continue;
        }
        let who = |email: &str| Mention::of(&ctx.config.directory, email);
        let message = |locale| {
            let alert = compose::alert(
                locale,
                lead,
                handoff_id,
                assignee,
                &who,
                &opening.why,
                &assignment.reason,
                &deadlines,
                tz,
                now,
            );
            match welcome.filter(|_| for_assignee) {
                Some(name) => compose::welcome_back(alert, locale, name),
                None => alert,
            }
        };
        super::enqueue_localized(
            ctx,
            conn,
            &group,
            assignment.team.as_deref(),
            Kind::Alert,
            Some(handoff_id),
            message,
            Some(&key),
            &ts(now),
        )
        .await?;
    }
    Ok(())
}

/// The CRM moved the lead out of `mql`: its open handoff is decided by that change.
async fn close_handoff(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    batch_leads: &BatchLeads,
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
        (Status::Accepted, None)
    } else {
        (Status::Rejected, Some(RejectReason::Other))
    };
    // The decision's time is the stage change's own: one that cannot be read fails the
    // event (quarantine after its tries) rather than being taken as "now".
    let decided_at =
        parse_ts(&event.at).with_context(|| format!("lead_events.at of event {}", event.id))?;
    if !handoffs::decide(conn, handoff.id, status, &event.at, None, reason).await? {
        return Ok(false);
    }
    clocks::stop(ctx, conn, &handoff, &ClockKind::ALL, decided_at).await?;
    let now = ts(ctx.clock.now());
    let what = match status {
        Status::Accepted => crate::i18n::Text::new("update-accepted-outside"),
        _ => crate::i18n::Text::new("update-rejected-outside"),
    }
    .arg("stage", to)
    .to_stored();
    let decided = buttons::Progress {
        decided: true,
        ..buttons::Progress::of(&handoff)
    };
    handoffs::log(conn, handoff.id, &now, None, &what).await?;
    if !handoff.silent
        && let Some(lead) = batch_leads
            .get(&event.lead_id)
            .map(|read| read.as_ref().map_err(|e| anyhow::anyhow!("{e}")))
            .transpose()?
    {
        let targets = outbox::alert_targets(conn, handoff.id).await?;
        let change = compose::Change::Outside {
            accepted: forward,
            stage: to,
        };
        let actions = buttons::offered(decided);
        super::enqueue_localized(
            ctx,
            conn,
            &targets,
            handoff.team.as_deref(),
            Kind::Update,
            Some(handoff.id),
            |locale| compose::update(locale, lead, &change, &actions),
            None,
            &now,
        )
        .await?;
    }
    info!(
        lead = event.lead_id,
        handoff = handoff.id,
        status = status.as_str(),
        "handoff decided by the CRM"
    );
    Ok(true)
}
