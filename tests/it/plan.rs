//! The reverse funnel (`/funnel plan`, `baton funnel plan`) and the digest's plan line,
//! end to end on a real SQLite file whose stage entries go through the triggers, checked
//! against a reference written here from SPEC §7 (needed entries rounded up stage by
//! stage from the bottom, fewer than 30 entries is too little data, a Wilson 90% interval,
//! pace = count / elapsed share) and not from `src/domain/plan.rs`.

use std::collections::HashMap;
use std::path::Path;

use baton::command::grammar::{self, Command, PlanRequest};
use baton::config::Config;
use baton::domain::schedule::IsoWeek;
use baton::store::Db;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::harness::*;

// The reference.

/// ⌈a / b⌉ for whole numbers.
fn ceil_div(a: u128, b: u128) -> u128 {
    a / b + u128::from(!a.is_multiple_of(b))
}

/// SPEC §7: from `customer` up, each stage needs ⌈needed(next) · entered / converted⌉,
/// where `converted` of a stage is how many of its entries went on to a later stage.
fn reference_needed(customers: u64, chain: &[(u64, u64)]) -> Vec<u64> {
    let mut out = vec![u128::from(customers)];
    for (entered, converted) in chain.iter().rev().skip(1) {
        let next = *out.last().unwrap();
        out.push(ceil_div(
            next * u128::from(*entered),
            u128::from(*converted),
        ));
    }
    out.reverse();
    out.into_iter().map(|n| n as u64).collect()
}

/// The Wilson score interval at 90% (z = 1.6449), from its textbook formula.
fn reference_wilson(k: f64, n: f64) -> (f64, f64) {
    let z = 1.644_853_626_951_472_2_f64;
    let p = k / n;
    let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let low = (p + z * z / (2.0 * n) - spread) / (1.0 + z * z / n);
    let high = (p + z * z / (2.0 * n) + spread) / (1.0 + z * z / n);
    (low.max(0.0), high.min(1.0))
}

// The data.

/// Creates `n` leads from `first_id` at `stage`, stamped `at`, then moves the first of
/// them through the later `steps` (stage, how many, when): every stage change goes through
/// the triggers as another writer's would.
async fn seed(
    db: &Db,
    first_id: i64,
    n: i64,
    source: &str,
    stage: &str,
    at: &str,
    steps: &[(&str, i64, &str)],
) {
    let last = first_id + n - 1;
    sqlx::query(
        "WITH RECURSIVE ids(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM ids WHERE i < ?2)
         INSERT INTO leads (id, external_id, name, source, campaign, stage, stage_changed_at)
         SELECT i, 'crm-' || i, 'Lead ' || i, ?3, 'spring', ?4, ?5 FROM ids",
    )
    .bind(first_id)
    .bind(last)
    .bind(source)
    .bind(stage)
    .bind(at)
    .execute(&db.pool)
    .await
    .unwrap();
    for (stage, count, at) in steps {
        sqlx::query(
            "UPDATE leads SET stage = ?1, stage_changed_at = ?2 WHERE id BETWEEN ?3 AND ?4",
        )
        .bind(stage)
        .bind(at)
        .bind(first_id)
        .bind(first_id + count - 1)
        .execute(&db.pool)
        .await
        .unwrap();
    }
}

async fn database(dir: &Path) -> Db {
    let db = Db::open(&dir.join("baton.db")).await.unwrap();
    db.migrate().await.unwrap();
    db
}

fn config(dir: &Path, extra: &str) -> Config {
    let text = config_text(dir, &format!("{TEAM}\n{extra}"));
    Config::from_toml("test config", &text, &HashMap::new()).unwrap()
}

/// The chain 7,500 → 2,500 → 500 → 10 → 5 → 1 per customer, six times over so
/// that every stage has at least 30 entries: 45,000 visitors, 6 customers.
const CHAIN: [(&str, u64); 6] = [
    ("visitor", 45_000),
    ("lead", 15_000),
    ("mql", 3_000),
    ("sql", 60),
    ("opportunity", 30),
    ("customer", 6),
];

