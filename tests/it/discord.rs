//! Discord end to end: Baton's real HTTP listener receives interactions signed with an
//! Ed25519 key made here; Baton's serenity client talks to [`FakeDiscord`]. Ann (user 1002)
//! and Boss (1001) have `discord_id` in the config; Bob (2002) has none until he links. A
//! message with a chart goes as multipart with the PNG attached.

use baton::message::Message;
use ed25519_dalek::SigningKey;
use serde_json::{Value, json};

use crate::fake_discord::{GatewayEvent, TOKEN, dm_channel_of};
use crate::harness::discord::*;
use crate::harness::*;
use crate::slack::{enqueue, funnel_chart, png_size};

#[tokio::test]
async fn interactions_need_a_valid_fresh_signature() {
    let app = TestApp::builder().fake_discord().spawn().await;
    let now = app.clock.now().timestamp();
    let ping = json!({ "type": 1, "id": "1", "application_id": APP_ID, "token": "t" });
    assert_eq!(
        app.discord().interact(ping.clone()).await,
        json!({ "type": 1 })
    );

    let link = command(
        BOB,
        "baton",
        Some((
            "link",
            json!([{ "name": "email", "type": 3, "value": "bob@acme.test" }]),
        )),
    );
    let stranger = SigningKey::from_bytes(&[9u8; 32]);
    // Signed by another key, signed too long ago, and not signed at all.
    for (key, at) in [
        (&stranger, now),
        (app.discord().key, now - 301),
        (app.discord().key, now + 301),
    ] {
        assert_eq!(app.discord().post_signed(key, at, &ping).await.0, 401);
        assert_eq!(app.discord().post_signed(key, at, &link).await.0, 401);
    }
    let unsigned = reqwest::Client::new()
        .post(format!("http://{}/discord/interactions", app.address))
        .body(ping.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM discord_links").await, 0);
    // Four minutes old is still fine.
    assert_eq!(
        app.discord()
            .post_signed(app.discord().key, now - 240, &ping)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn commands_are_registered_in_the_guild_at_start() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.discord()
        .fake
        .wait("command registration", |c| !c.commands.is_empty())
        .await;
    let (path, body) = app.discord().fake.calls(|c| c.commands[0].clone());
    assert_eq!(
        path,
        format!("/api/v10/applications/{APP_ID}/guilds/{GUILD}/commands")
    );
    let names: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["lead", "funnel", "sla", "baton"]);
    let reject = body[0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "reject")
        .unwrap();
    assert_eq!(
        reject["options"][1]["choices"].as_array().unwrap().len(),
        10
    );
}

#[tokio::test]
async fn an_mql_reaches_the_rep_by_dm_and_buttons_update_the_alert() {
    let app = TestApp::builder().fake_discord().spawn().await;
    let dm = dm_channel_of(ANN);
    app.external(ANNS_LEAD).await;
    app.discord()
        .fake
        .wait("the alert in Ann's DM", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    // Sent on the console and on Discord, and marked so.
    app.wait("both alerts sent", |c| c.messages_sent >= 2).await;
    let alert = app.discord().fake.messages_in(&dm)[0].clone();
    assert_eq!(app.discord().fake.calls(|c| c.dm_recipients.clone()), [ANN]);
    assert_eq!(alert.body["embeds"][0]["title"], "New MQL: Jane Doe (Acme)");
    assert_eq!(
        button_ids(&alert.body),
        [
            "baton:ack:1",
            "baton:contacted:1",
            "baton:accept:1",
            "baton:reject:1",
            "baton:rate:1"
        ]
    );
    let outbox_id = app
        .scalar("SELECT id FROM outbox WHERE platform = 'discord' AND kind = 'alert'")
        .await;
    assert_eq!(alert.body["nonce"], format!("baton-{outbox_id}"));
    assert_eq!(alert.body["enforce_nonce"], true);
    assert_eq!(
        app.text("SELECT external_ref FROM outbox WHERE platform = 'discord' AND kind = 'alert'")
            .await,
        Some(format!("{dm}/{}", alert.id))
    );

    // Someone Baton does not know on Discord is told how to link, and nothing changes.
    let bob = app.discord().interact(button(BOB, "baton:ack:1")).await;
    assert!(is_ephemeral(&bob));
    assert!(text_of(&bob).contains("/baton link"), "{bob}");

    let acked = app.discord().interact(button(ANN, "baton:ack:1")).await;
    assert_eq!(acked["type"], 4);
    assert!(is_ephemeral(&acked));
    assert!(
        text_of(&acked).starts_with("Acknowledged lead #1"),
        "{acked}"
    );
    assert_eq!(
        app.text("SELECT acked_by FROM handoffs").await.as_deref(),
        Some("ann@acme.test")
    );
    app.discord()
        .fake
        .wait("the alert edited", |c| !c.edits.is_empty())
        .await;
    let edited = app.discord().fake.messages_in(&dm);
    assert_eq!(edited.len(), 1, "edited in place, not posted again");
    let description = edited[0].body["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        // Ann has a Discord id: she is mentioned (it pings nobody: allowed_mentions is empty).
        description.starts_with("**Lead #1: acknowledged by <@1002>**"),
        "{description}"
    );
    assert_eq!(
        edited[0].body["embeds"][0]["title"],
        "New MQL: Jane Doe (Acme)"
    );
    assert!(!button_ids(&edited[0].body).contains(&"baton:ack:1".to_string()));

    // A second ack is a private refusal.
    let again = app.discord().interact(button(ANN, "baton:ack:1")).await;
    assert!(is_ephemeral(&again) && text_of(&again).contains("already acknowledged"));

    // Reject opens a modal; submitting it rejects with the reason and the note.
    let modal = app.discord().interact(button(ANN, "baton:reject:1")).await;
    assert_eq!(modal["type"], 9);
    assert_eq!(modal["data"]["custom_id"], "baton:reject:1");
    let bad = app
        .discord()
        .interact(modal_submit(ANN, "baton:reject:1", "too_cheap", ""))
        .await;
    assert!(
        is_ephemeral(&bad) && text_of(&bad).contains("no_budget"),
        "{bad}"
    );
    assert_eq!(
        app.text("SELECT status FROM handoffs").await.as_deref(),
        Some("open")
    );
    let rejected = app
        .discord()
        .interact(modal_submit(
            ANN,
            "baton:reject:1",
            "no_budget",
            "tiny team",
        ))
        .await;
    assert!(text_of(&rejected).contains("#1"), "{rejected}");
    assert_eq!(
        app.text("SELECT status FROM handoffs").await.as_deref(),
        Some("rejected")
    );
    assert_eq!(
        app.text("SELECT reject_reason FROM handoffs")
            .await
            .as_deref(),
        Some("no_budget")
    );

    // Rate offers stars; a star rates.
    let stars = app.discord().interact(button(ANN, "baton:rate:1")).await;
    assert_eq!(button_ids(&stars["data"]).len(), 5);
    let rated = app.discord().interact(button(ANN, "baton:stars:1:4")).await;
    assert_eq!(
        app.scalar("SELECT rating FROM handoffs").await,
        4,
        "{rated}"
    );
    app.discord()
        .fake
        .wait("more edits", |c| c.edits.len() >= 2)
        .await;
    assert_eq!(app.discord().fake.messages_in(&dm).len(), 1);
    app.drained().await;
}

fn modal_submit(user: &str, custom_id: &str, reason: &str, note: &str) -> Value {
    json!({
        "type": 5, "id": next_id(), "application_id": APP_ID, "token": "tok",
        "user": { "id": user },
        "data": { "custom_id": custom_id, "components": [
            { "type": 1, "components": [{ "type": 4, "custom_id": "reason", "value": reason }] },
            { "type": 1, "components": [{ "type": 4, "custom_id": "note", "value": note }] },
        ]},
    })
}

#[tokio::test]
async fn slash_commands_run_the_text_grammar_as_the_linked_person() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let shown = app
        .discord()
        .interact(command(
            ANN,
            "lead",
            Some((
                "show",
                json!([{ "name": "lead", "type": 3, "value": "crm-1" }]),
            )),
        ))
        .await;
    // A lead's details are for the person who asked only.
    assert!(is_ephemeral(&shown), "{shown}");
    assert!(text_of(&shown).contains("Jane Doe"), "{shown}");
    let rejected = app
        .discord()
        .interact(command(
            ANN,
            "lead",
            Some((
                "reject",
                json!([
                    { "name": "lead", "type": 3, "value": "1" },
                    { "name": "reason", "type": 3, "value": "spam" },
                ]),
            )),
        ))
        .await;
    assert!(is_ephemeral(&rejected), "{rejected}");
    assert_eq!(
        app.text("SELECT reject_reason FROM handoffs")
            .await
            .as_deref(),
        Some("spam")
    );
    let help = app
        .discord()
        .interact(command(BOB, "baton", Some(("help", json!([])))))
        .await;
    assert!(text_of(&help).contains("/lead ack"), "{help}");
    let usage = app
        .discord()
        .interact(command(
            ANN,
            "lead",
            Some(("ack", json!([{ "name": "lead", "type": 3, "value": "99" }]))),
        ))
        .await;
    assert!(
        is_ephemeral(&usage) && text_of(&usage).contains("no lead 99"),
        "{usage}"
    );
    app.drained().await;
}

#[tokio::test]
async fn a_retry_with_the_same_nonce_posts_once() {
    let app = TestApp::builder().fake_discord().spawn().await;
    let dm = dm_channel_of(ANN);
    app.external(ANNS_LEAD).await;
    app.discord()
        .fake
        .wait("the alert", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    app.wait("both platforms sent", |c| c.messages_sent >= 2)
        .await;
    let mut app = app;
    app.stop().await;
    // As if Baton crashed after Discord took the message but before it was marked sent.
    app.external(
        "UPDATE outbox SET status = 'sending', sent_at = NULL, external_ref = NULL WHERE platform = 'discord'",
    )
    .await;
    let app = app.restart().await;
    app.wait("the resend", |c| c.messages_sent >= 1).await;
    assert_eq!(
        app.discord().fake.calls(|c| c.creates),
        2,
        "Baton did send again"
    );
    assert_eq!(
        app.discord().fake.messages_in(&dm).len(),
        1,
        "but Discord kept one message"
    );
    assert_eq!(
        app.text("SELECT external_ref FROM outbox WHERE platform = 'discord'")
            .await,
        Some(format!(
            "{dm}/{}",
            app.discord().fake.messages_in(&dm)[0].id
        ))
    );
    app.drained().await;
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_discord_asks_for() {
    let app = TestApp::builder().fake_discord().spawn().await;
    let dm = dm_channel_of(ANN);
    app.discord().fake.rate_limit(1, 30.0);
    app.external(ANNS_LEAD).await;
    app.wait("the 429", |c| c.send_failures >= 1).await;
    assert_eq!(app.discord().fake.calls(|c| c.rate_limited), 1);
    assert!(app.discord().fake.messages_in(&dm).is_empty());
    // Backoff alone would retry after 1 s: the row waits the 30 s Discord asked for.
    assert_eq!(
        app.text("SELECT next_attempt_at FROM outbox WHERE platform = 'discord'")
            .await
            .as_deref(),
        Some("2026-11-17T11:00:30.000Z")
    );
    app.clock.advance(chrono::Duration::seconds(29));
    assert!(app.discord().fake.messages_in(&dm).is_empty());
    app.clock.advance(chrono::Duration::seconds(1));
    app.discord()
        .fake
        .wait("the alert after the wait", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    assert_eq!(app.discord().fake.messages_in(&dm).len(), 1);
    app.drained().await;
}

#[tokio::test]
async fn linking_needs_the_managers_confirmation() {
    let app = TestApp::builder().fake_discord().spawn().await;
    let mine = || command(BOB, "lead", Some(("mine", json!([]))));
    let link = |email: &str| {
        command(
            BOB,
            "baton",
            Some((
                "link",
                json!([{ "name": "email", "type": 3, "value": email }]),
            )),
        )
    };
    let confirm = |by: &str| {
        command(
            by,
            "baton",
            Some((
                "confirm",
                json!([{ "name": "user", "type": 6, "value": BOB }]),
            )),
        )
    };

    // Bob has no Discord identity: his alert cannot be delivered, and says why.
    app.external(
        "INSERT INTO leads (external_id, name, company, stage, owner_email)
         VALUES ('crm-2', 'Jim', 'Initech', 'mql', 'bob@acme.test')",
    )
    .await;
    app.wait("the dead alert", |c| c.messages_dead >= 1).await;
    let error = app
        .text("SELECT last_error FROM outbox WHERE platform = 'discord' AND status = 'dead'")
        .await
        .unwrap();
    assert!(
        error.contains("bob@acme.test has no Discord account"),
        "{error}"
    );

    let unknown = app.discord().interact(mine()).await;
    assert!(is_ephemeral(&unknown) && text_of(&unknown).contains("/baton link"));
    let stranger = app.discord().interact(link("nobody@acme.test")).await;
    assert!(is_ephemeral(&stranger) && text_of(&stranger).contains("not a Baton user"));
    let taken = app.discord().interact(link("ann@acme.test")).await;
    assert!(text_of(&taken).contains("config"), "{taken}");
    let requested = app.discord().interact(link("bob@acme.test")).await;
    assert!(
        text_of(&requested).contains("boss@acme.test"),
        "{requested}"
    );
    // Pending is not linked.
    assert!(text_of(&app.discord().interact(mine()).await).contains("/baton link"));
    // Only the team's manager or an admin confirms.
    let by_ann = app.discord().interact(confirm(ANN)).await;
    assert!(
        is_ephemeral(&by_ann) && text_of(&by_ann).contains("only"),
        "{by_ann}"
    );
    let by_boss = app.discord().interact(confirm(BOSS)).await;
    assert!(is_ephemeral(&by_boss), "{by_boss}");
    assert!(text_of(&by_boss).contains("bob@acme.test"));
    let now_known = app.discord().interact(mine()).await;
    assert!(is_ephemeral(&now_known), "{now_known}");
    assert!(!text_of(&now_known).contains("/baton link"), "{now_known}");

    // Bob's next alert reaches his DM.
    app.external(
        "INSERT INTO leads (external_id, name, company, stage, owner_email)
         VALUES ('crm-3', 'Joe', 'Initech', 'mql', 'bob@acme.test')",
    )
    .await;
    let dm = dm_channel_of(BOB);
    app.discord()
        .fake
        .wait("Bob's alert", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    let alert = &app.discord().fake.messages_in(&dm)[0].body;
    assert_eq!(alert["embeds"][0]["title"], "New MQL: Joe (Initech)");
    // The link makes Bob a real mention where the alert names him, though the config
    // gives him no discord_id; it still pings nobody.
    let fields = alert["embeds"][0]["fields"].to_string();
    assert!(fields.contains(&format!("<@{BOB}>")), "{fields}");
    assert_eq!(alert["allowed_mentions"]["parse"], json!([]), "{alert}");
    app.drained().await;
    // Bob's first alert, from before he linked, stays a dead letter.
    app.expect_unsent(1);
}

/// Arbitrary JSON, as Discord (or an attacker with the key) might send.
fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        prop::sample::select(vec![
            "ack",
            "baton:ack:1",
            "baton:reject:x",
            "lead",
            "reject",
            "1002",
            "3",
            "5"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "type",
                    "data",
                    "name",
                    "options",
                    "value",
                    "custom_id",
                    "member",
                    "user",
                    "id",
                    "components",
                    "token",
                    "guild_id",
                    "channel_id",
                ])
                .prop_map(str::to_string),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Fuzzing: correctly signed but arbitrary interaction JSON never makes Baton fail or
/// panic; it answers every one, and the HTTP listener stays up.
#[test]
fn arbitrary_signed_interactions_get_an_answer_never_a_crash() {
    use proptest::test_runner::{Config as RunnerConfig, TestRunner};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut harness = runtime.block_on(TestApp::builder().fake_discord().spawn());
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 128,
        ..RunnerConfig::default()
    });
    let typed = (1i64..=5, any_json()).prop_map(|(kind, mut v)| {
        if let Value::Object(map) = &mut v {
            map.insert("type".into(), Value::from(kind));
        }
        v
    });
    use proptest::strategy::Strategy;
    runner
        .run(&prop_oneof_values(typed), |body| {
            let (status, _) = runtime.block_on(harness.discord().post_signed(
                harness.discord().key,
                harness.clock.now().timestamp(),
                &body,
            ));
            proptest::prop_assert!(status < 500, "status {status} for {body}");
            Ok(())
        })
        .unwrap();
    runtime.block_on(harness.stop());
}

fn prop_oneof_values(
    typed: impl proptest::strategy::Strategy<Value = Value> + 'static,
) -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    prop_oneof![typed, any_json()]
}

#[tokio::test]
async fn a_chart_is_attached_as_the_embeds_image_once_even_after_a_429_and_a_crash() {
    let app = TestApp::builder().fake_discord().spawn().await;
    let channel = "555";
    app.discord().fake.rate_limit(1, 5.0);
    let message = Message::new("Funnel chart — week 2026-W47")
        .section("Stages", "mql  80")
        .chart(funnel_chart());
    enqueue(&app.ctx, &[("discord", channel)], &message).await;
    app.wait("the 429", |c| c.send_failures >= 1).await;
    assert_eq!(
        app.text("SELECT next_attempt_at FROM outbox WHERE platform = 'discord'")
            .await
            .as_deref(),
        Some("2026-11-17T11:00:05.000Z"),
        "the multipart send waits as Discord asked"
    );
    app.clock.advance(chrono::Duration::seconds(5));
    app.discord()
        .fake
        .wait("the chart message", |c| {
            c.messages.iter().any(|m| m.channel_id == channel)
        })
        .await;
    let posted = app.discord().fake.messages_in(channel).remove(0);
    let id = app
        .scalar("SELECT id FROM outbox WHERE platform = 'discord'")
        .await;
    assert_eq!(posted.body["nonce"], format!("baton-{id}"));
    assert_eq!(posted.body["enforce_nonce"], true);
    let embeds = posted.body["embeds"].as_array().unwrap();
    assert_eq!(embeds[0]["title"], "Funnel chart — week 2026-W47");
    assert_eq!(
        embeds[0]["image"]["url"],
        "attachment://funnel-2026-W47.png"
    );
    assert_eq!(embeds[1]["title"], "Stages");
    assert_eq!(
        posted.body["attachments"],
        json!([{ "id": 0, "filename": "funnel-2026-W47.png" }])
    );
    let [file] = posted.files.as_slice() else {
        panic!("one attachment: {:?}", posted.files.len());
    };
    assert_eq!(
        (
            file.field.as_str(),
            file.file_name.as_str(),
            file.content_type.as_str()
        ),
        ("files[0]", "funnel-2026-W47.png", "image/png")
    );
    assert_eq!(
        png_size(&file.bytes),
        (baton::message::chart::WIDTH, baton::message::chart::HEIGHT)
    );
    app.wait("the send", |c| c.messages_sent >= 1).await;

    let mut app = app;
    app.stop().await;
    // As if Baton crashed after Discord took the message but before it was marked sent.
    app.external(
        "UPDATE outbox SET status = 'sending', sent_at = NULL, external_ref = NULL WHERE platform = 'discord'",
    )
    .await;
    let app = app.restart().await;
    app.wait("the resend", |c| c.messages_sent >= 1).await;
    assert_eq!(
        app.discord().fake.calls(|c| c.creates),
        2,
        "Baton did send again"
    );
    assert_eq!(
        app.discord().fake.messages_in(channel).len(),
        1,
        "but the nonce kept one message"
    );
    app.drained().await;
}

fn opt(name: &str, kind: u64, value: Value) -> Value {
    json!({ "name": name, "type": kind, "value": value })
}

/// Every answer to a person is ephemeral; only `/funnel ... share` goes to the channel.
#[tokio::test]
async fn answers_are_private_unless_a_report_is_shared() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let private = [
        command(
            ANN,
            "lead",
            Some(("show", json!([opt("lead", 3, json!("1"))]))),
        ),
        command(ANN, "lead", Some(("mine", json!([])))),
        command(ANN, "funnel", None),
        command(BOSS, "sla", None),
        command(ANN, "baton", Some(("help", json!([])))),
        command(BOSS, "baton", Some(("links", json!([])))),
        // Mistakes and refusals.
        command(
            ANN,
            "lead",
            Some(("show", json!([opt("lead", 3, json!("99"))]))),
        ),
        command(
            BOB,
            "lead",
            Some(("show", json!([opt("lead", 3, json!("1"))]))),
        ),
        command(ANN, "baton", Some(("links", json!([])))),
        command(ANN, "dance", None),
    ];
    for body in private {
        let answer = app.discord().interact(body.clone()).await;
        assert!(is_ephemeral(&answer), "{body} → {answer}");
        assert_eq!(answer["data"]["allowed_mentions"], json!({ "parse": [] }));
    }
    let mut share = command(ANN, "funnel", None);
    share["data"]["options"] = json!([opt("period", 3, json!("7d")), opt("share", 5, json!(true))]);
    let shared = app.discord().interact(share).await;
    assert!(!is_ephemeral(&shared), "{shared}");
    assert!(text_of(&shared).contains("Funnel"), "{shared}");
    assert_eq!(shared["data"]["allowed_mentions"], json!({ "parse": [] }));
    // A mistake in a shared command is still private.
    let mut bad = command(ANN, "funnel", None);
    bad["data"]["options"] = json!([opt("period", 3, json!("45x")), opt("share", 5, json!(true))]);
    assert!(is_ephemeral(&app.discord().interact(bad).await));
    app.drained().await;
}

/// `lead:"1 5" stars:1` does not rate 5, and `lead:"1 spam"` does not override the reason.
#[tokio::test]
async fn option_values_are_taken_as_given() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.wait("alerts sent", |c| c.messages_sent >= 2).await;
    let before = app.dump().await;
    let rate = command(
        ANN,
        "lead",
        Some((
            "rate",
            json!([opt("lead", 3, json!("1 5")), opt("stars", 4, json!(1))]),
        )),
    );
    let answer = app.discord().interact(rate).await;
    assert!(
        is_ephemeral(&answer) && text_of(&answer).contains("\"1 5\" is not a lead"),
        "{answer}"
    );
    let reject = command(
        ANN,
        "lead",
        Some((
            "reject",
            json!([
                opt("lead", 3, json!("1 spam")),
                opt("reason", 3, json!("no_budget")),
            ]),
        )),
    );
    let answer = app.discord().interact(reject).await;
    assert!(text_of(&answer).contains("is not a lead"), "{answer}");
    assert_eq!(
        app.dump().await,
        before,
        "a refused command changes nothing"
    );

    // Given properly, the note keeps words that look like a reason or a rating.
    let reject = command(
        ANN,
        "lead",
        Some((
            "reject",
            json!([
                opt("lead", 3, json!("1")),
                opt("reason", 3, json!("no_budget")),
                opt("note", 3, json!("spam 5")),
            ]),
        )),
    );
    app.discord().interact(reject).await;
    assert_eq!(
        app.text("SELECT reject_reason FROM handoffs")
            .await
            .as_deref(),
        Some("no_budget")
    );
    let rate = command(
        ANN,
        "lead",
        Some((
            "rate",
            json!([
                opt("lead", 3, json!("1")),
                opt("stars", 4, json!(1)),
                opt("note", 3, json!("5"))
            ]),
        )),
    );
    app.discord().interact(rate).await;
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 1);
    app.drained().await;
}

