//! Discord's REST API, built once. Requests are made by serenity (its `Route`s, its `Http`
//! for the token and `[discord] api_url` as the proxy) and sent here, because serenity's
//! `Http` drops the body of an error answer, and with it a 429's `retry_after`. Messages
//! with files go as multipart (serenity's `Multipart`: `payload_json` and `files[n]`).
//!
//! serenity's own rate limiter is off: it would sleep on the wall clock out of the
//! dispatcher's sight. A 429 comes back as a [`RestError`] with the wait Discord asked
//! for, and the dispatcher, the one place that paces every platform, honours it.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use serenity::builder::CreateAttachment;
use serenity::http::{Http, HttpBuilder, LightMethod, Multipart, MultipartUpload, Request, Route};
use serenity::model::id::ApplicationId;

use crate::engine::platform::SendError;

/// Discord's own address; any other `api_url` is used as a proxy (tests use a fake).
pub const DISCORD: &str = "https://discord.com";

/// A failed REST call, in words that may be logged (never the request body).
#[derive(Debug, Clone, PartialEq)]
pub struct RestError {
    /// The HTTP status, or `None` when Discord was not reached.
    pub status: Option<u16>,
    /// Discord's JSON error code (e.g. 50007: cannot send messages to this user).
    pub code: Option<i64>,
    pub message: String,
    pub retry_after: Option<Duration>,
}

impl std::fmt::Display for RestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.status, self.code) {
            (Some(status), Some(code)) => write!(
                f,
                "Discord answered {status} (code {code}: {})",
                self.message
            ),
            (Some(status), None) => write!(f, "Discord answered {status}: {}", self.message),
            (None, _) => write!(f, "cannot reach Discord: {}", self.message),
        }
    }
}

impl std::error::Error for RestError {}

impl RestError {
    /// The dispatcher's view: 429 waits as asked, 5xx and network errors are retried,
    /// other 4xx (unknown channel, DMs closed, missing access) cannot succeed.
    pub fn into_send_error(self) -> SendError {
        let permanent = matches!(self.status, Some(400..=499) if self.status != Some(429));
        SendError {
            reason: self.to_string(),
            retry_after: self.retry_after,
            permanent,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status == Some(404)
    }
}

pub struct Rest {
    http: Arc<Http>,
    client: reqwest::Client,
    token: String,
    api_url: String,
}

impl Rest {
    pub fn new(token: &str, api_url: &str) -> anyhow::Result<Rest> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the HTTP client for Discord: {e}"))?;
        Ok(Rest {
            http: Arc::new(build_http(token, api_url, None)),
            client,
            token: token.to_string(),
            api_url: api_url.to_string(),
        })
    }

    /// A serenity `Http` with Baton's settings, for the gateway client.
    pub fn gateway_http(&self, application_id: Option<u64>) -> Http {
        build_http(&self.token, &self.api_url, application_id)
    }

    /// Calls Discord; returns the JSON answer (`null` for 204).
    pub async fn call(
        &self,
        route: Route<'_>,
        method: LightMethod,
        body: Option<&Value>,
    ) -> Result<Value, RestError> {
        let bytes = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| transport(format!("cannot encode a request: {e}")))?;
        self.execute(Request::new(route, method).body(bytes)).await
    }

    /// Calls Discord with a multipart body: `payload` as `payload_json` and each file as
    /// `files[n]` (Create Message with attachments).
    pub async fn call_with_files(
        &self,
        route: Route<'_>,
        method: LightMethod,
        payload: &Value,
        files: Vec<CreateAttachment>,
    ) -> Result<Value, RestError> {
        let multipart = Multipart {
            upload: MultipartUpload::Attachments(files),
            fields: Vec::new(),
            payload_json: Some(payload.to_string()),
        };
        self.execute(Request::new(route, method).multipart(Some(multipart)))
            .await
    }

    async fn execute(&self, request: Request<'_>) -> Result<Value, RestError> {
        let builder = request
            .build(&self.client, self.http.token(), self.http.proxy.as_deref())
            .map_err(|e| transport(format!("cannot build a request: {e}")))?;
        let request = builder
            .build()
            .map_err(|e| transport(format!("cannot build a request: {}", e.without_url())))?;
        let response = self
            .client
            .execute(request)
            .await
            .map_err(|e| transport(e.without_url().to_string()))?;
        let status = response.status();
        let header_wait = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok());
        let text = response
            .text()
            .await
            .map_err(|e| transport(e.without_url().to_string()))?;
        let json: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        if status.is_success() {
            return Ok(json);
        }
        let retry_after = json["retry_after"]
            .as_f64()
            .or(header_wait)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        Err(RestError {
            status: Some(status.as_u16()),
            code: json["code"].as_i64(),
            message: json["message"]
                .as_str()
                .map(|m| m.chars().take(200).collect())
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string()),
            retry_after,
        })
    }
}

/// An error before Discord answered.
fn transport(message: String) -> RestError {
    RestError {
        status: None,
        code: None,
        message,
        retry_after: None,
    }
}

fn build_http(token: &str, api_url: &str, application_id: Option<u64>) -> Http {
    let mut builder = HttpBuilder::new(token).ratelimiter_disabled(true);
    let api_url = api_url.trim_end_matches('/');
    if api_url != DISCORD {
        builder = builder.proxy(api_url);
    }
    if let Some(id) = application_id.filter(|id| *id != 0) {
        builder = builder.application_id(ApplicationId::new(id));
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16, retry_after: Option<f64>) -> RestError {
        RestError {
            status: Some(status),
            code: None,
            message: "x".into(),
            retry_after: retry_after.map(Duration::from_secs_f64),
        }
    }

    #[test]
    fn statuses_map_to_retries() {
        let limited = error(429, Some(1.5)).into_send_error();
        assert_eq!(limited.retry_after, Some(Duration::from_millis(1500)));
        assert!(!limited.permanent);
        assert!(error(403, None).into_send_error().permanent);
        assert!(error(404, None).into_send_error().permanent);
        assert!(!error(502, None).into_send_error().permanent);
        let offline = RestError {
            status: None,
            code: None,
            message: "refused".into(),
            retry_after: None,
        };
        assert!(!offline.into_send_error().permanent);
    }
}
