//! Crash safety of the real binary: SIGKILL `baton run` while another process streams
//! MQLs into the database, restart it, and check that every MQL was alerted exactly once
//! on the console (file output). The CI form streams 200 MQLs with 3 kills; the long form
//! is `BATON_CRASH_MQLS=1000 BATON_CRASH_KILLS=20 cargo test --release --test it crash`.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::harness::*;

fn baton(config: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baton"));
    cmd.args(args)
        .arg("--config")
        .arg(config)
        .env("BATON_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    cmd
}

fn alert_lines(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("console.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["kind"] == "alert")
        .collect()
}

/// Polls another process's output until `done`, for at most [`PATIENCE`].
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn start(config: &Path) -> Child {
    baton(config, &["run"]).spawn().expect("baton starts")
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test]
async fn sigkill_during_a_stream_of_mqls_loses_nothing_and_alerts_nothing_twice() {
    let total = env_number("BATON_CRASH_MQLS", 200);
    let kills = env_number("BATON_CRASH_KILLS", 3);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("baton.toml");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let text = config_text(dir.path(), TEAM).replace("127.0.0.1:0", &format!("127.0.0.1:{port}"));
    std::fs::write(&config, text).unwrap();
    let status = baton(&config, &["migrate"]).status().await.unwrap();
    assert!(status.success());

    // The CRM: 200 leads, each inserted and then qualified, a few milliseconds apart.
    let db = dir.path().join("baton.db");
    let writer = tokio::spawn(async move {
        Command::new("python3")
            .arg("-c")
            .arg(
                "import sqlite3, sys, time\n\
                 con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)\n\
                 for i in range(1, int(sys.argv[2]) + 1):\n\
                 \x20   con.execute(\"INSERT INTO leads (external_id, name, stage) VALUES (?, ?, 'lead')\", (f's{i}', f'Lead {i}'))\n\
                 \x20   con.execute(\"UPDATE leads SET stage = 'mql' WHERE external_id = ?\", (f's{i}',))\n\
                 \x20   time.sleep(0.004)\n",
            )
            .arg(&db)
            .arg(total.to_string())
            .output()
            .await
            .unwrap()
    });

    let mut bot = start(&config).await;
    // Kill moments spread over the stream, each at a pseudo-random point of its slice.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let kill_points: Vec<usize> = (0..kills)
        .map(|k| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let slice = total * 9 / 10 / kills.max(1);
            k * slice + 1 + (seed >> 33) as usize % slice.max(1)
        })
        .collect();
    for kill_after in kill_points {
        eventually("alerts before the kill", || {
            alert_lines(dir.path()).len() >= kill_after
        })
        .await;
        bot.start_kill().unwrap();
        bot.wait().await.unwrap();
        bot = start(&config).await;
    }
    let out = writer.await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eventually("all alerts", || alert_lines(dir.path()).len() >= total).await;

    // A graceful stop: SIGTERM, exit status 0, once the last restart is up.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "baton did not come up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let pid = bot.id().unwrap().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(killed.success());
    let exit = tokio::time::timeout(PATIENCE, bot.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "baton exits 0 on SIGTERM, got {exit:?}");

    let alerts = alert_lines(dir.path());
    let mut leads: Vec<i64> = alerts
        .iter()
        .map(|a| a["lead_id"].as_i64().unwrap())
        .collect();
    leads.sort_unstable();
    leads.dedup();
    assert_eq!(alerts.len(), total, "no alert twice");
    assert_eq!(leads.len(), total, "every MQL alerted");

    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("baton.db").display()
    ))
    .await
    .unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let total = total as i64;
    assert_eq!(count("SELECT COUNT(*) FROM handoffs").await, total);
    assert_eq!(count("SELECT COUNT(*) FROM outbox").await, total);
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await,
        total
    );
}
