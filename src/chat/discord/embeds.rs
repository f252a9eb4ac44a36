//! The neutral [`Message`] as Discord sees it: an embed (title, fields, description) with
//! an action row of buttons, and the interaction responses Baton answers with (replies,
//! deferrals, the Reject and Contacted modals, the star buttons of Rate).
//!
//! Pure JSON building: no I/O. Discord's length limits are applied here, so a long lead
//! name or note can never make Discord refuse a message. Sections follow the message's
//! embed, one embed each with the body in a code block, within Discord's 10 embeds and
//! 6000 characters per message; what does not fit is named in the last embed's footer. A
//! chart is shown as the embed's image, the PNG attached as `attachment://<file name>`.
//!
//! A button's `custom_id` is `baton:ACTION:LEAD` (`baton:ack:12`); the star buttons of Rate
//! are `baton:stars:LEAD:N`.

use serde_json::{Value, json};

use crate::i18n::{Locale, t, tr};
use crate::message::{Action, Chart, Kind, Mention, Message};

/// `flags` value of an ephemeral message (only the person who acted sees it).
pub const EPHEMERAL: u64 = 64;

const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1024;
const FIELDS_MAX: usize = 25;
const CONTENT_MAX: usize = 2000;
const FOOTER_MAX: usize = 2048;
const EMBEDS_MAX: usize = 10;
/// Discord's limit on the text of all embeds of a message together.
const EMBEDS_TEXT_MAX: usize = 6000;
/// Kept free within [`EMBEDS_TEXT_MAX`] for the note naming what was cut.
const NOTE_MAX: usize = 300;
/// A code block's fences and their newlines: "```\n" and "\n```".
const FENCE: usize = 8;

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

/// Text from outside (names, companies, notes) made inert for Discord's markdown: `[`, `]`,
/// `<`, `>` and `\` are backslash-escaped, so `[Click](https://evil.example)` cannot become
/// a disguised link and `<@&1>` shows as typed. Discord hides the backslashes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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

/// A person named in a message: `<@id>` when the config gives their Discord id, else
/// their name, escaped.
fn mention(m: &Mention) -> String {
    match &m.discord_id {
        Some(id) => format!("<@{id}>"),
        None => escape(&m.name),
    }
}

/// The message's mentions written into a body: `<@id>` where Discord shows mentions
/// (field values, descriptions, content), the name elsewhere (titles, field names,
/// footers, buttons). The body's `allowed_mentions` stays empty: a mention shows who,
/// and pings nobody.
fn with_mentions(message: &Message, mut body: Value) -> Value {
    fn walk(message: &Message, value: &mut Value, key: &str) {
        match value {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    walk(message, child, k);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(message, item, key);
                }
            }
            Value::String(text) if matches!(key, "value" | "description" | "content") => {
                *text = message.resolve(text, mention);
            }
            Value::String(text) => *text = message.resolve(text, |m| m.name.clone()),
            _ => {}
        }
    }
    if !message.mentions.is_empty() {
        walk(message, &mut body, "");
    }
    body
}

/// The embed of a message.
pub fn embed(message: &Message, kind: Kind) -> Value {
    with_mentions(message, embed_of(message, kind))
}

