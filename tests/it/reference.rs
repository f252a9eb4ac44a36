//! An independent reference for the figures of SPEC §7, written from the SPEC in this file
//! (not from `src/reports/` or `src/domain`), compared with `baton funnel`, `baton sla`
//! and `baton digest --format json` over generated histories loaded by
//! `import --history`: reps in Berlin, New York (with a lunch break) and Tokyo, the
//! autumn DST changes of both (25 October and 1 November 2026), holidays, recycled leads,
//! and decisions exactly at a deadline or a millisecond after it.
//!
//! The reference takes from Baton only who each handoff went to (routing is not a figure
//! of §7); everything else (deadlines in business time, clock states, durations,
//! percentiles, conversions, stage entries, breaches) it computes itself from the
//! generated events. It also checks the invariants of the figures: opened = accepted +
//! rejected + open, the breach count is the breached clocks of `speed`, and per-group
//! sums equal the totals.

use std::collections::{BTreeMap, HashMap};

use baton::domain::period::Period;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::harness::*;

/// The moment the reports are asked for.
pub(crate) const NOW: &str = "2026-11-20T12:00:00Z";
const MINUTE: i64 = 60_000;

pub(crate) const SETUP: &str = r##"
[reporting]
timezone = "Europe/Berlin"

[[calendar]]
name = "berlin"
timezone = "Europe/Berlin"
hours = "Mon-Fri 09:00-17:00"
holidays = ["2026-10-26", "2026-11-11"]

[[calendar]]
name = "newyork"
timezone = "America/New_York"
hours = "Mon-Fri 08:00-12:00,13:00-17:00"
holidays = ["2026-11-03"]

[[calendar]]
name = "tokyo"
timezone = "Asia/Tokyo"
hours = "Mon-Fri 09:00-18:00"
holidays = ["2026-11-03"]

[[person]]
email = "eva@acme.test"
name = "Eva"
role = "rep"
team = "global"
calendar = "berlin"

[[person]]
email = "ned@acme.test"
name = "Ned"
role = "rep"
team = "global"
calendar = "newyork"

[[person]]
email = "tom@acme.test"
name = "Tom"
role = "rep"
team = "global"
calendar = "tokyo"

[[person]]
email = "gil@acme.test"
name = "Gil"
role = "manager"
team = "global"
calendar = "berlin"

[[team]]
name = "global"
manager = "gil@acme.test"

[routing]
fallback_team = "global"

[[sla]]
name = "standard"
ack = "30m"
first_touch = "4h"
disposition = "16h"
"##;

/// The policy's windows, in business minutes.
const WINDOWS: [i64; 3] = [30, 240, 960];
const CLOCKS: [&str; 3] = ["ack", "first_touch", "disposition"];
/// Lead g{i} is owned by `REPS[i % 3]`; routing (Baton's) decides who gets it.
const REPS: [&str; 3] = ["eva@acme.test", "ned@acme.test", "tom@acme.test"];
pub(crate) const STAGES: [&str; 7] = [
    "visitor",
    "lead",
    "mql",
    "sql",
    "opportunity",
    "customer",
    "evangelist",
];

// ---- Business time, from the config above and nothing else. ----

/// A rep's working calendar: local time zone, working ranges per weekday (minutes of the
/// day), holidays.
struct Cal {
    tz: Tz,
    ranges: Vec<(u32, u32)>,
    holidays: Vec<NaiveDate>,
}

fn cal(name: &str) -> Cal {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    match name {
        "berlin" => Cal {
            tz: chrono_tz::Europe::Berlin,
            ranges: vec![(9 * 60, 17 * 60)],
            holidays: vec![d("2026-10-26"), d("2026-11-11")],
        },
        "newyork" => Cal {
            tz: chrono_tz::America::New_York,
            ranges: vec![(8 * 60, 12 * 60), (13 * 60, 17 * 60)],
            holidays: vec![d("2026-11-03")],
        },
        _ => Cal {
            tz: chrono_tz::Asia::Tokyo,
            ranges: vec![(9 * 60, 18 * 60)],
            holidays: vec![d("2026-11-03")],
        },
    }
}

