//! Replies in the reader's language (issue 20): `/baton help`, a usage error, `/lead
//! show` and the alert of a reassigned lead, for a reader of each locale, as the console,
//! Slack (Block Kit) and Discord show them. Golden files in `tests/golden/locales/`
//! (rewrite them with `BATON_BLESS=1` or `BLESS=1`); each rendering within the platform's
//! limits. Command words and reason codes stay English everywhere.

use baton::chat::console::Console;
use baton::chat::discord::embeds;
use baton::chat::slack::blocks;
use baton::clock::Clock;
use baton::config::{ConsoleFormat, ConsoleOutput};
use baton::engine::platform::Delivery;
use baton::message::{Kind, Message};
use serde_json::Value;

use crate::harness::*;

/// One rep per language in a team managed by Boss; Eve sets no locale (English). Joana
/// has Slack and Discord ids: Slack and Discord mention her, the console names her.
const READERS: &str = r##"
[[person]]
email = "eve@acme.test"
name = "Eve"
role = "rep"
team = "intl"
calendar = "always"

[[person]]
email = "joana@acme.test"
name = "Joana"
role = "rep"
team = "intl"
calendar = "always"
locale = "pt-BR"
slack_id = "U0JOANA"
discord_id = "3003"

[[person]]
email = "lucia@acme.test"
name = "Lucía"
role = "rep"
team = "intl"
calendar = "always"
locale = "es"

[[person]]
email = "marco@acme.test"
name = "Marco"
role = "rep"
team = "intl"
calendar = "always"
locale = "it"

[[team]]
name = "intl"
manager = "boss@acme.test"

[[sla]]
name = "fast"
when = {}
ack = "1h"
first_touch = "4h"
disposition = "1d"
business_hours = false
"##;

/// Each reader, by the code of their language.
const READERS_BY_LOCALE: [(&str, &str); 4] = [
    ("en", "eve@acme.test"),
    ("pt-BR", "joana@acme.test"),
    ("es", "lucia@acme.test"),
    ("it", "marco@acme.test"),
];

fn check_golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/locales")
        .join(name);
    if std::env::var_os("BATON_BLESS").is_some() || std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
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

/// Every text of a Block Kit rendering, for the limits.
fn slack_texts(blocks: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for block in blocks {
        if let Some(text) = block["text"]["text"].as_str() {
            out.push(text.to_string());
        }
        for field in block["fields"].as_array().into_iter().flatten() {
            out.push(field["text"].as_str().unwrap_or_default().to_string());
        }
    }
    out
}

/// The message as the console, Slack and Discord show it, each checked against its
/// golden file and the platform's limits.
fn check_everywhere(case: &str, locale: &str, to: &str, kind: Kind, message: &Message) {
    let console = Console::new(
        ConsoleOutput::Stdout,
        ConsoleFormat::Text,
        Clock::manual(at(START)),
    );
    let text = console.render(
        &Delivery {
            outbox_id: 1,
            recipient: to.into(),
            kind,
            lead_id: message.lead_id,
            message: message.clone(),
            original: None,
        },
        None,
    );
    // The console is plain text: no Slack mrkdwn or code fences.
    assert!(
        !text.contains("```") && !text.contains("*"),
        "{case} {locale}: {text}"
    );
    check_golden(&format!("{case}.{locale}.console.txt"), &text);

    let slack = match kind {
        Kind::Reply => blocks::render_reply(message),
        _ => blocks::render(message),
    };
    serde_json::from_value::<Vec<slack_morphism::prelude::SlackBlock>>(Value::Array(slack.clone()))
        .unwrap_or_else(|e| panic!("{case} {locale}: not Block Kit: {e}"));
    assert!(slack.len() <= 50, "{case} {locale}: {} blocks", slack.len());
    for text in slack_texts(&slack) {
        assert!(text.chars().count() <= 3000, "{case} {locale}: {text}");
    }
    check_golden(
        &format!("{case}.{locale}.slack.json"),
        &pretty(&Value::Array(slack)),
    );

    let discord = match kind {
        Kind::Reply => embeds::reply(&message.plain_text(), true),
        _ => embeds::message_body(message, kind),
    };
    let body = if discord["data"].is_object() {
        &discord["data"]
    } else {
        &discord
    };
    if let Some(content) = body["content"].as_str() {
        assert!(content.chars().count() <= 2000, "{case} {locale}: content");
    }
    for embed in body["embeds"].as_array().into_iter().flatten() {
        let description = embed["description"].as_str().unwrap_or_default();
        assert!(description.chars().count() <= 4096, "{case} {locale}");
        assert!(
            embed["title"].as_str().unwrap_or_default().chars().count() <= 256,
            "{case} {locale}"
        );
    }
    check_golden(&format!("{case}.{locale}.discord.json"), &pretty(&discord));
}

