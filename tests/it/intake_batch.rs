//! Stage changes committed together (issue 18's batched intake). Plain MQLs of a batch are
//! opened together; whatever needs more — a second record of the same email, an accept
//! that teaches routing a domain's owner, a handoff the database refuses — is handled one
//! by one, with the same result as if the changes had come one commit at a time.

use std::collections::BTreeMap;

use crate::harness::*;

/// Ack 10 minutes, first touch 1 hour, decision 1 day, a reminder at half of each.
const SLA: &str = r#"
[[sla]]
name = "plain"
ack = "10m"
first_touch = "1h"
disposition = "1d"
remind_at = [0.5]
"#;

async fn assignees(app: &TestApp) -> BTreeMap<String, String> {
    sqlx::query_as::<_, (String, String)>(
        "SELECT l.external_id, h.assignee FROM handoffs h JOIN leads l ON l.id = h.lead_id",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap()
    .into_iter()
    .collect()
}

#[tokio::test]
async fn one_commit_with_a_duplicate_and_a_refused_handoff_opens_every_other_and_loses_nothing() {
    let app = TestApp::spawn("").await;
    // Lead 4's handoff is refused by the database: a trigger stands for any row that
    // cannot be written. Lead 3 is lead 1's person again, in other letters.
    app.external(
        "CREATE TRIGGER refuse_lead_4 BEFORE INSERT ON handoffs WHEN NEW.lead_id = 4
             BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END;
         BEGIN;
         INSERT INTO leads (external_id, name, email, source, stage) VALUES
             ('a', 'Ada', 'ada@initech.com', 'ads', 'mql'),
             ('b', 'Ben', 'ben@initech.com', 'ads', 'mql'),
             ('c', 'Ada again', ' ADA@Initech.com', 'webinar', 'mql'),
             ('d', 'Dee', 'dee@initech.com', 'ads', 'mql'),
             ('e', 'Eve', 'eve@initech.com', 'ads', 'mql');
         COMMIT;",
    )
    .await;
    app.wait("3 handoffs, 1 attached record and 1 parked event", |c| {
        c.handoffs_opened >= 3 && c.events_quarantined >= 1 && c.events_processed >= 4
    })
    .await;
    app.drained().await;

    let opened = assignees(&app).await;
    assert_eq!(
        opened.keys().map(String::as_str).collect::<Vec<_>>(),
        ["a", "b", "e"],
        "{opened:?}"
    );
    // The rotation moved once per handoff, whichever way each was opened.
    assert_eq!(opened["a"], "ann@acme.test");
    assert_eq!(opened["b"], "bob@acme.test");
    assert_eq!(opened["e"], "ann@acme.test");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM handoff_duplicates d JOIN handoffs h ON h.id = d.handoff_id
             WHERE d.lead_id = 3 AND h.lead_id = 1"
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM quarantined_events WHERE lead_id = 4 AND error LIKE '%refused by a test trigger%'")
            .await,
        1
    );
    // Each handoff has its routing decision and its history.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM routing_decisions").await,
        3
    );
    assert_eq!(
        app.scalar("SELECT COUNT(DISTINCT handoff_id) FROM handoff_log")
            .await,
        3
    );
    // One alert per handoff, to its assignee; the second record updates Ada's alert.
    let alerts = app.console_of_kind("alert");
    let mut alerted: Vec<(String, String)> = alerts
        .iter()
        .map(|a| {
            let text = a["text"].as_str().unwrap();
            let name = ["Ada", "Ben", "Eve"]
                .into_iter()
                .find(|n| text.starts_with(&format!("New MQL: {n}")))
                .unwrap_or_else(|| panic!("an alert for nobody expected: {text}"));
            (name.to_string(), a["to"].as_str().unwrap().to_string())
        })
        .collect();
    alerted.sort();
    assert_eq!(
        alerted,
        [
            ("Ada".to_string(), opened["a"].clone()),
            ("Ben".to_string(), opened["b"].clone()),
            ("Eve".to_string(), opened["e"].clone()),
        ]
    );
    let updates = app.console_of_kind("update");
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert!(
        updates[0]["text"]
            .as_str()
            .unwrap()
            .contains("also came in via webinar"),
        "{updates:?}"
    );
    let told = app.console_of_kind("escalation");
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0]["text"].as_str().unwrap().contains("(lead 4,"),
        "{told:?}"
    );
}

