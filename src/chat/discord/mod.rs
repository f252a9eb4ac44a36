//! The Discord platform (serenity). Outbound: alerts as embeds with buttons, in a direct
//! message to the person and in the team's channel; updates edit the alert in place. Each
//! message is created with a `nonce` derived from its outbox row and `enforce_nonce`, so a
//! resend after a crash returns the message already posted instead of posting it twice
//! (Discord remembers nonces for a few minutes). A message with a chart is created the same
//! way, as a multipart request with the PNG attached and shown as its embed's image.
//! Inbound: see [`inbound`], shared by the gateway client ([`gateway`]) and
//! `POST /discord/interactions`.
//!
//! Identity: Discord cannot look people up by email. A person's `discord_id` in the config
//! wins; otherwise a link made with `/baton link EMAIL` and confirmed by the person's team
//! manager or an admin ([`links`]).
//!
//! Only this module knows Discord. It never logs tokens or message contents.

pub mod commands;
pub mod embeds;
pub mod gateway;
pub mod inbound;
pub mod rest;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{Value, json};
use serenity::builder::CreateAttachment;
use serenity::http::{LightMethod, Route};
use serenity::interactions_endpoint::Verifier;
use serenity::model::id::{ApplicationId, ChannelId, GuildId, MessageId};
use tokio::sync::Mutex;
use tracing::{debug, info, warn};

use crate::config::{Config, DiscordMode};
use crate::domain::directory::Team;
use crate::engine::platform::{Delivery, Original, Platform, Recovery, SendError, Sent};
use crate::message::{Kind, Mention, Message};
use crate::store::{Db, discord_links};
use rest::{Rest, RestError};

/// How far a signed request's timestamp may be from Baton's clock.
pub const MAX_SIGNATURE_AGE_SECS: i64 = 300;

pub struct Discord {
    rest: Rest,
    db: Db,
    mode: DiscordMode,
    application_id: Option<String>,
    guild_id: Option<String>,
    alert_channel_id: Option<String>,
    /// Email → Discord user id, from the config's `discord_id`.
    configured: HashMap<String, String>,
    verifier: Option<Verifier>,
    /// Discord user id → DM channel id, learned once per user.
    dm_channels: Mutex<HashMap<String, String>>,
    /// Email → the channel of the person's team (its `discord_channel_id`, else
    /// `[discord] alert_channel_id`), where a refused DM goes instead.
    team_channels: HashMap<String, String>,
}

/// Discord's JSON error code for "Cannot send messages to this user" (the member does not
/// accept DMs from server members).
const CANNOT_DM: i64 = 50007;

/// The Discord platform among the enabled ones, if Discord is enabled.
pub fn from_ctx(ctx: &crate::engine::Ctx) -> Option<Arc<Discord>> {
    ctx.platforms
        .iter()
        .find(|p| p.name() == "discord")
        .and_then(|p| {
            let any: Arc<dyn std::any::Any + Send + Sync> = p.clone();
            any.downcast::<Discord>().ok()
        })
}

/// `42` → `ChannelId(42)`, refusing what is not a snowflake.
fn snowflake(text: &str) -> Option<u64> {
    text.parse::<u64>().ok().filter(|id| *id != 0)
}

