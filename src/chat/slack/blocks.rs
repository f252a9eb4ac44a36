//! The neutral [`Message`] as Slack Block Kit JSON: a header, the fields in two columns,
//! the free text, the sections (each a bold heading over a code block), and the alert's
//! buttons (the rating as a 1–5 select). Also the Reject and Contacted modals and the
//! comment posted with a chart. Pure functions, checked against the golden files in `tests/golden/slack/`.
//!
//! Long sections are split at line boundaries into blocks of at most 3000 characters, and
//! a message keeps within Slack's 50 blocks: what does not fit is named in a closing note.
//!
//! Every action id carries the action and the lead: `baton:ack:12`. Text that comes from
//! other systems (lead names, notes) is escaped, so a `<` in a company name cannot turn
//! into a Slack mention or link.

use serde_json::{Value, json};

use crate::domain::handoff::RejectReason;
use crate::i18n::{Locale, t, tr};
use crate::message::{Action, Mention, Message, Section};

/// Slack's limits, from the Block Kit reference.
const HEADER_MAX: usize = 150;
const FIELD_MAX: usize = 2000;
const SECTION_TEXT_MAX: usize = 3000;
const FIELDS_PER_SECTION: usize = 10;
const MAX_BLOCKS: usize = 50;
/// A section's heading, before it is cut.
const HEADING_MAX: usize = 200;
/// The fallback text of a notification.
const FALLBACK_MAX: usize = 4000;

/// The callback id of the Reject modal.
pub const REJECT_CALLBACK: &str = "baton_reject";
/// The callback id of the Contacted modal.
pub const CONTACTED_CALLBACK: &str = "baton_contacted";

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
        "contacted" => Action::Contacted,
        "accept" => Action::Accept,
        "reject" => Action::Reject,
        "rate" => Action::Rate,
        _ => return None,
    };
    let lead = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((action, lead))
}

/// The notification text shown where blocks are not (push notifications, old clients).
/// Slack formats it like mrkdwn, so the title (which holds lead names and companies) is
/// escaped: a `<!channel>` in a name must not ping anyone.
pub fn fallback_text(message: &Message) -> String {
    message.resolve(&escape(&cut(&message.title, FALLBACK_MAX)), mention)
}

/// A person named in a message: `<@U…>` when the config gives their Slack id, else their
/// name, escaped.
fn mention(m: &Mention) -> String {
    match &m.slack_id {
        Some(id) => format!("<@{id}>"),
        None => escape(&m.name),
    }
}

/// The message's mentions written into its blocks: `<@U…>` in mrkdwn, the name in plain
/// text (headers and buttons, where Slack shows no mentions).
fn with_mentions(message: &Message, mut blocks: Vec<Value>) -> Vec<Value> {
    fn walk(message: &Message, value: &mut Value, in_mrkdwn: bool) {
        match value {
            Value::Object(map) => {
                let kind = map.get("type").and_then(Value::as_str);
                let in_mrkdwn = match kind {
                    Some("mrkdwn") => true,
                    Some("plain_text") => false,
                    _ => in_mrkdwn,
                };
                for child in map.values_mut() {
                    walk(message, child, in_mrkdwn);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(message, item, in_mrkdwn);
                }
            }
            Value::String(text) if in_mrkdwn => *text = message.resolve(text, mention),
            Value::String(text) => *text = message.resolve(text, |m| m.name.clone()),
            _ => {}
        }
    }
    for block in &mut blocks {
        walk(message, block, false);
    }
    blocks
}

/// The blocks of a message: header, fields, text, buttons.
pub fn render(message: &Message) -> Vec<Value> {
    with_mentions(message, blocks_of(message))
}

fn blocks_of(message: &Message) -> Vec<Value> {
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
    let buttons = match (message.lead_id, message.actions.is_empty()) {
        (Some(lead), false) => Some(actions(&message.actions, lead, message.locale)),
        _ => None,
    };
    // One block stays free for the note `render_update` and `render_for_absent` insert.
    let room = MAX_BLOCKS.saturating_sub(blocks.len() + 1 + usize::from(buttons.is_some()));
    blocks.extend(sections(&message.sections, room));
    blocks.extend(buttons);
    blocks
}

