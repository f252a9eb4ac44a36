//! The Slack side of the harness, for an app built with `.fake_slack()`: the fake's
//! config and secrets, signed requests to Baton's Slack routes, and the payloads Slack
//! sends (form bodies, button clicks).

use std::collections::HashMap;

use hmac::{KeyInit, Mac};
use serde_json::{Value, json};

use super::TestApp;
use crate::fake_slack::{APP_TOKEN, BOT_TOKEN, Calls, FakeSlack, Post};

/// The signing secret Baton is given and the fake signs with.
pub const SECRET: &str = "test-signing-secret";

/// The `[slack]` table for Slack in `mode` pointed at `fake`, with `extra` keys.
pub(super) fn config(fake: &FakeSlack, mode: &str, extra: &str) -> String {
    format!(
        "\n[slack]\nenabled = true\nmode = \"{mode}\"\napi_url = \"{}\"\n{extra}\n",
        fake.api_url()
    )
}

/// The Slack secrets, as the environment gives them.
pub fn env() -> HashMap<String, String> {
    [
        ("SLACK_BOT_TOKEN", BOT_TOKEN),
        ("SLACK_SIGNING_SECRET", SECRET),
        ("SLACK_APP_TOKEN", APP_TOKEN),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `app.slack()`: the fake and the requests Slack would make to Baton.
pub struct Slack<'a> {
    pub(super) app: &'a TestApp,
    pub fake: &'a FakeSlack,
}

impl Slack<'_> {
    /// POSTs `body` to `path` signed with `secret` (unsigned if `None`) at `timestamp`,
    /// as Slack's `retry` if given.
    pub async fn post_signed(
        &self,
        path: &str,
        body: &str,
        secret: Option<&str>,
        timestamp: i64,
        retry: Option<u32>,
    ) -> reqwest::Response {
        let mut request = self
            .app
            .http
            .post(format!("http://{}{path}", self.app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-slack-request-timestamp", timestamp.to_string())
            .body(body.to_string());
        if let Some(secret) = secret {
            request = request.header("x-slack-signature", sign(secret, timestamp, body));
        }
        if let Some(n) = retry {
            request = request.header("x-slack-retry-num", n.to_string());
        }
        request.send().await.unwrap()
    }

    /// POSTs `body` to `path`, correctly signed now.
    pub async fn post(&self, path: &str, body: &str) -> reqwest::Response {
        self.post_signed(
            path,
            body,
            Some(SECRET),
            self.app.clock.now().timestamp(),
            None,
        )
        .await
    }

    /// Waits until the fake has seen `done`, and whenever a send fails, moves Baton's
    /// manual clock on to when every message put back is due again (a 429's Retry-After,
    /// a backoff), as time would pass: no real sleep, no ticker.
    pub async fn wait_retrying(&self, what: &str, mut done: impl FnMut(&Calls) -> bool) {
        let ctx = &self.app.ctx;
        let mut failures = ctx.stats.now().send_failures;
        loop {
            tokio::select! {
                _ = self.fake.wait(what, &mut done) => return,
                seen = ctx.stats.wait_for(|c| c.send_failures > failures) => {
                    failures = seen.send_failures;
                    let due: Option<String> = sqlx::query_scalar(
                        "SELECT MAX(next_attempt_at) FROM outbox WHERE status = 'pending'",
                    )
                    .fetch_one(&ctx.db.pool)
                    .await
                    .unwrap();
                    let due = due.map(|t| baton::store::parse_ts(&t).unwrap());
                    if let Some(due) = due.filter(|d| *d > self.app.clock.now()) {
                        self.app.clock.set(due);
                    }
                }
            }
        }
    }

    /// Ann's lead #1 comes in from the CRM; returns its alert once it reached her DM.
    pub async fn alerted(&self) -> Post {
        self.app.external(ANN_LEAD).await;
        self.fake.wait("the alert", |c| !c.posts.is_empty()).await;
        self.fake.posts().remove(0)
    }
}

/// Ann's lead #1, an MQL, as the CRM writes it.
pub const ANN_LEAD: &str =
    "INSERT INTO leads (external_id, name, company, source, stage, owner_email)
                        VALUES ('crm-1', 'Ina', 'Acme', 'webinar', 'mql', 'ann@acme.test')";

/// The `x-slack-signature` of `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

/// A form-encoded body, as Slack posts slash commands and interactions.
pub fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The interaction payload of `user` pressing the button `action_id`.
pub fn click(action_id: &str, user: &str, trigger: &str, response_url: &str) -> String {
    let payload = json!({
        "type": "block_actions",
        "user": {"id": user},
        "trigger_id": trigger,
        "response_url": response_url,
        "actions": [{"type": "button", "action_id": action_id, "value": "1"}],
    });
    form(&[("payload", &payload.to_string())])
}

/// The `action_id`s of a posted message's buttons.
pub fn action_ids(post: &Value) -> Vec<String> {
    post["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().unwrap().clone())
        .map(|e| e["action_id"].as_str().unwrap().to_string())
        .collect()
}