fn parse_key(hex: &str) -> Option<[u8; 32]> {
    let mut key = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

impl Discord {
    pub fn new(config: &Config, db: Db) -> anyhow::Result<Discord> {
        let token = config
            .discord_bot_token
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("DISCORD_BOT_TOKEN is not set"))?;
        let settings = &config.settings.discord;
        let verifier = match &config.discord_public_key {
            Some(key) => {
                let bytes = parse_key(key.expose())
                    .ok_or_else(|| anyhow::anyhow!("DISCORD_PUBLIC_KEY is not 64 hex digits"))?;
                Some(Verifier::try_new(bytes).map_err(|e| {
                    anyhow::anyhow!("DISCORD_PUBLIC_KEY is not a valid Ed25519 key: {e}")
                })?)
            }
            None => None,
        };
        let configured = config
            .directory
            .people
            .iter()
            .filter_map(|p| Some((p.email.clone(), p.discord_id.clone()?)))
            .collect();
        let directory = &config.directory;
        let team_channels = directory
            .people
            .iter()
            .filter_map(|p| {
                let team = directory.team(p.team.as_deref()?);
                let channel = team
                    .and_then(|t| t.discord_channel_id.clone())
                    .or_else(|| settings.alert_channel_id.clone())?;
                Some((p.email.clone(), channel))
            })
            .collect();
        Ok(Discord {
            rest: Rest::new(token.expose(), &settings.api_url)?,
            db,
            mode: settings.mode,
            application_id: settings.application_id.clone(),
            guild_id: settings.guild_id.clone(),
            alert_channel_id: settings.alert_channel_id.clone(),
            configured,
            verifier,
            dm_channels: Mutex::new(HashMap::new()),
            team_channels,
        })
    }

    pub fn mode(&self) -> DiscordMode {
        self.mode
    }

    pub fn rest(&self) -> &Rest {
        &self.rest
    }

    /// Checks an interaction's Ed25519 signature over timestamp + body, and that the
    /// timestamp lies within five minutes of `now` (a replayed request is refused).
    pub fn verify(
        &self,
        signature: &str,
        timestamp: &str,
        body: &[u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let Some(verifier) = &self.verifier else {
            return false;
        };
        let fresh = timestamp
            .parse::<i64>()
            .is_ok_and(|t| (now.timestamp() - t).abs() <= MAX_SIGNATURE_AGE_SECS);
        fresh && verifier.verify(signature, timestamp, body).is_ok()
    }

    /// The Discord user of a person: the config's `discord_id`, else a confirmed link.
    async fn user_of(&self, email: &str) -> anyhow::Result<Option<String>> {
        if let Some(id) = self.configured.get(email) {
            return Ok(Some(id.clone()));
        }
        let mut conn = self.db.pool.acquire().await?;
        discord_links::confirmed_user(&mut conn, email).await
    }

    /// `message` with everyone it names who has no `discord_id` in the config but a
    /// confirmed `/baton link` shown as a mention too. A link that cannot be read leaves
    /// the name, as before.
    async fn with_links<'m>(&self, message: &'m Message) -> Cow<'m, Message> {
        let unlinked = |m: &Mention| m.discord_id.is_none() && m.email.is_some();
        if !message.mentions.iter().any(unlinked) {
            return Cow::Borrowed(message);
        }
        let mut linked = message.clone();
        for m in linked.mentions.iter_mut().filter(|m| unlinked(m)) {
            let email = m.email.clone().unwrap_or_default();
            match self.user_of(&email).await {
                Ok(Some(id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
                    m.discord_id = Some(id);
                }
                Ok(_) => {}
                Err(e) => {
                    debug!(%email, error = %format!("{e:#}"), "cannot read the person's Discord link; naming them")
                }
            }
        }
        Cow::Owned(linked)
    }

    /// The channel a recipient's messages go to: a channel id as it is, or a person's
    /// direct-message channel.
    async fn channel_of(&self, recipient: &str) -> Result<u64, SendError> {
        if let Some(channel) = snowflake(recipient) {
            return Ok(channel);
        }
        let user = self
            .user_of(recipient)
            .await
            .map_err(|e| SendError::transient(format!("{e:#}")))?;
        let Some(user) = user else {
            warn!(
                recipient,
                "cannot send on Discord: the person has no discord_id and no confirmed link"
            );
            return Err(SendError {
                reason: format!(
                    "{recipient} has no Discord account in Baton: set discord_id in their [[person]] or have them run /baton link {recipient} and get it confirmed"
                ),
                retry_after: None,
                permanent: true,
            });
        };
        if let Some(channel) = self.dm_channels.lock().await.get(&user) {
            return snowflake(channel)
                .ok_or_else(|| SendError::transient("a cached DM channel id is not a number"));
        }
        let answer = self
            .rest
            .call(
                Route::UserMeDmChannels,
                LightMethod::Post,
                Some(&json!({ "recipient_id": user })),
            )
            .await
            .map_err(RestError::into_send_error)?;
        let channel = answer["id"].as_str().unwrap_or_default().to_string();
        let id = snowflake(&channel)
            .ok_or_else(|| SendError::transient("Discord's DM channel answer has no channel id"))?;
        self.dm_channels.lock().await.insert(user, channel);
        Ok(id)
    }

    /// For an update: edits the alert it belongs to, when it was sent here.
    async fn edit_alert(&self, d: &Delivery) -> Result<Option<Sent>, SendError> {
        let Some(Original {
            external_ref,
            message: alert,
        }) = &d.original
        else {
            return Ok(None);
        };
        let ids = external_ref
            .split_once('/')
            .and_then(|(c, m)| Some((snowflake(c)?, snowflake(m)?)));
        let Some((channel, message)) = ids else {
            return Ok(None);
        };
        let alert = self.with_links(alert).await;
        let update = self.with_links(&d.message).await;
        let body = embeds::update_body(&alert, &update);
        let route = Route::ChannelMessage {
            channel_id: ChannelId::new(channel),
            message_id: MessageId::new(message),
        };
        match self.rest.call(route, LightMethod::Patch, Some(&body)).await {
            Ok(_) => Ok(Some(Sent {
                external_ref: Some(external_ref.clone()),
            })),
            Err(e) if e.is_not_found() => {
                debug!(outbox = d.outbox_id, error = %e, "the alert is gone; posting the update");
                Ok(None)
            }
            Err(e) => Err(e.into_send_error()),
        }
    }

    /// Registers the application commands: in `guild_id` when set (instant), else global.
    pub async fn register_commands(&self) -> anyhow::Result<()> {
        let application = match &self.application_id {
            Some(id) => id.clone(),
            None => {
                let me = self
                    .rest
                    .call(Route::Oauth2ApplicationCurrent, LightMethod::Get, None)
                    .await?;
                me["id"].as_str().unwrap_or_default().to_string()
            }
        };
        let application_id = ApplicationId::new(
            snowflake(&application)
                .ok_or_else(|| anyhow::anyhow!("Discord did not tell the application id"))?,
        );
        let route = match self.guild_id.as_deref().and_then(snowflake) {
            Some(guild) => Route::GuildCommands {
                application_id,
                guild_id: GuildId::new(guild),
            },
            None => Route::Commands { application_id },
        };
        self.rest
            .call(route, LightMethod::Put, Some(&commands::definitions()))
            .await?;
        info!(
            guild = self.guild_id.as_deref().unwrap_or("global"),
            "Discord commands registered"
        );
        Ok(())
    }

    /// Completes a deferred interaction response.
    pub async fn complete_deferred(
        &self,
        application_id: &str,
        token: &str,
        data: &Value,
    ) -> Result<(), RestError> {
        let Some(application) = snowflake(application_id) else {
            return Err(RestError {
                status: None,
                code: None,
                message: "the interaction has no application id".into(),
                retry_after: None,
            });
        };
        self.rest
            .call(
                Route::WebhookOriginalInteractionResponse {
                    application_id: ApplicationId::new(application),
                    token,
                },
                LightMethod::Patch,
                Some(data),
            )
            .await
            .map(|_| ())
    }
}