/// A signed interaction replayed within its five minutes is refused, also after a restart.
#[tokio::test]
async fn a_replayed_interaction_is_refused_even_after_a_restart() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.wait("alerts sent", |c| c.messages_sent >= 2).await;
    let four = button(ANN, "baton:stars:1:4");
    let two = button(ANN, "baton:stars:1:2");
    let at = app.clock.now().timestamp();
    assert_eq!(
        app.discord()
            .post_signed(app.discord().key, at, &four)
            .await
            .0,
        200
    );
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 4);
    assert_eq!(
        app.discord()
            .post_signed(app.discord().key, at, &two)
            .await
            .0,
        200
    );
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 2);
    app.drained().await;
    let before = app.dump().await;
    let (status, replay) = app
        .discord()
        .post_signed(app.discord().key, at, &four)
        .await;
    assert_eq!(status, 200);
    assert!(
        is_ephemeral(&replay) && text_of(&replay).contains("already handled"),
        "{replay}"
    );
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 2);
    assert_eq!(app.dump().await, before);

    // The ids survive a restart: the same request, still within its window, is refused.
    let app = app.restart().await;
    app.clock.advance(chrono::Duration::seconds(60));
    let (_, replay) = app
        .discord()
        .post_signed(app.discord().key, at, &four)
        .await;
    assert!(text_of(&replay).contains("already handled"), "{replay}");
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 2);
    assert_eq!(app.dump().await, before);
}

