//! Builds the neutral messages Baton sends: the MQL alert, its updates, and the replies to
//! `/lead show`. Pure functions of their inputs.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::buttons;
use super::message::{Action, Message};
use crate::domain::duration::humanize;
use crate::domain::lead::Lead;
use crate::domain::report::Status;
use crate::domain::sla::ClockKind;
use crate::store::handoffs::{Handoff, LogEntry};

/// A time as a person reads it in their zone, e.g. "Tue 24 Nov 09:30 CET".
pub fn local(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%a %d %b %H:%M %Z")
        .to_string()
}

/// "in 25m" or "5m ago".
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at >= now {
        format!("in {}", humanize(at - now))
    } else {
        format!("{} ago", humanize(now - at))
    }
}

/// One line per deadline: "acknowledge by Tue 24 Nov 09:30 CET (in 25m)".
pub fn deadline_lines(
    deadlines: &[(ClockKind, DateTime<Utc>)],
    tz: Tz,
    now: DateTime<Utc>,
) -> String {
    deadlines
        .iter()
        .map(|(clock, due)| {
            format!(
                "{} by {} ({})",
                clock.label(),
                local(*due, tz),
                relative(*due, now)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a lead is an MQL, from the stage change that made it one.
pub fn why_mql(from: Option<&str>, at: &str) -> String {
    match from {
        Some(from) => format!("stage changed {from} → mql at {at}"),
        None => format!("created as mql at {at}"),
    }
}

fn lead_title(lead: &Lead) -> String {
    match lead.field_text("company", &lead.company) {
        Some(company) => format!("{} ({company})", lead.display_name()),
        None => lead.display_name(),
    }
}

/// A field of the lead for a person: the value, or as stored when it is not of its type.
fn text_of<T: ToString>(lead: &Lead, column: &str, typed: &Option<T>) -> String {
    lead.field_text(column, typed).unwrap_or_default()
}

fn source_line(lead: &Lead) -> String {
    let source = lead.field_text("source", &lead.source);
    let campaign = lead.field_text("campaign", &lead.campaign);
    match (&source, &campaign) {
        (Some(s), Some(c)) => format!("{s} / {c}"),
        (Some(s), None) => s.clone(),
        (None, Some(c)) => format!("(no source) / {c}"),
        (None, None) => String::new(),
    }
}

/// The alert for a new handoff, with its buttons and deadlines in the assignee's zone.
#[allow(clippy::too_many_arguments)]
pub fn alert(
    lead: &Lead,
    handoff_id: i64,
    assignee: &str,
    why: &str,
    route_reason: &str,
    deadlines: &[(ClockKind, DateTime<Utc>)],
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let message = Message::new(format!("New MQL: {}", lead_title(lead)))
        .field(
            "Lead",
            format!(
                "#{} {}",
                lead.id,
                text_of(lead, "external_id", &lead.external_id)
            )
            .trim_end()
            .to_string(),
        )
        .field("Title", text_of(lead, "title", &lead.title))
        .field("Email", text_of(lead, "email", &lead.email))
        .field("Source", source_line(lead))
        .field("Score", text_of(lead, "score", &lead.score))
        .field("Why MQL", why)
        .field("Owner", text_of(lead, "owner_email", &lead.owner_email))
        .field("Assigned", format!("{assignee} ({route_reason})"))
        .field("Handoff", format!("#{handoff_id}"))
        .about(lead.id)
        .actions(&buttons::offered(buttons::Progress::OPEN));
    if deadlines.is_empty() {
        message
    } else {
        message.text(format!(
            "SLA: {}",
            deadline_lines(deadlines, tz, now).replace('\n', "; ")
        ))
    }
}

/// A reminder before a deadline: it names the clock, the time left and the one step that
/// stops it, and offers that step's button(s) only.
pub fn reminder(
    lead: &Lead,
    clock: ClockKind,
    due: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let left = humanize((due - now).max(chrono::Duration::zero()));
    let stop = match clock {
        ClockKind::Ack => format!("press Acknowledge or type /lead ack {}", lead.id),
        ClockKind::FirstTouch => format!(
            "press Contacted once you reached them, or type /lead contacted {} [note]",
            lead.id
        ),
        ClockKind::Disposition => format!(
            "press Accept or Reject, or type /lead accept {0} or /lead reject {0} REASON",
            lead.id
        ),
    };
    let (clock_name, to_do) = match clock {
        ClockKind::Ack => ("ack", "acknowledge"),
        ClockKind::FirstTouch => ("first-touch", "make first contact with"),
        ClockKind::Disposition => ("disposition", "accept or reject"),
    };
    Message::new(format!(
        "Reminder: {left} left to {to_do} lead #{} {}",
        lead.id,
        lead_title(lead),
    ))
    .text(format!(
        "The {clock_name} clock runs out {} ({}). To stop it, {stop}.",
        local(due, tz),
        relative(due, now)
    ))
    .about(lead.id)
    .actions(buttons::to_stop(clock))
}

/// The manager's notice of a snooze: who put off which clock's reminder of which lead,
/// until when, and the deadline that still stands.
#[allow(clippy::too_many_arguments)]
pub fn snoozed(
    lead: &Lead,
    clock: ClockKind,
    who: &str,
    by: &str,
    until: DateTime<Utc>,
    deadline: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    Message::new(format!(
        "{who} snoozed the {} reminder of lead #{} {} for {by}",
        clock.label(),
        lead.id,
        lead_title(lead)
    ))
    .text(format!(
        "Next reminder {} ({}); the {} deadline stays {} ({}).",
        local(until, tz),
        relative(until, now),
        clock.label(),
        local(deadline, tz),
        relative(deadline, now)
    ))
    .about(lead.id)
}

/// A breach notice for the rep, the manager or the channel.
pub fn breach(
    lead: &Lead,
    clock: ClockKind,
    assignee: &str,
    due: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    Message::new(format!(
        "SLA breached: {} lead #{} {} was due {} ({} late), assigned to {assignee}",
        clock.label(),
        lead.id,
        lead_title(lead),
        local(due, tz),
        humanize(now - due)
    ))
    .about(lead.id)
}

/// One notice instead of a burst, for what fell due while Baton was not running.
pub fn missed(title: &str, lines: &[String]) -> Message {
    Message::new(format!("{title} ({})", lines.len())).text(lines.join("\n"))
}

/// An update to a handoff's alert: what changed, and the buttons still useful (from
/// [`buttons::of_handoff`], so the edited alert offers what the clocks allow now).
pub fn update(lead: &Lead, what: &str, actions: &[Action]) -> Message {
    Message::new(format!("Lead #{}: {what}", lead.id))
        .field("Lead", lead_title(lead))
        .about(lead.id)
        .actions(actions)
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

/// The state of each clock of a handoff: met, breached, or time left.
pub fn clock_status(h: &Handoff, tz: Tz, now: DateTime<Utc>) -> Vec<String> {
    let parse = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    ClockKind::ALL
        .into_iter()
        .filter_map(|clock| {
            let due = parse(h.due_at(clock)?)?;
            let state = match h.stopped_at(clock).and_then(parse) {
                Some(done) if done <= due => "met".to_string(),
                Some(done) => format!("breached, {} late", humanize(done - due)),
                None if h.status != Status::Open => "stopped".to_string(),
                None if due < now => format!("BREACHED {} ago", humanize(now - due)),
                None => format!("{} left", humanize(due - now)),
            };
            Some(format!("{} by {}: {state}", clock.label(), local(due, tz)))
        })
        .collect()
}

/// `/lead show`: the lead, each handoff with its clocks, and its history.
pub fn show(
    lead: &Lead,
    handoffs: &[(Handoff, Vec<LogEntry>)],
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let mut message = Message::new(format!("Lead #{}: {}", lead.id, lead_title(lead)))
        .field("Stage", lead.stage.as_str())
        .field(
            "External id",
            text_of(lead, "external_id", &lead.external_id),
        )
        .field("Title", text_of(lead, "title", &lead.title))
        .field("Email", text_of(lead, "email", &lead.email))
        .field("Source", source_line(lead))
        .field(
            "Company size",
            text_of(lead, "company_size", &lead.company_size),
        )
        .field("Score", text_of(lead, "score", &lead.score))
        .field("Owner", text_of(lead, "owner_email", &lead.owner_email))
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
        for line in clock_status(h, tz, now) {
            text.push(format!("  SLA {line}"));
        }
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

/// Who a reassigned lead comes from, and why: the alert to its new assignee says so
/// instead of "New MQL" (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassigned {
    /// The previous assignee's name.
    pub from: String,
    /// The new assignee's name.
    pub to: String,
    /// Why, in a few words: "ack missed", "handed back", "by Boss".
    pub note: String,
    /// The lead's MQL time: its total wait stays visible.
    pub waiting_since: DateTime<Utc>,
}

/// What the new assignee reads for a clock that ran out: "ack missed".
pub fn missed_note(clock: ClockKind) -> String {
    let name = match clock {
        ClockKind::Ack => "ack",
        ClockKind::FirstTouch => "first touch",
        ClockKind::Disposition => "decision",
    };
    format!("{name} missed")
}

/// The alert of a reassigned handoff: `alert` titled "Reassigned to you from Ann (ack
/// missed)" for the new assignee (in a channel: "Reassigned to Bob from Ann ..."), with
/// the lead's total wait since its MQL time.
pub fn reassigned(
    alert: Message,
    lead: &Lead,
    how: &Reassigned,
    for_assignee: bool,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let to = if for_assignee { "you" } else { how.to.as_str() };
    let mut message = Message {
        title: format!(
            "Reassigned to {to} from {} ({}): {}",
            how.from,
            how.note,
            lead_title(lead)
        ),
        ..alert
    };
    message = message.field(
        "Waiting",
        format!(
            "since {} ({} in total)",
            local(how.waiting_since, tz),
            humanize((now - how.waiting_since).max(chrono::Duration::zero()))
        ),
    );
    message
}

/// The end of a cascade, for the breach notice: the lead stays with the team's manager.
pub fn cascade_end(breach: Message, reassigned: u32, max_reassign: u32, manager: &str) -> Message {
    breach.text(format!(
        "Reassigned {reassigned} time(s) after breaches (max_reassign = {max_reassign}): \
         the lead stays with {manager}, the team's manager."
    ))
}
