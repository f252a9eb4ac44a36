//! The rest of issue 20: why a lead went to whom (`/lead why`, the alert's Assigned line)
//! and a handoff's history in the reader's language and zone; people named by name, and
//! as a real mention on Slack and Discord where the config gives their id (escaping
//! intact); `/funnel plan`, an unknown team and an away period in the reader's language.

use baton::chat::discord::embeds;
use baton::chat::slack::blocks;
use baton::message::{Kind, Message};
use serde_json::{Value, json};

use crate::fake_discord::dm_channel_of;
use crate::harness::discord::{ANN, BOSS, command, is_ephemeral, text_of};
use crate::harness::*;

/// Joana reads pt-BR and has Slack and Discord ids; Lucía, an admin, reads es; Ann and
/// Bob (from `TEAM`) have no ids, so they are named, not mentioned.
const READERS: &str = r##"
[[person]]
email = "joana@acme.test"
name = "Joana"
role = "rep"
team = "sales"
calendar = "always"
locale = "pt-BR"
slack_id = "U0JOANA"
discord_id = "3003"

[[person]]
email = "lucia@acme.test"
name = "Lucía"
role = "admin"
locale = "es"

[[sla]]
name = "fast"
when = {}
ack = "1h"
first_touch = "4h"
disposition = "1d"
business_hours = false
"##;

