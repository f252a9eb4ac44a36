//! Slack's HTTP mode: `POST /slack/commands`, `/slack/interactions` and `/slack/events`.
//! Every request must carry a valid v0 signature (HMAC-SHA256 with `SLACK_SIGNING_SECRET`
//! over `v0:{timestamp}:{raw body}`, timestamp within five minutes of Baton's clock);
//! otherwise the answer is 401 and nothing is read or changed. The requests are then
//! handed to `chat::slack::inbound`, which answers within Slack's 3 s.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{DateTime, Utc};
use hmac::{KeyInit, Mac};
use serde_json::Value;
use tracing::warn;

use crate::chat::slack::{self, Slack, inbound};
use crate::engine::Ctx;

/// How far a request's timestamp may be from Baton's clock.
const MAX_SKEW_SECS: i64 = 300;

pub fn routes() -> Router<Ctx> {
    Router::new()
        .route("/slack/commands", post(commands))
        .route("/slack/interactions", post(interactions))
        .route("/slack/events", post(events))
}

/// Checks a v0 signature: `signature` is the `X-Slack-Signature` header, `timestamp` the
/// `X-Slack-Request-Timestamp` header. The comparison takes constant time.
pub fn verify(
    secret: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> bool {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return false;
    };
    let Ok(seconds) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    if (now.timestamp() - seconds).abs() > MAX_SKEW_SECS {
        return false;
    }
    let Some(Ok(expected)) = signature.trim().strip_prefix("v0=").map(hex::decode) else {
        return false;
    };
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(b"v0:");
    mac.update(timestamp.trim().as_bytes());
    mac.update(b":");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The Slack platform, if the request is signed; else the response to give.
fn checked(
    ctx: &Ctx,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Arc<Slack>, (StatusCode, &'static str)> {
    let Some(platform) = slack::from_ctx(ctx) else {
        return Err((StatusCode::NOT_FOUND, "Slack is not enabled\n"));
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let signed = ctx
        .config
        .slack_signing_secret
        .as_ref()
        .is_some_and(|secret| {
            verify(
                secret.expose().as_bytes(),
                header("x-slack-request-timestamp"),
                header("x-slack-signature"),
                body,
                ctx.clock.now(),
            )
        });
    if !signed {
        warn!(
            has_signature = header("x-slack-signature").is_some(),
            "refused a Slack request with a bad, stale or missing signature"
        );
        return Err((StatusCode::UNAUTHORIZED, "bad Slack signature\n"));
    }
    Ok(platform)
}

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn answer(body: Option<Value>) -> Response {
    match body {
        Some(body) => Json(body).into_response(),
        None => StatusCode::OK.into_response(),
    }
}

async fn commands(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let slack = match checked(&ctx, &headers, &body) {
        Ok(slack) => slack,
        Err(refused) => return refused.into_response(),
    };
    answer(inbound::command(&ctx, &slack, &form(&body)).await)
}

async fn interactions(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let slack = match checked(&ctx, &headers, &body) {
        Ok(slack) => slack,
        Err(refused) => return refused.into_response(),
    };
    let payload = form(&body)
        .remove("payload")
        .and_then(|p| serde_json::from_str::<Value>(&p).ok());
    match payload {
        Some(payload) => answer(inbound::interaction(&ctx, &slack, &payload).await),
        None => (StatusCode::BAD_REQUEST, "expected a payload field\n").into_response(),
    }
}

async fn events(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let slack = match checked(&ctx, &headers, &body) {
        Ok(slack) => slack,
        Err(refused) => return refused.into_response(),
    };
    match serde_json::from_slice::<Value>(&body) {
        Ok(event) => answer(inbound::event(&ctx, &slack, &event).await),
        Err(_) => (StatusCode::BAD_REQUEST, "expected JSON\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const TIMESTAMP: &str = "1531420618";
    const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const SIGNATURE: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    fn check(secret: &str, timestamp: &str, signature: Option<&str>, body: &str, now: i64) -> bool {
        verify(
            secret.as_bytes(),
            Some(timestamp),
            signature,
            body.as_bytes(),
            at(now),
        )
    }

    #[test]
    fn slacks_documented_example_verifies() {
        assert!(check(SECRET, TIMESTAMP, Some(SIGNATURE), BODY, 1531420618));
        // Within five minutes either way.
        assert!(check(
            SECRET,
            TIMESTAMP,
            Some(SIGNATURE),
            BODY,
            1531420618 + 300
        ));
        assert!(check(
            SECRET,
            TIMESTAMP,
            Some(SIGNATURE),
            BODY,
            1531420618 - 300
        ));
    }

    #[test]
    fn anything_off_fails() {
        let now = 1531420618;
        assert!(
            !check(SECRET, TIMESTAMP, Some(SIGNATURE), BODY, now + 301),
            "stale"
        );
        assert!(
            !check(
                "0f742231b10e8888abcd99yyyzzz85a5",
                TIMESTAMP,
                Some(SIGNATURE),
                BODY,
                now
            ),
            "wrong secret"
        );
        assert!(
            !check(
                SECRET,
                TIMESTAMP,
                Some(SIGNATURE),
                &BODY.replace("text=", "text=x"),
                now
            ),
            "tampered body"
        );
        assert!(
            !check(SECRET, "1531420619", Some(SIGNATURE), BODY, now),
            "other timestamp"
        );
        assert!(!check(SECRET, TIMESTAMP, None, BODY, now), "missing");
        assert!(
            !check(
                SECRET,
                TIMESTAMP,
                Some(&SIGNATURE.replace("v0=", "v1=")),
                BODY,
                now
            ),
            "other version"
        );
        assert!(
            !check(SECRET, TIMESTAMP, Some("v0=zz"), BODY, now),
            "not hex"
        );
        assert!(
            !check(SECRET, "soon", Some(SIGNATURE), BODY, now),
            "not a number"
        );
    }
}
