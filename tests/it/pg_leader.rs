//! The leader's lease on PostgreSQL: one replica leads at a time, another takes over only
//! once the lease has expired (on the injected clock), and the deposed leader's fence
//! refuses its writes.

use std::time::Duration;

use baton::clock::Clock;
use baton::store::postgres::leader::{DEFAULT_LEASE, FenceError, Leader};
use chrono::{DateTime, Utc};
use sqlx::Connection;

use crate::pg_harness::TestPg;

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn secs(s: i64) -> chrono::Duration {
    chrono::Duration::seconds(s)
}

#[tokio::test]
async fn pg_a_second_leader_takes_over_only_after_the_lease_expires() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    assert_eq!(DEFAULT_LEASE, Duration::from_secs(5));
    let clock = Clock::manual(start());
    let mut a = Leader::new(&pg.db, clock.clone(), "replica-a");
    let mut b = Leader::new(&pg.db, clock.clone(), "replica-b");

    let fence_a = a.acquire().await.unwrap().expect("a leads");
    assert_eq!(
        b.acquire().await.unwrap(),
        None,
        "b follows while a's lease runs"
    );

    // a renews within its lease and keeps its epoch; b still cannot take over.
    clock.advance(secs(4));
    assert_eq!(a.acquire().await.unwrap(), Some(fence_a.clone()));
    clock.advance(secs(4));
    assert_eq!(
        b.acquire().await.unwrap(),
        None,
        "the renewed lease runs to 09:00:09"
    );
    let mut tx = pg.db.begin().await.unwrap();
    fence_a.check(&mut tx, clock.now()).await.unwrap();
    tx.commit().await.unwrap();
    let lease = Leader::current(&pg.db, clock.now()).await.unwrap().unwrap();
    assert_eq!(
        (lease.holder.as_str(), lease.epoch),
        ("replica-a", fence_a.epoch())
    );

    // a stops renewing (it died, or lost its connection): b takes over when it expires.
    clock.advance(secs(1));
    let fence_b = b
        .acquire()
        .await
        .unwrap()
        .expect("b leads once a's lease expired");
    assert_eq!(fence_b.epoch(), fence_a.epoch() + 1);

    // The deposed leader can no longer write, nor take the lease back.
    let mut tx = pg.db.begin().await.unwrap();
    let refused = fence_a.check(&mut tx, clock.now()).await.unwrap_err();
    assert!(
        matches!(&refused, FenceError::Deposed { current, current_holder, .. }
            if *current == fence_b.epoch() && current_holder.as_deref() == Some("replica-b")),
        "{refused}"
    );
    tx.rollback().await.unwrap();
    assert_eq!(a.acquire().await.unwrap(), None);
    let mut tx = pg.db.begin().await.unwrap();
    fence_b.check(&mut tx, clock.now()).await.unwrap();
    tx.commit().await.unwrap();
    let lease = Leader::current(&pg.db, clock.now()).await.unwrap().unwrap();
    assert_eq!(lease.holder, "replica-b");
}

#[tokio::test]
async fn pg_a_leader_whose_lease_expired_stops_writing_even_before_anyone_takes_over() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let clock = Clock::manual(start());
    let mut a = Leader::new(&pg.db, clock.clone(), "replica-a");
    let old = a.acquire().await.unwrap().unwrap();
    clock.advance(secs(5));
    let mut tx = pg.db.begin().await.unwrap();
    let refused = old.check(&mut tx, clock.now()).await.unwrap_err();
    assert!(matches!(refused, FenceError::Expired { .. }), "{refused}");
    tx.rollback().await.unwrap();
    assert_eq!(Leader::current(&pg.db, clock.now()).await.unwrap(), None);

    // Taking it again is a new term: the old fence stays refused, the new one writes.
    let new = a.acquire().await.unwrap().unwrap();
    assert_eq!(new.epoch(), old.epoch() + 1);
    let mut tx = pg.db.begin().await.unwrap();
    assert!(matches!(
        old.check(&mut tx, clock.now()).await,
        Err(FenceError::Deposed { .. })
    ));
    new.check(&mut tx, clock.now()).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn pg_a_released_lease_is_taken_at_once_and_a_checked_write_holds_off_a_takeover() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let clock = Clock::manual(start());
    let mut a = Leader::new(&pg.db, clock.clone(), "replica-a").with_lease(Duration::from_secs(30));
    let mut b = Leader::new(&pg.db, clock.clone(), "replica-b");
    assert_eq!(a.renew_every(), Duration::from_secs(10));
    let fence_a = a.acquire().await.unwrap().unwrap();

    // While a's checked write transaction is open, the lease row is share-locked: the
    // UPDATE that a takeover is cannot run until that transaction ends.
    let mut tx = pg.db.begin().await.unwrap();
    fence_a.check(&mut tx, clock.now()).await.unwrap();
    let mut other = pg.writer().await;
    let locked = sqlx::query("SELECT epoch FROM leader_lease FOR UPDATE NOWAIT")
        .execute(&mut other)
        .await
        .unwrap_err();
    assert_eq!(
        locked.as_database_error().unwrap().code().as_deref(),
        Some("55P03"),
        "lock_not_available: {locked}"
    );
    tx.commit().await.unwrap();
    other.close().await.unwrap();

    // A leader that shuts down gives the lease up: the next replica leads without waiting.
    a.release().await.unwrap();
    let fence_b = b.acquire().await.unwrap().expect("b leads at once");
    assert_eq!(fence_b.epoch(), fence_a.epoch() + 1);
    let mut tx = pg.db.begin().await.unwrap();
    assert!(fence_a.check(&mut tx, clock.now()).await.is_err());
    fence_b.check(&mut tx, clock.now()).await.unwrap();
    tx.commit().await.unwrap();
}
