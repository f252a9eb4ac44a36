//! The MQL pipeline end to end: external writes of every kind → handoffs → console alerts
//! → commands; restarts; rotation state; history.

use crate::harness::*;

const LEAD_COLUMNS: &str = "external_id, name, company, source, campaign, stage";

#[tokio::test]
async fn every_kind_of_external_write_into_mql_opens_exactly_one_handoff() {
    let app = TestApp::spawn("").await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('ins', 'Ina', 'Acme', 'ads', 'q4', 'mql');
         INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('upd', 'Udo', 'Acme', 'ads', 'q4', 'lead');
         UPDATE leads SET stage = 'mql' WHERE external_id = 'upd';
         INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('ups', 'Uma', 'Acme', 'ads', 'q4', 'lead');
         INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('ups', 'Uma', 'Acme', 'ads', 'q4', 'mql')
             ON CONFLICT (external_id) DO UPDATE SET stage = excluded.stage;
         INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('rep', 'Rex', 'Acme', 'ads', 'q4', 'lead');
         INSERT OR REPLACE INTO leads ({LEAD_COLUMNS}) VALUES ('rep', 'Rex', 'Acme', 'ads', 'q4', 'mql');
         -- Changes that are not entries into mql open nothing:
         INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('vis', 'Vic', 'Acme', 'ads', 'q4', 'visitor');
         UPDATE leads SET stage = 'sql' WHERE external_id = 'vis';
         INSERT OR REPLACE INTO leads ({LEAD_COLUMNS}) VALUES ('ins', 'Ina', 'Acme', 'ads', 'q4', 'mql');
         UPDATE leads SET score = 5 WHERE external_id = 'ins';"
    ))
    .await;
    app.wait("4 handoffs", |c| c.handoffs_opened >= 4).await;
    app.drained().await;

    let alerts = app.console_of_kind("alert");
    let mut names: Vec<String> = alerts
        .iter()
        .map(|a| {
            a["text"]
                .as_str()
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "New MQL: Ina (Acme)",
            "New MQL: Rex (Acme)",
            "New MQL: Udo (Acme)",
            "New MQL: Uma (Acme)"
        ]
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs").await, 4);
    for alert in &alerts {
        assert_eq!(
            alert["actions"],
            serde_json::json!(["ack", "contacted", "accept", "reject", "rate"])
        );
        assert!(
            ["ann@acme.test", "bob@acme.test"].contains(&alert["to"].as_str().unwrap()),
            "{alert}"
        );
    }
    // INSERT OR REPLACE kept the lead's id and recorded the true previous stage.
    assert_eq!(
        app.scalar("SELECT id FROM leads WHERE external_id = 'rep'")
            .await,
        4
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM lead_events WHERE lead_id = 4 AND from_stage = 'lead' AND to_stage = 'mql'").await,
        1
    );
    // Replacing an MQL with an MQL is not a stage change.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM lead_events WHERE lead_id = 1")
            .await,
        1
    );
}

#[tokio::test]
async fn a_recycled_lead_opens_a_second_handoff_and_the_crm_decides_the_first() {
    let app = TestApp::spawn("").await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('r1', 'Rita', 'Acme', 'ads', 'q4', 'lead');
         UPDATE leads SET stage = 'mql' WHERE external_id = 'r1';"
    ))
    .await;
    app.wait("first handoff", |c| c.handoffs_opened >= 1).await;
    app.external(
        "UPDATE leads SET stage = 'lead' WHERE external_id = 'r1';
         UPDATE leads SET stage = 'mql' WHERE external_id = 'r1';",
    )
    .await;
    app.wait("second handoff", |c| c.handoffs_opened >= 2).await;
    app.drained().await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE lead_id = 1")
            .await,
        2
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM handoffs WHERE status = 'rejected' AND reject_reason = 'other'"
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE status = 'open'")
            .await,
        1
    );
    assert_eq!(app.console_of_kind("alert").len(), 2);
    let updates = app.console_of_kind("update");
    assert_eq!(updates.len(), 1);
    assert!(
        updates[0]["text"]
            .as_str()
            .unwrap()
            .contains("rejected by a stage change to lead outside Baton")
    );

    app.external("UPDATE leads SET stage = 'opportunity' WHERE external_id = 'r1';")
        .await;
    app.wait("closed by the CRM", |c| c.handoffs_closed >= 2)
        .await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE status = 'accepted'")
            .await,
        1
    );
    app.drained().await;
}

