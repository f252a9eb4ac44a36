//! A fair window after reassignment, end to end with the manual clock: `on_reassign`
//! (`fresh` gives the new assignee the ack and first-touch windows again, `continue` keeps
//! the MQL's), the "reassigned to you" alert, `max_reassign` ending the cascade at the
//! team's manager, and `/lead handback`.

use chrono::Duration;

use crate::harness::*;

/// Ack 10 minutes, first touch 1 hour, wall time around the clock; a breach reassigns.
fn sla(extra: &str) -> String {
    format!(
        r#"
[[sla]]
name = "fast"
ack = "10m"
first_touch = "1h"
disposition = "1d"
remind_at = [0.5, 0.9]
on_breach = ["notify_rep", "notify_manager", "reassign"]
{extra}
"#
    )
}

/// A third rep, so that a cascade can run from rep to rep before the manager.
const CID: &str = r#"
[[person]]
email = "cid@acme.test"
name = "Cid"
role = "rep"
team = "sales"
calendar = "always"
"#;

async fn one_mql(app: &TestApp) -> String {
    app.external(
        "INSERT INTO leads (external_id, name, company, stage) VALUES ('s1', 'Sol', 'Acme', 'mql');",
    )
    .await;
    app.wait("alert", |c| c.handoffs_opened >= 1 && c.messages_sent >= 1)
        .await;
    assignee(app).await
}

async fn assignee(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT assignee FROM handoffs WHERE id = 1")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap()
}

fn other(rep: &str) -> &'static str {
    if rep == "ann@acme.test" {
        "bob@acme.test"
    } else {
        "ann@acme.test"
    }
}

fn name(email: &str) -> &'static str {
    match email {
        "ann@acme.test" => "Ann",
        "bob@acme.test" => "Bob",
        "cid@acme.test" => "Cid",
        "boss@acme.test" => "Boss",
        _ => "?",
    }
}

/// The full texts of the messages of `kind` sent to `to`, oldest first.
fn texts(app: &TestApp, kind: &str, to: &str) -> Vec<String> {
    app.console_of_kind(kind)
        .iter()
        .filter(|m| m["to"] == to)
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect()
}

