//! Delivery failures: retries with backoff on the injected clock, the dead-letter state
//! after too many attempts, `/metrics`, and `baton outbox` to list and retry.

use chrono::Duration;

use crate::harness::*;

#[tokio::test]
async fn a_message_that_keeps_failing_goes_dead_is_visible_and_can_be_retried() {
    let app = TestApp::spawn("").await;
    // The console cannot write: its output path is a directory.
    let out = app.dir.path().join("console.jsonl");
    std::fs::create_dir(&out).unwrap();
    app.external("INSERT INTO leads (external_id, name, stage) VALUES ('d1', 'Dee', 'mql');")
        .await;
    app.wait("first failure", |c| c.send_failures >= 1).await;
    for attempt in 2..=10u64 {
        // Backoff: 1 s, 2 s, 4 s … on the manual clock.
        app.clock.advance(Duration::seconds(300));
        app.wait("another attempt", |c| c.send_failures >= attempt)
            .await;
    }
    app.wait("dead", |c| c.messages_dead >= 1).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'dead' AND attempts = 10")
            .await,
        1
    );

    let metrics = reqwest::get(format!("http://{}/metrics", app.address))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("\nbaton_outbox_dead 1\n"), "{metrics}");
    assert!(
        metrics.contains("\nbaton_send_failures_total 10\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("baton_detection_latency_seconds_count 1"),
        "{metrics}"
    );
    assert!(metrics.contains("\nbaton_handoffs_open 1\n"), "{metrics}");

    let config = app.dir.path().join("baton.toml");
    std::fs::write(&config, config_text(app.dir.path(), TEAM)).unwrap();
    let baton = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(args)
            .arg("--config")
            .arg(&config)
            .env("BATON_LOG", "warn")
            .output()
            .unwrap()
    };
    let list = baton(&["outbox", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains("dead") && text.contains("attempts 10") && text.contains("Is a directory"),
        "{text}"
    );
    assert_eq!(baton(&["outbox", "retry"]).status.code(), Some(2));

    // Fix the cause, retry, and the alert is delivered.
    std::fs::remove_dir(&out).unwrap();
    let retry = baton(&["outbox", "retry", "--all"]);
    assert!(
        String::from_utf8_lossy(&retry.stdout).starts_with("1 dead messages queued again"),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&retry.stdout),
        String::from_utf8_lossy(&retry.stderr)
    );
    app.ctx.outbox_ready.notify_waiters();
    app.wait("delivered", |c| c.messages_sent >= 1).await;
    assert_eq!(app.console_of_kind("alert").len(), 1);
}

#[tokio::test]
async fn score_explain_lists_the_rules_that_fired() {
    let extra = r#"
[mql]
mode = "score"
threshold = 30
fit = [{ field = "company_size", op = "gte", value = 50, points = 25 }]
engagement = [{ activity = "demo_request", points = 40 }]
"#;
    let app = TestApp::spawn(extra).await;
    app.external("INSERT INTO leads (external_id, name, company_size, stage) VALUES ('e1', 'Eva', 80, 'lead');").await;
    let config = app.dir.path().join("baton.toml");
    std::fs::write(
        &config,
        config_text(app.dir.path(), &format!("{TEAM}\n{extra}")),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["score", "e1", "--explain", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "lead #1 Eva: score 25 < 30\n     25.0  company_size ≥ 50\n     25.0  total (threshold 30)\n"
    );
    let without = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["score", "e1"])
        .env("BATON_CONFIG", app.dir.path().join("missing.toml"))
        .output()
        .unwrap();
    assert_eq!(without.status.code(), Some(2));
}