#[tokio::test]
async fn an_unknown_stage_is_refused_by_the_database_and_changes_nothing() {
    let app = TestApp::spawn("").await;
    let out = external_sql(
        &app.db_path(),
        &format!(
            "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('x1', 'Xi', 'Acme', 'ads', 'q4', 'won');"
        ),
    )
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown stage: use one of visitor, lead, mql"),
        "{err}"
    );
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('x2', 'Xu', 'Acme', 'ads', 'q4', 'lead');"
    ))
    .await;
    let out = external_sql(
        &app.db_path(),
        "UPDATE leads SET stage = 'MQL!' WHERE external_id = 'x2';",
    )
    .await;
    assert!(!out.status.success());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads").await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM lead_events").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM leads WHERE stage = 'lead'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_change_older_than_max_alert_age_records_a_handoff_without_an_alert() {
    let app = TestApp::spawn("").await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}, stage_changed_at) VALUES ('old', 'Olga', 'Acme', 'ads', 'q4', 'mql', '2026-11-10T08:00:00Z');
         INSERT INTO leads ({LEAD_COLUMNS}, stage_changed_at) VALUES ('new', 'Nia', 'Acme', 'ads', 'q4', 'mql', '2026-11-17T10:30:00+00:00');"
    ))
    .await;
    app.wait("2 handoffs", |c| c.handoffs_opened >= 2).await;
    app.drained().await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE silent = 1")
            .await,
        1
    );
    let alerts = app.console_of_kind("alert");
    assert_eq!(alerts.len(), 1);
    assert!(
        alerts[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("New MQL: Nia")
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM lead_events WHERE at = '2026-11-10T08:00:00.000Z'")
            .await,
        1,
        "the event keeps the writer's timestamp"
    );
}

#[tokio::test]
async fn acknowledging_is_for_the_assignee_their_manager_or_an_admin_and_happens_once() {
    init_logs();
    let app = TestApp::spawn("").await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('a1', 'Ada', 'Acme', 'ads', 'q4', 'mql');"
    ))
    .await;
    app.wait("handoff", |c| {
        c.handoffs_opened >= 1 && c.messages_sent >= 1
    })
    .await;
    let assignee: String = sqlx::query_scalar("SELECT assignee FROM handoffs")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();
    let other = if assignee == "ann@acme.test" {
        "bob@acme.test"
    } else {
        "ann@acme.test"
    };

    let (ok, text) = app.command(other, "/lead ack 1").await;
    assert!(!ok);
    assert_eq!(
        text,
        format!("only the assignee ({assignee}), their manager or an admin can do that")
    );
    let (ok, text) = app.command("stranger@else.test", "/lead ack 1").await;
    assert!(!ok);
    assert!(
        text.starts_with("stranger@else.test is not a Baton user"),
        "{text}"
    );
    let (ok, text) = app.command(&assignee, "/lead ack 99").await;
    assert!(!ok, "{text}");
    let (ok, text) = app.command(&assignee, "/lead ack").await;
    assert!(!ok);
    assert!(text.contains("usage: /lead ack LEAD"), "{text}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE acked_at IS NOT NULL")
            .await,
        0
    );

    let (ok, text) = app.command(&assignee, "/lead ack 1").await;
    assert!(ok, "{text}");
    assert_eq!(text, "Acknowledged lead #1: Ada.");
    let (ok, text) = app.command("boss@acme.test", "/lead ack a1").await;
    assert!(!ok);
    assert_eq!(
        text,
        format!(
            "lead #1 was already acknowledged by {} at Tue 17 Nov 11:00 UTC",
            if assignee == "ann@acme.test" {
                "Ann"
            } else {
                "Bob"
            }
        )
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'acknowledged%'")
            .await,
        1
    );

    app.wait("update", |c| c.messages_sent >= 2).await;
    app.drained().await;
    let updates = app.console_of_kind("update");
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["to"], assignee.as_str());

    let (ok, text) = app.command("root@acme.test", "/lead show 1").await;
    assert!(ok);
    assert!(
        text.starts_with("Lead #1: Ada (Acme)\nStage: mql"),
        "{text}"
    );
    assert!(text.contains("acknowledged by"), "{text}");
}

