//! Every clock that ran out is a breach, however Baton learned of it (SPEC §7): from
//! `import --history`, from an MQL older than `max_alert_age`, and from a decision that
//! arrived together with its MQL after downtime. Each is recorded at its deadline for the
//! rep who held the handoff then, with how late it was, and none of them sends anything.
//! Also: a clock belongs to whoever held the handoff when it was met or ran out, and a
//! handoff converts only before the lead's next MQL entry.

use baton::domain::period::Period;
use chrono::Duration;
use serde_json::Value;

use crate::harness::*;

/// Ack 10 minutes, first touch 1 hour, decision 1 day, on Ann's and Bob's round-the-clock
/// calendar; on a breach the rep and the manager are told.
const SLA: &str = r#"
[[sla]]
name = "plain"
ack = "10m"
first_touch = "1h"
disposition = "1d"
remind_at = [0.5]
on_breach = ["notify_rep", "notify_manager"]
"#;

const ANN: &str = "ann@acme.test";
const BOB: &str = "bob@acme.test";

/// `baton sla 7d --format json` at the app's clock.
async fn sla(app: &TestApp) -> Value {
    let json = baton::reports::sla_json(
        &app.ctx.db,
        &app.ctx.config,
        Period::parse("7d").unwrap(),
        None,
        None,
        app.clock.now(),
    )
    .await
    .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// `baton funnel 7d by DIM --format json` at the app's clock.
async fn funnel_by(app: &TestApp, by: &str) -> Value {
    let json = baton::reports::funnel_json(
        &app.ctx.db,
        &app.ctx.config,
        Period::parse("7d").unwrap(),
        Some(by.parse().unwrap()),
        app.clock.now(),
    )
    .await
    .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// The recorded breaches: (lead external id, clock, rep, due_at), by deadline.
async fn recorded(app: &TestApp) -> Vec<(String, String, Option<String>, String)> {
    sqlx::query_as(
        "SELECT l.external_id, b.clock, b.assignee, b.due_at
         FROM sla_breaches b JOIN handoffs h ON h.id = b.handoff_id
         JOIN leads l ON l.id = h.lead_id ORDER BY b.due_at, b.clock",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap()
}

/// The breaches of `baton sla`: (lead id, clock, rep, due_at, late_s), by deadline.
fn listed(report: &Value) -> Vec<(i64, String, String, String, f64)> {
    let mut rows: Vec<_> = report["breaches"]["latest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["lead_id"].as_i64().unwrap(),
                b["clock"].as_str().unwrap().to_string(),
                b["rep"].as_str().unwrap_or("").to_string(),
                b["due_at"].as_str().unwrap().to_string(),
                b["late_s"].as_f64().unwrap(),
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.3, &a.1).cmp(&(&b.3, &b.1)));
    rows
}

/// The rep line of `rep` in `baton sla`.
fn rep_line<'a>(report: &'a Value, rep: &str) -> &'a Value {
    report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["reps"].as_array().unwrap())
        .find(|r| r["rep"] == rep)
        .unwrap_or_else(|| panic!("no line for {rep} in {report}"))
}

fn owned(id: &str, stage: &str, at: &str) -> baton::store::leads::LeadInput {
    baton::store::leads::LeadInput {
        external_id: id.into(),
        name: Some(format!("Lead {id}")),
        owner_email: Some(ANN.into()),
        stage: Some(stage.into()),
        stage_changed_at: Some(at.into()),
        ..Default::default()
    }
}

/// Messages that are not alerts or their updates: reminders and escalations.
fn nagging(app: &TestApp) -> Vec<Value> {
    app.console()
        .into_iter()
        .filter(|m| m["kind"] == "reminder" || m["kind"] == "escalation")
        .collect()
}

