//! Turns new `lead_events` into handoffs. One transaction per batch holds the handoffs,
//! their outbox rows, the rotation and the advanced cursor, so a crash either keeps all of
//! it or none of it: each MQL entry opens exactly one handoff and queues exactly one alert.
//! Each event runs under a savepoint, so one that fails is undone alone; after a few tries
//! it is parked in `quarantined_events` (admins are told once) and the others go on.
//!
//! Two ways to open a handoff share one decision ([`decide_opening`]) and one writer
//! ([`handoffs::Openings`]). The fast way reads what the whole batch needs in a few queries
//! up front ([`Known`]) and writes a run of plain openings with a few multi-row inserts, so
//! a burst of MQLs costs a constant number of statements per batch (issue 18). Any entry
//! that may need more (a lead or email that may have an open handoff, a rep's first lead
//! since a return, a lead that cannot be read) ends the run and takes the careful way: one
//! event under its savepoint, asking the database, exactly as before. A run whose write
//! fails is undone and its entries take the careful way one by one.

use std::collections::{HashMap, HashSet, VecDeque};

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tracing::{error, info, warn};

use super::{Ctx, clocks, enqueue_all};
use crate::config::AccountMatch;
use crate::domain::account::{self, AccountFact, AccountRow, Remembered};
use crate::domain::handoff::{self, RejectReason, Status};
use crate::domain::lead::Lead;
use crate::domain::routing::{Rotation, Situation};
use crate::domain::sla::ClockKind;
use crate::domain::stage::{Transition, classify};
use crate::message::{Kind, Mention, Message};
use crate::message::{buttons, compose};
use crate::store::events::{self, EventRow};
use crate::store::outbox::{self, Queued};
use crate::store::{
    self, accounts, activities, duplicates, handoffs, leads, parse_ts, quarantine, rotation, ts,
};

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
    /// The handoff this event accepted, which routing now remembers for its domain.
    accepted: Option<i64>,
    latency: Option<f64>,
}

/// An MQL entry opened the fast way, not yet written.
struct Pending<'e> {
    event: &'e EventRow,
    handoff_id: i64,
    assignee: Option<String>,
    latency: Option<f64>,
}

/// Openings decided the fast way and held until the run ends.
struct Run<'e> {
    openings: handoffs::Openings,
    pending: Vec<Pending<'e>>,
    /// The batch's routing state before the run, restored if its write fails.
    before: Option<BatchState>,
}