impl Cal {
    /// Whether the minute starting at `t` (a whole UTC minute) is working time.
    fn open(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.tz);
        if local.weekday().num_days_from_monday() >= 5
            || self.holidays.contains(&local.date_naive())
        {
            return false;
        }
        let m = local.hour() * 60 + local.minute();
        self.ranges.iter().any(|(a, b)| (*a..*b).contains(&m))
    }

    /// The deadline `minutes` of working time after `start` (a whole minute): the end of
    /// the minute that uses the last of it.
    fn deadline(&self, start: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        let (mut t, mut left) = (start, minutes);
        loop {
            if self.open(t) {
                left -= 1;
                if left == 0 {
                    return t + Duration::minutes(1);
                }
            }
            t += Duration::minutes(1);
        }
    }

    /// Working milliseconds in `[a, b)`.
    fn business_ms(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        let mut t = Utc
            .timestamp_millis_opt(a.timestamp_millis().div_euclid(MINUTE) * MINUTE)
            .unwrap();
        let mut ms = 0;
        while t < b {
            let next = t + Duration::minutes(1);
            if self.open(t) {
                ms += (next.min(b) - t.max(a)).num_milliseconds().max(0);
            }
            t = next;
        }
        ms
    }
}

fn calendar_of(rep: &str) -> &'static str {
    match rep {
        "ned@acme.test" => "newyork",
        "tom@acme.test" => "tokyo",
        _ => "berlin",
    }
}

// ---- The generated history. ----

/// One stage change of one lead.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) lead: usize,
    pub(crate) stage: &'static str,
    pub(crate) at: DateTime<Utc>,
}

/// A lead's stage changes, in order; its source and campaign.
pub(crate) struct GenLead {
    pub(crate) events: Vec<Event>,
    pub(crate) source: &'static str,
    pub(crate) campaign: &'static str,
}

/// Leads over 12 October – 19 November 2026. A decision comes at a random moment, or
/// exactly at the ack deadline of some calendar, or a millisecond after it.
pub(crate) fn generate(seed: u64, leads: usize) -> Vec<GenLead> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let first = Utc.with_ymd_and_hms(2026, 10, 12, 0, 0, 0).unwrap();
    let span_minutes = 38 * 24 * 60;
    let mut out = Vec::new();
    for lead in 0..leads {
        let source = ["web", "ads", "events"][rng.random_range(0..3)];
        let campaign = ["spring", "autumn", "launch", "webinar"][rng.random_range(0..4)];
        let mut t = first + Duration::minutes(rng.random_range(0..span_minutes));
        let mut events = vec![Event {
            lead,
            stage: "lead",
            at: t,
        }];
        let rounds = if rng.random_bool(0.3) { 2 } else { 1 };
        for _ in 0..rounds {
            t += Duration::minutes(rng.random_range(1..3 * 24 * 60));
            events.push(Event {
                lead,
                stage: "mql",
                at: t,
            });
            let decision = match rng.random_range(0..10) {
                0 => {
                    // At an ack deadline (in a random rep's calendar), or just after.
                    let c = cal(["berlin", "newyork", "tokyo"][rng.random_range(0..3)]);
                    let due = c.deadline(t, WINDOWS[0]);
                    due + Duration::milliseconds(rng.random_range(0..2))
                }
                _ => t + Duration::minutes(rng.random_range(1..4 * 24 * 60)),
            };
            match rng.random_range(0..10) {
                0..=4 => {
                    events.push(Event {
                        lead,
                        stage: "sql",
                        at: decision,
                    });
                    let mut d = decision;
                    for stage in ["opportunity", "customer"] {
                        if rng.random_bool(0.4) {
                            d += Duration::minutes(rng.random_range(1..5 * 24 * 60));
                            events.push(Event { lead, stage, at: d });
                        } else {
                            break;
                        }
                    }
                    t = d;
                }
                5..=7 => {
                    events.push(Event {
                        lead,
                        stage: if rng.random_bool(0.8) {
                            "lead"
                        } else {
                            "disqualified"
                        },
                        at: decision,
                    });
                    t = decision;
                }
                _ => break,
            }
            if events.last().is_some_and(|e| e.stage != "lead") {
                break;
            }
        }
        // Nothing dated after the moment the reports are asked for.
        events.retain(|e| e.at < at(NOW));
        out.push(GenLead {
            events,
            source,
            campaign,
        });
    }
    out
}