async fn reply(app: &TestApp, actor: &str, text: &str) -> (bool, Message) {
    let reply = baton::engine::actions::execute(&app.ctx, actor, text)
        .await
        .unwrap();
    (reply.ok, reply.message)
}

/// The latest alert queued to `to`.
async fn alert_to(app: &TestApp, to: &str) -> Message {
    let json: String = sqlx::query_scalar(
        "SELECT message FROM outbox WHERE kind = 'alert' AND recipient = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap();
    serde_json::from_str(&json).unwrap()
}

#[tokio::test]
async fn help_a_usage_error_lead_show_and_a_reassigned_alert_read_in_every_language() {
    let app = TestApp::spawn(READERS).await;
    app.external(
        "INSERT INTO leads (external_id, name, company, source, stage, owner_email, stage_changed_at)
         VALUES ('w1', 'Wanda', 'Acme', 'ads', 'mql', 'eve@acme.test', '2026-11-17T10:58:00.000Z')",
    )
    .await;
    app.wait("a handoff", |c| c.handoffs_opened >= 1).await;
    app.clock.advance(chrono::Duration::minutes(5));
    let (ok, _) = reply(&app, "eve@acme.test", "/lead ack 1").await;
    assert!(ok);

    for (locale, reader) in READERS_BY_LOCALE {
        let (ok, help) = reply(&app, reader, "/baton help").await;
        assert!(ok);
        check_everywhere("help", locale, reader, Kind::Reply, &help);

        let (ok, usage) = reply(&app, reader, "/lead rate 1 seven").await;
        assert!(!ok);
        check_everywhere("usage", locale, reader, Kind::Reply, &usage);
    }

    // Boss hands the lead to each reader in turn: each new alert is in its reader's
    // language, and says whom it comes from and why.
    let mut from = "eve@acme.test";
    for (locale, reader) in READERS_BY_LOCALE
        .iter()
        .skip(1)
        .chain(&READERS_BY_LOCALE[..1])
    {
        app.clock.advance(chrono::Duration::minutes(3));
        let (ok, text) = reply(
            &app,
            "boss@acme.test",
            &format!("/lead reassign 1 {reader}"),
        )
        .await;
        assert!(ok, "{}", text.plain_text());
        let alert = alert_to(&app, reader).await;
        check_everywhere("reassigned", locale, reader, Kind::Alert, &alert);
        assert_ne!(from, *reader);
        from = reader;
    }
    app.drained().await;

    for (locale, reader) in READERS_BY_LOCALE {
        let (ok, show) = reply(&app, reader, "/lead show 1").await;
        assert!(ok);
        let text = show.plain_text();
        // Times as people read them, people by name, the deadline and not raw UTC.
        assert!(
            !text.contains(".000Z") && !text.contains("T11:"),
            "{locale}: {text}"
        );
        assert!(
            !text.contains("eve@acme.test ") && text.contains("Eve"),
            "{locale}: {text}"
        );
        check_everywhere("show", locale, reader, Kind::Reply, &show);
    }
}

#[tokio::test]
async fn a_portuguese_usage_error_and_help_have_no_english_sentence() {
    let app = TestApp::spawn(READERS).await;
    let english = [
        "is not",
        "needed",
        "usage:",
        "what should",
        "unknown",
        "the lead",
        "your open",
        "only the",
        "answers are private",
    ];
    for text in [
        "/lead rate 1 seven",
        "/lead ack",
        "/lead dance",
        "/funnel by",
        "/lead snooze 1 soon",
        "/sla 7x",
        "/baton help",
        "/lead show 99",
    ] {
        let (_, message) = reply(&app, "joana@acme.test", text).await;
        let answer = message.plain_text();
        for phrase in english {
            assert!(!answer.contains(phrase), "{text}: {phrase:?} in {answer}");
        }
    }
    let (ok, answer) = app.command("joana@acme.test", "/lead ack").await;
    assert!(!ok);
    assert!(answer.contains("uso: /lead ack LEAD"), "{answer}");
    // Plurals as each language writes them.
    let (_, mine) = app.command("joana@acme.test", "/lead mine").await;
    assert_eq!(mine, "Você não tem repasses em aberto.");
}