/// (entered, converted) per stage of the chain: each stage's entries, and the next's.
fn chain_counts() -> Vec<(u64, u64)> {
    (0..6)
        .map(|i| (CHAIN[i].1, CHAIN.get(i + 1).map_or(0, |c| c.1)))
        .collect()
}

/// Mid-November 2026: inside Q4, 90 days after mid-August.
const NOW: &str = "2026-11-15T12:00:00Z";

async fn seed_chain(db: &Db) {
    let steps: Vec<(&str, i64, &str)> = CHAIN[1..]
        .iter()
        .zip([
            "2026-10-06T10:00:00Z",
            "2026-10-08T10:00:00Z",
            "2026-10-12T10:00:00Z",
            "2026-10-20T10:00:00Z",
            "2026-11-02T10:00:00Z",
        ])
        .map(|((stage, n), at)| (*stage, *n as i64, at))
        .collect();
    seed(
        db,
        1,
        45_000,
        "ads",
        "visitor",
        "2026-10-05T10:00:00Z",
        &steps,
    )
    .await;
}

fn request(text: &str) -> PlanRequest {
    match grammar::parse(text) {
        Ok(Command::Plan(request)) => request,
        other => panic!("{text}: {other:?}"),
    }
}

async fn plan_json(db: &Db, config: &Config, text: &str, now: DateTime<Utc>) -> Value {
    let json = baton::plan::plan_json(db, config, &request(text), now)
        .await
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

fn needed(plan: &Value) -> Vec<u64> {
    plan["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["needed"]
                .as_u64()
                .unwrap_or_else(|| panic!("no number: {s}"))
        })
        .collect()
}

#[tokio::test]
async fn the_chain_plans_one_customer_and_twelve_rounded_up_stage_by_stage() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    seed_chain(&db).await;
    let config = config(dir.path(), "");
    let now = at(NOW);

    let one = plan_json(&db, &config, "/funnel plan 1 customers", now).await;
    assert_eq!(needed(&one), reference_needed(1, &chain_counts()));
    assert_eq!(needed(&one), [7_500, 2_500, 500, 10, 5, 1]);
    let twelve = plan_json(&db, &config, "/funnel plan 12 customers", now).await;
    assert_eq!(needed(&twelve), reference_needed(12, &chain_counts()));
    assert_eq!(needed(&twelve), [90_000, 30_000, 6_000, 120, 60, 12]);
    // Seven customers do not divide evenly: rounding at each stage, from the bottom.
    let seven = plan_json(&db, &config, "/funnel plan 7 customers", now).await;
    assert_eq!(needed(&seven), reference_needed(7, &chain_counts()));
    assert_eq!(needed(&seven), [52_500, 17_500, 3_500, 70, 35, 7]);
    for s in twelve["stages"].as_array().unwrap() {
        assert_eq!(s["too_little_data"], false, "{s}");
        assert!(s["range"].is_null(), "{s}");
    }
    // Conversions as SPEC §7 defines them, with their n.
    assert_eq!(twelve["stages"][2]["conversion"]["count"], 60);
    assert_eq!(twelve["stages"][2]["conversion"]["n"], 3_000);
    assert_eq!(twelve["period"]["name"], "this-quarter");
    assert_eq!(twelve["basis"]["name"], "90d");

    // Pace: all of it entered in this quarter, whose elapsed share is known.
    let quarter = (at("2027-01-01T00:00:00Z") - at("2026-10-01T00:00:00Z")).num_seconds() as f64;
    let gone = (now - at("2026-10-01T00:00:00Z")).num_seconds() as f64;
    let elapsed = gone / quarter;
    assert!((twelve["elapsed"].as_f64().unwrap() - elapsed).abs() < 1e-9);
    let mql_pace = twelve["stages"][2]["pace"].as_f64().unwrap();
    assert!((mql_pace - 3_000.0 / elapsed).abs() < 1e-6);
    // 3,000 MQLs with 49% of the quarter gone head for about 6,065: on track for 12.
    assert!(3_000.0 / elapsed >= 6_000.0);
    assert_eq!(twelve["stages"][2]["on_track"], true);
    assert_eq!(twelve["stages"][2]["shortfall_per_month"], 0);
    assert_eq!(
        twelve["stages"][2]["pace_per_month"],
        (3_000.0 / elapsed / 3.0).round() as u64
    );
    // 13 customers need 6,500 MQLs: short by (6,500 − pace) / 3 a month, rounded up.
    let thirteen = plan_json(&db, &config, "/funnel plan 13 customers", now).await;
    assert_eq!(thirteen["stages"][2]["needed"], 6_500);
    assert_eq!(thirteen["stages"][2]["on_track"], false);
    assert_eq!(
        thirteen["stages"][2]["shortfall_per_month"],
        ((6_500.0 - 3_000.0 / elapsed) / 3.0).ceil() as u64
    );
    assert_eq!(twelve["marketing"]["mqls"], 6_000);
    assert_eq!(twelve["marketing"]["per_month"], 2_000);

    // The text a person reads.
    let text = baton::plan::plan_text(&db, &config, &request("/funnel plan 12 customers"), now)
        .await
        .unwrap();
    assert!(
        text.contains("Plan: 12 customers in this-quarter"),
        "{text}"
    );
    for number in ["90,000", "30,000", "6,000", "120", "60"] {
        assert!(text.contains(number), "{number} in {text}");
    }
    assert!(
        text.contains(
            "To win 12 customers this-quarter, marketing owes 6,000 MQLs: 2,000 a month; pace now "
        ),
        "{text}"
    );
    assert!(!text.contains("Not enough data"), "{text}");
}