/// The sections as at most `room` blocks: each a bold heading over a code block, split at
/// line boundaries to fit a block's 3000 characters, and a closing note naming what was cut.
fn sections(list: &[Section], room: usize) -> Vec<Value> {
    let parts: Vec<(usize, String)> = list
        .iter()
        .enumerate()
        .flat_map(|(i, section)| section_texts(section).into_iter().map(move |t| (i, t)))
        .collect();
    if parts.len() <= room {
        return parts
            .into_iter()
            .map(|(_, text)| json!({"type": "section", "text": mrkdwn(&text)}))
            .collect();
    }
    let Some(kept) = room.checked_sub(1) else {
        return Vec::new();
    };
    let mut blocks: Vec<Value> = parts[..kept]
        .iter()
        .map(|(_, text)| json!({"type": "section", "text": mrkdwn(text)}))
        .collect();
    let first_cut = parts[kept].0;
    let partly = kept > 0 && parts[kept - 1].0 == first_cut;
    let mut names = Vec::new();
    for (i, section) in list.iter().enumerate().skip(first_cut) {
        let heading = escape(&cut(&section.heading, HEADING_MAX));
        if i == first_cut && partly {
            names.push(format!("the rest of *{heading}*"));
        } else {
            names.push(format!("*{heading}*"));
        }
    }
    let note = format!(
        "Cut to fit Slack's {MAX_BLOCKS} blocks: {}.",
        names.join(", ")
    );
    blocks.push(json!({"type": "context", "elements": [mrkdwn(&cut(&note, SECTION_TEXT_MAX))]}));
    blocks
}

/// A section as the texts of one or more blocks: `*heading*` over the body in a code
/// block, split between lines so each text fits [`SECTION_TEXT_MAX`].
fn section_texts(section: &Section) -> Vec<String> {
    let heading = escape(&cut(&section.heading, HEADING_MAX));
    let first = format!("*{heading}*");
    let next = format!("*{heading}* (continued)");
    let fence = |head: &str, lines: &[String]| format!("{head}\n```\n{}\n```", lines.join("\n"));
    // The fence and its newlines take 9 characters around the lines.
    let budget = |head: &str| SECTION_TEXT_MAX - head.chars().count() - 9;
    let lines: Vec<String> = section.body.lines().map(escape).collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return vec![first];
    }
    let mut texts = Vec::new();
    let mut chunk: Vec<String> = Vec::new();
    let mut used = 0;
    for line in lines {
        let head = if texts.is_empty() { &first } else { &next };
        let line = cut(&line, budget(&next));
        let len = line.chars().count() + usize::from(!chunk.is_empty());
        if !chunk.is_empty() && used + len > budget(head) {
            texts.push(fence(head, &chunk));
            chunk.clear();
            used = 0;
        }
        used += line.chars().count() + usize::from(!chunk.is_empty());
        chunk.push(line);
    }
    let head = if texts.is_empty() { &first } else { &next };
    texts.push(fence(head, &chunk));
    texts
}

/// The comment posted with a chart (`initial_comment` of the file share): the title in
/// bold, the fields, the text and the sections as mrkdwn, escaped and cut to Slack's
/// message text limit; `absent` names the person it stands in for.
pub fn file_comment(message: &Message, absent: Option<&str>) -> String {
    let mut lines = Vec::new();
    if !message.title.trim().is_empty() {
        lines.push(format!("*{}*", escape(&message.title)));
    }
    if let Some(person) = absent {
        lines.push(format!(
            "_For {}, who could not be found on Slack (set `slack_id` in their [[person]])._",
            escape(person)
        ));
    }
    for field in &message.fields {
        lines.push(format!(
            "*{}:* {}",
            escape(&field.label),
            escape(&field.value)
        ));
    }
    if let Some(text) = message.text.as_deref().filter(|t| !t.trim().is_empty()) {
        lines.push(escape(text));
    }
    for section in &message.sections {
        lines.push(format!(
            "*{}*\n```\n{}\n```",
            escape(&section.heading),
            escape(&section.body)
        ));
    }
    message.resolve(&cut(&lines.join("\n"), FALLBACK_MAX), mention)
}

/// A reply to one person: like [`render`], with the title as bold text instead of a
/// header.
pub fn render_reply(message: &Message) -> Vec<Value> {
    let mut blocks = blocks_of(message);
    blocks[0] = json!({"type": "section", "text": mrkdwn(&cut(&format!("*{}*", escape(&message.title)), SECTION_TEXT_MAX))});
    with_mentions(message, blocks)
}

/// An alert edited in place after a change: the original alert with the change noted
/// under its header and only the buttons still useful.
pub fn render_update(alert: &Message, update: &Message) -> Vec<Value> {
    let mut edited = Message {
        actions: update.actions.clone(),
        ..alert.clone()
    };
    let title = edited.adopt(update, &update.title);
    let mut blocks = blocks_of(&edited);
    let note = json!({"type": "context", "elements": [mrkdwn(&format!(":white_check_mark: {}", escape(&title)))]});
    blocks.insert(1, note);
    with_mentions(&edited, blocks)
}

