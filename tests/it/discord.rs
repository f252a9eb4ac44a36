//! Discord end to end: Baton's real HTTP listener receives interactions signed with an
//! Ed25519 key made here; Baton's serenity client talks to [`FakeDiscord`]. Ann (user 1002)
//! and Boss (1001) have `discord_id` in the config; Bob (2002) has none until he links. A
//! message with a chart goes as multipart with the PNG attached.

use std::collections::HashMap;

use baton::app::App;
use baton::clock::Clock;
use baton::config::Config;
use baton::engine::Ctx;
use baton::engine::stats::Counters;
use baton::message::Message;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use crate::fake_discord::{FakeDiscord, GatewayEvent, TOKEN, dm_channel_of};
use crate::helpers::*;
use crate::slack::{enqueue, funnel_chart, png_size};

pub(crate) const APP_ID: &str = "4242";
const GUILD: &str = "777";
pub(crate) const ANN: &str = "1002";
pub(crate) const BOSS: &str = "1001";
pub(crate) const BOB: &str = "2002";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) struct Harness {
    dir: tempfile::TempDir,
    pub(crate) clock: Clock,
    pub(crate) ctx: Ctx,
    address: std::net::SocketAddr,
    pub(crate) fake: FakeDiscord,
    key: SigningKey,
    client: reqwest::Client,
    env: Vec<(String, String)>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
}

impl Harness {
    pub(crate) async fn spawn() -> Harness {
        Harness::spawn_with(&[]).await
    }

    /// Like `spawn`, with more environment (config overrides such as
    /// `BATON__PERSON__0__TEAM`).
    pub(crate) async fn spawn_with(env: &[(&str, &str)]) -> Harness {
        let fake = FakeDiscord::start().await;
        let dir = tempfile::tempdir().unwrap();
        let clock = Clock::manual(at(START));
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (ctx, address, handle) = start(&dir, &clock, &fake, &key, &env).await;
        Harness {
            dir,
            clock,
            ctx,
            address,
            fake,
            key,
            client: reqwest::Client::new(),
            env,
            handle: Some(handle),
        }
    }

    /// The database as text, to compare before and after a refused action.
    async fn dump(&self) -> String {
        dump(&self.dir.path().join("baton.db")).await
    }

    pub(crate) async fn stop(&mut self) {
        self.ctx.shutdown.cancel();
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }

    async fn restart(mut self) -> Harness {
        self.stop().await;
        let (ctx, address, handle) =
            start(&self.dir, &self.clock, &self.fake, &self.key, &self.env).await;
        Harness {
            ctx,
            address,
            handle: Some(handle),
            ..self
        }
    }

    pub(crate) async fn wait(&self, what: &str, done: impl FnMut(&Counters) -> bool) {
        tokio::time::timeout(PATIENCE, self.ctx.stats.wait_for(done))
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
    }

