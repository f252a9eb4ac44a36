//! The reports of SPEC §7 on a hand-built data set: 30 leads whose stage changes go through
//! the real triggers, and 16 handoffs with their clocks and breaches. Every expected figure
//! below was worked out by hand from the tables in this file (see the comments), never by
//! the code under test.
//!
//! The reporting time zone is Europe/Berlin (CEST, UTC+2, until 25 October), and "now" is
//! Thursday 2026-10-15 10:00 UTC, so `last-month` is Berlin's September:
//! [2026-08-31T22:00Z, 2026-09-30T22:00Z), and `last-quarter` is
//! [2026-06-30T22:00Z, 2026-09-30T22:00Z).

use std::path::Path;

use baton::config::Config;
use baton::domain::period::Period;
use baton::domain::stage::Stage;
use baton::store::Db;
use baton::store::reports::{self, LeadKey};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::harness::at;

pub const NOW: &str = "2026-10-15T10:00:00Z";

/// Campaigns and sources: `autumn` leads come from `web`, `webinar` leads from `events`,
/// and leads without a campaign from `ads`.
const AUTUMN: (Option<&str>, &str) = (Some("autumn"), "web");
const WEBINAR: (Option<&str>, &str) = (Some("webinar"), "events");
const NO_CAMPAIGN: (Option<&str>, &str) = (None, "ads");

/// A lead: its id, campaign and source, and its stage changes (stage, time).
type Lead = (
    i64,
    (Option<&'static str>, &'static str),
    Vec<(&'static str, &'static str)>,
);

/// Each lead's stage changes, in order; the first creates it. Times are UTC; "✓" marks
/// the ones inside Berlin's September.
fn leads() -> Vec<Lead> {
    vec![
        // L1: visitor ✓, lead ✓, mql ✓ (H1), sql ✓, opportunity ✓, customer on 2 October.
        (
            1,
            AUTUMN,
            vec![
                ("visitor", "2026-09-02T10:00:00Z"),
                ("lead", "2026-09-03T10:00:00Z"),
                ("mql", "2026-09-04T10:00:00Z"),
                ("sql", "2026-09-05T10:00:00Z"),
                ("opportunity", "2026-09-20T10:00:00Z"),
                ("customer", "2026-10-02T10:00:00Z"),
            ],
        ),
        // L2: rejected once (H2) and qualified again (H3): lead and mql twice each.
        (
            2,
            AUTUMN,
            vec![
                ("visitor", "2026-09-02T11:00:00Z"),
                ("lead", "2026-09-03T11:00:00Z"),
                ("mql", "2026-09-04T11:00:00Z"),
                ("lead", "2026-09-06T11:00:00Z"),
                ("mql", "2026-09-10T11:00:00Z"),
                ("sql", "2026-09-12T11:00:00Z"),
            ],
        ),
        // L3: visitor in August; lead ✓, mql ✓ (H4), then disqualified (not "after" anything).
        (
            3,
            AUTUMN,
            vec![
                ("visitor", "2026-08-20T10:00:00Z"),
                ("lead", "2026-09-01T09:00:00Z"),
                ("mql", "2026-09-08T09:00:00Z"),
                ("disqualified", "2026-09-09T09:00:00Z"),
            ],
        ),
        // L4: still an MQL (H5 open).
        (
            4,
            AUTUMN,
            vec![
                ("visitor", "2026-09-15T10:00:00Z"),
                ("lead", "2026-09-16T10:00:00Z"),
                ("mql", "2026-09-29T10:00:00Z"),
            ],
        ),
        // L5: the boundaries. Visitor at the very first Berlin instant of September (31
        // August in UTC), lead at its last millisecond, mql at Berlin's 1 October 00:00 (H6).
        (
            5,
            AUTUMN,
            vec![
                ("visitor", "2026-08-31T22:00:00.000Z"),
                ("lead", "2026-09-30T21:59:59.999Z"),
                ("mql", "2026-09-30T22:00:00.000Z"),
            ],
        ),
        // L6: all the way to evangelist within September (H7).
        (
            6,
            WEBINAR,
            vec![
                ("visitor", "2026-09-05T10:00:00Z"),
                ("lead", "2026-09-05T12:00:00Z"),
                ("mql", "2026-09-06T10:00:00Z"),
                ("sql", "2026-09-07T10:00:00Z"),
                ("opportunity", "2026-09-08T10:00:00Z"),
                ("customer", "2026-09-09T10:00:00Z"),
                ("evangelist", "2026-09-25T10:00:00Z"),
            ],
        ),
        // L7: created as a lead; mql ✓ (H8), sql only on 5 October (converts by now).
        (
            7,
            WEBINAR,
            vec![
                ("lead", "2026-09-10T10:00:00Z"),
                ("mql", "2026-09-11T10:00:00Z"),
                ("sql", "2026-10-05T10:00:00Z"),
            ],
        ),
        // L8: nurtured: visitor and lead twice in September, and again in October.
        (
            8,
            WEBINAR,
            vec![
                ("visitor", "2026-09-12T10:00:00Z"),
                ("lead", "2026-09-13T10:00:00Z"),
                ("visitor", "2026-09-20T10:00:00Z"),
                ("lead", "2026-09-25T10:00:00Z"),
                ("visitor", "2026-10-08T10:00:00Z"),
                ("lead", "2026-10-10T10:00:00Z"),
            ],
        ),
        // L9: created as an MQL (H9, no SLA policy), still open.
        (9, WEBINAR, vec![("mql", "2026-09-14T10:00:00Z")]),
        // L10: fast, to opportunity in the last hour of Berlin's September (H10).
        (
            10,
            NO_CAMPAIGN,
            vec![
                ("visitor", "2026-09-18T10:00:00Z"),
                ("lead", "2026-09-18T11:00:00Z"),
                ("mql", "2026-09-18T12:00:00Z"),
                ("sql", "2026-09-19T12:00:00Z"),
                ("opportunity", "2026-09-30T21:00:00Z"),
            ],
        ),
        // L11: a visitor who stays one.
        (11, NO_CAMPAIGN, vec![("visitor", "2026-09-21T10:00:00Z")]),
        // L12: MQL in August (H11, outside the month); sql ✓ and opportunity ✓.
        (
            12,
            NO_CAMPAIGN,
            vec![
                ("visitor", "2026-08-01T10:00:00Z"),
                ("lead", "2026-08-02T10:00:00Z"),
                ("mql", "2026-08-05T10:00:00Z"),
                ("sql", "2026-09-03T10:00:00Z"),
                ("opportunity", "2026-09-04T10:00:00Z"),
            ],
        ),
        // L13..L17: visitors only.
        (13, AUTUMN, vec![("visitor", "2026-09-05T10:00:00Z")]),
        (14, AUTUMN, vec![("visitor", "2026-09-06T10:00:00Z")]),
        (15, AUTUMN, vec![("visitor", "2026-09-07T10:00:00Z")]),
        (16, AUTUMN, vec![("visitor", "2026-09-08T10:00:00Z")]),
        (17, AUTUMN, vec![("visitor", "2026-09-09T10:00:00Z")]),
        // L18..L20: visitor, then lead.
        (
            18,
            WEBINAR,
            vec![
                ("visitor", "2026-09-10T10:00:00Z"),
                ("lead", "2026-09-11T10:00:00Z"),
            ],
        ),
        (
            19,
            WEBINAR,
            vec![
                ("visitor", "2026-09-10T11:00:00Z"),
                ("lead", "2026-09-11T11:00:00Z"),
            ],
        ),
        (
            20,
            WEBINAR,
            vec![
                ("visitor", "2026-09-10T12:00:00Z"),
                ("lead", "2026-09-11T12:00:00Z"),
            ],
        ),
        // L21, L22: created as leads.
        (21, NO_CAMPAIGN, vec![("lead", "2026-09-12T10:00:00Z")]),
        (22, NO_CAMPAIGN, vec![("lead", "2026-09-12T11:00:00Z")]),
        // L23: all in July. L24: all in October.
        (
            23,
            AUTUMN,
            vec![
                ("visitor", "2026-07-01T10:00:00Z"),
                ("lead", "2026-07-02T10:00:00Z"),
            ],
        ),
        (24, AUTUMN, vec![("visitor", "2026-10-03T10:00:00Z")]),
        // L25: created as an MQL (H12), rejected back to lead.
        (
            25,
            WEBINAR,
            vec![
                ("mql", "2026-09-22T10:00:00Z"),
                ("lead", "2026-09-23T10:00:00Z"),
            ],
        ),
        // L26: MQL (H13), sql, then customer straight away (skipping opportunity).
        (
            26,
            AUTUMN,
            vec![
                ("mql", "2026-09-26T10:00:00Z"),
                ("sql", "2026-09-27T10:00:00Z"),
                ("customer", "2026-09-28T10:00:00Z"),
            ],
        ),
        // L27: MQL (H14, no SLA policy), accepted.
        (
            27,
            NO_CAMPAIGN,
            vec![
                ("mql", "2026-09-27T10:00:00Z"),
                ("sql", "2026-09-28T10:00:00Z"),
            ],
        ),
        // L28: MQL (H15) rejected, MQL again (H16) and open.
        (
            28,
            WEBINAR,
            vec![
                ("mql", "2026-09-03T10:00:00Z"),
                ("lead", "2026-09-04T10:00:00Z"),
                ("mql", "2026-09-24T10:00:00Z"),
            ],
        ),
        // L29: imported straight as an evangelist.
        (29, AUTUMN, vec![("evangelist", "2026-09-10T10:00:00Z")]),
        // L30: imported as a customer, then evangelist.
        (
            30,
            NO_CAMPAIGN,
            vec![
                ("customer", "2026-09-15T10:00:00Z"),
                ("evangelist", "2026-09-16T10:00:00Z"),
            ],
        ),
    ]
}

