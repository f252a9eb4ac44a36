//! The digest's 12-week trend (SPEC §8) counts each week with one statement
//! (`store::reports::window_counts`); its figures are those of `baton funnel` and
//! `baton sla` for that week's dates (SPEC §7), checked here over four live weeks in
//! Berlin (across the end of summer time) with acks in and out of time, decisions in the
//! chat and in the CRM, breaches that reassign the lead, a lead qualified twice in one
//! week and one late on a Sunday evening.

use baton::domain::period::Period;
use baton::domain::report::{HandoffFacts, Outcomes, Speeds};
use baton::domain::schedule::IsoWeek;
use baton::domain::stage::Stage;
use baton::store::reports::{self, HandoffFilter, LeadKey};
use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use serde_json::Value;

use crate::harness::*;

/// Ack 10 minutes, first touch 1 hour, decision 2 days around the clock; a breach tells
/// the rep and gives the lead to the other one (a fresh window).
const SETUP: &str = r#"
[reporting]
timezone = "Europe/Berlin"

[[sla]]
name = "fast"
ack = "10m"
first_touch = "1h"
disposition = "2d"
on_breach = ["notify_rep", "reassign"]
"#;

const ANN: &str = "ann@acme.test";
const BOB: &str = "bob@acme.test";

/// The open handoff's assignee of lead `ext`.
async fn holder(app: &TestApp, ext: &str) -> String {
    sqlx::query_scalar(
        "SELECT h.assignee FROM handoffs h JOIN leads l ON l.id = h.lead_id
         WHERE l.external_id = ? AND h.status = 'open'",
    )
    .bind(ext)
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap()
}

/// Writes `sql` as the CRM would and waits until Baton has seen `events` more changes.
async fn crm(app: &TestApp, sql: &str, events: u64) {
    let seen = app.ctx.stats.now().events_processed;
    app.external(sql).await;
    app.wait("the CRM's changes", |c| c.events_processed >= seen + events)
        .await;
    app.timers_settled().await;
}

/// Moves the clock to `t` and lets every timer due by then fire.
async fn at_time(app: &TestApp, t: DateTime<Utc>) {
    app.clock.set(t);
    app.timers_settled().await;
    app.drained().await;
}

async fn ok(app: &TestApp, actor: &str, command: &str) {
    let (ok, text) = app.command(actor, command).await;
    assert!(ok, "{command}: {text}");
}

/// One week of the history, from its Monday 09:00 UTC: four MQLs (Ann's and Bob's).
/// `a` is acked in time and accepted; `b` runs out of its ack, goes to the other rep, who
/// acks and rejects it; `c` is left alone (breached, reassigned again in later weeks);
/// `d` is acked, sent back to `lead` by the CRM (a rejection) and qualified again an hour
/// later (a second handoff in the same week, one lead entering `mql`).
async fn week(app: &TestApp, monday: DateTime<Utc>, w: usize) {
    let start = monday + Duration::hours(9);
    at_time(app, start).await;
    let stamp = baton::store::ts(start);
    let mut insert = String::new();
    for (k, name) in ["a", "b", "c", "d"].iter().enumerate() {
        let owner = if (k + w).is_multiple_of(2) { ANN } else { BOB };
        insert.push_str(&format!(
            "INSERT INTO leads (external_id, name, owner_email, stage, stage_changed_at)
             VALUES ('w{w}{name}', 'Lead {w}{name}', '{owner}', 'mql', '{stamp}');\n"
        ));
    }
    let opened = app.ctx.stats.now().handoffs_opened;
    crm(app, &insert, 4).await;
    app.wait("four handoffs", |c| c.handoffs_opened >= opened + 4)
        .await;

    at_time(app, start + Duration::minutes(2)).await;
    for name in ["a", "d"] {
        let ext = format!("w{w}{name}");
        ok(app, &holder(app, &ext).await, &format!("/lead ack {ext}")).await;
    }
    at_time(app, start + Duration::minutes(5)).await;
    let ext = format!("w{w}a");
    ok(
        app,
        &holder(app, &ext).await,
        &format!("/lead accept {ext}"),
    )
    .await;

    // 09:11: b's and c's acks ran out; each goes to the other rep.
    let breaches = app.ctx.stats.now().breaches;
    at_time(app, start + Duration::minutes(11)).await;
    app.wait("two ack breaches", |c| c.breaches >= breaches + 2)
        .await;
    let ext = format!("w{w}b");
    let now_holder = holder(app, &ext).await;
    ok(app, &now_holder, &format!("/lead ack {ext}")).await;
    ok(app, &now_holder, &format!("/lead reject {ext} not_a_fit")).await;

    let ext = format!("w{w}d");
    let back = baton::store::ts(app.clock.now());
    crm(
        app,
        &format!(
            "UPDATE leads SET stage = 'lead', stage_changed_at = '{back}' WHERE external_id = '{ext}';"
        ),
        1,
    )
    .await;
    let again = start + Duration::hours(1);
    at_time(app, again).await;
    let opened = app.ctx.stats.now().handoffs_opened;
    crm(
        app,
        &format!(
            "UPDATE leads SET stage = 'mql', stage_changed_at = '{}' WHERE external_id = '{ext}';",
            baton::store::ts(again)
        ),
        1,
    )
    .await;
    app.wait("d's second handoff", |c| c.handoffs_opened > opened)
        .await;
}