#[tokio::test]
async fn a_stage_with_three_entries_is_too_little_data_and_gets_an_interval() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    // 600 visitors, 300 leads, 150 MQLs, 3 SQLs of which 1 went on (and became a customer).
    seed(
        &db,
        1,
        600,
        "ads",
        "visitor",
        "2026-10-05T10:00:00Z",
        &[
            ("lead", 300, "2026-10-06T10:00:00Z"),
            ("mql", 150, "2026-10-07T10:00:00Z"),
            ("sql", 3, "2026-10-08T10:00:00Z"),
            ("opportunity", 1, "2026-10-09T10:00:00Z"),
            ("customer", 1, "2026-10-10T10:00:00Z"),
        ],
    )
    .await;
    let config = config(dir.path(), "");
    let now = at(NOW);
    let plan = plan_json(&db, &config, "/funnel plan 2 customers", now).await;
    let sql = &plan["stages"][3];
    assert_eq!(sql["stage"], "sql");
    assert_eq!(sql["too_little_data"], true);
    assert!(sql["needed"].is_null(), "no single number: {sql}");
    let (low, high) = reference_wilson(1.0, 3.0);
    assert!((sql["interval"]["low"].as_f64().unwrap() - low).abs() < 1e-9);
    assert!((sql["interval"]["high"].as_f64().unwrap() - high).abs() < 1e-9);
    // The opportunity step (1 entry, 1 on) has too little data too: its interval is
    // Wilson's for 1 of 1, and the ranges go up from the bottom with both.
    let (opp_low, opp_high) = reference_wilson(1.0, 1.0);
    let opp = &plan["stages"][4];
    assert_eq!(opp["too_little_data"], true);
    let opp_range = (
        (2.0 / opp_high).ceil() as u64,
        (2.0 / opp_low).ceil() as u64,
    );
    assert_eq!(opp["range"]["low"], opp_range.0);
    assert_eq!(opp["range"]["high"], opp_range.1);
    let sql_range = (
        (opp_range.0 as f64 / high).ceil() as u64,
        (opp_range.1 as f64 / low).ceil() as u64,
    );
    assert_eq!(sql["range"]["low"], sql_range.0);
    assert_eq!(sql["range"]["high"], sql_range.1);
    // MQLs: 150 of which 3 went on (enough entries), applied to both ends.
    let mql = &plan["stages"][2];
    assert_eq!(mql["too_little_data"], false);
    assert_eq!(mql["range"]["low"], sql_range.0 * 50);
    assert_eq!(mql["range"]["high"], sql_range.1 * 50);

    let text = baton::plan::plan_text(&db, &config, &request("/funnel plan 2 customers"), now)
        .await
        .unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("Not enough data for sql"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("3 entries in the basis (fewer than 30)"),
        "{line}"
    );
    assert!(
        line.contains(&format!(
            "between {}% and {}%",
            (low * 100.0).round(),
            (high * 100.0).round()
        )),
        "{line}"
    );
    assert!(
        line.contains(&format!("{} to {}", sql_range.0, sql_range.1)),
        "{line}"
    );
    assert!(
        text.contains(&format!(
            "marketing owes {} to {} MQLs",
            thousands(sql_range.0 * 50),
            thousands(sql_range.1 * 50)
        )),
        "{text}"
    );
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Q4 2026 as the basis: 600 MQLs → 120 SQLs → 60 opportunities → 30 customers, so 30
/// customers need 600 MQLs; then `mqls` MQLs in the first half of Q1 2027.
async fn pace_case(mqls: i64) -> (tempfile::TempDir, Db, Config) {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    seed(
        &db,
        1,
        600,
        "ads",
        "mql",
        "2026-10-10T10:00:00Z",
        &[
            ("sql", 120, "2026-10-20T10:00:00Z"),
            ("opportunity", 60, "2026-11-01T10:00:00Z"),
            ("customer", 30, "2026-12-01T10:00:00Z"),
        ],
    )
    .await;
    seed(&db, 10_001, mqls, "ads", "mql", "2027-01-20T10:00:00Z", &[]).await;
    let config = config(dir.path(), "");
    (dir, db, config)
}