/// One handoff: the lead and its MQL time, who has it, the outcome, and the three clocks
/// as seconds from the MQL time to the event (none: not happened). With an SLA policy the
/// deadlines are 1 h, 4 h and 48 h after the MQL time. Business seconds are half the wall
/// seconds, except where given.
struct H {
    name: &'static str,
    lead: i64,
    mql_at: &'static str,
    rep: &'static str,
    team: &'static str,
    status: &'static str,
    reason: Option<&'static str>,
    rating: Option<i64>,
    sla: bool,
    ack: Option<i64>,
    first_touch: Option<i64>,
    disposition: Option<i64>,
    ack_business: Option<i64>,
}

const ANN: &str = "ann@acme.test";
const BOB: &str = "bob@acme.test";
const CAT: &str = "cat@acme.test";
const DAN: &str = "dan@acme.test";

#[rustfmt::skip]
fn handoffs() -> Vec<H> {
    let h = |name, lead, mql_at, rep, team, status, reason, rating, sla, ack, first_touch, disposition| H {
        name, lead, mql_at, rep, team, status, reason, rating, sla, ack, first_touch, disposition,
        ack_business: None,
    };
    const DAY: i64 = 86_400;
    vec![
        h("H1", 1, "2026-09-04T10:00:00Z", ANN, "east", "accepted", None, Some(5), true, Some(600), Some(3600), Some(DAY)),
        h("H2", 2, "2026-09-04T11:00:00Z", ANN, "east", "rejected", Some("bad_timing"), Some(2), true, Some(1800), Some(18000), Some(2 * DAY)),
        H { ack_business: Some(0), ..h("H3", 2, "2026-09-10T11:00:00Z", BOB, "east", "accepted", None, Some(4), true, Some(7200), Some(10800), Some(2 * DAY)) },
        h("H4", 3, "2026-09-08T09:00:00Z", BOB, "east", "rejected", Some("spam"), Some(1), true, Some(300), Some(1200), Some(DAY)),
        h("H5", 4, "2026-09-29T10:00:00Z", CAT, "west", "open", None, None, true, Some(900), None, None),
        h("H6", 5, "2026-09-30T22:00:00Z", DAN, "west", "open", None, None, true, None, None, None),
        h("H7", 6, "2026-09-06T10:00:00Z", CAT, "west", "accepted", None, Some(5), true, Some(2700), Some(7200), Some(DAY)),
        h("H8", 7, "2026-09-11T10:00:00Z", DAN, "west", "accepted", None, None, true, Some(5400), Some(21600), Some(24 * DAY)),
        h("H9", 9, "2026-09-14T10:00:00Z", ANN, "east", "open", None, None, false, Some(1200), None, None),
        h("H10", 10, "2026-09-18T12:00:00Z", CAT, "west", "accepted", None, Some(3), true, Some(3600), Some(14400), Some(DAY)),
        h("H11", 12, "2026-08-05T10:00:00Z", BOB, "east", "accepted", None, None, true, Some(60), Some(120), Some(DAY)),
        h("H12", 25, "2026-09-22T10:00:00Z", DAN, "west", "rejected", Some("not_a_fit"), Some(2), true, Some(DAY), Some(DAY), Some(DAY)),
        h("H13", 26, "2026-09-26T10:00:00Z", ANN, "east", "accepted", None, Some(4), true, Some(480), Some(2400), Some(DAY)),
        h("H14", 27, "2026-09-27T10:00:00Z", CAT, "west", "accepted", None, None, false, Some(7200), Some(10800), Some(DAY)),
        h("H15", 28, "2026-09-03T10:00:00Z", DAN, "west", "rejected", Some("no_budget"), None, true, Some(3000), Some(14401), Some(DAY)),
        h("H16", 28, "2026-09-24T10:00:00Z", BOB, "east", "open", None, None, true, None, None, None),
    ]
}

/// The breaches the SLA engine would have recorded (clock, handoff): every clock that ran
/// out, by the definitions, including H6's outside the month.
const BREACHES: [(&str, &str); 15] = [
    ("H3", "ack"),
    ("H8", "ack"),
    ("H12", "ack"),
    ("H16", "ack"),
    ("H2", "first_touch"),
    ("H8", "first_touch"),
    ("H12", "first_touch"),
    ("H15", "first_touch"),
    ("H5", "first_touch"),
    ("H16", "first_touch"),
    ("H8", "disposition"),
    ("H5", "disposition"),
    ("H16", "disposition"),
    ("H6", "ack"),
    ("H6", "first_touch"),
];

const TEAMS: &str = r#"
[marketing]
mql_target = 20
mql_target_period = "month"
acceptance_target = 0.6

[[person]]
email = "root@acme.test"
role = "admin"

[[person]]
email = "east-boss@acme.test"
role = "manager"
team = "east"

[[person]]
email = "west-boss@acme.test"
role = "manager"
team = "west"

[[person]]
email = "ann@acme.test"
name = "Ann"
role = "rep"
team = "east"

[[person]]
email = "bob@acme.test"
name = "Bob"
role = "rep"
team = "east"

[[person]]
email = "cat@acme.test"
name = "Cat"
role = "rep"
team = "west"

[[person]]
email = "dan@acme.test"
name = "Dan"
role = "rep"
team = "west"

[[team]]
name = "east"
manager = "east-boss@acme.test"

[[team]]
name = "west"
manager = "west-boss@acme.test"
"#;

/// The config for the data set, reporting in `timezone`.
fn config(dir: &Path, timezone: &str) -> Config {
    Config::from_toml(
        "reports test",
        &config_text(dir, timezone),
        &Default::default(),
    )
    .unwrap()
}

pub fn config_text(dir: &Path, timezone: &str) -> String {
    format!(
        "[database]\nurl = \"sqlite://{}\"\n\n[reporting]\ntimezone = \"{timezone}\"\n{TEAMS}",
        dir.join("baton.db").display()
    )
}

fn ts(t: DateTime<Utc>) -> String {
    baton::store::ts(t)
}