async fn breaches_of(app: &TestApp, who: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sla_breaches WHERE assignee = ?")
        .bind(who)
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn fresh_gives_the_new_rep_full_windows_and_no_immediate_breach() {
    let app = TestApp::spawn(&sla("")).await;
    let first = one_mql(&app).await;
    let second = other(&first);

    // 11:10:01: the ack clock ran out on the first rep; the lead goes to the second.
    app.clock.advance(Duration::seconds(601));
    app.wait("breach", |c| c.breaches >= 1).await;
    app.drained().await;
    assert_eq!(assignee(&app).await, second);
    let alert = &texts(&app, "alert", second)[0];
    let title = alert.lines().next().unwrap();
    assert_eq!(
        title,
        format!(
            "Reassigned to you from {} (ack missed): Sol (Acme)",
            name(&first)
        )
    );
    assert!(!alert.contains("New MQL"), "{alert}");
    // Full windows from the reassignment, and the lead's total wait.
    assert!(
        alert.contains("acknowledge by Tue 17 Nov 11:20 UTC (in 10m)"),
        "{alert}"
    );
    assert!(
        alert.contains("first touch by Tue 17 Nov 12:10 UTC (in 1h 0m)"),
        "{alert}"
    );
    assert!(
        alert.contains("Waiting: since Tue 17 Nov 11:00 UTC (10m in total)"),
        "{alert}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sla_breaches").await, 1);
    assert_eq!(breaches_of(&app, &first).await, 1);

    // Half of the new window: a reminder to the new rep, no breach.
    app.clock.advance(Duration::minutes(5));
    app.wait("reminder", |c| c.timers_fired >= 2).await;
    app.drained().await;
    let reminders = texts(&app, "reminder", second);
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(
        reminders[0].contains("The ack clock runs out Tue 17 Nov 11:20 UTC (in 5m)"),
        "{reminders:?}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sla_breaches").await, 1);
    let (ok, mine) = app.command(second, "/lead mine").await;
    assert!(ok);
    assert!(
        mine.contains("your own window since Tue 17 Nov 11:10 UTC (reassigned to you)"),
        "{mine}"
    );
    assert!(
        mine.contains("acknowledge by Tue 17 Nov 11:20 UTC: 5m left"),
        "{mine}"
    );

    // Acknowledged at 11:15:01, inside the new window: no breach for the new rep.
    let (ok, text) = app.command(second, "/lead ack 1").await;
    assert!(ok, "{text}");
    app.timers_settled().await;
    assert_eq!(breaches_of(&app, second).await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sla_breaches").await, 1);
    // The team-level clock still measures from the MQL: 15 minutes, past its 10.
    assert_eq!(
        app.scalar("SELECT CAST(ack_s AS INTEGER) FROM handoffs")
            .await,
        901
    );
    assert_eq!(
        app.scalar("SELECT ack_due_at = '2026-11-17T11:10:00.000Z' FROM handoffs")
            .await,
        1
    );

    // The MQL's first-touch deadline (12:00) passes: the new rep's is 12:10.
    app.clock.advance(Duration::minutes(50)); // 12:05:01
    app.timers_settled().await;
    assert_eq!(breaches_of(&app, second).await, 0);
    assert_eq!(assignee(&app).await, second);

    // Their own window runs out at 12:10:01: the breach is theirs, under their window.
    app.clock.advance(Duration::minutes(5));
    app.wait("second breach", |c| c.breaches >= 2).await;
    app.drained().await;
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM sla_breaches b JOIN handoff_holders x ON x.id = b.holder_id
             WHERE b.clock = 'first_touch' AND b.due_at = '2026-11-17T12:10:01.000Z'"
        )
        .await,
        1
    );
    assert_eq!(breaches_of(&app, second).await, 1);
}

#[tokio::test]
async fn continue_keeps_the_clocks_of_the_mql() {
    let app = TestApp::spawn(&sla(r#"on_reassign = "continue""#)).await;
    let first = one_mql(&app).await;
    let second = other(&first);
    app.clock.advance(Duration::seconds(601));
    app.wait("breach", |c| c.breaches >= 1).await;
    app.drained().await;
    let alert = &texts(&app, "alert", second)[0];
    assert!(
        alert.starts_with(&format!(
            "Reassigned to you from {} (ack missed): Sol (Acme)",
            name(&first)
        )),
        "{alert}"
    );
    // The deadlines are the MQL's: ack already past, first touch at 12:00.
    assert!(
        alert.contains("acknowledge by Tue 17 Nov 11:10 UTC (1s ago)"),
        "{alert}"
    );
    assert!(
        alert.contains("first touch by Tue 17 Nov 12:00 UTC (in 49m)"),
        "{alert}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_holders WHERE window_start IS NOT NULL")
            .await,
        0
    );
    // No ack timers for the new rep; first touch reminds at 11:30 from the MQL.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM sla_timers WHERE fence = 1 AND clock = 'ack'")
            .await,
        0
    );
    app.clock.advance(Duration::minutes(20));
    app.wait("first-touch reminder", |c| c.timers_fired >= 2)
        .await;
    app.drained().await;
    let reminders = texts(&app, "reminder", second);
    assert!(
        reminders[0].contains("first contact with lead #1 Sol (Acme)")
            && reminders[0].contains("runs out Tue 17 Nov 12:00 UTC"),
        "{reminders:?}"
    );
    // At 12:00 the first-touch clock of the MQL runs out on the new rep.
    app.clock.advance(Duration::minutes(30));
    app.wait("second breach", |c| c.breaches >= 2).await;
    assert_eq!(breaches_of(&app, second).await, 1);
    app.drained().await;
}