/// The latest message queued to `to` of `kind`.
async fn queued(app: &TestApp, kind: &str, to: &str) -> Message {
    let json: String = sqlx::query_scalar(
        "SELECT message FROM outbox WHERE kind = ? AND recipient = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(kind)
    .bind(to)
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// Every text of a Block Kit rendering, joined.
fn slack_text(blocks: &[Value]) -> String {
    Value::Array(blocks.to_vec()).to_string()
}

#[tokio::test]
async fn the_alert_names_people_and_mentions_them_where_the_platform_knows_them() {
    let app = TestApp::spawn(READERS).await;
    // A title from the CRM that tries to pose as a mention and to ping the channel.
    app.external(
        "INSERT INTO leads (external_id, name, company, title, source, stage, owner_email)
         VALUES ('m1', 'Mal', 'Acme', 'CEO' || char(57344) || '0' || char(57345) || ' <!here>',
                 'ads', 'mql', 'joana@acme.test')",
    )
    .await;
    app.wait("a handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;

    // The console names Joana; never her email, never a marker.
    let console = app.console_of_kind("alert");
    let text = console
        .iter()
        .find(|r| r["to"] == "joana@acme.test")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("Atribuído a: Joana (Joana é responsável pelo lead)"),
        "{text}"
    );
    assert!(text.contains("Responsável: Joana"), "{text}");
    assert!(!text.contains("joana@acme.test"), "{text}");
    assert!(
        !text.contains('\u{e000}') && !text.contains('\u{e001}'),
        "{text}"
    );

    let alert = queued(&app, "alert", "joana@acme.test").await;
    // Slack: a real mention in the fields, the name in the header; the lead's name stays
    // escaped and its would-be marker is gone.
    let slack = slack_text(&blocks::render(&alert));
    assert!(
        slack.contains("<@U0JOANA> (Joana é responsável pelo lead)"),
        "{slack}"
    );
    assert_eq!(
        slack.matches("<@").count(),
        2,
        "owner and assignee: {slack}"
    );
    assert!(slack.contains("CEO0 &lt;!here&gt;"), "{slack}");
    assert!(!slack.contains("<!here>"), "{slack}");
    assert!(!slack.contains('\u{e000}'), "{slack}");
    // Discord: `<@id>` in the field, nobody pinged.
    let discord = embeds::message_body(&alert, Kind::Alert);
    let fields = discord["embeds"][0]["fields"].to_string();
    assert!(
        fields.contains("<@3003> (Joana é responsável pelo lead)"),
        "{fields}"
    );
    assert_eq!(discord["allowed_mentions"], json!({ "parse": [] }));
    assert!(fields.contains("CEO0 \\\\<!here\\\\>"), "{fields}");

    // Boss reassigns the lead to Ann: the update of Joana's alert names Ann (she has no
    // id to be mentioned by), and Ann's alert names Joana and mentions her as the owner.
    let (ok, _) = app
        .command("boss@acme.test", "/lead reassign 1 ann@acme.test")
        .await;
    assert!(ok);
    app.drained().await;
    let update = queued(&app, "update", "joana@acme.test").await;
    assert_eq!(
        update.plain_text().lines().next(),
        Some("Lead #1: reatribuído a Ann: por Boss")
    );
    let to_ann = queued(&app, "alert", "ann@acme.test").await;
    let slack = slack_text(&blocks::render(&to_ann));
    assert!(
        slack.contains("Reassigned to you from Joana (by Boss)"),
        "{slack}"
    );
    assert!(
        slack.contains("<@U0JOANA>"),
        "the owner is mentioned: {slack}"
    );
}

#[tokio::test]
async fn history_lines_of_assignments_reassignments_and_breaches_are_in_the_readers_language() {
    let app = TestApp::spawn(READERS).await;
    app.external(
        "INSERT INTO leads (external_id, name, company, source, stage, owner_email)
         VALUES ('h1', 'Hana', 'Acme', 'ads', 'mql', 'joana@acme.test')",
    )
    .await;
    app.wait("a handoff", |c| c.handoffs_opened >= 1).await;
    app.clock.advance(chrono::Duration::minutes(61));
    app.timers_settled().await;
    app.drained().await;
    let (ok, _) = app
        .command("boss@acme.test", "/lead reassign 1 ann@acme.test")
        .await;
    assert!(ok);
    app.drained().await;

    let (ok, pt) = app.command("joana@acme.test", "/lead show 1").await;
    assert!(ok, "{pt}");
    for line in [
        "atribuído a Joana: Joana é responsável pelo lead",
        "SLA estourado: confirmação, prazo ter., 17 de nov., 12:00 UTC",
        "reatribuído a Ann: por Boss (Boss)",
    ] {
        assert!(pt.contains(line), "{line} not in {pt}");
    }
    for english in [
        "assigned to",
        "SLA breached",
        "reassigned to",
        "owns the lead",
    ] {
        assert!(!pt.contains(english), "{english} in {pt}");
    }
    let (ok, es) = app.command("lucia@acme.test", "/lead show 1").await;
    assert!(ok, "{es}");
    assert!(es.contains("SLA incumplido: confirmación, plazo"), "{es}");
    assert!(es.contains("reasignado a Ann: por Boss"), "{es}");
    // Stored with their English text first: SQL on the history keeps working.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'SLA breached: acknowledge%'")
            .await,
        1
    );
}

#[tokio::test]
async fn lead_why_in_portuguese_and_the_plan_team_and_away_errors_in_the_readers_language() {
    let app = TestApp::spawn(READERS).await;
    app.external(
        "INSERT INTO leads (external_id, name, company, source, stage)
         VALUES ('w1', 'Wal', 'Acme', 'ads', 'mql')",
    )
    .await;
    app.wait("a handoff", |c| c.handoffs_opened >= 1).await;
    let (ok, why) = app.command("lucia@acme.test", "/lead why 1").await;
    assert!(ok, "{why}");
    assert!(why.contains("Asignado a "), "{why}");
    assert!(why.contains("rotación en sales"), "{why}");
    assert!(
        why.contains("paso de la rotación: su turno en la rotación ponderada de sales (peso 1)"),
        "{why}"
    );
    assert!(
        why.contains("Equipo: ninguna regla coincidió: sales es el primer equipo"),
        "{why}"
    );

    let (ok, plan) = app
        .command("joana@acme.test", "/funnel plan 12 customers")
        .await;
    assert!(ok, "{plan}");
    assert!(
        plan.starts_with("Plano: 12 clientes em this-quarter"),
        "{plan}"
    );
    assert!(
        plan.contains("Para ganhar 12 clientes em this-quarter"),
        "{plan}"
    );
    for english in [
        "To win",
        "Weakest step",
        "Conversions measured",
        "needed/month",
    ] {
        assert!(!plan.contains(english), "{english} in {plan}");
    }

    let (ok, team) = app.command("lucia@acme.test", "/sla 30d nowhere").await;
    assert!(!ok);
    assert!(
        team.starts_with("no existe el equipo \"nowhere\": usa uno de estos: sales"),
        "{team}"
    );
    let (ok, away) = app.command("joana@acme.test", "/baton away soon").await;
    assert!(!ok);
    assert!(
        away.starts_with("\"soon\" não é um período: use today, 3d"),
        "{away}"
    );
    assert!(away.contains("uso: /baton away"), "{away}");
}

/// Boss reads pt-BR; Ann has a Discord id and is away from no routing; Bob is away, Carl
/// works Tokyo hours, Dana may hold one handoff.
const PEOPLE: &str = r#"[
  { email = "root@acme.test", name = "Root", role = "admin" },
  { email = "boss@acme.test", name = "Boss", role = "manager", team = "sales", locale = "pt-BR" },
  { email = "ann@acme.test", name = "Ann", role = "rep", team = "sales", calendar = "always",
    discord_id = "1002" },
  { email = "bob@acme.test", name = "Bob", role = "rep", team = "sales", calendar = "always",
    discord_id = "2002", out_of_office = ["2026-11-16..2026-11-20"] },
  { email = "carl@acme.test", name = "Carl", role = "rep", team = "sales", calendar = "tokyo" },
  { email = "dana@acme.test", name = "Dana", role = "rep", team = "sales", calendar = "always", max_open = 1 },
]"#;

