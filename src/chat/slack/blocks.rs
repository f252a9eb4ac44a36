//! The neutral [`Message`] as Slack Block Kit JSON: a header, the fields in two columns,
//! the free text, and the alert's buttons (the rating as a 1–5 select). Also the Reject
//! modal. Pure functions, checked against the golden files in `tests/golden/slack/`.
//!
//! Every action id carries the action and the lead: `baton:ack:12`. Text that comes from
//! other systems (lead names, notes) is escaped, so a `<` in a company name cannot turn
//! into a Slack mention or link.

use serde_json::{Value, json};

use crate::chat::message::{Action, Message};
use crate::config::REJECT_REASONS;

/// Slack's limits, from the Block Kit reference.
const HEADER_MAX: usize = 150;
const FIELD_MAX: usize = 2000;
const SECTION_TEXT_MAX: usize = 3000;
const FIELDS_PER_SECTION: usize = 10;
/// The fallback text of a notification.
const FALLBACK_MAX: usize = 4000;

/// The callback id of the Reject modal.
pub const REJECT_CALLBACK: &str = "baton_reject";

/// `&`, `<` and `>` as Slack wants them in text it formats.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// At most `max` characters, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn plain(text: &str) -> Value {
    json!({"type": "plain_text", "text": text, "emoji": true})
}

fn mrkdwn(text: &str) -> Value {
    json!({"type": "mrkdwn", "text": text})
}

/// `baton:ack:12`.
pub fn action_id(action: Action, lead_id: i64) -> String {
    format!("baton:{}:{lead_id}", action.as_str())
}

/// The action and lead of an action id made by [`action_id`].
pub fn parse_action_id(id: &str) -> Option<(Action, i64)> {
    let mut parts = id.split(':');
    if parts.next()? != "baton" {
        return None;
    }
    let action = match parts.next()? {
        "ack" => Action::Ack,
        "accept" => Action::Accept,
        "reject" => Action::Reject,
        "rate" => Action::Rate,
        _ => return None,
    };
    let lead = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((action, lead))
}

/// The notification text shown where blocks are not (push notifications, old clients).
pub fn fallback_text(message: &Message) -> String {
    cut(&message.title, FALLBACK_MAX)
}

/// The blocks of a message: header, fields, text, buttons.
pub fn render(message: &Message) -> Vec<Value> {
    let mut blocks =
        vec![json!({"type": "header", "text": plain(&cut(&message.title, HEADER_MAX))})];
    for chunk in message.fields.chunks(FIELDS_PER_SECTION) {
        let fields: Vec<Value> = chunk
            .iter()
            .map(|f| {
                mrkdwn(&cut(
                    &format!("*{}*\n{}", escape(&f.label), escape(&f.value)),
                    FIELD_MAX,
                ))
            })
            .collect();
        blocks.push(json!({"type": "section", "fields": fields}));
    }
    if let Some(text) = message.text.as_deref().filter(|t| !t.trim().is_empty()) {
        blocks.push(
            json!({"type": "section", "text": mrkdwn(&cut(&escape(text), SECTION_TEXT_MAX))}),
        );
    }
    if let (Some(lead), false) = (message.lead_id, message.actions.is_empty()) {
        blocks.push(actions(&message.actions, lead));
    }
    blocks
}

/// A reply to one person: like [`render`], with the title as bold text instead of a
/// header.
pub fn render_reply(message: &Message) -> Vec<Value> {
    let mut blocks = render(message);
    blocks[0] = json!({"type": "section", "text": mrkdwn(&cut(&format!("*{}*", escape(&message.title)), SECTION_TEXT_MAX))});
    blocks
}

/// An alert edited in place after a change: the original alert with the change noted
/// under its header and only the buttons still useful.
pub fn render_update(alert: &Message, update: &Message) -> Vec<Value> {
    let edited = Message {
        actions: update.actions.clone(),
        ..alert.clone()
    };
    let mut blocks = render(&edited);
    let note = json!({"type": "context", "elements": [mrkdwn(&format!(":white_check_mark: {}", escape(&update.title)))]});
    blocks.insert(1, note);
    blocks
}

/// A message meant for a person Slack does not know, posted in a channel instead.
pub fn render_for_absent(message: &Message, person: &str) -> Vec<Value> {
    let mut blocks = render(message);
    let note = json!({"type": "context", "elements": [mrkdwn(&format!(
        "For {}, who could not be found on Slack (set `slack_id` in their [[person]]).",
        escape(person)
    ))]});
    blocks.insert(1, note);
    blocks
}

fn actions(list: &[Action], lead: i64) -> Value {
    let elements: Vec<Value> = list
        .iter()
        .map(|&action| match action {
            Action::Rate => json!({
                "type": "static_select",
                "action_id": action_id(action, lead),
                "placeholder": plain("Rate 1–5"),
                "options": (1..=5).map(|n| json!({
                    "text": plain(&format!("{n} {}", "★".repeat(n))),
                    "value": n.to_string(),
                })).collect::<Vec<_>>(),
            }),
            _ => {
                let mut button = json!({
                    "type": "button",
                    "action_id": action_id(action, lead),
                    "text": plain(action.label()),
                    "value": lead.to_string(),
                });
                match action {
                    Action::Ack => button["style"] = json!("primary"),
                    Action::Reject => button["style"] = json!("danger"),
                    _ => {}
                }
                button
            }
        })
        .collect();
    json!({"type": "actions", "block_id": format!("baton_actions_{lead}"), "elements": elements})
}

/// A reject reason as people read it: `no_budget` → "No budget".
fn reason_label(reason: &str) -> String {
    let text = reason.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// The Reject modal: a required reason and an optional note. Its submission carries the
/// lead id in `private_metadata`.
pub fn reject_modal(lead: i64) -> Value {
    let options: Vec<Value> = REJECT_REASONS
        .iter()
        .map(|r| json!({"text": plain(&reason_label(r)), "value": r}))
        .collect();
    json!({
        "type": "modal",
        "callback_id": REJECT_CALLBACK,
        "private_metadata": lead.to_string(),
        "title": plain(&format!("Reject lead #{lead}")),
        "submit": plain("Reject"),
        "close": plain("Cancel"),
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": plain("Reason"),
                "element": {
                    "type": "static_select",
                    "action_id": "reason",
                    "placeholder": plain("Why is this lead not for sales?"),
                    "options": options,
                },
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": true,
                "label": plain("Note"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "note",
                    "multiline": true,
                    "max_length": 500,
                },
            },
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_ids_round_trip() {
        for action in Action::ALL {
            assert_eq!(parse_action_id(&action_id(action, 42)), Some((action, 42)));
        }
        for bad in [
            "",
            "baton",
            "baton:ack",
            "baton:ack:x",
            "other:ack:1",
            "baton:ack:1:2",
        ] {
            assert_eq!(parse_action_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn text_from_other_systems_is_escaped_and_cut() {
        let message = Message::new("x".repeat(200)).field("Company", "<!channel> & co");
        let blocks = render(&message);
        assert_eq!(
            blocks[0]["text"]["text"].as_str().unwrap().chars().count(),
            HEADER_MAX
        );
        assert_eq!(
            blocks[1]["fields"][0]["text"],
            "*Company*\n&lt;!channel&gt; &amp; co"
        );
    }

    #[test]
    fn reasons_read_like_words() {
        assert_eq!(reason_label("no_budget"), "No budget");
        assert_eq!(reason_label("spam"), "Spam");
    }
}