/// An admin with a team and no `discord_id` cannot be taken over by linking: the team's
/// manager may confirm reps only, and every link and confirmation is in the audit trail.
#[tokio::test]
async fn linking_cannot_make_anyone_an_admin() {
    let app = TestApp::builder()
        .fake_discord()
        .env(&[("BATON__PERSON__0__TEAM", "\"sales\"")])
        .spawn()
        .await;
    const EVE: &str = "6666";
    let link = |user: &str, email: &str| {
        command(
            user,
            "baton",
            Some(("link", json!([opt("email", 3, json!(email))]))),
        )
    };
    let confirm = |by: &str, user: &str| {
        command(
            by,
            "baton",
            Some(("confirm", json!([opt("user", 6, json!(user))]))),
        )
    };
    let requested = app.discord().interact(link(EVE, "root@acme.test")).await;
    assert!(
        is_ephemeral(&requested) && text_of(&requested).contains("an admin confirms"),
        "{requested}"
    );
    let before = app.dump().await;
    let refused = app.discord().interact(confirm(BOSS, EVE)).await;
    assert!(
        is_ephemeral(&refused)
            && text_of(&refused).contains("root@acme.test is an admin: only an admin"),
        "{refused}"
    );
    assert_eq!(app.dump().await, before, "the refusal changed nothing");
    // Eve is still nobody: she cannot reassign or see the links.
    let as_eve = app
        .discord()
        .interact(command(EVE, "baton", Some(("links", json!([])))))
        .await;
    assert!(text_of(&as_eve).contains("/baton link"), "{as_eve}");

    // An email with a discord_id in the config cannot be linked at all.
    let before = app.dump().await;
    for (user, email) in [("8888", "ann@acme.test"), ("9999", "boss@acme.test")] {
        let taken = app.discord().interact(link(user, email)).await;
        assert!(
            is_ephemeral(&taken) && text_of(&taken).contains("cannot be linked"),
            "{taken}"
        );
    }
    assert_eq!(app.dump().await, before);

    // Bob, a rep of Boss's team: another rep cannot confirm, Boss can.
    app.discord().interact(link(BOB, "bob@acme.test")).await;
    let before = app.dump().await;
    let by_ann = app.discord().interact(confirm(ANN, BOB)).await;
    assert!(
        text_of(&by_ann).contains("only bob@acme.test's team manager"),
        "{by_ann}"
    );
    assert_eq!(app.dump().await, before);
    let ok = app.discord().interact(confirm(BOSS, BOB)).await;
    assert!(is_ephemeral(&ok) && text_of(&ok).contains("Linked"), "{ok}");

    // An admin may confirm any link, on the console too.
    let (ok, text) = app
        .command("root@acme.test", &format!("/baton confirm <@{EVE}>"))
        .await;
    assert!(ok, "{text}");
    // Reps cannot list links; managers see the links and the history.
    let (ok, _) = app.command("ann@acme.test", "/baton links").await;
    assert!(!ok);
    let (ok, links) = app.command("boss@acme.test", "/baton links").await;
    assert!(ok, "{links}");
    for line in [
        "bob@acme.test = Discord user 2002 (confirmed by boss@acme.test)",
        "root@acme.test = Discord user 6666 (confirmed by root@acme.test)",
        "Discord user 6666 asked to be root@acme.test",
        "Discord user 2002 asked to be bob@acme.test",
        "boss@acme.test confirmed Discord user 2002 as bob@acme.test",
        "root@acme.test confirmed Discord user 6666 as root@acme.test",
    ] {
        assert!(links.contains(line), "{line} not in\n{links}");
    }
    let on_discord = app
        .discord()
        .interact(command(BOSS, "baton", Some(("links", json!([])))))
        .await;
    assert!(is_ephemeral(&on_discord) && text_of(&on_discord).contains("History:"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM discord_link_log").await,
        4,
        "two requests, two confirmations"
    );
    app.drained().await;
}

/// Hostile CRM text cannot ping or mention anyone on Discord: every message Baton creates
/// or edits says `allowed_mentions: {parse: []}`.
#[tokio::test]
async fn hostile_text_cannot_mention_anyone_on_discord() {
    let app = TestApp::builder().fake_discord().spawn().await;
    app.external(
        "INSERT INTO leads (external_id, name, company, title, source, stage, owner_email)
         VALUES ('crm-1', '@everyone <@&42>', '@here <@1001>', '[Click](https://evil.example)',
                 'webinar', 'mql', 'ann@acme.test')",
    )
    .await;
    app.wait("alerts sent", |c| c.messages_sent >= 2).await;
    let note = "@everyone <@1001> see https://evil.example";
    let reject = command(
        ANN,
        "lead",
        Some((
            "reject",
            json!([
                opt("lead", 3, json!("1")),
                opt("reason", 3, json!("other")),
                opt("note", 3, json!(note))
            ]),
        )),
    );
    let answer = app.discord().interact(reject).await;
    assert_eq!(answer["data"]["allowed_mentions"], json!({ "parse": [] }));
    let shown = app
        .discord()
        .interact(command(
            ANN,
            "lead",
            Some(("show", json!([opt("lead", 3, json!("1"))]))),
        ))
        .await;
    assert!(text_of(&shown).contains("@everyone"), "{shown}");
    assert_eq!(shown["data"]["allowed_mentions"], json!({ "parse": [] }));
    // Markdown from the CRM is escaped: no disguised link, no role mention pill.
    assert!(!text_of(&shown).contains("[Click](https"), "{shown}");
    assert!(text_of(&shown).contains("\\[Click\\](https"), "{shown}");
    app.discord()
        .fake
        .wait("the alert edited", |c| !c.edits.is_empty())
        .await;
    let (messages, edits) = app
        .discord()
        .fake
        .calls(|c| (c.messages.clone(), c.edits.clone()));
    assert!(!messages.is_empty());
    let alert = messages[0].body.to_string();
    assert!(!alert.contains("[Click](https"), "{alert}");
    assert!(!alert.contains("\"<@1001>"), "{alert}");
    for m in &messages {
        assert_eq!(
            m.body["allowed_mentions"],
            json!({ "parse": [] }),
            "{}",
            m.body
        );
    }
    for (_, _, body) in &edits {
        assert_eq!(body["allowed_mentions"], json!({ "parse": [] }), "{body}");
    }
    app.drained().await;
}

/// A DM Discord refuses with 50007 goes to the team's channel, mentioning the person.
#[tokio::test]
async fn a_refused_dm_goes_to_the_team_channel_with_a_mention() {
    let app = TestApp::builder()
        .fake_discord()
        .env(&[("BATON__TEAM__0__DISCORD_CHANNEL_ID", "\"555\"")])
        .spawn()
        .await;
    app.discord().fake.close_dms(ANN);
    app.external(ANNS_LEAD).await;
    app.wait("alerts sent", |c| c.messages_sent >= 3).await;
    let in_team = app.discord().fake.messages_in("555");
    assert_eq!(in_team.len(), 2, "the team's alert and Ann's: {in_team:?}");
    let for_ann = in_team
        .iter()
        .find(|m| m.body["content"].is_string())
        .expect("Ann's alert with a mention");
    assert!(
        for_ann.body["content"]
            .as_str()
            .unwrap()
            .starts_with(&format!("<@{ANN}>")),
        "{}",
        for_ann.body
    );
    assert_eq!(
        for_ann.body["allowed_mentions"],
        json!({ "parse": [], "users": [ANN] })
    );
    assert_eq!(
        for_ann.body["embeds"][0]["title"],
        "New MQL: Jane Doe (Acme)"
    );
    assert!(
        app.discord()
            .fake
            .messages_in(&dm_channel_of(ANN))
            .is_empty()
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'dead'")
            .await,
        0
    );
    app.drained().await;
}

// The gateway (`[discord] mode = "gateway"`): the same interactions arrive over the fake
// gateway's websocket and are answered through the interaction callback.

/// Starts Baton in gateway mode and waits for its first READY.
async fn gateway() -> TestApp {
    let app = TestApp::builder()
        .fake_discord()
        .env(&[("BATON__DISCORD__MODE", "\"gateway\"")])
        .spawn()
        .await;
    app.discord()
        .fake
        .wait_gateway("the first READY", 1, |e| {
            matches!(e, GatewayEvent::Ready(_))
        })
        .await;
    app
}

fn ack(user: &str, lead: u32) -> Value {
    command(
        user,
        "lead",
        Some((
            "ack",
            json!([{ "name": "lead", "type": 3, "value": lead.to_string() }]),
        )),
    )
}

#[tokio::test]
async fn a_slash_command_over_the_gateway_is_applied_once() {
    let app = gateway().await;
    // Identified with the bot's token and only the GUILDS intent, as Baton needs no more.
    let identify = app.discord().fake.calls(|c| {
        c.gateway
            .iter()
            .find_map(|e| match e {
                GatewayEvent::Identify(d) => Some(d.clone()),
                _ => None,
            })
            .unwrap()
    });
    assert!(
        identify["token"].as_str().unwrap().ends_with(TOKEN),
        "{identify}"
    );
    assert_eq!(identify["intents"], 1, "{identify}");
    assert_eq!(
        app.discord().fake.count(|e| *e == GatewayEvent::UrlAsked),
        1,
        "the URL is asked once"
    );
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let id = app.discord().send_over_gateway(ack(ANN, 1));
    let answer = app.discord().callback(&id).await;
    assert_eq!(answer["type"], 4, "{answer}");
    assert!(is_ephemeral(&answer), "{answer}");
    assert!(
        text_of(&answer).starts_with("Acknowledged lead #1"),
        "{answer}"
    );
    assert_eq!(
        app.text("SELECT acked_by FROM handoffs").await.as_deref(),
        Some("ann@acme.test")
    );
    // Heartbeats go on and are acknowledged; the last one carries the last sequence seen.
    let beats = app
        .discord()
        .fake
        .count(|e| matches!(e, GatewayEvent::Heartbeat(..)));
    app.discord()
        .fake
        .wait_gateway("two more acknowledged heartbeats", beats + 2, |e| {
            matches!(e, GatewayEvent::HeartbeatAck(_))
        })
        .await;
    let last_seen = app.discord().fake.calls(|c| {
        c.gateway
            .iter()
            .rev()
            .find_map(|e| match e {
                GatewayEvent::Heartbeat(_, d) => Some(d.clone()),
                _ => None,
            })
            .unwrap()
    });
    assert_eq!(last_seen, 2, "READY is 1, the command 2");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM inbound_deliveries WHERE platform = 'discord'")
            .await,
        1
    );
    assert_eq!(
        app.discord()
            .fake
            .count(|e| matches!(e, GatewayEvent::Identify(_))),
        1,
        "one session all along"
    );
    app.drained().await;
}