// ---- The figures of SPEC §7. ----

/// The nearest-rank percentile: the ⌈p·n⌉-th smallest.
fn rank(values: &[f64], p: f64) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return None;
    }
    let k = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
    Some(v[k - 1])
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Met,
    Breached,
    Running,
}

/// One clock: its state, deadline, and wall and business seconds to its event.
type RefClock = (State, DateTime<Utc>, Option<f64>, Option<f64>);

/// One handoff as the reference sees it.
pub(crate) struct RefHandoff {
    rep: String,
    source: &'static str,
    mql_at: DateTime<Utc>,
    /// accepted, rejected or open.
    status: &'static str,
    /// (state, deadline, wall s, business s) per clock.
    clocks: [RefClock; 3],
    /// Reached sql, opportunity, customer before the lead's next MQL entry (and by now).
    reach: [bool; 3],
}

pub(crate) fn rank_of(stage: &str) -> Option<usize> {
    STAGES.iter().position(|s| *s == stage)
}

pub(crate) fn handoffs_of(
    leads: &[GenLead],
    reps: &HashMap<(usize, i64), String>,
    now: DateTime<Utc>,
) -> Vec<RefHandoff> {
    let mut out = Vec::new();
    for l in leads {
        for (i, e) in l.events.iter().enumerate() {
            if e.stage != "mql" {
                continue;
            }
            let rep = reps[&(e.lead, e.at.timestamp_millis())].clone();
            let c = cal(calendar_of(&rep));
            let next = l.events.get(i + 1).filter(|n| n.at <= now);
            let status = match next.map(|n| n.stage) {
                None => "open",
                Some(s) if rank_of(s).is_some_and(|r| r > 2) => "accepted",
                Some(_) => "rejected",
            };
            let stop = (status != "open").then(|| next.unwrap().at);
            let clocks = WINDOWS.map(|w| {
                let due = c.deadline(e.at, w);
                let state = match stop {
                    Some(s) if s <= due => State::Met,
                    Some(_) => State::Breached,
                    None if due < now => State::Breached,
                    None => State::Running,
                };
                let wall = stop.map(|s| (s - e.at).num_milliseconds() as f64 / 1000.0);
                let business = stop.map(|s| c.business_ms(e.at, s) as f64 / 1000.0);
                (state, due, wall, business)
            });
            let next_mql = l.events[i + 1..]
                .iter()
                .find(|n| n.stage == "mql")
                .map(|n| n.at);
            let reached = |min_rank: usize| {
                l.events[i + 1..].iter().any(|n| {
                    rank_of(n.stage).is_some_and(|r| r >= min_rank)
                        && n.at <= now
                        && next_mql.is_none_or(|m| n.at < m)
                })
            };
            out.push(RefHandoff {
                rep,
                source: l.source,
                mql_at: e.at,
                status,
                clocks,
                reach: [reached(3), reached(4), reached(5)],
            });
        }
    }
    out
}