/// A fresh database with the data set: leads through the stage triggers, then handoffs
/// and breaches as the SLA engine would have written them.
pub async fn seeded(dir: &Path) -> Db {
    let db = Db::open(&dir.join("baton.db")).await.unwrap();
    db.migrate().await.unwrap();
    for (id, (campaign, source), steps) in leads() {
        let (first, first_at) = steps[0];
        sqlx::query(
            "INSERT INTO leads (id, external_id, name, campaign, source, stage, stage_changed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(format!("crm-{id}"))
        .bind(format!("Lead {id}"))
        .bind(campaign)
        .bind(source)
        .bind(first)
        .bind(first_at)
        .execute(&db.pool)
        .await
        .unwrap();
        for (stage, stage_at) in &steps[1..] {
            sqlx::query("UPDATE leads SET stage = ?, stage_changed_at = ? WHERE id = ?")
                .bind(stage)
                .bind(stage_at)
                .bind(id)
                .execute(&db.pool)
                .await
                .unwrap();
        }
    }
    for h in handoffs() {
        insert_handoff(&db, &h).await;
    }
    for (name, clock) in BREACHES {
        let due_after = match clock {
            "ack" => 3600,
            "first_touch" => 4 * 3600,
            _ => 48 * 3600,
        };
        let h = handoffs().into_iter().find(|h| h.name == name).unwrap();
        let due = ts(at(h.mql_at) + Duration::seconds(due_after));
        sqlx::query(
            "INSERT INTO sla_breaches (handoff_id, clock, assignee, due_at, recorded_at)
             SELECT id, ?, assignee, ?, ? FROM handoffs WHERE why = ?",
        )
        .bind(clock)
        .bind(&due)
        .bind(&due)
        .bind(name)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    db
}

async fn insert_handoff(db: &Db, h: &H) {
    let mql = at(h.mql_at);
    let event_id: i64 = sqlx::query_scalar(
        "SELECT id FROM lead_events WHERE lead_id = ? AND to_stage = 'mql' AND at = ?",
    )
    .bind(h.lead)
    .bind(ts(mql))
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let after = |secs: Option<i64>| secs.map(|s| ts(mql + Duration::seconds(s)));
    let due = |hours: i64| h.sla.then(|| ts(mql + Duration::hours(hours)));
    let half = |secs: Option<i64>| secs.map(|s| s as f64 / 2.0);
    sqlx::query(
        "INSERT INTO handoffs (lead_id, event_id, assignee, team, why, route_reason, mql_at,
             opened_at, status, reject_reason, rating, acked_at, contacted_at, decided_at,
             sla_policy, ack_due_at, first_touch_due_at, disposition_due_at, ack_s,
             ack_business_s, first_touch_s, first_touch_business_s, disposition_s,
             disposition_business_s)
         VALUES (?, ?, ?, ?, ?, 'test', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(h.lead)
    .bind(event_id)
    .bind(h.rep)
    .bind(h.team)
    // The handoff's name goes in `why`, so that breaches can find it.
    .bind(h.name)
    .bind(ts(mql))
    .bind(ts(mql))
    .bind(h.status)
    .bind(h.reason)
    .bind(h.rating)
    .bind(after(h.ack))
    .bind(after(h.first_touch))
    .bind(after(h.disposition))
    .bind(h.sla.then_some("standard"))
    .bind(due(1))
    .bind(due(4))
    .bind(due(48))
    .bind(h.ack.map(|s| s as f64))
    .bind(h.ack_business.map(|s| s as f64).or(half(h.ack)))
    .bind(h.first_touch.map(|s| s as f64))
    .bind(half(h.first_touch))
    .bind(h.disposition.map(|s| s as f64))
    .bind(half(h.disposition))
    .execute(&db.pool)
    .await
    .unwrap();
}

async fn funnel(db: &Db, config: &Config, period: &str, by: Option<&str>) -> Value {
    let by = by.map(|b| b.parse().unwrap());
    let json = baton::reports::funnel_json(db, config, Period::parse(period).unwrap(), by, at(NOW))
        .await
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// (stage, entered, converted) in funnel order; evangelist's converted is null.
#[track_caller]
fn check_stages(stages: &Value, expect: [(&str, u64, u64); 7]) {
    let stages = stages.as_array().unwrap();
    assert_eq!(stages.len(), 7);
    for (row, (stage, entered, converted)) in stages.iter().zip(expect) {
        assert_eq!(row["stage"], stage, "{row}");
        assert_eq!(row["entered"], entered, "{row}");
        if stage == "evangelist" {
            assert_eq!(row["converted"], Value::Null, "{row}");
            assert_eq!(row["conversion"], Value::Null, "{row}");
        } else {
            assert_eq!(row["converted"], converted, "{row}");
            let conversion = (entered > 0).then(|| converted as f64 / entered as f64);
            assert_eq!(row["conversion"], json!(conversion), "{row}");
        }
    }
}

#[track_caller]
fn check_speed(
    speed: &Value,
    median: Option<f64>,
    p90: Option<f64>,
    business: (Option<f64>, Option<f64>),
    met: u64,
    breached: u64,
) {
    assert_eq!(speed["median_s"], json!(median), "{speed}");
    assert_eq!(speed["p90_s"], json!(p90), "{speed}");
    assert_eq!(speed["median_business_s"], json!(business.0), "{speed}");
    assert_eq!(speed["p90_business_s"], json!(business.1), "{speed}");
    assert_eq!(speed["met"], met, "{speed}");
    assert_eq!(speed["breached"], breached, "{speed}");
    let compliance = (met + breached > 0).then(|| met as f64 / (met + breached) as f64);
    assert_eq!(speed["compliance"], json!(compliance), "{speed}");
}

#[tokio::test]
async fn the_funnel_of_last_month_in_berlin_matches_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), "Europe/Berlin");
    let r = funnel(&db, &config, "last-month", None).await;

    assert_eq!(
        r["period"],
        json!({
            "name": "last-month",
            "from": "2026-09-01T00:00:00+02:00",
            "to": "2026-10-01T00:00:00+02:00",
            "timezone": "Europe/Berlin",
        })
    );
    // visitor: L1 L2 L4 L5 L6 L8 L10 L11, L13..L17 (5), L18..L20 (3) = 16; gone further:
    //   all but L11 and L13..L17 = 10.
    // lead: L1 L2 L3 L4 L5 L6 L7 L8 L10, L18..L20, L21 L22, L25, L28 = 16 (L2 and L8 twice,
    //   counted once); to mql or beyond after their first September entry: L1 L2 L3 L4
    //   L5 (mql on 30 Sep 22:00Z, after the month but before now) L6 L7 L10 L28 = 9.
    // mql: L1 L2 L3 L4 L6 L7 L9 L10 L25 L26 L27 L28 = 12 (not L5: Berlin's 1 October);
    //   to sql or beyond: L1 L2 L6 L7 (on 5 Oct) L10 L26 L27 = 7 (L3 was disqualified).
    // sql: L1 L2 L6 L10 L12 L26 L27 = 7; further: L1 L6 L10 L12 L26 (customer) = 5.
    // opportunity: L1 L6 L10 L12 = 4; further: L1 (customer 2 Oct) L6 = 2.
    // customer: L6 L26 L30 = 3; further: L6 L30 = 2.
    // evangelist: L6 L29 L30 = 3.
    check_stages(
        &r["stages"],
        [
            ("visitor", 16, 10),
            ("lead", 16, 9),
            ("mql", 12, 7),
            ("sql", 7, 5),
            ("opportunity", 4, 2),
            ("customer", 3, 2),
            ("evangelist", 3, 0),
        ],
    );

    // Handoffs opened in the month: H1-H5, H7-H10, H12-H16 = 14 (H6 is October's, H11
    // August's). Accepted H1 H3 H7 H8 H10 H13 H14 = 7; rejected H2 H4 H12 H15 = 4;
    // open H5 H9 H16 = 3.
    assert_eq!(
        r["handoffs"],
        json!({
            "opened": 14, "accepted": 7, "rejected": 4, "open": 3, "duplicates": 0,
            "reject_reasons": {"bad_timing": 1, "no_budget": 1, "not_a_fit": 1, "spam": 1},
        })
    );

    // Ack, wall seconds of the 13 that happened, sorted:
    //   300 480 600 900 1200 1800 2700 3000 3600 5400 7200 7200 86400
    //   median = ⌈6.5⌉ = 7th = 2700; p90 = ⌈11.7⌉ = 12th = 7200.
    // Business (half, H3's 0): 0 150 240 300 450 600 900 1350 1500 1800 2700 3600 43200
    //   → 7th = 900, 12th = 3600.
    // Met (by the 1 h deadline): H1 H2 H4 H5 H7 H10 (exactly 1 h) H13 H15 = 8; breached:
    //   H3 H8 H12, and H16 never acked = 4; H9 and H14 have no SLA.
    check_speed(
        &r["speed"]["ack"],
        Some(2700.0),
        Some(7200.0),
        (Some(900.0), Some(3600.0)),
        8,
        4,
    );
    // First touch, 11 happened: 1200 2400 3600 7200 10800 10800 14400 14401 18000 21600
    //   86400 → median ⌈5.5⌉ = 6th = 10800; p90 ⌈9.9⌉ = 10th = 21600; business halves:
    //   5400 and 10800. Met (4 h): H1 H3 H4 H7 H10 (exactly 4 h) H13 = 6; breached: H2 H8
    //   H12 H15 (4 h 1 s), and H5 H16 with no touch yet = 6.
    check_speed(
        &r["speed"]["first_touch"],
        Some(10800.0),
        Some(21600.0),
        (Some(5400.0), Some(10800.0)),
        6,
        6,
    );
    // Disposition, 11 decided: 86400 ×8, 172800 ×2, 2073600 → 6th = 86400, 10th = 172800;
    //   business 43200 and 86400. Met (48 h): H1 H2 (exactly) H3 (exactly) H4 H7 H10 H12
    //   H13 H15 = 9; breached: H8 (24 days), H5 and H16 still open past 48 h = 3.
    check_speed(
        &r["speed"]["disposition"],
        Some(86400.0),
        Some(172800.0),
        (Some(43200.0), Some(86400.0)),
        9,
        3,
    );

    // October in Berlin runs [30 Sep 22:00Z, 31 Oct 23:00Z): 31 days and the hour DST
    // gives back = 745 h; by now 14 d 12 h = 348 h have passed. One MQL (L5 at its first
    // instant): pace = 1 / (348/745) = 745/348.
    let mql = &r["target"]["mql"];
    assert_eq!(mql["period"], "month");
    assert_eq!(mql["from"], "2026-10-01T00:00:00+02:00");
    assert_eq!(mql["to"], "2026-11-01T00:00:00+01:00");
    assert_eq!(mql["entered"], 1);
    assert_eq!(mql["target"], 20);
    assert!((mql["elapsed"].as_f64().unwrap() - 348.0 / 745.0).abs() < 1e-12);
    assert!((mql["pace"].as_f64().unwrap() - 745.0 / 348.0).abs() < 1e-9);
    assert_eq!(mql["on_pace"], false);
    // Acceptance: 7 of 11 decided = 0.636 ≥ 0.6.
    assert_eq!(
        r["target"]["acceptance"],
        json!({"count": 7, "n": 11, "rate": 7.0 / 11.0, "target": 0.6, "met": true})
    );

    // Quality by source: web H1 H2 H3 H4 H5 H13 (3 of 5 decided accepted; ratings 5 2 4
    // 1 4 → 3.2); events H7 H8 H9 H12 H15 H16 (2 of 4; ratings 5 2 → 3.5); ads H10 H14
    // (2 of 2; rating 3). Ties in handoffs go by name.
    let quality = |key: &str, handoffs: u64, accepted: u64, n: u64, mean: f64, rated: u64| {
        json!({
            "key": key, "handoffs": handoffs,
            "acceptance": {"count": accepted, "n": n, "rate": accepted as f64 / n as f64},
            "rating": {"mean": mean, "n": rated},
        })
    };
    assert_eq!(
        r["quality"]["source"],
        json!([
            quality("events", 6, 2, 4, 3.5, 2),
            quality("web", 6, 3, 5, 3.2, 5),
            quality("ads", 2, 2, 2, 3.0, 1),
        ])
    );
    assert_eq!(
        r["quality"]["campaign"],
        json!([
            quality("autumn", 6, 3, 5, 3.2, 5),
            quality("webinar", 6, 2, 4, 3.5, 2),
            quality("(none)", 2, 2, 2, 3.0, 1),
        ])
    );

    // Reps, by their handoffs' leads reaching sql / opportunity / customer after the
    // handoff and before the lead's next MQL entry (SPEC §7):
    //   ann H1 (customer) H2 (-: L2 reached sql only after its next MQL, H3's) H9 (-)
    //   H13 (customer): 2/4, 2/4, 2/4
    //   cat H5 (-) H7 (customer) H10 (opportunity) H14 (sql): 3/4, 2/4, 1/4
    //   bob H3 (sql) H4 (-) H16 (-): 1/3, 0/3, 0/3
    //   dan H8 (sql, 5 Oct) H12 (-) H15 (-): 1/3, 0/3, 0/3 (ties bob: by email)
    let rep = |rep: &str, n: u64, sql: u64, opp: u64, cust: u64| {
        let rate = |c: u64| json!({"count": c, "n": n, "rate": c as f64 / n as f64});
        json!({"rep": rep, "handoffs": n, "sql": rate(sql), "opportunity": rate(opp), "customer": rate(cust)})
    };
    assert_eq!(
        r["ranking"]["reps"],
        json!({
            "top": [rep(CAT, 4, 3, 2, 1), rep(ANN, 4, 2, 2, 2), rep(BOB, 3, 1, 0, 0)],
            "bottom": [rep(DAN, 3, 1, 0, 0)],
        })
    );
    // Campaigns, by leads that entered sql, opportunity, customer in the month:
    //   autumn: sql L1 L2 L26, opportunity L1, customer L26; webinar: L6 for each.
    assert_eq!(
        r["ranking"]["campaigns"],
        json!({
            "top": [
                {"campaign": "autumn", "sql": 3, "opportunity": 1, "customer": 1},
                {"campaign": "webinar", "sql": 1, "opportunity": 1, "customer": 1},
            ],
            "bottom": [],
        })
    );
    assert!(r.get("groups").is_none(), "groups only with `by`");
    assert!(r.get("by").is_none());
}

#[tokio::test]
async fn the_funnel_by_campaign_splits_stages_and_handoffs() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), "Europe/Berlin");
    let r = funnel(&db, &config, "last-month", Some("campaign")).await;
    assert_eq!(r["by"], "campaign");
    let groups = r["groups"].as_array().unwrap();
    let keys: Vec<&str> = groups.iter().map(|g| g["key"].as_str().unwrap()).collect();
    // autumn and webinar have 6 handoffs each; autumn has more stage entries (25 to 22).
    assert_eq!(keys, ["autumn", "webinar", "(none)"]);
    // autumn (L1-L5, L13-L17, L26, L29): visitor L1 L2 L4 L5 L13-17 = 9, further L1 L2
    //   L4 L5 = 4; lead L1-L5 = 5, all further; mql L1 L2 L3 L4 L26 = 5, further L1 L2
    //   L26 = 3; sql L1 L2 L26 = 3, further L1 L26 = 2; opportunity L1 (1, 1); customer
    //   L26 (1, 0); evangelist L29.
    check_stages(
        &groups[0]["stages"],
        [
            ("visitor", 9, 4),
            ("lead", 5, 5),
            ("mql", 5, 3),
            ("sql", 3, 2),
            ("opportunity", 1, 1),
            ("customer", 1, 0),
            ("evangelist", 1, 0),
        ],
    );
    // webinar (L6-L9, L18-L20, L25, L28): visitor L6 L8 L18-20 = 5, all further; lead L6
    //   L7 L8 L18-20 L25 L28 = 8, further L6 L7 L28 = 3; mql L6 L7 L9 L25 L28 = 5,
    //   further L6 L7 = 2; then L6 alone to evangelist.
    check_stages(
        &groups[1]["stages"],
        [
            ("visitor", 5, 5),
            ("lead", 8, 3),
            ("mql", 5, 2),
            ("sql", 1, 1),
            ("opportunity", 1, 1),
            ("customer", 1, 1),
            ("evangelist", 1, 0),
        ],
    );
    // No campaign (L10-L12, L21, L22, L27, L30): visitor L10 L11 (1 further); lead L10
    //   L21 L22 (1); mql L10 L27 (2); sql L10 L12 L27 (L10 L12 further); opportunity L10
    //   L12 (0); customer L30 (1); evangelist L30.
    check_stages(
        &groups[2]["stages"],
        [
            ("visitor", 2, 1),
            ("lead", 3, 1),
            ("mql", 2, 2),
            ("sql", 3, 2),
            ("opportunity", 2, 0),
            ("customer", 1, 1),
            ("evangelist", 1, 0),
        ],
    );
    // autumn's handoffs H1 H2 H3 H4 H5 H13: accepted H1 H3 H13, rejected H2 H4, open H5.
    assert_eq!(
        groups[0]["handoffs"],
        json!({"opened": 6, "accepted": 3, "rejected": 2, "open": 1,
               "reject_reasons": {"bad_timing": 1, "spam": 1}})
    );
    // Reached sql: H1 H3 H13 = 3 of 6 (L2's sql is H3's, after the MQL entry that opened
    // H3, not H2's); opportunity H1 H13; customer H1 H13.
    assert_eq!(groups[0]["converted"]["sql"]["count"], 3);
    assert_eq!(groups[0]["converted"]["customer"]["count"], 2);
    // Ack within autumn: 600 1800 7200 300 900 480 → sorted 300 480 600 900 1800 7200,
    // median 3rd = 600; met H1 H2 H4 H5 H13 = 5, breached H3 = 1.
    check_speed(
        &groups[0]["speed"]["ack"],
        Some(600.0),
        Some(7200.0),
        (Some(240.0), Some(900.0)),
        5,
        1,
    );
    // The stage sums of the groups are the funnel's.
    check_stages(
        &r["stages"],
        [
            ("visitor", 16, 10),
            ("lead", 16, 9),
            ("mql", 12, 7),
            ("sql", 7, 5),
            ("opportunity", 4, 2),
            ("customer", 3, 2),
            ("evangelist", 3, 0),
        ],
    );

    // By source the stage groups follow the source (web = autumn, events = webinar).
    let r = funnel(&db, &config, "last-month", Some("source")).await;
    let keys: Vec<&str> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    // web and events have 6 handoffs each; web has more entries (25 to 22).
    assert_eq!(keys, ["web", "events", "ads"]);
    assert_eq!(r["groups"][2]["stages"][0]["entered"], 2);

    // By rep: handoffs only, no stages. ann H1 H2 H9 H13 and cat H5 H7 H10 H14 have 4
    // each; bob H3 H4 H16 and dan H8 H12 H15 have 3.
    let r = funnel(&db, &config, "last-month", Some("rep")).await;
    let groups = r["groups"].as_array().unwrap();
    let keys: Vec<&str> = groups.iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(keys, [ANN, CAT, BOB, DAN]);
    assert!(groups[0].get("stages").is_none());
    // ann: accepted H1 H13, rejected H2, open H9 → 2 of 3; ratings 5 2 4 → 11/3.
    assert_eq!(
        groups[0]["acceptance"],
        json!({"count": 2, "n": 3, "rate": 2.0 / 3.0})
    );
    assert_eq!(groups[0]["rating"], json!({"mean": 11.0 / 3.0, "n": 3}));

    // By team: east H1 H2 H3 H4 H9 H13 H16 = 7, west H5 H7 H8 H10 H12 H14 H15 = 7.
    let r = funnel(&db, &config, "last-month", Some("team")).await;
    let groups = r["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["key"], "east");
    assert_eq!(groups[0]["handoffs"]["opened"], 7);
    assert_eq!(groups[1]["handoffs"]["opened"], 7);
}

