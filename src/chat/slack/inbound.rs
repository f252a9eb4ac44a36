//! What people do in Slack, turned into chat commands: slash commands (`/lead`, `/funnel`,
//! `/sla`, `/baton`), the alert's buttons and rating select, and the Reject and Contacted
//! modals. The same functions serve the HTTP routes and Socket Mode; each returns the body
//! of the immediate answer (or the Socket Mode acknowledgement's payload), if any.
//!
//! Slack wants an answer within 3 s. A slash command waits up to [`REPLY_WITHIN`] for its
//! reply; slower work goes on in the background and replies through `response_url`.
//! Buttons are acknowledged at once and reply through `response_url`. Every reply to a
//! person is ephemeral; a report asked for with `share` is posted to the channel through
//! the outbox instead. A delivery Slack retries (same trigger or event id) is acknowledged
//! and not run again, also after a restart (the ids are kept in the database).
//!
//! It must not log payloads: only ids, the command word and outcomes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tracing::{debug, error, info, warn};

use super::Slack;
use super::blocks::{self, CONTACTED_CALLBACK, REJECT_CALLBACK};
use crate::engine::{Ctx, actions};
use crate::i18n::{Locale, t, tr};
use crate::message::compose;
use crate::message::{Action, Message};

/// How long a slash command may take before Baton answers "working on it" and replies
/// later through `response_url`.
pub const REPLY_WITHIN: Duration = Duration::from_millis(2500);

/// The slash commands Baton answers.
pub const COMMANDS: [&str; 4] = ["/lead", "/funnel", "/sla", "/baton"];

/// An ephemeral answer to a slash command.
fn ephemeral(message: &Message) -> Value {
    json!({
        "response_type": "ephemeral",
        "text": blocks::fallback_text(message),
        "blocks": blocks::render_reply(message),
    })
}

fn say(text: &str) -> Value {
    ephemeral(&compose::reply(text))
}

fn field<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(value, |v, key| v.get(key))
        .and_then(Value::as_str)
}

/// The language of a Slack user known by id alone (before their email is known): their
/// person's by `slack_id` in the config, else `[reporting] locale`.
fn locale_of_user(ctx: &Ctx, user_id: &str) -> Locale {
    let directory = &ctx.config.directory;
    directory
        .people
        .iter()
        .find(|p| p.slack_id.as_deref() == Some(user_id))
        .map_or(ctx.config.reporting_locale, |p| {
            directory.locale_of_person(&p.email, ctx.config.reporting_locale)
        })
}

/// The person behind a Slack user id, or the ephemeral text that says why not (in the
/// language the config gives that user).
async fn actor(ctx: &Ctx, slack: &Slack, user_id: &str) -> Result<String, String> {
    let l = locale_of_user(ctx, user_id);
    match slack.email_of(user_id).await {
        Ok(Some(email)) => Ok(email),
        Ok(None) => Err(t(l, "notice-slack-no-email")),
        Err(e) => {
            warn!(user = user_id, error = %format!("{e:#}"), "cannot find who sent a Slack command");
            Err(t(l, "notice-slack-unreachable"))
        }
    }
}

/// Runs a command as `email`; internal errors are logged once, here, and the person is
/// told something went wrong. A report the person asked to share (`share`) is posted to
/// `channel` through the outbox, and the person is told so; every other answer is theirs
/// alone.
async fn run(ctx: &Ctx, email: &str, text: &str, channel: &str) -> Message {
    let l = actions::locale_of_actor(ctx, email);
    match actions::execute(ctx, email, text).await {
        Ok(mut reply) => {
            debug!(actor = email, ok = reply.ok, "Slack command answered");
            let shared = reply.ok && reply.public && !channel.is_empty();
            let chart_to = if shared { channel } else { email };
            if let Err(e) =
                crate::engine::send_chart_apart(ctx, "slack", chart_to, &mut reply.message).await
            {
                error!(actor = email, error = %format!("{e:#}"), "cannot queue a chart");
            }
            if !shared {
                return reply.message;
            }
            let target = [("slack".to_string(), channel.to_string())];
            match crate::engine::queue_reply(ctx, &target, &reply.message).await {
                Ok(()) => compose::reply(t(l, "notice-shared")),
                Err(e) => {
                    error!(actor = email, error = %format!("{e:#}"), "cannot share a report");
                    compose::reply(t(l, "notice-share-failed"))
                }
            }
        }
        Err(e) => {
            error!(actor = email, error = %format!("{e:#}"), "a Slack command failed");
            compose::reply(t(l, "notice-failed"))
        }
    }
}

