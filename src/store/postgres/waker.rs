//! Wake-ups on PostgreSQL: the `lead_events` trigger of migration postgres/0002 sends
//! `NOTIFY baton_leads` with every commit that records a stage change, and a [`Waker`]
//! listens on its own connection, so the watcher reads new events the moment they are
//! committed instead of on a timer.
//!
//! Notifications are lost while the listening connection is down (a restart of the
//! server, a network cut, `pg_terminate_backend`). The waker then wakes its reader at once
//! (something may have been missed), falls back to polling every `fallback` while it
//! reconnects, and wakes again when it listens anew. While it listens, a slow `safety`
//! poll still wakes the reader now and then, as `[watch] poll_ms` does on SQLite.
//!
//! The waker reads nothing but notifications: the reader decides what is new from its
//! cursor, so a spurious wake-up costs one query and a missed one at most a poll.

use std::time::Duration;

use sqlx::postgres::{PgListener, PgPoolOptions};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use super::{PgDb, describe};

/// The channel the `lead_events` trigger notifies.
pub const CHANNEL: &str = "baton_leads";

/// The `application_name` of the listening connection, as `pg_stat_activity` shows it.
pub const APPLICATION_NAME: &str = "baton waker";

/// Why [`Waker::wait`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// A notification arrived, or the listener was lost or came back (so one may have been
    /// missed): read now.
    Notified,
    /// No notification within the poll period: read anyway.
    Poll,
}

/// What the listening task reports.
#[derive(Clone, Copy, Debug, Default)]
struct State {
    /// The listener is connected and has issued `LISTEN`.
    listening: bool,
    /// How many times it has started listening (1 after the first connection).
    connections: u64,
    /// How many wake-ups it has signalled.
    wakes: u64,
}

/// Wakes a reader when another connection commits a stage change.
pub struct Waker {
    state: watch::Receiver<State>,
    /// The wake-ups already returned by [`Waker::wait`].
    seen: u64,
    safety: Duration,
    fallback: Duration,
    task: JoinHandle<()>,
}

impl Waker {
    /// Starts listening on a connection of its own and returns once the first `LISTEN`
    /// has run (or failed: then it polls every `fallback` and keeps trying), so every
    /// commit after `start` returns wakes the reader.
    pub async fn start(db: &PgDb, safety: Duration, fallback: Duration) -> Waker {
        // A pool of one connection that never expires: the listener's own, re-opened by
        // sqlx when it is lost.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .max_lifetime(None)
            .idle_timeout(None)
            .acquire_timeout(super::CONNECT_TIMEOUT)
            .connect_lazy_with(db.options().clone().application_name(APPLICATION_NAME));
        let server = describe(db.options());
        let (tx, mut rx) = watch::channel(State::default());
        let task = tokio::spawn(listen(pool, server, tx, fallback));
        // The first attempt has ended once the task reports a connection or a wake-up.
        let _ = rx.wait_for(|s| s.connections > 0 || s.wakes > 0).await;
        let seen = rx.borrow().wakes;
        Waker {
            state: rx,
            seen,
            safety,
            fallback,
            task,
        }
    }

    /// Waits for the next wake-up: a notification (or a change of the listener's state)
    /// since the last call, or the poll period (`safety` while listening, `fallback` while
    /// not).
    pub async fn wait(&mut self) -> Wake {
        let period = if self.state.borrow().listening {
            self.safety
        } else {
            self.fallback
        };
        let seen = self.seen;
        let woken = tokio::select! {
            state = self.state.wait_for(|s| s.wakes > seen) => match state {
                Ok(state) => Some(state.wakes),
                // The task ended (the runtime is shutting down): poll.
                Err(_) => None,
            },
            _ = tokio::time::sleep(period) => None,
        };
        match woken {
            Some(wakes) => {
                self.seen = wakes;
                Wake::Notified
            }
            None => Wake::Poll,
        }
    }

    /// True while the listener is connected and listening.
    pub fn listening(&self) -> bool {
        self.state.borrow().listening
    }

    /// How many times the listener has started listening.
    pub fn connections(&self) -> u64 {
        self.state.borrow().connections
    }

    /// Waits until the listener listens on a connection opened after `connections` (from
    /// [`Waker::connections`]), then counts every wake-up so far as seen: the next
    /// [`Waker::wait`] returns for what happens from now on.
    pub async fn listening_after(&mut self, connections: u64) {
        let _ = self
            .state
            .wait_for(|s| s.listening && s.connections > connections)
            .await;
        self.seen = self.state.borrow().wakes;
    }
}

impl Drop for Waker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The listening task: listen, pass notifications on, and start again when the
/// connection is lost.
async fn listen(
    pool: sqlx::PgPool,
    server: String,
    state: watch::Sender<State>,
    fallback: Duration,
) {
    loop {
        let listener = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.ignore_pool_close_event(true);
            // A lost connection ends this listener (below); no quiet reconnect inside it.
            listener.eager_reconnect(false);
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = match listener.await {
            Ok(listener) => listener,
            Err(e) => {
                warn!(error = %e, server = %server, "cannot listen for lead changes; polling until it can");
                state.send_modify(|s| s.wakes += 1);
                tokio::time::sleep(fallback).await;
                continue;
            }
        };
        // Listening anew: anything committed while it was down is read now.
        state.send_modify(|s| {
            s.listening = true;
            s.connections += 1;
            s.wakes += 1;
        });
        info!(server = %server, channel = CHANNEL, "listening for lead changes");
        let lost = loop {
            match listener.try_recv().await {
                Ok(Some(_)) => state.send_modify(|s| s.wakes += 1),
                Ok(None) => break "the connection was closed".to_string(),
                Err(e) => break e.to_string(),
            }
        };
        // Drop this listener (and its connection) and start from a fresh one.
        drop(listener);
        state.send_modify(|s| {
            s.listening = false;
            s.wakes += 1;
        });
        warn!(reason = %lost, server = %server, "lost the connection that listens for lead changes; polling while reconnecting");
    }
}