#[tokio::test]
async fn periods_at_month_and_quarter_boundaries_and_in_utc() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let berlin = config(dir.path(), "Europe/Berlin");

    // Berlin's third quarter, [30 Jun 22:00Z, 30 Sep 22:00Z): September plus L23 (visitor
    // and lead in July), L12 (visitor, lead, mql in August) and L3's August visitor.
    //   visitor 16 + L23 + L12 + L3 = 19; further 10 + 3 = 13.
    //   lead 16 + L23 + L12 = 18; further 9 + L12 (mql 5 Aug) = 10.
    //   mql 12 + L12 = 13; further 7 + L12 (sql 3 Sep) = 8. The rest as in September.
    let r = funnel(&db, &berlin, "last-quarter", None).await;
    assert_eq!(r["period"]["from"], "2026-07-01T00:00:00+02:00");
    assert_eq!(r["period"]["to"], "2026-10-01T00:00:00+02:00");
    check_stages(
        &r["stages"],
        [
            ("visitor", 19, 13),
            ("lead", 18, 10),
            ("mql", 13, 8),
            ("sql", 7, 5),
            ("opportunity", 4, 2),
            ("customer", 3, 2),
            ("evangelist", 3, 0),
        ],
    );
    // H11 (5 Aug, accepted) joins the 14.
    assert_eq!(r["handoffs"]["opened"], 15);
    assert_eq!(r["handoffs"]["accepted"], 8);

    // This quarter, from Berlin's 1 October to now: L5's mql (its first instant), L1's
    // customer (2 Oct), L24's visitor (3 Oct), L7's sql (5 Oct), and L8's second nurture
    // loop (visitor 8 Oct, lead 10 Oct). Only L8's visitor has gone further (its lead).
    let r = funnel(&db, &berlin, "this-quarter", None).await;
    assert_eq!(r["period"]["from"], "2026-10-01T00:00:00+02:00");
    assert_eq!(r["period"]["to"], "2026-10-15T12:00:00+02:00");
    check_stages(
        &r["stages"],
        [
            ("visitor", 2, 1),
            ("lead", 1, 0),
            ("mql", 1, 0),
            ("sql", 1, 0),
            ("opportunity", 0, 0),
            ("customer", 1, 0),
            ("evangelist", 0, 0),
        ],
    );
    assert_eq!(r["handoffs"]["opened"], 1); // H6

    // The same September in UTC, [1 Sep 00:00Z, 1 Oct 00:00Z): L5's visitor (31 Aug 22:00Z)
    // falls out, its mql (30 Sep 22:00Z, H6) comes in.
    //   visitor 16 - L5 = 15, further 10 - 1 = 9; lead unchanged 16 / 9;
    //   mql 12 + L5 = 13, further still 7 (L5 never reached sql).
    let utc = config(dir.path(), "UTC");
    let r = funnel(&db, &utc, "last-month", None).await;
    assert_eq!(
        r["period"],
        json!({"name": "last-month", "from": "2026-09-01T00:00:00Z",
               "to": "2026-10-01T00:00:00Z", "timezone": "UTC"})
    );
    check_stages(
        &r["stages"],
        [
            ("visitor", 15, 9),
            ("lead", 16, 9),
            ("mql", 13, 7),
            ("sql", 7, 5),
            ("opportunity", 4, 2),
            ("customer", 3, 2),
            ("evangelist", 3, 0),
        ],
    );
    assert_eq!(r["handoffs"]["opened"], 15);
    assert_eq!(r["handoffs"]["open"], 4);
    // Explicit days are whole local days too: 30 September alone in Berlin holds L5's lead
    // (21:59:59.999Z) and L10's opportunity (21:00Z), nothing else.
    let r = funnel(&db, &berlin, "2026-09-30..2026-09-30", None).await;
    check_stages(
        &r["stages"],
        [
            ("visitor", 0, 0),
            ("lead", 1, 1),
            ("mql", 0, 0),
            ("sql", 0, 0),
            ("opportunity", 1, 0),
            ("customer", 0, 0),
            ("evangelist", 0, 0),
        ],
    );
}

