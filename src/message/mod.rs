//! The platform-neutral message: a title, labelled fields, free text and buttons. Every
//! platform renders it in its own way (console text or JSON Lines, Slack Block Kit,
//! Discord embeds); nothing outside `chat/` knows those formats.
//! Below it: `buttons` (which buttons an alert offers), `compose` (the texts of alerts,
//! updates, reminders and escalations, in the reader's language) and `chart` (a chart as
//! a PNG). The store keeps messages as JSON; the engine composes them; `chat/*` renders.

pub mod buttons;
pub mod chart;
pub mod compose;

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

/// What a message is for; the console's `kind` and the outbox's `kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Alert,
    Reminder,
    Escalation,
    Update,
    Reply,
    Digest,
}

crate::domain::names!(Kind {
    Alert => "alert",
    Reminder => "reminder",
    Escalation => "escalation",
    Update => "update",
    Reply => "reply",
    Digest => "digest",
});

impl FromStr for Kind {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Kind> {
        Kind::parse(s).ok_or_else(|| anyhow::anyhow!("unknown message kind \"{s}\""))
    }
}

/// A button on an alert. Each maps to a chat command on the lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Ack,
    Contacted,
    Accept,
    Reject,
    Rate,
}

// Every button, in the order they are shown; the names are the chat commands.
crate::domain::names!(Action {
    Ack => "ack",
    Contacted => "contacted",
    Accept => "accept",
    Reject => "reject",
    Rate => "rate",
});

impl Action {
    /// The button's label in `locale`: "Confirmar" for `ack` in pt-BR.
    pub fn label_in(self, locale: Locale) -> String {
        let id = match self {
            Action::Ack => "action-ack",
            Action::Contacted => "action-contacted",
            Action::Accept => "action-accept",
            Action::Reject => "action-reject",
            Action::Rate => "action-rate",
        };
        crate::i18n::t(locale, id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Ack => "Acknowledge",
            Action::Contacted => "Contacted",
            Action::Accept => "Accept",
            Action::Reject => "Reject",
            Action::Rate => "Rate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// A headed block of preformatted text (a table), for long messages such as the digest.
/// Platforms show the body in monospace and split or shorten it to fit their limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

/// A chart, sent as a PNG image (rendered by [`crate::message::chart`] when it is sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    /// The file name, e.g. `funnel-2026-W47.png`.
    pub file_name: String,
    pub title: String,
    /// A second line under the title, e.g. the period and time zone.
    pub subtitle: String,
    /// One bar per row, for [`Plot::Bars`].
    #[serde(default)]
    pub bars: Vec<ChartBar>,
    /// What is drawn; rows queued before there were kinds are [`Plot::Bars`].
    #[serde(default)]
    pub plot: Plot,
    /// The language of the words the chart draws itself (legends, "No data"); English is
    /// left out of the stored form.
    #[serde(default, skip_serializing_if = "Locale::is_en")]
    pub locale: Locale,
}

/// The kind of a chart and its data. Shares are in basis points (1/100 of a percent), so
/// a chart stays plain integers and draws the same on every machine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Plot {
    /// [`Chart::bars`], one horizontal bar per row.
    #[default]
    Bars,
    /// A funnel: one centred bar per stage with its count, and the conversion to the next.
    Funnel { steps: Vec<FunnelStep> },
    /// Grouped bars: for each group (a source, a campaign) one bar per series.
    Groups {
        series: Vec<String>,
        groups: Vec<GroupBars>,
    },
    /// Small multiples of weekly series (the digest's last 12 weeks).
    Trend {
        weeks: Vec<String>,
        series: Vec<TrendSeries>,
    },
    /// A plan against its pace: per stage the needed count and where the pace ends.
    Plan { rows: Vec<PlanRow> },
    /// Several plots one above the other in one image (the digest: funnel and trend).
    Stack { plots: Vec<Plot> },
}

/// One stage of a funnel chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub label: String,
    pub count: u64,
    /// The share that went further, in basis points; none for the last stage shown.
    pub conversion_bp: Option<u32>,
}

/// One group of a grouped bar chart: a value per series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupBars {
    pub label: String,
    pub values: Vec<u64>,
}

/// One weekly series; `percent` values are basis points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendSeries {
    pub label: String,
    pub percent: bool,
    /// One per week; none for a week without data.
    pub values: Vec<Option<u64>>,
}

/// One stage of a plan chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    pub label: String,
    /// Entries needed; none when the data cannot tell (too little, or no conversions).
    pub needed: Option<u64>,
    /// Entries the current pace ends the period with.
    pub pace: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartBar {
    pub label: String,
    pub value: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<i64>,
    /// Tables after the text (the digest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// A chart attached as a PNG file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
    /// The reader's language: platforms write their own parts (button labels, footers)
    /// in it. English is left out of the stored form.
    #[serde(default, skip_serializing_if = "Locale::is_en")]
    pub locale: Locale,
    /// The people the texts name through [`Message::mention`], each shown as a mention
    /// where the platform knows them and by name elsewhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
}

/// A person named in a message: their name, and their Slack and Discord user ids when the
/// config gives them. Slack shows `<@U…>`, Discord `<@id>`, the console the name. The
/// email lets a platform find an id the config does not give (a Discord account linked
/// with `/baton link`) when it sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slack_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discord_id: Option<String>,
}