/// The window of `from..to` (inclusive dates) in Berlin.
pub(crate) fn window(from: &str, to: &str) -> (DateTime<Utc>, DateTime<Utc>) {
    let tz = chrono_tz::Europe::Berlin;
    let midnight = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_time(NaiveTime::MIN))
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    };
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    (midnight(d(from)), midnight(d(to).succ_opt().unwrap()))
}

/// `speed.CLOCK` of some handoffs as JSON, by the definitions.
fn speed(hs: &[&RefHandoff], clock: usize) -> Value {
    let wall: Vec<f64> = hs.iter().filter_map(|h| h.clocks[clock].2).collect();
    let business: Vec<f64> = hs.iter().filter_map(|h| h.clocks[clock].3).collect();
    let met = hs
        .iter()
        .filter(|h| h.clocks[clock].0 == State::Met)
        .count() as u64;
    let breached = hs
        .iter()
        .filter(|h| h.clocks[clock].0 == State::Breached)
        .count() as u64;
    serde_json::json!({
        "median_s": rank(&wall, 0.5),
        "p90_s": rank(&wall, 0.9),
        "median_business_s": rank(&business, 0.5),
        "p90_business_s": rank(&business, 0.9),
        "met": met,
        "breached": breached,
        "compliance": (met + breached > 0).then(|| met as f64 / (met + breached) as f64),
    })
}

/// Compares a speed object, durations to the millisecond.
fn check_speed(what: &str, got: &Value, expect: &Value) {
    for key in ["met", "breached"] {
        assert_eq!(got[key], expect[key], "{what} {key}: {got} vs {expect}");
    }
    for key in [
        "median_s",
        "p90_s",
        "median_business_s",
        "p90_business_s",
        "compliance",
    ] {
        match (got[key].as_f64(), expect[key].as_f64()) {
            (Some(g), Some(e)) => assert!((g - e).abs() < 1e-3, "{what} {key}: {g} vs {e}"),
            (g, e) => assert_eq!(g, e, "{what} {key}"),
        }
    }
}

/// Loads `leads` by `import --history`, one file per step so each lead's changes come in
/// order, and waits until Baton has seen every change.
pub(crate) async fn load(app: &TestApp, leads: &[GenLead]) {
    load_from(app, leads, &vec![0; leads.len()]).await;
}

/// Imports lead `g{i}`'s changes from its `from[i]`th on, as [`load`] does (its name,
/// source, campaign and owner with its first change only, so a later step leaves a CRM's
/// edit alone), and waits until Baton has seen every change of `leads`.
pub(crate) async fn load_from(app: &TestApp, leads: &[GenLead], from: &[usize]) {
    let steps = leads.iter().map(|l| l.events.len()).max().unwrap_or(0);
    let total: usize = leads.iter().map(|l| l.events.len()).sum();
    for step in 0..steps {
        let rows: Vec<baton::store::leads::LeadInput> = leads
            .iter()
            .enumerate()
            .filter(|(i, _)| step >= from[*i])
            .filter_map(|(i, l)| {
                let e = l.events.get(step)?;
                let first = step == 0;
                Some(baton::store::leads::LeadInput {
                    external_id: format!("g{i}"),
                    name: first.then(|| format!("Gen {i}")),
                    source: first.then(|| l.source.into()),
                    campaign: first.then(|| l.campaign.into()),
                    owner_email: first.then(|| REPS[i % 3].into()),
                    stage: Some(e.stage.into()),
                    stage_changed_at: Some(baton::store::ts(e.at)),
                    ..Default::default()
                })
            })
            .collect();
        if !rows.is_empty() {
            baton::import::import(&app.ctx.db, &rows, true, |_| {})
                .await
                .unwrap();
        }
    }
    app.ctx.leads_changed.notify_one();
    app.wait("every change seen", |c| c.events_processed >= total as u64)
        .await;
}