/// Q1 2027 is 90 days: half of it is gone at 00:00 on 15 February.
const HALF_Q1: &str = "2027-02-15T00:00:00Z";

#[tokio::test]
async fn half_the_quarter_gone_with_half_the_mqls_is_on_track() {
    let (_dir, db, config) = pace_case(300).await;
    let text = "/funnel plan 30 customers basis last-quarter";
    let plan = plan_json(&db, &config, text, at(HALF_Q1)).await;
    assert_eq!(plan["elapsed"], 0.5);
    let mql = &plan["stages"][2];
    assert_eq!(mql["needed"], 600);
    assert_eq!(mql["so_far"], 300);
    assert_eq!(mql["pace"], 600.0);
    assert_eq!(mql["on_track"], true);
    assert_eq!(mql["shortfall_per_month"], 0);
    let answer = baton::plan::plan_text(&db, &config, &request(text), at(HALF_Q1))
        .await
        .unwrap();
    assert!(
        answer.contains(
            "To win 30 customers this-quarter, marketing owes 600 MQLs: 200 a month; pace now 200 a month: on track."
        ),
        "{answer}"
    );
}

#[tokio::test]
async fn a_quarter_of_the_mqls_at_half_time_is_short_so_much_a_month() {
    let (_dir, db, config) = pace_case(150).await;
    let text = "/funnel plan 30 customers basis last-quarter";
    let plan = plan_json(&db, &config, text, at(HALF_Q1)).await;
    let mql = &plan["stages"][2];
    // The pace ends the quarter at 300: 300 short over its 3 months.
    assert_eq!(mql["pace"], 300.0);
    assert_eq!(mql["on_track"], false);
    assert_eq!(mql["shortfall_per_month"], 100);
    assert_eq!(plan["marketing"]["pace_per_month"], 100);
    let answer = baton::plan::plan_text(&db, &config, &request(text), at(HALF_Q1))
        .await
        .unwrap();
    assert!(
        answer.contains(
            "marketing owes 600 MQLs: 200 a month; pace now 100 a month: 100 a month short."
        ),
        "{answer}"
    );
}

