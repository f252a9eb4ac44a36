//! Issue 19's availability and `/lead why` through Discord end to end (the real serenity
//! client against the fake Discord): `/baton away 3d` takes a rep out of routing at once,
//! `/baton back` restores them and their first alert after it says "welcome back", a rep
//! cannot set another rep away while their manager can, `/baton who` shows it all, and
//! `/lead why` of a lead routed by rotation lists each rep skipped (away, at cap, outside
//! hours), answered privately; a duplicate updates the one alert; free mail matches no
//! account, an away owner is explained in the alert, and an accepted handoff is remembered.

use serde_json::{Value, json};

use crate::fake_discord::dm_channel_of;
use crate::harness::TestApp;
use crate::harness::discord::{ANN, BOB, BOSS, command, is_ephemeral, text_of};

fn option(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

fn baton(user: &str, sub: &str, options: &[(&str, &str)]) -> Value {
    let options: Vec<Value> = options.iter().map(|(n, v)| option(n, v)).collect();
    command(user, "baton", Some((sub, Value::Array(options))))
}

/// Asks `user`'s command; returns its private answer's text.
async fn private(app: &TestApp, body: Value) -> String {
    let answer = app.discord().interact(body).await;
    assert!(is_ephemeral(&answer), "{answer}");
    text_of(&answer).to_string()
}

async fn assignee_of(app: &TestApp, external_id: &str) -> Option<String> {
    app.text(&format!(
        "SELECT h.assignee FROM handoffs h JOIN leads l ON l.id = h.lead_id
         WHERE l.external_id = '{external_id}' ORDER BY h.id DESC LIMIT 1"
    ))
    .await
}

async fn mql(app: &TestApp, external_id: &str, opened: u64) {
    app.external(&format!(
        "INSERT INTO leads (external_id, name, email, stage)
         VALUES ('{external_id}', 'Lead {external_id}', '{external_id}@free.example', 'mql')"
    ))
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= opened)
        .await;
}

#[tokio::test]
async fn away_back_and_who_from_discord_take_effect_at_once() {
    let app = TestApp::builder()
        .fake_discord()
        .env(&[("BATON__PERSON__3__DISCORD_ID", "\"2002\"")])
        .spawn()
        .await;
    let reply = private(
        &app,
        baton(ANN, "away", &[("period", "3d"), ("note", "offsite")]),
    )
    .await;
    assert_eq!(
        reply,
        "You are away from 2026-11-17 to 2026-11-19: no new leads until then. /baton back ends it early."
    );
    mql(&app, "d1", 1).await;
    assert_eq!(
        assignee_of(&app, "d1").await.as_deref(),
        Some("bob@acme.test")
    );

    // A rep cannot set another rep's availability; nothing changes.
    let refused = private(&app, baton(BOB, "back", &[("person", "ann@acme.test")])).await;
    assert!(
        refused.starts_with("you can set only your own availability, not ann@acme.test's"),
        "{refused}"
    );
    let who = private(&app, baton(BOSS, "who", &[("team", "sales")])).await;
    assert_eq!(
        who,
        "Team sales:\n  Ann (ann@acme.test): away until 2026-11-19 (offsite), 0 open\n  Bob (bob@acme.test): available, 1 open"
    );

    let back = private(&app, baton(ANN, "back", &[])).await;
    assert!(back.starts_with("Welcome back"), "{back}");
    // Their manager may set a rep of the team away.
    let set = private(
        &app,
        baton(
            BOSS,
            "away",
            &[("period", "today"), ("person", "bob@acme.test")],
        ),
    )
    .await;
    assert!(
        set.starts_with("Bob is away from 2026-11-17 to 2026-11-17"),
        "{set}"
    );
    mql(&app, "d2", 2).await;
    assert_eq!(
        assignee_of(&app, "d2").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;

    // Ann's only alert is her first since she came back, and says so.
    let anns = app.discord().fake.messages_in(&dm_channel_of(ANN));
    let alerts: Vec<String> = anns
        .iter()
        .map(|m| m.body.to_string())
        .filter(|b| b.contains("Lead d"))
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].contains("Lead d2"), "{}", alerts[0]);
    assert!(
        alerts[0].contains("Welcome back, Ann: this is your first lead since you returned."),
        "{}",
        alerts[0]
    );
    // Bob's alert for d1 has no welcome: he was never away.
    let bobs = app.discord().fake.messages_in(&dm_channel_of(BOB));
    assert!(
        bobs.iter().any(|m| m.body.to_string().contains("Lead d1")),
        "{bobs:?}"
    );
    assert!(
        bobs.iter().all(|m| !m.body.to_string().contains("Welcome")),
        "{bobs:?}"
    );
    // The manager heard of Ann's away and back by DM (not of Bob's: he set it himself).
    let boss: Vec<String> = app
        .discord()
        .fake
        .messages_in(&dm_channel_of(BOSS))
        .iter()
        .map(|m| m.body.to_string())
        .collect();
    assert_eq!(boss.len(), 2, "{boss:?}");
    assert!(
        boss[0].contains("Ann is away 2026-11-17 to 2026-11-19 (set by Ann)"),
        "{boss:?}"
    );
    assert!(boss[1].contains("Ann is back (set by Ann)"), "{boss:?}");
}

