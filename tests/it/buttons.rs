//! The buttons match the clocks (issue 17): the button set after each step as golden
//! Block Kit, Discord components and console text (`tests/golden/buttons/`; rewrite them
//! with `BATON_BLESS=1` or `BLESS=1`); Contacted through the Slack modal and the Discord
//! modal end to end against the fakes; reminders that name the clock, the time left and
//! the one action that stops it; `/lead snooze`; and a demo whose piped output has no
//! colour codes.

use baton::chat::console::Console;
use baton::chat::discord::embeds;
use baton::chat::slack::blocks;
use baton::clock::Clock;
use baton::config::{ConsoleFormat, ConsoleOutput};
use baton::engine::platform::Delivery;
use baton::message::buttons::{self, Progress};
use baton::message::{Kind, Message};
use chrono::Duration;
use serde_json::{Value, json};

use crate::harness::discord::{self as discord_it, ANN, ANNS_LEAD};
use crate::harness::slack::{action_ids, click, form};
use crate::harness::*;

/// The four steps of a handoff, with what the alert's update says at each.
fn steps() -> [(&'static str, Progress, &'static str); 4] {
    let p = |acked, contacted, decided| Progress {
        acked,
        contacted,
        decided,
    };
    [
        ("open", p(false, false, false), ""),
        ("acked", p(true, false, false), "acknowledged by Ann"),
        ("contacted", p(true, true, false), "contacted by Ann"),
        ("decided", p(true, true, true), "accepted by Ann"),
    ]
}

fn alert() -> Message {
    Message::new("New MQL: Jane Doe (Acme & Sons)")
        .field("Lead", "#7 crm-7")
        .field("Source", "webinar / q4-launch")
        .field("Assigned", "ann@acme.test (owner)")
        .text("SLA: acknowledge by Tue 17 Nov 12:00 UTC (in 1h)")
        .about(7)
        .actions(&buttons::offered(Progress::OPEN))
}

fn update(what: &str, progress: Progress) -> Message {
    Message::new(format!("Lead #7: {what}"))
        .field("Lead", "Jane Doe (Acme & Sons)")
        .about(7)
        .actions(&buttons::offered(progress))
}

fn check_golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/buttons")
        .join(name);
    if std::env::var_os("BATON_BLESS").is_some() || std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with BATON_BLESS=1", path.display()));
    assert_eq!(
        actual, expected,
        "{name}: run with BATON_BLESS=1 to accept the new rendering"
    );
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

