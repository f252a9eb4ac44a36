//! The one clock Baton reads. Production code gets the system clock; tests get a manual
//! clock they move by hand, so hours of SLA run in milliseconds. Nothing else in the crate
//! may read the wall clock.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

/// A cheap, cloneable handle on the current time.
#[derive(Clone)]
pub struct Clock(Arc<Inner>);

enum Inner {
    System,
    Manual(watch::Sender<DateTime<Utc>>),
}

impl Clock {
    /// The real clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Inner::System))
    }

    /// A clock that stands still at `start` until moved with [`Clock::advance`] or [`Clock::set`].
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Inner::Manual(watch::channel(start).0)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Inner::System => Utc::now(),
            Inner::Manual(tx) => *tx.borrow(),
        }
    }

    pub fn is_manual(&self) -> bool {
        matches!(&*self.0, Inner::Manual(_))
    }

    /// Moves a manual clock forward; the system clock ignores it.
    pub fn advance(&self, by: chrono::Duration) {
        if let Inner::Manual(tx) = &*self.0 {
            tx.send_modify(|now| *now += by);
        }
    }

    /// Sets a manual clock; the system clock ignores it.
    pub fn set(&self, to: DateTime<Utc>) {
        if let Inner::Manual(tx) = &*self.0 {
            tx.send_replace(to);
        }
    }

    /// Waits until the clock reads `deadline` or later.
    pub async fn sleep_until(&self, deadline: DateTime<Utc>) {
        match &*self.0 {
            Inner::System => {
                let wait = (deadline - Utc::now()).to_std().unwrap_or_default();
                tokio::time::sleep(wait).await;
            }
            Inner::Manual(tx) => {
                let mut rx = tx.subscribe();
                // The sender lives as long as this clock, so the wait cannot fail.
                let _ = rx.wait_for(|now| *now >= deadline).await;
            }
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Inner::System => f.write_str("Clock::System"),
            Inner::Manual(tx) => write!(f, "Clock::Manual({})", *tx.borrow()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn manual_clock_wakes_sleepers_when_advanced() {
        let start = DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::manual(start);
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(start + chrono::Duration::hours(4)).await }
        });
        clock.advance(chrono::Duration::hours(3));
        assert!(!sleeper.is_finished());
        clock.advance(chrono::Duration::hours(1));
        sleeper.await.unwrap();
        assert_eq!(clock.now(), start + chrono::Duration::hours(4));
    }
}
