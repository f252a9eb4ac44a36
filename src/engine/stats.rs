//! Counters of what the engine did, shared by every loop. They feed `/metrics` and let
//! tests await progress ("two messages sent") instead of sleeping.

use tokio::sync::watch;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub events_processed: u64,
    pub handoffs_opened: u64,
    pub handoffs_closed: u64,
    pub messages_sent: u64,
    pub send_failures: u64,
    pub messages_dead: u64,
    pub timers_fired: u64,
    pub breaches: u64,
}

#[derive(Debug, Clone)]
pub struct Stats {
    tx: watch::Sender<Counters>,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            tx: watch::channel(Counters::default()).0,
        }
    }
}

impl Stats {
    pub fn update(&self, change: impl FnOnce(&mut Counters)) {
        self.tx.send_modify(change);
    }

    pub fn now(&self) -> Counters {
        *self.tx.borrow()
    }

    /// Waits until the counters satisfy `done`.
    pub async fn wait_for(&self, done: impl FnMut(&Counters) -> bool) -> Counters {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        match rx.wait_for(done).await {
            Ok(counters) => *counters,
            Err(_) => self.now(),
        }
    }
}