#[tokio::test]
async fn max_reassign_2_stops_at_the_manager() {
    let app = TestApp::spawn(&format!("{CID}\n{}", sla("max_reassign = 2"))).await;
    let mut holders = vec![one_mql(&app).await];
    // Each holder misses their own fresh ack window of 10 minutes.
    for n in 1..=3u64 {
        app.clock.advance(Duration::seconds(601));
        app.wait("breach", |c| c.breaches >= n).await;
        app.timers_settled().await;
        holders.push(assignee(&app).await);
    }
    app.drained().await;
    let reps = &holders[..3];
    assert!(
        reps.iter()
            .all(|r| r.ends_with("@acme.test") && r != "boss@acme.test"),
        "{holders:?}"
    );
    assert!(reps[0] != reps[1] && reps[1] != reps[2] && reps[0] != reps[2]);
    assert_eq!(holders[3], "boss@acme.test", "{holders:?}");
    assert_eq!(app.scalar("SELECT breach_reassigns FROM handoffs").await, 3);
    // The third breach's escalation says the cascade ended with the manager.
    let escalations = texts(&app, "escalation", "boss@acme.test");
    assert_eq!(escalations.len(), 3, "{escalations:?}");
    assert!(
        escalations[2].contains(
            "Reassigned 2 times after breaches (max_reassign = 2): the lead stays with Boss, the team's manager."
        ),
        "{escalations:?}"
    );
    let alert = &texts(&app, "alert", "boss@acme.test")[0];
    assert!(
        alert.starts_with(&format!(
            "Reassigned to you from {} (ack missed)",
            name(&reps[2])
        )),
        "{alert}"
    );

    // The manager misses the ack too: it stays with them.
    app.clock.advance(Duration::seconds(601));
    app.wait("fourth breach", |c| c.breaches >= 4).await;
    app.timers_settled().await;
    app.drained().await;
    assert_eq!(assignee(&app).await, "boss@acme.test");
    assert_eq!(app.scalar("SELECT breach_reassigns FROM handoffs").await, 3);
    let escalations = texts(&app, "escalation", "boss@acme.test");
    assert!(
        escalations[3].contains("the lead stays with Boss"),
        "{escalations:?}"
    );
}

#[tokio::test]
async fn handback_before_a_breach_returns_the_lead_to_the_rotation_without_a_breach() {
    let app = TestApp::spawn(&sla("")).await;
    let first = one_mql(&app).await;
    let second = other(&first);
    app.clock.advance(Duration::minutes(3));

    let (ok, text) = app.command(second, "/lead handback 1").await;
    assert!(!ok);
    assert!(text.starts_with("lead #1 is not yours"), "{text}");

    let (ok, text) = app
        .command(&first, "/lead handback 1 not my territory")
        .await;
    assert!(ok, "{text}");
    assert_eq!(
        text,
        format!(
            "Lead #1 is back in the rotation and now with {}. No breach is recorded for you.",
            name(second)
        )
    );
    assert_eq!(assignee(&app).await, second);
    app.drained().await;
    let alert = &texts(&app, "alert", second)[0];
    assert!(
        alert.starts_with(&format!(
            "Reassigned to you from {} (handed back): Sol (Acme)",
            name(&first)
        )),
        "{alert}"
    );
    // A fresh window from 11:03.
    assert!(
        alert.contains("acknowledge by Tue 17 Nov 11:13 UTC (in 10m)"),
        "{alert}"
    );
    let updates = texts(&app, "update", &first);
    assert!(
        updates[0].contains(&format!(
            "reassigned to {}: handed back by {} (not my territory)",
            name(second),
            name(&first)
        )),
        "{updates:?}"
    );

    // The MQL's ack deadline (11:10) passes: nothing fires for the first rep.
    app.clock.advance(Duration::minutes(8)); // 11:11
    app.timers_settled().await;
    let (ok, text) = app.command(second, "/lead ack 1").await;
    assert!(ok, "{text}");
    app.timers_settled().await;
    assert_eq!(breaches_of(&app, &first).await, 0);
    assert_eq!(breaches_of(&app, second).await, 0);
    assert!(texts(&app, "escalation", &first).is_empty());

    // The second rep hands it back too; it returns to the first, who may not do it twice.
    let (ok, text) = app.command(second, "/lead handback 1").await;
    assert!(ok, "{text}");
    assert_eq!(assignee(&app).await, first);
    let (ok, text) = app.command(&first, "/lead handback 1").await;
    assert!(!ok);
    assert!(
        text.starts_with("you already handed lead #1 back at Tue 17 Nov 11:03 UTC"),
        "{text}"
    );
    assert!(
        text.ends_with("usage: /lead handback LEAD [reason]"),
        "{text}"
    );
    assert_eq!(assignee(&app).await, first);
    app.drained().await;
}

