//! The Slack platform, through slack-morphism's Web API client (one client per app, its
//! base URL from `[slack] api_url` so tests point it at a fake).
//!
//! Outbound: a person's alert goes to their direct message (the user from `slack_id` or
//! `users.lookupByEmail`, the DM from `conversations.open`, both cached); a person Slack
//! does not know is warned about once in the log and their message goes to
//! `[slack] alert_channel`, else their team's channel. Alerts are Block Kit with buttons;
//! an update edits the original alert in place with `chat.update`. A send returns
//! `channel:ts` as its external reference.
//!
//! A message with a chart is posted as one file share and nothing else (files upload v2:
//! `files.getUploadURLExternal`, the PNG to the upload URL, `files.completeUploadExternal`
//! with the message as its comment, see [`blocks::file_comment`]); only the last step posts,
//! so a retry after a failed step cannot post the text twice. Its reference is the file id.
//! This needs the bot scope `files:write`. The last step takes a channel id, so a channel
//! name from the config (`#leadership`) is resolved with `conversations.list` (cached; scopes
//! `channels:read`, `groups:read`); `baton check-config` names those that do not resolve.
//!
//! Rate limits: slack-morphism's own rate control stays off. A 429 becomes
//! [`SendError::retry_after`], which the dispatcher honours, and [`Platform::min_interval`]
//! keeps each channel near one `chat.postMessage` per second.
//!
//! Inbound (slash commands, buttons, the Reject modal) is in [`inbound`], shared by the
//! HTTP routes (`http/slack.rs`) and Socket Mode ([`socket`]).
//!
//! This module must not log tokens or whole payloads: Slack's error bodies are reduced to
//! their error code.

pub mod blocks;
pub mod inbound;
pub mod socket;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;
use tokio::time::Instant;
use tracing::{debug, warn};

use crate::config::Config;
use crate::engine::platform::{Delivery, Original, Platform, SendError, Sent};
use crate::message::{Chart, Kind, Message};
use crate::store::Db;

/// Slack's documented limit for `chat.postMessage`: one message per second per channel.
/// The dispatcher counts it from the end of the previous send, so jitter on the way cannot
/// bring two posts closer than this at Slack's end.
pub const MIN_INTERVAL: Duration = Duration::from_millis(1000);
/// Messages on their way at once, each to a different channel.
const CONCURRENCY: usize = 16;
/// Look-ups run at once when warming the caches.
const WARM_CONCURRENCY: usize = 8;
/// How long a "Slack does not know this email" answer is believed.
const NOT_FOUND_TTL: Duration = Duration::from_secs(600);

type Client = SlackClient<SlackClientHyperHttpsConnector>;

/// The Slack platform among the enabled ones, if Slack is enabled.
pub fn from_ctx(ctx: &crate::engine::Ctx) -> Option<std::sync::Arc<Slack>> {
    ctx.platforms
        .iter()
        .find(|p| p.name() == "slack")
        .and_then(|p| {
            let any: std::sync::Arc<dyn std::any::Any + Send + Sync> = p.clone();
            any.downcast::<Slack>().ok()
        })
}

/// Installs rustls' ring provider once for the process; later calls do nothing.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Slack errors reduced to what may be logged: the API error code, never the body.
pub fn describe(e: &SlackClientError) -> String {
    match e {
        SlackClientError::ApiError(e) => format!("Slack API error {}", e.code),
        SlackClientError::HttpError(e) => format!("Slack HTTP status {}", e.status_code),
        SlackClientError::RateLimitError(e) => format!(
            "Slack rate limit (retry after {:?})",
            e.retry_after.unwrap_or_default()
        ),
        SlackClientError::ProtocolError(e) => {
            format!("unexpected answer from Slack ({})", e.json_error)
        }
        SlackClientError::HttpProtocolError(_) => "cannot reach Slack".to_string(),
        SlackClientError::EndOfStream(_) => "Slack closed the connection".to_string(),
        SlackClientError::SystemError(e) => format!(
            "Slack client error: {}",
            e.message.as_deref().unwrap_or("unknown")
        ),
        SlackClientError::SocketModeProtocolError(e) => {
            format!("Slack socket error: {}", e.message)
        }
    }
}