/// A slash command: the form Slack sends (`command`, `text`, `user_id`, `response_url`,
/// `trigger_id`).
pub async fn command(
    ctx: &Ctx,
    slack: &Arc<Slack>,
    form: &HashMap<String, String>,
) -> Option<Value> {
    let get = |key: &str| form.get(key).map(String::as_str).unwrap_or_default();
    let word = get("command");
    let trigger = get("trigger_id");
    if !trigger.is_empty()
        && !slack
            .first_time(&format!("trigger:{trigger}"), ctx.clock.now())
            .await
    {
        info!(command = word, "dropped a retried Slack command");
        return None;
    }
    if !COMMANDS.contains(&word) {
        let l = locale_of_user(ctx, get("user_id"));
        return Some(say(&tr(
            l,
            "notice-unknown-command",
            &[("command", word.into())],
        )));
    }
    let email = match actor(ctx, slack, get("user_id")).await {
        Ok(email) => email,
        Err(why) => return Some(say(&why)),
    };
    let text = format!("{word} {}", get("text")).trim().to_string();
    let channel = get("channel_id").to_string();
    let l = actions::locale_of_actor(ctx, &email);
    let task = tokio::spawn({
        let ctx = ctx.clone();
        let email = email.clone();
        async move { run(&ctx, &email, &text, &channel).await }
    });
    let mut task = task;
    match tokio::time::timeout(REPLY_WITHIN, &mut task).await {
        Ok(Ok(message)) => Some(ephemeral(&message)),
        Ok(Err(e)) => {
            error!(error = %e, "a Slack command task failed");
            Some(say(&t(l, "notice-failed-short")))
        }
        Err(_) => {
            let response_url = get("response_url").to_string();
            let slack = slack.clone();
            tokio::spawn(async move {
                match task.await {
                    Ok(message) => reply_later(&slack, &response_url, &message).await,
                    Err(e) => error!(error = %e, "a slow Slack command failed"),
                }
            });
            Some(say(&t(l, "notice-working")))
        }
    }
}

async fn reply_later(slack: &Slack, response_url: &str, message: &Message) {
    if response_url.is_empty() {
        return;
    }
    if let Err(e) = slack.respond(response_url, message).await {
        warn!(error = %format!("{e:#}"), "cannot send a reply to Slack");
    }
}

/// An interaction payload (`block_actions` from the buttons, `view_submission` from the
/// Reject and Contacted modals).
pub async fn interaction(ctx: &Ctx, slack: &Arc<Slack>, payload: &Value) -> Option<Value> {
    let kind = field(payload, &["type"]).unwrap_or_default();
    let trigger = field(payload, &["trigger_id"]).unwrap_or_default();
    if !trigger.is_empty()
        && !slack
            .first_time(&format!("trigger:{trigger}"), ctx.clock.now())
            .await
    {
        info!(kind, "dropped a retried Slack interaction");
        return None;
    }
    match kind {
        "block_actions" => {
            block_action(ctx, slack, payload).await;
            None
        }
        "view_submission" => match field(payload, &["view", "callback_id"]) {
            Some(REJECT_CALLBACK) => reject_submitted(ctx, slack, payload).await,
            Some(CONTACTED_CALLBACK) => contacted_submitted(ctx, slack, payload).await,
            _ => None,
        },
        _ => None,
    }
}

async fn block_action(ctx: &Ctx, slack: &Arc<Slack>, payload: &Value) {
    let Some(first) = payload.get("actions").and_then(|a| a.get(0)) else {
        return;
    };
    let Some((action, lead)) = field(first, &["action_id"]).and_then(blocks::parse_action_id)
    else {
        return;
    };
    let user = field(payload, &["user", "id"])
        .unwrap_or_default()
        .to_string();
    let response_url = field(payload, &["response_url"])
        .unwrap_or_default()
        .to_string();
    // The modal opens before anything else (the trigger lives about 3 s): its language
    // comes from the config alone, by Slack id.
    let locale = locale_of_user(ctx, &user);
    let modal = match action {
        Action::Reject => Some((
            blocks::reject_modal(locale, lead),
            format!("/lead reject {lead} REASON [note]"),
        )),
        Action::Contacted => Some((
            blocks::contacted_modal(locale, lead),
            format!("/lead contacted {lead} [note]"),
        )),
        _ => None,
    };
    if let Some((view, instead)) = modal {
        // The trigger id lives about 3 s: open the modal before anything else.
        let trigger = field(payload, &["trigger_id"]).unwrap_or_default();
        if let Err(e) = slack.open_view(trigger, view).await {
            warn!(lead, action = action.as_str(), error = %format!("{e:#}"), "cannot open a modal");
            let slack = slack.clone();
            tokio::spawn(async move {
                let message =
                    compose::reply(tr(locale, "notice-no-form", &[("instead", instead.into())]));
                reply_later(&slack, &response_url, &message).await;
            });
        }
        return;
    }
    let text = match action {
        Action::Reject | Action::Contacted => return,
        Action::Rate => match field(first, &["selected_option", "value"]) {
            Some(stars) => format!("/lead rate {lead} {stars}"),
            None => return,
        },
        Action::Ack | Action::Accept => format!("/lead {} {lead}", action.as_str()),
    };
    let (ctx, slack) = (ctx.clone(), slack.clone());
    tokio::spawn(async move {
        let message = match actor(&ctx, &slack, &user).await {
            Ok(email) => run(&ctx, &email, &text, "").await,
            Err(why) => compose::reply(why),
        };
        reply_later(&slack, &response_url, &message).await;
    });
}

