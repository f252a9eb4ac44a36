//! A fake Discord REST API on 127.0.0.1 for serenity's `Http` (used as its proxy): DM
//! channels, messages (created with nonce enforcement as Discord does, as JSON or as
//! multipart with `payload_json` and attached files, edited in place),
//! command registration, deferred-answer edits, interaction callbacks, and 429s on demand.
//! It records every call so tests can look at what Baton sent.
//!
//! It is also a fake Discord gateway, following Discord's gateway documentation: `GET
//! /gateway` answers the websocket's URL; a socket gets HELLO (op 10) with a short
//! heartbeat interval; IDENTIFY (op 2) starts a session answered by the READY dispatch;
//! heartbeats (op 1) are acknowledged (op 11) unless a test stops it; dispatches (op 0)
//! carry a sequence number per session and are kept, so that a RESUME (op 6) with the last
//! sequence the client saw replays what it missed before RESUMED. A test can ask for a
//! reconnect (op 7), invalidate the session (op 9) or drop the socket without a close frame.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::ws::{Message as Frame, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use crate::harness::PATIENCE;

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
    /// Interaction callbacks (`POST /interactions/{id}/{token}/callback`): (id, body).
    pub callbacks: Vec<(String, Value)>,
    /// What happened on the gateway, in order.
    pub gateway: Vec<GatewayEvent>,
    /// The fake gateway's state.
    pub sessions: Sessions,
    next_id: u64,
}

/// Something that happened on the fake gateway.
#[derive(Debug, Clone, PartialEq)]
pub enum GatewayEvent {
    /// The client asked `GET /gateway` (or `/gateway/bot`).
    UrlAsked,
    /// A websocket was opened: its number, counting from 1.
    Opened(u64),
    /// An IDENTIFY's payload (`d`).
    Identify(Value),
    /// READY was sent for this session id.
    Ready(String),
    /// A RESUME's payload (`d`).
    Resume(Value),
    /// RESUMED was sent after replaying this many missed dispatches.
    Resumed(usize),
    /// A heartbeat with its `d` (the last sequence number the client saw), on a socket.
    Heartbeat(u64, Value),
    /// A heartbeat was acknowledged on this socket.
    HeartbeatAck(u64),
    /// A dispatch was sent: its type and sequence number.
    Dispatched(String, u64),
    /// The client closed a socket, or the socket ended: its number.
    Closed(u64),
}

/// The gateway's sessions: the current one and its dispatches, for replay on RESUME.
#[derive(Default)]
pub struct Sessions {
    /// The current session's id, if one was identified and not invalidated.
    pub current: Option<String>,
    sessions: u64,
    /// Every dispatch of the current session: (sequence number, whole payload).
    log: Vec<(u64, Value)>,
    /// The socket that receives the current session's dispatches as they happen: none
    /// between a reconnect or a drop and the RESUME.
    live: Option<(u64, mpsc::UnboundedSender<Control>)>,
    /// Dispatches asked for while no session was ready: sent after the next READY.
    pending: Vec<(String, Value)>,
    sockets: u64,
    /// The socket whose heartbeats are not acknowledged.
    unacked_socket: Option<u64>,
    /// The heartbeat interval HELLO announces, in milliseconds.
    pub heartbeat_ms: u64,
}

/// What a test asks of the socket that is live.
enum Control {
    Send(Value),
    /// Op 7: the client should reconnect and resume.
    Reconnect,
    /// Op 9 with `d: false`: the session cannot be resumed.
    InvalidSession,
    /// Ends the socket without a close frame, as a lost connection does.
    Drop,
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

    fn record(&self, event: GatewayEvent) {
        self.calls.lock().unwrap().gateway.push(event);
        self.touch();
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
                sessions: Sessions {
                    heartbeat_ms: 150,
                    ..Sessions::default()
                },
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
                "/api/v10/interactions/{id}/{token}/callback",
                post(callback),
            )
            .route("/api/v10/gateway", get(gateway_url))
            .route("/api/v10/gateway/bot", get(gateway_url))
            .route("/gateway", get(gateway_socket))
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

    /// Sends a dispatch (op 0) of type `kind` in the current session: at once to the live
    /// socket, or kept for the RESUME (or the next READY when there is no session).
    pub fn dispatch(&self, kind: &str, data: Value) {
        dispatch(&self.fake, kind, data);
    }

    /// Asks the live socket for op 7 (reconnect): dispatches from now on wait for the
    /// RESUME.
    pub fn ask_reconnect(&self) {
        self.control(Control::Reconnect);
    }

    /// Invalidates the session (op 9, not resumable) on the live socket.
    pub fn invalidate_session(&self) {
        self.control(Control::InvalidSession);
    }

