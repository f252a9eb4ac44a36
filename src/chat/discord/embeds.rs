//! The neutral [`Message`] as Discord sees it: an embed (title, fields, description) with
//! an action row of buttons, and the interaction responses Baton answers with (replies,
//! deferrals, the Reject modal, the star buttons of Rate).
//!
//! Pure JSON building: no I/O. Discord's length limits are applied here, so a long lead
//! name or note can never make Discord refuse a message.
//!
//! A button's `custom_id` is `baton:ACTION:LEAD` (`baton:ack:12`); the star buttons of Rate
//! are `baton:stars:LEAD:N`.

use serde_json::{Value, json};

use crate::chat::message::{Action, Kind, Message};

/// `flags` value of an ephemeral message (only the person who acted sees it).
pub const EPHEMERAL: u64 = 64;

const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1024;
const FIELDS_MAX: usize = 25;
const CONTENT_MAX: usize = 2000;

/// What a button or modal asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Action(Action, i64),
    Stars(i64, u8),
}

/// `baton:ack:12` for the Acknowledge button of lead 12.
pub fn custom_id(action: Action, lead: i64) -> String {
    format!("baton:{}:{lead}", action.as_str())
}

/// Reads a `custom_id` written by [`custom_id`] or the star buttons.
pub fn parse_custom_id(id: &str) -> Option<Press> {
    let mut parts = id.split(':');
    if parts.next()? != "baton" {
        return None;
    }
    let what = parts.next()?;
    let lead: i64 = parts.next()?.parse().ok()?;
    let press = match what {
        "stars" => {
            let stars: u8 = parts.next()?.parse().ok()?;
            (1..=5)
                .contains(&stars)
                .then_some(Press::Stars(lead, stars))?
        }
        other => {
            let action = Action::ALL.into_iter().find(|a| a.as_str() == other)?;
            Press::Action(action, lead)
        }
    };
    parts.next().is_none().then_some(press)
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn color(kind: Kind) -> u32 {
    match kind {
        Kind::Alert => 0x5865F2,
        Kind::Reminder => 0xFEE75C,
        Kind::Escalation => 0xED4245,
        Kind::Update => 0x57F287,
        Kind::Reply | Kind::Digest => 0x99AAB5,
    }
}

/// The embed of a message.
pub fn embed(message: &Message, kind: Kind) -> Value {
    let fields: Vec<Value> = message
        .fields
        .iter()
        .take(FIELDS_MAX)
        .map(|f| {
            json!({
                "name": clip(&f.label, FIELD_NAME_MAX),
                "value": clip(&f.value, FIELD_VALUE_MAX),
                "inline": f.value.chars().count() <= 40,
            })
        })
        .collect();
    let mut embed = json!({
        "title": clip(&message.title, TITLE_MAX),
        "color": color(kind),
        "fields": fields,
    });
    if let Some(text) = &message.text {
        embed["description"] = json!(clip(text, DESCRIPTION_MAX));
    }
    if let Some(lead) = message.lead_id {
        embed["footer"] = json!({ "text": format!("Lead #{lead} · Baton") });
    }
    embed
}

/// The buttons of a message: one action row, or none.
pub fn components(message: &Message) -> Value {
    let Some(lead) = message.lead_id.filter(|_| !message.actions.is_empty()) else {
        return json!([]);
    };
    let buttons: Vec<Value> = message
        .actions
        .iter()
        .map(|&action| {
            let style = match action {
                Action::Ack => 1,
                Action::Accept => 3,
                Action::Reject => 4,
                Action::Rate => 2,
            };
            json!({
                "type": 2,
                "style": style,
                "label": action.label(),
                "custom_id": custom_id(action, lead),
            })
        })
        .collect();
    json!([{ "type": 1, "components": buttons }])
}

/// The body of a new message (Create Message).
pub fn message_body(message: &Message, kind: Kind) -> Value {
    json!({
        "embeds": [embed(message, kind)],
        "components": components(message),
        "allowed_mentions": { "parse": [] },
    })
}

/// The body that edits an alert in place after `update`: the alert's embed with the
/// update as its status line, and the update's buttons.
pub fn update_body(alert: &Message, update: &Message) -> Value {
    let mut merged = alert.clone();
    let status = match &alert.text {
        Some(text) => format!("**{}**\n{text}", update.title),
        None => format!("**{}**", update.title),
    };
    merged.text = Some(status);
    merged.actions = update.actions.clone();
    merged.lead_id = update.lead_id.or(alert.lead_id);
    json!({
        "embeds": [embed(&merged, Kind::Update)],
        "components": components(&merged),
    })
}

/// An immediate reply to an interaction (type 4).
pub fn reply(text: &str, ephemeral: bool) -> Value {
    json!({ "type": 4, "data": reply_data(text, ephemeral) })
}

/// The message part of a reply, also used to complete a deferred reply.
pub fn reply_data(text: &str, ephemeral: bool) -> Value {
    let mut data = json!({
        "content": clip(text, CONTENT_MAX),
        "allowed_mentions": { "parse": [] },
    });
    if ephemeral {
        data["flags"] = json!(EPHEMERAL);
    }
    data
}

/// "Baton is thinking" (type 5): the real answer follows by editing the original response.
pub fn deferred(ephemeral: bool) -> Value {
    if ephemeral {
        json!({ "type": 5, "data": { "flags": EPHEMERAL } })
    } else {
        json!({ "type": 5 })
    }
}

/// The answer to Discord's PING.
pub fn pong() -> Value {
    json!({ "type": 1 })
}

/// The Reject button's modal (type 9): the reason and an optional note.
pub fn reject_modal(lead: i64) -> Value {
    json!({
        "type": 9,
        "data": {
            "custom_id": custom_id(Action::Reject, lead),
            "title": format!("Reject lead #{lead}"),
            "components": [
                { "type": 1, "components": [{
                    "type": 4, "custom_id": "reason", "style": 1, "label": "Reason",
                    "required": true, "min_length": 3, "max_length": 20,
                    "placeholder": "not_a_fit no_budget no_authority no_need bad_timing bad_contact duplicate competitor spam other",
                }]},
                { "type": 1, "components": [{
                    "type": 4, "custom_id": "note", "style": 2, "label": "Note (optional)",
                    "required": false, "max_length": 1000,
                }]},
            ],
        },
    })
}

/// The Rate button's answer: five star buttons, for the person who pressed it only.
pub fn rate_picker(lead: i64) -> Value {
    let stars: Vec<Value> = (1..=5u8)
        .map(|n| {
            json!({
                "type": 2, "style": 2, "label": "★".repeat(usize::from(n)),
                "custom_id": format!("baton:stars:{lead}:{n}"),
            })
        })
        .collect();
    json!({
        "type": 4,
        "data": {
            "content": format!("How good was lead #{lead}?"),
            "flags": EPHEMERAL,
            "components": [{ "type": 1, "components": stars }],
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert() -> Message {
        Message::new("New MQL: Jane (Acme)")
            .field("Company", "Acme")
            .field("Why", "x".repeat(2000))
            .about(12)
            .actions(&Action::ALL)
    }

    #[test]
    fn custom_ids_round_trip() {
        for action in Action::ALL {
            let id = custom_id(action, 12);
            assert_eq!(
                parse_custom_id(&id),
                Some(Press::Action(action, 12)),
                "{id}"
            );
        }
        let cases = [
            ("baton:stars:7:5", Some(Press::Stars(7, 5))),
            ("baton:stars:7:6", None),
            ("baton:stars:7", None),
            ("baton:ack:x", None),
            ("baton:dance:1", None),
            ("other:ack:1", None),
            ("baton:ack:1:extra", None),
        ];
        for (id, want) in cases {
            assert_eq!(parse_custom_id(id), want, "{id}");
        }
    }

    #[test]
    fn alerts_become_embeds_with_one_button_per_action() {
        let body = message_body(&alert(), Kind::Alert);
        let embed = &body["embeds"][0];
        assert_eq!(embed["title"], "New MQL: Jane (Acme)");
        assert_eq!(embed["fields"][0]["name"], "Company");
        assert_eq!(
            embed["fields"][1]["value"]
                .as_str()
                .unwrap()
                .chars()
                .count(),
            FIELD_VALUE_MAX
        );
        let ids: Vec<&str> = body["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "baton:ack:12",
                "baton:accept:12",
                "baton:reject:12",
                "baton:rate:12"
            ]
        );
    }

    #[test]
    fn messages_without_a_lead_or_actions_have_no_buttons() {
        let reply = Message::new("hello").actions(&Action::ALL);
        assert_eq!(components(&reply), json!([]));
        assert_eq!(components(&Message::new("hi").about(3)), json!([]));
    }

    #[test]
    fn an_update_keeps_the_alert_and_takes_the_update_buttons() {
        let update = Message::new("Lead #12: acknowledged by Ann")
            .about(12)
            .actions(&[Action::Rate]);
        let body = update_body(&alert(), &update);
        assert_eq!(body["embeds"][0]["title"], "New MQL: Jane (Acme)");
        assert!(
            body["embeds"][0]["description"]
                .as_str()
                .unwrap()
                .starts_with("**Lead #12: acknowledged by Ann**")
        );
        assert_eq!(
            body["components"][0]["components"][0]["custom_id"],
            "baton:rate:12"
        );
        let decided = Message::new("Lead #12: rejected").about(12);
        assert_eq!(update_body(&alert(), &decided)["components"], json!([]));
    }

    #[test]
    fn replies_are_clipped_and_flagged() {
        let r = reply(&"y".repeat(3000), true);
        assert_eq!(r["type"], 4);
        assert_eq!(r["data"]["flags"], EPHEMERAL);
        assert_eq!(
            r["data"]["content"].as_str().unwrap().chars().count(),
            CONTENT_MAX
        );
        assert!(reply("ok", false)["data"].get("flags").is_none());
        let placeholder = &reject_modal(1)["data"]["components"][0]["components"][0]["placeholder"];
        assert!(placeholder.as_str().unwrap().len() <= 100);
    }
}