fn api_code(e: &SlackClientError) -> Option<&str> {
    match e {
        SlackClientError::ApiError(e) => Some(e.code.as_str()),
        _ => None,
    }
}

/// Errors about the recipient or the message itself: retrying cannot help.
const PERMANENT: [&str; 9] = [
    "channel_not_found",
    "is_archived",
    "not_in_channel",
    "msg_too_long",
    "invalid_blocks",
    "cannot_dm_bot",
    "user_not_found",
    "user_disabled",
    "no_text",
];

fn send_error(e: &SlackClientError) -> SendError {
    SendError {
        reason: describe(e),
        retry_after: match e {
            SlackClientError::RateLimitError(r) => {
                Some(r.retry_after.unwrap_or(Duration::from_secs(1)))
            }
            _ => None,
        },
        permanent: api_code(e).is_some_and(|c| PERMANENT.contains(&c)),
    }
}

#[derive(Deserialize)]
struct Posted {
    channel: String,
    ts: String,
}

#[derive(Deserialize)]
struct UserAnswer {
    user: SlackUserObject,
}

#[derive(Deserialize)]
struct SlackUserObject {
    id: String,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    email: Option<String>,
}

#[derive(Deserialize)]
struct Opened {
    channel: ChannelObject,
}

#[derive(Deserialize)]
struct ChannelObject {
    id: String,
}

#[derive(Deserialize)]
struct ConnectionOpened {
    url: String,
}

#[derive(Deserialize)]
struct ChannelList {
    #[serde(default)]
    channels: Vec<NamedChannel>,
    #[serde(default)]
    response_metadata: Option<Cursor>,
}

