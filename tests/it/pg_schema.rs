//! The PostgreSQL schema (migrations/postgres): it applies and re-applies cleanly, and other
//! systems writing `leads` with plain SQL get the same contract as on SQLite: every stage
//! change becomes a `lead_events` row, an unknown stage is refused with SQLite's message,
//! and messy values are kept as written.

use baton::store::{Db, parse_ts};
use sqlx::{Connection, PgConnection, Row};

use crate::pg_harness::TestPg;

const REFUSAL: &str = "unknown stage: use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified";

async fn events(conn: &mut PgConnection) -> Vec<(i64, Option<String>, String, String)> {
    sqlx::query_as("SELECT lead_id, from_stage, to_stage, at FROM lead_events ORDER BY id")
        .fetch_all(conn)
        .await
        .unwrap()
}

/// A migrated SQLite database in a temporary folder (kept while the folder lives), to
/// compare with PostgreSQL.
async fn migrated_sqlite() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::open(&dir.path().join("baton.db")).await.unwrap();
    sqlite.migrate().await.unwrap();
    (dir, sqlite)
}

#[tokio::test]
async fn pg_migrations_apply_and_apply_again_without_change() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "sql")
        })
        .count() as i64;
    let applied = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&pg.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(applied().await, files);
    let tables = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT string_agg(table_name, ' ' ORDER BY table_name) FROM information_schema.tables
             WHERE table_schema = 'public'",
        )
        .fetch_one(&pg.db.pool)
        .await
        .unwrap()
    };
    let before = tables().await;
    for table in [
        "leads",
        "lead_events",
        "handoffs",
        "outbox",
        "report_entries",
        "leader_lease",
    ] {
        assert!(before.split(' ').any(|t| t == table), "{table} in {before}");
    }

    // Again, and from a second pool as a second replica would: nothing to do.
    pg.db.migrate().await.unwrap();
    let replica = baton::store::postgres::PgDb::connect(&pg.url)
        .await
        .unwrap();
    replica.migrate().await.unwrap();
    assert_eq!(applied().await, files);
    assert_eq!(tables().await, before);
    assert!(replica.ping().await);
}

#[tokio::test]
async fn pg_an_outside_writer_moving_a_lead_to_mql_records_its_events() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let mut crm = pg.writer().await;
    sqlx::raw_sql(
        "INSERT INTO leads (external_id, email, stage, campaign) VALUES ('crm-1', 'ana@acme.example', 'lead', 'spring');
         UPDATE leads SET stage = 'mql' WHERE external_id = 'crm-1';
         UPDATE leads SET name = 'Ana' WHERE external_id = 'crm-1';
         UPDATE leads SET stage = 'mql' WHERE external_id = 'crm-1';",
    )
    .execute(&mut crm)
    .await
    .unwrap();
    // An upsert, a writer's own time with an offset, and an insert straight into mql.
    sqlx::raw_sql(
        "INSERT INTO leads (external_id, stage, stage_changed_at) VALUES ('crm-1', 'sql', '2026-11-22T09:30:00+02:00')
             ON CONFLICT (external_id) DO UPDATE SET stage = excluded.stage, stage_changed_at = excluded.stage_changed_at;
         INSERT INTO leads (external_id, stage, stage_changed_at) VALUES ('crm-2', 'mql', '2026-11-23 08:00');",
    )
    .execute(&mut crm)
    .await
    .unwrap();

    let events = events(&mut crm).await;
    let stages: Vec<(Option<&str>, &str)> = events
        .iter()
        .map(|(_, from, to, _)| (from.as_deref(), to.as_str()))
        .collect();
    assert_eq!(
        stages,
        [
            (None, "lead"),
            (Some("lead"), "mql"),
            (Some("mql"), "sql"),
            (None, "mql")
        ],
        "one event per change of stage, none for a change of name or the same stage"
    );
    // Stamped in Baton's stored form: RFC 3339, UTC, milliseconds, Z.
    for (_, _, _, at) in &events {
        assert_eq!(at.len(), "2026-11-22T07:30:00.000Z".len(), "{at}");
        assert!(at.ends_with('Z'), "{at}");
        parse_ts(at).unwrap();
    }
    assert_eq!(events[2].3, "2026-11-22T07:30:00.000Z");
    assert_eq!(events[3].3, "2026-11-23T08:00:00.000Z");
    assert_eq!(events[0].0, events[2].0, "the upsert kept the lead's id");

    // The report tables follow every event, as on SQLite.
    let entries: Vec<(i64, String, Option<i64>, String)> = sqlx::query_as(
        "SELECT event_id, stage, forward_at, campaign FROM report_entries ORDER BY event_id",
    )
    .fetch_all(&mut crm)
    .await
    .unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0].3, "spring");
    assert!(entries[0].2.is_some(), "the lead went further (to mql)");
    // The sql entry is dated before the mql one (the writer's own time), so it is not the
    // mql's way further; the comparison with SQLite below covers such orders in full.
    assert_eq!(entries[1].2, None);
    let day_entries: i64 = sqlx::query_scalar(
        "SELECT sum(at_n)::bigint FROM report_entry_days WHERE dim = 'campaign'",
    )
    .fetch_one(&mut crm)
    .await
    .unwrap();
    assert_eq!(day_entries, 4);
    crm.close().await.unwrap();
}