/// The nonce of an outbox row's message: the same for every attempt at that row.
pub fn nonce(outbox_id: i64) -> String {
    format!("baton-{outbox_id}")
}

#[async_trait]
impl Platform for Discord {
    fn name(&self) -> &'static str {
        "discord"
    }

    fn team_channel(&self, team: &Team) -> Option<String> {
        team.discord_channel_id
            .clone()
            .or_else(|| self.alert_channel_id.clone())
    }

    /// Different channels have their own rate-limit buckets; a few at once stay well
    /// inside the global limit.
    fn concurrency(&self) -> usize {
        4
    }

    /// The nonce makes a resend return the message a crash left posted.
    async fn recover(&self, _d: &Delivery, _marker: Option<&str>) -> Recovery {
        Recovery::Resend
    }

    async fn send(&self, d: &Delivery) -> Result<Sent, SendError> {
        if d.kind == Kind::Update
            && let Some(sent) = self.edit_alert(d).await?
        {
            return Ok(sent);
        }
        let channel = self.channel_of(&d.recipient).await?;
        let mut body = embeds::message_body(&*self.with_links(&d.message).await, d.kind);
        body["nonce"] = json!(nonce(d.outbox_id));
        body["enforce_nonce"] = json!(true);
        let png = match &d.message.chart {
            Some(chart) => {
                let png = crate::chat::chart_png(chart).await?;
                Some(CreateAttachment::bytes(png, embeds::chart_file_name(chart)))
            }
            None => None,
        };
        let mut posted_in = channel;
        let posted = match self.create(channel, &body, png.as_ref()).await {
            Err(e) if e.code == Some(CANNOT_DM) && snowflake(&d.recipient).is_none() => {
                let fallback = self.dm_refused(&d.recipient).await;
                let Some((team_channel, user)) = fallback else {
                    return Err(e.into_send_error());
                };
                warn!(
                    recipient = %d.recipient,
                    "the person does not accept DMs from server members; posting in the team channel with a mention"
                );
                body["content"] = json!(format!(
                    "<@{user}> this is for you (Baton cannot send you direct messages: allow them from this server's members to get alerts privately)"
                ));
                // Only the person is mentioned; nothing from the message itself can ping.
                body["allowed_mentions"] = json!({ "parse": [], "users": [user] });
                body["nonce"] = json!(format!("{}-c", nonce(d.outbox_id)));
                posted_in = team_channel;
                self.create(team_channel, &body, png.as_ref()).await
            }
            other => other,
        }
        .map_err(RestError::into_send_error)?;
        let message = posted["id"].as_str().unwrap_or_default();
        Ok(Sent {
            external_ref: (!message.is_empty()).then(|| format!("{posted_in}/{message}")),
        })
    }
}

