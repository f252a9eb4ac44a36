//! Empties the outbox, one task per platform. The only code that calls a platform's
//! `send`. For each due row: claim it (with the platform's recovery marker), send, mark it
//! sent; on failure put it back with exponential backoff, or the wait the platform asked
//! for (Retry-After), and after [`MAX_ATTEMPTS`] give up (`dead`). Rows a crash left
//! claimed are checked with the platform before anything else is sent.
//!
//! Up to [`Platform::concurrency`] messages are on their way at once, each to a different
//! recipient: a recipient has at most one message in flight, and its later rows wait for
//! it, so each recipient's order is kept and each row is sent once. While one send is on
//! its way (or one recipient is paced) the others go on; the dispatcher sleeps only when
//! nothing can go. The recipients of the queue are handed to [`Platform::warm`] ahead of
//! their sends.
//!
//! A platform may ask for a least interval between two messages to one recipient
//! ([`Platform::min_interval`], Slack's one message per second per channel): it is
//! counted from the end of the previous send to that recipient, which is after that
//! message reached the platform, so no jitter on the way can bring two closer at the
//! platform's end. That pacing is about the platform's real rate, so it is measured with
//! the monotonic timer, not the (possibly manual) clock.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tracing::{error, info, warn};

use super::Ctx;
use crate::engine::platform::{Delivery, Original, Platform, Recovery, SendError, Sent};
use crate::message::Kind;
use crate::store::outbox::{self, OutboxRow};
use crate::store::ts;

/// Attempts before a message is given up as dead.
pub const MAX_ATTEMPTS: i64 = 10;
/// How many of the oldest pending rows one pass looks at.
const QUEUE_WINDOW: i64 = 500;
/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// How often an idle dispatcher looks at the queue even without a wake-up.
const IDLE_POLL: Duration = Duration::from_secs(1);

fn delivery(row: &OutboxRow) -> Delivery {
    Delivery {
        outbox_id: row.id,
        recipient: row.recipient.clone(),
        kind: row.kind,
        lead_id: row.lead_id,
        message: row.message.clone(),
        original: None,
    }
}

/// The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s … up to five minutes.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(0, 16) as u32;
    Duration::from_secs(1u64 << exp).min(MAX_BACKOFF)
}

/// The sends on their way, at most one per recipient.
struct InFlight {
    sends: JoinSet<(OutboxRow, Result<Sent, SendError>)>,
    /// The row each running send carries, by task (to settle a send that panicked).
    rows: HashMap<tokio::task::Id, OutboxRow>,
    recipients: HashSet<String>,
}