#[tokio::test]
async fn a_button_and_the_reject_modal_over_the_gateway_are_applied_once() {
    let app = gateway().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let acked = app
        .discord()
        .callback(&app.discord().send_over_gateway(button(ANN, "baton:ack:1")))
        .await;
    assert_eq!(acked["type"], 4, "{acked}");
    assert!(is_ephemeral(&acked), "{acked}");
    assert!(
        text_of(&acked).starts_with("Acknowledged lead #1"),
        "{acked}"
    );
    assert_eq!(
        app.text("SELECT acked_by FROM handoffs").await.as_deref(),
        Some("ann@acme.test")
    );
    // Reject opens the modal; its submission rejects with the reason and the note.
    let modal = app
        .discord()
        .callback(
            &app.discord()
                .send_over_gateway(button(ANN, "baton:reject:1")),
        )
        .await;
    assert_eq!(modal["type"], 9, "{modal}");
    assert_eq!(modal["data"]["custom_id"], "baton:reject:1");
    assert_eq!(
        app.text("SELECT status FROM handoffs").await.as_deref(),
        Some("open"),
        "opening the modal changes nothing"
    );
    let rejected = app
        .discord()
        .callback(&app.discord().send_over_gateway(modal_submit(
            ANN,
            "baton:reject:1",
            "no_budget",
            "tiny team",
        )))
        .await;
    assert!(is_ephemeral(&rejected), "{rejected}");
    assert!(text_of(&rejected).contains("#1"), "{rejected}");
    assert_eq!(
        app.text("SELECT status FROM handoffs").await.as_deref(),
        Some("rejected")
    );
    assert_eq!(
        app.text("SELECT reject_reason FROM handoffs")
            .await
            .as_deref(),
        Some("no_budget")
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM inbound_deliveries WHERE platform = 'discord'")
            .await,
        3
    );
    app.drained().await;
}