#[tokio::test]
async fn by_source_puts_the_channel_needing_the_fewest_mqls_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    // Webinars: 300 MQLs, 60 SQLs, 30 opportunities, 15 customers (20 MQLs a customer).
    seed(
        &db,
        1,
        300,
        "webinar",
        "mql",
        "2026-10-10T10:00:00Z",
        &[
            ("sql", 60, "2026-10-11T10:00:00Z"),
            ("opportunity", 30, "2026-10-12T10:00:00Z"),
            ("customer", 15, "2026-10-13T10:00:00Z"),
        ],
    )
    .await;
    // Ads: 900 MQLs, 90 SQLs, 45 opportunities, 9 customers (100 MQLs a customer).
    seed(
        &db,
        1_001,
        900,
        "ads",
        "mql",
        "2026-10-10T10:00:00Z",
        &[
            ("sql", 90, "2026-10-11T10:00:00Z"),
            ("opportunity", 45, "2026-10-12T10:00:00Z"),
            ("customer", 9, "2026-10-13T10:00:00Z"),
        ],
    )
    .await;
    let config = config(dir.path(), "");
    let plan = plan_json(&db, &config, "/funnel plan 3 customers by source", at(NOW)).await;
    assert_eq!(plan["by"], "source");
    let groups = plan["groups"].as_array().unwrap();
    let keys: Vec<&str> = groups.iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["webinar", "ads"]);
    let webinar = reference_needed(3, &[(300, 60), (60, 30), (30, 15), (15, 0)]);
    let ads = reference_needed(3, &[(900, 90), (90, 45), (45, 9), (9, 0)]);
    assert_eq!(groups[0]["mqls"], webinar[0]);
    assert_eq!(groups[1]["mqls"], ads[0]);
    assert_eq!((webinar[0], ads[0]), (60, 300));
    // Overall: 1,200 MQLs, 150 SQLs, 75 opportunities, 24 customers.
    let all = reference_needed(3, &[(1_200, 150), (150, 75), (75, 24), (24, 0)]);
    assert_eq!(plan["stages"][2]["needed"], all[0]);
    let text = baton::plan::plan_text(
        &db,
        &config,
        &request("/funnel plan 3 customers by source"),
        at(NOW),
    )
    .await
    .unwrap();
    let webinar_line = text.lines().position(|l| l.starts_with("webinar")).unwrap();
    let ads_line = text.lines().position(|l| l.starts_with("ads")).unwrap();
    assert!(webinar_line < ads_line, "{text}");
}

#[tokio::test]
async fn the_digest_shows_the_plan_line_only_with_a_customer_target() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    seed_chain(&db).await;
    let week = IsoWeek::of(chrono::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap());
    let now = at(NOW);
    let plain = config(dir.path(), "");
    let targeted = config(
        dir.path(),
        "[marketing]\ncustomer_target = 12\ncustomer_target_period = \"quarter\"\n",
    );
    let without = baton::reports::digest::build(&db, &plain, week, now)
        .await
        .unwrap();
    let with = baton::reports::digest::build(&db, &targeted, week, now)
        .await
        .unwrap();

    let json = serde_json::to_value(&without).unwrap();
    assert!(json["marketing"].get("customer_plan").is_none());
    let line = with.marketing.customer_plan.clone().unwrap();
    // As of the end of the week or now, whichever is first (the week of 9 November ends
    // at midnight after now): the same plan as asking for it then.
    let asked = plan_json(
        &db,
        &targeted,
        "/funnel plan 12 customers this-quarter",
        now - chrono::Duration::milliseconds(1),
    )
    .await;
    assert_eq!(serde_json::to_value(&line).unwrap(), asked["marketing"]);
    assert_eq!(line.mqls, Some(6_000));

    let text_without = without.render_text(&plain);
    let text_with = with.render_text(&targeted);
    assert!(!text_without.contains("marketing owes"), "{text_without}");
    let sentence = line.sentence();
    assert!(sentence.starts_with(
        "To win 12 customers this-quarter, marketing owes 6,000 MQLs: 2,000 a month; pace now "
    ));
    assert!(text_with.contains(&sentence), "{text_with}");
    // Nothing else changes: without the plan's lines the two digests are the same text.
    let stripped: String = text_with
        .lines()
        .filter(|l| !l.contains(&sentence))
        .map(|l| format!("{l}\n"))
        .collect();
    let plain_lines: String = text_without.lines().map(|l| format!("{l}\n")).collect();
    assert_eq!(stripped, plain_lines);
    // The trend covers the 12 weeks up to the digest's: the chain entered in October.
    assert_eq!(with.marketing.trend.len(), 12);
    assert_eq!(with.marketing.trend[11].week, "2026-W46");
    let mqls: u64 = with.marketing.trend.iter().map(|w| w.mqls).sum();
    assert_eq!(mqls, 3_000);
}