#[test]
fn the_button_set_after_each_step_matches_the_golden_files_on_every_platform() {
    let console = Console::new(
        ConsoleOutput::Stdout,
        ConsoleFormat::Text,
        Clock::manual(at(START)),
    );
    let alert = alert();
    let mut seen = Vec::new();
    for (step, progress, what) in steps() {
        let (message, kind) = if step == "open" {
            (alert.clone(), Kind::Alert)
        } else {
            (update(what, progress), Kind::Update)
        };
        // Slack: the alert, or the alert edited in place with the update's buttons.
        let slack = if step == "open" {
            blocks::render(&alert)
        } else {
            blocks::render_update(&alert, &message)
        };
        serde_json::from_value::<Vec<slack_morphism::prelude::SlackBlock>>(Value::Array(
            slack.clone(),
        ))
        .unwrap_or_else(|e| panic!("{step}: not Block Kit: {e}"));
        check_golden(&format!("{step}.slack.json"), &pretty(&Value::Array(slack)));
        // Discord: the components of the message, or of the edited alert.
        let discord = if step == "open" {
            embeds::message_body(&alert, Kind::Alert)["components"].clone()
        } else {
            embeds::update_body(&alert, &message)["components"].clone()
        };
        check_golden(&format!("{step}.discord.json"), &pretty(&discord));
        // The console shows the message with its buttons and the command to type.
        let text = console.render(
            &Delivery {
                outbox_id: 1,
                recipient: "ann@acme.test".into(),
                kind,
                lead_id: Some(7),
                message: message.clone(),
                original: None,
            },
            None,
        );
        check_golden(&format!("{step}.console.txt"), &text);
        seen.push(
            message
                .actions
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        seen,
        [
            vec!["ack", "contacted", "accept", "reject", "rate"],
            vec!["contacted", "accept", "reject", "rate"],
            vec!["accept", "reject", "rate"],
            vec!["rate"],
        ]
    );
    let modal = blocks::contacted_modal(baton::i18n::Locale::En, 7);
    serde_json::from_value::<slack_morphism::prelude::SlackView>(modal.clone())
        .expect("the Contacted modal is a Slack view");
    check_golden("contacted_modal.slack.json", &pretty(&modal));
    check_golden(
        "contacted_modal.discord.json",
        &pretty(&embeds::contacted_modal(baton::i18n::Locale::En, 7)),
    );
}

#[tokio::test]
async fn contacted_through_the_slack_modal_records_the_note_and_updates_the_buttons() {
    let mut app = TestApp::builder().fake_slack().spawn().await;
    let alert = app.slack().alerted().await;
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
    // Acknowledged first: the edited alert drops Acknowledge.
    let res = app
        .slack()
        .post(
            "/slack/interactions",
            &click(
                "baton:ack:1",
                "UANN",
                "trigger-a",
                &app.slack().fake.response_url("a"),
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.slack()
        .fake
        .wait("the acked alert", |c| !c.updates.is_empty())
        .await;
    assert_eq!(
        action_ids(&app.slack().fake.updates()[0].body),
        [
            "baton:contacted:1",
            "baton:accept:1",
            "baton:reject:1",
            "baton:rate:1"
        ]
    );

    // Contacted opens its modal at once, with the trigger id; nothing is recorded yet.
    let res = app
        .slack()
        .post(
            "/slack/interactions",
            &click(
                "baton:contacted:1",
                "UANN",
                "trigger-c",
                &app.slack().fake.response_url("c"),
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    let views = app.slack().fake.calls().views.clone();
    assert_eq!(views.len(), 1, "the modal is open before the answer");
    assert_eq!(views[0]["trigger_id"], "trigger-c");
    assert_eq!(views[0]["view"]["callback_id"], "baton_contacted");
    assert_eq!(views[0]["view"]["private_metadata"], "1");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE contacted_at IS NOT NULL")
            .await,
        0
    );

    let submission = |trigger: &str, note: Option<&str>| {
        let note = match note {
            Some(text) => json!({"type": "plain_text_input", "value": text}),
            None => json!({"type": "plain_text_input", "value": null}),
        };
        let payload = json!({
            "type": "view_submission",
            "user": {"id": "UANN"},
            "trigger_id": trigger,
            "view": {
                "id": "V2",
                "callback_id": "baton_contacted",
                "private_metadata": "1",
                "state": {"values": {"note": {"note": note}}},
            },
        });
        form(&[("payload", &payload.to_string())])
    };
    let res = app
        .slack()
        .post(
            "/slack/interactions",
            &submission("trigger-s1", Some("left a voicemail\ncalling back Friday")),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.text().await.unwrap(),
        "",
        "an empty answer closes the modal"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE contacted_at IS NOT NULL AND acked_at IS NOT NULL AND note = 'left a voicemail calling back Friday'").await,
        1
    );
    app.slack()
        .fake
        .wait("the contacted alert", |c| c.updates.len() >= 2)
        .await;
    let edited = &app.slack().fake.updates()[1];
    assert_eq!(edited.ts, alert.ts, "the same message, edited in place");
    assert_eq!(
        action_ids(&edited.body),
        ["baton:accept:1", "baton:reject:1", "baton:rate:1"]
    );

    // A second submission (no note) is refused inside the modal and changes nothing.
    let answer: Value = app
        .slack()
        .post("/slack/interactions", &submission("trigger-s2", None))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_action"], "errors");
    assert!(
        answer["errors"]["note"]
            .as_str()
            .unwrap()
            .contains("already recorded"),
        "{answer}"
    );

    // `/lead snooze` is a slash command like the others, answered privately.
    let answer: Value = app
        .slack()
        .post(
            "/slack/commands",
            &form(&[
                ("command", "/lead"),
                ("text", "snooze 1 2h"),
                ("user_id", "UANN"),
                ("trigger_id", "t-snooze"),
                ("response_url", "http://127.0.0.1:9/unused"),
            ]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("there is nothing to snooze"),
        "{answer}"
    );
    app.stop().await;
}

fn contacted_submit(user: &str, note: &str) -> Value {
    json!({
        "type": 5, "id": discord_it::next_id(), "application_id": discord_it::APP_ID,
        "token": "tok", "user": { "id": user },
        "data": { "custom_id": "baton:contacted:1", "components": [
            { "type": 1, "components": [{ "type": 4, "custom_id": "note", "value": note }] },
        ]},
    })
}

#[tokio::test]
async fn contacted_through_the_discord_modal_records_the_note_and_updates_the_buttons() {
    let mut app = TestApp::builder().fake_discord().spawn().await;
    let dm = crate::fake_discord::dm_channel_of(ANN);
    app.external(ANNS_LEAD).await;
    app.discord()
        .fake
        .wait("the alert in Ann's DM", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    let alert = app.discord().fake.messages_in(&dm)[0].clone();
    assert_eq!(
        discord_it::button_ids(&alert.body),
        [
            "baton:ack:1",
            "baton:contacted:1",
            "baton:accept:1",
            "baton:reject:1",
            "baton:rate:1"
        ]
    );

    // The button answers with the modal (type 9); nothing is recorded yet.
    let modal = app
        .discord()
        .interact(discord_it::button(ANN, "baton:contacted:1"))
        .await;
    assert_eq!(modal["type"], 9, "{modal}");
    assert_eq!(modal["data"]["custom_id"], "baton:contacted:1");
    assert_eq!(
        modal["data"]["components"][0]["components"][0]["custom_id"],
        "note"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE contacted_at IS NOT NULL")
            .await,
        0
    );

    let done = app
        .discord()
        .interact(contacted_submit(
            ANN,
            " reached her on the phone\ndemo next week ",
        ))
        .await;
    assert!(discord_it::is_ephemeral(&done), "{done}");
    assert!(
        discord_it::text_of(&done).starts_with("Recorded first contact with lead #1"),
        "{done}"
    );
    assert_eq!(
        app.text(
            "SELECT note FROM handoffs WHERE contacted_at IS NOT NULL AND acked_at IS NOT NULL"
        )
        .await
        .as_deref(),
        Some("reached her on the phone\ndemo next week")
    );
    app.discord()
        .fake
        .wait("the alert edited", |c| !c.edits.is_empty())
        .await;
    let edited = app.discord().fake.messages_in(&dm);
    assert_eq!(edited.len(), 1, "edited in place, not posted again");
    assert_eq!(
        discord_it::button_ids(&edited[0].body),
        ["baton:accept:1", "baton:reject:1", "baton:rate:1"]
    );

    // Submitting again is a private refusal that changes nothing.
    let again = app.discord().interact(contacted_submit(ANN, "")).await;
    assert!(
        discord_it::is_ephemeral(&again)
            && discord_it::text_of(&again).contains("already recorded"),
        "{again}"
    );

    // `/lead snooze` is registered with typed options and runs from them, privately.
    let registered = app.discord().fake.calls(|c| c.commands[0].1.clone());
    let snooze = registered[0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "snooze")
        .cloned()
        .expect("/lead snooze is registered");
    let options: Vec<(&str, u64)> = snooze["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap(), o["type"].as_u64().unwrap()))
        .collect();
    assert_eq!(options, [("lead", 3), ("duration", 3)]);
    let snoozing = |duration: &str| {
        discord_it::command(
            ANN,
            "lead",
            Some((
                "snooze",
                json!([
                    { "name": "lead", "type": 3, "value": "1" },
                    { "name": "duration", "type": 3, "value": duration },
                ]),
            )),
        )
    };
    let bad = app.discord().interact(snoozing("soon")).await;
    assert!(
        discord_it::is_ephemeral(&bad)
            && discord_it::text_of(&bad).contains("\"soon\" is not a duration"),
        "{bad}"
    );
    // This harness has no [[sla]]: no reminder is to come, and Ann is told so.
    let none = app.discord().interact(snoozing("30m")).await;
    assert!(
        discord_it::is_ephemeral(&none)
            && discord_it::text_of(&none).contains("there is nothing to snooze"),
        "{none}"
    );
    app.wait("edits sent", |c| c.messages_sent >= 4).await;
    app.stop().await;
}

const SLA: &str = r#"
[[sla]]
name = "fast"
ack = "10m"
first_touch = "1h"
disposition = "1d"
remind_at = [0.5, 0.9]
on_breach = ["notify_manager"]
"#;

const ANNS: &str = "INSERT INTO leads (external_id, name, company, stage, owner_email)
                    VALUES ('s1', 'Sol', 'Acme', 'mql', 'ann@acme.test');";

async fn anns_mql(app: &TestApp) {
    app.external(ANNS).await;
    app.wait("alert", |c| c.handoffs_opened >= 1 && c.messages_sent >= 1)
        .await;
}

fn to(app: &TestApp, kind: &str, who: &str) -> Vec<Value> {
    app.console_of_kind(kind)
        .into_iter()
        .filter(|m| m["to"] == who)
        .collect()
}

fn actions(message: &Value) -> Vec<&str> {
    message["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn each_reminder_names_its_clock_the_time_left_and_the_one_action_that_stops_it() {
    let app = TestApp::spawn(SLA).await;
    anns_mql(&app).await;
    let alert = &to(&app, "alert", "ann@acme.test")[0];
    assert_eq!(
        actions(alert),
        ["ack", "contacted", "accept", "reject", "rate"]
    );

    app.clock.advance(Duration::minutes(5));
    app.wait("ack reminder", |c| c.timers_fired >= 1).await;
    app.drained().await;
    let ack = &to(&app, "reminder", "ann@acme.test")[0];
    assert_eq!(
        ack["text"],
        "Reminder: 5m left to acknowledge lead #1 Sol (Acme)\n\
         The ack clock runs out Tue 17 Nov 11:10 UTC (in 5m). To stop it, press Acknowledge or type /lead ack 1."
    );
    assert_eq!(actions(ack), ["ack"]);

    let (ok, _) = app.command("ann@acme.test", "/lead ack 1").await;
    assert!(ok);
    app.clock.advance(Duration::minutes(25)); // 11:30, half of first touch
    app.wait("first-touch reminder", |c| c.timers_fired >= 2)
        .await;
    app.drained().await;
    let first_touch = &to(&app, "reminder", "ann@acme.test")[1];
    assert_eq!(
        first_touch["text"],
        "Reminder: 30m left to make first contact with lead #1 Sol (Acme)\n\
         The first-touch clock runs out Tue 17 Nov 12:00 UTC (in 30m). To stop it, press Contacted once you reached them, or type /lead contacted 1 [note]."
    );
    assert_eq!(actions(first_touch), ["contacted"]);

    // The console records Contacted with its note as typed.
    let (ok, _) = app
        .command("ann@acme.test", "/lead contacted 1 spoke to Sol")
        .await;
    assert!(ok);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM handoffs WHERE note = 'spoke to Sol' AND contacted_at IS NOT NULL"
        )
        .await,
        1
    );
    app.clock.advance(Duration::minutes(11 * 60 + 30)); // Tue 23:00, half of disposition
    app.wait("disposition reminder", |c| c.timers_fired >= 3)
        .await;
    app.drained().await;
    let reminders = to(&app, "reminder", "ann@acme.test");
    assert_eq!(
        reminders.len(),
        3,
        "the stopped clocks did not remind again"
    );
    let disposition = &reminders[2];
    assert_eq!(
        disposition["text"],
        "Reminder: 12h 0m left to accept or reject lead #1 Sol (Acme)\n\
         The disposition clock runs out Wed 18 Nov 11:00 UTC (in 12h 0m). To stop it, press Accept or Reject, or type /lead accept 1 or /lead reject 1 REASON."
    );
    assert_eq!(actions(disposition), ["accept", "reject"]);
    // Each step updated the alert with the buttons still useful.
    let updates = to(&app, "update", "ann@acme.test");
    assert_eq!(
        updates.iter().map(actions).collect::<Vec<_>>(),
        [
            vec!["contacted", "accept", "reject", "rate"],
            vec!["accept", "reject", "rate"]
        ]
    );
    app.drained().await;
}

#[tokio::test]
async fn a_snooze_moves_the_next_reminder_tells_the_manager_and_comes_once_per_clock() {
    let app = TestApp::spawn(SLA).await;
    anns_mql(&app).await;
    let before = dump(&app.db_path()).await;

    // Refusals change nothing: someone else, a snooze to the deadline, a bad duration.
    let (ok, text) = app.command("bob@acme.test", "/lead snooze 1 5m").await;
    assert!(!ok);
    assert!(text.contains("only the assignee (Ann)"), "{text}");
    let (ok, text) = app.command("ann@acme.test", "/lead snooze 1 10m").await;
    assert!(!ok);
    assert!(
        text.contains("would reach the acknowledge deadline of lead #1 (Tue 17 Nov 11:10 UTC, in 10m): snooze for less than 10m"),
        "{text}"
    );
    let (ok, text) = app.command("ann@acme.test", "/lead snooze 1 soon").await;
    assert!(!ok);
    assert!(text.contains("\"soon\" is not a duration"), "{text}");
    assert_eq!(
        dump(&app.db_path()).await,
        before,
        "refusals change nothing"
    );

    // 11:00: the reminder due at 11:05 comes at 11:07 instead; the 11:09 one stays.
    let (ok, text) = app.command("ann@acme.test", "/lead snooze 1 7m").await;
    assert!(ok, "{text}");
    assert_eq!(
        text,
        "Snoozed the acknowledge reminder of lead #1 for 7m: the next one comes Tue 17 Nov 11:07 UTC (in 7m); \
         the deadline stays Tue 17 Nov 11:10 UTC (in 10m). Boss was told."
    );
    app.drained().await;
    let told = to(&app, "update", "boss@acme.test");
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["lead_id"], 1);
    assert_eq!(
        told[0]["text"],
        "Ann snoozed the acknowledge reminder of lead #1 Sol (Acme) for 7m\n\
         Next reminder Tue 17 Nov 11:07 UTC (in 7m); the acknowledge deadline stays Tue 17 Nov 11:10 UTC (in 10m)."
    );

    // Once per clock.
    let (ok, text) = app.command("ann@acme.test", "/lead snooze 1 1m").await;
    assert!(!ok);
    assert!(
        text.contains("you already snoozed the acknowledge reminder of lead #1")
            && text.contains("/lead ack 1"),
        "{text}"
    );

    app.clock.advance(Duration::minutes(5)); // 11:05: nothing is due any more
    app.timers_settled().await;
    app.drained().await;
    assert!(to(&app, "reminder", "ann@acme.test").is_empty());
    app.clock.advance(Duration::minutes(2)); // 11:07
    app.wait("the snoozed reminder", |c| c.timers_fired >= 1)
        .await;
    app.clock.advance(Duration::minutes(2)); // 11:09
    app.wait("the last reminder", |c| c.timers_fired >= 2).await;
    app.drained().await;
    let titles: Vec<String> = to(&app, "reminder", "ann@acme.test")
        .iter()
        .map(|m| {
            m["text"]
                .as_str()
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Reminder: 3m left to acknowledge lead #1 Sol (Acme)",
            "Reminder: 1m left to acknowledge lead #1 Sol (Acme)"
        ]
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'snoozed the acknowledge reminder for 7m%'")
            .await,
        1
    );

    // The next clock may be snoozed once too, after the ack.
    let (ok, _) = app.command("ann@acme.test", "/lead ack 1").await;
    assert!(ok);
    let (ok, text) = app.command("ann@acme.test", "/lead snooze 1 40m").await;
    assert!(ok, "{text}");
    assert!(text.starts_with("Snoozed the first touch reminder of lead #1 for 40m: the next one comes Tue 17 Nov 11:49 UTC"), "{text}");
    app.drained().await;
}

#[test]
fn the_demo_piped_shows_messages_without_colour_codes_or_info_logs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = |verbose: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_baton"));
        cmd.args([
            "demo",
            "--db",
            db.to_str().unwrap(),
            "--seconds",
            "3",
            "--speed",
            "20",
        ])
        .current_dir(dir.path())
        .env_remove("BATON_CONFIG")
        .env_remove("BATON_LOG")
        .stdin(std::process::Stdio::null());
        if verbose {
            cmd.arg("--verbose");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (stdout, stderr) = run(false);
    assert!(stdout.contains("── ALERT → "), "{stdout}");
    assert!(stdout.contains("[Acknowledge] [Contacted]"), "{stdout}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains('\u{1b}'), "an ANSI escape in {text:?}");
    }
    assert!(stderr.starts_with("Baton demo:"), "{stderr}");
    assert!(!stderr.contains("INFO"), "info logs stay off: {stderr}");

    let (_, stderr) = run(true);
    assert!(stderr.contains("INFO"), "--verbose shows them: {stderr}");
    assert!(!stderr.contains('\u{1b}'), "an ANSI escape in {stderr:?}");
}

#[tokio::test]
async fn help_lists_snooze() {
    let app = TestApp::spawn("").await;
    let (ok, help) = app.command("ann@acme.test", "/baton help").await;
    assert!(ok);
    assert!(
        help.contains("/lead snooze LEAD DURATION - the next reminder later"),
        "{help}"
    );
}