    pub(crate) async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.ctx.db.pool)
            .await
            .unwrap()
    }

    pub(crate) async fn text(&self, sql: &str) -> Option<String> {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.ctx.db.pool)
            .await
            .unwrap()
    }

    pub(crate) async fn external(&self, sql: &str) {
        let out = external_sql(&self.dir.path().join("baton.db"), sql).await;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Posts `body` to /discord/interactions signed at `timestamp` with `key`.
    async fn post_signed(&self, key: &SigningKey, timestamp: i64, body: &Value) -> (u16, Value) {
        let body = body.to_string();
        let timestamp = timestamp.to_string();
        let signature = key.sign(format!("{timestamp}{body}").as_bytes());
        let response = self
            .client
            .post(format!("http://{}/discord/interactions", self.address))
            .header("content-type", "application/json")
            .header("x-signature-ed25519", hex(&signature.to_bytes()))
            .header("x-signature-timestamp", timestamp)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// An interaction signed with the application's key, timestamped now.
    pub(crate) async fn interact(&self, body: Value) -> Value {
        let (status, answer) = self
            .post_signed(&self.key, self.clock.now().timestamp(), &body)
            .await;
        assert_eq!(status, 200, "{body}");
        answer
    }
}

async fn start(
    dir: &tempfile::TempDir,
    clock: &Clock,
    fake: &FakeDiscord,
    key: &SigningKey,
    more_env: &[(String, String)],
) -> (Ctx, std::net::SocketAddr, JoinHandle<anyhow::Result<()>>) {
    let extra = format!(
        r#"
[discord]
enabled = true
mode = "http"
api_url = "{url}"
application_id = "{APP_ID}"
guild_id = "{GUILD}"
"#,
        url = fake.url
    );
    let text = config_text(dir.path(), &format!("{TEAM}\n{extra}"));
    let env: HashMap<String, String> = [
        ("DISCORD_BOT_TOKEN", TOKEN.to_string()),
        ("DISCORD_PUBLIC_KEY", hex(key.verifying_key().as_bytes())),
        ("BATON__PERSON__1__DISCORD_ID", format!("\"{BOSS}\"")),
        ("BATON__PERSON__2__DISCORD_ID", format!("\"{ANN}\"")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .chain(more_env.iter().cloned())
    .collect();
    let config = Config::from_toml("test config", &text, &env).unwrap();
    let app = App::build(config, clock.clone()).await.unwrap();
    let address = app.address().unwrap();
    let ctx = app.ctx.clone();
    (ctx, address, tokio::spawn(app.run_until_stopped()))
}

/// A fresh interaction id (a snowflake-like number): Baton runs each id once.
pub(crate) fn next_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1_000_000);
    NEXT.fetch_add(1, Ordering::Relaxed).to_string()
}

pub(crate) fn command(user: &str, name: &str, sub: Option<(&str, Value)>) -> Value {
    let data = match sub {
        Some((sub, options)) => {
            json!({ "name": name, "options": [{ "type": 1, "name": sub, "options": options }] })
        }
        None => json!({ "name": name }),
    };
    json!({
        "type": 2, "id": next_id(), "application_id": APP_ID, "token": "tok",
        "guild_id": GUILD, "member": { "user": { "id": user } }, "data": data,
    })
}

pub(crate) fn button(user: &str, custom_id: &str) -> Value {
    json!({
        "type": 3, "id": next_id(), "application_id": APP_ID, "token": "tok",
        "user": { "id": user }, "data": { "custom_id": custom_id, "component_type": 2 },
    })
}

pub(crate) fn text_of(answer: &Value) -> &str {
    answer["data"]["content"].as_str().unwrap_or_default()
}

pub(crate) fn is_ephemeral(answer: &Value) -> bool {
    answer["data"]["flags"] == 64
}

pub(crate) fn button_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|b| b["custom_id"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) const ANNS_LEAD: &str =
    "INSERT INTO leads (external_id, name, company, source, stage, owner_email)
                         VALUES ('crm-1', 'Jane Doe', 'Acme', 'webinar', 'mql', 'ann@acme.test')";

#[tokio::test]
async fn interactions_need_a_valid_fresh_signature() {
    let app = Harness::spawn().await;
    let now = app.clock.now().timestamp();
    let ping = json!({ "type": 1, "id": "1", "application_id": APP_ID, "token": "t" });
    assert_eq!(app.interact(ping.clone()).await, json!({ "type": 1 }));

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
        (&app.key, now - 301),
        (&app.key, now + 301),
    ] {
        assert_eq!(app.post_signed(key, at, &ping).await.0, 401);
        assert_eq!(app.post_signed(key, at, &link).await.0, 401);
    }
    let unsigned = app
        .client
        .post(format!("http://{}/discord/interactions", app.address))
        .body(ping.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM discord_links").await, 0);
    // Four minutes old is still fine.
    assert_eq!(app.post_signed(&app.key, now - 240, &ping).await.0, 200);
}

#[tokio::test]
async fn commands_are_registered_in_the_guild_at_start() {
    let app = Harness::spawn().await;
    app.fake
        .wait("command registration", |c| !c.commands.is_empty())
        .await;
    let (path, body) = app.fake.calls(|c| c.commands[0].clone());
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
    let app = Harness::spawn().await;
    let dm = dm_channel_of(ANN);
    app.external(ANNS_LEAD).await;
    app.fake
        .wait("the alert in Ann's DM", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    // Sent on the console and on Discord, and marked so.
    app.wait("both alerts sent", |c| c.messages_sent >= 2).await;
    let alert = app.fake.messages_in(&dm)[0].clone();
    assert_eq!(app.fake.calls(|c| c.dm_recipients.clone()), [ANN]);
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
    let bob = app.interact(button(BOB, "baton:ack:1")).await;
    assert!(is_ephemeral(&bob));
    assert!(text_of(&bob).contains("/baton link"), "{bob}");

    let acked = app.interact(button(ANN, "baton:ack:1")).await;
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
    app.fake
        .wait("the alert edited", |c| !c.edits.is_empty())
        .await;
    let edited = app.fake.messages_in(&dm);
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
    let again = app.interact(button(ANN, "baton:ack:1")).await;
    assert!(is_ephemeral(&again) && text_of(&again).contains("already acknowledged"));

    // Reject opens a modal; submitting it rejects with the reason and the note.
    let modal = app.interact(button(ANN, "baton:reject:1")).await;
    assert_eq!(modal["type"], 9);
    assert_eq!(modal["data"]["custom_id"], "baton:reject:1");
    let bad = app
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
    let stars = app.interact(button(ANN, "baton:rate:1")).await;
    assert_eq!(button_ids(&stars["data"]).len(), 5);
    let rated = app.interact(button(ANN, "baton:stars:1:4")).await;
    assert_eq!(
        app.scalar("SELECT rating FROM handoffs").await,
        4,
        "{rated}"
    );
    app.fake.wait("more edits", |c| c.edits.len() >= 2).await;
    assert_eq!(app.fake.messages_in(&dm).len(), 1);
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
    let app = Harness::spawn().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let shown = app
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
        .interact(command(BOB, "baton", Some(("help", json!([])))))
        .await;
    assert!(text_of(&help).contains("/lead ack"), "{help}");
    let usage = app
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
}

#[tokio::test]
async fn a_retry_with_the_same_nonce_posts_once() {
    let app = Harness::spawn().await;
    let dm = dm_channel_of(ANN);
    app.external(ANNS_LEAD).await;
    app.fake
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
    assert_eq!(app.fake.calls(|c| c.creates), 2, "Baton did send again");
    assert_eq!(
        app.fake.messages_in(&dm).len(),
        1,
        "but Discord kept one message"
    );
    assert_eq!(
        app.text("SELECT external_ref FROM outbox WHERE platform = 'discord'")
            .await,
        Some(format!("{dm}/{}", app.fake.messages_in(&dm)[0].id))
    );
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_discord_asks_for() {
    let app = Harness::spawn().await;
    let dm = dm_channel_of(ANN);
    app.fake.rate_limit(1, 30.0);
    app.external(ANNS_LEAD).await;
    app.wait("the 429", |c| c.send_failures >= 1).await;
    assert_eq!(app.fake.calls(|c| c.rate_limited), 1);
    assert!(app.fake.messages_in(&dm).is_empty());
    // Backoff alone would retry after 1 s: the row waits the 30 s Discord asked for.
    assert_eq!(
        app.text("SELECT next_attempt_at FROM outbox WHERE platform = 'discord'")
            .await
            .as_deref(),
        Some("2026-11-17T11:00:30.000Z")
    );
    app.clock.advance(chrono::Duration::seconds(29));
    assert!(app.fake.messages_in(&dm).is_empty());
    app.clock.advance(chrono::Duration::seconds(1));
    app.fake
        .wait("the alert after the wait", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    assert_eq!(app.fake.messages_in(&dm).len(), 1);
}

#[tokio::test]
async fn linking_needs_the_managers_confirmation() {
    let app = Harness::spawn().await;
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

    let unknown = app.interact(mine()).await;
    assert!(is_ephemeral(&unknown) && text_of(&unknown).contains("/baton link"));
    let stranger = app.interact(link("nobody@acme.test")).await;
    assert!(is_ephemeral(&stranger) && text_of(&stranger).contains("not a Baton user"));
    let taken = app.interact(link("ann@acme.test")).await;
    assert!(text_of(&taken).contains("config"), "{taken}");
    let requested = app.interact(link("bob@acme.test")).await;
    assert!(
        text_of(&requested).contains("boss@acme.test"),
        "{requested}"
    );
    // Pending is not linked.
    assert!(text_of(&app.interact(mine()).await).contains("/baton link"));
    // Only the team's manager or an admin confirms.
    let by_ann = app.interact(confirm(ANN)).await;
    assert!(
        is_ephemeral(&by_ann) && text_of(&by_ann).contains("only"),
        "{by_ann}"
    );
    let by_boss = app.interact(confirm(BOSS)).await;
    assert!(is_ephemeral(&by_boss), "{by_boss}");
    assert!(text_of(&by_boss).contains("bob@acme.test"));
    let now_known = app.interact(mine()).await;
    assert!(is_ephemeral(&now_known), "{now_known}");
    assert!(!text_of(&now_known).contains("/baton link"), "{now_known}");

    // Bob's next alert reaches his DM.
    app.external(
        "INSERT INTO leads (external_id, name, company, stage, owner_email)
         VALUES ('crm-3', 'Joe', 'Initech', 'mql', 'bob@acme.test')",
    )
    .await;
    let dm = dm_channel_of(BOB);
    app.fake
        .wait("Bob's alert", |c| {
            c.messages.iter().any(|m| m.channel_id == dm)
        })
        .await;
    let alert = &app.fake.messages_in(&dm)[0].body;
    assert_eq!(alert["embeds"][0]["title"], "New MQL: Joe (Initech)");
    // The link makes Bob a real mention where the alert names him, though the config
    // gives him no discord_id; it still pings nobody.
    let fields = alert["embeds"][0]["fields"].to_string();
    assert!(fields.contains(&format!("<@{BOB}>")), "{fields}");
    assert_eq!(alert["allowed_mentions"]["parse"], json!([]), "{alert}");
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
    let mut harness = runtime.block_on(Harness::spawn());
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
            let (status, _) = runtime.block_on(harness.post_signed(
                &harness.key,
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
    let app = Harness::spawn().await;
    let channel = "555";
    app.fake.rate_limit(1, 5.0);
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
    app.fake
        .wait("the chart message", |c| {
            c.messages.iter().any(|m| m.channel_id == channel)
        })
        .await;
    let posted = app.fake.messages_in(channel).remove(0);
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
    assert_eq!(app.fake.calls(|c| c.creates), 2, "Baton did send again");
    assert_eq!(
        app.fake.messages_in(channel).len(),
        1,
        "but the nonce kept one message"
    );
}

fn opt(name: &str, kind: u64, value: Value) -> Value {
    json!({ "name": name, "type": kind, "value": value })
}

/// Every answer to a person is ephemeral; only `/funnel ... share` goes to the channel.
#[tokio::test]
async fn answers_are_private_unless_a_report_is_shared() {
    let app = Harness::spawn().await;
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
        let answer = app.interact(body.clone()).await;
        assert!(is_ephemeral(&answer), "{body} → {answer}");
        assert_eq!(answer["data"]["allowed_mentions"], json!({ "parse": [] }));
    }
    let mut share = command(ANN, "funnel", None);
    share["data"]["options"] = json!([opt("period", 3, json!("7d")), opt("share", 5, json!(true))]);
    let shared = app.interact(share).await;
    assert!(!is_ephemeral(&shared), "{shared}");
    assert!(text_of(&shared).contains("Funnel"), "{shared}");
    assert_eq!(shared["data"]["allowed_mentions"], json!({ "parse": [] }));
    // A mistake in a shared command is still private.
    let mut bad = command(ANN, "funnel", None);
    bad["data"]["options"] = json!([opt("period", 3, json!("45x")), opt("share", 5, json!(true))]);
    assert!(is_ephemeral(&app.interact(bad).await));
}

/// `lead:"1 5" stars:1` does not rate 5, and `lead:"1 spam"` does not override the reason.
#[tokio::test]
async fn option_values_are_taken_as_given() {
    let app = Harness::spawn().await;
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
    let answer = app.interact(rate).await;
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
    let answer = app.interact(reject).await;
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
    app.interact(reject).await;
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
    app.interact(rate).await;
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 1);
}

/// A signed interaction replayed within its five minutes is refused, also after a restart.
#[tokio::test]
async fn a_replayed_interaction_is_refused_even_after_a_restart() {
    let app = Harness::spawn().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.wait("alerts sent", |c| c.messages_sent >= 2).await;
    let four = button(ANN, "baton:stars:1:4");
    let two = button(ANN, "baton:stars:1:2");
    let at = app.clock.now().timestamp();
    assert_eq!(app.post_signed(&app.key, at, &four).await.0, 200);
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 4);
    assert_eq!(app.post_signed(&app.key, at, &two).await.0, 200);
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 2);
    app.drained_discord().await;
    let before = app.dump().await;
    let (status, replay) = app.post_signed(&app.key, at, &four).await;
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
    let (_, replay) = app.post_signed(&app.key, at, &four).await;
    assert!(text_of(&replay).contains("already handled"), "{replay}");
    assert_eq!(app.scalar("SELECT rating FROM handoffs").await, 2);
    assert_eq!(app.dump().await, before);
}

impl Harness {
    /// Runs a console command line as `actor`, as the console's stdin reader does.
    async fn console_command(&self, actor: &str, text: &str) -> (bool, String) {
        let reply = baton::engine::actions::execute(&self.ctx, actor, text)
            .await
            .unwrap();
        (reply.ok, reply.message.plain_text())
    }

    /// Waits until no Discord or console row is queued.
    pub(crate) async fn drained_discord(&self) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self
            .scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
            .await
            > 0
        {
            assert!(tokio::time::Instant::now() < deadline, "outbox not drained");
            let sent = self.ctx.stats.now().messages_sent;
            let _ = tokio::time::timeout(
                std::time::Duration::from_millis(200),
                self.ctx.stats.wait_for(|c| c.messages_sent > sent),
            )
            .await;
        }
    }
}

/// An admin with a team and no `discord_id` cannot be taken over by linking: the team's
/// manager may confirm reps only, and every link and confirmation is in the audit trail.
#[tokio::test]
async fn linking_cannot_make_anyone_an_admin() {
    let app = Harness::spawn_with(&[("BATON__PERSON__0__TEAM", "\"sales\"")]).await;
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
    let requested = app.interact(link(EVE, "root@acme.test")).await;
    assert!(
        is_ephemeral(&requested) && text_of(&requested).contains("an admin confirms"),
        "{requested}"
    );
    let before = app.dump().await;
    let refused = app.interact(confirm(BOSS, EVE)).await;
    assert!(
        is_ephemeral(&refused)
            && text_of(&refused).contains("root@acme.test is an admin: only an admin"),
        "{refused}"
    );
    assert_eq!(app.dump().await, before, "the refusal changed nothing");
    // Eve is still nobody: she cannot reassign or see the links.
    let as_eve = app
        .interact(command(EVE, "baton", Some(("links", json!([])))))
        .await;
    assert!(text_of(&as_eve).contains("/baton link"), "{as_eve}");

    // An email with a discord_id in the config cannot be linked at all.
    let before = app.dump().await;
    for (user, email) in [("8888", "ann@acme.test"), ("9999", "boss@acme.test")] {
        let taken = app.interact(link(user, email)).await;
        assert!(
            is_ephemeral(&taken) && text_of(&taken).contains("cannot be linked"),
            "{taken}"
        );
    }
    assert_eq!(app.dump().await, before);

    // Bob, a rep of Boss's team: another rep cannot confirm, Boss can.
    app.interact(link(BOB, "bob@acme.test")).await;
    let before = app.dump().await;
    let by_ann = app.interact(confirm(ANN, BOB)).await;
    assert!(
        text_of(&by_ann).contains("only bob@acme.test's team manager"),
        "{by_ann}"
    );
    assert_eq!(app.dump().await, before);
    let ok = app.interact(confirm(BOSS, BOB)).await;
    assert!(is_ephemeral(&ok) && text_of(&ok).contains("Linked"), "{ok}");

    // An admin may confirm any link, on the console too.
    let (ok, text) = app
        .console_command("root@acme.test", &format!("/baton confirm <@{EVE}>"))
        .await;
    assert!(ok, "{text}");
    // Reps cannot list links; managers see the links and the history.
    let (ok, _) = app.console_command("ann@acme.test", "/baton links").await;
    assert!(!ok);
    let (ok, links) = app.console_command("boss@acme.test", "/baton links").await;
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
        .interact(command(BOSS, "baton", Some(("links", json!([])))))
        .await;
    assert!(is_ephemeral(&on_discord) && text_of(&on_discord).contains("History:"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM discord_link_log").await,
        4,
        "two requests, two confirmations"
    );
}

/// Hostile CRM text cannot ping or mention anyone on Discord: every message Baton creates
/// or edits says `allowed_mentions: {parse: []}`.
#[tokio::test]
async fn hostile_text_cannot_mention_anyone_on_discord() {
    let app = Harness::spawn().await;
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
    let answer = app.interact(reject).await;
    assert_eq!(answer["data"]["allowed_mentions"], json!({ "parse": [] }));
    let shown = app
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
    app.fake
        .wait("the alert edited", |c| !c.edits.is_empty())
        .await;
    let (messages, edits) = app.fake.calls(|c| (c.messages.clone(), c.edits.clone()));
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
}

/// A DM Discord refuses with 50007 goes to the team's channel, mentioning the person.
#[tokio::test]
async fn a_refused_dm_goes_to_the_team_channel_with_a_mention() {
    let app = Harness::spawn_with(&[("BATON__TEAM__0__DISCORD_CHANNEL_ID", "\"555\"")]).await;
    app.fake.close_dms(ANN);
    app.external(ANNS_LEAD).await;
    app.wait("alerts sent", |c| c.messages_sent >= 3).await;
    let in_team = app.fake.messages_in("555");
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
    assert!(app.fake.messages_in(&dm_channel_of(ANN)).is_empty());
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'dead'")
            .await,
        0
    );
}

// The gateway (`[discord] mode = "gateway"`): the same interactions arrive over the fake
// gateway's websocket and are answered through the interaction callback.

/// Starts Baton in gateway mode and waits for its first READY.
async fn gateway() -> Harness {
    let app = Harness::spawn_with(&[("BATON__DISCORD__MODE", "\"gateway\"")]).await;
    app.fake
        .wait_gateway("the first READY", 1, |e| {
            matches!(e, GatewayEvent::Ready(_))
        })
        .await;
    app
}

/// An interaction as the gateway carries it: the fields serenity's model requires (a full
/// member or user, the channel, locale, entitlements, and the message of a component).
fn over_gateway(mut interaction: Value) -> Value {
    let user = |id: &Value| {
        json!({ "id": id, "username": format!("user{}", id.as_str().unwrap_or_default()),
                "discriminator": "0", "global_name": null, "avatar": null })
    };
    if interaction["member"].is_object() {
        let id = interaction["member"]["user"]["id"].clone();
        interaction["member"] = json!({
            "user": user(&id), "roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0, "permissions": "0",
        });
    } else {
        let id = interaction["user"]["id"].clone();
        interaction["user"] = user(&id);
    }
    let fields = json!({
        "channel_id": "555", "channel": { "id": "555", "type": 0 }, "version": 1,
        "locale": "en-US", "entitlements": [], "attachment_size_limit": 26_214_400,
        "app_permissions": "0", "authorizing_integration_owners": {},
    });
    for (key, value) in fields.as_object().unwrap() {
        interaction[key] = value.clone();
    }
    match interaction["type"].as_u64() {
        Some(2) => {
            interaction["data"]["id"] = json!("31337");
            interaction["data"]["type"] = json!(1);
        }
        Some(3) => {
            interaction["message"] = json!({
                "id": "900001", "channel_id": "555", "content": "", "timestamp": "2026-11-17T11:00:00.000000+00:00",
                "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
                "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0,
                "flags": 0, "components": [],
                "author": { "id": APP_ID, "username": "baton", "discriminator": "0", "avatar": null, "bot": true },
            });
        }
        _ => {}
    }
    interaction
}

impl Harness {
    /// Sends `interaction` as an INTERACTION_CREATE dispatch and returns its id.
    fn send_over_gateway(&self, interaction: Value) -> String {
        let interaction = over_gateway(interaction);
        let id = interaction["id"].as_str().unwrap().to_string();
        self.fake.dispatch("INTERACTION_CREATE", interaction);
        id
    }

    /// Waits until the outbox holds nothing to send (the alerts' edits are out), so that
    /// the database stays still for a before-and-after comparison.
    async fn drained(&self) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let queued = self
                .scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
                .await;
            if queued == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{queued} messages still queued"
            );
            let sent = self.ctx.stats.now().messages_sent;
            let _ = tokio::time::timeout(
                std::time::Duration::from_millis(200),
                self.ctx.stats.wait_for(|c| c.messages_sent > sent),
            )
            .await;
        }
    }

    /// Waits for Baton's answer to interaction `id` through the callback route.
    async fn callback(&self, id: &str) -> Value {
        self.fake
            .wait(&format!("the answer to interaction {id}"), |c| {
                c.callbacks.iter().any(|(done, _)| done == id)
            })
            .await;
        self.fake.calls(|c| {
            let answers: Vec<&Value> = c
                .callbacks
                .iter()
                .filter(|(done, _)| done == id)
                .map(|(_, body)| body)
                .collect();
            assert_eq!(answers.len(), 1, "answered once: {answers:?}");
            answers[0].clone()
        })
    }
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
    let identify = app.fake.calls(|c| {
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
        app.fake.count(|e| *e == GatewayEvent::UrlAsked),
        1,
        "the URL is asked once"
    );
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let id = app.send_over_gateway(ack(ANN, 1));
    let answer = app.callback(&id).await;
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
    let beats = app.fake.count(|e| matches!(e, GatewayEvent::Heartbeat(..)));
    app.fake
        .wait_gateway("two more acknowledged heartbeats", beats + 2, |e| {
            matches!(e, GatewayEvent::HeartbeatAck(_))
        })
        .await;
    let last_seen = app.fake.calls(|c| {
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
        app.fake.count(|e| matches!(e, GatewayEvent::Identify(_))),
        1,
        "one session all along"
    );
}

#[tokio::test]
async fn a_button_and_the_reject_modal_over_the_gateway_are_applied_once() {
    let app = gateway().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let acked = app
        .callback(&app.send_over_gateway(button(ANN, "baton:ack:1")))
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
        .callback(&app.send_over_gateway(button(ANN, "baton:reject:1")))
        .await;
    assert_eq!(modal["type"], 9, "{modal}");
    assert_eq!(modal["data"]["custom_id"], "baton:reject:1");
    assert_eq!(
        app.text("SELECT status FROM handoffs").await.as_deref(),
        Some("open"),
        "opening the modal changes nothing"
    );
    let rejected = app
        .callback(&app.send_over_gateway(modal_submit(
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
}

/// How many acknowledgements the handoff log holds.
async fn acks_logged(app: &Harness) -> i64 {
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
    ids.push(app.send_over_gateway(first.clone()));
    for lead in 2..=3 {
        ids.push(app.send_over_gateway(ack(ANN, lead)));
    }
    // Op 7: what is sent from now on waits in the session for the RESUME.
    app.fake.ask_reconnect();
    for lead in 4..=6 {
        ids.push(app.send_over_gateway(ack(ANN, lead)));
    }
    app.fake
        .wait_gateway("the resume after op 7", 1, |e| {
            matches!(e, GatewayEvent::Resumed(_))
        })
        .await;
    // A socket lost without a close frame: resumed too, and what it missed is replayed.
    app.fake.drop_socket();
    for lead in 7..=9 {
        ids.push(app.send_over_gateway(ack(ANN, lead)));
    }
    ids.push(app.send_over_gateway(modal_submit(
        ANN,
        "baton:reject:10",
        "no_budget",
        "too small",
    )));
    app.fake
        .wait_gateway("the resume after the drop", 2, |e| {
            matches!(e, GatewayEvent::Resumed(_))
        })
        .await;
    for id in &ids {
        let answer = app.callback(id).await;
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
    let (session, resumes) = app.fake.calls(|c| {
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
    let replayed: Vec<usize> = app.fake.calls(|c| {
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
        app.fake.count(|e| matches!(e, GatewayEvent::Identify(_))),
        1
    );
    // Every interaction was dispatched once on a socket that delivered it, or replayed.
    let callbacks = app.fake.calls(|c| c.callbacks.len());
    assert_eq!(callbacks, ids.len());

    // The same interaction delivered again (as a replay from a sequence number the client
    // had already passed would) is refused and changes nothing.
    app.drained().await;
    let before = app.dump().await;
    app.send_over_gateway(first);
    app.fake
        .wait("the answer to the second delivery", |c| {
            c.callbacks.len() == ids.len() + 1
        })
        .await;
    let again = app.fake.calls(|c| c.callbacks.last().unwrap().clone());
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
    app.fake.invalidate_session();
    // Sent while no session is ready: it goes out after the next READY.
    let id = app.send_over_gateway(ack(ANN, 1));
    app.fake
        .wait_gateway("a second IDENTIFY", 2, |e| {
            matches!(e, GatewayEvent::Identify(_))
        })
        .await;
    let answer = app.callback(&id).await;
    assert!(
        text_of(&answer).starts_with("Acknowledged lead #1"),
        "{answer}"
    );
    let sessions: Vec<String> = app.fake.calls(|c| {
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
        app.fake.count(|e| matches!(e, GatewayEvent::Resume(_))),
        0,
        "an invalid session is not resumed"
    );
    assert_eq!(
        app.text("SELECT acked_by FROM handoffs").await.as_deref(),
        Some("ann@acme.test")
    );
}

#[tokio::test]
async fn a_missed_heartbeat_ack_leads_to_a_reconnect() {
    let app = gateway().await;
    app.external(ANNS_LEAD).await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    let acked_before = app.fake.stop_acking();
    app.fake
        .wait_gateway("the unacknowledged socket closed", 1, |e| {
            *e == GatewayEvent::Closed(1)
        })
        .await;
    app.fake
        .wait_gateway("a new session", 2, |e| matches!(e, GatewayEvent::Ready(_)))
        .await;
    let beats_on_first = app
        .fake
        .count(|e| matches!(e, GatewayEvent::Heartbeat(1, _)));
    assert!(
        beats_on_first > acked_before,
        "the first socket sent a heartbeat that went unacknowledged"
    );
    assert_eq!(
        app.fake
            .count(|e| matches!(e, GatewayEvent::HeartbeatAck(1))),
        acked_before,
        "no heartbeat of the first socket was acknowledged after acks stopped"
    );
    let id = app.send_over_gateway(ack(ANN, 1));
    let answer = app.callback(&id).await;
    assert!(
        text_of(&answer).starts_with("Acknowledged lead #1"),
        "{answer}"
    );
    app.fake
        .wait_gateway("heartbeats acknowledged on the new socket", 1, |e| {
            *e == GatewayEvent::HeartbeatAck(2)
        })
        .await;
}
