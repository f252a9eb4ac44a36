//! SLA clocks end to end with a manual clock: reminders, breaches, escalation,
//! reassignment, stale timers after downtime. Hours of SLA run in milliseconds.

use chrono::Duration;

use crate::harness::*;

const SLA: &str = r#"
[[sla]]
name = "fast"
ack = "10m"
first_touch = "1h"
disposition = "1d"
remind_at = [0.5, 0.9]
on_breach = ["notify_rep", "notify_manager", "reassign"]
on_reassign = "continue" # fresh windows: tests/it/reassign.rs
"#;

const SLA_NO_REASSIGN: &str = r#"
[[sla]]
name = "plain"
ack = "10m"
first_touch = "1h"
disposition = "1d"
remind_at = [0.25, 0.5]
on_breach = ["notify_rep", "notify_manager"]
"#;

async fn one_mql(app: &TestApp) -> String {
    app.external("INSERT INTO leads (external_id, name, company, stage) VALUES ('s1', 'Sol', 'Acme', 'mql');")
        .await;
    app.wait("alert", |c| c.handoffs_opened >= 1 && c.messages_sent >= 1)
        .await;
    sqlx::query_scalar("SELECT assignee FROM handoffs WHERE id = 1")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap()
}

/// Messages of a kind sent to someone, by the first line of their text.
fn titles(app: &TestApp, kind: &str, to: &str) -> Vec<String> {
    app.console_of_kind(kind)
        .iter()
        .filter(|m| m["to"] == to)
        .map(|m| {
            m["text"]
                .as_str()
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn reminders_then_breach_then_manager_and_reassignment() {
    let app = TestApp::spawn(SLA).await;
    let first = one_mql(&app).await;
    let second = if first == "ann@acme.test" {
        "bob@acme.test"
    } else {
        "ann@acme.test"
    };

    let alert = &app.console_of_kind("alert")[0];
    let text = alert["text"].as_str().unwrap();
    assert!(
        text.contains("SLA: acknowledge by Tue 17 Nov 11:10 UTC (in 10m); first touch by Tue 17 Nov 12:00 UTC (in 1h 0m); accept or reject by Wed 18 Nov 11:00 UTC (in 1d 0h)"),
        "{text}"
    );

    app.clock.advance(Duration::minutes(5));
    app.wait("first reminder", |c| c.timers_fired >= 1).await;
    app.clock.advance(Duration::minutes(4));
    app.wait("second reminder", |c| c.timers_fired >= 2).await;
    app.drained().await;
    assert_eq!(
        titles(&app, "reminder", &first),
        [
            "Reminder: 5m left to acknowledge lead #1 Sol (Acme)",
            "Reminder: 1m left to acknowledge lead #1 Sol (Acme)"
        ]
    );

    app.clock.advance(Duration::seconds(61));
    app.wait("breach", |c| c.breaches >= 1).await;
    app.drained().await;
    let breach = "SLA breached: acknowledge lead #1 Sol (Acme) was due Tue 17 Nov 11:10 UTC (1s late), assigned to";
    assert!(titles(&app, "escalation", &first)[0].starts_with(breach));
    assert!(titles(&app, "escalation", "boss@acme.test")[0].starts_with(breach));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sla_breaches WHERE clock = 'ack' AND due_at = '2026-11-17T11:10:00.000Z'").await, 1);

    // Reassigned: the new rep gets an alert of their own, the old alert is updated.
    let new_alert = titles(&app, "alert", second);
    let from = if first == "ann@acme.test" {
        "Ann"
    } else {
        "Bob"
    };
    assert_eq!(
        new_alert,
        [format!(
            "Reassigned to you from {from} (ack missed): Sol (Acme)"
        )]
    );
    let updates = titles(&app, "update", &first);
    assert!(
        updates[0].contains(&format!(
            "reassigned to {}",
            if second == "ann@acme.test" {
                "Ann"
            } else {
                "Bob"
            }
        )),
        "{updates:?}"
    );
    assert_eq!(
        app.scalar("SELECT fence FROM handoffs WHERE id = 1").await,
        1
    );

    // The first-touch clock keeps counting from the MQL time; its reminders now go to the
    // new assignee only, and the old assignee's timers are dropped.
    app.clock.advance(Duration::minutes(20)); // 11:30:01, half of first touch
    app.wait("first-touch reminder", |c| c.timers_fired >= 4)
        .await;
    app.drained().await;
    assert_eq!(
        titles(&app, "reminder", second),
        ["Reminder: 29m left to make first contact with lead #1 Sol (Acme)"]
    );
    assert_eq!(titles(&app, "reminder", &first).len(), 2);
    assert!(app.scalar("SELECT COUNT(*) FROM sla_timers WHERE fence = 0 AND clock = 'first_touch' AND status = 'dropped'").await >= 1);
}

#[tokio::test]
async fn an_ack_before_the_reminder_means_no_reminder() {
    let app = TestApp::spawn(SLA).await;
    let rep = one_mql(&app).await;
    app.clock.advance(Duration::minutes(2));
    let (ok, _) = app.command(&rep, "/lead ack 1").await;
    assert!(ok);
    app.clock.advance(Duration::minutes(9));
    // Nothing is due: the ack clock's timers were dropped with the ack.
    assert_eq!(baton::engine::sla::fire_due(&app.ctx).await.unwrap(), 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM sla_timers WHERE clock = 'ack' AND status = 'pending'")
            .await,
        0
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sla_breaches").await, 0);
    assert_eq!(
        app.scalar("SELECT CAST(ack_s AS INTEGER) FROM handoffs")
            .await,
        120
    );
    app.drained().await;
    assert!(app.console_of_kind("reminder").is_empty());
    assert!(app.console_of_kind("escalation").is_empty());

    let (ok, text) = app.command(&rep, "/lead mine").await;
    assert!(ok);
    assert!(
        text.contains("acknowledge by Tue 17 Nov 11:10 UTC: met"),
        "{text}"
    );
    assert!(
        text.contains("first touch by Tue 17 Nov 12:00 UTC: 49m left"),
        "{text}"
    );
}

#[tokio::test]
async fn after_downtime_stale_reminders_collapse_and_breaches_keep_their_true_time() {
    let mut app = TestApp::spawn(SLA_NO_REASSIGN).await;
    let rep = one_mql(&app).await;
    app.stop().await;
    // Down for 13 hours: the ack and first-touch clocks breached, and both disposition
    // reminders (6 h and 12 h) fell due.
    app.clock.advance(Duration::hours(13));
    let app = app.restart().await;
    app.wait("missed timers", |c| c.breaches >= 2).await;
    app.drained().await;

    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM sla_breaches WHERE (clock = 'ack' AND due_at = '2026-11-17T11:10:00.000Z') OR (clock = 'first_touch' AND due_at = '2026-11-17T12:00:00.000Z')").await,
        2
    );
    let reminders = app.console_of_kind("reminder");
    assert_eq!(reminders.len(), 1, "one notice, not a burst");
    let text = reminders[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Reminders that fell due while Baton was not running (2)"),
        "{text}"
    );
    let escalations: Vec<_> = app.console_of_kind("escalation");
    assert_eq!(
        escalations
            .iter()
            .filter(|m| m["to"] == rep.as_str())
            .count(),
        1
    );
    assert_eq!(
        escalations
            .iter()
            .filter(|m| m["to"] == "boss@acme.test")
            .count(),
        1
    );
    assert!(
        escalations[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("SLA breaches while Baton was not running (2)")
    );
}

#[tokio::test]
async fn a_manager_can_reassign_by_command_and_the_clocks_keep_running() {
    let app = TestApp::spawn(SLA).await;
    let first = one_mql(&app).await;
    let second = if first == "ann@acme.test" {
        "bob@acme.test"
    } else {
        "ann@acme.test"
    };
    let (ok, text) = app
        .command(&first, &format!("/lead reassign 1 {second}"))
        .await;
    assert!(!ok);
    assert_eq!(
        text,
        "only the team's manager or an admin can reassign a lead"
    );
    let (ok, text) = app
        .command("boss@acme.test", &format!("/lead reassign 1 {second}"))
        .await;
    assert!(ok, "{text}");
    app.clock.advance(Duration::minutes(5));
    app.wait("reminder", |c| c.timers_fired >= 1).await;
    app.drained().await;
    assert_eq!(titles(&app, "reminder", second).len(), 1);
    assert!(titles(&app, "reminder", &first).is_empty());
}

/// A team channel sees one alert per handoff and one update per change, through two
/// reassignments; each new assignee gets an alert of their own.
#[tokio::test]
async fn a_team_channel_gets_one_alert_and_one_update_per_change_through_reassignments() {
    let north = r##"
[[person]]
email = "nia@acme.test"
role = "rep"
team = "north"
calendar = "always"

[[person]]
email = "ned@acme.test"
role = "rep"
team = "north"
calendar = "always"

[[team]]
name = "north"
manager = "boss@acme.test"
channel = "#north"
routing = "round-robin"

[[route]]
when = { source = "north" }
team = "north"
"##;
    let app = TestApp::spawn(&format!("{SLA_NO_REASSIGN}\n{north}")).await;
    app.external(
        "INSERT INTO leads (external_id, name, source, stage) VALUES ('n1', 'Noor', 'north', 'mql');",
    )
    .await;
    app.wait("alert", |c| c.handoffs_opened >= 1 && c.messages_sent >= 2)
        .await;
    let first: String = sqlx::query_scalar("SELECT assignee FROM handoffs WHERE id = 1")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();
    let second = if first == "nia@acme.test" {
        "ned@acme.test"
    } else {
        "nia@acme.test"
    };
    for to in [second, first.as_str()] {
        let (ok, text) = app
            .command("boss@acme.test", &format!("/lead reassign 1 {to}"))
            .await;
        assert!(ok, "{text}");
    }
    app.drained().await;
    let to_channel = |kind: &str| {
        app.console_of_kind(kind)
            .into_iter()
            .filter(|m| m["to"] == "#north")
            .count()
    };
    assert_eq!(to_channel("alert"), 1, "{:#?}", app.console());
    assert_eq!(to_channel("update"), 2, "{:#?}", app.console());
    let alerts_to = |who: &str| {
        app.console_of_kind("alert")
            .into_iter()
            .filter(|m| m["to"] == who)
            .count()
    };
    // The first holder had the first alert and gets the lead back with a new one.
    assert_eq!(alerts_to(&first), 2);
    assert_eq!(alerts_to(second), 1);
}