#[derive(Deserialize)]
struct NamedChannel {
    id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct Cursor {
    #[serde(default)]
    next_cursor: String,
}

/// Every channel the bot can see, name → id, through `conversations.list` page by page.
async fn list_channels(
    client: &Client,
    token: &SlackApiToken,
) -> Result<HashMap<String, String>, SlackClientError> {
    let session = client.open_session(token);
    let mut found = HashMap::new();
    let mut cursor = String::new();
    // A guard against a server that keeps returning cursors.
    for _ in 0..1000 {
        let mut params = vec![
            ("types", Some("public_channel,private_channel")),
            ("exclude_archived", Some("true")),
            ("limit", Some("1000")),
        ];
        if !cursor.is_empty() {
            params.push(("cursor", Some(cursor.as_str())));
        }
        let page: ChannelList = session
            .http_session_api
            .http_get("conversations.list", &params, None)
            .await?;
        found.extend(page.channels.into_iter().map(|c| (c.name, c.id)));
        cursor = page
            .response_metadata
            .map(|m| m.next_cursor)
            .unwrap_or_default();
        if cursor.is_empty() {
            break;
        }
    }
    Ok(found)
}

/// The channel names in the config (`#sales`): team channels, `[slack] alert_channel` and
/// `[digest] to`.
fn configured_channel_names(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = config
        .directory
        .teams
        .iter()
        .filter_map(|t| t.channel.clone())
        .chain(config.settings.slack.alert_channel.clone())
        .chain(config.settings.digest.to.iter().cloned())
        .filter(|c| c.starts_with('#'))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The channel names of the config that Slack does not know (or the bot cannot see), for
/// `baton check-config`: files can only be shared into channels Baton can find by id.
pub async fn channels_not_on_slack(config: &Config) -> anyhow::Result<Vec<String>> {
    let names = configured_channel_names(config);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let token = config
        .slack_bot_token
        .as_ref()
        .context("SLACK_BOT_TOKEN is not set")?;
    let token = SlackApiToken::new(token.expose().to_string().into());
    let known = list_channels(&client(config)?, &token)
        .await
        .map_err(|e| anyhow::anyhow!("cannot list Slack channels: {}", describe(&e)))?;
    Ok(names
        .into_iter()
        .filter(|n| !known.contains_key(n.trim_start_matches('#')))
        .collect())
}

#[derive(Default)]
struct Caches {
    /// email → Slack user id, or when Slack last said it does not know the email.
    users: HashMap<String, Result<String, Instant>>,
    /// user id → DM channel id.
    dms: HashMap<String, String>,
    /// user id → email.
    emails: HashMap<String, String>,
    /// People already warned about.
    warned: HashSet<String>,
    /// Channel name (without `#`) → channel id, from `conversations.list`.
    channels: HashMap<String, String>,
}

/// The Web API client for `[slack] api_url`: HTTPS with the system's roots, or plain HTTP
/// for a local fake. Slack-morphism's rate control stays off (see the module doc).
fn client(config: &Config) -> anyhow::Result<Client> {
    install_crypto();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .or_else(|_| {
            // Without system certificates only plain-http URLs (a local fake) work.
            let tls = rustls::ClientConfig::builder()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
            Ok::<_, anyhow::Error>(hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls))
        })?
        .https_or_http()
        .enable_http1()
        .build();
    let api_url = config.settings.slack.api_url.trim_end_matches('/');
    Ok(SlackClient::new(
        SlackClientHyperConnector::with_connector(https).with_slack_api_url(api_url),
    ))
}

/// The people of the config Slack does not know by email (those without `slack_id`), for
/// `baton check-config`. Each is also warned about in the log.
pub async fn people_not_on_slack(config: &Config) -> anyhow::Result<Vec<String>> {
    let token = config
        .slack_bot_token
        .as_ref()
        .context("SLACK_BOT_TOKEN is not set")?;
    let client = client(config)?;
    let token = SlackApiToken::new(token.expose().to_string().into());
    let session = client.open_session(&token);
    let mut missing = Vec::new();
    for person in config
        .directory
        .people
        .iter()
        .filter(|p| p.slack_id.is_none())
    {
        let params = vec![("email", Some(person.email.as_str()))];
        let found: Result<UserAnswer, _> = session
            .http_session_api
            .http_get("users.lookupByEmail", &params, None)
            .await;
        match found {
            Ok(_) => {}
            Err(e) if api_code(&e) == Some("users_not_found") => {
                warn!(person = %person.email, "Slack does not know this person's email: set slack_id in their [[person]]");
                missing.push(person.email.clone());
            }
            Err(e) => anyhow::bail!("cannot look people up on Slack: {}", describe(&e)),
        }
    }
    Ok(missing)
}

/// The Slack platform: the Web API client, the caches, and what it needs of the config.
pub struct Slack {
    client: Client,
    bot_token: SlackApiToken,
    app_token: Option<SlackApiToken>,
    alert_channel: Option<String>,
    /// email → `slack_id` from the config.
    slack_ids: HashMap<String, String>,
    /// email → the channel of the person's team.
    team_channels: HashMap<String, String>,
    db: Db,
    caches: Mutex<Caches>,
}

impl Slack {
    /// Builds the client for `[slack] api_url` with the bot token (and the app token for
    /// Socket Mode).
    pub fn new(config: &Config, db: Db) -> anyhow::Result<Slack> {
        let token = config
            .slack_bot_token
            .as_ref()
            .context("SLACK_BOT_TOKEN is not set")?;
        let directory = &config.directory;
        let slack_ids = directory
            .people
            .iter()
            .filter_map(|p| Some((p.email.clone(), p.slack_id.clone()?)))
            .collect();
        let team_channels = directory
            .people
            .iter()
            .filter_map(|p| {
                let team = directory.team(p.team.as_deref()?)?;
                Some((p.email.clone(), team.channel.clone()?))
            })
            .collect();
        Ok(Slack {
            client: client(config)?,
            bot_token: SlackApiToken::new(token.expose().to_string().into()),
            app_token: config
                .slack_app_token
                .as_ref()
                .map(|t| SlackApiToken::new(t.expose().to_string().into())),
            alert_channel: config.settings.slack.alert_channel.clone(),
            slack_ids,
            team_channels,
            db,
            caches: Mutex::new(Caches::default()),
        })
    }