#[tokio::test]
async fn a_decision_that_arrived_with_its_mql_after_downtime_records_its_breaches() {
    // Baton is down while the CRM makes Ann's lead an MQL at 08:00 and accepts it at
    // 10:00 (now is 11:00, within max_alert_age, so the MQL is alerted when Baton is back).
    let mut app = TestApp::spawn(SLA).await;
    app.stop().await;
    app.external(
        "INSERT INTO leads (external_id, name, owner_email, stage, stage_changed_at)
             VALUES ('d1', 'Dee', 'ann@acme.test', 'mql', '2026-11-17T08:00:00Z');
         UPDATE leads SET stage = 'sql', stage_changed_at = '2026-11-17T10:00:00Z'
             WHERE external_id = 'd1';",
    )
    .await;
    let app = app.restart().await;
    app.wait("the handoff opened and decided", |c| {
        c.handoffs_opened >= 1 && c.handoffs_closed >= 1
    })
    .await;
    app.drained().await;

    // The ack (due 08:10) and first touch (due 09:00) ran out before the decision at
    // 10:00; the decision (due tomorrow 08:00) was met.
    assert_eq!(
        recorded(&app).await,
        [
            (
                "d1".into(),
                "ack".into(),
                Some(ANN.into()),
                "2026-11-17T08:10:00.000Z".into()
            ),
            (
                "d1".into(),
                "first_touch".into(),
                Some(ANN.into()),
                "2026-11-17T09:00:00.000Z".into()
            ),
        ]
    );
    let report = sla(&app).await;
    assert_eq!(
        listed(&report),
        [
            (
                1,
                "ack".into(),
                ANN.into(),
                "2026-11-17T08:10:00.000Z".into(),
                6600.0
            ),
            (
                1,
                "first_touch".into(),
                ANN.into(),
                "2026-11-17T09:00:00.000Z".into(),
                3600.0
            ),
        ]
    );
    assert_eq!(report["breaches"]["count"], 2);
    assert_eq!(report["overall"]["ack"]["breached"], 1);
    assert_eq!(report["overall"]["first_touch"]["breached"], 1);
    assert_eq!(report["overall"]["disposition"]["met"], 1);
    let ann = rep_line(&report, ANN);
    assert_eq!(ann["breaches"], 2);
    assert_eq!(ann["ack"]["breached"], 1);
    // Learned after the fact: the decision is already made, so nobody is chased.
    assert!(nagging(&app).is_empty(), "{:?}", nagging(&app));
}

