//! Reports in the reader's language (issue 20): `/funnel last-month by source`, `/sla` and
//! the weekly digest of the hand-counted data set of `reports.rs`, in English, Brazilian
//! Portuguese, Spanish and Italian, as the console, Slack Block Kit and Discord embeds show
//! them. The renderings are golden files under `tests/golden/reports/` (rewrite them with
//! `BATON_BLESS=1` and read the diff); each stays within its platform's limits. The
//! funnel chart in pt-BR is a golden PNG that a person has looked at.

use std::path::{Path, PathBuf};

use baton::chat::console::Console;
use baton::chat::discord::embeds;
use baton::chat::slack::blocks;
use baton::clock::Clock;
use baton::command::grammar::Dimension;
use baton::config::{Config, ConsoleFormat, ConsoleOutput};
use baton::domain::period::Period;
use baton::engine::platform::Delivery;
use baton::i18n::Locale;
use baton::message::compose;
use baton::message::{Kind, Message, Plot};
use serde_json::Value;

use crate::harness::at;
use crate::reports::{NOW, config_text, seeded};

/// The data set's config with `[reporting] locale` and a leadership channel for the digest.
fn config(dir: &Path, locale: Locale) -> Config {
    let text = config_text(dir, "Europe/Berlin").replace(
        "[reporting]\n",
        &format!("[reporting]\nlocale = \"{locale}\"\n"),
    ) + "\n[digest]\nto = [\"#leadership\"]\n";
    Config::from_toml("report locales test", &text, &Default::default()).unwrap()
}

fn check_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/reports")
        .join(name);
    if std::env::var_os("BATON_BLESS").is_some() {
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

/// Every string under `key` anywhere in `value`.
fn strings<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == key => out.push(s),
                    _ => strings(v, key, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
        _ => {}
    }
}

/// Block Kit: at most 50 blocks, and a section's or header's text within its limit.
fn check_slack(name: &str, blocks: &[Value]) {
    assert!(blocks.len() <= 50, "{name}: {} blocks", blocks.len());
    for block in blocks {
        let limit = match block["type"].as_str() {
            Some("header") => 150,
            _ => 3000,
        };
        let mut texts = Vec::new();
        strings(block, "text", &mut texts);
        for text in texts {
            assert!(
                text.chars().count() <= limit,
                "{name}: a {} block of {} characters",
                block["type"],
                text.chars().count()
            );
        }
    }
}

/// Discord: at most 10 embeds of at most 6000 characters together; titles within 256,
/// descriptions within 4096, field values within 1024.
fn check_discord(name: &str, body: &Value) {
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    assert!(embeds.len() <= 10, "{name}: {} embeds", embeds.len());
    let mut total = 0;
    for embed in &embeds {
        let count = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        assert!(count(&embed["title"]) <= 256, "{name}: a long title");
        assert!(
            count(&embed["description"]) <= 4096,
            "{name}: a long description"
        );
        total += count(&embed["title"]) + count(&embed["description"]);
        for field in embed["fields"].as_array().into_iter().flatten() {
            assert!(count(&field["name"]) <= 256, "{name}: a long field name");
            assert!(count(&field["value"]) <= 1024, "{name}: a long field value");
            total += count(&field["name"]) + count(&field["value"]);
        }
        total += count(&embed["footer"]["text"]);
    }
    assert!(total <= 6000, "{name}: {total} characters of embeds");
}