    fn caches(&self) -> std::sync::MutexGuard<'_, Caches> {
        // A panic while holding the lock leaves plain maps behind; they are still usable.
        self.caches.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn post<T: DeserializeOwned + Send>(
        &self,
        method: &str,
        body: &Value,
    ) -> Result<T, SlackClientError> {
        self.client
            .open_session(&self.bot_token)
            .http_session_api
            .http_post(method, body, None)
            .await
    }

    async fn get<T: DeserializeOwned + Send>(
        &self,
        method: &str,
        key: &str,
        value: &str,
    ) -> Result<T, SlackClientError> {
        let params = vec![(key, Some(value))];
        self.client
            .open_session(&self.bot_token)
            .http_session_api
            .http_get(method, &params, None)
            .await
    }

    /// The Slack user of an email: `slack_id` from the config, else `users.lookupByEmail`
    /// (cached). `None` when Slack does not know the email.
    pub async fn user_id(&self, email: &str) -> Result<Option<String>, SlackClientError> {
        if let Some(id) = self.slack_ids.get(email) {
            return Ok(Some(id.clone()));
        }
        match self.caches().users.get(email) {
            Some(Ok(id)) => return Ok(Some(id.clone())),
            Some(Err(when)) if when.elapsed() < NOT_FOUND_TTL => return Ok(None),
            _ => {}
        }
        let found = match self
            .get::<UserAnswer>("users.lookupByEmail", "email", email)
            .await
        {
            Ok(answer) => Ok(answer.user.id),
            Err(e) if api_code(&e) == Some("users_not_found") => Err(Instant::now()),
            Err(e) => return Err(e),
        };
        let mut caches = self.caches();
        if let Ok(id) = &found {
            caches.emails.insert(id.clone(), email.to_string());
        }
        caches.users.insert(email.to_string(), found.clone());
        Ok(found.ok())
    }

    /// The email of a Slack user: from the config's `slack_id`, else `users.info` (cached).
    pub async fn email_of(&self, user_id: &str) -> anyhow::Result<Option<String>> {
        if let Some((email, _)) = self.slack_ids.iter().find(|(_, id)| *id == user_id) {
            return Ok(Some(email.clone()));
        }
        if let Some(email) = self.caches().emails.get(user_id) {
            return Ok(Some(email.clone()));
        }
        let answer = match self.get::<UserAnswer>("users.info", "user", user_id).await {
            Ok(answer) => answer,
            Err(e) if api_code(&e) == Some("user_not_found") => return Ok(None),
            Err(e) => anyhow::bail!("cannot look up a Slack user: {}", describe(&e)),
        };
        let email = answer
            .user
            .profile
            .and_then(|p| p.email)
            .map(|e| e.trim().to_lowercase());
        if let Some(email) = &email {
            let mut caches = self.caches();
            caches.emails.insert(user_id.to_string(), email.clone());
            caches
                .users
                .insert(email.clone(), Ok(answer.user.id.clone()));
        }
        Ok(email)
    }

    async fn dm(&self, user_id: &str) -> Result<String, SlackClientError> {
        if let Some(channel) = self.caches().dms.get(user_id) {
            return Ok(channel.clone());
        }
        let opened: Opened = self
            .post("conversations.open", &json!({"users": user_id}))
            .await?;
        self.caches()
            .dms
            .insert(user_id.to_string(), opened.channel.id.clone());
        Ok(opened.channel.id)
    }

    /// Where a recipient's messages go, and the person it stands in for when that is a
    /// fallback channel.
    async fn channel_for(&self, recipient: &str) -> Result<(String, Option<String>), SendError> {
        if !recipient.contains('@') {
            return Ok((recipient.to_string(), None));
        }
        let found = self.user_id(recipient).await.map_err(|e| send_error(&e))?;
        if let Some(user) = found {
            let channel = self.dm(&user).await.map_err(|e| send_error(&e))?;
            return Ok((channel, None));
        }
        let fallback = self
            .alert_channel
            .clone()
            .or_else(|| self.team_channels.get(recipient).cloned());
        if self.caches().warned.insert(recipient.to_string()) {
            warn!(
                person = recipient,
                fallback = fallback.as_deref().unwrap_or("none"),
                "Slack does not know this person's email: set slack_id in their [[person]]; their messages go to the fallback channel"
            );
        }
        match fallback {
            Some(channel) => Ok((channel, Some(recipient.to_string()))),
            None => Err(SendError {
                reason: format!(
                    "{recipient} is not on Slack and there is no [slack] alert_channel or team channel"
                ),
                retry_after: None,
                permanent: true,
            }),
        }
    }