fn embed_of(message: &Message, kind: Kind) -> Value {
    let fields: Vec<Value> = message
        .fields
        .iter()
        .take(FIELDS_MAX)
        .map(|f| {
            json!({
                "name": clip(&f.label, FIELD_NAME_MAX),
                "value": clip(&escape(&f.value), FIELD_VALUE_MAX),
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
        embed["description"] = json!(clip(&escape(text), DESCRIPTION_MAX));
    }
    if let Some(lead) = message.lead_id {
        embed["footer"] = json!({
            "text": crate::i18n::tr(message.locale, "footer-lead", &[("lead", lead.into())])
        });
    }
    embed
}

/// The buttons of a message: one action row, or none.
pub fn components(message: &Message) -> Value {
    let Some(lead) = message.lead_id.filter(|_| !message.actions.is_empty()) else {
        return json!([]);
    };
    // The next step (the first button, when it is Acknowledge or Contacted) is primary.
    let next = message
        .actions
        .first()
        .copied()
        .filter(|a| matches!(a, Action::Ack | Action::Contacted));
    let buttons: Vec<Value> = message
        .actions
        .iter()
        .map(|&action| {
            let style = match action {
                _ if Some(action) == next => 1,
                Action::Accept => 3,
                Action::Reject => 4,
                Action::Ack | Action::Contacted | Action::Rate => 2,
            };
            json!({
                "type": 2,
                "style": style,
                "label": action.label_in(message.locale),
                "custom_id": custom_id(action, lead),
            })
        })
        .collect();
    json!([{ "type": 1, "components": buttons }])
}

/// The body of a new message (Create Message). With a chart it is the `payload_json` of a
/// multipart request whose file `files[0]` is the PNG named [`chart_file_name`].
pub fn message_body(message: &Message, kind: Kind) -> Value {
    let mut embeds = embeds(message, kind);
    let mut body = json!({
        "components": components(message),
        "allowed_mentions": { "parse": [] },
    });
    if let Some(chart) = &message.chart {
        let name = chart_file_name(chart);
        embeds[0]["image"] = json!({ "url": format!("attachment://{name}") });
        body["attachments"] = json!([{ "id": 0, "filename": name }]);
    }
    body["embeds"] = json!(embeds);
    body
}

/// The name the chart's PNG is attached under.
pub fn chart_file_name(chart: &Chart) -> String {
    crate::message::chart::safe_file_name(&chart.file_name)
}

/// The message's embed, then one per section, within Discord's limits.
pub fn embeds(message: &Message, kind: Kind) -> Vec<Value> {
    let mut out = vec![embed_of(message, kind)];
    let mut left = EMBEDS_TEXT_MAX.saturating_sub(text_chars(&out[0]) + NOTE_MAX);
    let mut cut = Vec::new();
    for (i, section) in message.sections.iter().enumerate() {
        let title = clip(&section.heading, TITLE_MAX);
        let room = DESCRIPTION_MAX.min(left.saturating_sub(title.chars().count()));
        let fitted = (out.len() < EMBEDS_MAX)
            .then(|| code_block(&section.body, room))
            .flatten();
        let Some((description, dropped)) = fitted else {
            let rest: Vec<String> = message.sections[i..]
                .iter()
                .map(|s| format!("“{}”", clip(&s.heading, 60)))
                .collect();
            cut.push(format!("{} not shown", rest.join(", ")));
            break;
        };
        if dropped > 0 {
            cut.push(format!(
                "{dropped} more lines of “{}”",
                clip(&section.heading, 60)
            ));
        }
        left = left.saturating_sub(title.chars().count() + description.chars().count());
        out.push(json!({ "title": title, "description": description, "color": color(kind) }));
    }
    if !cut.is_empty() {
        let note = clip(
            &format!("Shortened to fit Discord: {}.", cut.join("; ")),
            NOTE_MAX,
        );
        let last = out.last_mut().expect("the message's own embed");
        let footer = match last["footer"]["text"].as_str() {
            Some(text) => format!("{text} · {note}"),
            None => note,
        };
        last["footer"] = json!({ "text": clip(&footer, FOOTER_MAX) });
    }
    out.into_iter()
        .map(|embed| with_mentions(message, embed))
        .collect()
}

/// The characters of an embed that count towards [`EMBEDS_TEXT_MAX`].
fn text_chars(embed: &Value) -> usize {
    let count = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let fields: usize = embed["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| count(&f["name"]) + count(&f["value"]))
        .sum();
    count(&embed["title"])
        + count(&embed["description"])
        + count(&embed["footer"]["text"])
        + count(&embed["author"]["name"])
        + fields
}

/// `body` in a code block of at most `room` characters, whole lines only (a line too long
/// on its own is clipped); the last line then says how many were left out, which is also
/// returned. `None` when not even one line fits.
fn code_block(body: &str, room: usize) -> Option<(String, usize)> {
    const MARKER: usize = 40;
    let lines: Vec<&str> = body.lines().collect();
    let whole = lines.iter().map(|l| l.chars().count() + 1).sum::<usize>();
    if whole.saturating_sub(1) + FENCE <= room {
        return Some((format!("```\n{}\n```", lines.join("\n")), 0));
    }
    let budget = room.checked_sub(FENCE + MARKER + 1)?;
    if budget < 10 {
        return None;
    }
    let mut kept: Vec<String> = Vec::new();
    let mut used = 0;
    for line in &lines {
        let line = clip(line, budget);
        let len = line.chars().count() + usize::from(!kept.is_empty());
        if used + len > budget {
            break;
        }
        used += len;
        kept.push(line);
    }
    let dropped = lines.len() - kept.len();
    kept.push(format!("… {dropped} more lines"));
    Some((format!("```\n{}\n```", kept.join("\n")), dropped))
}

/// The body that edits an alert in place after `update`: the alert's embed with the
/// update as its status line, and the update's buttons.
pub fn update_body(alert: &Message, update: &Message) -> Value {
    let mut merged = alert.clone();
    let title = merged.adopt(update, &update.title);
    let status = match &alert.text {
        Some(text) => format!("**{title}**\n{text}"),
        None => format!("**{title}**"),
    };
    merged.text = Some(status);
    merged.actions = update.actions.clone();
    merged.lead_id = update.lead_id.or(alert.lead_id);
    json!({
        "embeds": [embed(&merged, Kind::Update)],
        "components": components(&merged),
        "allowed_mentions": { "parse": [] },
    })
}

/// An immediate reply to an interaction (type 4).
pub fn reply(text: &str, ephemeral: bool) -> Value {
    json!({ "type": 4, "data": reply_data(text, ephemeral) })
}

/// The message part of a reply, also used to complete a deferred reply.
pub fn reply_data(text: &str, ephemeral: bool) -> Value {
    let mut data = json!({
        "content": clip(&escape(text), CONTENT_MAX),
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
pub fn reject_modal(locale: Locale, lead: i64) -> Value {
    let title = tr(locale, "modal-reject-title", &[("lead", lead.into())]);
    json!({
        "type": 9,
        "data": {
            "custom_id": custom_id(Action::Reject, lead),
            "title": title,
            "components": [
                { "type": 1, "components": [{
                    "type": 4, "custom_id": "reason", "style": 1, "label": t(locale, "modal-reason"),
                    "required": true, "min_length": 3, "max_length": 20,
                    "placeholder": "not_a_fit no_budget no_authority no_need bad_timing bad_contact duplicate competitor spam other",
                }]},
                { "type": 1, "components": [{
                    "type": 4, "custom_id": "note", "style": 2, "label": t(locale, "modal-note"),
                    "required": false, "max_length": 1000,
                }]},
            ],
        },
    })
}

/// The Contacted modal (interaction response type 9): an optional note.
pub fn contacted_modal(locale: Locale, lead: i64) -> Value {
    let title = tr(locale, "modal-contacted-title", &[("lead", lead.into())]);
    json!({
        "type": 9,
        "data": {
            "custom_id": custom_id(Action::Contacted, lead),
            "title": title,
            "components": [
                { "type": 1, "components": [{
                    "type": 4, "custom_id": "note", "style": 2, "label": t(locale, "modal-note"),
                    "required": false, "max_length": 1000,
                    "placeholder": t(locale, "modal-contacted-placeholder"),
                }]},
            ],
        },
    })
}

/// The Rate button's answer: five star buttons, for the person who pressed it only.
pub fn rate_picker(locale: Locale, lead: i64) -> Value {
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
            "content": tr(locale, "modal-rate-question", &[("lead", lead.into())]),
            "flags": EPHEMERAL,
            "allowed_mentions": { "parse": [] },
            "components": [{ "type": 1, "components": stars }],
        },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn outside_markdown_is_escaped() {
        assert_eq!(
            escape("[Click](https://evil.example) <@&1> a\\b"),
            "\\[Click\\](https://evil.example) \\<@&1\\> a\\\\b"
        );
        assert_eq!(escape("Jane Doe (Acme)"), "Jane Doe (Acme)");
    }

    use super::*;

    fn alert() -> Message {
        Message::new("New MQL: Jane (Acme)")
            .field("Company", "Acme")
            .field("Why", "x".repeat(2000))
            .about(12)
            .actions(&Action::ALL)
    }

    #[test]
    fn buttons_and_footer_are_in_the_readers_language_ids_stay_english() {
        let message = alert().in_locale(crate::i18n::Locale::It);
        let body = message_body(&message, Kind::Alert);
        let buttons = &body["components"][0]["components"];
        assert_eq!(buttons[0]["label"], "Conferma");
        assert_eq!(buttons[3]["label"], "Rifiuta");
        assert_eq!(buttons[0]["custom_id"], "baton:ack:12");
        assert_eq!(body["embeds"][0]["footer"]["text"], "Lead #12 · Baton");
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
                "baton:contacted:12",
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
        let placeholder =
            &reject_modal(Locale::En, 1)["data"]["components"][0]["components"][0]["placeholder"];
        assert!(placeholder.as_str().unwrap().len() <= 100);
    }

    fn total_chars(body: &Value) -> usize {
        body["embeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(text_chars)
            .sum()
    }

    #[test]
    fn sections_become_embeds_with_code_blocks() {
        let digest = Message::new("Weekly digest")
            .text("Week 47")
            .section("SLA", "rep  acked\nann  12");
        let body = message_body(&digest, Kind::Digest);
        let embeds = body["embeds"].as_array().unwrap();
        assert_eq!(embeds.len(), 2);
        assert_eq!(embeds[0]["description"], "Week 47");
        assert_eq!(embeds[1]["title"], "SLA");
        assert_eq!(embeds[1]["description"], "```\nrep  acked\nann  12\n```");
        assert!(embeds[1].get("footer").is_none(), "nothing was cut");
        assert!(body.get("attachments").is_none());
    }

    #[test]
    fn long_sections_keep_within_discords_limits_and_say_what_was_cut() {
        let table: Vec<String> = (0..400)
            .map(|i| format!("rep{i:<4} {:>6}", i * 7))
            .collect();
        let mut digest = Message::new("Weekly digest").text("x".repeat(1000));
        for team in ["North", "South", "East", "West"] {
            digest = digest.section(team, table.join("\n"));
        }
        let body = message_body(&digest, Kind::Digest);
        let embeds = body["embeds"].as_array().unwrap();
        assert!(
            total_chars(&body) <= EMBEDS_TEXT_MAX,
            "{}",
            total_chars(&body)
        );
        for embed in embeds {
            let description = embed["description"].as_str().unwrap_or_default();
            assert!(description.chars().count() <= DESCRIPTION_MAX);
        }
        assert_eq!(embeds[1]["title"], "North");
        let north = embeds[1]["description"].as_str().unwrap();
        assert!(north.starts_with("```\nrep0         0\n"), "{north}");
        assert!(north.ends_with(" more lines\n```"), "{north}");
        let kept = north.lines().count() - 3;
        let footer = embeds.last().unwrap()["footer"]["text"].as_str().unwrap();
        assert!(
            footer.starts_with(&format!(
                "Shortened to fit Discord: {} more lines of “North”",
                400 - kept
            )),
            "{footer}"
        );
        assert!(footer.contains("“West” not shown"), "{footer}");

        let mut many = Message::new("Weekly digest").about(4);
        for i in 0..15 {
            many = many.section(format!("Team {i}"), "a 1");
        }
        let body = message_body(&many, Kind::Digest);
        let embeds = body["embeds"].as_array().unwrap();
        assert_eq!(embeds.len(), EMBEDS_MAX);
        assert_eq!(
            embeds[9]["footer"]["text"],
            "Shortened to fit Discord: “Team 9”, “Team 10”, “Team 11”, “Team 12”, “Team 13”, “Team 14” not shown."
        );
        let one_line = Message::new("d").section("Wide", "w".repeat(10_000));
        let body = message_body(&one_line, Kind::Digest);
        assert!(
            body["embeds"][1]["description"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= DESCRIPTION_MAX
        );
        assert!(total_chars(&body) <= EMBEDS_TEXT_MAX);
    }

    #[test]
    fn a_chart_is_the_embeds_image_from_the_attachment() {
        let chart = Message::new("Funnel chart").chart(Chart {
            file_name: "funnel 2026/W47.png".into(),
            title: "Funnel".into(),
            subtitle: String::new(),
            ..Chart::default()
        });
        let body = message_body(&chart, Kind::Digest);
        assert_eq!(
            body["embeds"][0]["image"]["url"],
            "attachment://funnel-2026-W47.png"
        );
        assert_eq!(
            body["attachments"],
            json!([{ "id": 0, "filename": "funnel-2026-W47.png" }])
        );
    }
}