/// Writes the three renderings of `message` as golden files `{name}.{platform}`.
fn check_platforms(name: &str, message: &Message, kind: Kind, to: &str) {
    let slack = match kind {
        Kind::Reply => blocks::render_reply(message),
        _ => blocks::render(message),
    };
    serde_json::from_value::<Vec<slack_morphism::prelude::SlackBlock>>(Value::Array(slack.clone()))
        .unwrap_or_else(|e| panic!("{name}: not Block Kit: {e}"));
    check_slack(name, &slack);
    check_golden(&format!("{name}.slack.json"), &pretty(&Value::Array(slack)));

    let discord = embeds::message_body(message, kind);
    check_discord(name, &discord);
    check_golden(&format!("{name}.discord.json"), &pretty(&discord));

    let console = Console::new(
        ConsoleOutput::Stdout,
        ConsoleFormat::Text,
        Clock::manual(at(NOW)),
    );
    let text = console.render(
        &Delivery {
            outbox_id: 1,
            recipient: to.into(),
            kind,
            lead_id: None,
            message: message.clone(),
            original: None,
        },
        None,
    );
    check_golden(&format!("{name}.console.txt"), &text);
}

/// Words of the English reports that must not appear in another language's rendering.
const ENGLISH: [&str; 12] = [
    "Funnel for",
    "Handoffs opened",
    "handoffs",
    "breaches",
    "Acceptance",
    "Speed from",
    "Quality by",
    "went further",
    "Weekly SLA digest",
    "(manager ",
    "compliance",
    "Top and bottom",
];

#[tokio::test]
async fn funnel_sla_and_digest_read_in_four_languages_on_every_platform() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let now = at(NOW);
    let english = config(dir.path(), Locale::En);
    // The figures are the same in every language: the reports are built once.
    let funnel = baton::reports::funnel(
        &db,
        &english,
        Period::LastMonth,
        Some(Dimension::Source),
        now,
    )
    .await
    .unwrap();
    let sla = baton::reports::sla(&db, &english, Period::LastMonth, None, None, now)
        .await
        .unwrap();
    let digest = baton::reports::digest::build(&db, &english, "2026-W37".parse().unwrap(), now)
        .await
        .unwrap();
    let leadership = digest
        .recipients
        .iter()
        .find(|r| r.to == "#leadership")
        .unwrap()
        .clone();

    for locale in Locale::ALL {
        let config = config(dir.path(), locale);
        let tz = config.reporting_tz;
        let funnel_text = funnel.render_text_in(tz, locale);
        let sla_text = sla.render_text_in(&config, locale);
        // `[reporting] locale` is the language of a channel that belongs to no team.
        assert_eq!(
            baton::reports::digest::Digest::locale_of(&leadership, &config),
            locale
        );
        let digest_message = digest.message_for(&leadership, &config);
        let digest_text = digest_message.plain_text();
        if locale != Locale::En {
            for text in [&funnel_text, &sla_text, &digest_text] {
                for word in ENGLISH {
                    assert!(!text.contains(word), "{locale}: {word:?} in\n{text}");
                }
            }
        }
        let name = |what: &str| format!("{what}.{locale}");
        let reply = |text: String| compose::reply(text).in_locale(locale);
        check_platforms(
            &name("funnel"),
            &reply(funnel_text),
            Kind::Reply,
            "max@acme.test",
        );
        check_platforms(
            &name("sla"),
            &reply(sla_text),
            Kind::Reply,
            "root@acme.test",
        );
        check_platforms(
            &name("digest"),
            &digest_message,
            Kind::Digest,
            "#leadership",
        );
    }
}

#[tokio::test]
async fn numbers_follow_the_locale_and_stay_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), Locale::En);
    let funnel = baton::reports::funnel(&db, &config, Period::LastMonth, None, at(NOW))
        .await
        .unwrap();
    let tz = config.reporting_tz;
    let en = funnel.render_text_in(tz, Locale::En);
    let pt = funnel.render_text_in(tz, Locale::PtBr);
    let es = funnel.render_text_in(tz, Locale::Es);
    // Acceptance of last month's handoffs against the 60% target.
    let acceptance = funnel.target.acceptance.rate;
    let whole = (acceptance.rate.unwrap() * 100.0).round();
    assert!(
        en.contains(&format!("Acceptance: {whole}% (n={})", acceptance.n)),
        "{en}"
    );
    assert!(
        pt.contains(&format!("Aceitação: {whole}% (n={})", acceptance.n)),
        "{pt}"
    );
    assert!(
        es.contains(&format!("Aceptación: {whole}\u{a0}% (n={})", acceptance.n)),
        "{es}"
    );
    // A mean rating has a decimal point in English and a decimal comma elsewhere.
    let rated = funnel
        .quality
        .source
        .iter()
        .find_map(|q| q.rating.mean)
        .unwrap();
    let point = format!("{rated:.1}");
    assert!(en.contains(&point), "{en}");
    assert!(pt.contains(&point.replace('.', ",")), "{pt}");
    // The JSON is the API: the same in every language.
    let json = serde_json::to_value(&funnel).unwrap();
    assert_eq!(json["target"]["acceptance"]["count"], acceptance.count);
}

