//! A fake Discord REST API on 127.0.0.1 for serenity's `Http` (used as its proxy): DM
//! channels, messages (created with nonce enforcement as Discord does, as JSON or as
//! multipart with `payload_json` and attached files, edited in place),
//! command registration, deferred-answer edits, and 429s on demand. It records every call
//! so tests can look at what Baton sent.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::helpers::PATIENCE;

pub const TOKEN: &str = "fake-bot-token";

/// A message as the fake holds it now (after edits).
#[derive(Debug, Clone)]
pub struct Posted {
    pub id: String,
    pub channel_id: String,
    pub body: Value,
    /// Files sent with it as multipart (`files[n]`).
    pub files: Vec<File>,
}

/// A file part of a multipart Create Message.
#[derive(Debug, Clone)]
pub struct File {
    /// The form field: `files[0]`.
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
pub struct Calls {
    /// Current messages, oldest first.
    pub messages: Vec<Posted>,
    /// Every Create Message call that was answered 2xx (duplicates included).
    pub creates: usize,
    /// Edits: (channel, message, body).
    pub edits: Vec<(String, String, Value)>,
    /// Recipients of Create DM calls.
    pub dm_recipients: Vec<String>,
    /// Command registrations: (path, body).
    pub commands: Vec<(String, Value)>,
    /// Deferred answers completed: (token, body).
    pub deferred: Vec<(String, Value)>,
    /// How many of the next Create Message calls answer 429, and the wait they ask for.
    pub rate_limit: Option<(u32, f64)>,
    pub rate_limited: usize,
    /// Channels whose Create Message is refused with 50007, as Discord refuses a DM to a
    /// member who does not accept DMs from server members.
    pub dms_closed: Vec<String>,
    next_id: u64,
}

#[derive(Clone)]
struct Fake {
    calls: Arc<Mutex<Calls>>,
    changed: Arc<watch::Sender<u64>>,
}

impl Fake {
    fn touch(&self) {
        self.changed.send_modify(|n| *n += 1);
    }
}

pub struct FakeDiscord {
    pub url: String,
    fake: Fake,
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let fake = Fake {
            calls: Arc::new(Mutex::new(Calls {
                next_id: 900_000,
                ..Calls::default()
            })),
            changed: Arc::new(watch::channel(0).0),
        };
        let app = Router::new()
            .route("/api/v10/users/@me/channels", post(create_dm))
            .route("/api/v10/channels/{channel}/messages", post(create_message))
            .route(
                "/api/v10/channels/{channel}/messages/{message}",
                patch(edit_message),
            )
            .route("/api/v10/applications/{app}/commands", put(commands))
            .route(
                "/api/v10/applications/{app}/guilds/{guild}/commands",
                put(commands),
            )
            .route(
                "/api/v10/webhooks/{app}/{token}/messages/@original",
                patch(edit_original),
            )
            .route(
                "/api/v10/oauth2/applications/@me",
                get(|| async { axum::Json(json!({ "id": "4242" })) }),
            )
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeDiscord { url, fake }
    }

    /// Reads the recorded calls.
    pub fn calls<T>(&self, read: impl FnOnce(&Calls) -> T) -> T {
        read(&self.fake.calls.lock().unwrap())
    }

    /// The next `times` Create Message calls answer 429 asking to wait `seconds`.
    /// From now on, messages to `user`'s DM channel are refused with 50007.
    pub fn close_dms(&self, user: &str) {
        self.fake
            .calls
            .lock()
            .unwrap()
            .dms_closed
            .push(dm_channel_of(user));
    }

    pub fn rate_limit(&self, times: u32, seconds: f64) {
        self.fake.calls.lock().unwrap().rate_limit = Some((times, seconds));
    }

    /// Messages now in a channel.
    pub fn messages_in(&self, channel: &str) -> Vec<Posted> {
        self.calls(|c| {
            c.messages
                .iter()
                .filter(|m| m.channel_id == channel)
                .cloned()
                .collect()
        })
    }

    /// Waits until the recorded calls satisfy `done`.
    pub async fn wait(&self, what: &str, mut done: impl FnMut(&Calls) -> bool) {
        let mut rx = self.fake.changed.subscribe();
        let waited = tokio::time::timeout(PATIENCE, async {
            loop {
                if done(&self.fake.calls.lock().unwrap()) {
                    return;
                }
                rx.changed().await.unwrap();
            }
        })
        .await;
        assert!(
            waited.is_ok(),
            "timed out waiting for the fake Discord: {what}"
        );
    }
}

/// The DM channel id the fake gives a user: `7` + the user id.
pub fn dm_channel_of(user: &str) -> String {
    format!("7{user}")
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bot {TOKEN}"))
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({ "message": "401: Unauthorized", "code": 0 })),
    )
        .into_response()
}