impl Discord {
    /// Creates a message in `channel`: JSON, or multipart with the chart's PNG.
    async fn create(
        &self,
        channel: u64,
        body: &Value,
        png: Option<&CreateAttachment>,
    ) -> Result<Value, RestError> {
        let route = Route::ChannelMessages {
            channel_id: ChannelId::new(channel),
        };
        match png {
            Some(file) => {
                self.rest
                    .call_with_files(route, LightMethod::Post, body, vec![file.clone()])
                    .await
            }
            None => self.rest.call(route, LightMethod::Post, Some(body)).await,
        }
    }

    /// Where a person's message goes when Discord refuses their DM: their team's channel,
    /// and the Discord user to mention there.
    async fn dm_refused(&self, email: &str) -> Option<(u64, String)> {
        let channel = self.team_channels.get(email).and_then(|c| snowflake(c))?;
        let user = self.user_of(email).await.ok().flatten()?;
        Some((channel, user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ids_parse() {
        assert_eq!(parse_key(&"0a".repeat(32)), Some([10u8; 32]));
        assert_eq!(parse_key("0a"), None);
        assert_eq!(parse_key(&"zz".repeat(32)), None);
        assert_eq!(snowflake("123"), Some(123));
        assert_eq!(snowflake("0"), None);
        assert_eq!(snowflake("ann@acme.test"), None);
        assert_eq!(nonce(7), "baton-7");
    }
}