/// Who each handoff went to, by (lead index, MQL time in ms): routing is Baton's.
pub(crate) async fn assignees(app: &TestApp) -> HashMap<(usize, i64), String> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT l.external_id, h.mql_at, h.assignee FROM handoffs h JOIN leads l ON l.id = h.lead_id",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(ext, mql_at, rep)| {
            let lead: usize = ext.trim_start_matches('g').parse().unwrap();
            ((lead, at(&mql_at).timestamp_millis()), rep)
        })
        .collect()
}

pub(crate) async fn report(app: &TestApp, which: &str, period: &str, by: Option<&str>) -> Value {
    let (db, config, now) = (&app.ctx.db, &app.ctx.config, at(NOW));
    let period = Period::parse(period).unwrap();
    let json = match which {
        "funnel" => {
            baton::reports::funnel_json(db, config, period, by.map(|b| b.parse().unwrap()), now)
                .await
                .unwrap()
        }
        _ => baton::reports::sla_json(db, config, period, None, None, now)
            .await
            .unwrap(),
    };
    serde_json::from_str(&json).unwrap()
}

/// The team `global` of a report or digest.
fn global(report: &Value) -> &Value {
    report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "global")
        .unwrap_or_else(|| panic!("no team global in {report}"))
}

/// Checks every figure of the funnel and the SLA report of `from..to` against the
/// reference, and the invariants.
pub(crate) async fn check_period(
    app: &TestApp,
    leads: &[GenLead],
    hs: &[RefHandoff],
    from: &str,
    to: &str,
) {
    let now = at(NOW);
    let (wf, wt) = window(from, to);
    let period = format!("{from}..{to}");
    let inside: Vec<&RefHandoff> = hs
        .iter()
        .filter(|h| h.mql_at >= wf && h.mql_at < wt)
        .collect();

    // Stages: distinct leads entering S in the window; of them, those that entered a later
    // stage after (their first entry in the window), by now.
    let funnel = report(app, "funnel", &period, None).await;
    for (k, stage) in STAGES.iter().enumerate() {
        let (mut entered, mut converted) = (0u64, 0u64);
        for l in leads {
            let Some(first) = l
                .events
                .iter()
                .position(|e| e.stage == *stage && e.at >= wf && e.at < wt)
            else {
                continue;
            };
            entered += 1;
            converted += u64::from(
                l.events[first + 1..]
                    .iter()
                    .any(|e| rank_of(e.stage).is_some_and(|r| r > k) && e.at <= now),
            );
        }
        let row = &funnel["stages"][k];
        assert_eq!(row["stage"], *stage);
        assert_eq!(row["entered"], entered, "{period} {stage} entered");
        if *stage != "evangelist" {
            assert_eq!(row["converted"], converted, "{period} {stage} converted");
        }
    }

    // Handoffs opened in the period and their outcomes (the CRM's moves back are
    // rejections with reason `other`).
    let count = |s: &str| inside.iter().filter(|h| h.status == s).count() as u64;
    let h = &funnel["handoffs"];
    assert_eq!(h["opened"], inside.len() as u64, "{period} opened");
    assert_eq!(h["accepted"], count("accepted"));
    assert_eq!(h["rejected"], count("rejected"));
    assert_eq!(h["open"], count("open"));
    assert_eq!(
        h["opened"].as_u64(),
        Some(count("accepted") + count("rejected") + count("open"))
    );
    for (c, clock) in CLOCKS.iter().enumerate() {
        check_speed(
            &format!("{period} speed.{clock}"),
            &funnel["speed"][clock],
            &speed(&inside, c),
        );
    }

    // By rep and by source: outcomes, conversions per handoff, speeds; sums are totals.
    for by in ["rep", "source"] {
        let grouped = report(app, "funnel", &period, Some(by)).await;
        let mut groups: BTreeMap<String, Vec<&RefHandoff>> = BTreeMap::new();
        for h in &inside {
            let key = if by == "rep" {
                h.rep.clone()
            } else {
                h.source.to_string()
            };
            groups.entry(key).or_default().push(h);
        }
        let got = grouped["groups"].as_array().unwrap();
        let mut opened_sum = 0;
        for (key, ghs) in &groups {
            let g = got
                .iter()
                .find(|g| g["key"] == key.as_str())
                .unwrap_or_else(|| panic!("{period} by {by}: no group {key}"));
            assert_eq!(g["handoffs"]["opened"], ghs.len() as u64, "{period} {key}");
            opened_sum += g["handoffs"]["opened"].as_u64().unwrap();
            for (i, stage) in ["sql", "opportunity", "customer"].iter().enumerate() {
                let n = ghs.iter().filter(|h| h.reach[i]).count() as u64;
                assert_eq!(
                    g["converted"][stage]["count"], n,
                    "{period} by {by} {key} converted to {stage}"
                );
            }
            for (c, clock) in CLOCKS.iter().enumerate() {
                check_speed(
                    &format!("{period} by {by} {key} {clock}"),
                    &g["speed"][clock],
                    &speed(ghs, c),
                );
            }
        }
        assert_eq!(opened_sum, inside.len() as u64, "{period} by {by}: sums");
    }

    // The SLA report: overall, the team, each rep; breaches are the breached clocks.
    let sla = report(app, "sla", &period, None).await;
    let breached = |hs: &[&RefHandoff]| -> u64 {
        hs.iter()
            .map(|h| h.clocks.iter().filter(|c| c.0 == State::Breached).count() as u64)
            .sum()
    };
    assert_eq!(sla["overall"]["handoffs"], inside.len() as u64);
    assert_eq!(
        sla["overall"]["breaches"],
        breached(&inside),
        "{period} breaches"
    );
    assert_eq!(sla["breaches"]["count"], breached(&inside));
    for (c, clock) in CLOCKS.iter().enumerate() {
        check_speed(
            &format!("{period} sla {clock}"),
            &sla["overall"][clock],
            &speed(&inside, c),
        );
    }
    let mut rep_breaches = 0;
    for rep in REPS {
        let mine: Vec<&RefHandoff> = inside.iter().copied().filter(|h| h.rep == rep).collect();
        let line = global(&sla)["reps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rep"] == rep)
            .unwrap();
        assert_eq!(line["handoffs"], mine.len() as u64, "{period} {rep}");
        assert_eq!(line["breaches"], breached(&mine), "{period} {rep} breaches");
        let speeds: u64 = CLOCKS
            .iter()
            .map(|c| line[c]["breached"].as_u64().unwrap())
            .sum();
        assert_eq!(
            line["breaches"].as_u64(),
            Some(speeds),
            "{period} {rep}: one count"
        );
        for (c, clock) in CLOCKS.iter().enumerate() {
            check_speed(
                &format!("{period} {rep} {clock}"),
                &line[clock],
                &speed(&mine, c),
            );
        }
        rep_breaches += line["breaches"].as_u64().unwrap();
    }
    assert_eq!(rep_breaches, breached(&inside), "{period}: rep sums");
    // The latest breaches listed are the latest breached clocks by deadline.
    let mut dues: Vec<DateTime<Utc>> = inside
        .iter()
        .flat_map(|h| {
            h.clocks
                .iter()
                .filter(|c| c.0 == State::Breached)
                .map(|c| c.1)
        })
        .collect();
    dues.sort();
    dues.reverse();
    let listed: Vec<DateTime<Utc>> = sla["breaches"]["latest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| at(b["due_at"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, dues.into_iter().take(10).collect::<Vec<_>>());
}