const CALENDARS: &str = r#"[
  { name = "always", timezone = "UTC", hours = "Mon-Sun 00:00-24:00" },
  { name = "tokyo", timezone = "Asia/Tokyo", hours = "Mon-Fri 09:00-18:00" },
]"#;

#[tokio::test]
async fn lead_why_on_discord_reads_in_the_managers_language_and_the_alert_mentions_the_rep() {
    let app = TestApp::builder()
        .fake_discord()
        .env(&[("BATON__PERSON", PEOPLE), ("BATON__CALENDAR", CALENDARS)])
        .spawn()
        .await;
    app.external(
        "INSERT INTO leads (external_id, name, email, stage, owner_email)
         VALUES ('own', 'Lead own', 'o@free.example', 'mql', 'dana@acme.test');
         INSERT INTO leads (external_id, name, email, stage)
         VALUES ('rr', 'Lead rr', 'rr@free.example', 'mql');",
    )
    .await;
    app.wait("two handoffs", |c| c.handoffs_opened >= 2).await;
    app.drained().await;

    let why = json!([{ "name": "lead", "type": 3, "value": "rr" }]);
    let answer = app
        .discord()
        .interact(command(BOSS, "lead", Some(("why", why))))
        .await;
    assert!(is_ephemeral(&answer), "{answer}");
    let text = text_of(&answer);
    for line in [
        "Atribuído a Ann: rodízio em sales; Bob está ausente até sex., 20 de nov. de 2026; Dana está no limite (1/1 em aberto)",
        "✓ fica com o lead: Ann (ann@acme.test), etapa do rodízio: a vez no rodízio ponderado de sales (peso 1)",
        "✗ não fica com o lead: Bob (bob@acme.test), etapa do rodízio: Bob está ausente até sex., 20 de nov. de 2026",
        "✗ não fica com o lead: Carl (carl@acme.test), etapa do rodízio: Carl está fora do expediente",
        "✗ não fica com o lead: Dana (dana@acme.test), etapa do rodízio: Dana está no limite (1/1 em aberto)",
    ] {
        assert!(text.contains(line), "{line} not in {text}");
    }

    // Ann's alert mentions her in its Assigned field, in English (she sets no locale).
    let dms = app.discord().fake.messages_in(&dm_channel_of(ANN));
    let alert = dms.last().expect("Ann's alert").body.to_string();
    assert!(alert.contains("<@1002> (round-robin in sales; Bob is out of office until Fri 20 Nov 2026; Dana is at their cap (1/1 open))"), "{alert}");
    assert!(!alert.contains("ann@acme.test"), "{alert}");
    app.drained().await;
    // Dana has no Discord account: her alert is a dead letter.
    app.expect_unsent(1);
}

/// A second record of Joana's lead updates her alert in pt-BR, its time written as pt-BR
/// writes times, not in English.
#[tokio::test]
async fn a_duplicates_update_gives_its_time_in_the_readers_language() {
    let app = TestApp::spawn(READERS).await;
    app.external(
        "INSERT INTO leads (external_id, name, email, source, stage, owner_email)
         VALUES ('j1', 'Caio', 'caio@initech.com', 'ads', 'mql', 'joana@acme.test');",
    )
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.external(
        "INSERT INTO leads (external_id, name, email, source, stage)
         VALUES ('j2', 'Caio', 'CAIO@initech.com', 'webinar', 'mql');",
    )
    .await;
    app.wait("both events", |c| c.events_processed >= 2).await;
    app.drained().await;
    let at: String = sqlx::query_scalar("SELECT at FROM lead_events WHERE lead_id = 2")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();
    let at = baton::store::parse_ts(&at).unwrap();
    let update = queued(&app, "update", "joana@acme.test").await;
    let text = serde_json::to_string(&update).unwrap();
    let pt = baton::i18n::local(baton::i18n::Locale::PtBr, at, chrono_tz::UTC);
    let en = baton::i18n::local(baton::i18n::Locale::En, at, chrono_tz::UTC);
    assert_ne!(pt, en);
    assert!(
        text.contains(&format!("também chegou via webinar às {pt}")),
        "{text}"
    );
    assert!(!text.contains(&en), "{text}");
}
