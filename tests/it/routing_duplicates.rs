//! One person, one handoff (issue 19) through the console: an MQL for an email that
//! already has an open handoff within `[routing] duplicate_window` is attached to it (one
//! alert, updated in place), `/lead show` lists both records, and the funnel counts it as
//! a duplicate; outside the window, or once the first handoff is decided, a new one opens.

use crate::harness::*;

async fn lead_row(app: &TestApp, external_id: &str, email: &str, source: &str) {
    app.external(&format!(
        "INSERT INTO leads (external_id, name, email, source, campaign, stage)
         VALUES ('{external_id}', 'Dee', '{email}', '{source}', 'fall-launch', 'mql')"
    ))
    .await;
}

async fn events_done(app: &TestApp, n: u64) {
    app.wait("the events", |c| c.events_processed >= n).await;
}

#[tokio::test]
async fn the_same_email_twice_is_one_handoff_with_one_alert_and_both_records() {
    let app = TestApp::spawn("").await;
    lead_row(&app, "crm-1", "dee@initech.com", "ads").await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    lead_row(&app, "form-2", "DEE@Initech.com", "webinar").await;
    events_done(&app, 2).await;
    app.drained().await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_duplicates WHERE lead_id = 2 AND handoff_id = 1")
            .await,
        1
    );
    assert_eq!(app.console_of_kind("alert").len(), 1);
    let updates = app.console_of_kind("update");
    assert_eq!(updates.len(), 1, "{updates:?}");
    let text = updates[0]["text"].as_str().unwrap();
    // The time is the stage change's own (stamped by the database's trigger).
    assert!(
        text.contains("also came in via webinar / fall-launch at ")
            && text.contains(" UTC (lead #2 form-2)"),
        "{text}"
    );
    assert_eq!(updates[0]["to"], app.console_of_kind("alert")[0]["to"]);

    let (ok, first) = app.command("root@acme.test", "/lead show crm-1").await;
    assert!(ok && first.contains("also came in via webinar"), "{first}");
    let (ok, second) = app.command("root@acme.test", "/lead show form-2").await;
    assert!(
        ok && second.contains("attached to handoff #1 of lead #1"),
        "{second}"
    );

    let report = crate::cli::baton(
        &[
            "--config",
            &write_config(&app),
            "funnel",
            "7d",
            "--format",
            "json",
        ],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(json["handoffs"]["opened"], 1, "{json}");
    assert_eq!(json["handoffs"]["duplicates"], 1, "{json}");
}

fn write_config(app: &TestApp) -> String {
    let path = app.dir.path().join("baton.toml");
    std::fs::write(&path, config_text(app.dir.path(), TEAM)).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn outside_the_window_or_after_a_decision_a_new_handoff_opens() {
    let app = TestApp::spawn("[routing]\nduplicate_window = \"2d\"\n").await;
    lead_row(&app, "a", "sam@hooli.com", "ads").await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.clock.advance(chrono::Duration::days(3));
    lead_row(&app, "b", "sam@hooli.com", "ads").await;
    app.wait("a second handoff", |c| c.handoffs_opened >= 2)
        .await;
    let (ok, reply) = app.command("root@acme.test", "/lead accept b").await;
    assert!(ok, "{reply}");
    // Handoff a is still open but older than the window; b is decided: c opens its own.
    lead_row(&app, "c", "sam@hooli.com", "ads").await;
    app.wait("a third handoff", |c| c.handoffs_opened >= 3)
        .await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_duplicates").await,
        0
    );
    app.timers_settled().await;
    app.drained().await;
}