/// The savepoint that lets a run's write be undone without the rest of its batch.
const RUN_SAVEPOINT: &str = "intake_run";

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
    // (event, retried, careful): retried events, and the entries of a run whose write
    // failed, always take the careful way.
    let mut queue: VecDeque<(&EventRow, bool, bool)> = retries
        .iter()
        .map(|e| (e, true, true))
        .chain(batch.iter().map(|e| (e, false, false)))
        .collect();
    let mut known: Option<Known> = None;
    let mut run: Option<Run<'_>> = None;
    // Off when what the fast way reads cannot be read: every entry then goes the careful
    // way, where a bad row fails its own event only.
    let mut fast = true;
    loop {
        let next = queue.pop_front();
        if let Some((event, false, false)) = next
            && fast
            && is_mql_entry(event)
        {
            let now = ctx.clock.now();
            let st = load_state(ctx, conn, &mut state, event.id).await?;
            if known.is_none() {
                let rest: Vec<&EventRow> = std::iter::once(event)
                    .chain(queue.iter().map(|(e, _, _)| *e))
                    .filter(|e| is_mql_entry(e))
                    .collect();
                match Known::load(ctx, conn, &rest, &batch_leads, now).await {
                    Ok(k) => known = Some(k),
                    Err(e) if is_transient(&e) => return Err(e),
                    Err(e) => {
                        warn!(
                            error = format!("{e:#}"),
                            "cannot read a batch's routing facts at once; opening its handoffs one by one"
                        );
                        fast = false;
                        queue.push_front((event, false, true));
                        continue;
                    }
                }
            }
            let kn = known.as_mut().expect("loaded above");
            if run.is_none() {
                run = Some(Run {
                    openings: handoffs::Openings::start(conn).await?,
                    pending: Vec::new(),
                    before: Some(st.clone()),
                });
            }
            let r = run.as_mut().expect("started above");
            if let Some(pending) =
                open_known(ctx, event, &batch_leads, st, kn, &mut r.openings, now)
            {
                r.pending.push(pending);
                continue;
            }
        }
        if let Some(r) = run.take()
            && let Err((failed, before, e)) = write_run(ctx, conn, r, &batch_leads, &mut done).await
        {
            state = before;
            known = None;
            if is_transient(&e) {
                done.stopped = Some(e);
                break;
            }
            warn!(
                error = format!("{e:#}"),
                "cannot write a run of new handoffs; opening them one by one"
            );
            if let Some(n) = next {
                queue.push_front(n);
            }
            for event in failed.into_iter().rev() {
                queue.push_front((event, false, true));
            }
            continue;
        }
        let Some((event, retried, _)) = next else {
            break;
        };
        let saved = state.clone();
        store::savepoint(conn, EVENT_SAVEPOINT).await?;
        match handle(ctx, conn, event, &batch_leads, &mut state).await {
            Ok(step) => {
                store::release(conn, EVENT_SAVEPOINT).await?;
                if let Some(kn) = known.as_mut() {
                    kn.after_careful(ctx, conn, event, &batch_leads, &step)
                        .await?;
                }
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

/// A run that could not be written: its entries, the routing state before it, the error.
type RunFailed<'e> = (Vec<&'e EventRow>, Option<BatchState>, anyhow::Error);

/// Writes a run's openings under a savepoint and counts them as done; on failure undoes
/// the write and hands back its entries. The alerts are composed on this thread while
/// SQLite's worker thread writes the handoffs, then queued after them.
async fn write_run<'e>(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    run: Run<'e>,
    batch_leads: &BatchLeads,
    done: &mut Processed,
) -> Result<(), RunFailed<'e>> {
    if run.pending.is_empty() {
        return Ok(());
    }
    let events = |pending: &[Pending<'e>]| pending.iter().map(|p| p.event).collect::<Vec<_>>();
    let written = async {
        store::savepoint(conn, RUN_SAVEPOINT).await?;
        let openings = &run.openings;
        let (records, alerts) = tokio::join!(
            openings.write_records(&mut *conn),
            compose_alerts(ctx, openings.opened(), batch_leads)
        );
        let queued = match (records, alerts) {
            (Ok(()), Ok(rows)) => outbox::enqueue_many(conn, &rows).await.map(drop),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        match queued {
            Ok(()) => store::release(conn, RUN_SAVEPOINT).await,
            Err(e) => {
                store::rollback_to(conn, RUN_SAVEPOINT).await?;
                Err(e)
            }
        }
    }
    .await;
    if let Err(e) = written {
        return Err((events(&run.pending), run.before, e));
    }
    for p in run.pending {
        done.last = Some(p.event.id);
        ctx.progress.event_settled(p.event.id);
        done.intake.events += 1;
        done.intake.opened += 1;
        done.intake.latencies.extend(p.latency);
        info!(
            lead = p.event.lead_id,
            handoff = p.handoff_id,
            assignee = p.assignee.as_deref().unwrap_or("nobody"),
            "handoff opened"
        );
    }
    Ok(())
}

/// The alerts of a run's openings, in order. It gives way after each alert, so the
/// records' statements, executed by SQLite's own thread, go on while it composes.
async fn compose_alerts(
    ctx: &Ctx,
    opened: &[(i64, handoff::Opening)],
    batch_leads: &BatchLeads,
) -> anyhow::Result<Vec<Queued>> {
    let mut rows = Vec::with_capacity(opened.len());
    for (handoff_id, opening) in opened {
        if opening.silent() {
            continue;
        }
        let lead = batch_leads
            .get(&opening.lead_id)
            .and_then(|lead| lead.as_ref().ok())
            .with_context(|| format!("the lead of handoff {handoff_id} was not read"))?;
        rows.extend(alert_rows(ctx, lead, *handoff_id, opening, None)?);
        tokio::task::yield_now().await;
    }
    Ok(rows)
}

/// True for a stage change into `mql` (one whose stages cannot be read is not).
fn is_mql_entry(event: &EventRow) -> bool {
    event
        .stages()
        .is_ok_and(|(from, to)| matches!(classify(from, to), Transition::BecameMql))
}

/// The batch's routing state, read at its first MQL entry.
async fn load_state<'s>(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    state: &'s mut Option<BatchState>,
    event_id: i64,
) -> anyhow::Result<&'s mut BatchState> {
    if state.is_none() {
        *state = Some(BatchState {
            picked: Default::default(),
            open: handoffs::open_counts(conn).await?,
            rotations: rotation::load_all(conn).await?,
            quiet: events::quiet_ranges(conn, event_id - 1).await?,
            away: super::routing::availability(ctx, conn).await?,
        });
    }
    Ok(state.as_mut().expect("loaded above"))
}