/// How many acknowledgements the handoff log holds.
async fn acks_logged(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM handoff_log WHERE what LIKE 'acknowledged by%'")
        .await
}

#[tokio::test]
async fn a_reconnect_and_a_drop_in_a_burst_over_the_gateway_lose_nothing_and_apply_nothing_twice() {
    let app = gateway().await;
    let values: Vec<String> = (1..=10)
        .map(|n| format!("('g-{n}', 'Lead {n}', 'Acme', 'ads', 'mql', 'ann@acme.test')"))
        .collect();
    app.external(&format!(
        "INSERT INTO leads (external_id, name, company, source, stage, owner_email) VALUES {};",
        values.join(", ")
    ))
    .await;
    app.wait("ten handoffs", |c| c.handoffs_opened >= 10).await;
    let before = acks_logged(&app).await;
    let mut ids = Vec::new();
    let first = ack(ANN, 1);
    ids.push(app.discord().send_over_gateway(first.clone()));
    for lead in 2..=3 {
        ids.push(app.discord().send_over_gateway(ack(ANN, lead)));
    }
    // Op 7: what is sent from now on waits in the session for the RESUME.
    app.discord().fake.ask_reconnect();
    for lead in 4..=6 {
        ids.push(app.discord().send_over_gateway(ack(ANN, lead)));
    }
    app.discord()
        .fake
        .wait_gateway("the resume after op 7", 1, |e| {
            matches!(e, GatewayEvent::Resumed(_))
        })
        .await;
    // A socket lost without a close frame: resumed too, and what it missed is replayed.
    app.discord().fake.drop_socket();
    for lead in 7..=9 {
        ids.push(app.discord().send_over_gateway(ack(ANN, lead)));
    }
    ids.push(app.discord().send_over_gateway(modal_submit(
        ANN,
        "baton:reject:10",
        "no_budget",
        "too small",
    )));
    app.discord()
        .fake
        .wait_gateway("the resume after the drop", 2, |e| {
            matches!(e, GatewayEvent::Resumed(_))
        })
        .await;
    for id in &ids {
        let answer = app.discord().callback(id).await;
        assert!(is_ephemeral(&answer), "{answer}");
        assert!(
            text_of(&answer).to_lowercase().contains("lead #"),
            "{answer}"
        );
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE acked_by = 'ann@acme.test' AND id <= 9")
            .await,
        9
    );
    assert_eq!(acks_logged(&app).await - before, 9, "each ack applied once");
    assert_eq!(
        app.text("SELECT status || ' ' || reject_reason FROM handoffs WHERE id = 10")
            .await
            .as_deref(),
        Some("rejected no_budget")
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM inbound_deliveries WHERE platform = 'discord'")
            .await,
        10
    );
    // Both reconnects resumed the one session with the last sequence seen.
    let (session, resumes) = app.discord().fake.calls(|c| {
        let session = c.sessions.current.clone().unwrap();
        let resumes: Vec<Value> = c
            .gateway
            .iter()
            .filter_map(|e| match e {
                GatewayEvent::Resume(d) => Some(d.clone()),
                _ => None,
            })
            .collect();
        (session, resumes)
    });
    assert_eq!(resumes.len(), 2, "{resumes:?}");
    // READY is 1 and acks 1-3 are 2-4 when op 7 comes; acks 4-6 (5-7) are replayed, then
    // RESUMED is 8; after the drop, acks 7-9 and the modal (9-12) are replayed, and
    // whatever of 5-8 the client had not read yet when its socket went (it reads them
    // while it answers, so how far it got is not fixed).
    assert_eq!(resumes[0]["seq"], 4, "{resumes:?}");
    let second = resumes[1]["seq"].as_u64().unwrap();
    assert!((4..=8).contains(&second), "{resumes:?}");
    let replayed: Vec<usize> = app.discord().fake.calls(|c| {
        c.gateway
            .iter()
            .filter_map(|e| match e {
                GatewayEvent::Resumed(n) => Some(*n),
                _ => None,
            })
            .collect()
    });
    assert_eq!(replayed[0], 3, "{replayed:?}");
    assert!(replayed.len() == 2 && replayed[1] >= 4, "{replayed:?}");
    for resume in &resumes {
        assert_eq!(resume["session_id"], session.as_str());
        assert!(resume["token"].as_str().unwrap().ends_with(TOKEN));
    }
    assert_eq!(
        app.discord()
            .fake
            .count(|e| matches!(e, GatewayEvent::Identify(_))),
        1
    );
    // Every interaction was dispatched once on a socket that delivered it, or replayed.
    let callbacks = app.discord().fake.calls(|c| c.callbacks.len());
    assert_eq!(callbacks, ids.len());

    // The same interaction delivered again (as a replay from a sequence number the client
    // had already passed would) is refused and changes nothing.
    app.drained().await;
    let before = app.dump().await;
    app.discord().send_over_gateway(first);
    app.discord()
        .fake
        .wait("the answer to the second delivery", |c| {
            c.callbacks.len() == ids.len() + 1
        })
        .await;
    let again = app
        .discord()
        .fake
        .calls(|c| c.callbacks.last().unwrap().clone());
    assert_eq!(again.0, ids[0]);
    assert!(is_ephemeral(&again.1), "{again:?}");
    assert!(text_of(&again.1).contains("already handled"), "{again:?}");
    assert_eq!(app.dump().await, before);
}