#[tokio::test]
async fn an_accept_and_an_mql_of_the_same_company_in_one_commit_route_by_what_the_accept_taught() {
    let app = TestApp::spawn("").await;
    app.external(
        "INSERT INTO leads (external_id, name, email, stage) VALUES ('g1', 'Gil', 'gil@globex.com', 'mql');",
    )
    .await;
    app.wait("the first handoff", |c| c.handoffs_opened >= 1)
        .await;
    assert_eq!(assignees(&app).await["g1"], "ann@acme.test");
    // One commit: two MQLs of another company (read before the accept: Bob, then Ann),
    // the CRM accepts Gil, and his colleague becomes an MQL. The rotation's turn is Bob's,
    // but Ann's accepted handoff has just made her globex.com's owner.
    app.external(
        "BEGIN;
         INSERT INTO leads (external_id, name, email, stage) VALUES ('h1', 'Hal', 'hal@hooli.com', 'mql');
         INSERT INTO leads (external_id, name, email, stage) VALUES ('h2', 'Hana', 'hana@hooli.com', 'mql');
         UPDATE leads SET stage = 'sql' WHERE external_id = 'g1';
         INSERT INTO leads (external_id, name, email, stage) VALUES ('g2', 'Gia', 'gia@eu.globex.com', 'mql');
         COMMIT;",
    )
    .await;
    app.wait("three more handoffs and the accept", |c| {
        c.handoffs_opened >= 4 && c.handoffs_closed >= 1
    })
    .await;
    let opened = assignees(&app).await;
    assert_eq!(opened["h1"], "bob@acme.test");
    assert_eq!(opened["h2"], "ann@acme.test");
    assert_eq!(opened["g2"], "ann@acme.test");
    let (ok, why) = app.command("ann@acme.test", "/lead why g2").await;
    assert!(
        ok && why.contains("Ann owns globex.com (accepted its last lead, handoff 1)"),
        "{why}"
    );
    app.drained().await;
}

#[tokio::test]
async fn a_burst_in_one_commit_gives_every_handoff_its_clocks_decision_history_and_one_alert() {
    let app = TestApp::spawn(SLA).await;
    // One MQL alone first: what a handoff opened by itself is given.
    app.external(
        "INSERT INTO leads (external_id, name, email, stage) VALUES ('solo', 'Sol', 'sol@hooli.com', 'mql');",
    )
    .await;
    app.wait("the first handoff", |c| c.handoffs_opened >= 1)
        .await;
    let timers_alone = app
        .scalar("SELECT COUNT(*) FROM sla_timers WHERE handoff_id = 1")
        .await;
    assert!(timers_alone > 0);
    // Then 300 in one commit: three batches of the intake.
    app.external(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
         INSERT INTO leads (external_id, name, email, stage)
             SELECT 'burst-' || i, 'Lead ' || i, 'lead' || i || '@company' || i || '.com', 'mql' FROM n;",
    )
    .await;
    app.wait("301 handoffs", |c| c.handoffs_opened >= 301).await;
    app.drained().await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs").await, 301);
    assert_eq!(
        app.scalar("SELECT COUNT(DISTINCT event_id) FROM handoffs")
            .await,
        301
    );
    // Every handoff has as many timers as the one opened alone, due after it opened.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM (SELECT h.id FROM handoffs h JOIN sla_timers t ON t.handoff_id = h.id
             WHERE t.due_at > h.opened_at GROUP BY h.id HAVING COUNT(*) = (SELECT COUNT(*) FROM sla_timers WHERE handoff_id = 1))"
        )
        .await,
        301
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM routing_decisions").await,
        301
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs h WHERE NOT EXISTS (SELECT 1 FROM handoff_log g WHERE g.handoff_id = h.id)")
            .await,
        0
    );
    // One alert per handoff, to its assignee, and the rotation shared them evenly.
    let alerts = app.console_of_kind("alert");
    assert_eq!(alerts.len(), 301);
    let mut leads: Vec<i64> = alerts
        .iter()
        .map(|a| a["lead_id"].as_i64().unwrap())
        .collect();
    leads.sort();
    leads.dedup();
    assert_eq!(leads.len(), 301);
    let per_rep = sqlx::query_as::<_, (String, i64)>(
        "SELECT assignee, COUNT(*) FROM handoffs GROUP BY assignee ORDER BY assignee",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap();
    assert_eq!(
        per_rep,
        [
            ("ann@acme.test".to_string(), 151),
            ("bob@acme.test".to_string(), 150)
        ]
    );
    let (ok, show) = app.command("ann@acme.test", "/lead show burst-300").await;
    assert!(ok && show.contains("Lead 300"), "{show}");
}