#[tokio::test]
async fn chat_answers_the_plan_privately_with_its_chart() {
    let app = TestApp::spawn("").await;
    let (ok, text) = app
        .command("ann@acme.test", "/funnel plan 2 customers this-month chart")
        .await;
    assert!(ok, "{text}");
    assert!(text.contains("Plan: 2 customers in this-month"), "{text}");
    let reply = baton::engine::actions::execute(
        &app.ctx,
        "ann@acme.test",
        "/funnel plan 2 customers chart",
    )
    .await
    .unwrap();
    assert!(!reply.public);
    let chart = reply.message.chart.expect("the plan chart");
    assert_eq!(chart.file_name, "plan.png");
    // Nothing entered any stage yet: every stage but the customers is folded away.
    match chart.plot {
        baton::message::Plot::Plan { rows } => {
            let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
            assert_eq!(labels, ["customer"]);
            assert_eq!(rows[0].needed, Some(2));
        }
        other => panic!("not a plan chart: {other:?}"),
    }
    let (ok, text) = app
        .command("ann@acme.test", "/funnel plan 2 customers by rep")
        .await;
    assert!(!ok);
    assert!(
        text.contains("a plan splits by source or campaign, not by rep"),
        "{text}"
    );
    assert!(text.contains("usage: /funnel plan N customers"), "{text}");
    let (ok, text) = app
        .command("nobody@acme.test", "/funnel plan 2 customers")
        .await;
    assert!(!ok, "{text}");
}