/// A message meant for a person Slack does not know, posted in a channel instead.
pub fn render_for_absent(message: &Message, person: &str) -> Vec<Value> {
    let mut blocks = blocks_of(message);
    let note = json!({"type": "context", "elements": [mrkdwn(&format!(
        "For {}, who could not be found on Slack (set `slack_id` in their [[person]]).",
        escape(person)
    ))]});
    blocks.insert(1, note);
    with_mentions(message, blocks)
}

/// The buttons as one actions block. The next step (the first button, when it is
/// Acknowledge or Contacted) is the primary one; Reject is marked dangerous.
fn actions(list: &[Action], lead: i64, locale: Locale) -> Value {
    let next = list
        .first()
        .copied()
        .filter(|a| matches!(a, Action::Ack | Action::Contacted));
    let elements: Vec<Value> = list
        .iter()
        .map(|&action| match action {
            Action::Rate => json!({
                "type": "static_select",
                "action_id": action_id(action, lead),
                "placeholder": plain(&crate::i18n::t(locale, "rate-placeholder")),
                "options": (1..=5).map(|n| json!({
                    "text": plain(&format!("{n} {}", "★".repeat(n))),
                    "value": n.to_string(),
                })).collect::<Vec<_>>(),
            }),
            _ => {
                let mut button = json!({
                    "type": "button",
                    "action_id": action_id(action, lead),
                    "text": plain(&action.label_in(locale)),
                    "value": lead.to_string(),
                });
                if Some(action) == next {
                    button["style"] = json!("primary");
                } else if action == Action::Reject {
                    button["style"] = json!("danger");
                }
                button
            }
        })
        .collect();
    json!({"type": "actions", "block_id": format!("baton_actions_{lead}"), "elements": elements})
}

/// A reject reason as people read it: `no_budget` → "No budget".
/// A reject reason as the reader reads it: "No budget", "Sem orçamento".
fn reason_label(locale: Locale, reason: &str) -> String {
    t(locale, &format!("reason-{reason}"))
}

