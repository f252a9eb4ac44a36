//! The statements Baton runs on every wake, batch and scrape must cost the same at any
//! history: each is checked against SQLite's query plan on the migrated schema, so a
//! statement that would walk a whole table (as the retry read once walked all of
//! `lead_events`, 40 ms a pass at 1M events) fails here, not in production.

use sqlx::Row;

use super::{Db, duplicates, events, handoffs, metrics, outbox, quarantine};

/// The statements, each named, with the full statements built from their parts.
fn hot_statements() -> Vec<(&'static str, String)> {
    vec![
        ("events::after", events::AFTER.into()),
        ("events::watch_state", events::WATCH_STATE.into()),
        ("quarantine::requested", quarantine::REQUESTED.into()),
        (
            "outbox::queue",
            format!("SELECT * FROM outbox {}", outbox::QUEUE_WHERE),
        ),
        ("outbox::next_due", outbox::NEXT_DUE.into()),
        (
            "outbox::in_flight",
            format!("SELECT * FROM outbox {}", outbox::IN_FLIGHT_WHERE),
        ),
        ("outbox::queued", outbox::QUEUED.into()),
        ("outbox::list_unsent", outbox::LIST_UNSENT.into()),
        ("outbox::retry_dead", outbox::RETRY_DEAD.into()),
        ("metrics::gauges", metrics::GAUGES.into()),
        ("metrics::backlog", metrics::BACKLOG.into()),
        ("metrics::outbox_due", metrics::OUTBOX_DUE.into()),
        ("handoffs::open_leads", handoffs::OPEN_LEADS.into()),
        ("handoffs::open_counts", handoffs::OPEN_COUNTS.into()),
        (
            "duplicates::open_for_email",
            duplicates::OPEN_FOR_EMAIL.into(),
        ),
        ("duplicates::open_emails", duplicates::OPEN_EMAILS.into()),
    ]
}

/// The plan lines that read every row of a table: `SCAN t` without an index. A constant
/// row, a virtual table (`json_each`, a pragma) and a temporary b-tree are not tables.
fn full_scans(plan: &[String]) -> Vec<&String> {
    plan.iter()
        .filter(|line| {
            line.starts_with("SCAN ")
                && !line.contains(" USING ")
                && !line.contains("CONSTANT ROW")
                && !line.contains("VIRTUAL TABLE")
        })
        .collect()
}

async fn plan(db: &Db, sql: &str) -> Vec<String> {
    let parameters = sql.matches('?').count();
    let mut query = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
    for _ in 0..parameters {
        query = query.bind(None::<String>);
    }
    query
        .fetch_all(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("cannot explain {sql}: {e}"))
        .iter()
        .map(|row| row.get::<String, _>("detail"))
        .collect()
}

async fn migrated() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("baton.db")).await.unwrap();
    db.migrate().await.unwrap();
    (dir, db)
}

#[tokio::test]
async fn no_hot_statement_reads_a_whole_table() {
    let (_dir, db) = migrated().await;
    let mut problems = Vec::new();
    for (name, sql) in hot_statements() {
        let plan = plan(&db, &sql).await;
        assert!(!plan.is_empty(), "{name}: no plan");
        let scans = full_scans(&plan);
        if !scans.is_empty() {
            problems.push(format!("{name}: {scans:?} in {plan:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Marking a run of sent rows finds each by its id (the `VALUES` list it scans holds only
/// the run).
#[tokio::test]
async fn marking_sent_rows_finds_each_by_its_id() {
    let (_dir, db) = migrated().await;
    let (head, tail) = outbox::MARK_MANY_SENT;
    let plan = plan(&db, &format!("{head}VALUES (?, ?, ?), (?, ?, ?){tail}")).await;
    assert!(
        plan.iter()
            .any(|line| line == "SEARCH outbox USING INTEGER PRIMARY KEY (rowid=?)"),
        "{plan:?}"
    );
    assert!(
        full_scans(&plan)
            .iter()
            .all(|line| line.ends_with("VALUES CLAUSE")),
        "{plan:?}"
    );
}

/// The check itself can fail: the retry read as it was written before (ordered by the
/// event's id) walks all of `lead_events`.
#[tokio::test]
async fn the_check_finds_the_old_retry_read() {
    let (_dir, db) = migrated().await;
    let old = quarantine::REQUESTED.replace("ORDER BY q.event_id", "ORDER BY e.id");
    assert_ne!(old, quarantine::REQUESTED);
    let plan = plan(&db, &old).await;
    assert_eq!(full_scans(&plan), vec!["SCAN e"], "{plan:?}");
}