#[tokio::test]
async fn a_stage_change_dated_in_the_future_does_not_count_as_converted_yet() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), "Europe/Berlin");
    // L4 (MQL on 29 Sep, H5) is moved to sql with a date five days after now.
    sqlx::query(
        "UPDATE leads SET stage = 'sql', stage_changed_at = '2026-10-20T10:00:00Z' WHERE id = 4",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let r = funnel(&db, &config, "last-month", None).await;
    // Still 7 of 12 MQLs further by now, and H5 has not reached sql yet: Cat's handoffs
    // reached sql 3 times (H7 H10 H14).
    assert_eq!(r["stages"][2]["converted"], 7);
    assert_eq!(r["ranking"]["reps"]["top"][0]["rep"], CAT);
    assert_eq!(r["ranking"]["reps"]["top"][0]["sql"]["count"], 3);
    // Five days later it has.
    let later = baton::reports::funnel_json(
        &db,
        &config,
        Period::Range(
            chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
        ),
        None,
        at("2026-10-21T00:00:00Z"),
    )
    .await
    .unwrap();
    let later: Value = serde_json::from_str(&later).unwrap();
    assert_eq!(later["stages"][2]["converted"], 8);
}

#[tokio::test]
async fn the_sla_report_per_team_and_rep() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), "Europe/Berlin");
    let period = Period::LastMonth;
    let json = baton::reports::sla_json(&db, &config, period, None, None, at(NOW))
        .await
        .unwrap();
    let r: Value = serde_json::from_str(&json).unwrap();
    // The same 14 handoffs and clocks as the funnel; 13 recorded breaches (H6's two are
    // October's).
    assert_eq!(r["overall"]["handoffs"], 14);
    assert_eq!(r["overall"]["breaches"], 13);
    assert_eq!(r["breaches"]["count"], 13);
    check_speed(
        &r["overall"]["ack"],
        Some(2700.0),
        Some(7200.0),
        (Some(900.0), Some(3600.0)),
        8,
        4,
    );
    let teams = r["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 2);
    // east: ann H1 H2 H9 H13, bob H3 H4 H16. Ack met H1 H2 H13 H4, breached H3 H16 (4/6);
    // first touch met H1 H13 H3 H4, breached H2 H16 (4/6); disposition met H1 H2 H13 H3
    // H4, breached H16 (5/6). Breaches: ann H2 first touch; bob H3 ack, H16 ×3 = 5.
    let east = &teams[0];
    assert_eq!(east["team"], "east");
    assert_eq!(east["handoffs"], 7);
    assert_eq!(east["breaches"], 5);
    assert_eq!(
        (east["ack"]["met"].clone(), east["ack"]["breached"].clone()),
        (json!(4), json!(2))
    );
    assert_eq!(east["first_touch"]["met"], 4);
    assert_eq!(east["disposition"]["met"], 5);
    assert_eq!(east["disposition"]["breached"], 1);
    let reps: Vec<&str> = east["reps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rep"].as_str().unwrap())
        .collect();
    assert_eq!(reps, [ANN, BOB]);
    // ann: ack 600 1800 1200 480 → sorted 480 600 1200 1800: median 2nd = 600, p90 4th =
    // 1800; met 3 (H9 has no SLA), breached 0.
    let ann = &east["reps"][0];
    assert_eq!(ann["name"], "Ann");
    assert_eq!(ann["handoffs"], 4);
    assert_eq!(ann["breaches"], 1);
    // Business: 300 900 600 240 → 240 300 600 900: 2nd = 300, 4th = 900.
    check_speed(
        &ann["ack"],
        Some(600.0),
        Some(1800.0),
        (Some(300.0), Some(900.0)),
        3,
        0,
    );
    // west: cat H5 H7 H10 H14, dan H8 H12 H15. dan: ack 5400 86400 3000 → median 2nd =
    // 5400, p90 ⌈2.7⌉ = 3rd = 86400; met H15, breached H8 H12; first touch 0 of 3;
    // breaches H8 ×3, H12 ×2, H15 = 6; cat H5 ×2 = 2.
    let west = &teams[1];
    assert_eq!(west["breaches"], 8);
    let dan = &west["reps"][1];
    assert_eq!(dan["rep"], DAN);
    assert_eq!(dan["breaches"], 6);
    check_speed(
        &dan["ack"],
        Some(5400.0),
        Some(86400.0),
        (Some(2700.0), Some(43200.0)),
        1,
        2,
    );
    assert_eq!(dan["first_touch"]["met"], 0);
    assert_eq!(dan["first_touch"]["breached"], 3);
    // The latest breach by deadline: H5's decision, due 1 Oct 10:00Z, still open: overdue
    // by 14 days at now.
    let latest = &r["breaches"]["latest"][0];
    assert_eq!(latest["lead_id"], 4);
    assert_eq!(latest["clock"], "disposition");
    assert_eq!(latest["rep"], CAT);
    assert_eq!(latest["stopped_at"], Value::Null);
    assert_eq!(latest["late_s"], 14.0 * 86400.0);
    // H8's decision came 22 days after its deadline (24 days after the MQL, due at 2).
    let h8 = r["breaches"]["latest"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["lead_id"] == 7 && b["clock"] == "disposition")
        .unwrap()
        .clone();
    assert_eq!(h8["late_s"], 22.0 * 86400.0);

    // One team, case-insensitive: west alone.
    let json = baton::reports::sla_json(&db, &config, period, Some("WEST"), None, at(NOW))
        .await
        .unwrap();
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["team"], "west");
    assert_eq!(r["overall"]["handoffs"], 7);
    assert_eq!(r["overall"]["breaches"], 8);
    assert_eq!(r["teams"].as_array().unwrap().len(), 1);

    // A rep sees their own: ann's 4 handoffs and 1 breach.
    let json = baton::reports::sla_json(&db, &config, period, None, Some(ANN), at(NOW))
        .await
        .unwrap();
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["rep"], ANN);
    assert_eq!(r["overall"]["handoffs"], 4);
    assert_eq!(r["overall"]["breaches"], 1);
    assert_eq!(r["teams"][0]["reps"].as_array().unwrap().len(), 1);

    // An unknown team is a mistake explained to the person.
    assert_eq!(
        baton::reports::check_team(&config, "north").map_err(|e| e.to_string()),
        Err("there is no team \"north\": use one of east, west (or no team for all)".into())
    );
    assert!(
        baton::reports::sla_text(&db, &config, period, Some("north"), None, at(NOW))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_text_reports_align_columns_and_show_n() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), "Europe/Berlin");
    let text = baton::reports::funnel_text(&db, &config, Period::LastMonth, None, at(NOW))
        .await
        .unwrap();
    assert!(
        text.starts_with(
            "Funnel for last-month (2026-09-01 00:00 to 2026-10-01 00:00, Europe/Berlin)\n```\n"
        ),
        "{text}"
    );
    // Names left, numbers right, every percentage with its n (10 of 16 is 62.5%: 63%).
    for block in [
        "```
stage        entered  went further
visitor           16    63% (n=16)
lead              16    56% (n=16)
mql               12    58% (n=12)
sql                7     71% (n=7)
opportunity        4     50% (n=4)
customer           3     67% (n=3)
evangelist         3             –
```
Handoffs opened: 14 (7 accepted, 4 rejected, 3 still open).
Acceptance: 64% (n=11), target 60%: met.
Rejected for: bad_timing 1, no_budget 1, not_a_fit 1, spam 1.
Speed from MQL:
```
clock        median    p90  median (business)  p90 (business)  compliance
ack             45m  2h 0m                15m           1h 0m  67% (n=12)
first touch   3h 0m  6h 0m             1h 30m           3h 0m  50% (n=12)
decision      1d 0h  2d 0h             12h 0m           1d 0h  75% (n=12)
```
MQLs this month (47% of it gone): 1 of 20, pace 2: behind.
Quality by source:
```
source  handoffs  acceptance     rating
events         6   50% (n=4)  3.5 (n=2)
web            6   60% (n=5)  3.2 (n=5)
ads            2  100% (n=2)  3.0 (n=1)
```",
        "```
rep              handoffs     to sql  to opportunity  to customer
top:
  cat@acme.test         4  75% (n=4)       50% (n=4)    25% (n=4)
  ann@acme.test         4  50% (n=4)       50% (n=4)    50% (n=4)
  bob@acme.test         3  33% (n=3)        0% (n=3)     0% (n=3)
bottom:
  dan@acme.test         3  33% (n=3)        0% (n=3)     0% (n=3)
```",
    ] {
        assert!(text.contains(block), "no\n{block}\nin\n{text}");
    }
    let sla = baton::reports::sla_text(&db, &config, Period::LastMonth, None, None, at(NOW))
        .await
        .unwrap();
    // Rep and team lines, worked out in the_sla_report_per_team_and_rep; median acks:
    // Bob 300 7200 → 1st = 5m; east 300 480 600 1200 1800 7200 → 3rd = 10m; west 900
    // 2700 3000 3600 5400 7200 86400 → 4th = 1h 0m. Breaches newest deadline first, with
    // how late the clock stopped (H8's ack at 11:30 for 11:00) or how overdue it is.
    for block in [
        "Team east: 7 handoffs, 5 breaches.
```
rep   handoffs         ack  first touch    decision  median ack  breaches
Ann          4  100% (n=3)    67% (n=3)  100% (n=3)         10m         1
Bob          3   33% (n=3)    67% (n=3)   67% (n=3)          5m         4
team         7   67% (n=6)    67% (n=6)   83% (n=6)         10m         5
```
Team west: 7 handoffs, 8 breaches.
```
rep   handoffs         ack  first touch   decision  median ack  breaches
Cat          4  100% (n=3)    67% (n=3)  67% (n=3)         45m         2
Dan          3   33% (n=3)     0% (n=3)  67% (n=3)      1h 30m         6
team         7   67% (n=6)    33% (n=6)  67% (n=6)       1h 0m         8
```",
        "• lead #4 Lead 4: decision, Cat, overdue by 14d 0h
• lead #4 Lead 4: first touch, Cat, overdue by 15d 20h
• lead #28 Lead 28: decision, Bob, overdue by 19d 0h",
        "• lead #7 Lead 7: ack, Dan, 30m late\n",
    ] {
        assert!(sla.contains(block), "no\n{block}\nin\n{sla}");
    }
}

#[tokio::test]
async fn baton_funnel_and_sla_print_json_with_the_fixed_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    drop(db);
    let path = dir.path().join("baton.toml");
    std::fs::write(&path, config_text(dir.path(), "Europe/Berlin")).unwrap();
    let baton = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(args)
            .arg("--config")
            .arg(&path)
            .env("BATON_LOG", "warn")
            .env_remove("BATON_CONFIG")
            .output()
            .unwrap()
    };
    let out = baton(&["funnel", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    for key in ["period", "stages", "handoffs", "speed", "target"] {
        assert!(r.get(key).is_some(), "no {key} in {keys:?}");
    }
    assert!(r.get("groups").is_none());
    for key in ["from", "to", "timezone"] {
        assert!(r["period"][key].is_string(), "period.{key}");
    }
    assert_eq!(r["period"]["name"], "30d");
    let stages: Vec<&str> = r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "visitor",
            "lead",
            "mql",
            "sql",
            "opportunity",
            "customer",
            "evangelist"
        ]
    );
    for key in ["opened", "accepted", "rejected", "open", "reject_reasons"] {
        assert!(r["handoffs"].get(key).is_some(), "handoffs.{key}");
    }
    for clock in ["ack", "first_touch", "disposition"] {
        for key in [
            "median_s",
            "p90_s",
            "median_business_s",
            "p90_business_s",
            "met",
            "breached",
            "compliance",
        ] {
            assert!(r["speed"][clock].get(key).is_some(), "speed.{clock}.{key}");
        }
    }

    let out = baton(&[
        "funnel",
        "2026-09-01..2026-09-30",
        "by",
        "campaign",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["groups"].as_array().unwrap().len(), 3);
    assert_eq!(r["stages"][0]["entered"], 16);

    let out = baton(&["sla", "west", "last-month", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["team"], "west");

    // Mistakes exit 2 with the problem and the usage.
    for (args, problem) in [
        // The same words as in chat (command::grammar reads both).
        (&["funnel", "by"][..], "\"by\" needs a dimension"),
        (
            &["funnel", "by", "colour"][..],
            "unknown dimension \"colour\"",
        ),
        (&["funnel", "7d", "30d"][..], "only one period is allowed"),
        (&["funnel", "13x"][..], "\"13x\" is not a period"),
        (&["sla", "north"][..], "there is no team \"north\""),
        (&["sla", "7d", "30d"][..], "only one period is allowed"),
    ] {
        let out = baton(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(problem), "{args:?}: {err}");
        assert!(err.contains("usage: baton "), "{args:?}: {err}");
    }
}

/// Random histories, written in random order and then partly rewritten, give the same
/// counts from the day totals as from reading every entry, for many windows.
#[tokio::test]
async fn day_totals_agree_with_reading_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("baton.db")).await.unwrap();
    db.migrate().await.unwrap();
    let mut rng = SmallRng::seed_from_u64(7);
    let stages = [
        "visitor",
        "lead",
        "mql",
        "sql",
        "opportunity",
        "customer",
        "evangelist",
        "disqualified",
    ];
    let start = at("2026-08-01T00:00:00Z");
    let random_at = |rng: &mut SmallRng| {
        ts(start + Duration::milliseconds(rng.random_range(0..40 * 86_400_000)))
    };
    for id in 1..=60 {
        let campaign = ["a", "b", ""][rng.random_range(0..3)];
        sqlx::query("INSERT INTO leads (id, campaign, source, stage, stage_changed_at) VALUES (?, NULLIF(?, ''), 's', 'visitor', ?)")
            .bind(id)
            .bind(campaign)
            .bind(random_at(&mut rng))
            .execute(&db.pool)
            .await
            .unwrap();
    }
    for _ in 0..600 {
        sqlx::query("INSERT INTO lead_events (lead_id, to_stage, at) VALUES (?, ?, ?)")
            .bind(rng.random_range(1..=60))
            .bind(stages[rng.random_range(0..stages.len())])
            .bind(random_at(&mut rng))
            .execute(&db.pool)
            .await
            .unwrap();
    }
    for _ in 0..20 {
        sqlx::query("UPDATE lead_events SET at = ? WHERE id = ?")
            .bind(random_at(&mut rng))
            .bind(rng.random_range(1..=600))
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM lead_events WHERE id = ?")
            .bind(rng.random_range(1..=600))
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE leads SET campaign = 'c' WHERE id = ?")
            .bind(rng.random_range(1..=60))
            .execute(&db.pool)
            .await
            .unwrap();
    }
    for _ in 0..60 {
        let from = start + Duration::milliseconds(rng.random_range(-86_400_000..42 * 86_400_000));
        let to = from + Duration::milliseconds(rng.random_range(0..20 * 86_400_000));
        let now = to.max(at("2026-09-12T00:00:00Z"));
        let window = baton::domain::period::Window { from, to };
        for key in [LeadKey::Campaign, LeadKey::Source] {
            let only = [None, Some(Stage::Mql)][rng.random_range(0..2)];
            let mut fast = reports::entries(&db.pool, key, window, now, only)
                .await
                .unwrap();
            let mut scan = reports::entries_by_scan(&db.pool, key, window, now, only)
                .await
                .unwrap();
            let order = |e: &reports::EntryCount| (e.stage.as_str(), e.key.clone());
            fast.sort_by_key(order);
            scan.sort_by_key(order);
            assert_eq!(fast, scan, "{window:?} at {now} by {key:?}");
        }
    }
}

/// Other processes run the report triggers with their own SQLite library.
#[tokio::test]
async fn stage_changes_written_by_another_process_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), "Europe/Berlin");
    let out = crate::harness::external_sql(
        &dir.path().join("baton.db"),
        "UPDATE leads SET stage = 'lead', stage_changed_at = '2026-09-22T10:00:00Z' WHERE id = 11;
         INSERT OR REPLACE INTO leads (external_id, campaign, source, stage, stage_changed_at)
             VALUES ('crm-11', 'webinar', 'events', 'mql', '2026-09-23T10:00:00Z');",
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = funnel(&db, &config, "last-month", Some("campaign")).await;
    // L11 now went further as a visitor (10 → 11 of 16), entered lead (17, and went on to
    // mql) and mql (13, not further), and moved to webinar with all its entries.
    check_stages(
        &r["stages"],
        [
            ("visitor", 16, 11),
            ("lead", 17, 10),
            ("mql", 13, 7),
            ("sql", 7, 5),
            ("opportunity", 4, 2),
            ("customer", 3, 2),
            ("evangelist", 3, 0),
        ],
    );
    let webinar = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "webinar")
        .unwrap()
        .clone();
    assert_eq!(webinar["stages"][0]["entered"], 6);
    assert_eq!(webinar["stages"][2]["entered"], 6);
}

/// `/funnel` and `/sla` typed in chat: anyone known gets the funnel; an unknown team is a
/// refusal that names the teams.
#[tokio::test]
async fn funnel_and_sla_answer_in_chat() {
    let app = crate::harness::TestApp::spawn("").await;
    app.external(
        "INSERT INTO leads (external_id, name, source, stage, stage_changed_at) VALUES ('c1', 'Cy', 'ads', 'mql', '2026-11-16T10:00:00Z');",
    )
    .await;
    app.wait("handoff", |c| c.handoffs_opened >= 1).await;
    let (ok, text) = app.command("ann@acme.test", "/funnel 7d").await;
    assert!(ok, "{text}");
    assert!(text.contains("mql"), "{text}");
    let (ok, text) = app.command("boss@acme.test", "/sla 7d").await;
    assert!(ok, "{text}");
    let (ok, text) = app.command("boss@acme.test", "/sla 7d north").await;
    assert!(!ok);
    assert!(
        text.starts_with("there is no team \"north\": use one of sales"),
        "{text}"
    );
    let (ok, text) = app.command("nobody@else.test", "/funnel").await;
    assert!(!ok, "{text}");
    app.drained().await;
}

/// A digest team's overdue clocks as (lead, clock, seconds overdue).
fn overdue_of(team: &Value) -> Vec<(i64, &str, f64)> {
    team["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["lead_id"].as_i64().unwrap(),
                o["clock"].as_str().unwrap(),
                o["overdue_s"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// A digest team's rep lines as (rep, handoffs, breaches).
fn reps_of(team: &Value) -> Vec<(&str, u64, u64)> {
    team["reps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rep"].as_str().unwrap(),
                r["handoffs"].as_u64().unwrap(),
                r["breaches"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The digest of ISO week 37 (Monday 7 to Sunday 13 September in Berlin:
/// [2026-09-06T22:00Z, 2026-09-13T22:00Z)), built at NOW. Its handoffs are H3 and H4
/// (east, Bob) and H8 (west, Dan); H7 (6 Sep 10:00Z, a Sunday in Berlin) and H9 (14 Sep)
/// fall outside.
#[tokio::test]
async fn the_digest_of_a_fixed_week_matches_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let text = format!(
        "{}\n[digest]\nto = [\"#leadership\"]\n",
        config_text(dir.path(), "Europe/Berlin")
    );
    let config = Config::from_toml("digest test", &text, &Default::default()).unwrap();
    let digest = baton::reports::digest::build(&db, &config, "2026-W37".parse().unwrap(), at(NOW))
        .await
        .unwrap();
    let d = serde_json::to_value(&digest).unwrap();

    assert_eq!(d["week"], "2026-W37");
    assert_eq!(d["period"]["from"], "2026-09-07T00:00:00+02:00");
    assert_eq!(d["period"]["to"], "2026-09-14T00:00:00+02:00");
    assert_eq!(
        d["recipients"],
        json!([
            {"to": "#leadership", "teams": ["east", "west"]},
            {"to": "east-boss@acme.test", "teams": ["east"]},
            {"to": "west-boss@acme.test", "teams": ["west"]},
        ])
    );

    let east = &d["teams"][0];
    assert_eq!(east["team"], "east");
    assert_eq!(east["manager"], "east-boss@acme.test");
    assert_eq!(
        east["handoffs"],
        json!({"opened": 2, "accepted": 1, "rejected": 1, "open": 0, "reject_reasons": {"spam": 1}})
    );
    // Ack: H4 300 s (met), H3 7200 s (breached); business 150 and 0 (H3's is given as 0).
    check_speed(
        &east["ack"],
        Some(300.0),
        Some(7200.0),
        (Some(0.0), Some(150.0)),
        1,
        1,
    );
    // First touch: H4 1200 s, H3 10800 s, both within 4 h.
    check_speed(
        &east["first_touch"],
        Some(1200.0),
        Some(10800.0),
        (Some(600.0), Some(5400.0)),
        2,
        0,
    );
    // Breaches whose deadline fell in the week: H3's ack (due 10 Sep 12:00Z, acked an
    // hour late). H2's and H15's first touch were due on 4 and 3 September.
    let breaches = east["breaches"].as_array().unwrap();
    assert_eq!(breaches.len(), 1, "{breaches:?}");
    assert_eq!(breaches[0]["lead_id"], 2);
    assert_eq!(breaches[0]["clock"], "ack");
    assert_eq!(breaches[0]["rep"], BOB);
    assert_eq!(breaches[0]["late_s"], 3600.0);
    // Overdue now (15 Oct 10:00Z): H16 (lead 28, mql 24 Sep 10:00Z), all three clocks.
    let overdue = overdue_of(east);
    const D: f64 = 86_400.0;
    const HOUR: f64 = 3_600.0;
    assert_eq!(
        overdue,
        [
            (28, "ack", 20.0 * D + 23.0 * HOUR),
            (28, "first_touch", 20.0 * D + 20.0 * HOUR),
            (28, "disposition", 19.0 * D),
        ]
    );
    let reps = reps_of(east);
    assert_eq!(reps, [(ANN, 0, 0), (BOB, 2, 1)]);

    let west = &d["teams"][1];
    assert_eq!(west["team"], "west");
    assert_eq!(
        west["handoffs"],
        json!({"opened": 1, "accepted": 1, "rejected": 0, "open": 0, "reject_reasons": {}})
    );
    check_speed(
        &west["ack"],
        Some(5400.0),
        Some(5400.0),
        (Some(2700.0), Some(2700.0)),
        0,
        1,
    );
    check_speed(
        &west["first_touch"],
        Some(21600.0),
        Some(21600.0),
        (Some(10800.0), Some(10800.0)),
        0,
        1,
    );
    // H8 (mql 11 Sep 10:00Z): ack 30 min late, first touch 2 h late, decided after 24
    // days instead of 2.
    let late: Vec<(&str, f64)> = west["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["clock"].as_str().unwrap(), b["late_s"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        late,
        [
            ("ack", 1800.0),
            ("first_touch", 7200.0),
            ("disposition", 22.0 * D)
        ]
    );
    // H5 (lead 4, mql 29 Sep 10:00Z, acked in time) and H6 (lead 5, mql 30 Sep 22:00Z),
    // by deadline.
    let overdue = overdue_of(west);
    assert_eq!(
        overdue,
        [
            (4, "first_touch", 15.0 * D + 20.0 * HOUR),
            (5, "ack", 14.0 * D + 11.0 * HOUR),
            (5, "first_touch", 14.0 * D + 8.0 * HOUR),
            (4, "disposition", 14.0 * D),
            (5, "disposition", 12.0 * D + 12.0 * HOUR),
        ]
    );
    let reps = reps_of(west);
    assert_eq!(reps, [(CAT, 0, 0), (DAN, 1, 3)]);

    let m = &d["marketing"];
    // visitor: L8 L15 L16 L17 L18 L19 L20 = 7; further: L8 L18 L19 L20 = 4.
    // lead: L7 L8 L18 L19 L20 L21 L22 = 7 (L2's lead was 6 Sep 11:00Z, before the week);
    //   further: L7 = 1.
    // mql: L2 L3 L7 = 3; further: L2, L7 (sql on 5 Oct) = 2.
    // sql: L2 L6 = 2; further: L6 = 1. opportunity, customer: L6. evangelist: L29.
    check_stages(
        &m["stages"],
        [
            ("visitor", 7, 4),
            ("lead", 7, 1),
            ("mql", 3, 2),
            ("sql", 2, 1),
            ("opportunity", 1, 1),
            ("customer", 1, 1),
            ("evangelist", 1, 0),
        ],
    );
    // The monthly target, counted up to the end of the week: L1 L2 L3 L6 L7 L28 entered
    // mql in Berlin's September before 13 Sep 22:00Z (L9 came on the 14th). 13 of 30
    // days gone: pace 6 / (13/30).
    let mql = &m["mql"];
    assert_eq!(mql["period"], "month");
    assert_eq!(mql["entered"], 6);
    assert_eq!(mql["target"], 20);
    assert_eq!(mql["elapsed"], json!(13.0 / 30.0));
    assert_eq!(mql["pace"], json!(6.0 / (13.0 / 30.0)));
    assert_eq!(mql["on_pace"], false);
    assert_eq!(
        m["handoffs"],
        json!({"opened": 3, "accepted": 2, "rejected": 1, "open": 0, "duplicates": 0, "reject_reasons": {"spam": 1}})
    );
    assert_eq!(m["acceptance"]["count"], 2);
    assert_eq!(m["acceptance"]["n"], 3);
    assert_eq!(m["acceptance"]["met"], true);
    // Quality: web (H3 rated 4, H4 rated 1) and events (H8, unrated).
    let source = &m["quality"]["source"];
    assert_eq!(source[0]["key"], "web");
    assert_eq!(source[0]["handoffs"], 2);
    assert_eq!(source[0]["acceptance"]["count"], 1);
    assert_eq!(source[0]["rating"], json!({"mean": 2.5, "n": 2}));
    assert_eq!(source[1]["key"], "events");
    assert_eq!(source[1]["rating"], json!({"mean": null, "n": 0}));
    // Dan's one handoff reached sql (1 of 1), Bob's two once (1 of 2).
    assert_eq!(m["ranking"]["reps"]["top"][0]["rep"], DAN);
    assert_eq!(m["ranking"]["reps"]["top"][1]["rep"], BOB);
    // In the week: webinar's L6 reached sql, opportunity and customer; autumn's L2 sql.
    assert_eq!(m["ranking"]["campaigns"]["top"][0]["campaign"], "webinar");
    assert_eq!(m["ranking"]["campaigns"]["top"][0]["customer"], 1);

    // Each recipient's message: their own teams, then the marketing side; the chart has
    // the week's stage entries.
    let east_boss = &digest.recipients[1];
    let text = digest.message_for(east_boss, &config).plain_text();
    assert!(text.contains("Team east"), "{text}");
    assert!(!text.contains("Team west"), "{text}");
    assert!(text.contains("#2 Lead 2"), "{text}");
    assert!(text.contains("Lead quality by campaign"), "{text}");
    let everyone = digest
        .message_for(&digest.recipients[0], &config)
        .plain_text();
    assert!(everyone.contains("Team east") && everyone.contains("Team west"));
    // The chart's funnel (above the 12-week trend) has the week's stage entries.
    let baton::message::Plot::Stack { plots } = digest.chart().plot else {
        panic!("the digest's chart is the funnel over the trend");
    };
    let baton::message::Plot::Funnel { steps } = &plots[0] else {
        panic!("the funnel first: {plots:?}");
    };
    let bars: Vec<u64> = steps.iter().map(|s| s.count).collect();
    assert_eq!(bars, [7, 7, 3, 2, 1, 1, 1]);
}
