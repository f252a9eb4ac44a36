//! Every reader in their own language: on one handoff a rep who reads Brazilian
//! Portuguese and a team channel that reads Spanish each get the alert, its buttons and
//! its updates in their language, with the command words still English.

use crate::harness::*;

/// Carla reads pt-BR; her team's channel reads es; `[reporting]` stays English.
const LATAM: &str = r##"
[[person]]
email = "carla@acme.test"
name = "Carla"
role = "rep"
team = "latam"
calendar = "always"
locale = "pt-BR"

[[team]]
name = "latam"
manager = "boss@acme.test"
channel = "#latam"
locale = "es"

[[sla]]
name = "fast"
when = {}
ack = "1h"
first_touch = "4h"
disposition = "1d"
business_hours = false
"##;

fn text_to(rows: &[serde_json::Value], to: &str) -> String {
    let row = rows
        .iter()
        .find(|r| r["to"] == to)
        .unwrap_or_else(|| panic!("no message to {to} in {rows:?}"));
    row["text"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_spanish_channel_and_a_portuguese_rep_read_the_same_handoff_in_their_own_language() {
    let app = TestApp::spawn(LATAM).await;
    app.external(
        "INSERT INTO leads (external_id, name, company, source, stage, owner_email)
         VALUES ('br1', 'Joana', 'Acme', 'ads', 'mql', 'carla@acme.test')",
    )
    .await;
    app.wait("a handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;

    let alerts = app.console_of_kind("alert");
    let rep = text_to(&alerts, "carla@acme.test");
    let channel = text_to(&alerts, "#latam");
    assert!(rep.starts_with("Novo MQL: Joana (Acme)"), "{rep}");
    assert!(rep.contains("confirmar até "), "{rep}");
    assert!(rep.contains("(em 1 hora)"), "{rep}");
    assert!(channel.starts_with("Nuevo MQL: Joana (Acme)"), "{channel}");
    assert!(channel.contains("confirmar antes de "), "{channel}");
    assert!(channel.contains("(en 1 hora)"), "{channel}");
    // The buttons stand for the same English command words in every language.
    for alert in &alerts {
        assert_eq!(
            alert["actions"],
            serde_json::json!(["ack", "contacted", "accept", "reject", "rate"])
        );
    }
    for text in [&rep, &channel] {
        assert!(
            !text.contains("New MQL") && !text.contains("acknowledge by"),
            "{text}"
        );
    }

    let (ok, _) = app.command("carla@acme.test", "/lead accept 1").await;
    assert!(ok);
    app.drained().await;
    let updates = app.console_of_kind("update");
    let rep = text_to(&updates, "carla@acme.test");
    let channel = text_to(&updates, "#latam");
    assert!(rep.starts_with("Lead #1: aceito por Carla"), "{rep}");
    assert!(
        channel.starts_with("Lead #1: aceptado por Carla"),
        "{channel}"
    );
}

#[tokio::test]
async fn whoever_sets_no_locale_reads_english() {
    let app = TestApp::spawn(LATAM).await;
    app.external(
        "INSERT INTO leads (external_id, name, company, source, stage, owner_email)
         VALUES ('en1', 'Ed', 'Acme', 'ads', 'mql', 'ann@acme.test')",
    )
    .await;
    app.wait("a handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
    let text = text_to(&app.console_of_kind("alert"), "ann@acme.test");
    assert!(text.starts_with("New MQL: Ed (Acme)"), "{text}");
    assert!(text.contains("acknowledge by "), "{text}");
}

#[test]
fn an_unknown_locale_is_refused_naming_the_key_and_the_allowed_values() {
    let dir = tempfile::tempdir().unwrap();
    let extra = format!(
        "{TEAM}\n[[team]]\nname = \"latam\"\nmanager = \"boss@acme.test\"\nlocale = \"fr\"\n\
         [reporting]\nlocale = \"pt_BR\"\n"
    );
    let text = config_text(dir.path(), &extra);
    let err = baton::config::Config::from_toml("t", &text, &Default::default()).unwrap_err();
    let problems = err.problems.join("\n");
    assert!(
        problems.contains(
            "team[1] (latam): locale \"fr\" is not offered: use one of en, pt-BR, es, it"
        ),
        "{problems}"
    );
    assert!(
        problems
            .contains("reporting: locale \"pt_BR\" is not offered: use one of en, pt-BR, es, it"),
        "{problems}"
    );
}