/// The whole directory, replacing [`crate::harness::TEAM`]'s people: Bob is away the week
/// of the test, Carl works Tokyo hours (closed at the start), Dana may hold one handoff.
const PEOPLE: &str = r#"[
  { email = "root@acme.test", name = "Root", role = "admin" },
  { email = "boss@acme.test", name = "Boss", role = "manager", team = "sales" },
  { email = "ann@acme.test", name = "Ann", role = "rep", team = "sales", calendar = "always" },
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
async fn lead_why_on_discord_lists_every_skipped_rep_privately() {
    let app = TestApp::builder()
        .fake_discord()
        .env(&[("BATON__PERSON", PEOPLE), ("BATON__CALENDAR", CALENDARS)])
        .spawn()
        .await;
    app.external(
        "INSERT INTO leads (external_id, name, email, stage, owner_email)
         VALUES ('own', 'Lead own', 'o@initech.com', 'mql', 'dana@acme.test')",
    )
    .await;
    app.wait("the owner's handoff", |c| c.handoffs_opened >= 1)
        .await;
    mql(&app, "rr", 2).await;
    assert_eq!(
        assignee_of(&app, "rr").await.as_deref(),
        Some("ann@acme.test")
    );
    let why = json!([{ "name": "lead", "type": 3, "value": "rr" }]);
    for user in [ANN, BOSS] {
        let text = private(&app, command(user, "lead", Some(("why", why.clone())))).await;
        for line in [
            "Why lead #2 (Lead rr) went to Ann",
            "✓ chosen Ann (ann@acme.test), rotation step: their weighted turn in sales (weight 1)",
            "✗ skipped Bob (bob@acme.test), rotation step: Bob is out of office until Fri 20 Nov 2026",
            "✗ skipped Carl (carl@acme.test), rotation step: Carl is outside working hours",
            "✗ skipped Dana (dana@acme.test), rotation step: Dana is at their cap (1/1 open)",
        ] {
            assert!(text.contains(line), "{user}: {line} not in {text}");
        }
    }
    let refused = private(&app, command(BOB, "lead", Some(("why", why)))).await;
    assert_eq!(
        refused,
        "only the assignee (Ann), their manager or an admin can see why lead #2 went to them"
    );
    app.drained().await;
    // Dana has no Discord account: her alert is a dead letter.
    app.expect_unsent(1);
}

