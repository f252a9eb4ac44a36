//! Issue 19 on Discord end to end: an MQL from an account's subdomain reaches the
//! account's owner by DM with the one-line reason, and `/lead why` (a registered
//! subcommand with a typed option) answers privately to the assignee and their manager and
//! refuses anyone else.

use serde_json::json;

use crate::fake_discord::dm_channel_of;
use crate::harness::TestApp;
use crate::harness::discord::{ANN, BOSS, command, is_ephemeral, text_of};

fn why(user: &str, lead: &str) -> serde_json::Value {
    command(
        user,
        "lead",
        Some(("why", json!([{ "name": "lead", "type": 3, "value": lead }]))),
    )
}

#[tokio::test]
async fn the_account_owner_is_alerted_on_discord_and_lead_why_is_private() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.external(
        "INSERT INTO accounts (domain, name, owner_email) VALUES ('initech.com', 'Initech', 'ann@acme.test');
         INSERT INTO accounts (domain, name, owner_email) VALUES ('hooli.com', 'Hooli', 'bob@acme.test');
         INSERT INTO leads (external_id, name, email, stage) VALUES ('d-1', 'Peter', 'peter@eu.initech.com', 'mql');
         INSERT INTO leads (external_id, name, email, stage) VALUES ('d-2', 'Gavin', 'gavin@hooli.com', 'mql');",
    )
    .await;
    app.wait("two handoffs", |c| c.handoffs_opened >= 2).await;
    app.drained().await;
    let dms = app.discord().fake.messages_in(&dm_channel_of(ANN));
    assert_eq!(dms.len(), 1, "{dms:?}");
    let alert = dms[0].body.to_string();
    assert!(
        alert.contains("Ann owns the account initech.com"),
        "{alert}"
    );

    let mine = app.discord().interact(why(ANN, "d-1")).await;
    assert!(is_ephemeral(&mine), "{mine}");
    let text = text_of(&mine);
    assert!(text.contains("Why lead #1 (Peter) went to Ann"), "{text}");
    assert!(
        text.contains("account step: owns the account initech.com"),
        "{text}"
    );

    // Bob's lead: his manager may see why, Ann may not.
    let boss = app.discord().interact(why(BOSS, "2")).await;
    assert!(is_ephemeral(&boss), "{boss}");
    assert!(
        text_of(&boss).contains("Bob owns the account hooli.com"),
        "{boss}"
    );
    let refused = app.discord().interact(why(ANN, "d-2")).await;
    assert!(is_ephemeral(&refused), "{refused}");
    assert_eq!(
        text_of(&refused),
        "only the assignee (Bob), their manager or an admin can see why lead #2 went to them"
    );
    app.drained().await;
    // Bob has no Discord account: his alert is a dead letter.
    app.expect_unsent(1);
}