#[tokio::test]
async fn the_funnel_chart_in_portuguese_has_translated_title_labels_and_stages() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path()).await;
    let config = config(dir.path(), Locale::PtBr);
    let funnel = baton::reports::funnel(&db, &config, Period::LastMonth, None, at(NOW))
        .await
        .unwrap();
    let chart = funnel.chart_in(config.reporting_tz, Locale::PtBr);
    assert_eq!(chart.title, "Funil, last-month");
    assert!(
        chart
            .subtitle
            .starts_with("Leads que entraram em cada etapa: ")
    );
    let Plot::Funnel { steps } = &chart.plot else {
        panic!("a funnel: {:?}", chart.plot);
    };
    let labels: Vec<&str> = steps.iter().map(|s| s.label.as_str()).collect();
    assert!(
        labels.contains(&"visitante") && labels.contains(&"oportunidade"),
        "{labels:?}"
    );
    let png = baton::message::chart::render_png(&chart).unwrap();
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/reports/funnel.pt-BR.png");
    if std::env::var_os("BATON_BLESS").is_some() {
        std::fs::write(&path, &png).unwrap();
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (BATON_BLESS=1 writes it)", path.display()));
    assert!(
        want == png,
        "funnel.pt-BR.png differs: run with BATON_BLESS=1 and look at it"
    );

    // The digest's chart: the funnel over the trend, every word Portuguese.
    let digest = baton::reports::digest::build(&db, &config, "2026-W37".parse().unwrap(), at(NOW))
        .await
        .unwrap();
    let chart = digest.chart_in(Locale::PtBr);
    assert_eq!(chart.title, "Funil, semana 2026-W37");
    let png = baton::message::chart::render_png(&chart).unwrap();
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/reports/digest.pt-BR.png");
    if std::env::var_os("BATON_BLESS").is_some() {
        std::fs::write(&path, &png).unwrap();
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (BATON_BLESS=1 writes it)", path.display()));
    assert!(
        want == png,
        "digest.pt-BR.png differs: run with BATON_BLESS=1 and look at it"
    );
}

#[tokio::test]
async fn baton_funnel_and_sla_print_in_the_reporting_locale_or_the_one_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    drop(seeded(dir.path()).await);
    let path = dir.path().join("baton.toml");
    let text = config_text(dir.path(), "Europe/Berlin")
        .replace("[reporting]\n", "[reporting]\nlocale = \"it\"\n");
    std::fs::write(&path, text).unwrap();
    let baton = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(args)
            .arg("--config")
            .arg(&path)
            .env("BATON_LOG", "warn")
            .env_remove("BATON_CONFIG")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(baton(&["funnel", "last-month"]).starts_with("Funnel di last-month"));
    assert!(baton(&["sla", "last-month"]).starts_with("SLA di last-month"));
    let pt = baton(&["funnel", "last-month", "--locale", "pt-BR"]);
    assert!(pt.starts_with("Funil de last-month"), "{pt}");
    let en = baton(&["sla", "last-month", "--locale", "en"]);
    assert!(en.starts_with("SLA for last-month"), "{en}");
    // JSON is the API: no words to translate, the same keys in every language.
    let json = baton(&["funnel", "last-month", "--format", "json", "--locale", "es"]);
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["period"]["name"], "last-month");
}
