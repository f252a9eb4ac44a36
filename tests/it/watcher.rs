//! The watcher wakes on the commit (a file-system watch of the database and its `-wal`),
//! not on `[watch] poll_ms`: these tests set the safety poll to its longest (60 s) so an
//! alert that arrives was woken by the file watch. And the dispatcher sends to several
//! channels at once while keeping each one's order.

use std::collections::HashMap;
use std::time::Duration;

use baton::engine::watcher::FileWatch;

use crate::harness::TestApp;

/// The longest safety poll the config allows: longer than any of these tests runs.
const NO_POLL: (&str, &str) = ("BATON__WATCH__POLL_MS", "60000");

fn mql(external_id: &str, owner: &str) -> String {
    format!(
        "INSERT INTO leads (external_id, name, stage, owner_email) VALUES ('{external_id}', 'L-{external_id}', 'mql', '{owner}');"
    )
}

/// Waits for a reported write; a watch that never fires fails here instead of hanging.
/// One `fs::write` is several events (create, modify, close), so a wake-up may be left
/// over from the previous step with its write already taken: wait on until one is
/// recorded.
async fn reported(watch: &FileWatch, what: &str) {
    let recorded = async {
        loop {
            watch.changed().await;
            if watch.take() {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), recorded)
        .await
        .unwrap_or_else(|_| panic!("no write reported for {what}"));
}

#[tokio::test]
async fn an_outside_commit_is_alerted_without_the_poll() {
    let app = TestApp::builder().env(&[NO_POLL]).spawn().await;
    assert_eq!(app.ctx.config.settings.watch.poll_ms, 60_000);
    app.external(&mql("w1", "ann@acme.test")).await;
    app.wait("the first alert", |c| c.messages_sent >= 1).await;
    app.external(&mql("w2", "bob@acme.test")).await;
    app.wait("the second alert", |c| c.messages_sent >= 2).await;
    let alerts = app.console_of_kind("alert");
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert_eq!(alerts[0]["to"], "ann@acme.test");
    assert_eq!(alerts[1]["to"], "bob@acme.test");
}

#[tokio::test]
async fn commits_after_the_wal_is_truncated_are_still_seen() {
    let app = TestApp::builder().env(&[NO_POLL]).spawn().await;
    app.external(&mql("t1", "ann@acme.test")).await;
    app.wait("the alert before the checkpoint", |c| c.messages_sent >= 1)
        .await;
    // A checkpoint that truncates the -wal to nothing, as `baton` or a CRM may run.
    app.external("PRAGMA wal_checkpoint(TRUNCATE);").await;
    app.external(&mql("t2", "bob@acme.test")).await;
    app.wait("the alert after the checkpoint", |c| c.messages_sent >= 2)
        .await;
    assert_eq!(app.console_of_kind("alert").len(), 2);
}

#[tokio::test]
async fn a_storm_of_outside_commits_opens_each_handoff_once() {
    let app = TestApp::builder().env(&[NO_POLL]).spawn().await;
    // Fifty commits in a row from one outside writer, each its own transaction.
    let storm: String = (0..50)
        .map(|n| mql(&format!("s{n}"), "ann@acme.test"))
        .collect();
    app.external(&storm).await;
    app.wait("fifty alerts", |c| c.messages_sent >= 50).await;
    app.drained().await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs").await, 50);
    let alerts = app.console_of_kind("alert");
    assert_eq!(alerts.len(), 50);
    let leads: Vec<i64> = alerts
        .iter()
        .map(|a| a["lead_id"].as_i64().unwrap())
        .collect();
    assert!(
        leads.windows(2).all(|w| w[0] < w[1]),
        "out of order: {leads:?}"
    );
}

#[tokio::test]
async fn the_file_watch_survives_the_wal_being_deleted_and_created_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let wal = dir.path().join("x.db-wal");
    std::fs::write(&db, b"main").unwrap();
    std::fs::write(&wal, b"first").unwrap();
    let watch = FileWatch::start(&db).unwrap();

    std::fs::write(&wal, b"a frame").unwrap();
    reported(&watch, "a write to the -wal").await;
    std::fs::remove_file(&wal).unwrap();
    reported(&watch, "the -wal deleted").await;
    std::fs::write(&wal, b"a new wal").unwrap();
    reported(&watch, "the -wal created again").await;
    std::fs::write(&wal, b"a frame in the new wal").unwrap();
    reported(&watch, "a write to the new -wal").await;
    std::fs::write(&db, b"checkpointed").unwrap();
    reported(&watch, "a write to the main file").await;
}

#[tokio::test]
async fn concurrent_channels_keep_each_channels_order_and_send_each_message_once() {
    let app = TestApp::builder()
        .fake_slack()
        .env(&[NO_POLL])
        .spawn()
        .await;
    let fake = app.slack().fake;
    // Slack's documented limit, enforced: a second post to a channel within 1 s is a 429.
    fake.set(|c| c.min_interval = Some(Duration::from_secs(1)));
    let leads: String = (0..8)
        .map(|n| {
            let owner = if n % 2 == 0 { "ann" } else { "bob" };
            mql(&format!("c{n}"), &format!("{owner}@acme.test"))
        })
        .collect();
    app.external(&leads).await;
    fake.wait("eight Slack alerts", |c| c.posts.len() >= 8)
        .await;
    // Console and Slack: sixteen messages, each sent once.
    app.wait("every message sent", |c| c.messages_sent >= 16)
        .await;
    app.drained().await;
    let posts = fake.posts();
    assert_eq!(posts.len(), 8, "each alert posted once");
    assert_eq!(
        fake.calls().rate_limited,
        0,
        "no post came within 1 s of the last one to its channel"
    );
    let mut per_channel: HashMap<String, Vec<String>> = HashMap::new();
    for post in &posts {
        per_channel
            .entry(post.channel.clone())
            .or_default()
            .push(post.body["text"].as_str().unwrap().to_string());
    }
    assert_eq!(per_channel.len(), 2, "{per_channel:?}");
    for (channel, texts) in &per_channel {
        let numbers: Vec<u32> = texts
            .iter()
            .map(|t| t.rsplit("L-c").next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(numbers.len(), 4, "{channel}: {texts:?}");
        assert!(
            numbers.windows(2).all(|w| w[0] < w[1]),
            "{channel} out of order: {numbers:?}"
        );
    }
    let sent_twice = app
        .scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent' OR attempts <> 1")
        .await;
    assert_eq!(sent_twice, 0, "every row sent on its first attempt");
}
