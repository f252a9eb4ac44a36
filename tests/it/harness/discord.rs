//! The Discord side of the harness, for an app built with `.fake_discord()`: the fake's
//! config and secrets, interactions signed with an Ed25519 key made here (over HTTP or
//! dispatched through the fake's gateway), and the payloads Discord sends. Ann (user
//! 1002) and Boss (1001) have `discord_id` in the config; Bob (2002) has none.

use std::collections::HashMap;

use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};

use super::TestApp;
use crate::fake_discord::{FakeDiscord, TOKEN};

pub const APP_ID: &str = "4242";
pub const GUILD: &str = "777";
pub const ANN: &str = "1002";
pub const BOSS: &str = "1001";
pub const BOB: &str = "2002";

/// Ann's lead #1, an MQL, as the CRM writes it.
pub const ANNS_LEAD: &str =
    "INSERT INTO leads (external_id, name, company, source, stage, owner_email)
                         VALUES ('crm-1', 'Jane Doe', 'Acme', 'webinar', 'mql', 'ann@acme.test')";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the harness keeps for Discord: the fake and the application's signing key.
pub(super) struct DiscordSide {
    pub(super) fake: FakeDiscord,
    pub(super) key: SigningKey,
}

impl DiscordSide {
    pub(super) async fn start() -> DiscordSide {
        DiscordSide {
            fake: FakeDiscord::start().await,
            key: SigningKey::from_bytes(&[7u8; 32]),
        }
    }

    /// The `[discord]` table pointed at the fake.
    pub(super) fn config(&self) -> String {
        format!(
            r#"
[discord]
enabled = true
mode = "http"
api_url = "{url}"
application_id = "{APP_ID}"
guild_id = "{GUILD}"
"#,
            url = self.fake.url
        )
    }

    /// The Discord secrets, and Boss's and Ann's `discord_id`.
    pub(super) fn env(&self) -> HashMap<String, String> {
        [
            ("DISCORD_BOT_TOKEN", TOKEN.to_string()),
            (
                "DISCORD_PUBLIC_KEY",
                hex(self.key.verifying_key().as_bytes()),
            ),
            ("BATON__PERSON__1__DISCORD_ID", format!("\"{BOSS}\"")),
            ("BATON__PERSON__2__DISCORD_ID", format!("\"{ANN}\"")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// `app.discord()`: the fake, the application's key, and the interactions Discord would
/// send to Baton.
pub struct Discord<'a> {
    pub(super) app: &'a TestApp,
    pub fake: &'a FakeDiscord,
    pub key: &'a SigningKey,
}

impl Discord<'_> {
    /// Posts `body` to /discord/interactions signed at `timestamp` with `key`.
    pub async fn post_signed(
        &self,
        key: &SigningKey,
        timestamp: i64,
        body: &Value,
    ) -> (u16, Value) {
        let body = body.to_string();
        let timestamp = timestamp.to_string();
        let signature = key.sign(format!("{timestamp}{body}").as_bytes());
        let response = self
            .app
            .http
            .post(format!("http://{}/discord/interactions", self.app.address))
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
    pub async fn interact(&self, body: Value) -> Value {
        let (status, answer) = self
            .post_signed(self.key, self.app.clock.now().timestamp(), &body)
            .await;
        assert_eq!(status, 200, "{body}");
        answer
    }

    /// Sends `interaction` as an INTERACTION_CREATE dispatch and returns its id.
    pub fn send_over_gateway(&self, interaction: Value) -> String {
        let interaction = over_gateway(interaction);
        let id = interaction["id"].as_str().unwrap().to_string();
        self.fake.dispatch("INTERACTION_CREATE", interaction);
        id
    }

    /// Waits for Baton's answer to interaction `id` through the callback route.
    pub async fn callback(&self, id: &str) -> Value {
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

/// A fresh interaction id (a snowflake-like number): Baton runs each id once.
pub fn next_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1_000_000);
    NEXT.fetch_add(1, Ordering::Relaxed).to_string()
}

/// The slash command `/name sub options` as `user` in the guild.
pub fn command(user: &str, name: &str, sub: Option<(&str, Value)>) -> Value {
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

/// `user` pressing the button `custom_id` in a DM.
pub fn button(user: &str, custom_id: &str) -> Value {
    json!({
        "type": 3, "id": next_id(), "application_id": APP_ID, "token": "tok",
        "user": { "id": user }, "data": { "custom_id": custom_id, "component_type": 2 },
    })
}

/// The text of an interaction's answer.
pub fn text_of(answer: &Value) -> &str {
    answer["data"]["content"].as_str().unwrap_or_default()
}

/// Whether an answer is seen only by who asked.
pub fn is_ephemeral(answer: &Value) -> bool {
    answer["data"]["flags"] == 64
}

/// The `custom_id`s of a message's buttons.
pub fn button_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|b| b["custom_id"].as_str().unwrap().to_string())
        .collect()
}