async fn create_dm(State(fake): State<Fake>, headers: HeaderMap, body: String) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let body: Value = serde_json::from_str(&body).unwrap();
    let user = body["recipient_id"].as_str().unwrap().to_string();
    fake.calls.lock().unwrap().dm_recipients.push(user.clone());
    fake.touch();
    axum::Json(json!({ "id": dm_channel_of(&user), "type": 1 })).into_response()
}

/// A Create Message body: JSON, or multipart with `payload_json` and `files[n]`.
async fn message_parts(request: Request) -> (Value, Vec<File>) {
    let multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .unwrap();
        return (serde_json::from_slice(&bytes).unwrap(), Vec::new());
    }
    let mut form = Multipart::from_request(request, &()).await.unwrap();
    let mut payload = Value::Null;
    let mut files = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        let name = field.name().unwrap_or_default().to_string();
        if name == "payload_json" {
            payload = serde_json::from_str(&field.text().await.unwrap()).unwrap();
        } else {
            files.push(File {
                field: name,
                file_name: field.file_name().unwrap_or_default().to_string(),
                content_type: field.content_type().unwrap_or_default().to_string(),
                bytes: field.bytes().await.unwrap().to_vec(),
            });
        }
    }
    (payload, files)
}

async fn create_message(
    State(fake): State<Fake>,
    Path(channel): Path<String>,
    request: Request,
) -> Response {
    if !authorized(request.headers()) {
        return unauthorized();
    }
    let (body, files) = message_parts(request).await;
    let response = {
        let mut calls = fake.calls.lock().unwrap();
        if let Some((times, seconds)) = calls.rate_limit.filter(|(times, _)| *times > 0) {
            calls.rate_limit = Some((times - 1, seconds));
            calls.rate_limited += 1;
            drop(calls);
            fake.touch();
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", format!("{}", seconds.ceil()))],
                axum::Json(json!({
                    "message": "You are being rate limited.",
                    "retry_after": seconds,
                    "global": false,
                })),
            )
                .into_response();
        }
        if calls.dms_closed.contains(&channel) {
            return (
                StatusCode::FORBIDDEN,
                axum::Json(
                    json!({ "message": "Cannot send messages to this user", "code": 50007 }),
                ),
            )
                .into_response();
        }
        calls.creates += 1;
        // Discord: with enforce_nonce, a nonce already used by this author returns the
        // message created with it instead of a new one.
        let nonce = body["nonce"].as_str().map(str::to_string);
        let existing = calls.messages.iter().find(|m| {
            body["enforce_nonce"] == true
                && nonce.is_some()
                && m.channel_id == channel
                && m.body["nonce"].as_str() == nonce.as_deref()
        });
        match existing {
            Some(m) => json!({ "id": m.id, "channel_id": m.channel_id, "nonce": nonce }),
            None => {
                calls.next_id += 1;
                let id = calls.next_id.to_string();
                calls.messages.push(Posted {
                    id: id.clone(),
                    channel_id: channel.clone(),
                    body,
                    files,
                });
                json!({ "id": id, "channel_id": channel, "nonce": nonce })
            }
        }
    };
    fake.touch();
    axum::Json(response).into_response()
}

async fn edit_message(
    State(fake): State<Fake>,
    Path((channel, message)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let body: Value = serde_json::from_str(&body).unwrap();
    let found = {
        let mut calls = fake.calls.lock().unwrap();
        calls
            .edits
            .push((channel.clone(), message.clone(), body.clone()));
        match calls
            .messages
            .iter_mut()
            .find(|m| m.id == message && m.channel_id == channel)
        {
            Some(m) => {
                for (key, value) in body.as_object().unwrap() {
                    m.body[key] = value.clone();
                }
                true
            }
            None => false,
        }
    };
    fake.touch();
    if found {
        axum::Json(json!({ "id": message, "channel_id": channel })).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "message": "Unknown Message", "code": 10008 })),
        )
            .into_response()
    }
}

async fn commands(
    State(fake): State<Fake>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let body: Value = serde_json::from_str(&body).unwrap();
    fake.calls
        .lock()
        .unwrap()
        .commands
        .push((uri.path().to_string(), body.clone()));
    fake.touch();
    axum::Json(body).into_response()
}

async fn edit_original(
    State(fake): State<Fake>,
    Path((_app, token)): Path<(String, String)>,
    body: String,
) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap();
    fake.calls.lock().unwrap().deferred.push((token, body));
    fake.touch();
    axum::Json(json!({ "id": "1" })).into_response()
}
