//! Builds the neutral messages Baton sends: the MQL alert, its updates, and the replies to
//! `/lead show`. Pure functions of their inputs.

use super::message::{Action, Message};
use crate::domain::lead::Lead;
use crate::store::handoffs::{Handoff, LogEntry};

/// Why a lead is an MQL, from the stage change that made it one.
pub fn why_mql(from: Option<&str>, at: &str) -> String {
    match from {
        Some(from) => format!("stage changed {from} → mql at {at}"),
        None => format!("created as mql at {at}"),
    }
}

fn lead_title(lead: &Lead) -> String {
    match &lead.company {
        Some(company) => format!("{} ({company})", lead.display_name()),
        None => lead.display_name(),
    }
}

fn source_line(lead: &Lead) -> String {
    match (&lead.source, &lead.campaign) {
        (Some(s), Some(c)) => format!("{s} / {c}"),
        (Some(s), None) => s.clone(),
        (None, Some(c)) => format!("(no source) / {c}"),
        (None, None) => String::new(),
    }
}

/// The alert for a new handoff, with its buttons.
pub fn alert(
    lead: &Lead,
    handoff_id: i64,
    assignee: &str,
    why: &str,
    route_reason: &str,
) -> Message {
    Message::new(format!("New MQL: {}", lead_title(lead)))
        .field(
            "Lead",
            format!("#{} {}", lead.id, lead.external_id.as_deref().unwrap_or(""))
                .trim_end()
                .to_string(),
        )
        .field("Title", lead.title.clone().unwrap_or_default())
        .field("Email", lead.email.clone().unwrap_or_default())
        .field("Source", source_line(lead))
        .field(
            "Score",
            lead.score.map(|s| s.to_string()).unwrap_or_default(),
        )
        .field("Why MQL", why)
        .field("Owner", lead.owner_email.clone().unwrap_or_default())
        .field("Assigned", format!("{assignee} ({route_reason})"))
        .field("Handoff", format!("#{handoff_id}"))
        .about(lead.id)
        .actions(&Action::ALL)
}

/// An update to a handoff's alert: what changed, and the buttons still useful.
pub fn update(lead: &Lead, what: &str, still_open: bool) -> Message {
    let message = Message::new(format!("Lead #{}: {what}", lead.id))
        .field("Lead", lead_title(lead))
        .about(lead.id);
    if still_open {
        message.actions(&[Action::Accept, Action::Reject, Action::Rate])
    } else {
        message.actions(&[Action::Rate])
    }
}

/// A reply to one person.
pub fn reply(text: impl Into<String>) -> Message {
    let text = text.into();
    let mut lines = text.lines();
    let title = lines.next().unwrap_or_default().to_string();
    let rest: Vec<&str> = lines.collect();
    let message = Message::new(title);
    if rest.is_empty() {
        message
    } else {
        message.text(rest.join("\n"))
    }
}

/// `/lead show`: the lead, each handoff and its history.
pub fn show(lead: &Lead, handoffs: &[(Handoff, Vec<LogEntry>)]) -> Message {
    let mut message = Message::new(format!("Lead #{}: {}", lead.id, lead_title(lead)))
        .field("Stage", lead.stage.as_str())
        .field("External id", lead.external_id.clone().unwrap_or_default())
        .field("Title", lead.title.clone().unwrap_or_default())
        .field("Email", lead.email.clone().unwrap_or_default())
        .field("Source", source_line(lead))
        .field(
            "Score",
            lead.score.map(|s| s.to_string()).unwrap_or_default(),
        )
        .field("Owner", lead.owner_email.clone().unwrap_or_default())
        .about(lead.id);
    let mut text = Vec::new();
    if handoffs.is_empty() {
        text.push("No handoffs yet.".to_string());
    }
    for (h, log) in handoffs {
        text.push(format!(
            "Handoff #{} ({}) to {}, opened {}",
            h.id,
            h.status,
            h.assignee.as_deref().unwrap_or("nobody"),
            h.opened_at
        ));
        for entry in log {
            text.push(format!(
                "  {} {}{}",
                entry.at,
                entry.what,
                entry
                    .actor
                    .as_deref()
                    .map(|a| format!(" ({a})"))
                    .unwrap_or_default()
            ));
        }
    }
    message.text = Some(text.join("\n"));
    message
}
