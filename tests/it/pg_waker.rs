//! The PostgreSQL waker: a commit by another connection wakes it through NOTIFY (its polls
//! are set longer than the tests run, so a wake-up is the notification), and so does a
//! commit after its listening connection was killed and it listened again.

use std::time::Duration;

use baton::store::postgres::waker::{APPLICATION_NAME, Wake, Waker};
use sqlx::{Connection, PgConnection};

use crate::pg_harness::TestPg;

/// Longer than any of these tests runs: a wake-up is never a poll.
const NO_POLL: Duration = Duration::from_secs(600);
/// How long a wake-up that must come may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

async fn next_wake(waker: &mut Waker) -> Wake {
    tokio::time::timeout(PATIENCE, waker.wait())
        .await
        .expect("the waker woke in time")
}

async fn listener_pid(conn: &mut PgConnection) -> Option<i32> {
    sqlx::query_scalar(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1
         ORDER BY backend_start DESC LIMIT 1",
    )
    .bind(APPLICATION_NAME)
    .fetch_optional(conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn pg_the_waker_wakes_when_another_connection_commits_a_stage_change() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let mut waker = Waker::start(&pg.db, NO_POLL, NO_POLL).await;
    assert!(waker.listening());
    let mut crm = pg.writer().await;
    let mut tx = crm.begin().await.unwrap();
    sqlx::query("INSERT INTO leads (external_id, stage) VALUES ('crm-1', 'mql')")
        .execute(&mut *tx)
        .await
        .unwrap();
    // Not before the commit: the notification is delivered with it.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), waker.wait())
            .await
            .is_err(),
        "woken before the commit"
    );
    tx.commit().await.unwrap();
    assert_eq!(next_wake(&mut waker).await, Wake::Notified);

    // A write that changes no stage records no event and wakes nobody; the next change does.
    sqlx::query("UPDATE leads SET name = 'Ana' WHERE external_id = 'crm-1'")
        .execute(&mut crm)
        .await
        .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(300), waker.wait())
            .await
            .is_err(),
        "woken by a write that changed no stage"
    );
    sqlx::query("UPDATE leads SET stage = 'sql' WHERE external_id = 'crm-1'")
        .execute(&mut crm)
        .await
        .unwrap();
    assert_eq!(next_wake(&mut waker).await, Wake::Notified);
}

#[tokio::test]
async fn pg_the_waker_listens_again_after_its_connection_is_killed() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let mut waker = Waker::start(&pg.db, NO_POLL, Duration::from_millis(50)).await;
    let mut admin = pg.writer().await;
    let first = listener_pid(&mut admin)
        .await
        .expect("the listener's connection");
    let connections = waker.connections();

    let killed: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(first)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert!(killed);
    // The loss itself wakes the reader: a notification may have been missed.
    assert_eq!(next_wake(&mut waker).await, Wake::Notified);
    tokio::time::timeout(PATIENCE, waker.listening_after(connections))
        .await
        .expect("the waker listened again");
    let second = listener_pid(&mut admin)
        .await
        .expect("a new listening connection");
    assert_ne!(first, second);

    sqlx::query("INSERT INTO leads (external_id, stage) VALUES ('crm-1', 'mql')")
        .execute(&mut admin)
        .await
        .unwrap();
    assert_eq!(next_wake(&mut waker).await, Wake::Notified);
}
