//! Slack end to end: Baton's real HTTP listener and slack-morphism client against the fake
//! Slack of `fake_slack.rs`. Alerts become DMs with buttons; signed button clicks, slash
//! commands and the Reject modal change handoffs and edit the alert in place; the same
//! through Socket Mode; bad signatures change nothing; 429s are waited out; a burst keeps
//! each rep's order within Slack's per-channel rate; a chart is shared with files upload
//! v2, and a failed upload is retried without posting twice. Block Kit is checked against
//! `tests/golden/slack/`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use baton::chat::slack::blocks;
use baton::config::Config;
use baton::engine::Ctx;
use baton::message::{Action, Chart, ChartBar, Kind, Message};
use serde_json::{Value, json};

use crate::fake_slack::{BOT_TOKEN, FakeSlack, FileCall};
use crate::harness::slack::*;
use crate::harness::*;

#[tokio::test]
async fn http_alert_button_click_acks_and_edits_the_alert_in_place() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    let alert = app.slack().alerted().await;
    assert_eq!(alert.channel, "DUANN", "Ann's DM, found by email");
    assert_eq!(
        action_ids(&alert.body),
        [
            "baton:ack:1",
            "baton:contacted:1",
            "baton:accept:1",
            "baton:reject:1",
            "baton:rate:1"
        ]
    );
    assert_eq!(alert.body["text"], "New MQL: Ina (Acme)");

    let response_url = app.slack().fake.response_url("click-1");
    let res = app
        .slack()
        .post(
            "/slack/interactions",
            &click("baton:ack:1", "UANN", "trigger-1", &response_url),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.slack()
        .fake
        .wait("chat.update", |c| !c.updates.is_empty())
        .await;
    let update = app.slack().fake.updates().remove(0);
    assert_eq!(
        (update.channel.as_str(), update.ts.as_str()),
        (alert.channel.as_str(), alert.ts.as_str())
    );
    assert_eq!(
        update.body["blocks"][0]["text"]["text"],
        "New MQL: Ina (Acme)"
    );
    assert!(
        update.body["blocks"][1]["elements"][0]["text"]
            .as_str()
            .unwrap()
            .contains("acknowledged by Ann")
    );
    assert_eq!(
        action_ids(&update.body),
        [
            "baton:contacted:1",
            "baton:accept:1",
            "baton:reject:1",
            "baton:rate:1"
        ]
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE acked_by = 'ann@acme.test'")
            .await,
        1
    );
    app.slack()
        .fake
        .wait("the ephemeral reply", |c| !c.responses.is_empty())
        .await;
    let reply = app.slack().fake.calls().responses[0].clone();
    assert_eq!(reply["id"], "click-1");
    assert!(
        reply["body"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Acknowledged lead #1")
    );

    // Slack retries the same delivery: acknowledged, not applied again.
    let res = app
        .slack()
        .post_signed(
            "/slack/interactions",
            &click("baton:ack:1", "UANN", "trigger-1", &response_url),
            Some(SECRET),
            app.clock.now().timestamp(),
            Some(1),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'acknowledged%'")
            .await,
        1
    );
    assert_eq!(
        app.slack().fake.calls().posts.len(),
        1,
        "updates edit, they do not post"
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_stale_or_missing_signatures_get_401_and_change_nothing() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.slack().alerted().await;
    let body = click(
        "baton:ack:1",
        "UANN",
        "trigger-x",
        &app.slack().fake.response_url("x"),
    );
    let now = app.clock.now().timestamp();
    let cases = [
        ("wrong secret", Some("not-the-secret"), now, body.clone()),
        ("stale", Some(SECRET), now - 301, body.clone()),
        ("from the future", Some(SECRET), now + 301, body.clone()),
        ("missing", None, now, body.clone()),
    ];
    for (what, secret, ts, body) in cases {
        let res = app
            .slack()
            .post_signed("/slack/interactions", &body, secret, ts, None)
            .await;
        assert_eq!(res.status(), 401, "{what}");
    }
    // Tampered: signed one body, sent another.
    let res = reqwest::Client::new()
        .post(format!("http://{}/slack/commands", app.address))
        .header("x-slack-request-timestamp", now.to_string())
        .header(
            "x-slack-signature",
            sign(SECRET, now, "command=%2Flead&text=show+1"),
        )
        .body("command=%2Flead&text=ack+1&user_id=UANN&trigger_id=t")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "tampered");
    for path in ["/slack/commands", "/slack/events"] {
        let res = app
            .slack()
            .post_signed(path, "x=1", Some("nope"), now, None)
            .await;
        assert_eq!(res.status(), 401, "{path}");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE acked_at IS NOT NULL")
            .await,
        0
    );
    assert!(app.slack().fake.calls().responses.is_empty());
    assert!(app.slack().fake.calls().updates.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn slash_commands_answer_ephemerally_and_know_who_is_asking() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.slack().alerted().await;
    let command = |text: &str, user: &str, trigger: &str| {
        form(&[
            ("command", "/lead"),
            ("text", text),
            ("user_id", user),
            ("trigger_id", trigger),
            ("response_url", "http://127.0.0.1:9/unused"),
        ])
    };
    let answer: Value = app
        .slack()
        .post("/slack/commands", &command("show 1", "UANN", "t1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .starts_with("Lead #1: Ina (Acme)"),
        "{answer}"
    );

    let answer: Value = app
        .slack()
        .post("/slack/commands", &command("ack 99", "UANN", "t2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("there is no lead 99"),
        "{answer}"
    );

    // Someone Slack knows but Baton's config does not.
    let answer: Value = app
        .slack()
        .post("/slack/commands", &command("ack 1", "UZED", "t3"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("zed@elsewhere.test"),
        "{answer}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE acked_at IS NOT NULL")
            .await,
        0
    );

    let answer: Value = app
        .slack()
        .post("/slack/commands", &command("ack 1", "UANN", "t4"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .starts_with("Acknowledged lead #1"),
        "{answer}"
    );
    // The same command delivered again is not run twice.
    let res = app
        .slack()
        .post("/slack/commands", &command("ack 1", "UANN", "t4"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'acknowledged%'")
            .await,
        1
    );

    let events: Value = app
        .slack()
        .post(
            "/slack/events",
            &json!({"type": "url_verification", "challenge": "abc"}).to_string(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["challenge"], "abc");
    app.drained().await;
    app.stop().await;
}

#[tokio::test]
async fn reject_opens_a_modal_whose_submission_rejects_with_the_reason() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.slack().alerted().await;
    let res = app
        .slack()
        .post(
            "/slack/interactions",
            &click(
                "baton:reject:1",
                "UANN",
                "trigger-r",
                &app.slack().fake.response_url("r"),
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    let views = app.slack().fake.calls().views.clone();
    assert_eq!(views.len(), 1, "the modal is open before the answer");
    assert_eq!(views[0]["trigger_id"], "trigger-r");
    assert_eq!(views[0]["view"]["private_metadata"], "1");

    let submission = |trigger: &str| {
        let payload = json!({
            "type": "view_submission",
            "user": {"id": "UANN"},
            "trigger_id": trigger,
            "view": {
                "id": "V1",
                "callback_id": "baton_reject",
                "private_metadata": "1",
                "state": {"values": {
                    "reason": {"reason": {"type": "static_select", "selected_option": {"value": "no_budget"}}},
                    "note": {"note": {"type": "plain_text_input", "value": "too small\nfor now"}},
                }},
            },
        });
        form(&[("payload", &payload.to_string())])
    };
    let res = app
        .slack()
        .post("/slack/interactions", &submission("trigger-s1"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.text().await.unwrap(),
        "",
        "an empty answer closes the modal"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE status = 'rejected' AND reject_reason = 'no_budget' AND note = 'too small for now'").await,
        1
    );
    // A second submission is refused inside the modal.
    let answer: Value = app
        .slack()
        .post("/slack/interactions", &submission("trigger-s2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_action"], "errors");
    assert!(
        answer["errors"]["reason"]
            .as_str()
            .unwrap()
            .contains("already rejected"),
        "{answer}"
    );
    app.slack()
        .fake
        .wait("the edited alert", |c| !c.updates.is_empty())
        .await;
    app.stop().await;
}

#[tokio::test]
async fn socket_mode_alert_click_and_command_are_acknowledged_by_envelope() {
    let mut app = socket_app().await;
    let alert = app.slack().alerted().await;
    assert_eq!(alert.channel, "DUANN");
    let click = json!({
        "type": "block_actions",
        "user": {"id": "UANN"},
        "trigger_id": "sock-trigger-1",
        "response_url": app.slack().fake.response_url("sock-1"),
        "actions": [{"type": "button", "action_id": "baton:ack:1"}],
    });
    app.slack().fake.push(json!({"envelope_id": "env-1", "type": "interactive", "payload": click, "retry_attempt": 0}));
    app.slack()
        .fake
        .wait("the ack of env-1", |c| {
            c.acks.iter().any(|a| a["envelope_id"] == "env-1")
        })
        .await;
    app.slack()
        .fake
        .wait("chat.update", |c| !c.updates.is_empty())
        .await;
    assert_eq!(app.slack().fake.updates()[0].ts, alert.ts);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE acked_by = 'ann@acme.test'")
            .await,
        1
    );

    // Retries, with the same or a new envelope id, are acknowledged and not run again.
    app.slack().fake.push(json!({"envelope_id": "env-1", "type": "interactive", "payload": click, "retry_attempt": 1}));
    app.slack().fake.push(json!({"envelope_id": "env-2", "type": "interactive", "payload": click, "retry_attempt": 2}));
    app.slack()
        .fake
        .wait("the retries' acks", |c| c.acks.len() >= 3)
        .await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'acknowledged%'")
            .await,
        1
    );

    let command = json!({"command": "/lead", "text": "show 1", "user_id": "UANN", "trigger_id": "sock-t3", "response_url": app.slack().fake.response_url("sock-3")});
    app.slack().fake.push(json!({"envelope_id": "env-3", "type": "slash_commands", "payload": command, "accepts_response_payload": true}));
    app.slack()
        .fake
        .wait("the command's ack", |c| {
            c.acks.iter().any(|a| a["envelope_id"] == "env-3")
        })
        .await;
    let ack = app
        .slack()
        .fake
        .calls()
        .acks
        .iter()
        .find(|a| a["envelope_id"] == "env-3")
        .cloned()
        .unwrap();
    assert_eq!(ack["payload"]["response_type"], "ephemeral");
    assert!(
        ack["payload"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Lead #1"),
        "{ack}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_429_is_waited_out_then_delivered() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.slack().fake.set(|c| c.fail_posts = Some((1, 30)));
    app.external(ANN_LEAD).await;
    app.slack()
        .fake
        .wait("the 429", |c| c.rate_limited == 1)
        .await;
    let failed = app.ctx.stats.wait_for(|c| c.send_failures >= 1).await;
    assert_eq!(failed.send_failures, 1);
    let next = app
        .scalar("SELECT COUNT(*) FROM outbox WHERE platform = 'slack' AND status = 'pending' AND next_attempt_at = '2026-11-17T11:00:30.000Z'")
        .await;
    assert_eq!(next, 1, "retried after the 30 s Slack asked for");
    app.clock.advance(chrono::Duration::seconds(29));
    assert!(app.slack().fake.posts().is_empty());
    app.clock.advance(chrono::Duration::seconds(1));
    app.slack()
        .fake
        .wait("the delivery after the wait", |c| c.posts.len() == 1)
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_person_slack_does_not_know_is_alerted_in_the_alert_channel() {
    let team = TEAM.replace("ann@acme.test", "ghost.ann@acme.test");
    let mut app = TestApp::builder()
        .team(&team)
        .fake_slack_with("http", "alert_channel = \"#mql\"")
        .spawn()
        .await;
    app.external(&ANN_LEAD.replace("ann@acme.test", "ghost.ann@acme.test"))
        .await;
    app.slack()
        .fake
        .wait("the fallback", |c| !c.posts.is_empty())
        .await;
    let post = app.slack().fake.posts().remove(0);
    assert_eq!(post.channel, "CMQL");
    assert!(
        post.body["blocks"][1]["elements"][0]["text"]
            .as_str()
            .unwrap()
            .contains("ghost.ann@acme.test")
    );
    app.stop().await;
}

#[tokio::test]
async fn check_config_can_list_the_people_slack_does_not_know() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let team = TEAM.replace("bob@acme.test", "ghost.bob@acme.test");
    let slack = format!(
        "[slack]\nenabled = true\nmode = \"http\"\napi_url = \"{}\"\n",
        fake.api_url()
    );
    let text = config_text(dir.path(), &format!("{slack}\n{team}"));
    let config = Config::from_toml("test config", &text, &env()).unwrap();
    let missing = baton::chat::slack::people_not_on_slack(&config)
        .await
        .unwrap();
    assert_eq!(missing, ["ghost.bob@acme.test"]);
}

/// 500 alerts to 50 reps against a fake that enforces Slack's one message per second per
/// channel: all arrive, each rep's in order, with no 429.
#[tokio::test]
async fn a_burst_of_500_alerts_to_50_reps_arrives_complete_and_in_order() {
    let mut team = String::from(
        "[[calendar]]\nname = \"always\"\ntimezone = \"UTC\"\nhours = \"Mon-Sun 00:00-24:00\"\n\
         [[person]]\nemail = \"boss@acme.test\"\nrole = \"manager\"\nteam = \"sales\"\n\
         [[team]]\nname = \"sales\"\nmanager = \"boss@acme.test\"\n",
    );
    for i in 0..50 {
        team.push_str(&format!(
            "[[person]]\nemail = \"rep{i}@acme.test\"\nrole = \"rep\"\nteam = \"sales\"\ncalendar = \"always\"\n"
        ));
    }
    let mut app = TestApp::builder().team(&team).fake_slack().spawn().await;
    app.slack()
        .fake
        .set(|c| c.min_interval = Some(Duration::from_secs(1)));
    let inserts: Vec<String> = (0..500)
        .map(|n| format!(
            "INSERT INTO leads (external_id, name, stage, owner_email) VALUES ('b{n}', 'L{n}', 'mql', 'rep{}@acme.test')",
            n % 50
        ))
        .collect();
    // Timed from the commit: the ideal is 9 s after it (ten posts a channel, one a second).
    let started = app.commit_timed(&inserts).await;
    // Rows a 429 put back wait for Retry-After on Baton's (manual) clock.
    app.slack()
        .wait_retrying("500 alerts", |c| c.posts.len() >= 500)
        .await;
    let elapsed = started.elapsed();
    let posts = app.slack().fake.posts();
    let rate_limited = app.slack().fake.calls().rate_limited;
    let mut per_rep: HashMap<String, Vec<u32>> = HashMap::new();
    for post in &posts {
        let n: u32 = post.body["text"].as_str().unwrap()["New MQL: L".len()..]
            .parse()
            .unwrap();
        per_rep.entry(post.channel.clone()).or_default().push(n);
    }
    assert_eq!(per_rep.len(), 50);
    for (channel, leads) in &per_rep {
        assert_eq!(leads.len(), 10, "{channel}");
        assert!(
            leads.windows(2).all(|w| w[0] < w[1]),
            "{channel} out of order: {leads:?}"
        );
    }
    let mut last: HashMap<&str, Instant> = HashMap::new();
    let mut min_gap = Duration::MAX;
    for post in &posts {
        if let Some(before) = last.insert(&post.channel, post.at) {
            min_gap = min_gap.min(post.at.duration_since(before));
        }
    }
    // Where the time beyond the ideal goes: to the first post, the first round (every
    // channel's first post), and the pacing of the nine after it.
    let first_post = posts[0].at.duration_since(started);
    let first_round = last
        .keys()
        .filter_map(|channel| posts.iter().find(|p| p.channel == *channel))
        .map(|p| p.at.duration_since(posts[0].at))
        .max()
        .unwrap_or_default();
    eprintln!(
        "burst: 500 alerts to 50 reps in {elapsed:?} ({:.3} of the 9 s ideal) with {rate_limited} 429s; \
         commit → first post {first_post:?}, first round spread over {first_round:?}; \
         closest two posts to one channel: {min_gap:?}",
        9.0 / elapsed.as_secs_f64()
    );
    assert_eq!(rate_limited, 0, "{rate_limited} 429s");
    app.stop().await;
}

fn golden_alert() -> Message {
    Message::new("New MQL: Jane Doe (Acme & Sons)")
        .field("Lead", "#7 crm-7")
        .field("Title", "VP Sales")
        .field("Source", "webinar / q4-launch")
        .field("Score", "87")
        .field("Why MQL", "stage changed lead → mql at 2026-11-17T11:00:00.000Z")
        .field("Assigned", "ann@acme.test (owner)")
        .about(7)
        .actions(&Action::ALL)
        .text("SLA: acknowledge by Tue 17 Nov 12:00 UTC (in 1h); first touch by Tue 17 Nov 15:00 UTC (in 4h)")
}

fn check_golden(name: &str, actual: &Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/golden/slack/{name}.json"));
    let text = serde_json::to_string_pretty(actual).unwrap() + "\n";
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with BLESS=1", path.display()));
    assert_eq!(
        text, expected,
        "{name}: run with BLESS=1 to accept the new rendering"
    );
}

#[test]
fn block_kit_matches_the_golden_files_and_slack_morphisms_model() {
    let alert = golden_alert();
    let update = Message::new("Lead #7: acknowledged by Ann")
        .about(7)
        .actions(&[Action::Accept, Action::Reject, Action::Rate]);
    let reply = Message::new("Acknowledged lead #7: Jane Doe.");
    let cases = [
        ("alert", Value::Array(blocks::render(&alert))),
        (
            "update",
            Value::Array(blocks::render_update(&alert, &update)),
        ),
        ("reply", Value::Array(blocks::render_reply(&reply))),
        (
            "absent",
            Value::Array(blocks::render_for_absent(&alert, "ghost@acme.test")),
        ),
        (
            "reject_modal",
            blocks::reject_modal(baton::i18n::Locale::En, 7),
        ),
    ];
    for (name, rendered) in &cases {
        check_golden(name, rendered);
        // Valid Block Kit as slack-morphism models it.
        if *name == "reject_modal" {
            serde_json::from_value::<slack_morphism::prelude::SlackView>(rendered.clone())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            serde_json::from_value::<Vec<slack_morphism::prelude::SlackBlock>>(rendered.clone())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn slack_config_names_the_missing_secret() {
    let dir = tempfile::tempdir().unwrap();
    let check = |slack: &str, env: &HashMap<String, String>| {
        let text = config_text(
            dir.path(),
            &format!("[slack]\nenabled = true\n{slack}\n{TEAM}"),
        );
        Config::from_toml("test", &text, env).map(|c| c.describe())
    };
    let none = HashMap::new();
    let e = check("mode = \"http\"", &none).unwrap_err().to_string();
    assert!(
        e.contains("SLACK_BOT_TOKEN") && e.contains("SLACK_SIGNING_SECRET"),
        "{e}"
    );
    let e = check("mode = \"socket\"", &none).unwrap_err().to_string();
    assert!(e.contains("SLACK_APP_TOKEN"), "{e}");
    let e = check("api_url = \"slack.com\"", &env())
        .unwrap_err()
        .to_string();
    assert!(e.contains("slack.api_url"), "{e}");
    let described = check("mode = \"http\"", &env()).unwrap();
    assert!(
        described.contains("# secret SLACK_BOT_TOKEN: set (***)"),
        "{described}"
    );
    assert!(!described.contains(BOT_TOKEN));
}

/// Fuzzing: correctly signed but arbitrary form bodies (slash commands, interaction
/// payloads with arbitrary JSON, events) never make Baton fail or panic.
#[test]
fn arbitrary_signed_slack_requests_get_an_answer_never_a_crash() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config as RunnerConfig, TestRunner};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut app = runtime.block_on(TestApp::builder().fake_slack().spawn());
    let words = prop::sample::select(vec![
        "/lead",
        "/funnel",
        "/sla",
        "/baton",
        "ack 1",
        "reject 1 spam",
        "show",
        "UANN",
        "UBOB",
        "block_actions",
        "view_submission",
        "baton:ack:1",
        "baton:reject:1",
        "{",
        "}",
        "[]",
        "null",
        "url_verification",
    ]);
    let value = prop_oneof![words.clone().prop_map(str::to_string), ".{0,60}"];
    let json_value = prop_oneof![
        value.clone().prop_map(|v| format!("\"{}\"", v.replace('"', ""))),
        (words.clone(), value.clone()).prop_map(|(t, a)| format!(
            "{{\"type\":\"{t}\",\"user\":{{\"id\":\"UANN\"}},\"actions\":[{{\"action_id\":\"{}\"}}],\"trigger_id\":\"t\"}}",
            a.replace(['"', '\\'], "")
        )),
        ".{0,80}",
    ];
    let keys = prop::sample::select(vec![
        "command",
        "text",
        "user_id",
        "trigger_id",
        "response_url",
        "payload",
        "type",
        "challenge",
        "team_id",
    ]);
    let body = prop::collection::vec((keys, prop_oneof![value, json_value]), 0..7);
    let path = prop::sample::select(vec![
        "/slack/commands",
        "/slack/interactions",
        "/slack/events",
    ]);
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 128,
        ..RunnerConfig::default()
    });
    runner
        .run(&(path, body), |(path, pairs)| {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let body = form(&pairs);
            let status = runtime
                .block_on(app.slack().post(path, &body))
                .status()
                .as_u16();
            prop_assert!(status < 500, "status {status} for {path} {body}");
            Ok(())
        })
        .unwrap();
    runtime.block_on(app.stop());
}

/// Faults on 30% of posts (500s, 429s with Retry-After, answers too slow to wait for,
/// dropped connections): every alert is still delivered, once, in order per rep.
#[tokio::test]
async fn with_faults_on_30_percent_of_calls_every_alert_arrives_in_order() {
    let mut team = String::from(
        "[[calendar]]\nname = \"always\"\ntimezone = \"UTC\"\nhours = \"Mon-Sun 00:00-24:00\"\n\
         [[person]]\nemail = \"boss@acme.test\"\nrole = \"manager\"\nteam = \"sales\"\n\
         [[team]]\nname = \"sales\"\nmanager = \"boss@acme.test\"\n",
    );
    for i in 0..10 {
        team.push_str(&format!(
            "[[person]]\nemail = \"rep{i}@acme.test\"\nrole = \"rep\"\nteam = \"sales\"\ncalendar = \"always\"\n"
        ));
    }
    let mut app = TestApp::builder()
        .team(&team)
        .fake_slack()
        .tweak(|ctx| ctx.send_timeout = std::time::Duration::from_millis(500))
        .spawn()
        .await;
    app.slack().fake.set(|c| c.chaos = Some(30));
    let mut inserts = String::new();
    for i in 0..60 {
        inserts.push_str(&format!(
            "INSERT INTO leads (external_id, name, stage) VALUES ('f{i}', 'Fault {i}', 'mql');\n"
        ));
    }
    app.external(&inserts).await;
    // Retries wait on the manual clock: it moves on to each retry as a send fails.
    app.slack()
        .wait_retrying("60 alerts", |c| c.posts.len() >= 60)
        .await;
    let (disrupted, posts) = {
        let calls = app.slack().fake.calls();
        (
            calls.disrupted,
            calls
                .posts
                .iter()
                .map(|p| (p.channel.clone(), p.body.to_string()))
                .collect::<Vec<_>>(),
        )
    };
    assert!(disrupted >= 12, "faults injected: {disrupted}");
    let mut per_channel: HashMap<String, Vec<i64>> = HashMap::new();
    for (channel, text) in &posts {
        let lead: i64 = text
            .split("Fault ")
            .nth(1)
            .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        per_channel.entry(channel.clone()).or_default().push(lead);
    }
    let mut all: Vec<i64> = per_channel.values().flatten().copied().collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 60, "every alert once");
    for (channel, leads) in &per_channel {
        let mut sorted = leads.clone();
        sorted.sort_unstable();
        assert_eq!(leads, &sorted, "in order for {channel}");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'dead'")
            .await,
        0
    );
    app.stop().await;
}

/// A funnel chart as the weekly digest sends it.
pub fn funnel_chart() -> Chart {
    let stages = [
        ("visitor", 1200),
        ("lead", 300),
        ("mql", 80),
        ("sql", 31),
        ("opportunity", 9),
        ("customer", 4),
        ("evangelist", 0),
    ];
    Chart {
        file_name: "funnel-2026-W47.png".into(),
        title: "Funnel — week 2026-W47".into(),
        subtitle: "16–22 Nov 2026 · UTC".into(),
        bars: stages
            .iter()
            .map(|(label, value)| ChartBar {
                label: label.to_string(),
                value: *value,
            })
            .collect(),
        ..Chart::default()
    }
}

/// Writes `message` to the outbox for each (platform, recipient) and wakes the
/// dispatchers, as the digest does.
pub async fn enqueue(ctx: &Ctx, targets: &[(&str, &str)], message: &Message) {
    let targets: Vec<(String, String)> = targets
        .iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect();
    let mut tx = ctx.db.begin().await.unwrap();
    let now = baton::store::ts(ctx.clock.now());
    baton::engine::enqueue_all(&mut tx, &targets, Kind::Digest, None, message, None, &now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ctx.outbox_ready.notify_waiters();
}

/// The width and height of a PNG.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(bytes).read_info().expect("a PNG");
    let info = reader.info();
    (info.width, info.height)
}

fn completed(calls: &crate::fake_slack::Calls) -> usize {
    calls
        .files
        .iter()
        .filter(|c| matches!(c, FileCall::Complete { .. }))
        .count()
}

#[tokio::test]
async fn a_chart_is_shared_as_a_file_through_upload_v2_and_written_beside_the_console() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    let message = Message::new("Funnel chart — week 2026-W47").chart(funnel_chart());
    enqueue(
        &app.ctx,
        &[("slack", "#sales"), ("console", "#sales")],
        &message,
    )
    .await;
    app.slack()
        .fake
        .wait("the file share", |c| completed(c) == 1)
        .await;
    let calls = app.slack().fake.calls().files.clone();
    let [
        FileCall::GetUploadUrl {
            filename,
            length,
            file_id,
        },
        FileCall::Upload {
            file_id: uploaded_id,
            bytes,
        },
        FileCall::Complete {
            channel_id,
            files,
            initial_comment,
        },
    ] = calls.as_slice()
    else {
        panic!("expected getUploadURLExternal, upload, completeUploadExternal: {calls:?}");
    };
    assert_eq!(filename, "funnel-2026-W47.png");
    assert_eq!((uploaded_id, *length), (file_id, bytes.len()));
    assert_eq!(
        png_size(bytes),
        (baton::message::chart::WIDTH, baton::message::chart::HEIGHT)
    );
    assert_eq!(channel_id, "CSALES");
    assert_eq!(
        files,
        &[(file_id.clone(), "Funnel — week 2026-W47".to_string())]
    );
    assert_eq!(initial_comment, "*Funnel chart — week 2026-W47*");
    assert!(
        app.slack().fake.posts().is_empty(),
        "a chart is only the file share"
    );

    tokio::time::timeout(PATIENCE, app.ctx.stats.wait_for(|c| c.messages_sent >= 2))
        .await
        .expect("both platforms sent");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE platform = 'slack' AND status = 'sent' AND external_ref = 'F0001'")
            .await,
        1
    );
    let path = app.dir.path().join("funnel-2026-W47.png");
    let written = std::fs::read(&path).expect("the console's chart file");
    assert_eq!(&written, bytes, "the same drawing on both platforms");
    let console = std::fs::read_to_string(app.dir.path().join("console.jsonl")).unwrap();
    let line: Value = serde_json::from_str(console.lines().next().unwrap()).unwrap();
    assert_eq!(
        line["text"],
        format!("Funnel chart — week 2026-W47\nChart: {}", path.display())
    );
    app.stop().await;
}

#[tokio::test]
async fn a_chart_upload_waits_out_a_429_and_a_failed_upload_without_posting_twice() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.slack().fake.set(|c| {
        c.rate_limit_files = Some((1, 30));
        c.fail_uploads = 1;
    });
    let message = Message::new("Funnel chart — week 2026-W47")
        .text("Counts per stage")
        .chart(funnel_chart());
    enqueue(&app.ctx, &[("slack", "#sales")], &message).await;

    let failures = |n: u64| {
        let stats = app.ctx.stats.clone();
        async move {
            tokio::time::timeout(PATIENCE, stats.wait_for(|c| c.send_failures >= n))
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for failure {n}"));
        }
    };
    failures(1).await;
    assert_eq!(app.slack().fake.calls().rate_limited, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE platform = 'slack' AND next_attempt_at = '2026-11-17T11:00:30.000Z'")
            .await,
        1,
        "retried after the 30 s Slack asked for"
    );
    app.clock.advance(chrono::Duration::seconds(30));
    failures(2).await;
    // The upload failed after a URL was handed out: the second attempt's backoff is 2 s.
    app.clock.advance(chrono::Duration::seconds(2));
    app.slack()
        .fake
        .wait("the file share", |c| completed(c) == 1)
        .await;
    let steps: Vec<String> = app
        .slack()
        .fake
        .calls()
        .files
        .iter()
        .map(|c| match c {
            FileCall::GetUploadUrl { file_id, .. } => format!("url {file_id}"),
            FileCall::Upload { file_id, .. } => format!("upload {file_id}"),
            FileCall::Complete { files, .. } => format!("complete {}", files[0].0),
        })
        .collect();
    assert_eq!(
        steps,
        ["url F0001", "url F0002", "upload F0002", "complete F0002"]
    );
    let (posts, files, shared) = {
        let calls = app.slack().fake.calls();
        (calls.posts.len(), calls.files.clone(), calls.shared_files())
    };
    assert_eq!(posts, 0, "the text is never posted on its own");
    let Some(FileCall::Complete {
        initial_comment, ..
    }) = files.last()
    else {
        unreachable!()
    };
    assert_eq!(
        initial_comment,
        "*Funnel chart — week 2026-W47*\nCounts per stage"
    );
    assert_eq!(
        shared.iter().map(|b| png_size(b)).collect::<Vec<_>>(),
        [(baton::message::chart::WIDTH, baton::message::chart::HEIGHT)]
    );
    app.stop().await;
}

#[tokio::test]
async fn funnel_chart_answers_with_the_report_and_shares_the_chart_in_a_dm() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.slack().alerted().await;
    let form = form(&[
        ("command", "/funnel"),
        ("text", "7d by source chart"),
        ("user_id", "UANN"),
        ("trigger_id", "t-chart"),
        ("response_url", "http://127.0.0.1:9/unused"),
    ]);
    let answer: Value = app
        .slack()
        .post("/slack/commands", &form)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_type"], "ephemeral");
    let text: String = answer["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["text"]["text"].as_str())
        .collect();
    assert!(text.contains("*Funnel for 7d"), "{answer}");
    assert!(
        text.contains("The chart follows in a direct message."),
        "{answer}"
    );

    app.slack()
        .fake
        .wait("the chart's file share", |c| completed(c) == 1)
        .await;
    let calls = app.slack().fake.calls().files.clone();
    let [
        FileCall::GetUploadUrl { filename, .. },
        FileCall::Upload { bytes, .. },
        FileCall::Complete { channel_id, .. },
    ] = calls.as_slice()
    else {
        panic!("expected the three upload calls: {calls:?}");
    };
    // By source, the chart is the groups' bars, as tall as its groups need.
    assert_eq!(filename, "funnel-by-source.png");
    let (width, height) = png_size(bytes);
    assert_eq!(width, baton::message::chart::WIDTH);
    assert!(
        (240..baton::message::chart::HEIGHT).contains(&height),
        "{height}"
    );
    // Ann's direct message, as opened by conversations.open in the fake.
    assert!(channel_id.starts_with('D'), "{channel_id}");
    app.stop().await;
}

/// Every string Slack formats (the `text` fallback and every `mrkdwn` object) in `body`.
fn formatted_texts(body: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if map.get("type").and_then(Value::as_str) == Some("mrkdwn")
                    && let Some(text) = map.get("text").and_then(Value::as_str)
                {
                    out.push(text.to_string());
                }
                for (key, value) in map {
                    if key == "text"
                        && let Some(text) = value.as_str()
                        && map.get("type").is_none()
                    {
                        // The message's own `text`: the notification fallback.
                        out.push(text.to_string());
                    }
                    walk(value, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(body, &mut out);
    out
}

/// No `<` or `>` from outside text survives into what Slack formats: no `<!channel>`, no
/// `<@U…>`, no `<https://…|disguised>` link.
fn assert_escaped(body: &Value) {
    let texts = formatted_texts(body);
    assert!(!texts.is_empty(), "{body}");
    for text in texts {
        for bad in ["<!", "<@", "<http", "<#"] {
            assert!(!text.contains(bad), "{bad} in {text:?} of {body}");
        }
    }
}

const HOSTILE_LEAD: &str =
    "INSERT INTO leads (external_id, name, company, title, source, stage, owner_email)
     VALUES ('crm-1', '<!channel> Ina', '<https://evil.example|Click> & Co', '<@UBOSS>',
             '<!here>', 'mql', 'ann@acme.test')";

#[tokio::test]
async fn hostile_crm_text_is_escaped_in_every_slack_field() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.external(HOSTILE_LEAD).await;
    app.slack()
        .fake
        .wait("the alert", |c| !c.posts.is_empty())
        .await;
    let alert = app.slack().fake.posts().remove(0);
    assert_escaped(&alert.body);
    assert_eq!(
        alert.body["text"],
        "New MQL: &lt;!channel&gt; Ina (&lt;https://evil.example|Click&gt; &amp; Co)"
    );
    // The header is plain_text: it stays as written, Slack does not format it.
    assert_eq!(
        alert.body["blocks"][0]["text"]["type"], "plain_text",
        "{}",
        alert.body
    );

    // A hostile note and the answer to /lead show.
    let reject = form(&[
        ("command", "/lead"),
        (
            "text",
            "reject 1 other <!everyone> see <https://evil.example|this>",
        ),
        ("user_id", "UANN"),
        ("trigger_id", "hostile-1"),
        ("response_url", "http://127.0.0.1:9/unused"),
    ]);
    let answer: Value = app
        .slack()
        .post("/slack/commands", &reject)
        .await
        .json()
        .await
        .unwrap();
    assert_escaped(&answer);
    app.slack()
        .fake
        .wait("the update", |c| !c.updates.is_empty())
        .await;
    assert_escaped(&app.slack().fake.updates()[0].body);
    let show = form(&[
        ("command", "/lead"),
        ("text", "show 1"),
        ("user_id", "UANN"),
        ("trigger_id", "hostile-2"),
        ("response_url", "http://127.0.0.1:9/unused"),
    ]);
    let answer: Value = app
        .slack()
        .post("/slack/commands", &show)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_type"], "ephemeral");
    assert_escaped(&answer);
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("&lt;!channel&gt;"),
        "{answer}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_retried_slack_delivery_is_not_run_again_even_after_a_restart() {
    let app = TestApp::builder().fake_slack().spawn().await;
    app.slack().alerted().await;
    let rate = |stars: &str, trigger: &str| {
        let payload = json!({
            "type": "block_actions",
            "user": {"id": "UANN"},
            "trigger_id": trigger,
            "response_url": app.slack().fake.response_url(trigger),
            "actions": [{"type": "static_select", "action_id": "baton:rate:1",
                         "selected_option": {"value": stars}}],
        });
        form(&[("payload", &payload.to_string())])
    };
    let four = rate("4", "trig-4");
    assert_eq!(
        app.slack()
            .post("/slack/interactions", &four)
            .await
            .status(),
        200
    );
    app.slack()
        .fake
        .wait("the answer", |c| !c.responses.is_empty())
        .await;
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 4);
    let two = rate("2", "trig-2");
    app.slack().post("/slack/interactions", &two).await;
    app.slack()
        .fake
        .wait("the second answer", |c| c.responses.len() >= 2)
        .await;
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 2);
    app.slack()
        .fake
        .wait("the updates", |c| c.updates.len() >= 2)
        .await;
    let before = app.dump().await;
    // Slack retries the first delivery (same trigger id): acknowledged, not run.
    let retried = app
        .slack()
        .post_signed(
            "/slack/interactions",
            &four,
            Some(SECRET),
            app.clock.now().timestamp(),
            Some(1),
        )
        .await;
    assert_eq!(retried.status(), 200);
    let mut app = app.restart().await;
    app.clock.advance(chrono::Duration::seconds(30));
    let again = app.slack().post("/slack/interactions", &four).await;
    assert_eq!(again.status(), 200);
    let command = form(&[
        ("command", "/lead"),
        ("text", "rate 1 5"),
        ("user_id", "UANN"),
        ("trigger_id", "trig-4"),
        ("response_url", "http://127.0.0.1:9/unused"),
    ]);
    let dropped = app.slack().post("/slack/commands", &command).await;
    assert_eq!(dropped.status(), 200);
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 2);
    assert_eq!(app.dump().await, before, "nothing ran twice");
    app.stop().await;
}

#[tokio::test]
async fn a_shared_funnel_is_posted_to_the_channel_and_everything_else_stays_private() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    app.slack().alerted().await;
    let funnel = |text: &str, trigger: &str| {
        form(&[
            ("command", "/funnel"),
            ("text", text),
            ("user_id", "UANN"),
            ("channel_id", "CSALES"),
            ("trigger_id", trigger),
            ("response_url", "http://127.0.0.1:9/unused"),
        ])
    };
    let private: Value = app
        .slack()
        .post("/slack/commands", &funnel("7d", "f1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(private["response_type"], "ephemeral");
    assert!(
        private["text"].as_str().unwrap().contains("Funnel"),
        "{private}"
    );
    let shared: Value = app
        .slack()
        .post("/slack/commands", &funnel("7d share", "f2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shared["response_type"], "ephemeral");
    assert!(
        shared["text"]
            .as_str()
            .unwrap()
            .contains("Posted to the channel"),
        "{shared}"
    );
    app.slack()
        .fake
        .wait("the shared report", |c| {
            c.posts.iter().any(|p| p.channel == "CSALES")
        })
        .await;
    let post = app
        .slack()
        .fake
        .posts()
        .into_iter()
        .find(|p| p.channel == "CSALES")
        .unwrap();
    assert!(
        post.body["text"].as_str().unwrap().contains("Funnel"),
        "{}",
        post.body
    );
    // A mistake with share is answered privately and posts nothing.
    let posts = app.slack().fake.posts().len();
    let bad: Value = app
        .slack()
        .post("/slack/commands", &funnel("45x share", "f3"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bad["response_type"], "ephemeral");
    app.drained().await;
    assert_eq!(app.slack().fake.posts().len(), posts);
    app.stop().await;
}

/// `files.completeUploadExternal` takes a channel id: a configured name is resolved once
/// through `conversations.list` (following its cursor), a name that does not resolve is a
/// dead letter with the reason, and `check-config` names it.
#[tokio::test]
async fn chart_channels_are_resolved_to_ids_and_unknown_names_are_reported() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    let message = Message::new("Funnel chart — week 2026-W47").chart(funnel_chart());
    enqueue(&app.ctx, &[("slack", "#leadership")], &message).await;
    app.slack()
        .fake
        .wait("the file share", |c| completed(c) == 1)
        .await;
    let pages = app.slack().fake.calls().channel_lists;
    assert_eq!(pages, 3, "five channels, two per page");
    let second = Message::new("Funnel chart — week 2026-W48").chart(funnel_chart());
    enqueue(&app.ctx, &[("slack", "#leadership")], &second).await;
    app.slack()
        .fake
        .wait("the second share", |c| completed(c) == 2)
        .await;
    assert_eq!(
        app.slack().fake.calls().channel_lists,
        pages,
        "the ids are cached"
    );
    let ids: Vec<String> = app
        .slack()
        .fake
        .calls()
        .files
        .iter()
        .filter_map(|c| match c {
            FileCall::Complete { channel_id, .. } => Some(channel_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["CLEADERSHIP", "CLEADERSHIP"]);

    let third = Message::new("Funnel chart — nowhere").chart(funnel_chart());
    enqueue(&app.ctx, &[("slack", "#nowhere")], &third).await;
    app.wait("a dead letter", |c| c.messages_dead >= 1).await;
    let error: String = sqlx::query_scalar("SELECT last_error FROM outbox WHERE status = 'dead'")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();
    assert!(error.contains("no channel #nowhere"), "{error}");
    assert_eq!(completed(&app.slack().fake.calls()), 2);
    app.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let team = TEAM.replace(
        "manager = \"boss@acme.test\"",
        "manager = \"boss@acme.test\"\nchannel = \"#sales\"",
    );
    let slack = format!(
        "[slack]\nenabled = true\nmode = \"http\"\napi_url = \"{}\"\nalert_channel = \"#no-such-room\"\n",
        app.slack().fake.api_url()
    );
    let text = config_text(dir.path(), &format!("{slack}\n{team}"));
    let config = Config::from_toml("test config", &text, &env()).unwrap();
    let missing = baton::chat::slack::channels_not_on_slack(&config)
        .await
        .unwrap();
    assert_eq!(missing, ["#no-such-room"]);
    // The share to #nowhere stays a dead letter.
    app.expect_unsent(1);
}

/// An Ack button press over Socket Mode; Baton answers it at the fake's response URL once
/// the acknowledgement is stored.
fn ack_envelope(fake: &FakeSlack, id: &str, lead: i64) -> Value {
    json!({
        "envelope_id": id,
        "type": "interactive",
        "accepts_response_payload": false,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": {
            "type": "block_actions",
            "user": {"id": "UANN"},
            "trigger_id": format!("trigger-{id}"),
            "response_url": fake.response_url(id),
            "actions": [{"type": "button", "action_id": format!("baton:ack:{lead}")}],
        },
    })
}

/// Socket Mode through the fake server: a burst of button presses, a slash command and the
/// Reject modal, with a `refresh_requested` disconnect and a dropped socket in the middle.
/// Slack sends unacknowledged envelopes again on the next connection; each is applied once.
#[tokio::test]
async fn socket_mode_loses_nothing_and_applies_nothing_twice_across_reconnects() {
    let mut app = socket_app().await;
    let values: Vec<String> = (1..=10)
        .map(|n| format!("('s-{n}', 'Lead {n}', 'Acme', 'ads', 'mql', 'ann@acme.test')"))
        .collect();
    app.external(&format!(
        "INSERT INTO leads (external_id, name, company, source, stage, owner_email) VALUES {};",
        values.join(", ")
    ))
    .await;
    tokio::time::timeout(
        PATIENCE,
        app.ctx.stats.wait_for(|c| c.handoffs_opened >= 10),
    )
    .await
    .unwrap();
    for lead in 1..=4 {
        app.slack().fake.push(ack_envelope(
            app.slack().fake,
            &format!("burst-{lead}"),
            lead,
        ));
    }
    app.slack().fake.refresh();
    for lead in 5..=7 {
        app.slack().fake.push(ack_envelope(
            app.slack().fake,
            &format!("burst-{lead}"),
            lead,
        ));
    }
    app.slack()
        .fake
        .wait("the reconnect", |c| c.sockets_opened >= 2)
        .await;
    app.slack().fake.drop_socket();
    for lead in 8..=9 {
        app.slack().fake.push(ack_envelope(
            app.slack().fake,
            &format!("burst-{lead}"),
            lead,
        ));
    }
    let rate = json!({"command": "/lead", "text": "rate 1 4", "user_id": "UANN",
                      "trigger_id": "sock-rate", "response_url": "http://127.0.0.1:9/rate"});
    app.slack().fake.push(
        json!({"envelope_id": "burst-rate", "type": "slash_commands",
                         "payload": rate, "accepts_response_payload": true, "retry_attempt": 0}),
    );
    let submit = json!({
        "type": "view_submission",
        "user": {"id": "UANN"},
        "trigger_id": "sock-reject",
        "view": {
            "callback_id": "baton_reject",
            "private_metadata": "10",
            "state": {"values": {
                "reason": {"reason": {"type": "static_select", "selected_option": {"value": "no_budget"}}},
                "note": {"note": {"type": "plain_text_input", "value": "too small"}},
            }},
        },
    });
    app.slack()
        .fake
        .push(json!({"envelope_id": "burst-reject", "type": "interactive",
                         "payload": submit, "accepts_response_payload": true, "retry_attempt": 0}));
    app.slack()
        .fake
        .wait("every envelope acknowledged", |c| {
            c.unacked.is_empty() && c.sockets_opened >= 3
        })
        .await;
    let acked = |id: &str| {
        app.slack()
            .fake
            .calls()
            .acks
            .iter()
            .filter(|a| a["envelope_id"] == id)
            .count()
    };
    for lead in 1..=9 {
        assert!(acked(&format!("burst-{lead}")) >= 1, "burst-{lead}");
    }
    // A press is acknowledged at once and applied after; its answer says it was applied.
    app.slack()
        .fake
        .wait("every press answered", |c| {
            (1..=9).all(|lead| {
                c.responses
                    .iter()
                    .any(|r| r["id"] == format!("burst-{lead}"))
            })
        })
        .await;
    // Everything arrived, each exactly once.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'acknowledged%'")
            .await,
        9
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM handoffs WHERE acked_by = 'ann@acme.test' AND lead_id <= 9"
        )
        .await,
        9
    );
    assert_eq!(
        app.scalar("SELECT rating FROM handoffs WHERE lead_id = 1")
            .await,
        4
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM handoffs WHERE lead_id = 10 AND status = 'rejected' AND reject_reason = 'no_budget'"
        )
        .await,
        1
    );
    // The slash command's answer rides on its acknowledgement, privately.
    let answer = app
        .slack()
        .fake
        .calls()
        .acks
        .iter()
        .find(|a| a["envelope_id"] == "burst-rate" && a.get("payload").is_some())
        .cloned()
        .expect("the command's answer");
    assert_eq!(answer["payload"]["response_type"], "ephemeral");
    // It stops mid-burst: the alerts and edits to Ann's DM, paced at one a second, are
    // still queued, as many as real time has not let out yet.
    app.allow_unsent();
    app.stop().await;
}

/// The public listener under a crowd of idle sockets: 3,000 connections that send nothing
/// or half a header are all closed by the server within its idle timeout (the oldest ones
/// sooner, to stay under `max_connections`), while a signed slash command still gets its
/// answer within Slack's 3 s. The test holds 6,000 descriptors (both ends); with a lower
/// `ulimit -n` it opens as many as fit and says so.
#[tokio::test]
async fn idle_connections_are_closed_while_a_slash_command_still_answers_in_time() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const IDLE: Duration = Duration::from_secs(2);
    let mut app = TestApp::builder()
        .fake_slack()
        .edit_config(|text| text.replace("[server]\n", "[server]\nidle_timeout = \"2s\"\n"))
        .spawn()
        .await;
    let limit = std::process::Command::new("sh")
        .args(["-c", "ulimit -n"])
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<usize>()
                .ok()
        })
        .unwrap_or(1024);
    let wanted = 3_000;
    let count = wanted.min(limit.saturating_sub(200) / 2);
    if count < wanted {
        eprintln!("ulimit -n is {limit}: opening {count} idle connections instead of {wanted}");
    }
    let mut idle = tokio::task::JoinSet::new();
    for i in 0..count {
        let mut socket = tokio::net::TcpStream::connect(app.address).await.unwrap();
        if i % 3 == 0 {
            // Half a request header, never finished (slowloris).
            socket
                .write_all(b"POST /slack/commands HTTP/1.1\r\nHost: x\r\n")
                .await
                .unwrap();
        }
        let opened = std::time::Instant::now();
        idle.spawn(async move {
            let mut buf = [0u8; 512];
            let closed = tokio::time::timeout(IDLE + PATIENCE, async {
                loop {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        // A 408 or similar before the close is fine.
                        Ok(_) => continue,
                    }
                }
            })
            .await;
            closed.map(|()| opened.elapsed())
        });
    }
    let body = form(&[
        ("command", "/baton"),
        ("text", "help"),
        ("user_id", "UANN"),
        ("trigger_id", "t-idle"),
        ("response_url", "http://127.0.0.1:9/unused"),
    ]);
    let asked = std::time::Instant::now();
    let response = app.slack().post("/slack/commands", &body).await;
    let took = asked.elapsed();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["response_type"], "ephemeral", "{answer}");
    assert!(answer.to_string().contains("/lead ack LEAD"), "{answer}");
    eprintln!("slash command answered in {took:?} with {count} idle connections open");
    assert!(took < Duration::from_secs(3), "answered after {took:?}");
    let mut slowest = Duration::ZERO;
    while let Some(closed) = idle.join_next().await {
        let after = closed
            .unwrap()
            .expect("the server never closed an idle connection");
        slowest = slowest.max(after);
    }
    eprintln!("every idle connection was closed; the last after {slowest:?}");
    assert!(
        slowest < IDLE + Duration::from_secs(1),
        "an idle connection stayed open {slowest:?}"
    );
    app.stop().await;
}

/// Baton in Socket Mode against the fake, once its socket is open.
async fn socket_app() -> TestApp {
    let app = TestApp::builder()
        .fake_slack_with("socket", "")
        .spawn()
        .await;
    app.slack()
        .fake
        .wait("a socket", |c| c.sockets_opened >= 1)
        .await;
    app
}