#[tokio::test]
async fn an_invalid_session_over_the_gateway_leads_to_a_fresh_identify() {
    let app = gateway().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.discord().fake.invalidate_session();
    // Sent while no session is ready: it goes out after the next READY.
    let id = app.discord().send_over_gateway(ack(ANN, 1));
    app.discord()
        .fake
        .wait_gateway("a second IDENTIFY", 2, |e| {
            matches!(e, GatewayEvent::Identify(_))
        })
        .await;
    let answer = app.discord().callback(&id).await;
    assert!(
        text_of(&answer).starts_with("Acknowledged lead #1"),
        "{answer}"
    );
    let sessions: Vec<String> = app.discord().fake.calls(|c| {
        c.gateway
            .iter()
            .filter_map(|e| match e {
                GatewayEvent::Ready(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    });
    assert_eq!(sessions.len(), 2);
    assert_ne!(sessions[0], sessions[1]);
    assert_eq!(
        app.discord()
            .fake
            .count(|e| matches!(e, GatewayEvent::Resume(_))),
        0,
        "an invalid session is not resumed"
    );
    assert_eq!(
        app.text("SELECT acked_by FROM handoffs").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;
}

#[tokio::test]
async fn a_missed_heartbeat_ack_leads_to_a_reconnect() {
    let app = gateway().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let acked_before = app.discord().fake.stop_acking();
    app.discord()
        .fake
        .wait_gateway("the unacknowledged socket closed", 1, |e| {
            *e == GatewayEvent::Closed(1)
        })
        .await;
    app.discord()
        .fake
        .wait_gateway("a new session", 2, |e| matches!(e, GatewayEvent::Ready(_)))
        .await;
    let beats_on_first = app
        .discord()
        .fake
        .count(|e| matches!(e, GatewayEvent::Heartbeat(1, _)));
    assert!(
        beats_on_first > acked_before,
        "the first socket sent a heartbeat that went unacknowledged"
    );
    assert_eq!(
        app.discord()
            .fake
            .count(|e| matches!(e, GatewayEvent::HeartbeatAck(1))),
        acked_before,
        "no heartbeat of the first socket was acknowledged after acks stopped"
    );
    let id = app.discord().send_over_gateway(ack(ANN, 1));
    let answer = app.discord().callback(&id).await;
    assert!(
        text_of(&answer).starts_with("Acknowledged lead #1"),
        "{answer}"
    );
    app.discord()
        .fake
        .wait_gateway("heartbeats acknowledged on the new socket", 1, |e| {
            *e == GatewayEvent::HeartbeatAck(2)
        })
        .await;
    app.drained().await;
}