/// What the fast way needs about a batch's MQL entries, read in a few queries for all of
/// them and kept true as handoffs open. It errs on the safe side: a lead that may have an
/// open handoff, an email that may be a duplicate, go the careful way, which asks.
struct Known {
    /// Leads of the batch that may have an open handoff.
    open_leads: HashSet<i64>,
    /// Emails (trimmed, ASCII lower-cased as SQLite's `lower`) with the leads whose
    /// handoff is open within the duplicate window.
    open_emails: HashMap<String, Vec<i64>>,
    /// `accounts` rows of every domain the batch's leads may match.
    accounts: HashMap<String, AccountRow>,
    /// Accepted handoffs within the memory, by the domain their decision was kept under.
    remembered: HashMap<String, Vec<Remembered>>,
    /// Why each entry qualified, when Baton scores.
    reasons: HashMap<i64, String>,
}

impl Known {
    async fn load(
        ctx: &Ctx,
        conn: &mut SqliteConnection,
        entries: &[&EventRow],
        batch_leads: &BatchLeads,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Known> {
        let leads: Vec<&Lead> = entries
            .iter()
            .filter_map(|e| batch_leads.get(&e.lead_id).and_then(|l| l.as_ref().ok()))
            .collect();
        let lead_ids: Vec<i64> = leads.iter().map(|l| l.id).collect();
        let emails: Vec<String> = leads.iter().filter_map(|l| email_key(l)).collect();
        let routing = &ctx.config.settings.routing;
        let since = ts(now - routing.duplicate_window.as_chrono());
        let mut lookups: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        if routing.account_match != AccountMatch::Off {
            for lead in &leads {
                if let Some(domain) = super::routing::lead_domain(ctx, lead) {
                    let l = account::lookups(&domain);
                    names.extend(account::memory_names(&l));
                    lookups.extend(l);
                }
            }
        }
        for list in [&mut lookups, &mut names] {
            list.sort();
            list.dedup();
        }
        let event_ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
        let mut open_emails: HashMap<String, Vec<i64>> = HashMap::new();
        for (email, lead) in duplicates::open_emails(conn, &emails, &since).await? {
            open_emails.entry(email).or_default().push(lead);
        }
        let mut remembered: HashMap<String, Vec<Remembered>> = HashMap::new();
        for r in accounts::remembered(conn, &names, now, routing.account_memory).await? {
            remembered.entry(r.domain.clone()).or_default().push(r);
        }
        Ok(Known {
            open_leads: handoffs::open_leads(conn, &lead_ids).await?,
            open_emails,
            accounts: accounts::rows_for(conn, &lookups).await?,
            remembered,
            reasons: match ctx.config.score_model {
                Some(_) => activities::reasons(conn, &event_ids).await?,
                None => HashMap::new(),
            },
        })
    }

    /// True when `lead` may have an open handoff of its own or of the same email.
    fn may_be_open(&self, lead: &Lead) -> bool {
        self.open_leads.contains(&lead.id)
            || email_key(lead)
                .and_then(|e| self.open_emails.get(&e))
                .is_some_and(|leads| leads.iter().any(|l| *l != lead.id))
    }

    /// Notes a handoff opened for `lead`.
    fn opened(&mut self, lead: &Lead) {
        self.open_leads.insert(lead.id);
        if let Some(email) = email_key(lead) {
            self.open_emails.entry(email).or_default().push(lead.id);
        }
    }

    /// The account `lead` matches, as [`super::routing::account_fact`] would read it.
    fn account(&self, ctx: &Ctx, lead: &Lead) -> Option<AccountFact> {
        if ctx.config.settings.routing.account_match == AccountMatch::Off {
            return None;
        }
        let lookups = account::lookups(&super::routing::lead_domain(ctx, lead)?);
        account::from_accounts(&lookups, |d| accounts::row_of(&self.accounts, d)).or_else(|| {
            let remembered: Vec<Remembered> = account::memory_names(&lookups)
                .iter()
                .filter_map(|n| self.remembered.get(n))
                .flatten()
                .cloned()
                .collect();
            account::from_memory(&lookups, &remembered)
        })
    }

    /// Keeps what is known true after an event took the careful way.
    async fn after_careful(
        &mut self,
        ctx: &Ctx,
        conn: &mut SqliteConnection,
        event: &EventRow,
        batch_leads: &BatchLeads,
        step: &Step,
    ) -> anyhow::Result<()> {
        if step.opened
            && let Some(Ok(lead)) = batch_leads.get(&event.lead_id)
        {
            self.opened(lead);
        }
        if let Some(handoff) = step.accepted {
            let memory = ctx.config.settings.routing.account_memory;
            for r in accounts::remembered_of(conn, handoff, ctx.clock.now(), memory).await? {
                self.remembered.entry(r.domain.clone()).or_default().push(r);
            }
        }
        Ok(())
    }
}

/// A lead's email as duplicates are found by: trimmed, ASCII lower-cased.
fn email_key(lead: &Lead) -> Option<String> {
    lead.email
        .as_deref()
        .filter(|e| e.contains('@'))
        .map(|e| e.trim().to_ascii_lowercase())
}

/// Opens the handoff of an MQL entry the fast way, from what is known, without a query;
/// `None` when the entry needs the careful way.
fn open_known<'e>(
    ctx: &Ctx,
    event: &'e EventRow,
    batch_leads: &BatchLeads,
    state: &mut BatchState,
    known: &mut Known,
    openings: &mut handoffs::Openings,
    now: DateTime<Utc>,
) -> Option<Pending<'e>> {
    let lead = batch_leads.get(&event.lead_id)?.as_ref().ok()?;
    if known.may_be_open(lead) {
        return None;
    }
    let account = known.account(ctx, lead);
    let reason = known.reasons.get(&event.id).cloned();
    let opening = decide_opening(ctx, event, lead, state, account.as_ref(), reason, now).ok()?;
    let assignee = opening.assignment.assignee.clone();
    // A rep's first lead since a return says "welcome back": the careful way asks.
    if assignee
        .as_deref()
        .is_some_and(|a| super::availability::returned_at(ctx, &state.away, a, now).is_some())
    {
        return None;
    }
    note_opened(state, &opening);
    known.opened(lead);
    let latency = opening.latency();
    // Its alert is composed while the run is written ([`write_run`]).
    let handoff_id = openings.open(opening);
    Some(Pending {
        event,
        handoff_id,
        assignee,
        latency,
    })
}