    /// The id of a channel: a name like `#leadership` is looked up with
    /// `conversations.list` (cached; a name not in the cache lists again), anything else is
    /// taken as an id already. `files.completeUploadExternal` accepts ids only.
    async fn channel_id(&self, channel: &str) -> Result<String, SendError> {
        let Some(name) = channel.strip_prefix('#') else {
            return Ok(channel.to_string());
        };
        if let Some(id) = self.caches().channels.get(name) {
            return Ok(id.clone());
        }
        let listed = list_channels(&self.client, &self.bot_token)
            .await
            .map_err(|e| send_error(&e))?;
        let found = listed.get(name).cloned();
        self.caches().channels = listed;
        found.ok_or_else(|| SendError {
            reason: format!(
                "Slack has no channel {channel} that Baton can see: fix the name or invite the bot (/invite @Baton)"
            ),
            retry_after: None,
            permanent: true,
        })
    }

    /// Opens a modal (the trigger id lives about 3 s).
    pub async fn open_view(&self, trigger_id: &str, view: Value) -> anyhow::Result<()> {
        self.post::<Value>(
            "views.open",
            &json!({"trigger_id": trigger_id, "view": view}),
        )
        .await
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("cannot open the modal: {}", describe(&e)))
    }

    /// Answers through an interaction's `response_url` (ephemeral unless it says otherwise).
    pub async fn respond(&self, response_url: &str, message: &Message) -> anyhow::Result<()> {
        let url: url::Url = response_url.parse().context("a bad response_url")?;
        let blocks: Vec<SlackBlock> = serde_json::from_value(Value::Array(blocks::render(message)))
            .context("cannot build the reply blocks")?;
        let content = SlackMessageContent::new()
            .with_text(blocks::fallback_text(message))
            .with_blocks(blocks);
        let request = SlackApiPostWebhookMessageRequest::new(content).with_replace_original(false);
        self.client
            .respond_to_event(&SlackResponseUrl::new(url), &request)
            .await
            .map(|_| ())
            .map_err(|e| anyhow::anyhow!("cannot reply through response_url: {}", describe(&e)))
    }

    /// The Socket Mode URL from `apps.connections.open` (with the app token).
    pub async fn open_socket(&self) -> anyhow::Result<String> {
        let token = self
            .app_token
            .as_ref()
            .context("SLACK_APP_TOKEN is not set")?;
        let opened: ConnectionOpened = self
            .client
            .open_session(token)
            .http_session_api
            .http_post("apps.connections.open", &json!({}), None)
            .await
            .map_err(|e| anyhow::anyhow!("apps.connections.open failed: {}", describe(&e)))?;
        Ok(opened.url)
    }

    /// True the first time a delivery id is seen; Slack's retries (and replays) of it get
    /// false. The ids are kept in the database (`store::inbound`), so a restart does not
    /// forget them. If the database cannot be reached the delivery is let through: the
    /// command it carries needs the database too and fails on its own.
    pub async fn first_time(&self, key: &str, now: chrono::DateTime<chrono::Utc>) -> bool {
        let recorded = async {
            let mut conn = self.db.pool.acquire().await?;
            crate::store::inbound::first_delivery(&mut conn, "slack", key, now).await
        }
        .await;
        match recorded {
            Ok(first) => first,
            Err(e) => {
                warn!(error = %format!("{e:#}"), "cannot record a Slack delivery id");
                true
            }
        }
    }

