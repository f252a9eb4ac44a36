//! Discord in the reader's language (issue 20): the application commands are registered
//! with Portuguese, Spanish and Italian descriptions (and the reject reasons' names),
//! their names staying English; someone whose config sets no locale is answered in their
//! Discord client's language.

use serde_json::{Value, json};

use crate::harness::TestApp;
use crate::harness::discord::{ANN, command, is_ephemeral, text_of};

#[tokio::test]
async fn commands_are_registered_with_descriptions_in_every_language_and_english_names() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.discord()
        .fake
        .wait("command registration", |c| !c.commands.is_empty())
        .await;
    let (_, body) = app.discord().fake.calls(|c| c.commands[0].clone());
    let lead = &body[0];
    assert_eq!(lead["name"], "lead");
    assert_eq!(lead["description"], "Work on a lead handed to sales");
    assert_eq!(
        lead["description_localizations"]["pt-BR"],
        "Trabalhe um lead repassado para vendas"
    );
    assert_eq!(
        lead["description_localizations"]["es-ES"],
        "Trabaja un lead traspasado a ventas"
    );
    assert_eq!(
        lead["description_localizations"]["it"],
        "Lavora un lead passato alle vendite"
    );
    let reject = lead["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "reject")
        .unwrap();
    let reason = &reject["options"][1];
    assert_eq!(reason["name"], "reason");
    assert_eq!(reason["description_localizations"]["pt-BR"], "Por quê");
    let budget = reason["choices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["value"] == "no_budget")
        .unwrap();
    assert_eq!(budget["name"], "no_budget");
    assert_eq!(budget["name_localizations"]["pt-BR"], "Sem orçamento");
    assert_eq!(budget["name_localizations"]["es-ES"], "Sin presupuesto");
    assert_eq!(budget["name_localizations"]["it"], "Senza budget");
    // Every command, subcommand and option has a description in each language, and no
    // name is translated.
    fn walk(node: &Value, seen: &mut usize) {
        if node["name"].is_string() {
            assert!(node.get("name_localizations").is_none(), "{node}");
            for code in ["pt-BR", "es-ES", "it"] {
                let text = node["description_localizations"][code].as_str().unwrap();
                assert!(!text.is_empty() && text.chars().count() <= 100, "{node}");
            }
            *seen += 1;
        }
        for option in node["options"].as_array().into_iter().flatten() {
            walk(option, seen);
        }
    }
    let mut seen = 0;
    for command in body.as_array().unwrap() {
        walk(command, &mut seen);
    }
    assert!(seen > 50, "{seen}");
}

#[tokio::test]
async fn a_user_without_a_configured_locale_is_answered_in_their_discord_language() {
    let app = TestApp::builder().fake_discord().spawn().await;
    let mut help = command(ANN, "baton", Some(("help", json!([]))));
    help["locale"] = json!("pt-BR");
    let answer = app.discord().interact(help).await;
    assert!(is_ephemeral(&answer), "{answer}");
    assert!(
        text_of(&answer).starts_with("Comandos do Baton"),
        "{answer}"
    );
    let mut bad = command(
        ANN,
        "lead",
        Some(("show", json!([{ "name": "lead", "type": 3, "value": "0" }]))),
    );
    bad["locale"] = json!("es-ES");
    let answer = app.discord().interact(bad).await;
    let text = text_of(&answer);
    assert!(
        text.contains("no es un lead") && text.contains("uso: /lead show LEAD"),
        "{text}"
    );
    // A language Baton does not write falls back to the config's (English here).
    let mut french = command(ANN, "baton", Some(("help", json!([]))));
    french["locale"] = json!("fr");
    let answer = app.discord().interact(french).await;
    assert!(text_of(&answer).starts_with("Baton commands"), "{answer}");
}