impl InFlight {
    fn new() -> InFlight {
        InFlight {
            sends: JoinSet::new(),
            rows: HashMap::new(),
            recipients: HashSet::new(),
        }
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn busy(&self, recipient: &str) -> bool {
        self.recipients.contains(recipient)
    }

    fn start(&mut self, ctx: &Ctx, platform: &Arc<dyn Platform>, row: OutboxRow, d: Delivery) {
        let platform = platform.clone();
        let limit = ctx.send_timeout;
        self.recipients.insert(row.recipient.clone());
        let carried = row.clone();
        let task = self.sends.spawn(async move {
            let result = match tokio::time::timeout(limit, platform.send(&d)).await {
                Ok(result) => result,
                Err(_) => Err(SendError::transient(format!(
                    "no answer within {} s",
                    limit.as_secs_f64()
                ))),
            };
            (carried, result)
        });
        self.rows.insert(task.id(), row);
    }

    /// The next send to end, with its row (a send that panicked counts as failed).
    async fn next(&mut self) -> Option<(OutboxRow, Result<Sent, SendError>)> {
        let (id, outcome) = match self.sends.join_next_with_id().await? {
            Ok((id, outcome)) => (id, outcome),
            Err(e) => {
                let id = e.id();
                let row = self.rows.get(&id)?.clone();
                (
                    id,
                    (
                        row,
                        Err(SendError::transient(format!("the send failed: {e}"))),
                    ),
                )
            }
        };
        self.rows.remove(&id);
        self.recipients.remove(&outcome.0.recipient);
        Some(outcome)
    }
}

/// What one dispatcher keeps between passes.
struct State {
    flight: InFlight,
    /// When each recipient's last send ended, for platforms with a
    /// [`Platform::min_interval`].
    last_sent: HashMap<String, Instant>,
    /// Recipients already handed to [`Platform::warm`].
    warmed: HashSet<String>,
    /// Rows sent but not yet marked: at once, or where [`Platform::marks_may_wait`]
    /// together at the end of a pass or every [`MARK_RUN`] rows.
    unmarked: Vec<outbox::SentRow>,
}

/// The most sent rows left unmarked at once.
const MARK_RUN: usize = 100;

/// Marks the rows sent and not yet marked, and counts them sent.
async fn mark_unmarked(ctx: &Ctx, state: &mut State) -> anyhow::Result<()> {
    if state.unmarked.is_empty() {
        return Ok(());
    }
    let mut conn = ctx.db.pool.acquire().await?;
    outbox::mark_many_sent(&mut conn, &state.unmarked).await?;
    let n = state.unmarked.len() as u64;
    state.unmarked.clear();
    ctx.stats.update(|c| c.messages_sent += n);
    Ok(())
}

pub async fn run(ctx: Ctx, platform: Arc<dyn Platform>) -> anyhow::Result<()> {
    let name = platform.name();
    recover(&ctx, platform.as_ref()).await?;
    info!(
        platform = name,
        concurrency = platform.concurrency(),
        "dispatcher started"
    );
    let mut state = State {
        flight: InFlight::new(),
        last_sent: HashMap::new(),
        warmed: HashSet::new(),
        unmarked: Vec::new(),
    };
    let pace = platform.min_interval();
    let mut paced_until: Option<Instant> = None;
    // Whether the queue must be read again before waiting.
    let mut look = true;
    loop {
        if look {
            let (handled, paced) = match drain(&ctx, &platform, &mut state).await {
                Ok(done) => done,
                Err(e) => {
                    error!(platform = name, error = %format!("{e:#}"), "dispatcher error; will retry");
                    (0, None)
                }
            };
            paced_until = paced;
            if handled > 0 {
                continue;
            }
        }
        look = true;
        if ctx.shutdown.is_cancelled() {
            return finish(&ctx, platform.as_ref(), &mut state).await;
        }
        // Register for wake-ups before looking at the queue, so a commit in between is
        // not missed.
        let woken = ctx.outbox_ready.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let next = {
            let mut conn = ctx.db.pool.acquire().await?;
            outbox::next_due(&mut conn, name).await?
        };
        // Rows held back by pacing are due already: wait for the pacing instead.
        let wake_at: Option<DateTime<Utc>> = match paced_until {
            Some(_) => None,
            None => next,
        };
        let paced = async {
            match paced_until {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        let idle = tokio::time::sleep(IDLE_POLL);
        let due = async {
            match wake_at {
                Some(at) => ctx.clock.sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        let busy = !state.flight.is_empty();
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return finish(&ctx, platform.as_ref(), &mut state).await,
            Some(done) = state.flight.next(), if busy => {
                settle(&ctx, platform.as_ref(), &mut state, done).await?;
                // Paced, that recipient's next row cannot go before `pace` from now, and
                // nothing else changed: no need to read the queue until then.
                if let Some(pace) = pace {
                    let ready = Instant::now() + pace;
                    paced_until = Some(paced_until.map_or(ready, |p| p.min(ready)));
                    look = false;
                }
            }
            _ = woken => {}
            _ = due => {}
            _ = paced => {}
            _ = idle => {}
        }
    }
}

/// Lets the sends on their way end and records them; the rest stay queued.
async fn finish(ctx: &Ctx, platform: &dyn Platform, state: &mut State) -> anyhow::Result<()> {
    while let Some(done) = state.flight.next().await {
        settle(ctx, platform, state, done).await?;
    }
    mark_unmarked(ctx, state).await
}

/// Records how a send ended: sent, or back in the queue for its next attempt, or dead.
/// Returns whether it failed.
async fn settle(
    ctx: &Ctx,
    platform: &dyn Platform,
    state: &mut State,
    (row, result): (OutboxRow, Result<Sent, SendError>),
) -> anyhow::Result<bool> {
    let name = platform.name();
    if platform.min_interval().is_some() {
        state
            .last_sent
            .insert(row.recipient.clone(), Instant::now());
    }
    let now = ctx.clock.now();
    let e = match result {
        Ok(sent) => {
            // One way to mark a row sent: at once, or with a run where the platform allows.
            state.unmarked.push((row.id, ts(now), sent.external_ref));
            if !platform.marks_may_wait() || state.unmarked.len() >= MARK_RUN {
                mark_unmarked(ctx, state).await?;
            }
            return Ok(false);
        }
        Err(e) => e,
    };
    let mut conn = ctx.db.pool.acquire().await?;
    // The claim counted this attempt.
    let attempts = row.attempts;
    let give_up = e.permanent || attempts >= MAX_ATTEMPTS;
    let wait = e.retry_after.unwrap_or_else(|| backoff(attempts - 1));
    let next = (!give_up).then(|| ts(now + chrono::Duration::from_std(wait).unwrap_or_default()));
    outbox::mark_failed(&mut conn, row.id, &e.reason, next.as_deref()).await?;
    ctx.stats.update(|c| {
        c.send_failures += 1;
        c.messages_dead += u64::from(give_up);
    });
    if give_up {
        error!(platform = name, outbox = row.id, attempts, reason = %e.reason, "message given up (dead)");
    } else {
        warn!(platform = name, outbox = row.id, attempts, wait_ms = wait.as_millis() as u64, reason = %e.reason, "send failed; will retry");
    }
    Ok(true)
}

/// Waits while the intake opens a batch of handoffs: it wakes the dispatchers when done.
async fn wait_for_intake(ctx: &Ctx) {
    use std::sync::atomic::Ordering;
    loop {
        let woken = ctx.outbox_ready.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        if !ctx.intake_running.load(Ordering::Acquire) || ctx.shutdown.is_cancelled() {
            return;
        }
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return,
            _ = woken => {}
        }
    }
}

/// Starts the sends that may go now and records those that end meanwhile; returns how
/// many rows were settled and, when rows were held back by pacing, when the first of them
/// may go.
async fn drain(
    ctx: &Ctx,
    platform: &Arc<dyn Platform>,
    state: &mut State,
) -> anyhow::Result<(usize, Option<Instant>)> {
    let name = platform.name();
    let pace = platform.min_interval();
    let limit = platform.concurrency().max(1);
    if let Some(pace) = pace {
        state.last_sent.retain(|_, at| at.elapsed() < pace);
    }
    let mut paced_until: Option<Instant> = None;
    let now = ctx.clock.now();
    let rows = {
        let mut conn = ctx.db.pool.acquire().await?;
        outbox::queue(&mut conn, name, QUEUE_WINDOW).await?
    };
    let cold: Vec<String> = rows
        .iter()
        .flatten()
        .filter(|r| state.warmed.insert(r.recipient.clone()))
        .map(|r| r.recipient.clone())
        .collect();
    if !cold.is_empty() {
        let platform = platform.clone();
        tokio::spawn(async move { platform.warm(&cold).await });
    }
    // Recipients whose earlier message cannot go now: their later ones wait too.
    let mut held: HashSet<String> = HashSet::new();
    let mut handled = 0;
    for row in rows {
        // A shutdown lets the messages in hand finish; the rest stay queued.
        if ctx.shutdown.is_cancelled() {
            break;
        }
        // A burst of new handoffs goes first; the sends resume right after it, with the
        // queue read again (the pause counts as progress, so the caller drains at once).
        if ctx
            .intake_running
            .load(std::sync::atomic::Ordering::Acquire)
        {
            wait_for_intake(ctx).await;
            handled += 1;
            break;
        }
        let waiting = match row {
            Ok(waiting) => waiting,
            Err(bad) => {
                set_aside(ctx, bad).await?;
                continue;
            }
        };
        let row = &waiting;
        if held.contains(&row.recipient) {
            continue;
        }
        if row.next_attempt_at > now {
            held.insert(row.recipient.clone());
            continue;
        }
        if state.flight.busy(&row.recipient) {
            if pace.is_some() {
                // Paced after that send ends anyway.
                held.insert(row.recipient.clone());
                continue;
            }
            // Unpaced: the next message follows as soon as the one before it is through.
            while state.flight.busy(&row.recipient) {
                let Some(done) = state.flight.next().await else {
                    break;
                };
                let recipient = done.0.recipient.clone();
                if settle(ctx, platform.as_ref(), state, done).await? {
                    held.insert(recipient);
                }
                handled += 1;
            }
            if held.contains(&row.recipient) {
                continue;
            }
        }
        if let (Some(pace), Some(at)) = (pace, state.last_sent.get(&row.recipient)) {
            let ready = *at + pace;
            if ready > Instant::now() {
                paced_until = Some(paced_until.map_or(ready, |p| p.min(ready)));
                held.insert(row.recipient.clone());
                continue;
            }
        }
        while state.flight.len() >= limit {
            let Some(done) = state.flight.next().await else {
                break;
            };
            let recipient = done.0.recipient.clone();
            if settle(ctx, platform.as_ref(), state, done).await? {
                held.insert(recipient);
            }
            handled += 1;
        }
        let marker = platform.marker().await;
        let (row, delivery) = {
            let mut conn = ctx.db.pool.acquire().await?;
            let row = match outbox::claim(&mut conn, row.id, marker.as_deref()).await? {
                Ok(row) => row,
                Err(bad) => {
                    drop(conn);
                    set_aside(ctx, bad).await?;
                    continue;
                }
            };
            let mut delivery = delivery(&row);
            if row.kind == Kind::Update {
                delivery.original = outbox::sent_alert_for(&mut conn, row.id).await?.map(
                    |(external_ref, message)| Original {
                        external_ref,
                        message,
                    },
                );
            }
            (row, delivery)
        };
        state.flight.start(ctx, platform, row, delivery);
    }
    mark_unmarked(ctx, state).await?;
    Ok((handled, paced_until))
}

/// Sets an unreadable row aside at once (dead, with why), so it holds up nobody's later
/// messages.
async fn set_aside(ctx: &Ctx, bad: outbox::Unreadable) -> anyhow::Result<()> {
    let error = format!("{:#}", bad.error);
    let mut conn = ctx.db.pool.acquire().await?;
    outbox::mark_failed(&mut conn, bad.id, &error, None).await?;
    error!(outbox = bad.id, error, "unreadable outbox row marked dead");
    Ok(())
}

/// Settles rows a crash left claimed: delivered ones are marked sent, others go back to
/// the queue.
async fn recover(ctx: &Ctx, platform: &dyn Platform) -> anyhow::Result<()> {
    let mut conn = ctx.db.pool.acquire().await?;
    for row in outbox::in_flight(&mut conn, platform.name()).await? {
        // An unreadable row goes back to the queue, where the dispatcher sets it aside.
        let (id, verdict) = match &row {
            Ok(row) => (
                row.id,
                platform
                    .recover(&delivery(row), row.claim_marker.as_deref())
                    .await,
            ),
            Err(bad) => (bad.id, Recovery::Resend),
        };
        match verdict {
            Recovery::Delivered => {
                outbox::mark_sent(&mut conn, id, &ts(ctx.clock.now()), None).await?
            }
            Recovery::Resend => outbox::release(&mut conn, id).await?,
        }
        info!(
            platform = platform.name(),
            outbox = id,
            ?verdict,
            "settled a message claimed before a restart"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let waits: Vec<u64> = (0..12).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
    }
}