#[tokio::test]
async fn accept_and_reject_write_the_stage_back_to_leads() {
    let app = TestApp::spawn("").await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('k1', 'Kai', 'Acme', 'ads', 'q4', 'mql');
         INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('k2', 'Kim', 'Acme', 'ads', 'q4', 'mql');"
    ))
    .await;
    app.wait("handoffs", |c| c.handoffs_opened >= 2).await;
    let (ok, text) = app
        .command("root@acme.test", "/lead accept 1 booked a call")
        .await;
    assert!(ok, "{text}");
    let (ok, text) = app.command("root@acme.test", "/lead reject k2 spam").await;
    assert!(ok, "{text}");
    let (ok, text) = app
        .command("root@acme.test", "/lead reject 2 no_budget")
        .await;
    assert!(!ok);
    assert!(
        text.starts_with("lead #2 was already rejected by Root at "),
        "{text}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM leads WHERE id = 1 AND stage = 'sql'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM leads WHERE id = 2 AND stage = 'disqualified'")
            .await,
        1
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs WHERE status = 'accepted' AND acked_at IS NOT NULL AND contacted_at IS NOT NULL").await, 1);
    // The watcher sees Baton's own stage changes but finds nothing left to decide.
    app.wait("events", |c| c.events_processed >= 4).await;
    assert_eq!(app.ctx.stats.now().handoffs_closed, 0);
    app.drained().await;
}

#[tokio::test]
async fn a_restart_resumes_from_the_cursor_and_keeps_the_rotation() {
    let app = TestApp::spawn("").await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('c1', 'Cy', 'Acme', 'ads', 'q4', 'mql');"
    ))
    .await;
    app.wait("handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
    let first: String = sqlx::query_scalar("SELECT assignee FROM handoffs")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();

    let app = app.restart().await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('c2', 'Cleo', 'Acme', 'ads', 'q4', 'mql');"
    ))
    .await;
    app.wait("handoff after restart", |c| c.handoffs_opened >= 1)
        .await;
    app.drained().await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs").await, 2);
    assert_eq!(
        app.console_of_kind("alert").len(),
        2,
        "nothing alerted twice"
    );
    let second: String = sqlx::query_scalar("SELECT assignee FROM handoffs WHERE id = 2")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();
    assert_ne!(first, second, "the rotation went on where it was");
}

#[tokio::test]
async fn nobody_available_sends_the_lead_to_the_manager_saying_why() {
    let app = TestApp::spawn("").await;
    let mut app = app;
    app.stop().await;
    // Ann and Bob are both out of office on the test day.
    let extra = r#"
[[person]]
email = "cy@acme.test"
role = "rep"
team = "night"
out_of_office = ["2026-11-16..2026-11-18"]

[[person]]
email = "nightboss@acme.test"
role = "manager"
team = "night"

[[team]]
name = "night"
manager = "nightboss@acme.test"

[[route]]
when = { source = "night" }
team = "night"
"#;
    let app = TestApp::spawn(extra).await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}) VALUES ('n1', 'Noa', 'Acme', 'night', 'q4', 'mql');"
    ))
    .await;
    app.wait("alert", |c| c.messages_sent >= 1).await;
    let alerts = app.console_of_kind("alert");
    assert_eq!(alerts[0]["to"], "nightboss@acme.test");
    assert!(
        alerts[0]["text"].as_str().unwrap().contains("nobody on night is available (cy is out of office until Wed 18 Nov 2026): sent to the manager"),
        "{}",
        alerts[0]["text"]
    );
    app.drained().await;
}

