//! Builds the neutral messages Baton sends: the MQL alert, its updates, and the replies to
//! `/lead show`. Pure functions of their inputs. The alert, its updates, reminders and
//! escalations are written in the reader's [`Locale`] (texts in `locales/*/baton.ftl`);
//! the rest is English until its turn comes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::buttons;
use super::message::{Action, Message};
use crate::domain::duration::humanize;
use crate::domain::lead::Lead;
use crate::domain::report::Status;
use crate::domain::sla::ClockKind;
use crate::i18n::{self, Arg, Locale, t, tr};
use crate::store::handoffs::{Handoff, LogEntry};

/// A time as a person reads it in their zone, in English: "Tue 24 Nov 09:30 CET".
pub fn local(at: DateTime<Utc>, tz: Tz) -> String {
    i18n::local(Locale::En, at, tz)
}

/// "in 25m" or "5m ago", in English.
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    i18n::relative(Locale::En, at, now)
}

/// The id of a message that differs by clock: `reminder-title` → `reminder-title-ack`.
fn by_clock(prefix: &str, clock: ClockKind) -> String {
    let suffix = match clock {
        ClockKind::Ack => "ack",
        ClockKind::FirstTouch => "first-touch",
        ClockKind::Disposition => "disposition",
    };
    format!("{prefix}-{suffix}")
}

