//! A fake Slack on 127.0.0.1 for the tests: the Web API methods Baton uses
//! (`chat.postMessage`, `chat.update`, `users.lookupByEmail`, `users.info`,
//! `conversations.open`, `views.open`, `apps.connections.open`, and files upload v2:
//! `files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal`),
//! `response_url`s, and a Socket Mode websocket. It records every call, can answer 429 with Retry-After, and can
//! enforce a least interval between posts to one channel, as Slack does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ws::{Message as Frame, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::{broadcast, watch};

use crate::harness::PATIENCE;

pub const BOT_TOKEN: &str = "xoxb-test-token";
pub const APP_TOKEN: &str = "xapp-test-token";

/// A recorded `chat.postMessage` or `chat.update`.
#[derive(Debug, Clone)]
pub struct Post {
    pub channel: String,
    pub ts: String,
    pub body: Value,
    pub at: Instant,
}

/// A step of a file upload, in the order Baton made them.
#[derive(Debug, Clone, PartialEq)]
pub enum FileCall {
    /// `files.getUploadURLExternal`.
    GetUploadUrl {
        filename: String,
        length: usize,
        file_id: String,
    },
    /// The bytes POSTed to the upload URL of `file_id`.
    Upload { file_id: String, bytes: Vec<u8> },
    /// `files.completeUploadExternal`.
    Complete {
        channel_id: String,
        /// (id, title) of each file.
        files: Vec<(String, String)>,
        initial_comment: String,
    },
}

#[derive(Default)]
pub struct Calls {
    pub posts: Vec<Post>,
    /// File upload steps, in order.
    pub files: Vec<FileCall>,
    /// Answer the next this many uploads to an upload URL with 500.
    pub fail_uploads: u32,
    /// Answer the next this many `files.getUploadURLExternal` with 429 and this
    /// Retry-After (seconds).
    pub rate_limit_files: Option<(u32, u64)>,
    pub updates: Vec<Post>,
    pub views: Vec<Value>,
    pub responses: Vec<Value>,
    pub acks: Vec<Value>,
    pub lookups: u64,
    pub rate_limited: u64,
    pub sockets_opened: u64,
    /// Envelopes pushed and not acknowledged yet, sent again on the next connection.
    pub unacked: Vec<Value>,
    /// Envelopes sent again after a reconnect.
    pub redelivered: u64,
    /// `conversations.list` calls (pages).
    pub channel_lists: u64,
    /// Answer the next this many posts with 429 and this Retry-After (seconds).
    pub fail_posts: Option<(u32, u64)>,
    /// Disrupt about this percentage of posts, in turn: a 500, a 429 with Retry-After 1,
    /// an answer slower than Baton waits (a 503 after 2 s), and a dropped connection.
    pub chaos: Option<u64>,
    pub chaos_calls: u64,
    pub disrupted: u64,
    /// Slack's limit, scaled as a test likes: posts to one channel closer than this get 429.
    pub min_interval: Option<Duration>,
    last_post: HashMap<String, Instant>,
    next_ts: u64,
    next_file: u64,
}

impl Calls {
    /// The bytes of each upload that was completed (shared), in order.
    pub fn shared_files(&self) -> Vec<Vec<u8>> {
        self.files
            .iter()
            .filter_map(|call| match call {
                FileCall::Complete { files, .. } => Some(files),
                _ => None,
            })
            .flatten()
            .filter_map(|(id, _)| {
                self.files.iter().rev().find_map(|call| match call {
                    FileCall::Upload { file_id, bytes } if file_id == id => Some(bytes.clone()),
                    _ => None,
                })
            })
            .collect()
    }
}

#[derive(Clone)]
struct Shared {
    calls: Arc<Mutex<Calls>>,
    changed: watch::Sender<u64>,
    envelopes: broadcast::Sender<String>,
    base: String,
}

impl Shared {
    fn record(&self, change: impl FnOnce(&mut Calls)) {
        change(&mut self.calls.lock().unwrap());
        self.changed.send_modify(|n| *n += 1);
    }
}

