//! Real CRM data and honest health (issue 15, items 1-3): leads whose stored values do not
//! fit their columns, a stage change that cannot be processed, and a watcher held back by
//! another process's write transaction.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::cli::baton;
use crate::harness::*;

/// Runs the binary without blocking the runtime the in-process Baton runs on.
async fn baton_beside(args: &[&str]) -> std::process::Output {
    baton_beside_with(args, &[]).await
}

async fn baton_beside_with(args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .env("BATON_LOG", "warn")
        .env_remove("BATON_CONFIG")
        .envs(envs.iter().copied())
        .output()
        .await
        .unwrap()
}

/// `baton status` against the running test app; returns its exit code and output.
async fn status_of(app: &TestApp) -> (Option<i32>, String) {
    let dir = app.dir.path();
    let config = dir.join("baton.toml");
    std::fs::write(&config, config_text(dir, TEAM)).unwrap();
    let address = app.address.to_string();
    let out = baton_beside_with(
        &["status", "--config", config.to_str().unwrap()],
        &[("BATON__SERVER__LISTEN", &address)],
    )
    .await;
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The odd values a CRM sync writes, each in a lead that becomes an MQL.
const ODD_LEADS: [(&str, &str); 5] = [
    (
        "odd-range",
        "INSERT INTO leads (external_id, name, company_size, stage) VALUES ('odd-range', 'Rana', '51-200', 'mql');",
    ),
    (
        "odd-comma",
        "INSERT INTO leads (external_id, name, company_size, stage) VALUES ('odd-comma', 'Cora', '1,000', 'mql');",
    ),
    (
        "odd-empty",
        "INSERT INTO leads (external_id, name, company_size, stage) VALUES ('odd-empty', 'Emma', '', 'mql');",
    ),
    (
        "odd-blob",
        "INSERT INTO leads (external_id, name, company_size, stage) VALUES ('odd-blob', X'FF00426C6F62', 120, 'mql');",
    ),
    (
        "odd-score",
        "INSERT INTO leads (external_id, name, score, stage) VALUES ('odd-score', 'Sara', 70.5, 'mql');",
    ),
];

/// What a person sees of each odd lead in `/lead show`.
const SHOWN: [(&str, &str); 5] = [
    ("odd-range", "51-200"),
    ("odd-comma", "1,000"),
    ("odd-empty", "Emma"),
    ("odd-blob", "x'ff00426c6f62'"),
    ("odd-score", "70.5"),
];

/// 50 ordinary MQLs with the odd ones among them, as one script of another writer.
fn interleaved_script() -> String {
    let mut sql = String::new();
    for i in 0..50 {
        if i % 10 == 5 {
            sql.push_str(ODD_LEADS[i / 10].1);
            sql.push('\n');
        }
        sql.push_str(&format!(
            "INSERT INTO leads (external_id, name, company_size, score, stage) VALUES ('ok-{i}', 'Lead {i}', {}, 50, 'mql');\n",
            10 + i
        ));
    }
    sql
}

async fn leads_by_external_id(app: &TestApp) -> HashMap<String, i64> {
    sqlx::query_as::<_, (String, i64)>("SELECT external_id, id FROM leads")
        .fetch_all(&app.ctx.db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

async fn healthz(app: &TestApp) -> (u16, Value) {
    let response = reqwest::get(format!("http://{}/healthz", app.address))
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn metrics(app: &TestApp) -> String {
    reqwest::get(format!("http://{}/metrics", app.address))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Checks the text exposition format: every sample belongs to a metric declared by a
/// `# TYPE` line before it, names are valid and values are numbers.
fn assert_valid_exposition(text: &str) {
    let mut declared: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            assert!(
                !declared.contains(&name.to_string()),
                "declared twice: {line}"
            );
            declared.push(name.to_string());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        let base = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .filter(|base| declared.iter().any(|d| d == base))
            .unwrap_or(name);
        assert!(
            declared.iter().any(|d| d == base),
            "undeclared sample: {line}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            assert!(
                labels.is_empty() || (labels.starts_with('{') && labels.ends_with("\"}")),
                "{line}"
            );
        }
    }
}

/// The value of an unlabelled sample in Prometheus text.
fn sample(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no sample {name} in\n{metrics}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn leads_with_values_that_do_not_fit_their_columns_are_alerted_once_each_and_shown() {
    let app = TestApp::spawn("").await;
    app.external(&interleaved_script()).await;
    app.wait("55 handoffs", |c| c.handoffs_opened >= 55).await;
    app.drained().await;

    let ids = leads_by_external_id(&app).await;
    assert_eq!(ids.len(), 55);
    let mut alerted: HashMap<i64, usize> = HashMap::new();
    for alert in app.console_of_kind("alert") {
        *alerted
            .entry(alert["lead_id"].as_i64().unwrap())
            .or_default() += 1;
    }
    for (external_id, id) in &ids {
        assert_eq!(alerted.get(id), Some(&1), "alerts for {external_id}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs").await, 55);

    for (external_id, shown) in SHOWN {
        let (ok, text) = app
            .command("root@acme.test", &format!("/lead show {external_id}"))
            .await;
        assert!(ok, "{text}");
        assert!(text.contains(shown), "{external_id}: {text}");
        assert!(text.contains("Handoff #"), "{external_id}: {text}");
    }
    // The stored values stay as the writer left them.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM leads WHERE typeof(company_size) = 'text'")
            .await,
        3
    );
    // Nothing was parked: odd values are not errors.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM quarantined_events").await,
        0
    );
}

/// Waits until `done` holds for the console file's lines, polling the file another process
/// writes.
fn wait_for_console(path: &Path, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let lines: Vec<Value> = std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        if done(&lines) {
            return lines;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}: {lines:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn the_console_reader_of_the_binary_survives_lead_show_on_odd_leads() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("baton.toml");
    std::fs::write(&config, config_text(dir.path(), TEAM)).unwrap();
    let console = dir.path().join("console.jsonl");
    let config_arg = config.to_str().unwrap();
    let migrated = baton(&["migrate", "--config", config_arg], &[]);
    assert!(migrated.status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["run", "--config", config.to_str().unwrap()])
        .env("BATON_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The migrations have run once the database answers the query below.
    let script: String = ODD_LEADS.iter().map(|(_, sql)| *sql).collect();
    let out = external_sql(&dir.path().join("baton.db"), &script).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_for_console(&console, "5 alerts", |lines| {
        lines.iter().filter(|l| l["kind"] == "alert").count() == 5
    });
    let mut stdin = child.stdin.take().unwrap();
    for (external_id, _) in SHOWN {
        writeln!(stdin, "/lead show {external_id}").unwrap();
    }
    writeln!(stdin, "/baton help").unwrap();
    stdin.flush().unwrap();
    let lines = wait_for_console(&console, "6 replies", |lines| {
        lines.iter().filter(|l| l["kind"] == "reply").count() >= 6
    });
    let replies: Vec<&str> = lines
        .iter()
        .filter(|l| l["kind"] == "reply")
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    for (i, (external_id, shown)) in SHOWN.iter().enumerate() {
        assert!(replies[i].contains(shown), "{external_id}: {}", replies[i]);
    }
    assert!(replies[5].contains("/lead"), "{}", replies[5]);
    assert_eq!(child.try_wait().unwrap(), None, "baton run stopped");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn an_event_that_cannot_be_processed_is_parked_and_later_mqls_are_alerted() {
    let app = TestApp::spawn("").await;
    // A stage change written by hand, for a lead that does not exist, then three MQLs.
    app.external(
        "INSERT INTO lead_events (lead_id, from_stage, to_stage, at)
             VALUES (9999, 'lead', 'mql', '2026-11-17T11:00:00Z');
         INSERT INTO leads (external_id, name, stage) VALUES ('a', 'Ada', 'mql');
         INSERT INTO leads (external_id, name, stage) VALUES ('b', 'Ben', 'mql');
         INSERT INTO leads (external_id, name, stage) VALUES ('c', 'Cid', 'mql');",
    )
    .await;
    app.wait("3 handoffs and 1 parked event", |c| {
        c.handoffs_opened >= 3 && c.events_quarantined >= 1
    })
    .await;
    app.drained().await;
    let parked = app
        .scalar("SELECT event_id FROM quarantined_events WHERE lead_id = 9999")
        .await;
    assert_eq!(parked, 1);
    assert_eq!(app.console_of_kind("alert").len(), 3);
    // The admin is told once.
    let told: Vec<Value> = app
        .console_of_kind("escalation")
        .into_iter()
        .filter(|m| m["to"] == "root@acme.test")
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    let text = told[0]["text"].as_str().unwrap();
    assert!(text.contains("stage change #1 (lead 9999"), "{text}");
    assert!(text.contains("baton events retry 1"), "{text}");

    let (status, body) = healthz(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["quarantine"]["events"], 1, "{body}");
    assert_eq!(body["quarantine"]["oldest"][0]["event_id"], 1, "{body}");
    let error = body["quarantine"]["oldest"][0]["error"].as_str().unwrap();
    assert!(error.contains("lead 9999"), "{error}");
    let (code, printed) = status_of(&app).await;
    assert_eq!(code, Some(0), "{printed}");
    assert!(
        printed.contains(&format!("Baton at {}:", app.address)),
        "{printed}"
    );
    assert!(printed.contains("status: degraded"), "{printed}");
    assert!(
        printed.contains("quarantine  ATTENTION 1 events"),
        "{printed}"
    );
    assert!(printed.contains("event 1: lead 9999"), "{printed}");
    let m = metrics(&app).await;
    assert_valid_exposition(&m);
    assert_eq!(sample(&m, "baton_events_quarantined"), 1.0);
    assert_eq!(sample(&m, "baton_events_quarantined_total"), 1.0);

    // The CLI lists it; a retry before the cause is fixed fails again and stays parked.
    let dir = app.dir.path();
    let config = dir.join("baton.toml");
    std::fs::write(&config, config_text(dir, TEAM)).unwrap();
    let config = config.to_str().unwrap();
    let out = baton_beside(&["events", "quarantined", "--config", config]).await;
    assert!(out.status.success());
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(listed.contains("event      1  lead 9999"), "{listed}");
    assert!(listed.contains("is not in the leads table"), "{listed}");
    let out = baton_beside(&["events", "retry", "7", "--config", config]).await;
    assert_eq!(out.status.code(), Some(2), "an event that is not parked");

    let out = baton_beside(&["events", "retry", "1", "--config", config]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.wait("the failed retry", |c| c.retries_failed >= 1)
        .await;
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM quarantined_events WHERE attempts = 4 AND retry_requested_at IS NULL"
        )
        .await,
        1
    );

    // Once the lead exists, the retry opens its handoff and alerts it, once.
    app.external(
        "INSERT INTO leads (id, external_id, name, stage) VALUES (9999, 'ghost', 'Gus', 'lead');",
    )
    .await;
    let out = baton_beside(&["events", "retry", "--all", "--config", config]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.wait("the retried handoff", |c| c.handoffs_opened >= 4)
        .await;
    app.drained().await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM quarantined_events").await,
        0
    );
    let ghost: Vec<Value> = app
        .console_of_kind("alert")
        .into_iter()
        .filter(|a| a["lead_id"] == 9999)
        .collect();
    assert_eq!(ghost.len(), 1, "{ghost:?}");
    let (status, body) = healthz(&app).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("ok")),
        "{body}"
    );
    // A restart neither parks nor alerts anything again.
    let app = app.restart().await;
    app.external("INSERT INTO leads (external_id, name, stage) VALUES ('d', 'Dan', 'mql');")
        .await;
    app.wait("the next handoff", |c| c.handoffs_opened >= 1)
        .await;
    app.drained().await;
    assert_eq!(app.console_of_kind("alert").len(), 5);
    assert_eq!(app.console_of_kind("escalation").len(), 1);
}

/// A python3 process that commits an MQL and then holds a write transaction while the
/// watcher has not processed it, until a line arrives on its standard input.
const HOLDER: &str = r#"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("PRAGMA busy_timeout = 30000")
for i in range(1000):
    con.execute("INSERT INTO leads (external_id, name, stage) VALUES (?, 'Held', 'mql')", (f'held-{i}',))
    con.execute("BEGIN IMMEDIATE")
    cursor = con.execute("SELECT COALESCE(MAX(value), 0) FROM cursors WHERE name = 'watcher'").fetchone()[0]
    newest = con.execute("SELECT MAX(id) FROM lead_events").fetchone()[0]
    if cursor < newest:
        break
    con.execute("ROLLBACK")
print("held", flush=True)
sys.stdin.readline()
con.execute("COMMIT")
"#;

#[tokio::test]
async fn healthz_answers_503_while_the_watcher_is_held_and_200_after() {
    let app = TestApp::spawn("[health]\nwatcher_lag = \"5s\"\n").await;
    let (status, body) = healthz(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["watcher"]["threshold_s"], 5.0);
    assert_eq!(body["outbox"]["platforms"][0]["platform"], "console");

    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let mut holder = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(HOLDER)
        .arg(app.db_path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = tokio::io::BufReader::new(holder.stdout.take().unwrap());
    out.read_line(&mut line).await.unwrap();
    assert_eq!(line.trim(), "held");

    // Within the threshold the watcher is only behind, not failing.
    let (status, body) = healthz(&app).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["watcher"]["events_behind"].as_i64().unwrap() >= 1,
        "{body}"
    );
    app.clock.advance(chrono::Duration::seconds(6));
    let (status, body) = healthz(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "failing");
    assert_eq!(body["watcher"]["ok"], false, "{body}");
    assert_eq!(body["database"]["ok"], true, "{body}");
    assert!(
        body["watcher"]["oldest_unprocessed_age_s"]
            .as_f64()
            .unwrap()
            >= 6.0,
        "{body}"
    );
    let (code, printed) = status_of(&app).await;
    assert_eq!(code, Some(1), "{printed}");
    assert!(
        printed.contains("status: failing (/healthz answers 503)"),
        "{printed}"
    );
    assert!(printed.contains("  watcher     BEHIND "), "{printed}");
    assert!(
        printed.contains("  outbox      ok     console: "),
        "{printed}"
    );
    let m = metrics(&app).await;
    assert_valid_exposition(&m);
    assert_eq!(sample(&m, "baton_healthy"), 0.0);
    assert!(sample(&m, "baton_watcher_events_behind") >= 1.0);
    assert!(sample(&m, "baton_watcher_lag_seconds") >= 6.0);
    assert!(
        m.contains("baton_outbox_oldest_due_seconds{platform=\"console\"} "),
        "{m}"
    );

    let opened = app.ctx.stats.now().handoffs_opened;
    let mut stdin = holder.stdin.take().unwrap();
    stdin.write_all(b"\n").await.unwrap();
    drop(stdin);
    assert!(holder.wait().await.unwrap().success());
    app.wait("the held MQL", |c| c.handoffs_opened > opened)
        .await;
    app.drained().await;
    let (status, body) = healthz(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["watcher"]["events_behind"], 0, "{body}");
    assert_eq!(sample(&metrics(&app).await, "baton_healthy"), 1.0);
    let (code, printed) = status_of(&app).await;
    assert_eq!(code, Some(0), "{printed}");
    assert!(printed.contains("status: ok"), "{printed}");
    assert!(
        printed.contains("  watcher     ok     0 events behind"),
        "{printed}"
    );
}

#[tokio::test]
async fn reports_and_the_digest_read_leads_with_blob_campaigns_and_sources() {
    let app = TestApp::spawn("").await;
    app.external(
        "INSERT INTO leads (external_id, name, campaign, source, stage)
             VALUES ('blob-c', 'Bea', X'FF01', CAST('ads' AS BLOB), 'mql');
         INSERT INTO leads (external_id, name, campaign, source, stage)
             VALUES ('text-c', X'FFFE', 'q4', 'ads', 'mql');",
    )
    .await;
    app.wait("2 handoffs", |c| c.handoffs_opened >= 2).await;
    app.drained().await;
    for command in [
        "/funnel",
        "/funnel by campaign",
        "/funnel by source",
        "/funnel by rep",
        "/sla",
    ] {
        let (ok, text) = app.command("root@acme.test", command).await;
        assert!(ok, "{command}: {text}");
    }
    let (ok, text) = app.command("ann@acme.test", "/lead mine").await;
    assert!(ok, "{text}");
    let dir = app.dir.path();
    let config = dir.join("baton.toml");
    std::fs::write(&config, config_text(dir, TEAM)).unwrap();
    let out = baton_beside(&[
        "digest",
        "--dry-run",
        "--week",
        "2026-W47",
        "--config",
        config.to_str().unwrap(),
    ])
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