#[tokio::test]
async fn pg_an_unknown_stage_is_refused_with_the_same_message_as_on_sqlite() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let (_dir, sqlite) = migrated_sqlite().await;
    sqlx::query("INSERT INTO leads (external_id, stage) VALUES ('crm-1', 'lead')")
        .execute(&sqlite.pool)
        .await
        .unwrap();
    let on_sqlite = sqlx::query("UPDATE leads SET stage = 'hot' WHERE external_id = 'crm-1'")
        .execute(&sqlite.pool)
        .await
        .unwrap_err();
    let sqlite_message = on_sqlite.as_database_error().unwrap().message().to_string();
    assert_eq!(sqlite_message, REFUSAL);

    let mut crm = pg.writer().await;
    sqlx::query("INSERT INTO leads (external_id, stage) VALUES ('crm-1', 'lead')")
        .execute(&mut crm)
        .await
        .unwrap();
    for refused in [
        "UPDATE leads SET stage = 'hot' WHERE external_id = 'crm-1'",
        "INSERT INTO leads (external_id, stage) VALUES ('crm-2', 'hot')",
        "INSERT INTO leads (external_id, stage) VALUES ('crm-1', 'hot')
             ON CONFLICT (external_id) DO UPDATE SET stage = excluded.stage",
    ] {
        let e = sqlx::query(refused).execute(&mut crm).await.unwrap_err();
        assert_eq!(
            e.as_database_error().unwrap().message(),
            sqlite_message,
            "{refused}"
        );
    }
    let (stage, events): (String, i64) = sqlx::query_as(
        "SELECT (SELECT stage FROM leads WHERE external_id = 'crm-1'), (SELECT count(*) FROM lead_events)",
    )
    .fetch_one(&mut crm)
    .await
    .unwrap();
    assert_eq!(
        (stage.as_str(), events),
        ("lead", 1),
        "nothing of the refused writes stayed"
    );

    // A stage_changed_at that is no time is refused by its check, named for the fix.
    let e = sqlx::query("UPDATE leads SET stage = 'mql', stage_changed_at = 'yesterday'")
        .execute(&mut crm)
        .await
        .unwrap_err();
    assert!(
        e.as_database_error()
            .unwrap()
            .message()
            .contains("stage_changed_at must be RFC 3339"),
        "{e}"
    );
}

#[tokio::test]
async fn pg_messy_values_from_other_writers_are_kept_as_written() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let mut crm = pg.writer().await;
    sqlx::query(
        "INSERT INTO leads (external_id, company_size, score, stage) VALUES ('crm-1', '51-200', '70.5', 'mql'), ('crm-2', '120', '85', 'lead')",
    )
    .execute(&mut crm)
    .await
    .unwrap();
    let rows = sqlx::query("SELECT company_size, score FROM leads ORDER BY id")
        .fetch_all(&mut crm)
        .await
        .unwrap();
    let kept: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.get("company_size"), r.get("score")))
        .collect();
    assert_eq!(
        kept,
        [
            ("51-200".to_string(), "70.5".to_string()),
            ("120".into(), "85".into())
        ]
    );
}

