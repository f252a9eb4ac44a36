//! What each loop last did, and the figures of `/healthz`, `/metrics` and `baton status`.
//! The loops record their progress in [`Progress`] (in memory: it describes this
//! process); [`check`] reads the rest from the database and lets `domain::health` judge.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use super::Ctx;
use crate::domain::health::{self, Figures, Health, Thresholds};
use crate::store::{metrics, parse_ts, quarantine, sla as store_sla, ts};

/// How many parked events `/healthz` names.
const QUARANTINE_NAMED: i64 = 5;

/// The loops' progress, shared through [`Ctx`].
#[derive(Debug, Default)]
pub struct Progress {
    /// The last time the watcher knew every committed event was processed (or parked).
    watcher_caught_up: Mutex<Option<DateTime<Utc>>>,
    /// The last time the SLA loop woke up.
    sla_wake: Mutex<Option<DateTime<Utc>>>,
    /// Failed tries per event id, until it is processed or parked.
    failures: Mutex<HashMap<i64, u32>>,
}

impl Progress {
    pub fn watcher_caught_up(&self, at: DateTime<Utc>) {
        if let Ok(mut last) = self.watcher_caught_up.lock() {
            *last = Some(last.map_or(at, |l| l.max(at)));
        }
    }

    pub fn sla_woke(&self, at: DateTime<Utc>) {
        if let Ok(mut last) = self.sla_wake.lock() {
            *last = Some(at);
        }
    }

    /// Counts one more failed try of `event`; returns the tries so far.
    pub fn event_failed(&self, event: i64) -> u32 {
        match self.failures.lock() {
            Ok(mut failures) => {
                let tries = failures.entry(event).or_default();
                *tries += 1;
                *tries
            }
            Err(_) => u32::MAX,
        }
    }

    /// Forgets the tries of `event` (processed or parked).
    pub fn event_settled(&self, event: i64) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&event);
        }
    }

    fn caught_up(&self) -> Option<DateTime<Utc>> {
        self.watcher_caught_up.lock().ok().and_then(|l| *l)
    }

    fn sla_last_wake(&self) -> Option<DateTime<Utc>> {
        self.sla_wake.lock().ok().and_then(|l| *l)
    }
}

/// The `[health]` thresholds of the config.
pub fn thresholds(ctx: &Ctx) -> Thresholds {
    let h = &ctx.config.settings.health;
    Thresholds {
        watcher_lag: h.watcher_lag.as_chrono(),
        outbox_lag: h.outbox_lag.as_chrono(),
    }
}

/// Measures every part now and judges it.
pub async fn check(ctx: &Ctx) -> Health {
    let now = ctx.clock.now();
    let figures = match figures(ctx, now).await {
        Ok(figures) => figures,
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "health check: the database does not answer");
            Figures {
                now,
                ..Figures::default()
            }
        }
    };
    health::assess(&figures, &thresholds(ctx))
}

async fn figures(ctx: &Ctx, now: DateTime<Utc>) -> anyhow::Result<Figures> {
    let pool = &ctx.db.pool;
    let (events_behind, oldest_at) = metrics::backlog(pool, super::intake::CURSOR).await?;
    let since_event = oldest_at
        .as_deref()
        .and_then(|at| parse_ts(at).ok())
        .map(|at| now - at);
    let since_caught_up = ctx.progress.caught_up().map(|at| now - at);
    let due = metrics::outbox_due(pool, &ts(now)).await?;
    let outbox = ctx
        .platforms
        .iter()
        .map(|p| {
            let (n, oldest) = due
                .iter()
                .find(|(platform, ..)| platform == p.name())
                .map(|(_, n, first)| {
                    let age = parse_ts(first).map_or(Duration::zero(), |at| now - at);
                    (*n, age.max(Duration::zero()))
                })
                .unwrap_or((0, Duration::zero()));
            (p.name().to_string(), n, oldest)
        })
        .collect();
    let sla_overdue = {
        let mut conn = pool.acquire().await?;
        store_sla::next_due(&mut conn)
            .await?
            .map_or(Duration::zero(), |at| (now - at).max(Duration::zero()))
    };
    let quarantined = quarantine::count(pool).await?;
    let quarantined_first = quarantine::list(pool, QUARANTINE_NAMED)
        .await?
        .into_iter()
        .map(|q| (q.event_id, q.error))
        .collect();
    Ok(Figures {
        now,
        database: true,
        events_behind,
        oldest_unprocessed: health::watcher_lag(events_behind, since_caught_up, since_event),
        outbox,
        sla_last_wake: ctx.progress.sla_last_wake(),
        sla_overdue,
        quarantined,
        quarantined_first,
    })
}
