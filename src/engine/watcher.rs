//! Watches the database for stage changes made by anyone: Baton, the HTTP API, or another
//! process writing `leads` directly. Every `[watch] poll_ms` it reads SQLite's
//! `PRAGMA data_version` on its own connection, which changes only when some other
//! connection commits; only then does it look for new `lead_events`. Idle, a tick costs
//! one pragma on an open connection. It records in `ctx.progress` when it last knew that
//! nothing waited, which `/healthz` turns into the watcher's lag.

use std::time::Duration;

use tracing::{error, info};

use super::{Ctx, intake};
use crate::store::events;

pub async fn run(ctx: Ctx) -> anyhow::Result<()> {
    let poll = Duration::from_millis(ctx.config.settings.watch.poll_ms);
    let mut conn = ctx.db.pool.acquire().await?;
    let mut seen_version = None;
    let mut backoff = poll;
    info!(poll_ms = poll.as_millis() as u64, "watching lead_events");
    ctx.progress.watcher_caught_up(ctx.clock.now());
    loop {
        let version = match events::data_version(&mut conn).await {
            Ok(v) => Some(v),
            Err(e) => {
                error!(error = %format!("{e:#}"), "cannot poll the database; retrying");
                None
            }
        };
        if version.is_some() && version == seen_version {
            // No other connection committed since the last complete pass: nothing waits.
            ctx.progress.watcher_caught_up(ctx.clock.now());
        }
        if version.is_some() && version != seen_version {
            let started = ctx.clock.now();
            match intake::run_once(&ctx).await {
                Ok(done) => {
                    // Every event committed before the pass began was processed or parked.
                    ctx.progress.watcher_caught_up(started);
                    seen_version = version;
                    backoff = poll;
                    if done.events > 0 {
                        info!(
                            events = done.events,
                            opened = done.opened,
                            closed = done.closed,
                            "stage changes processed"
                        );
                    }
                }
                Err(e) => {
                    error!(error = %format!("{e:#}"), "cannot process stage changes; will retry");
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return Ok(()),
            _ = ctx.leads_changed.notified() => {}
            _ = tokio::time::sleep(if seen_version == version { poll } else { backoff }) => {}
        }
    }
}