fn entered_mql(funnel: &Value) -> u64 {
    funnel["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "mql")
        .unwrap()["entered"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn each_week_of_the_trend_has_the_figures_of_funnel_and_sla_for_its_dates() {
    // Monday 19 October 2026 (W43, Berlin in summer time until Sunday) to W46.
    let first = at("2026-10-19T00:00:00Z");
    let app = TestApp::builder().config(SETUP).at(first).spawn().await;
    for w in 0..4 {
        week(&app, first + Duration::weeks(w as i64), w).await;
    }
    // Sunday 25 October 23:30 in Berlin (CET since 03:00 that morning) is still W43; an
    // MQL then runs out of its ack in W43 and its first touch in W44.
    at_time(&app, at("2026-11-15T22:00:00Z")).await;
    let late = baton::store::ts(at("2026-10-25T22:30:00Z"));
    crm(
        &app,
        &format!(
            "INSERT INTO leads (external_id, name, owner_email, stage, stage_changed_at)
             VALUES ('late', 'Late', '{ANN}', 'mql', '{late}');"
        ),
        1,
    )
    .await;
    // The digest of W46, built on Friday of W47; the open handoffs' later clocks ran out.
    let now = at("2026-11-20T12:00:00Z");
    at_time(&app, now).await;
    let reassigned: i64 = app
        .scalar("SELECT COUNT(*) FROM handoffs WHERE previous_assignees IS NOT NULL")
        .await;
    assert!(reassigned >= 8, "{reassigned} handoffs reassigned");

    let (db, config) = (&app.ctx.db, &app.ctx.config);
    let digest = baton::reports::digest::build(db, config, "2026-W46".parse().unwrap(), now)
        .await
        .unwrap();
    let trend = &digest.marketing.trend;
    assert_eq!(trend.len(), 12);
    assert_eq!(trend[0].week, "2026-W35");
    let mut weeks_with_handoffs = 0;
    for w in trend {
        let week: IsoWeek = w.week.parse().unwrap();
        let monday = week.monday();
        assert_eq!(monday.weekday(), Weekday::Mon);
        let dates = format!("{}..{}", monday, monday + chrono::Days::new(6));
        let period = Period::parse(&dates).unwrap();
        let funnel: Value = serde_json::from_str(
            &baton::reports::funnel_json(db, config, period, None, now)
                .await
                .unwrap(),
        )
        .unwrap();
        let sla: Value = serde_json::from_str(
            &baton::reports::sla_json(db, config, period, None, None, now)
                .await
                .unwrap(),
        )
        .unwrap();
        let h = &funnel["handoffs"];
        let (accepted, rejected) = (
            h["accepted"].as_u64().unwrap(),
            h["rejected"].as_u64().unwrap(),
        );
        let ack = &funnel["speed"]["ack"];
        let (met, breached) = (
            ack["met"].as_u64().unwrap(),
            ack["breached"].as_u64().unwrap(),
        );
        assert_eq!(sla["overall"]["ack"], *ack, "{dates}: funnel and sla agree");
        assert_eq!(w.mqls, entered_mql(&funnel), "{dates} mqls");
        assert_eq!(
            (w.acceptance.count, w.acceptance.n),
            (accepted, accepted + rejected),
            "{dates} acceptance"
        );
        assert_eq!(
            (w.ack_compliance.count, w.ack_compliance.n),
            (met, met + breached),
            "{dates} ack compliance"
        );

        // And what the trend was built from before: every handoff's facts.
        let window = week.window(config.reporting_tz);
        let facts = reports::handoff_facts(&db.pool, window, now, HandoffFilter::default())
            .await
            .unwrap();
        let all: Vec<&HandoffFacts> = facts.iter().collect();
        assert_eq!(w.acceptance, Outcomes::of(all.iter().copied()).acceptance());
        assert_eq!(w.ack_compliance, Speeds::of(&all).ack.compliance_rate());
        let entries = reports::entries(&db.pool, LeadKey::Campaign, window, now, Some(Stage::Mql))
            .await
            .unwrap();
        assert_eq!(w.mqls, entries.iter().map(|e| e.entered).sum::<u64>());
        weeks_with_handoffs += u64::from(!facts.is_empty());
    }
    assert_eq!(weeks_with_handoffs, 4);
    // What each of the history's weeks holds: 4 leads (one of them qualified twice), 5
    // handoffs, one accepted and two rejected, acks met by a and d's first handoff; W43
    // also the late Sunday MQL, breached.
    let w43 = &trend[8];
    assert_eq!(w43.week, "2026-W43");
    assert_eq!(w43.mqls, 5);
    assert_eq!((w43.acceptance.count, w43.acceptance.n), (1, 3));
    assert_eq!((w43.ack_compliance.count, w43.ack_compliance.n), (2, 6));
    for w in &trend[9..] {
        assert_eq!(w.mqls, 4, "{}", w.week);
        assert_eq!((w.acceptance.count, w.acceptance.n), (1, 3), "{}", w.week);
        assert_eq!(
            (w.ack_compliance.count, w.ack_compliance.n),
            (2, 5),
            "{}",
            w.week
        );
    }
    // The scheduler's digest for the last time set may still be on its way out.
    app.drained().await;
}