/// Counts a new opening in the batch's routing state.
fn note_opened(state: &mut BatchState, opening: &handoff::Opening) {
    let assignment = &opening.assignment;
    if let (Some((team, rotation)), Some(who)) = (&assignment.rotation, &assignment.assignee) {
        state.rotations.insert(team.clone(), rotation.clone());
        state.picked.insert((team.clone(), who.clone()));
    }
    if let Some(who) = &assignment.assignee {
        *state.open.entry(who.clone()).or_default() += 1;
    }
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
            let state = load_state(ctx, conn, state, event.id).await?;
            let mut latencies = Vec::new();
            let lead = lead_of(batch_leads, event)?;
            step.opened = open_handoff(ctx, conn, event, lead, state, &mut latencies).await?;
            step.latency = latencies.pop();
        }
        Transition::LeftForward | Transition::LeftBackward => {
            if let Some((handoff, status)) =
                close_handoff(ctx, conn, event, batch_leads, to.as_str()).await?
            {
                step.closed = true;
                step.accepted = (status == Status::Accepted).then_some(handoff);
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
    let account = super::routing::account_fact(ctx, conn, lead, now).await?;
    // Only Baton's own scoring leaves reasons; in watch mode there is nothing to look up.
    let reason = match ctx.config.score_model {
        Some(_) => activities::reason(conn, event.id).await?,
        None => None,
    };
    let opening = decide_opening(ctx, event, lead, state, account.as_ref(), reason, now)?;
    let mut openings = handoffs::Openings::start(conn).await?;
    let handoff_id = openings.next_id();
    let assignee = opening.assignment.assignee.clone();
    let assignee = assignee.as_deref().unwrap_or("nobody");
    let silent = opening.silent();
    let rows = if silent {
        Vec::new()
    } else {
        // The first lead after a return says "welcome back", to the assignee only.
        let welcome = match ctx.config.directory.person(assignee) {
            Some(person) => super::availability::first_since_return(
                ctx,
                conn,
                &state.away,
                assignee,
                handoff_id,
                now,
            )
            .await?
            .then_some(person.name.as_str()),
            None => None,
        };
        alert_rows(ctx, lead, handoff_id, &opening, welcome)?
    };
    note_opened(state, &opening);
    latencies.extend(opening.latency());
    openings.open(opening);
    openings.enqueue(rows);
    openings.write(conn).await?;
    match silent {
        true => info!(
            lead = lead.id,
            handoff = handoff_id,
            assignee,
            "handoff recorded without an alert (old change)"
        ),
        false => info!(
            lead = lead.id,
            handoff = handoff_id,
            assignee,
            "handoff opened"
        ),
    }
    Ok(true)
}

/// The opening of an MQL entry's handoff, decided from what was read for it: its account
/// (if it matched one) and, when Baton scores, why it qualified.
fn decide_opening(
    ctx: &Ctx,
    event: &EventRow,
    lead: &Lead,
    state: &BatchState,
    account: Option<&AccountFact>,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> anyhow::Result<handoff::Opening> {
    // A stage change whose own time cannot be read fails (and after a few tries goes to
    // quarantine) rather than being taken as "now", which would alert a stale MQL.
    let mql_at =
        parse_ts(&event.at).with_context(|| format!("lead_events.at of event {}", event.id))?;
    let imported = state
        .quiet
        .iter()
        .any(|(first, last)| (*first..=*last).contains(&event.id));
    let why = match reason {
        Some(rules) => format!("{rules} (at {})", event.at),
        None => compose::why_mql(event.from_stage.as_deref(), &event.at),
    };
    let domain = super::routing::lead_domain(ctx, lead);
    Ok(handoff::open(
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
                account,
                away: &state.away,
            },
            domain: domain.as_deref(),
        },
        now,
    ))
}

/// The alert of a handoff just opened, as outbox rows: to the assignee (and their team's
/// channel), or to the admins when nobody could take it; `welcome` names the assignee
/// when it is their first lead since a return.
fn alert_rows(
    ctx: &Ctx,
    lead: &Lead,
    handoff_id: i64,
    opening: &handoff::Opening,
    welcome: Option<&str>,
) -> anyhow::Result<Vec<Queued>> {
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
    let key = format!("alert:{handoff_id}");
    let mut rows = Vec::new();
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
        rows.extend(super::localized(
            ctx,
            &group,
            assignment.team.as_deref(),
            Kind::Alert,
            Some(handoff_id),
            message,
            Some(&key),
            &ts(now),
        )?);
    }
    Ok(rows)
}

/// The CRM moved the lead out of `mql`: its open handoff is decided by that change.
/// Returns the handoff and its new status, or `None` when no handoff was open.
async fn close_handoff(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    event: &EventRow,
    batch_leads: &BatchLeads,
    to: &str,
) -> anyhow::Result<Option<(i64, Status)>> {
    let Some(handoff) = handoffs::open_for_lead(conn, event.lead_id).await? else {
        return Ok(None);
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
        return Ok(None);
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
    Ok(Some((handoff.id, status)))
}