pub struct FakeSlack {
    shared: Shared,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

/// The fake's Slack user for an email: people whose address starts with `ghost` are not on
/// Slack.
pub fn user_for(email: &str) -> Option<String> {
    (!email.starts_with("ghost")).then(|| {
        format!(
            "U{}",
            email
                .split('@')
                .next()
                .unwrap_or_default()
                .to_uppercase()
                .replace(['.', '-', '_'], "")
        )
    })
}

impl FakeSlack {
    pub async fn start() -> FakeSlack {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shared = Shared {
            calls: Arc::new(Mutex::new(Calls::default())),
            changed: watch::channel(0).0,
            envelopes: broadcast::channel(64).0,
            base: base.clone(),
        };
        let app = Router::new()
            .route("/api/chat.postMessage", post(post_message))
            .route("/api/chat.update", post(update))
            .route("/api/users.lookupByEmail", get(lookup_by_email))
            .route("/api/users.info", get(users_info))
            .route("/api/conversations.open", post(conversations_open))
            .route("/api/views.open", post(views_open))
            .route("/api/apps.connections.open", post(connections_open))
            .route("/api/conversations.list", get(conversations_list))
            .route("/api/files.getUploadURLExternal", get(get_upload_url))
            .route("/api/files.completeUploadExternal", post(complete_upload))
            .route("/upload/{file_id}", post(upload))
            .route("/respond/{id}", post(respond))
            .route("/socket", any(socket))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeSlack { shared, base }
    }

    /// What goes into `[slack] api_url`.
    pub fn api_url(&self) -> String {
        format!("{}/api/", self.base)
    }

    pub fn response_url(&self, id: &str) -> String {
        format!("{}/respond/{id}", self.base)
    }

    pub fn calls(&self) -> std::sync::MutexGuard<'_, Calls> {
        self.shared.calls.lock().unwrap()
    }

    pub fn posts(&self) -> Vec<Post> {
        self.calls().posts.clone()
    }

    pub fn updates(&self) -> Vec<Post> {
        self.calls().updates.clone()
    }

    pub fn set(&self, change: impl FnOnce(&mut Calls)) {
        self.shared.record(change);
    }

    /// Waits until the recorded calls satisfy `done`.
    pub async fn wait(&self, what: &str, mut done: impl FnMut(&Calls) -> bool) {
        let mut rx = self.shared.changed.subscribe();
        let waited = tokio::time::timeout(PATIENCE, async {
            loop {
                if done(&self.calls()) {
                    return;
                }
                rx.changed().await.unwrap();
            }
        })
        .await;
        assert!(
            waited.is_ok(),
            "timed out waiting for the fake Slack: {what}"
        );
    }

    /// Sends a Socket Mode envelope to every connected client. Like Slack, the fake keeps
    /// it until it is acknowledged and sends it again (with `retry_attempt` + 1) on the
    /// next connection, so nothing is lost across a reconnect.
    pub fn push(&self, envelope: Value) {
        self.shared.record(|c| c.unacked.push(envelope.clone()));
        // Nobody may be connected right now: the envelope then waits for the next socket.
        let _ = self.shared.envelopes.send(envelope.to_string());
    }

    /// Asks the connected client to reconnect, as Slack does before it rotates a host:
    /// a `disconnect` envelope with `reason: refresh_requested`, then the socket closes.
    pub fn refresh(&self) {
        let _ = self.shared.envelopes.send(SAY_DISCONNECT.to_string());
    }

    /// Drops the connection without a close frame (a network failure).
    pub fn drop_socket(&self) {
        let _ = self.shared.envelopes.send(DROP.to_string());
    }
}

fn authorized(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {token}"))
}

fn fail(error: &str) -> Response {
    Json(json!({"ok": false, "error": error})).into_response()
}

fn channel_id(channel: &str) -> String {
    match channel.strip_prefix('#') {
        Some(name) => format!("C{}", name.to_uppercase()),
        None => channel.to_string(),
    }
}

async fn post_message(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    let channel = channel_id(body["channel"].as_str().unwrap_or_default());
    let now = Instant::now();
    let mut fault = None;
    s.record(|c| {
        if let Some(percent) = c.chaos {
            c.chaos_calls += 1;
            if c.chaos_calls.wrapping_mul(7919) % 100 < percent {
                c.disrupted += 1;
                fault = Some(c.disrupted % 4);
            }
        }
    });
    match fault {
        Some(0) => return (StatusCode::INTERNAL_SERVER_ERROR, "upstream broke").into_response(),
        Some(1) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "1")],
                json!({"ok": false, "error": "ratelimited"}).to_string(),
            )
                .into_response();
        }
        Some(2) => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            return (StatusCode::SERVICE_UNAVAILABLE, "too slow").into_response();
        }
        Some(_) => panic!("the fake drops this connection on purpose"),
        None => {}
    }
    let mut limited = None;
    let mut ts = String::new();
    s.record(|c| {
        if let Some((n, retry)) = c.fail_posts.filter(|(n, _)| *n > 0) {
            c.fail_posts = Some((n - 1, retry));
            limited = Some(retry);
        } else if let (Some(min), Some(last)) = (c.min_interval, c.last_post.get(&channel))
            && now.duration_since(*last) < min
        {
            limited = Some(1);
        }
        if limited.is_some() {
            c.rate_limited += 1;
            return;
        }
        c.last_post.insert(channel.clone(), now);
        c.next_ts += 1;
        ts = format!("1763377200.{:06}", c.next_ts);
        c.posts.push(Post {
            channel: channel.clone(),
            ts: ts.clone(),
            body: body.clone(),
            at: now,
        });
    });
    if let Some(retry) = limited {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [
                ("retry-after", retry.to_string()),
                ("content-type", "application/json".to_string()),
            ],
            json!({"ok": false, "error": "ratelimited"}).to_string(),
        )
            .into_response();
    }
    Json(json!({"ok": true, "channel": channel, "ts": ts, "message": {"text": body["text"]}}))
        .into_response()
}