/// Where a mention starts and ends in a text: `\u{E000}` index `\u{E001}`, the index into
/// [`Message::mentions`]. Private-use characters, which [`inert`] takes out of text from
/// elsewhere, so a lead's name cannot pose as a mention.
const MENTION_START: char = '\u{E000}';
const MENTION_END: char = '\u{E001}';

/// Text from elsewhere (a lead's name, a note) without the characters that mark mentions.
pub fn inert(text: &str) -> String {
    text.chars()
        .filter(|c| *c != MENTION_START && *c != MENTION_END)
        .collect()
}

impl Mention {
    /// The person of `email` in `dir` with their ids; someone Baton does not know is
    /// named by their email, without ids.
    pub fn of(dir: &crate::domain::directory::Directory, email: &str) -> Mention {
        match dir.person(email) {
            Some(p) => Mention::person(p),
            None => Mention {
                name: email.to_string(),
                email: Some(email.to_string()),
                ..Mention::default()
            },
        }
    }

    /// A person of the config, with the ids that can be written in a mention (a Slack id
    /// of letters and digits, a Discord id of digits); any other is left out.
    pub fn person(p: &crate::domain::directory::Person) -> Mention {
        let slack = p
            .slack_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()));
        let discord = p
            .discord_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        Mention {
            name: p.name.clone(),
            email: Some(p.email.clone()),
            slack_id: slack.map(str::to_string),
            discord_id: discord.map(str::to_string),
        }
    }
}

impl Message {
    /// Names `who` in this message: returns the text to put where the name goes.
    pub fn mention(&mut self, who: &Mention) -> String {
        let index = match self.mentions.iter().position(|m| m == who) {
            Some(i) => i,
            None => {
                self.mentions.push(who.clone());
                self.mentions.len() - 1
            }
        };
        format!("{MENTION_START}{index}{MENTION_END}")
    }

    /// `text` (of this message) with each mention written by `write`; a marker that does
    /// not name one of [`Message::mentions`] is dropped.
    pub fn resolve(&self, text: &str, write: impl Fn(&Mention) -> String) -> String {
        if !text.contains(MENTION_START) && !text.contains(MENTION_END) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find([MENTION_START, MENTION_END]) {
            out.push_str(&rest[..start]);
            let marker = rest[start..].chars().next().unwrap_or(MENTION_START);
            rest = &rest[start + marker.len_utf8()..];
            if marker == MENTION_END {
                continue;
            }
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let (number, after) = rest.split_at(digits);
            if let Some(after) = after.strip_prefix(MENTION_END)
                && let Some(m) = number
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.mentions.get(i))
            {
                out.push_str(&write(m));
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    /// The text of `other` with its mentions named in this message instead (to merge an
    /// update into the alert it changes).
    pub fn adopt(&mut self, other: &Message, text: &str) -> String {
        let tokens: Vec<String> = other.mentions.iter().map(|m| self.mention(m)).collect();
        other.resolve(text, |m| {
            other
                .mentions
                .iter()
                .position(|x| x == m)
                .map(|i| tokens[i].clone())
                .unwrap_or_default()
        })
    }

    /// The same message with every mention written as the person's name (plain text).
    pub fn named(&self) -> Message {
        let name = |text: &str| self.resolve(text, |m| m.name.clone());
        Message {
            title: name(&self.title),
            fields: self
                .fields
                .iter()
                .map(|f| Field {
                    label: name(&f.label),
                    value: name(&f.value),
                })
                .collect(),
            text: self.text.as_deref().map(name),
            sections: self
                .sections
                .iter()
                .map(|s| Section {
                    heading: name(&s.heading),
                    body: name(&s.body),
                })
                .collect(),
            mentions: Vec::new(),
            ..self.clone()
        }
    }

    pub fn new(title: impl Into<String>) -> Message {
        Message {
            title: title.into(),
            ..Message::default()
        }
    }

    /// The same message for a reader of `locale`.
    pub fn in_locale(mut self, locale: Locale) -> Message {
        self.locale = locale;
        self
    }

    /// Adds a field unless the value is empty.
    pub fn field(mut self, label: &str, value: impl Into<String>) -> Message {
        let value = value.into();
        if !value.trim().is_empty() {
            self.fields.push(Field {
                label: label.to_string(),
                value,
            });
        }
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Message {
        self.text = Some(text.into());
        self
    }

    pub fn about(mut self, lead_id: i64) -> Message {
        self.lead_id = Some(lead_id);
        self
    }

    pub fn actions(mut self, actions: &[Action]) -> Message {
        self.actions = actions.to_vec();
        self
    }

    pub fn section(mut self, heading: impl Into<String>, body: impl Into<String>) -> Message {
        self.sections.push(Section {
            heading: heading.into(),
            body: body.into(),
        });
        self
    }

    pub fn chart(mut self, chart: Chart) -> Message {
        self.chart = Some(chart);
        self
    }

    /// The message as plain text: title, then `Label: value` lines, then the text, then
    /// each section as its heading and body.
    pub fn plain_text(&self) -> String {
        if !self.mentions.is_empty() {
            return self.named().plain_text();
        }
        let mut out = self.title.clone();
        for field in &self.fields {
            out.push_str(&format!("\n{}: {}", field.label, field.value));
        }
        if let Some(text) = &self.text {
            out.push('\n');
            out.push_str(text);
        }
        for section in &self.sections {
            out.push_str(&format!("\n\n{}\n{}", section.heading, section.body));
        }
        out
    }
}
