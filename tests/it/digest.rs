//! The weekly digest on its schedule: sent once after downtime however often Baton
//! restarts, on the wall clock of its zone across a daylight-saving change; the reps'
//! morning summaries; `baton digest`. The digest's figures are tested against a hand count
//! in `reports.rs`.

use std::process::Output;

use baton::engine::scheduler;
use serde_json::Value;

use crate::harness::*;

/// Every Monday at 09:00 in Berlin.
const WEEKLY: &str = "[digest]\ncron = \"0 0 9 * * Mon\"\ntimezone = \"Europe/Berlin\"\n";

async fn mql(app: &TestApp, id: &str, at: &str) {
    app.external(&format!(
        "INSERT INTO leads (external_id, name, stage, stage_changed_at) VALUES ('{id}', 'Lead {id}', 'mql', '{at}')"
    ))
    .await;
}

fn texts(app: &TestApp) -> Vec<(String, String)> {
    app.console_of_kind("digest")
        .iter()
        .map(|m| {
            (
                m["to"].as_str().unwrap().to_string(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_digest_missed_while_down_is_sent_once_after_restart() {
    // Tuesday 17 November: the job is first seen, nothing is due.
    let mut app = TestApp::spawn(WEEKLY).await;
    app.wait("a scheduler pass", |c| c.scheduler_passes >= 1)
        .await;
    mql(&app, "crm-1", "2026-11-17T11:00:00Z").await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
    assert!(texts(&app).is_empty());

    // Down across Monday 23 November 09:00 Berlin (08:00Z), back at 10:00Z.
    app.stop().await;
    app.clock.set(at("2026-11-23T10:00:00Z"));
    let mut app = app.restart().await;
    app.wait("the digest", |c| c.jobs_run >= 1).await;
    app.drained().await;
    let sent = texts(&app);
    assert_eq!(sent.len(), 2, "the digest and its chart: {sent:?}");
    assert!(sent.iter().all(|(to, _)| to == "boss@acme.test"));
    let (_, digest) = &sent[0];
    assert!(digest.contains("Weekly SLA digest, 2026-W47"), "{digest}");
    assert!(digest.contains("sales: 1 handoff,"), "{digest}");
    assert!(digest.contains("Team sales (manager Boss)"), "{digest}");
    assert!(
        sent[1].1.contains("Funnel chart, week 2026-W47"),
        "{sent:?}"
    );
    let chart = app.dir.path().join("funnel-2026-W47.png");
    assert!(
        chart.exists(),
        "the console writes the chart beside its output"
    );

    // Restarted twice more: still once.
    for _ in 0..2 {
        app = app.restart().await;
        app.wait("a scheduler pass", |c| c.scheduler_passes >= 1)
            .await;
        app.drained().await;
        assert_eq!(texts(&app).len(), 2);
    }
    // Even run again by hand for the same time, the outbox keys keep it at once.
    let job = scheduler::jobs(&app.ctx.config)
        .into_iter()
        .find(|j| j.name == scheduler::DIGEST)
        .unwrap();
    let queued = scheduler::run_job(&app.ctx, &job, at("2026-11-23T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(queued, 0);

    // While running, the next Monday's digest goes out on time.
    app.clock.set(at("2026-11-30T08:00:00Z"));
    app.wait("the next digest", |c| c.jobs_run >= 1).await;
    app.drained().await;
    let sent = texts(&app);
    assert_eq!(sent.len(), 4);
    assert!(sent[2].1.contains("2026-W48"), "{sent:?}");
    app.stop().await;
}

#[tokio::test]
async fn the_digest_keeps_the_wall_clock_across_a_daylight_saving_change() {
    // Berlin leaves summer time on Sunday 25 October 2026 at 03:00 (01:00Z).
    let extra = format!("{WEEKLY}\n[reporting]\ntimezone = \"Europe/Berlin\"\n");
    // Monday 19 October, 10:00 CEST: that morning's digest is already past.
    let mut app = TestApp::builder()
        .config(&extra)
        .at(at("2026-10-19T08:00:00Z"))
        .spawn()
        .await;
    app.wait("a scheduler pass", |c| c.scheduler_passes >= 1)
        .await;
    app.clock.set(at("2026-10-26T07:00:00Z"));
    // Sunday 23:30 CET is still week 43, Monday 00:30 CET is week 44.
    mql(&app, "sunday-late", "2026-10-25T22:30:00Z").await;
    mql(&app, "monday-early", "2026-10-25T23:30:00Z").await;
    app.wait("the handoffs", |c| c.handoffs_opened >= 2).await;
    app.drained().await;
    // 07:00Z would be 09:00 in summer time; in winter time it is 08:00.
    assert!(texts(&app).is_empty());
    assert_eq!(app.ctx.stats.now().jobs_run, 0);

    app.clock.set(at("2026-10-26T08:00:00Z"));
    app.wait("the digest", |c| c.jobs_run >= 1).await;
    app.drained().await;
    let sent = texts(&app);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].1.contains("2026-W43"), "{}", sent[0].1);
    assert!(sent[0].1.contains("sales: 1 handoff,"), "{}", sent[0].1);

    // The week has 169 hours: Monday 00:00 CEST to Monday 00:00 CET.
    let digest = baton::reports::digest::build(
        &app.ctx.db,
        &app.ctx.config,
        "2026-W43".parse().unwrap(),
        app.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(digest.period.from, "2026-10-19T00:00:00+02:00");
    assert_eq!(digest.period.to, "2026-10-26T00:00:00+01:00");
    assert_eq!(digest.teams[0].handoffs.opened, 1);
    app.stop().await;
}

#[tokio::test]
async fn reps_get_a_morning_summary_of_their_open_handoffs_once() {
    let extra = "[digest]\nrep_daily_cron = \"0 30 8 * * Mon-Fri\"\n";
    let mut app = TestApp::spawn(extra).await;
    app.wait("a scheduler pass", |c| c.scheduler_passes >= 1)
        .await;
    mql(&app, "crm-1", "2026-11-17T11:00:00Z").await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
    let assignee = app.console_of_kind("alert")[0]["to"]
        .as_str()
        .unwrap()
        .to_string();

    // Wednesday 08:30 in the reps' zone (UTC): one summary, to the rep with an open
    // handoff; the other has nothing open and gets nothing.
    app.clock.set(at("2026-11-18T08:30:00Z"));
    app.wait("both reps' jobs", |c| c.jobs_run >= 2).await;
    app.drained().await;
    let sent = texts(&app);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, assignee);
    assert!(sent[0].1.starts_with("Good morning"), "{}", sent[0].1);
    assert!(
        sent[0].1.contains("Your open handoffs (1)"),
        "{}",
        sent[0].1
    );

    app = app.restart().await;
    app.wait("a scheduler pass", |c| c.scheduler_passes >= 1)
        .await;
    app.drained().await;
    assert_eq!(texts(&app).len(), 1);
    app.stop().await;
}

#[test]
fn bad_schedules_are_config_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[digest]\ncron = \"0 0 9 * * 1\"\n",
            "digest.cron: \"0 0 9 * * 1\" is not a schedule: write days of the week as names",
        ),
        (
            "[digest]\ncron = \"0 9 * * Mon\"\n",
            "digest.cron: \"0 9 * * Mon\" is not a schedule: write 6 fields",
        ),
        (
            "[digest]\nrep_daily_cron = \"0 30 8 * * *\"\ntimezone = \"Moon/Base\"\n",
            "digest.timezone: \"Moon/Base\" is not an IANA time zone",
        ),
        (
            "[digest]\nto = [\"nobody@acme.test\"]\n",
            "digest.to: \"nobody@acme.test\" is not a [[person]]",
        ),
    ];
    for (extra, expected) in cases {
        let text = config_text(dir.path(), &format!("{TEAM}\n{extra}"));
        let e = baton::config::Config::from_toml("t", &text, &Default::default()).unwrap_err();
        assert!(e.to_string().contains(expected), "{e}");
    }
}

fn baton(args: &[&str]) -> Output {
    crate::cli::baton(args, &[])
}

#[tokio::test]
async fn baton_digest_shows_any_past_week_and_queues_it_once() {
    let mut app = TestApp::spawn("").await;
    mql(&app, "crm-1", "2026-11-17T11:00:00Z").await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
    app.stop().await;
    let config = app.dir.path().join("baton.toml");
    std::fs::write(&config, config_text(app.dir.path(), TEAM)).unwrap();
    let config = config.display().to_string();

    let out = baton(&[
        "digest",
        "--config",
        &config,
        "--week",
        "2026-W47",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["week"], "2026-W47");
    assert_eq!(d["period"]["from"], "2026-11-16T00:00:00Z");
    assert_eq!(d["teams"][0]["team"], "sales");
    assert_eq!(d["teams"][0]["handoffs"]["opened"], 1);
    assert_eq!(d["marketing"]["stages"].as_array().unwrap().len(), 7);
    assert_eq!(d["recipients"][0]["to"], "boss@acme.test");
    let db = baton::store::Db::open(&app.db_path()).await.unwrap();
    let queued = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE kind = 'digest'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
    };
    assert_eq!(queued().await, 0, "a dry run queues nothing");

    let out = baton(&["digest", "--config", &config, "--week", "2026-W47"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("──── To: boss@acme.test ────"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("queued 2 of 2 messages"));
    let out = baton(&["digest", "--config", &config, "--week", "2026-W47"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("queued 0 of 2 messages"));
    assert_eq!(queued().await, 2);

    for bad in ["2026-W54", "last-week", "2999-W01"] {
        let out = baton(&["digest", "--config", &config, "--week", bad, "--dry-run"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--week"),
            "{bad}"
        );
    }
    // The two digests `baton digest` queued while Baton was stopped stay queued.
    app.expect_unsent(2);
}

/// The digest's "overdue now" list: by deadline, then handoff, then clock, each name as
/// stored, whatever another writer stored as a lead's name (control characters, a BLOB,
/// a number).
#[tokio::test]
async fn the_overdue_list_is_the_same_however_it_is_read() {
    use baton::store::reports::{OverdueRow, overdue};
    let sla =
        "[[sla]]\nname = \"plain\"\nack = \"10m\"\nfirst_touch = \"1h\"\ndisposition = \"1d\"\n";
    let app = TestApp::spawn(sla).await;
    // Four MQLs at 11:00 (Ann's and Bob's): o1 named, o2 without a name, o3 with an
    // empty one, o4 acked and contacted in time.
    app.external(
        "INSERT INTO leads (external_id, name, owner_email, stage, stage_changed_at) VALUES
           ('o1', 'Ona', 'ann@acme.test', 'mql', '2026-11-17T11:00:00Z'),
           ('o2', NULL, 'bob@acme.test', 'mql', '2026-11-17T11:00:00Z'),
           ('o3', '', 'ann@acme.test', 'mql', '2026-11-17T11:00:00Z'),
           ('o4', 'Ode', 'bob@acme.test', 'mql', '2026-11-17T11:00:00Z');",
    )
    .await;
    app.wait("four handoffs", |c| c.handoffs_opened >= 4).await;
    let (ok, text) = app.command("bob@acme.test", "/lead ack o4").await;
    assert!(ok, "{text}");
    let (ok, text) = app
        .command("bob@acme.test", "/lead contacted o4 called")
        .await;
    assert!(ok, "{text}");
    // 18 November 12:00: every ack and first touch ran out but o4's, and every decision.
    app.clock.set(at("2026-11-18T12:00:00Z"));
    app.timers_settled().await;
    app.drained().await;
    let now = app.clock.now();
    let pool = &app.ctx.db.pool;

    let shown = |rows: &[OverdueRow]| -> Vec<(i64, Option<String>, String, String)> {
        rows.iter()
            .map(|r| {
                (
                    r.handoff_id,
                    r.lead.clone(),
                    r.clock.clone(),
                    r.due_at.clone(),
                )
            })
            .collect()
    };
    let got = overdue(pool, now, None).await.unwrap();
    let (ona, o2, empty) = (
        Some("Ona".to_string()),
        Some("o2".to_string()),
        Some(String::new()),
    );
    let ack = "2026-11-17T11:10:00.000Z".to_string();
    let first = "2026-11-17T12:00:00.000Z".to_string();
    let decide = "2026-11-18T11:00:00.000Z".to_string();
    let c = |s: &str| s.to_string();
    assert_eq!(
        shown(&got),
        vec![
            (1, ona.clone(), c("ack"), ack.clone()),
            (2, o2.clone(), c("ack"), ack.clone()),
            (3, empty.clone(), c("ack"), ack.clone()),
            (1, ona.clone(), c("first_touch"), first.clone()),
            (2, o2.clone(), c("first_touch"), first.clone()),
            (3, empty.clone(), c("first_touch"), first.clone()),
            (1, ona, c("disposition"), decide.clone()),
            (2, o2, c("disposition"), decide.clone()),
            (3, empty, c("disposition"), decide.clone()),
            (4, Some(c("Ode")), c("disposition"), decide),
        ]
    );
    assert!(got.iter().all(|r| r.team.as_deref() == Some("sales")));
    assert!(got.iter().all(|r| r.assignee.is_some()));
    assert_eq!(overdue(pool, now, Some("sales")).await.unwrap(), got);
    assert!(overdue(pool, now, Some("other")).await.unwrap().is_empty());

    // Names another writer may store.
    for name in [
        "'On' || char(31) || 'a'",
        "'On' || char(30) || 'a'",
        "x'ff00'",
        "CAST(x'4f6e61' AS BLOB)",
        "42",
        "4.5",
    ] {
        app.external(&format!(
            "UPDATE leads SET name = {name} WHERE external_id = 'o1';"
        ))
        .await;
        let got = overdue(pool, now, None).await.unwrap();
        assert_eq!(got.len(), 10, "{name}");
        assert_eq!(got[0].handoff_id, 1);
        assert!(got[0].lead.is_some(), "{name}");
    }
    // And the digest lists them as stored, every one of them.
    let digest = baton::reports::digest::build(
        &app.ctx.db,
        &app.ctx.config,
        "2026-W47".parse().unwrap(),
        now,
    )
    .await
    .unwrap();
    assert_eq!(digest.teams[0].overdue.len(), 10);
    assert_eq!(digest.teams[0].overdue[0].lead.as_deref(), Some("4.5"));
    assert_eq!(digest.teams[0].overdue[0].overdue_s, 89_400.0);
    app.drained().await;
}