/// The same writes on both engines (each with its own time, so both stamp the same).
const HISTORY: &[&str] = &[
    "INSERT INTO leads (external_id, stage, campaign, source, stage_changed_at) VALUES ('a', 'lead', 'spring', 'ads', '2026-10-01T09:00:00Z')",
    "INSERT INTO leads (external_id, stage, campaign, stage_changed_at) VALUES ('b', 'visitor', 'fall', '2026-10-02T10:00:00.250Z')",
    "UPDATE leads SET stage = 'mql', stage_changed_at = '2026-10-03T11:00:00+02:00' WHERE external_id = 'a'",
    "UPDATE leads SET stage = 'mql', stage_changed_at = '2026-10-04T08:00:00Z' WHERE external_id = 'b'",
    "UPDATE leads SET stage = 'sql', stage_changed_at = '2026-10-05T08:00:00Z' WHERE external_id = 'a'",
    "UPDATE leads SET stage = 'lead', stage_changed_at = '2026-10-06T08:00:00Z' WHERE external_id = 'b'",
    "UPDATE leads SET stage = 'mql', stage_changed_at = '2026-10-07T08:00:00Z' WHERE external_id = 'b'",
    // Out of order: recorded after the change of 10-07, dated before it.
    "UPDATE leads SET stage = 'customer', stage_changed_at = '2026-10-04T12:00:00Z' WHERE external_id = 'a'",
    "UPDATE leads SET campaign = 'winter' WHERE external_id = 'b'",
    "UPDATE leads SET stage = 'disqualified', stage_changed_at = '2026-10-08T08:00:00Z' WHERE external_id = 'b'",
    "DELETE FROM lead_events WHERE id = 5",
];

const ENTRIES: &str =
    "SELECT event_id, lead_id, stage, rank, at, prev_at, forward_at, sql_at, opportunity_at,
        customer_at, campaign, source FROM report_entries ORDER BY event_id";
const DAYS: &str =
    "SELECT dim, key, stage, day, at_n, at_fwd, prev_n, prev_fwd FROM report_entry_days
     WHERE at_n <> 0 OR at_fwd <> 0 OR prev_n <> 0 OR prev_fwd <> 0 ORDER BY dim, key, stage, day";

type Entry = (
    i64,
    i64,
    String,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
);
type Day = (String, String, String, i64, i64, i64, i64, i64);

#[tokio::test]
async fn pg_the_report_tables_hold_the_same_rows_as_on_sqlite() {
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let (_dir, sqlite) = migrated_sqlite().await;
    let mut crm = pg.writer().await;
    for write in HISTORY {
        sqlx::query(*write).execute(&sqlite.pool).await.unwrap();
        sqlx::query(*write).execute(&mut crm).await.unwrap();
    }
    let events_sqlite: Vec<(i64, Option<String>, String, String)> =
        sqlx::query_as("SELECT lead_id, from_stage, to_stage, at FROM lead_events ORDER BY id")
            .fetch_all(&sqlite.pool)
            .await
            .unwrap();
    assert_eq!(events(&mut crm).await, events_sqlite);

    let entries_sqlite: Vec<Entry> = sqlx::query_as(ENTRIES)
        .fetch_all(&sqlite.pool)
        .await
        .unwrap();
    let entries_pg: Vec<Entry> = sqlx::query_as(ENTRIES).fetch_all(&mut crm).await.unwrap();
    assert_eq!(entries_pg.len(), HISTORY.len() - 3);
    assert_eq!(entries_pg, entries_sqlite);
    let days_sqlite: Vec<Day> = sqlx::query_as(DAYS).fetch_all(&sqlite.pool).await.unwrap();
    let days_pg: Vec<Day> = sqlx::query_as(DAYS).fetch_all(&mut crm).await.unwrap();
    assert!(!days_pg.is_empty());
    assert_eq!(days_pg, days_sqlite);
}