#[tokio::test]
async fn a_duplicate_on_discord_updates_the_one_alert_and_lead_show_lists_both() {
    let app = TestApp::builder().fake_discord().spawn().await;
    for (id, email, source, events) in [
        ("crm-1", "dee@initech.com", "ads", 1),
        ("form-2", "DEE@Initech.com", "webinar", 2),
    ] {
        app.external(&format!(
            "INSERT INTO leads (external_id, name, email, source, campaign, stage)
             VALUES ('{id}', 'Dee', '{email}', '{source}', 'fall-launch', 'mql')"
        ))
        .await;
        app.wait("the event", |c| c.events_processed >= events)
            .await;
    }
    app.drained().await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM handoffs").await, 1);
    assert_eq!(
        assignee_of(&app, "crm-1").await.as_deref(),
        Some("ann@acme.test")
    );
    // One alert, in Ann's DMs; the second record shows up in it, not as a second alert.
    let dms = app.discord().fake.messages_in(&dm_channel_of(ANN));
    let alerts = dms
        .iter()
        .filter(|m| m.body.to_string().contains("New MQL"))
        .count();
    assert_eq!(alerts, 1, "{dms:?}");
    let shown: Vec<String> = dms
        .iter()
        .map(|m| m.body.to_string())
        .chain(
            app.discord()
                .fake
                .calls(|c| c.edits.iter().map(|e| e.2.to_string()).collect::<Vec<_>>()),
        )
        .collect();
    assert!(
        shown
            .iter()
            .any(|b| b.contains("also came in via webinar / fall-launch")),
        "{shown:?}"
    );
    let show = json!([{ "name": "lead", "type": 3, "value": "form-2" }]);
    let text = private(&app, command(ANN, "lead", Some(("show", show)))).await;
    assert!(text.contains("attached to handoff #1 of lead #1"), "{text}");
}

#[tokio::test]
async fn account_matching_on_discord_skips_free_mail_explains_an_away_owner_and_remembers() {
    let app = TestApp::builder()
        .fake_discord()
        .env(&[(
            "BATON__PERSON__3__OUT_OF_OFFICE",
            "[\"2026-11-16..2026-11-20\"]",
        )])
        .spawn()
        .await;
    app.external(
        "INSERT INTO accounts (domain, name, owner_email) VALUES ('gmail.com', 'Not a company', 'boss@acme.test');
         INSERT INTO accounts (domain, name, owner_email) VALUES ('acme.com', 'Acme', 'bob@acme.test');",
    )
    .await;
    app.external(
        "INSERT INTO leads (external_id, name, email, stage) VALUES ('free', 'Lead free', 'bob@gmail.com', 'mql');
         INSERT INTO leads (external_id, name, email, stage) VALUES ('ana', 'Ana', 'ana@eu.acme.com', 'mql');",
    )
    .await;
    app.wait("the second handoff", |c| c.handoffs_opened >= 2)
        .await;
    // Bob owns acme.com but is away: the rotation's Ann gets it, and her DM says why.
    assert_eq!(
        assignee_of(&app, "ana").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;
    let dms: Vec<String> = app
        .discord()
        .fake
        .messages_in(&dm_channel_of(ANN))
        .iter()
        .map(|m| m.body.to_string())
        .collect();
    let ana = dms
        .iter()
        .find(|b| b.contains("Ana"))
        .unwrap_or_else(|| panic!("{dms:?}"));
    assert!(
        ana.contains("account owner of acme.com: Bob is out of office until Fri 20 Nov 2026"),
        "{ana}"
    );
    let free = dms
        .iter()
        .find(|b| b.contains("Lead free"))
        .unwrap_or_else(|| panic!("{dms:?}"));
    assert!(!free.contains("account"), "{free}");

    // Accepted on Discord, globex.com's lead makes Ann the owner of the company.
    app.external(
        "INSERT INTO leads (external_id, name, email, stage) VALUES ('g1', 'Gil', 'gil@globex.com', 'mql')",
    )
    .await;
    app.wait("the third handoff", |c| c.handoffs_opened >= 3)
        .await;
    let accept = json!([{ "name": "lead", "type": 3, "value": "g1" }]);
    let answer = app
        .discord()
        .interact(command(ANN, "lead", Some(("accept", accept))))
        .await;
    assert!(!text_of(&answer).is_empty(), "{answer}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE status = 'accepted'")
            .await,
        1
    );
    app.external(
        "INSERT INTO leads (external_id, name, email, stage) VALUES ('g2', 'Gus', 'gus@eu.globex.com', 'mql')",
    )
    .await;
    app.wait("the fourth handoff", |c| c.handoffs_opened >= 4)
        .await;
    let why = json!([{ "name": "lead", "type": 3, "value": "g2" }]);
    let text = private(&app, command(ANN, "lead", Some(("why", why)))).await;
    assert!(
        text.contains("Ann owns globex.com (accepted its last lead, handoff 3)"),
        "{text}"
    );
    app.drained().await;
}