/// The Reject modal's submission: runs `/lead reject LEAD REASON note`.
async fn reject_submitted(ctx: &Ctx, slack: &Arc<Slack>, payload: &Value) -> Option<Value> {
    let view = payload.get("view")?;
    let lead = field(view, &["private_metadata"]).unwrap_or_default();
    let values = view.get("state").and_then(|s| s.get("values"));
    let reason = values
        .and_then(|v| field(v, &["reason", "reason", "selected_option", "value"]))
        .unwrap_or_default();
    let text = format!("/lead reject {lead} {reason} {}", modal_note(values));
    submitted(ctx, slack, payload, text.trim(), "reason").await
}

/// The Contacted modal's submission: runs `/lead contacted LEAD note` (the note optional).
async fn contacted_submitted(ctx: &Ctx, slack: &Arc<Slack>, payload: &Value) -> Option<Value> {
    let view = payload.get("view")?;
    let lead = field(view, &["private_metadata"]).unwrap_or_default();
    let values = view.get("state").and_then(|s| s.get("values"));
    let text = format!("/lead contacted {lead} {}", modal_note(values));
    submitted(ctx, slack, payload, text.trim(), "note").await
}

/// The modal's note on one line (the grammar's note is the rest of the line).
fn modal_note(values: Option<&Value>) -> String {
    values
        .and_then(|v| field(v, &["note", "note", "value"]))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a modal's command as the person who submitted it. A refusal is shown in the modal,
/// under the block `error_block`; success closes it (the alert is updated in place).
async fn submitted(
    ctx: &Ctx,
    slack: &Arc<Slack>,
    payload: &Value,
    text: &str,
    error_block: &str,
) -> Option<Value> {
    let errors = |why: String| json!({"response_action": "errors", "errors": {error_block: why}});
    let user = field(payload, &["user", "id"]).unwrap_or_default();
    let email = match actor(ctx, slack, user).await {
        Ok(email) => email,
        Err(why) => return Some(errors(why)),
    };
    let l = actions::locale_of_actor(ctx, &email);
    let mut task = tokio::spawn({
        let ctx = ctx.clone();
        let text = text.to_string();
        async move { actions::execute(&ctx, &email, &text).await }
    });
    match tokio::time::timeout(REPLY_WITHIN, &mut task).await {
        Ok(Ok(Ok(reply))) if reply.ok => None,
        Ok(Ok(Ok(reply))) => Some(errors(reply.message.plain_text())),
        Ok(Ok(Err(e))) => {
            error!(error = %format!("{e:#}"), "a Slack modal submission failed");
            Some(errors(t(l, "notice-failed-form")))
        }
        Ok(Err(e)) => {
            error!(error = %e, "a Slack modal submission task failed");
            None
        }
        Err(_) => {
            // Still running: let the modal close; the alert is updated when it is done.
            tokio::spawn(async move {
                if let Ok(Err(e)) = task.await {
                    error!(error = %format!("{e:#}"), "a slow Slack modal submission failed");
                }
            });
            None
        }
    }
}

/// An Events API delivery: the URL check is answered; other events are acknowledged
/// (Baton acts on commands and interactions only).
pub async fn event(ctx: &Ctx, slack: &Arc<Slack>, body: &Value) -> Option<Value> {
    match field(body, &["type"]) {
        Some("url_verification") => {
            Some(json!({"challenge": field(body, &["challenge"]).unwrap_or_default()}))
        }
        Some("event_callback") => {
            let id = field(body, &["event_id"]).unwrap_or_default();
            if id.is_empty()
                || slack
                    .first_time(&format!("event:{id}"), ctx.clock.now())
                    .await
            {
                debug!(
                    event = id,
                    kind = field(body, &["event", "type"]).unwrap_or("?"),
                    "Slack event ignored"
                );
            }
            None
        }
        _ => None,
    }
}