async fn update(State(s): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    let channel = body["channel"].as_str().unwrap_or_default().to_string();
    let ts = body["ts"].as_str().unwrap_or_default().to_string();
    let known = s
        .calls
        .lock()
        .unwrap()
        .posts
        .iter()
        .any(|p| p.channel == channel && p.ts == ts);
    if !known {
        return fail("message_not_found");
    }
    s.record(|c| {
        c.updates.push(Post {
            channel: channel.clone(),
            ts: ts.clone(),
            body: body.clone(),
            at: Instant::now(),
        })
    });
    Json(json!({"ok": true, "channel": channel, "ts": ts, "text": body["text"]})).into_response()
}

async fn lookup_by_email(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    s.record(|c| c.lookups += 1);
    let email = q.get("email").cloned().unwrap_or_default();
    match user_for(&email) {
        Some(id) => Json(json!({"ok": true, "user": {"id": id, "profile": {"email": email}}}))
            .into_response(),
        None => fail("users_not_found"),
    }
}

/// `users.info` knows the people of the test team by their fake ids.
async fn users_info(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    let user = q.get("user").cloned().unwrap_or_default();
    let email = ["root", "boss", "ann", "bob"]
        .iter()
        .map(|n| format!("{n}@acme.test"))
        .chain((0..100).map(|i| format!("rep{i}@acme.test")))
        .find(|e| user_for(e).as_deref() == Some(user.as_str()))
        .unwrap_or_else(|| format!("{}@elsewhere.test", user.to_lowercase()));
    Json(json!({"ok": true, "user": {"id": user, "profile": {"email": email}}})).into_response()
}

async fn conversations_open(headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    let user = body["users"].as_str().unwrap_or_default();
    Json(json!({"ok": true, "channel": {"id": format!("D{user}")}})).into_response()
}

async fn views_open(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    s.record(|c| c.views.push(body.clone()));
    Json(json!({"ok": true, "view": {"id": "V1"}})).into_response()
}

async fn connections_open(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if !authorized(&headers, APP_TOKEN) {
        return fail("invalid_auth");
    }
    let url = format!("{}/socket", s.base.replacen("http://", "ws://", 1));
    Json(json!({"ok": true, "url": url})).into_response()
}

async fn get_upload_url(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    let filename = q.get("filename").cloned().unwrap_or_default();
    let Some(length) = q.get("length").and_then(|l| l.parse::<usize>().ok()) else {
        return fail("invalid_arguments");
    };
    let mut limited = None;
    let mut file_id = String::new();
    s.record(|c| {
        if let Some((n, retry)) = c.rate_limit_files.filter(|(n, _)| *n > 0) {
            c.rate_limit_files = Some((n - 1, retry));
            c.rate_limited += 1;
            limited = Some(retry);
            return;
        }
        c.next_file += 1;
        file_id = format!("F{:04}", c.next_file);
        c.files.push(FileCall::GetUploadUrl {
            filename: filename.clone(),
            length,
            file_id: file_id.clone(),
        });
    });
    if let Some(retry) = limited {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [
                ("retry-after", retry.to_string()),
                ("content-type", "application/json".to_string()),
            ],
            json!({"ok": false, "error": "ratelimited"}).to_string(),
        )
            .into_response();
    }
    let upload_url = format!("{}/upload/{file_id}", s.base);
    Json(json!({"ok": true, "upload_url": upload_url, "file_id": file_id})).into_response()
}