/// The digest of an ISO week shows the figures of `baton sla` and `baton funnel` for
/// that week's dates, every breach whose deadline fell in it, and a trend whose weeks
/// agree with the reference.
async fn check_digest(
    app: &TestApp,
    leads: &[GenLead],
    hs: &[RefHandoff],
    week: &str,
    from: &str,
    to: &str,
) {
    let digest =
        baton::reports::digest::build(&app.ctx.db, &app.ctx.config, week.parse().unwrap(), at(NOW))
            .await
            .unwrap();
    // Through text, as `baton digest --format json` prints it and as the reports are read.
    let digest: Value = serde_json::from_str(&serde_json::to_string(&digest).unwrap()).unwrap();
    let period = format!("{from}..{to}");
    let sla = report(app, "sla", &period, None).await;
    let funnel = report(app, "funnel", &period, None).await;
    let team = global(&digest);
    assert_eq!(team["ack"], global(&sla)["ack"], "{week} ack");
    assert_eq!(team["first_touch"], global(&sla)["first_touch"]);
    // The funnel also counts duplicate MQLs (none here); a team's handoffs do not.
    let mut funnel_handoffs = funnel["handoffs"].clone();
    assert_eq!(funnel_handoffs["duplicates"], 0, "{week} duplicates");
    funnel_handoffs
        .as_object_mut()
        .unwrap()
        .remove("duplicates");
    assert_eq!(team["handoffs"], funnel_handoffs, "{week} handoffs");
    assert_eq!(
        digest["marketing"]["stages"], funnel["stages"],
        "{week} stages"
    );
    for rep in team["reps"].as_array().unwrap() {
        let line = global(&sla)["reps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rep"] == rep["rep"])
            .unwrap();
        for key in ["handoffs", "ack", "first_touch", "breaches"] {
            assert_eq!(rep[key], line[key], "{week} {} {key}", rep["rep"]);
        }
    }
    let (wf, wt) = window(from, to);
    let mut expect: Vec<(DateTime<Utc>, String)> = hs
        .iter()
        .flat_map(|h| {
            h.clocks
                .iter()
                .zip(CLOCKS)
                .filter(|(c, _)| c.0 == State::Breached && c.1 >= wf && c.1 < wt)
                .map(|(c, name)| (c.1, name.to_string()))
        })
        .collect();
    expect.sort();
    let mut got: Vec<(DateTime<Utc>, String)> = team["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                at(b["due_at"].as_str().unwrap()),
                b["clock"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, expect, "{week} breaches");

    // The trend's 12 weeks up to this one: MQLs entered, acceptance and ack compliance of
    // each week's handoffs, counted from the history.
    let trend = digest["marketing"]["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 12);
    let last = NaiveDate::parse_from_str(from, "%Y-%m-%d").unwrap();
    for (i, w) in trend.iter().enumerate() {
        let monday = last - Duration::weeks(11 - i as i64);
        let iso = monday.iso_week();
        assert_eq!(w["week"], format!("{}-W{:02}", iso.year(), iso.week()));
        let (wf, wt) = window(
            &monday.to_string(),
            &(monday + Duration::days(6)).to_string(),
        );
        let mqls = leads
            .iter()
            .filter(|l| {
                l.events
                    .iter()
                    .any(|e| e.stage == "mql" && e.at >= wf && e.at < wt)
            })
            .count() as u64;
        let inside: Vec<&RefHandoff> = hs
            .iter()
            .filter(|h| h.mql_at >= wf && h.mql_at < wt)
            .collect();
        let count = |f: &dyn Fn(&RefHandoff) -> bool| inside.iter().filter(|h| f(h)).count() as u64;
        let accepted = count(&|h| h.status == "accepted");
        let rejected = count(&|h| h.status == "rejected");
        let met = count(&|h| h.clocks[0].0 == State::Met);
        let breached = count(&|h| h.clocks[0].0 == State::Breached);
        let what = &w["week"];
        assert_eq!(w["mqls"], mqls, "{what} mqls");
        assert_eq!(w["acceptance"]["count"], accepted, "{what} accepted");
        assert_eq!(w["acceptance"]["n"], accepted + rejected, "{what} decided");
        assert_eq!(w["ack_compliance"]["count"], met, "{what} ack met");
        assert_eq!(
            w["ack_compliance"]["n"],
            met + breached,
            "{what} ack decided"
        );
    }
}

#[tokio::test]
async fn every_figure_agrees_with_an_independent_count_from_the_spec() {
    for seed in [1u64, 2, 3] {
        let app = TestApp::builder().config(SETUP).at(at(NOW)).spawn().await;
        let leads = generate(seed, 200);
        load(&app, &leads).await;
        let reps = assignees(&app).await;
        let hs = handoffs_of(&leads, &reps, at(NOW));
        // The history exercises what it is meant to: every rep, recycled leads whose
        // second handoff converted, met and breached clocks.
        for rep in REPS {
            assert!(hs.iter().any(|h| h.rep == rep), "{rep} has no handoff");
        }
        assert!(leads.iter().any(|l| {
            l.events.iter().filter(|e| e.stage == "mql").count() == 2
                && l.events
                    .last()
                    .is_some_and(|e| rank_of(e.stage).is_some_and(|r| r >= 3))
        }));
        assert!(hs.iter().any(|h| h.clocks[0].0 == State::Met));
        assert!(hs.iter().any(|h| h.clocks[0].0 == State::Breached));
        // The week of Berlin's DST change, New York's, three weeks across both, and the
        // whole history.
        for (from, to) in [
            ("2026-10-19", "2026-10-25"),
            ("2026-10-26", "2026-11-01"),
            ("2026-10-19", "2026-11-08"),
            ("2026-10-01", "2026-11-20"),
        ] {
            check_period(&app, &leads, &hs, from, to).await;
        }
        check_digest(&app, &leads, &hs, "2026-W44", "2026-10-26", "2026-11-01").await;
        check_digest(&app, &leads, &hs, "2026-W45", "2026-11-02", "2026-11-08").await;
    }
}

/// The same history written live by another process (as a CRM would, with each change's
/// own time) gives the same figures as loaded by `import --history`.
#[tokio::test]
async fn live_writes_and_a_history_import_give_the_same_figures() {
    let leads = generate(7, 80);
    let imported = TestApp::builder().config(SETUP).at(at(NOW)).spawn().await;
    load(&imported, &leads).await;

    let live = TestApp::builder().config(SETUP).at(at(NOW)).spawn().await;
    let steps = leads.iter().map(|l| l.events.len()).max().unwrap_or(0);
    let total: usize = leads.iter().map(|l| l.events.len()).sum();
    let mut script = String::from("BEGIN;\n");
    for step in 0..steps {
        for (i, l) in leads.iter().enumerate() {
            let Some(e) = l.events.get(step) else {
                continue;
            };
            let at = baton::store::ts(e.at);
            if step == 0 {
                script.push_str(&format!(
                    "INSERT INTO leads (external_id, name, source, campaign, owner_email, stage, stage_changed_at)
                     VALUES ('g{i}', 'Gen {i}', '{}', '{}', '{}', '{}', '{at}');\n",
                    l.source,
                    l.campaign,
                    REPS[i % 3],
                    e.stage
                ));
            } else {
                script.push_str(&format!(
                    "UPDATE leads SET stage = '{}', stage_changed_at = '{at}' WHERE external_id = 'g{i}';\n",
                    e.stage
                ));
            }
        }
    }
    script.push_str("COMMIT;\n");
    live.external(&script).await;
    live.wait("every change seen", |c| c.events_processed >= total as u64)
        .await;

    for period in ["2026-10-19..2026-10-25", "2026-10-26..2026-11-08", "90d"] {
        for (which, by) in [
            ("funnel", None),
            ("funnel", Some("rep")),
            ("funnel", Some("campaign")),
            ("sla", None),
        ] {
            assert_eq!(
                report(&live, which, period, by).await,
                report(&imported, which, period, by).await,
                "{which} {period} by {by:?}"
            );
        }
    }
}
