//! Empties the outbox, one task per platform. The only code that calls a platform's
//! `send`. For each due row: claim it (with the platform's recovery marker), send, mark it
//! sent; on failure put it back with exponential backoff, or the wait the platform asked
//! for (Retry-After), and after [`MAX_ATTEMPTS`] give up (`dead`). Rows a crash left
//! claimed are checked with the platform before anything else is sent.
//!
//! A platform may ask for a least interval between two messages to one recipient
//! ([`Platform::min_interval`], Slack's one message per second per channel): a row whose
//! recipient was sent to more recently waits, and since a recipient's later rows wait for
//! its older ones, each recipient's order is kept. That pacing is about the platform's real
//! rate, so it is measured with the monotonic timer, not the (possibly manual) clock.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio::time::Instant;
use tracing::{error, info, warn};

use super::Ctx;
use crate::chat::message::Message;
use crate::chat::{Delivery, Platform, Recovery};
use crate::store::outbox::{self, OutboxRow};
use crate::store::{parse_ts, ts};

/// Attempts before a message is given up as dead.
pub const MAX_ATTEMPTS: i64 = 10;
/// How many of the oldest pending rows one pass looks at.
const QUEUE_WINDOW: i64 = 500;
/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// How often an idle dispatcher looks at the queue even without a wake-up.
const IDLE_POLL: Duration = Duration::from_secs(1);

fn delivery(row: &OutboxRow) -> anyhow::Result<Delivery> {
    let message: Message =
        serde_json::from_str(&row.message).context("cannot decode an outbox message")?;
    Ok(Delivery {
        outbox_id: row.id,
        recipient: row.recipient.clone(),
        kind: row.kind.parse()?,
        lead_id: row.lead_id,
        message,
    })
}

/// The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s … up to five minutes.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(0, 16) as u32;
    Duration::from_secs(1u64 << exp).min(MAX_BACKOFF)
}

pub async fn run(ctx: Ctx, platform: Arc<dyn Platform>) -> anyhow::Result<()> {
    let name = platform.name();
    recover(&ctx, platform.as_ref()).await?;
    info!(platform = name, "dispatcher started");
    let mut last_sent = HashMap::new();
    loop {
        let (sent, paced_until) = match drain(&ctx, platform.as_ref(), &mut last_sent).await {
            Ok(done) => done,
            Err(e) => {
                error!(platform = name, error = %format!("{e:#}"), "dispatcher error; will retry");
                (0, None)
            }
        };
        if sent > 0 {
            continue;
        }
        if ctx.shutdown.is_cancelled() {
            return Ok(());
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
            None => next.as_deref().and_then(|t| parse_ts(t).ok()),
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
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return Ok(()),
            _ = woken => {}
            _ = due => {}
            _ = paced => {}
            _ = idle => {}
        }
    }
}

/// Waits until the intake's batch is over: `Busy::drop` clears `intake_running` and then
/// notifies `outbox_ready`. The waiter registers before it reads the flag, so a batch that
/// ends in between still wakes it.
async fn wait_for_intake(ctx: &Ctx) {
    loop {
        let notified = ctx.outbox_ready.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if !ctx
            .intake_running
            .load(std::sync::atomic::Ordering::Acquire)
            || ctx.shutdown.is_cancelled()
        {
            return;
        }
        tokio::select! {
            _ = &mut notified => {}
            _ = ctx.shutdown.cancelled() => return,
        }
    }
}