    async fn update_in_place(&self, d: &Delivery) -> Result<Option<Sent>, SendError> {
        let Some(Original {
            external_ref,
            message: alert,
        }) = &d.original
        else {
            return Ok(None);
        };
        let Some((channel, ts)) = external_ref.split_once(':') else {
            return Ok(None);
        };
        let body = json!({
            "channel": channel,
            "ts": ts,
            "text": blocks::fallback_text(alert),
            "blocks": blocks::render_update(alert, &d.message),
        });
        match self.post::<Posted>("chat.update", &body).await {
            Ok(_) => Ok(Some(Sent {
                external_ref: Some(external_ref.clone()),
            })),
            // The alert is gone or too old to edit: post the update as a new message.
            Err(e)
                if matches!(
                    api_code(&e),
                    Some("message_not_found" | "cant_update_message" | "edit_window_closed")
                ) =>
            {
                debug!(outbox = d.outbox_id, error = %describe(&e), "cannot edit the alert; posting the update");
                Ok(None)
            }
            Err(e) => Err(send_error(&e)),
        }
    }
}

impl Slack {
    /// Uploads the chart's PNG into `channel` with the message as its comment (files
    /// upload v2).
    async fn share_chart(
        &self,
        message: &Message,
        chart: &Chart,
        channel: &str,
        absent: Option<&str>,
    ) -> Result<Sent, SendError> {
        let png = crate::chat::chart_png(chart).await?;
        let file_name = crate::message::chart::safe_file_name(&chart.file_name);
        let session = self.client.open_session(&self.bot_token);
        let target = session
            .get_upload_url_external(&SlackApiFilesGetUploadUrlExternalRequest::new(
                file_name,
                png.len(),
            ))
            .await
            .map_err(|e| send_error(&e))?;
        session
            .files_upload_via_url(&SlackApiFilesUploadViaUrlRequest::new(
                target.upload_url,
                png,
                "image/png".to_string(),
            ))
            .await
            .map_err(|e| send_error(&e))?;
        let file =
            SlackApiFilesComplete::new(target.file_id.clone()).with_title(chart.title.clone());
        let complete = SlackApiFilesCompleteUploadExternalRequest::new(vec![file])
            .with_channel_id(channel.to_string().into())
            .opt_initial_comment(
                Some(blocks::file_comment(message, absent)).filter(|c| !c.is_empty()),
            );
        session
            .files_complete_upload_external(&complete)
            .await
            .map_err(|e| send_error(&e))?;
        Ok(Sent {
            external_ref: Some(target.file_id.to_string()),
        })
    }
}

#[async_trait]
impl Platform for Slack {
    fn name(&self) -> &'static str {
        "slack"
    }

    fn min_interval(&self) -> Option<Duration> {
        Some(MIN_INTERVAL)
    }

    fn concurrency(&self) -> usize {
        CONCURRENCY
    }

    /// Resolves each person's Slack user and opens their DM, into the caches `send` reads.
    async fn warm(&self, recipients: &[String]) {
        use futures_util::StreamExt;
        futures_util::stream::iter(recipients.iter().filter(|r| r.contains('@')))
            .for_each_concurrent(WARM_CONCURRENCY, |email| async move {
                if let Ok(Some(user)) = self.user_id(email).await {
                    let _ = self.dm(&user).await;
                }
            })
            .await;
    }

    async fn send(&self, d: &Delivery) -> Result<Sent, SendError> {
        if d.kind == Kind::Update
            && let Some(sent) = self.update_in_place(d).await?
        {
            return Ok(sent);
        }
        let (channel, absent) = self.channel_for(&d.recipient).await?;
        if let Some(chart) = &d.message.chart {
            let channel = self.channel_id(&channel).await?;
            return self
                .share_chart(&d.message, chart, &channel, absent.as_deref())
                .await;
        }
        let rendered = match &absent {
            Some(person) => blocks::render_for_absent(&d.message, person),
            None => blocks::render(&d.message),
        };
        let body = json!({
            "channel": channel,
            "text": blocks::fallback_text(&d.message),
            "blocks": rendered,
            "unfurl_links": false,
            "unfurl_media": false,
        });
        let posted: Posted = self
            .post("chat.postMessage", &body)
            .await
            .map_err(|e| send_error(&e))?;
        Ok(Sent {
            external_ref: Some(format!("{}:{}", posted.channel, posted.ts)),
        })
    }
}