/// One line per deadline: "acknowledge by Tue 24 Nov 09:30 CET (in 25m)".
pub fn deadline_lines(
    locale: Locale,
    deadlines: &[(ClockKind, DateTime<Utc>)],
    tz: Tz,
    now: DateTime<Utc>,
) -> String {
    deadlines
        .iter()
        .map(|(clock, due)| {
            tr(
                locale,
                &by_clock("deadline", *clock),
                &[
                    ("due", i18n::local(locale, *due, tz).into()),
                    ("relative", i18n::relative(locale, *due, now).into()),
                ],
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

fn source_line(locale: Locale, lead: &Lead) -> String {
    let source = lead.field_text("source", &lead.source);
    let campaign = lead.field_text("campaign", &lead.campaign);
    match (&source, &campaign) {
        (Some(s), Some(c)) => format!("{s} / {c}"),
        (Some(s), None) => s.clone(),
        (None, Some(c)) => format!("{} / {c}", t(locale, "no-source")),
        (None, None) => String::new(),
    }
}

/// The alert for a new handoff, with its buttons and deadlines in the assignee's zone,
/// written in `locale`.
#[allow(clippy::too_many_arguments)]
pub fn alert(
    locale: Locale,
    lead: &Lead,
    handoff_id: i64,
    assignee: &str,
    why: &str,
    route_reason: &str,
    deadlines: &[(ClockKind, DateTime<Utc>)],
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let label = |id: &str| t(locale, id);
    let message = Message::new(tr(
        locale,
        "alert-title",
        &[("lead", lead_title(lead).into())],
    ))
    .in_locale(locale)
    .field(
        &label("field-lead"),
        format!(
            "#{} {}",
            lead.id,
            text_of(lead, "external_id", &lead.external_id)
        )
        .trim_end()
        .to_string(),
    )
    .field(&label("field-title"), text_of(lead, "title", &lead.title))
    .field(&label("field-email"), text_of(lead, "email", &lead.email))
    .field(&label("field-source"), source_line(locale, lead))
    .field(&label("field-score"), text_of(lead, "score", &lead.score))
    .field(&label("field-why"), why)
    .field(
        &label("field-owner"),
        text_of(lead, "owner_email", &lead.owner_email),
    )
    .field(
        &label("field-assigned"),
        format!("{assignee} ({route_reason})"),
    )
    .field(&label("field-handoff"), format!("#{handoff_id}"))
    .about(lead.id)
    .actions(&buttons::offered(buttons::Progress::OPEN));
    if deadlines.is_empty() {
        message
    } else {
        let lines = deadline_lines(locale, deadlines, tz, now).replace('\n', "; ");
        message.text(tr(locale, "alert-sla", &[("deadlines", lines.into())]))
    }
}

/// The alert of the first lead a person gets after coming back from an absence, with a
/// "welcome back" line before its text.
pub fn welcome_back(alert: Message, locale: Locale, name: &str) -> Message {
    let line = tr(locale, "alert-welcome-back", &[("name", name.into())]);
    let text = match &alert.text {
        Some(rest) => format!("{line}\n{rest}"),
        None => line,
    };
    alert.text(text)
}

/// A reminder before a deadline: it names the clock, the time left and the one step that
/// stops it, and offers that step's button(s) only.
pub fn reminder(
    locale: Locale,
    lead: &Lead,
    clock: ClockKind,
    due: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let left = i18n::span(locale, (due - now).max(chrono::Duration::zero()));
    let title = tr(
        locale,
        &by_clock("reminder-title", clock),
        &[
            ("left", left.into()),
            ("lead", lead.id.into()),
            ("title", lead_title(lead).into()),
        ],
    );
    let text = tr(
        locale,
        &by_clock("reminder-text", clock),
        &[
            ("due", i18n::local(locale, due, tz).into()),
            ("relative", i18n::relative(locale, due, now).into()),
            ("lead", lead.id.into()),
        ],
    );
    Message::new(title)
        .in_locale(locale)
        .text(text)
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

/// A breach notice for the rep, the manager or the channel, in `locale`.
pub fn breach(
    locale: Locale,
    lead: &Lead,
    clock: ClockKind,
    assignee: &str,
    due: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    Message::new(tr(
        locale,
        &by_clock("breach", clock),
        &[
            ("lead", lead.id.into()),
            ("title", lead_title(lead).into()),
            ("due", i18n::local(locale, due, tz).into()),
            ("late", i18n::span(locale, now - due).into()),
            ("assignee", assignee.into()),
        ],
    ))
    .in_locale(locale)
    .about(lead.id)
}

/// What a missed-while-down notice gathers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    Reminders,
    Breaches,
}

/// One notice instead of a burst, for what fell due while Baton was not running.
pub fn missed(locale: Locale, what: Missed, lines: &[String]) -> Message {
    let id = match what {
        Missed::Reminders => "missed-reminders",
        Missed::Breaches => "missed-breaches",
    };
    let count = i64::try_from(lines.len()).unwrap_or(i64::MAX);
    Message::new(tr(locale, id, &[("count", count.into())]))
        .in_locale(locale)
        .text(lines.join("\n"))
}

/// What changed on a handoff, for the update of its alert. Names and reasons are as
/// stored (reason codes stay English); the sentence around them is the reader's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<'a> {
    Acked {
        by: &'a str,
    },
    Contacted {
        by: &'a str,
    },
    Accepted {
        by: &'a str,
    },
    Rejected {
        by: &'a str,
        reason: &'a str,
    },
    Rated {
        by: &'a str,
        stars: u8,
    },
    Reassigned {
        to: &'a str,
        why: &'a str,
    },
    /// Another lead record of the same person came in and was attached to this handoff;
    /// `record` is "#12" or "#12 crm-7".
    Duplicate {
        via: &'a str,
        when: &'a str,
        record: &'a str,
    },
    /// Decided by a stage change the CRM made.
    Outside {
        accepted: bool,
        stage: &'a str,
    },
}

impl Change<'_> {
    /// The change as a phrase in `locale`: "acknowledged by Ann", "confirmado por Ann".
    pub fn phrase(&self, locale: Locale) -> String {
        let (id, args): (&str, Vec<(&str, Arg<'_>)>) = match self {
            Change::Acked { by } => ("update-acked", vec![("by", (*by).into())]),
            Change::Contacted { by } => ("update-contacted", vec![("by", (*by).into())]),
            Change::Accepted { by } => ("update-accepted", vec![("by", (*by).into())]),
            Change::Rejected { by, reason } => (
                "update-rejected",
                vec![("by", (*by).into()), ("reason", (*reason).into())],
            ),
            Change::Rated { by, stars } => (
                "update-rated",
                vec![("by", (*by).into()), ("stars", i64::from(*stars).into())],
            ),
            Change::Reassigned { to, why } => (
                "update-reassigned",
                vec![("to", (*to).into()), ("why", (*why).into())],
            ),
            Change::Duplicate { via, when, record } => (
                "update-duplicate",
                vec![
                    ("via", (*via).into()),
                    ("when", (*when).into()),
                    ("record", (*record).into()),
                ],
            ),
            Change::Outside { accepted, stage } => (
                if *accepted {
                    "update-accepted-outside"
                } else {
                    "update-rejected-outside"
                },
                vec![("stage", (*stage).into())],
            ),
        };
        tr(locale, id, &args)
    }
}

/// An update to a handoff's alert in `locale`: what changed, and the buttons still useful
/// (from [`buttons::of_handoff`], so the edited alert offers what the clocks allow now).
pub fn update(locale: Locale, lead: &Lead, change: &Change<'_>, actions: &[Action]) -> Message {
    Message::new(tr(
        locale,
        "update-title",
        &[
            ("lead", lead.id.into()),
            ("what", change.phrase(locale).into()),
        ],
    ))
    .in_locale(locale)
    .field(&t(locale, "field-lead"), lead_title(lead))
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
        .field("Source", source_line(Locale::En, lead))
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
    let done = match reassigned {
        0 => "Not reassigned".to_string(),
        1 => "Reassigned once after a breach".to_string(),
        n => format!("Reassigned {n} times after breaches"),
    };
    breach.text(format!(
        "{done} (max_reassign = {max_reassign}): the lead stays with {manager}, the team's manager."
    ))
}