/// The Reject modal: a required reason and an optional note. Its submission carries the
/// lead id in `private_metadata`.
pub fn reject_modal(locale: Locale, lead: i64) -> Value {
    let options: Vec<Value> = RejectReason::ALL
        .iter()
        .map(|r| json!({"text": plain(&reason_label(locale, r.as_str())), "value": r.as_str()}))
        .collect();
    json!({
        "type": "modal",
        "callback_id": REJECT_CALLBACK,
        "private_metadata": lead.to_string(),
        "title": plain(&tr(locale, "modal-reject-title", &[("lead", lead.into())])),
        "submit": plain(&t(locale, "action-reject")),
        "close": plain(&t(locale, "modal-cancel")),
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": plain(&t(locale, "modal-reason")),
                "element": {
                    "type": "static_select",
                    "action_id": "reason",
                    "placeholder": plain(&t(locale, "modal-reject-placeholder")),
                    "options": options,
                },
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": true,
                "label": plain(&t(locale, "modal-note-label")),
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

/// The Contacted modal: an optional note on how the lead was reached. Its submission
/// carries the lead id in `private_metadata`.
pub fn contacted_modal(locale: Locale, lead: i64) -> Value {
    json!({
        "type": "modal",
        "callback_id": CONTACTED_CALLBACK,
        "private_metadata": lead.to_string(),
        "title": plain(&tr(locale, "modal-contacted-title", &[("lead", lead.into())])),
        "submit": plain(&t(locale, "modal-record-contact")),
        "close": plain(&t(locale, "modal-cancel")),
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "optional": true,
                "label": plain(&t(locale, "modal-note")),
                "hint": plain(&format!("{}.", t(locale, "modal-contacted-placeholder"))),
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
    fn buttons_are_in_the_readers_language_action_ids_stay_english() {
        let message = Message::new("Novo MQL")
            .in_locale(Locale::PtBr)
            .about(4)
            .actions(&[Action::Ack, Action::Reject, Action::Rate]);
        let blocks = render(&message);
        let elements = &blocks.last().expect("an actions block")["elements"];
        assert_eq!(elements[0]["text"]["text"], "Confirmar");
        assert_eq!(elements[1]["text"]["text"], "Recusar");
        assert_eq!(elements[2]["placeholder"]["text"], "Avalie de 1 a 5");
        assert_eq!(elements[0]["action_id"], action_id(Action::Ack, 4));
    }

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
        assert_eq!(reason_label(Locale::En, "no_budget"), "No budget");
        assert_eq!(reason_label(Locale::En, "spam"), "Spam");
        assert_eq!(reason_label(Locale::PtBr, "no_budget"), "Sem orçamento");
    }

    fn texts(blocks: &[Value]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| {
                b["text"]["text"]
                    .as_str()
                    .or(b["elements"][0]["text"].as_str())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    fn valid(blocks: &[Value]) {
        serde_json::from_value::<Vec<slack_morphism::prelude::SlackBlock>>(Value::Array(
            blocks.to_vec(),
        ))
        .unwrap();
    }

    #[test]
    fn a_section_is_a_bold_heading_over_a_code_block() {
        let message = Message::new("Weekly digest").section("SLA <ok>", "rep  acked\nann  12");
        let blocks = render(&message);
        assert_eq!(
            blocks[1],
            json!({"type": "section", "text": {"type": "mrkdwn", "text": "*SLA &lt;ok&gt;*\n```\nrep  acked\nann  12\n```"}})
        );
        assert_eq!(blocks.len(), 2);
        valid(&blocks);
    }

    #[test]
    fn a_long_section_is_split_between_lines() {
        let lines: Vec<String> = (0..500)
            .map(|i| format!("{i:>5} {}", "x".repeat(40)))
            .collect();
        let message = Message::new("Digest").section("Leads", lines.join("\n"));
        let blocks = render(&message);
        let parts = &texts(&blocks)[1..];
        assert!(parts.len() >= 8, "{} blocks", parts.len());
        assert!(parts[0].starts_with("*Leads*\n```\n"));
        assert!(parts[1].starts_with("*Leads* (continued)\n```\n"));
        let mut seen = Vec::new();
        for part in parts {
            assert!(part.chars().count() <= SECTION_TEXT_MAX);
            let body = part
                .split_once("```\n")
                .unwrap()
                .1
                .strip_suffix("\n```")
                .unwrap();
            seen.extend(body.lines().map(str::to_string));
        }
        assert_eq!(seen, lines, "every line once, whole and in order");
        valid(&blocks);

        let wide = Message::new("Digest").section("Wide", "y".repeat(10_000));
        let blocks = render(&wide);
        assert_eq!(blocks.len(), 2);
        assert!(texts(&blocks)[1].chars().count() <= SECTION_TEXT_MAX);
    }

    #[test]
    fn too_many_sections_are_cut_to_fifty_blocks_with_a_note() {
        let mut message = Message::new("Digest").about(3).actions(&[Action::Ack]);
        for i in 0..60 {
            message = message.section(format!("Team {i}"), "a  1\nb  2");
        }
        for blocks in [
            render(&message),
            render_for_absent(&message, "ghost@acme.test"),
            render_update(
                &message,
                &Message::new("Acknowledged").actions(&[Action::Ack]),
            ),
        ] {
            assert!(blocks.len() <= MAX_BLOCKS, "{} blocks", blocks.len());
            valid(&blocks);
        }
        let blocks = render(&message);
        assert_eq!(blocks.len(), MAX_BLOCKS - 1);
        assert_eq!(
            blocks.last().unwrap()["type"],
            "actions",
            "the buttons stay"
        );
        let note = &texts(&blocks)[blocks.len() - 2];
        // Header, 46 sections, the note, the buttons.
        assert!(
            note.starts_with("Cut to fit Slack's 50 blocks: *Team 46*, *Team 47*"),
            "{note}"
        );
        assert!(note.ends_with("*Team 59*."), "{note}");

        let long = Message::new("Digest")
            .section("Big", "z\n".repeat(3000 * 30))
            .section("After", "1");
        let note = texts(&render(&long)).pop().unwrap();
        assert_eq!(
            note,
            "Cut to fit Slack's 50 blocks: the rest of *Big*, *After*."
        );
    }

    #[test]
    fn a_chart_comment_is_escaped_mrkdwn() {
        let message = Message::new("Funnel chart <week 47>")
            .field("Team", "sales & co")
            .text("Counts per stage")
            .section("Table", "a 1");
        assert_eq!(
            file_comment(&message, None),
            "*Funnel chart &lt;week 47&gt;*\n*Team:* sales &amp; co\nCounts per stage\n*Table*\n```\na 1\n```"
        );
        assert!(file_comment(&message, Some("ghost@acme.test")).contains("For ghost@acme.test"));
        assert_eq!(file_comment(&Message::new(" "), None), "");
        let huge = Message::new("x").text("y".repeat(10_000));
        assert_eq!(file_comment(&huge, None).chars().count(), FALLBACK_MAX);
    }
}