#[tokio::test]
async fn an_mql_older_than_max_alert_age_records_its_breaches_silently() {
    let app = TestApp::spawn(SLA).await;
    // 30 hours old, never decided: every clock ran out, none is sent.
    app.external(
        "INSERT INTO leads (external_id, name, owner_email, stage, stage_changed_at)
             VALUES ('o1', 'Old', 'ann@acme.test', 'mql', '2026-11-16T05:00:00Z');",
    )
    .await;
    app.wait("three breaches", |c| {
        c.handoffs_opened >= 1 && c.breaches >= 3
    })
    .await;
    assert_eq!(
        recorded(&app).await,
        [
            (
                "o1".into(),
                "ack".into(),
                Some(ANN.into()),
                "2026-11-16T05:10:00.000Z".into()
            ),
            (
                "o1".into(),
                "first_touch".into(),
                Some(ANN.into()),
                "2026-11-16T06:00:00.000Z".into()
            ),
            (
                "o1".into(),
                "disposition".into(),
                Some(ANN.into()),
                "2026-11-17T05:00:00.000Z".into()
            ),
        ]
    );
    // Still open: overdue until now, 17 Nov 11:00.
    let report = sla(&app).await;
    assert_eq!(
        listed(&report),
        [
            (
                1,
                "ack".into(),
                ANN.into(),
                "2026-11-16T05:10:00.000Z".into(),
                107_400.0
            ),
            (
                1,
                "first_touch".into(),
                ANN.into(),
                "2026-11-16T06:00:00.000Z".into(),
                104_400.0
            ),
            (
                1,
                "disposition".into(),
                ANN.into(),
                "2026-11-17T05:00:00.000Z".into(),
                21_600.0
            ),
        ]
    );
    assert_eq!(report["breaches"]["count"], 3);
    assert_eq!(rep_line(&report, ANN)["breaches"], 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test]
async fn a_history_import_records_each_breach_at_its_deadline_and_sends_nothing() {
    let app = TestApp::spawn(SLA).await;
    // Two MQLs of 15 November; h1's decision is loaded later, in a second file.
    baton::import::import(
        &app.ctx.db,
        &[
            owned("h1", "mql", "2026-11-15T10:00:00Z"),
            owned("h2", "mql", "2026-11-15T12:00:00Z"),
        ],
        true,
        |_| {},
    )
    .await
    .unwrap();
    app.ctx.leads_changed.notify_one();
    // Until its decision is known, every clock of both has run out.
    app.wait("six breaches", |c| {
        c.handoffs_opened >= 2 && c.breaches >= 6
    })
    .await;
    assert_eq!(recorded(&app).await.len(), 6);
    // h1 was accepted at 10:30: its ack (due 10:10) breached, its first touch (due
    // 11:00) and decision were met, so those two breaches are taken back.
    baton::import::import(
        &app.ctx.db,
        &[owned("h1", "sql", "2026-11-15T10:30:00Z")],
        true,
        |_| {},
    )
    .await
    .unwrap();
    app.ctx.leads_changed.notify_one();
    app.wait("the decision", |c| c.handoffs_closed >= 1).await;
    let expect = [
        ("h1", "ack", "2026-11-15T10:10:00.000Z"),
        ("h2", "ack", "2026-11-15T12:10:00.000Z"),
        ("h2", "first_touch", "2026-11-15T13:00:00.000Z"),
        ("h2", "disposition", "2026-11-16T12:00:00.000Z"),
    ];
    assert_eq!(
        recorded(&app).await,
        expect.map(|(l, c, d)| (
            l.to_string(),
            c.to_string(),
            Some(ANN.to_string()),
            d.to_string()
        ))
    );
    let report = sla(&app).await;
    assert_eq!(
        listed(&report),
        [
            (
                1,
                "ack".into(),
                ANN.into(),
                "2026-11-15T10:10:00.000Z".into(),
                1200.0
            ),
            (
                2,
                "ack".into(),
                ANN.into(),
                "2026-11-15T12:10:00.000Z".into(),
                168_600.0
            ),
            (
                2,
                "first_touch".into(),
                ANN.into(),
                "2026-11-15T13:00:00.000Z".into(),
                165_600.0
            ),
            (
                2,
                "disposition".into(),
                ANN.into(),
                "2026-11-16T12:00:00.000Z".into(),
                82_800.0
            ),
        ]
    );
    assert_eq!(report["breaches"]["count"], 4);
    let ann = rep_line(&report, ANN);
    assert_eq!(ann["breaches"], 4);
    assert_eq!(
        (ann["ack"]["met"].as_u64(), ann["ack"]["breached"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(ann["first_touch"]["met"], 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test]
async fn a_clock_belongs_to_whoever_held_the_handoff_when_it_was_met_or_ran_out() {
    let app = TestApp::spawn(SLA).await;
    app.external(
        "INSERT INTO leads (external_id, name, owner_email, stage, stage_changed_at)
             VALUES ('r1', 'Rae', 'ann@acme.test', 'mql', '2026-11-17T11:00:00Z');",
    )
    .await;
    app.wait("alert", |c| c.handoffs_opened >= 1).await;
    // Ann lets the ack run out (due 11:10); the manager then gives the lead to Bob, who
    // makes contact and accepts it in time.
    app.clock.advance(Duration::minutes(11));
    app.wait("the ack breach", |c| c.breaches >= 1).await;
    let (ok, text) = app
        .command("boss@acme.test", "/lead reassign r1 bob@acme.test")
        .await;
    assert!(ok, "{text}");
    app.clock.advance(Duration::minutes(9));
    let (ok, text) = app.command(BOB, "/lead contacted r1 called").await;
    assert!(ok, "{text}");
    let (ok, text) = app.command(BOB, "/lead accept r1").await;
    assert!(ok, "{text}");
    app.drained().await;

    let report = sla(&app).await;
    let (ann, bob) = (rep_line(&report, ANN), rep_line(&report, BOB));
    // Ann: no handoff any more, but the ack that ran out while she held it.
    assert_eq!(ann["handoffs"], 0);
    assert_eq!(
        (ann["ack"]["met"].as_u64(), ann["ack"]["breached"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(ann["first_touch"]["met"], 0);
    assert_eq!(ann["breaches"], 1);
    // Bob: the handoff, the first touch and the decision he met, no breach.
    assert_eq!(bob["handoffs"], 1);
    assert_eq!(
        (bob["ack"]["met"].as_u64(), bob["ack"]["breached"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(bob["first_touch"]["met"], 1);
    assert_eq!(bob["disposition"]["met"], 1);
    assert_eq!(bob["breaches"], 0);
    // The team and overall count each clock once; the breach is Ann's.
    assert_eq!(report["overall"]["breaches"], 1);
    assert_eq!(report["teams"][0]["breaches"], 1);
    assert_eq!(listed(&report)[0].2, ANN);
    // By rep, the funnel credits the clocks the same way.
    let by_rep = funnel_by(&app, "rep").await;
    let group = |rep: &str| {
        by_rep["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == rep)
            .unwrap()
            .clone()
    };
    assert_eq!(group(ANN)["speed"]["ack"]["breached"], 1);
    assert_eq!(group(ANN)["handoffs"]["opened"], 0);
    assert_eq!(group(BOB)["speed"]["first_touch"]["met"], 1);
    assert_eq!(group(BOB)["handoffs"]["opened"], 1);
}

#[tokio::test]
async fn a_handoff_converts_only_before_the_leads_next_mql_entry() {
    let app = TestApp::spawn("").await;
    // Ann's handoff: rejected, back to lead. Qualified again, Bob's handoff: to sql.
    app.external(
        "INSERT INTO leads (external_id, name, source, owner_email, stage, stage_changed_at)
             VALUES ('c1', 'Cy', 'web', 'ann@acme.test', 'mql', '2026-11-17T11:00:00Z');",
    )
    .await;
    app.wait("first handoff", |c| c.handoffs_opened >= 1).await;
    app.clock.advance(Duration::minutes(5));
    let (ok, text) = app.command(ANN, "/lead reject c1 not_a_fit").await;
    assert!(ok, "{text}");
    app.clock.advance(Duration::minutes(55));
    app.external(
        "UPDATE leads SET stage = 'mql', owner_email = 'bob@acme.test', stage_changed_at = '2026-11-17T12:00:00Z' WHERE external_id = 'c1';",
    )
    .await;
    app.wait("second handoff", |c| c.handoffs_opened >= 2).await;
    app.clock.advance(Duration::minutes(30));
    app.external(
        "UPDATE leads SET stage = 'sql', stage_changed_at = '2026-11-17T12:30:00Z' WHERE external_id = 'c1';",
    )
    .await;
    app.wait("accepted by the CRM", |c| c.handoffs_closed >= 1)
        .await;
    app.clock.advance(Duration::minutes(30));
    app.drained().await;
    let assignees: Vec<(String, String)> =
        sqlx::query_as("SELECT assignee, status FROM handoffs ORDER BY id")
            .fetch_all(&app.ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(
        assignees,
        [
            (ANN.to_string(), "rejected".to_string()),
            (BOB.to_string(), "accepted".to_string())
        ]
    );

    let by_rep = funnel_by(&app, "rep").await;
    let converted = |rep: &str| {
        let g = by_rep["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == rep)
            .unwrap()
            .clone();
        (
            g["converted"]["sql"]["count"].clone(),
            g["converted"]["sql"]["n"].clone(),
        )
    };
    // Ann's rejected handoff earned nothing (0 of 1); Bob's converted (1 of 1).
    assert_eq!(converted(ANN), (0.into(), 1.into()), "{by_rep}");
    assert_eq!(converted(BOB), (1.into(), 1.into()));
    // The source's two handoffs: one converted.
    let by_source = funnel_by(&app, "source").await;
    let web = &by_source["groups"][0];
    assert_eq!(web["key"], "web");
    assert_eq!(web["converted"]["sql"]["count"], 1);
    assert_eq!(web["converted"]["sql"]["n"], 2);
    // The ranking puts Bob (1 of 1) above Ann (0 of 1).
    let top: Vec<&str> = by_rep["ranking"]["reps"]["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rep"].as_str().unwrap())
        .collect();
    assert_eq!(top, [BOB, ANN]);
}