#[tokio::test]
async fn history_imports_fill_handoffs_but_send_no_alerts() {
    let app = TestApp::spawn("").await;
    let mut rows = vec![baton::store::leads::LeadInput {
        external_id: "h0".into(),
        stage: Some("lead".into()),
        stage_changed_at: Some("2026-11-17T10:00:00Z".into()),
        ..Default::default()
    }];
    // 10,000 past stage changes: no alert, but every report counts them.
    for i in 1..=10_000 {
        rows.push(baton::store::leads::LeadInput {
            external_id: format!("h{i}"),
            source: Some(if i % 2 == 0 { "ads" } else { "webinar" }.into()),
            stage: Some("mql".into()),
            stage_changed_at: Some(format!("2026-11-{:02}T10:59:00Z", 8 + i % 10)),
            ..Default::default()
        });
    }
    baton::import::import(&app.ctx.db, &rows, true, |_| {})
        .await
        .unwrap();
    app.ctx.leads_changed.notify_one();
    app.wait("handoffs", |c| c.handoffs_opened >= 10_000).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE silent = 1")
            .await,
        10_000
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox").await, 0);
    let period = "30d".parse().unwrap();
    let funnel =
        baton::reports::funnel_json(&app.ctx.db, &app.ctx.config, period, None, app.clock.now())
            .await
            .unwrap();
    let funnel: serde_json::Value = serde_json::from_str(&funnel).unwrap();
    let stages = funnel["stages"].as_array().unwrap();
    let mql = stages.iter().find(|s| s["stage"] == "mql").unwrap();
    assert_eq!(mql["entered"], 10_000, "{funnel}");
    assert_eq!(funnel["handoffs"]["opened"], 10_000);
    // The history's clocks ran out long ago: once the SLA loop has recorded their breaches
    // (silently), every loop keeps up.
    app.timers_settled().await;
    let health = reqwest::get(format!("http://{}/healthz", app.address))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

/// A lead whose CRM owner is a marketer goes to the rotation, and the alert says why; with
/// `owner_roles` widened, the marketer gets it.
#[tokio::test]
async fn an_owner_who_does_not_sell_does_not_get_the_lead() {
    const MARKETER: &str = r#"
[[person]]
email = "mo@acme.test"
name = "Mo"
role = "marketer"
team = "sales"
"#;
    let app = TestApp::spawn(MARKETER).await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}, owner_email)
         VALUES ('m-1', 'Ina', 'Acme', 'ads', 'q4', 'mql', 'mo@acme.test')"
    ))
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
    let alerts = app.console_of_kind("alert");
    let to: Vec<&str> = alerts.iter().map(|a| a["to"].as_str().unwrap()).collect();
    assert!(!to.contains(&"mo@acme.test"), "{to:?}");
    assert!(
        to.contains(&"ann@acme.test") || to.contains(&"bob@acme.test"),
        "{to:?}"
    );
    let text = alerts[0]["text"].as_str().unwrap();
    assert!(
        text.contains("the lead's owner, Mo, is a marketer"),
        "{text}"
    );
    // Mo cannot accept it either: not the assignee.
    let (ok, _) = app.command("mo@acme.test", "/lead accept m-1").await;
    assert!(!ok);

    let app = TestApp::spawn(&format!(
        "{MARKETER}\n[routing]\nowner_roles = [\"rep\", \"marketer\"]\n"
    ))
    .await;
    app.external(&format!(
        "INSERT INTO leads ({LEAD_COLUMNS}, owner_email)
         VALUES ('m-1', 'Ina', 'Acme', 'ads', 'q4', 'mql', 'mo@acme.test')"
    ))
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
    let alerts = app.console_of_kind("alert");
    assert_eq!(alerts[0]["to"], "mo@acme.test");
}