#[tokio::test]
async fn handback_after_a_breach_or_a_decision_is_refused() {
    let app = TestApp::spawn(
        r#"
[[sla]]
name = "plain"
ack = "10m"
first_touch = "1h"
disposition = "1d"
on_breach = ["notify_rep", "notify_manager"]
"#,
    )
    .await;
    let rep = one_mql(&app).await;
    app.clock.advance(Duration::seconds(601));
    app.wait("breach", |c| c.breaches >= 1).await;
    let (ok, text) = app.command(&rep, "/lead handback 1").await;
    assert!(!ok);
    assert!(
        text.starts_with(
            "the acknowledge SLA of lead #1 already ran out while you held it: a lead can be handed back only before a breach"
        ),
        "{text}"
    );
    assert_eq!(assignee(&app).await, rep);

    let (ok, text) = app.command(&rep, "/lead accept 1").await;
    assert!(ok, "{text}");
    let (ok, text) = app.command(&rep, "/lead handback 1").await;
    assert!(!ok);
    assert!(
        text.starts_with("lead #1 was already accepted: there is nothing to hand back"),
        "{text}"
    );
    let (ok, text) = app.command(&rep, "/lead handback").await;
    assert!(!ok);
    assert!(text.contains("/lead handback LEAD [reason]"), "{text}");
    app.drained().await;
}

#[tokio::test]
async fn a_fresh_window_counts_for_the_new_rep_alone_and_the_team_measures_from_the_mql() {
    let app = TestApp::spawn(&sla("")).await;
    app.external(
        "INSERT INTO leads (external_id, name, company, stage, stage_changed_at)
         VALUES ('s1', 'Sol', 'Acme', 'mql', '2026-11-17T11:00:00Z');",
    )
    .await;
    app.wait("alert", |c| c.handoffs_opened >= 1 && c.messages_sent >= 1)
        .await;
    let first = assignee(&app).await;
    let second = other(&first);
    app.clock.advance(Duration::seconds(601));
    app.wait("breach", |c| c.breaches >= 1).await;
    app.clock.advance(Duration::minutes(5));
    let (ok, text) = app.command(second, "/lead ack 1").await;
    assert!(ok, "{text}");
    app.timers_settled().await;
    app.drained().await;

    let now = app.clock.now();
    let report = |rep: Option<&'static str>| {
        baton::reports::sla(
            &app.ctx.db,
            &app.ctx.config,
            baton::domain::period::Period::default(),
            None,
            rep,
            now,
        )
    };
    // The team: one ack clock, from the MQL, breached (15 minutes against 10).
    let all = report(None).await.unwrap();
    assert_eq!((all.overall.ack.met, all.overall.ack.breached), (0, 1));
    assert_eq!(all.overall.ack.median_s, Some(901.0));
    // The first rep keeps the breach of the clock that ran out on them.
    let first: &'static str = if first == "ann@acme.test" {
        "ann@acme.test"
    } else {
        "bob@acme.test"
    };
    let theirs = report(Some(first)).await.unwrap();
    assert_eq!(
        (theirs.overall.ack.met, theirs.overall.ack.breached),
        (0, 1)
    );
    assert_eq!(theirs.breaches.latest.len(), 1);
    // The new rep met their own window, in 5 minutes; first touch still runs for them.
    let mine = report(Some(second)).await.unwrap();
    assert_eq!((mine.overall.ack.met, mine.overall.ack.breached), (1, 0));
    assert_eq!(mine.overall.ack.median_s, Some(300.0));
    assert_eq!(mine.overall.first_touch.breached, 0);
    assert!(
        mine.breaches.latest.is_empty(),
        "{:?}",
        mine.breaches.latest
    );
    // In the team's list of reps, the same.
    let reps = &all.teams[0].reps;
    let line = |who: &str| &reps.iter().find(|r| r.rep == who).unwrap().line;
    assert_eq!(line(second).ack.met, 1);
    assert_eq!(line(second).ack.breached, 0);
    assert_eq!(line(first).ack.breached, 1);

    // Past the new rep's own first-touch deadline (12:10:01) without contact: theirs.
    app.clock.advance(Duration::hours(1));
    app.wait("first-touch breach", |c| c.breaches >= 2).await;
    app.timers_settled().await;
    app.drained().await;
    let mine = baton::reports::sla(
        &app.ctx.db,
        &app.ctx.config,
        baton::domain::period::Period::default(),
        None,
        Some(second),
        app.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(mine.overall.first_touch.breached, 1);
    assert_eq!(mine.breaches.latest.len(), 1);
    assert_eq!(mine.breaches.latest[0].due_at, "2026-11-17T12:10:01.000Z");
}