    /// Drops the live socket without a close frame.
    pub fn drop_socket(&self) {
        self.control(Control::Drop);
    }

    /// Stops acknowledging heartbeats on the live socket (later sockets are acknowledged),
    /// and says how many of its heartbeats were acknowledged before.
    pub fn stop_acking(&self) -> usize {
        let mut calls = self.fake.calls.lock().unwrap();
        let live = calls.sessions.live.as_ref().map(|(n, _)| *n);
        calls.sessions.unacked_socket = live;
        calls
            .gateway
            .iter()
            .filter(|e| live.is_some_and(|n| **e == GatewayEvent::HeartbeatAck(n)))
            .count()
    }

    fn control(&self, control: Control) {
        let mut calls = self.fake.calls.lock().unwrap();
        let Some((_, live)) = calls.sessions.live.take() else {
            panic!("no live gateway socket");
        };
        if matches!(control, Control::InvalidSession) {
            calls.sessions.current = None;
            calls.sessions.log.clear();
        }
        let _ = live.send(control);
    }

    /// How many gateway events satisfy `which`.
    pub fn count(&self, which: impl Fn(&GatewayEvent) -> bool) -> usize {
        self.calls(|c| c.gateway.iter().filter(|e| which(e)).count())
    }

    /// Waits until `n` gateway events satisfy `which`.
    pub async fn wait_gateway(&self, what: &str, n: usize, which: impl Fn(&GatewayEvent) -> bool) {
        self.wait(what, |c| c.gateway.iter().filter(|e| which(e)).count() >= n)
            .await;
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

async fn callback(
    State(fake): State<Fake>,
    Path((id, _token)): Path<(String, String)>,
    body: String,
) -> Response {
    // Discord authenticates an interaction callback by the interaction's token in the
    // path, not by the bot's token.
    let body: Value = serde_json::from_str(&body).unwrap();
    let answered = {
        let mut calls = fake.calls.lock().unwrap();
        let answered = calls.callbacks.iter().any(|(done, _)| *done == id);
        calls.callbacks.push((id, body));
        answered
    };
    fake.touch();
    if answered {
        // Discord: an interaction is answered once.
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({
                "message": "Interaction has already been acknowledged.",
                "code": 40060,
            })),
        )
            .into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn gateway_url(State(fake): State<Fake>, headers: HeaderMap) -> Response {
    fake.record(GatewayEvent::UrlAsked);
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let url = format!("ws://{host}/gateway");
    axum::Json(json!({
        "url": url,
        "shards": 1,
        "session_start_limit": {
            "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1,
        },
    }))
    .into_response()
}

async fn gateway_socket(
    State(fake): State<Fake>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    upgrade.on_upgrade(move |ws| serve_gateway(fake, ws, host))
}

/// Sends a dispatch in the current session, or keeps it (see [`FakeDiscord::dispatch`]).
fn dispatch(fake: &Fake, kind: &str, data: Value) {
    let mut calls = fake.calls.lock().unwrap();
    let sessions = &mut calls.sessions;
    if sessions.current.is_none() {
        sessions.pending.push((kind.to_string(), data));
        return;
    }
    let seq = sessions.log.last().map_or(0, |(s, _)| *s) + 1;
    let payload = json!({ "op": 0, "s": seq, "t": kind, "d": data });
    sessions.log.push((seq, payload.clone()));
    if let Some((_, live)) = &sessions.live {
        let _ = live.send(Control::Send(payload));
    }
}

async fn send(ws: &mut WebSocket, payload: &Value) -> bool {
    ws.send(Frame::Text(payload.to_string().into()))
        .await
        .is_ok()
}

async fn serve_gateway(fake: Fake, mut ws: WebSocket, host: String) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (number, interval) = {
        let mut calls = fake.calls.lock().unwrap();
        calls.sessions.sockets += 1;
        (calls.sessions.sockets, calls.sessions.heartbeat_ms)
    };
    fake.record(GatewayEvent::Opened(number));
    if !send(
        &mut ws,
        &json!({ "op": 10, "s": null, "t": null, "d": { "heartbeat_interval": interval } }),
    )
    .await
    {
        return;
    }
    loop {
        tokio::select! {
            control = rx.recv() => match control {
                Some(Control::Send(payload)) => {
                    let kind = payload["t"].as_str().unwrap_or_default().to_string();
                    let seq = payload["s"].as_u64().unwrap_or_default();
                    if !send(&mut ws, &payload).await { break }
                    fake.record(GatewayEvent::Dispatched(kind, seq));
                }
                Some(Control::Reconnect) => {
                    if !send(&mut ws, &json!({ "op": 7, "s": null, "t": null, "d": null })).await { break }
                }
                Some(Control::InvalidSession) => {
                    if !send(&mut ws, &json!({ "op": 9, "s": null, "t": null, "d": false })).await { break }
                }
                // Dropping the socket without a close frame.
                Some(Control::Drop) | None => break,
            },
            frame = ws.recv() => {
                let text = match frame {
                    Some(Ok(Frame::Text(text))) => text,
                    Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let message: Value = serde_json::from_str(text.as_str()).unwrap();
                match message["op"].as_u64() {
                    Some(1) => {
                        fake.record(GatewayEvent::Heartbeat(number, message["d"].clone()));
                        // The decision and its record share one lock, so `stop_acking` can
                        // tell exactly how many acks the socket had before it.
                        let acking = {
                            let mut calls = fake.calls.lock().unwrap();
                            let acking = calls.sessions.unacked_socket != Some(number);
                            if acking {
                                calls.gateway.push(GatewayEvent::HeartbeatAck(number));
                            }
                            acking
                        };
                        if acking {
                            fake.touch();
                            if !send(&mut ws, &json!({ "op": 11, "s": null, "t": null, "d": null })).await { break }
                        }
                    }
                    Some(2) => {
                        fake.record(GatewayEvent::Identify(message["d"].clone()));
                        if message["d"]["token"] != TOKEN && message["d"]["token"] != format!("Bot {TOKEN}") {
                            // Discord: 4004, authentication failed.
                            let _ = ws.send(Frame::Close(Some(axum::extract::ws::CloseFrame {
                                code: 4004,
                                reason: "Authentication failed.".into(),
                            }))).await;
                            break;
                        }
                        let (session, ready, pending) = {
                            let mut calls = fake.calls.lock().unwrap();
                            let sessions = &mut calls.sessions;
                            sessions.sessions += 1;
                            let session = format!("fake-session-{}", sessions.sessions);
                            sessions.current = Some(session.clone());
                            sessions.log.clear();
                            let ready = json!({ "op": 0, "s": 1, "t": "READY", "d": {
                                "v": 10,
                                "user": {
                                    "id": "4242", "username": "baton", "discriminator": "0",
                                    "global_name": "Baton", "avatar": null, "bot": true,
                                    "verified": true, "mfa_enabled": false, "flags": 0,
                                },
                                "guilds": [{ "id": "777", "unavailable": true }],
                                "session_id": session,
                                "resume_gateway_url": format!("ws://{host}/gateway"),
                                "application": { "id": "4242", "flags": 0 },
                            }});
                            sessions.log.push((1, ready.clone()));
                            sessions.live = Some((number, tx.clone()));
                            (session, ready, std::mem::take(&mut sessions.pending))
                        };
                        if !send(&mut ws, &ready).await { break }
                        fake.record(GatewayEvent::Ready(session));
                        for (kind, data) in pending {
                            dispatch(&fake, &kind, data);
                        }
                    }
                    Some(6) => {
                        fake.record(GatewayEvent::Resume(message["d"].clone()));
                        let resumed = {
                            let mut calls = fake.calls.lock().unwrap();
                            let sessions = &mut calls.sessions;
                            let known = sessions.current.is_some()
                                && message["d"]["session_id"].as_str() == sessions.current.as_deref();
                            if known {
                                let seen = message["d"]["seq"].as_u64().unwrap_or_default();
                                let missed: Vec<Value> = sessions
                                    .log
                                    .iter()
                                    .filter(|(s, _)| *s > seen)
                                    .map(|(_, p)| p.clone())
                                    .collect();
                                let seq = sessions.log.last().map_or(0, |(s, _)| *s) + 1;
                                let done = json!({ "op": 0, "s": seq, "t": "RESUMED", "d": null });
                                sessions.log.push((seq, done.clone()));
                                sessions.live = Some((number, tx.clone()));
                                Some((missed, done))
                            } else {
                                None
                            }
                        };
                        match resumed {
                            Some((missed, done)) => {
                                let count = missed.len();
                                for payload in missed {
                                    let kind = payload["t"].as_str().unwrap_or_default().to_string();
                                    let seq = payload["s"].as_u64().unwrap_or_default();
                                    if !send(&mut ws, &payload).await { break }
                                    fake.record(GatewayEvent::Dispatched(kind, seq));
                                }
                                if !send(&mut ws, &done).await { break }
                                fake.record(GatewayEvent::Resumed(count));
                            }
                            None => {
                                if !send(&mut ws, &json!({ "op": 9, "s": null, "t": null, "d": false })).await { break }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    {
        let mut calls = fake.calls.lock().unwrap();
        if calls
            .sessions
            .live
            .as_ref()
            .is_some_and(|(n, _)| *n == number)
        {
            calls.sessions.live = None;
        }
    }
    fake.record(GatewayEvent::Closed(number));
}