#[tokio::test]
async fn the_command_line_prints_the_plan_as_text_or_json() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = database(dir.path()).await;
        // Relative to the wall clock, which the command line reads: 10 days ago.
        sqlx::query(
            "WITH RECURSIVE ids(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM ids WHERE i < 400)
             INSERT INTO leads (id, external_id, source, stage, stage_changed_at)
             SELECT i, 'crm-' || i, 'ads', 'mql', strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-10 days') FROM ids",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE leads SET stage = 'sql', stage_changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-9 days') WHERE id <= 80",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE leads SET stage = 'customer', stage_changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days') WHERE id <= 40",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        db.pool.close().await;
    }
    let path = dir.path().join("baton.toml");
    std::fs::write(&path, config_text(dir.path(), TEAM)).unwrap();
    let config = path.display().to_string();
    let out = crate::cli::baton(
        &[
            "funnel",
            "plan",
            "4",
            "customers",
            "--format",
            "json",
            "--config",
            &config,
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    // 400 MQLs → 80 SQLs → 40 customers: the opportunity stage was skipped, so it is
    // folded and the SQLs plan on the customers.
    assert_eq!(plan["stages"][5]["needed"], 4);
    assert_eq!(plan["stages"][4]["folded"], true);
    assert!(plan["stages"][4]["needed"].is_null());
    assert_eq!(
        plan["stages"][3]["needed"],
        reference_needed(4, &[(80, 40), (40, 0)])[0]
    );
    assert_eq!(
        plan["stages"][2]["needed"],
        reference_needed(4, &[(400, 80), (80, 40), (40, 0)])[0]
    );
    let out = crate::cli::baton(
        &["funnel", "plan", "4", "customers", "--config", &config],
        &[],
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Plan: 4 customers in this-quarter"), "{text}");
    let out = crate::cli::baton(&["funnel", "plan", "4", "--config", &config], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a plan is for customers"), "{err}");
    assert!(err.contains("baton funnel plan N customers"), "{err}");
}

#[test]
fn check_config_names_the_customer_target_keys() {
    let dir = tempfile::tempdir().unwrap();
    for (extra, key) in [
        (
            "[marketing]\ncustomer_target = 0\n",
            "marketing.customer_target: 0",
        ),
        (
            "[marketing]\ncustomer_target_period = \"quarter\"\n",
            "marketing.customer_target_period is set without marketing.customer_target",
        ),
        (
            "[marketing]\ncustomer_target = 12\ncustomer_target_period = \"year\"\n",
            "customer_target_period",
        ),
    ] {
        let path = dir.path().join("baton.toml");
        std::fs::write(&path, config_text(dir.path(), &format!("{TEAM}\n{extra}"))).unwrap();
        let out = crate::cli::baton(
            &["check-config", "--config", &path.display().to_string()],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{extra}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "{extra}: {err}");
    }
}

#[tokio::test]
async fn the_weakest_step_is_the_one_furthest_below_its_quarterly_median() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    // Q1 and Q2 2026: 1,000 MQLs, 40 SQLs (4%), 20 opportunities, 4 customers each.
    for (first, day) in [(1, "2026-02-10"), (2_001, "2026-05-10")] {
        let at = |hour: u32| format!("{day}T{hour:02}:00:00Z");
        seed(
            &db,
            first,
            1_000,
            "ads",
            "mql",
            &at(9),
            &[
                ("sql", 40, &at(10)),
                ("opportunity", 20, &at(11)),
                ("customer", 4, &at(12)),
            ],
        )
        .await;
    }
    // This quarter, the basis: 1,000 MQLs but only 20 SQLs (2%), 10 opportunities, 2 customers.
    seed(
        &db,
        5_001,
        1_000,
        "ads",
        "mql",
        "2026-10-10T09:00:00Z",
        &[
            ("sql", 20, "2026-10-10T10:00:00Z"),
            ("opportunity", 10, "2026-10-10T11:00:00Z"),
            ("customer", 2, "2026-10-10T12:00:00Z"),
        ],
    )
    .await;
    let config = config(dir.path(), "");
    let now = at(NOW);
    let plan = plan_json(&db, &config, "/funnel plan 8 customers", now).await;
    let weakest = &plan["weakest"];
    assert_eq!(weakest["stage"], "mql");
    assert_eq!(weakest["to"], "sql");
    assert!((weakest["conversion"].as_f64().unwrap() - 0.02).abs() < 1e-12);
    assert!((weakest["median"].as_f64().unwrap() - 0.04).abs() < 1e-12);
    // The pace delivers 1,000 MQLs / elapsed · 2% · 50% · 20% customers; doubling the
    // MQL→SQL step doubles them, which closes the whole gap to 8.
    let elapsed = plan["elapsed"].as_f64().unwrap();
    let delivered = 1_000.0 / elapsed * 0.02 * 0.5 * 0.2;
    assert!((plan["delivered"].as_f64().unwrap() - delivered).abs() < 1e-9);
    let gap = 8.0 - delivered;
    assert!((plan["gap"].as_f64().unwrap() - gap).abs() < 1e-9);
    assert!((weakest["closes"].as_f64().unwrap() - gap.min(delivered)).abs() < 1e-9);
    let text = baton::plan::plan_text(&db, &config, &request("/funnel plan 8 customers"), now)
        .await
        .unwrap();
    assert!(
        text.contains("Weakest step: mql → sql at 2% (its median of the last four quarters: 4%)"),
        "{text}"
    );
}