#[test]
fn check_config_names_bad_reassign_keys_and_explains_on_reassign() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baton.toml");
    let check = |extra: &str| {
        let text = config_text(dir.path(), &format!("{TEAM}\n{}", sla(extra)));
        std::fs::write(&path, text).unwrap();
        crate::cli::baton(
            &["check-config", "--config", &path.display().to_string()],
            &[],
        )
    };
    let cases = [
        (
            r#"on_reassign = "restart""#,
            "sla[0] (fast): on_reassign: \"restart\" is not a way to reassign: use \"fresh\"",
        ),
        (
            "max_reassign = -1",
            "sla[0] (fast): max_reassign -1 is not a number of reassignments: use 0 or more (default 2)",
        ),
    ];
    for (extra, want) in cases {
        let out = check(extra);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra}: {stderr}");
        assert!(
            stderr.contains(want),
            "{extra}\nwanted: {want}\ngot: {stderr}"
        );
    }
    let out = check("max_reassign = 1");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "#   on_reassign = \"fresh\": a new assignee gets the ack and first-touch windows again from the reassignment; max_reassign = 1: after 1 reassignment(s) on breach the lead goes to the team's manager and stays"
        ),
        "{text}"
    );
    let out = check(r#"on_reassign = "continue""#);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("#   on_reassign = \"continue\": a new assignee's clocks keep running from the MQL time; max_reassign = 2"),
        "{text}"
    );
}

#[tokio::test]
async fn a_reassigned_alert_offers_only_the_steps_still_open() {
    let app = TestApp::spawn(&sla(r#"on_reassign = "continue""#)).await;
    let first = one_mql(&app).await;
    let second = other(&first);
    let (ok, reply) = app.command(&first, "/lead ack 1").await;
    assert!(ok, "{reply}");
    // First touch runs out an hour after the MQL: the lead goes to the other rep.
    app.clock.advance(Duration::seconds(3601));
    app.wait("breach", |c| c.breaches >= 1).await;
    app.drained().await;
    let alerts: Vec<_> = app
        .console_of_kind("alert")
        .into_iter()
        .filter(|m| m["to"] == second)
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(
        alerts[0]["actions"],
        serde_json::json!(["contacted", "accept", "reject", "rate"]),
        "the lead was acknowledged before: no Acknowledge on the new assignee's alert"
    );
}