/// Sends what is due now; returns how many rows were handled and, when rows were held
/// back by pacing, when the first of them may go. `last_sent` holds when each recipient
/// was last sent to, for platforms with a [`Platform::min_interval`].
async fn drain(
    ctx: &Ctx,
    platform: &dyn Platform,
    last_sent: &mut HashMap<String, Instant>,
) -> anyhow::Result<(usize, Option<Instant>)> {
    let name = platform.name();
    let pace = platform.min_interval();
    if let Some(pace) = pace {
        last_sent.retain(|_, at| at.elapsed() < pace);
    }
    let mut paced_until: Option<Instant> = None;
    let now_text = ts(ctx.clock.now());
    let rows = {
        let mut conn = ctx.db.pool.acquire().await?;
        outbox::queue(&mut conn, name, QUEUE_WINDOW).await?
    };
    // Recipients whose earlier message cannot go now: their later ones wait too.
    let mut held: HashSet<String> = HashSet::new();
    let mut handled = 0;
    for row in rows {
        // A shutdown lets the message in hand finish; the rest stay queued.
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
        if held.contains(&row.recipient) {
            continue;
        }
        if row.next_attempt_at > now_text {
            held.insert(row.recipient.clone());
            continue;
        }
        if let (Some(pace), Some(at)) = (pace, last_sent.get(&row.recipient)) {
            let ready = *at + pace;
            if ready > Instant::now() {
                paced_until = Some(paced_until.map_or(ready, |p| p.min(ready)));
                held.insert(row.recipient.clone());
                continue;
            }
        }
        let delivery = match delivery(&row) {
            Ok(d) => d,
            Err(e) => {
                let mut conn = ctx.db.pool.acquire().await?;
                outbox::mark_failed(&mut conn, row.id, &format!("{e:#}"), None).await?;
                error!(outbox = row.id, error = %format!("{e:#}"), "unreadable outbox row marked dead");
                continue;
            }
        };
        let marker = platform.marker().await;
        {
            let mut conn = ctx.db.pool.acquire().await?;
            outbox::claim(&mut conn, row.id, marker.as_deref()).await?;
        }
        if pace.is_some() {
            last_sent.insert(row.recipient.clone(), Instant::now());
        }
        let result = match tokio::time::timeout(ctx.send_timeout, platform.send(&delivery)).await {
            Ok(result) => result,
            Err(_) => Err(crate::chat::SendError::transient(format!(
                "no answer within {} s",
                ctx.send_timeout.as_secs_f64()
            ))),
        };
        let mut conn = ctx.db.pool.acquire().await?;
        let now = ctx.clock.now();
        match result {
            Ok(sent) => {
                outbox::mark_sent(&mut conn, row.id, &ts(now), sent.external_ref.as_deref())
                    .await?;
                ctx.stats.update(|c| c.messages_sent += 1);
            }
            Err(e) => {
                let attempts = row.attempts + 1;
                let give_up = e.permanent || attempts >= MAX_ATTEMPTS;
                let wait = e.retry_after.unwrap_or_else(|| backoff(attempts - 1));
                let next = (!give_up)
                    .then(|| ts(now + chrono::Duration::from_std(wait).unwrap_or_default()));
                outbox::mark_failed(&mut conn, row.id, &e.reason, next.as_deref()).await?;
                held.insert(row.recipient.clone());
                ctx.stats.update(|c| {
                    c.send_failures += 1;
                    c.messages_dead += u64::from(give_up);
                });
                if give_up {
                    error!(platform = name, outbox = row.id, attempts, reason = %e.reason, "message given up (dead)");
                } else {
                    warn!(platform = name, outbox = row.id, attempts, wait_ms = wait.as_millis() as u64, reason = %e.reason, "send failed; will retry");
                }
            }
        }
        handled += 1;
    }
    Ok((handled, paced_until))
}

/// Settles rows a crash left claimed: delivered ones are marked sent, others go back to
/// the queue.
async fn recover(ctx: &Ctx, platform: &dyn Platform) -> anyhow::Result<()> {
    let mut conn = ctx.db.pool.acquire().await?;
    for row in outbox::in_flight(&mut conn, platform.name()).await? {
        let verdict = match delivery(&row) {
            Ok(d) => platform.recover(&d, row.claim_marker.as_deref()).await,
            Err(_) => Recovery::Resend,
        };
        match verdict {
            Recovery::Delivered => {
                outbox::mark_sent(&mut conn, row.id, &ts(ctx.clock.now()), None).await?
            }
            Recovery::Resend => outbox::release(&mut conn, row.id).await?,
        }
        info!(
            platform = platform.name(),
            outbox = row.id,
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