/// Writes of every kind `handoffs`' report facts depend on (migration sqlite/0015,
/// postgres/0006), generated from a seed, the same on both engines: leads moving through
/// the funnel with re-entries into mql, handoffs opened for the mql events, a CRM's edits
/// of campaign and source, and events inserted, deleted, moved in time, given another
/// stage or moved to another lead by hand.
fn fact_writes(seed: u64) -> Vec<String> {
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};
    let mut rng = SmallRng::seed_from_u64(seed);
    use baton::domain::stage::Stage;
    let stages: Vec<&str> = Stage::FUNNEL
        .iter()
        .chain([&Stage::Disqualified])
        .map(|s| s.as_str())
        .collect();
    const MOVES: [&str; 7] = [
        "lead",
        "mql",
        "mql",
        "sql",
        "opportunity",
        "customer",
        "mql",
    ];
    const NAMES: [&str; 4] = ["'spring'", "'fall'", "NULL", "''"];
    let time = |rng: &mut SmallRng| {
        format!(
            "2026-10-{:02}T{:02}:{:02}:00.000Z",
            rng.random_range(1..29),
            rng.random_range(0..24),
            rng.random_range(0..60)
        )
    };
    let open = "INSERT INTO handoffs (lead_id, event_id, why, route_reason, mql_at, opened_at)
        SELECT e.lead_id, e.id, 'mql', 'owner', e.at, e.at FROM lead_events e
        WHERE e.to_stage = 'mql' AND e.id NOT IN (SELECT event_id FROM handoffs) ORDER BY e.id";
    let mut writes = Vec::new();
    // Each seed's six leads, after the earlier seeds' (ids count up on both engines).
    let first = (seed - 1) * 6 + 1;
    for i in first..first + 6 {
        writes.push(format!(
            "INSERT INTO leads (external_id, stage, campaign, source, stage_changed_at)
             VALUES ('x{i}', 'lead', {}, {}, '{}')",
            NAMES[rng.random_range(0..4)],
            NAMES[rng.random_range(0..4)],
            time(&mut rng)
        ));
    }
    for _ in 0..300 {
        let lead = rng.random_range(first..first + 6);
        // One of the latest 200 events.
        let pick = format!(
            "(SELECT MIN(id) FROM lead_events WHERE id >= (SELECT MAX(id) FROM lead_events) - {})",
            rng.random_range(0..200)
        );
        writes.push(match rng.random_range(0..20) {
            0..=8 => format!(
                "UPDATE leads SET stage = '{}', stage_changed_at = '{}' WHERE id = {lead}",
                MOVES[rng.random_range(0..MOVES.len())],
                time(&mut rng)
            ),
            9..=10 => format!(
                "UPDATE leads SET campaign = {}, source = {} WHERE id = {lead}",
                NAMES[rng.random_range(0..4)],
                NAMES[rng.random_range(0..4)]
            ),
            11..=12 => format!("DELETE FROM lead_events WHERE id = {pick}"),
            13..=14 => format!(
                "UPDATE lead_events SET at = '{}' WHERE id = {pick}",
                time(&mut rng)
            ),
            15 => format!(
                "UPDATE lead_events SET to_stage = '{}' WHERE id = {pick}",
                stages[rng.random_range(0..stages.len())]
            ),
            16 => format!("UPDATE lead_events SET lead_id = {lead} WHERE id = {pick}"),
            _ => format!(
                "INSERT INTO lead_events (lead_id, from_stage, to_stage, at)
                 VALUES ({lead}, NULL, '{}', '{}')",
                stages[rng.random_range(0..stages.len())],
                time(&mut rng)
            ),
        });
        if rng.random_bool(0.7) {
            writes.push(open.to_string());
        }
    }
    writes
}

#[tokio::test]
async fn pg_the_handoff_report_facts_are_the_same_as_on_sqlite() {
    use crate::report_facts::{Facts, OLD_FACTS, STORED_FACTS};
    let Some(pg) = TestPg::create().await else {
        return;
    };
    let (_dir, sqlite) = migrated_sqlite().await;
    let mut crm = pg.writer().await;
    for seed in [1, 2, 3] {
        for (n, write) in fact_writes(seed).iter().enumerate() {
            let safe = || sqlx::AssertSqlSafe(write.as_str());
            sqlx::query(safe()).execute(&sqlite.pool).await.unwrap();
            sqlx::query(safe()).execute(&mut crm).await.unwrap();
            if n % 50 != 49 {
                continue;
            }
            let on_sqlite: Vec<Facts> = sqlx::query_as(STORED_FACTS)
                .fetch_all(&sqlite.pool)
                .await
                .unwrap();
            let on_pg: Vec<Facts> = sqlx::query_as(STORED_FACTS)
                .fetch_all(&mut crm)
                .await
                .unwrap();
            let old_pg: Vec<Facts> = sqlx::query_as(OLD_FACTS).fetch_all(&mut crm).await.unwrap();
            let what = format!("seed {seed}, write {n}");
            assert_eq!(on_pg, on_sqlite, "{what}: the engines agree");
            assert_eq!(on_pg, old_pg, "{what}: the old definition, on PostgreSQL");
            let old_sqlite: Vec<Facts> = sqlx::query_as(OLD_FACTS)
                .fetch_all(&sqlite.pool)
                .await
                .unwrap();
            assert_eq!(
                on_sqlite, old_sqlite,
                "{what}: the old definition, on SQLite"
            );
        }
    }
    let converted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM handoffs WHERE customer_at IS NOT NULL")
            .fetch_one(&mut crm)
            .await
            .unwrap();
    assert!(converted > 0, "some handoffs reached customer");
}