/// The upload URL: Slack answers plain text.
async fn upload(
    State(s): State<Shared>,
    Path(file_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let mut failed = false;
    s.record(|c| {
        if c.fail_uploads > 0 {
            c.fail_uploads -= 1;
            failed = true;
        } else {
            c.files.push(FileCall::Upload {
                file_id: file_id.clone(),
                bytes: body.to_vec(),
            });
        }
    });
    if failed {
        return (StatusCode::INTERNAL_SERVER_ERROR, "upload broke").into_response();
    }
    format!("OK - {}", body.len()).into_response()
}

/// The channels the fake's workspace has (name → `C` + the name in capitals), two per page
/// whatever the limit, as Slack may return fewer than asked: Baton must follow the cursor.
pub const CHANNELS: [&str; 5] = ["general", "leadership", "mql", "random", "sales"];

async fn conversations_list(
    State(s): State<Shared>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    s.record(|c| c.channel_lists += 1);
    let start: usize = query
        .get("cursor")
        .and_then(|c| c.strip_prefix("page-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let page: Vec<Value> = CHANNELS
        .iter()
        .skip(start)
        .take(2)
        .map(|name| json!({"id": format!("C{}", name.to_uppercase()), "name": name}))
        .collect();
    let next = if start + 2 < CHANNELS.len() {
        format!("page-{}", start + 2)
    } else {
        String::new()
    };
    Json(json!({"ok": true, "channels": page, "response_metadata": {"next_cursor": next}}))
        .into_response()
}

async fn complete_upload(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers, BOT_TOKEN) {
        return fail("invalid_auth");
    }
    let files: Vec<(String, String)> = body["files"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or_default().to_string(),
                f["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let uploaded = {
        let calls = s.calls.lock().unwrap();
        files.iter().all(|(id, _)| {
            calls
                .files
                .iter()
                .any(|c| matches!(c, FileCall::Upload { file_id, .. } if file_id == id))
        })
    };
    if files.is_empty() || !uploaded {
        return fail("invalid_arguments");
    }
    // Slack takes a channel id here, never a name.
    let channel_id = body["channel_id"].as_str().unwrap_or_default().to_string();
    if channel_id.starts_with('#') {
        return fail("invalid_channel");
    }
    s.record(|c| {
        c.files.push(FileCall::Complete {
            channel_id,
            files: files.clone(),
            initial_comment: body["initial_comment"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        })
    });
    let shared: Vec<Value> = files
        .iter()
        .map(|(id, title)| json!({"id": id, "title": title}))
        .collect();
    Json(json!({"ok": true, "files": shared})).into_response()
}

async fn respond(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> &'static str {
    s.record(|c| c.responses.push(json!({"id": id, "body": body})));
    "ok"
}

async fn socket(State(s): State<Shared>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |ws| serve_socket(s, ws))
}

/// Control words on the envelope channel, never sent to the client as they are.
const SAY_DISCONNECT: &str = "__disconnect__";
const DROP: &str = "__drop__";

async fn serve_socket(s: Shared, mut ws: WebSocket) {
    let mut envelopes = s.envelopes.subscribe();
    // The hello of Slack's Socket Mode documentation.
    let hello = json!({
        "type": "hello",
        "num_connections": 1,
        "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
        "connection_info": {"app_id": "AFAKE"},
    });
    if ws
        .send(Frame::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    // What was sent before and never acknowledged comes again, marked as a retry.
    let mut again = Vec::new();
    s.record(|c| {
        c.sockets_opened += 1;
        for envelope in c.unacked.iter_mut() {
            let attempt = envelope["retry_attempt"].as_u64().unwrap_or(0) + 1;
            envelope["retry_attempt"] = json!(attempt);
            envelope["retry_reason"] = json!("timeout");
            again.push(envelope.to_string());
        }
        c.redelivered += again.len() as u64;
    });
    for text in again {
        if ws.send(Frame::Text(text.into())).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            envelope = envelopes.recv() => match envelope {
                Ok(text) if text == SAY_DISCONNECT => {
                    let bye = json!({
                        "type": "disconnect",
                        "reason": "refresh_requested",
                        "debug_info": {"host": "applink-fake"},
                    });
                    let _ = ws.send(Frame::Text(bye.to_string().into())).await;
                    let _ = ws.send(Frame::Close(None)).await;
                    return;
                }
                // Dropping the socket without a close frame.
                Ok(text) if text == DROP => return,
                Ok(text) => if ws.send(Frame::Text(text.into())).await.is_err() { return },
                Err(_) => return,
            },
            frame = ws.recv() => match frame {
                Some(Ok(Frame::Text(text))) => {
                    let ack: Value = serde_json::from_str(text.as_str()).unwrap();
                    s.record(|c| {
                        c.unacked.retain(|e| e["envelope_id"] != ack["envelope_id"]);
                        c.acks.push(ack);
                    });
                }
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}
