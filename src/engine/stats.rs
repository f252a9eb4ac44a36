//! Counters of what the engine did, shared by every loop. They feed `/metrics` and let
//! tests await progress ("two messages sent") instead of sleeping.

use tokio::sync::watch;

/// Upper bounds (seconds) of the detection-latency histogram's buckets.
pub const LATENCY_BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0];

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counters {
    pub events_processed: u64,
    /// Events parked in quarantine since start.
    pub events_quarantined: u64,
    /// Quarantined events retried on request that failed again.
    pub retries_failed: u64,
    pub handoffs_opened: u64,
    pub handoffs_closed: u64,
    pub messages_sent: u64,
    pub send_failures: u64,
    pub messages_dead: u64,
    pub timers_fired: u64,
    pub breaches: u64,
    /// Times the scheduler looked at its jobs.
    pub scheduler_passes: u64,
    /// Timed jobs run (digests, morning summaries), and ones that failed.
    pub jobs_run: u64,
    pub jobs_failed: u64,
    /// Detections per latency bucket (cumulative counts are computed when printed); the
    /// last slot counts those above every bound.
    pub latency_buckets: [u64; LATENCY_BUCKETS.len() + 1],
    pub latency_sum_s: f64,
    pub latency_count: u64,
}

impl Counters {
    /// Records how long after its commit a stage change was turned into a handoff.
    pub fn observe_latency(&mut self, seconds: f64) {
        let slot = LATENCY_BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(LATENCY_BUCKETS.len());
        self.latency_buckets[slot] += 1;
        self.latency_sum_s += seconds.max(0.0);
        self.latency_count += 1;
    }
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
