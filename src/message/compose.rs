//! Builds the neutral messages Baton sends: the MQL alert, its updates, and the replies to
//! `/lead show`. Pure functions of their inputs. The alert, its updates, reminders and
//! escalations are written in the reader's [`Locale`] (texts in `locales/*/baton.ftl`);
//! the rest is English until its turn comes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::buttons;
use super::{Action, Mention, Message, inert};
use crate::domain::handoff::LogEntry;
use crate::domain::handoff::{Handoff, Status};
use crate::domain::lead::Lead;
use crate::domain::sla::ClockKind;
use crate::i18n::{self, Arg, Locale, t, tr};

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

/// Why a lead is an MQL, from the stage change that made it one, in its stored form
/// (English, then its arguments: [`i18n::Text::to_stored`]), so each reader sees it in
/// their language and zone.
pub fn why_mql(from: Option<&str>, at: &str) -> String {
    let Ok(when) = DateTime::parse_from_rfc3339(at).map(|t| t.with_timezone(&Utc)) else {
        return match from {
            Some(from) => format!("stage changed {from} → mql at {at}"),
            None => format!("created as mql at {at}"),
        };
    };
    match from {
        Some(from) => i18n::Text::new("why-stage-changed")
            .arg("from", from)
            .time("at", when),
        None => i18n::Text::new("why-created").time("at", when),
    }
    .to_stored()
}

fn lead_title(lead: &Lead) -> String {
    inert(&match lead.field_text("company", &lead.company) {
        Some(company) => format!("{} ({company})", lead.display_name()),
        None => lead.display_name(),
    })
}

/// A field of the lead for a person: the value, or as stored when it is not of its type.
/// Text from elsewhere cannot pose as a mention ([`inert`]).
fn text_of<T: ToString>(lead: &Lead, column: &str, typed: &Option<T>) -> String {
    inert(&lead.field_text(column, typed).unwrap_or_default())
}

fn source_line(locale: Locale, lead: &Lead) -> String {
    let source = lead.field_text("source", &lead.source);
    let campaign = lead.field_text("campaign", &lead.campaign);
    inert(&match (&source, &campaign) {
        (Some(s), Some(c)) => format!("{s} / {c}"),
        (Some(s), None) => s.clone(),
        (None, Some(c)) => format!("{} / {c}", t(locale, "no-source")),
        (None, None) => String::new(),
    })
}

/// The alert for a new handoff, with its buttons and deadlines in the assignee's zone,
/// written in `locale`. The owner and the assignee are named by `who` (an email to the
/// person, shown as a mention where the platform knows them), never by email.
#[allow(clippy::too_many_arguments)]
pub fn alert(
    locale: Locale,
    lead: &Lead,
    handoff_id: i64,
    assignee: &str,
    who: &dyn Fn(&str) -> Mention,
    why: &str,
    route_reason: &i18n::Text,
    deadlines: &[(ClockKind, DateTime<Utc>)],
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let label = |id: &str| t(locale, id);
    let mut message = Message::new(tr(
        locale,
        "alert-title",
        &[("lead", lead_title(lead).into())],
    ));
    let owner = match lead.owner_email.as_deref() {
        Some(email) => message.mention(&who(email)),
        None => text_of(lead, "owner_email", &lead.owner_email),
    };
    let assigned = message.mention(&who(assignee));
    let message = message
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
        .field(
            &label("field-why"),
            i18n::Text::render_stored(why, locale, tz),
        )
        .field(&label("field-owner"), owner)
        .field(
            &label("field-assigned"),
            format!("{assigned} ({})", route_reason.render_in(locale, tz)),
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
    locale: Locale,
    lead: &Lead,
    clock: ClockKind,
    who: &str,
    by: chrono::Duration,
    until: DateTime<Utc>,
    deadline: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let clock_name = t(locale, clock_name_id(clock));
    Message::new(tr(
        locale,
        "snoozed-title",
        &[
            ("who", who.into()),
            ("clock", clock_name.as_str().into()),
            ("lead", lead.id.into()),
            ("title", lead_title(lead).into()),
            ("span", i18n::span(locale, by).into()),
        ],
    ))
    .in_locale(locale)
    .text(tr(
        locale,
        "snoozed-text",
        &[
            ("next", i18n::local(locale, until, tz).into()),
            ("next_relative", i18n::relative(locale, until, now).into()),
            ("clock", clock_name.as_str().into()),
            ("deadline", i18n::local(locale, deadline, tz).into()),
            (
                "deadline_relative",
                i18n::relative(locale, deadline, now).into(),
            ),
        ],
    ))
    .about(lead.id)
}

/// A breach notice for the rep, the manager or the channel, in `locale`.
pub fn breach(
    locale: Locale,
    lead: &Lead,
    clock: ClockKind,
    assignee: &Mention,
    due: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let mut message = Message::default();
    let assignee = message.mention(assignee);
    message.title = tr(
        locale,
        &by_clock("breach", clock),
        &[
            ("lead", lead.id.into()),
            ("title", lead_title(lead).into()),
            ("due", i18n::local(locale, due, tz).into()),
            ("late", i18n::span(locale, now - due).into()),
            ("assignee", assignee.into()),
        ],
    );
    message.in_locale(locale).about(lead.id)
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
        by: &'a Mention,
    },
    Contacted {
        by: &'a Mention,
    },
    Accepted {
        by: &'a Mention,
    },
    Rejected {
        by: &'a Mention,
        reason: &'a str,
    },
    Rated {
        by: &'a Mention,
        stars: u8,
    },
    Reassigned {
        to: &'a Mention,
        why: &'a i18n::Text,
    },
    /// Another lead record of the same person came in and was attached to this handoff;
    /// `record` is "#12" or "#12 crm-7". `when` is written in the reader's locale and
    /// `tz`; a time that could not be read is shown as stored.
    Duplicate {
        via: &'a str,
        when: Result<DateTime<Utc>, &'a str>,
        tz: Tz,
        record: &'a str,
    },
    /// Decided by a stage change the CRM made.
    Outside {
        accepted: bool,
        stage: &'a str,
    },
}

impl Change<'_> {
    /// The change as a phrase in `locale`: "acknowledged by Ann", "confirmado por Ann";
    /// `name` writes a person (a mention of the message the phrase goes in).
    pub fn phrase(&self, locale: Locale, name: &mut dyn FnMut(&Mention) -> String) -> String {
        let (id, args): (&str, Vec<(&str, Arg<'_>)>) = match self {
            Change::Acked { by } => ("update-acked", vec![("by", name(by).into())]),
            Change::Contacted { by } => ("update-contacted", vec![("by", name(by).into())]),
            Change::Accepted { by } => ("update-accepted", vec![("by", name(by).into())]),
            Change::Rejected { by, reason } => (
                "update-rejected",
                vec![("by", name(by).into()), ("reason", (*reason).into())],
            ),
            Change::Rated { by, stars } => (
                "update-rated",
                vec![("by", name(by).into()), ("stars", i64::from(*stars).into())],
            ),
            Change::Reassigned { to, why } => (
                "update-reassigned",
                vec![("to", name(to).into()), ("why", why.render(locale).into())],
            ),
            Change::Duplicate {
                via,
                when,
                tz,
                record,
            } => (
                "update-duplicate",
                vec![
                    ("via", (*via).into()),
                    (
                        "when",
                        match when {
                            Ok(at) => i18n::local(locale, *at, *tz),
                            Err(raw) => raw.to_string(),
                        }
                        .into(),
                    ),
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
    let mut message = Message::default();
    let what = change.phrase(locale, &mut |m| message.mention(m));
    message.title = tr(
        locale,
        "update-title",
        &[("lead", lead.id.into()), ("what", what.into())],
    );
    message
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

/// The message id of a clock's name: "acknowledge", "first touch", "accept or reject".
pub fn clock_name_id(clock: ClockKind) -> &'static str {
    match clock {
        ClockKind::Ack => "clock-ack",
        ClockKind::FirstTouch => "clock-first-touch",
        ClockKind::Disposition => "clock-disposition",
    }
}

/// The state of each clock of a handoff in `locale`: met, breached, or time left, with
/// its deadline in the reader's zone.
pub fn clock_status(locale: Locale, h: &Handoff, tz: Tz, now: DateTime<Utc>) -> Vec<String> {
    ClockKind::ALL
        .into_iter()
        .filter_map(|clock| {
            let due = h.due_at(clock)?;
            let state = match h.stopped_at(clock) {
                Some(done) if done <= due => t(locale, "clock-met"),
                Some(done) => tr(
                    locale,
                    "clock-breached-late",
                    &[("late", i18n::span(locale, done - due).into())],
                ),
                None if h.status != Status::Open => t(locale, "clock-stopped"),
                None if due < now => tr(
                    locale,
                    "clock-breached-ago",
                    &[("ago", i18n::span(locale, now - due).into())],
                ),
                None => tr(
                    locale,
                    "clock-left",
                    &[("left", i18n::span(locale, due - now).into())],
                ),
            };
            Some(tr(
                locale,
                "clock-line",
                &[
                    ("clock", t(locale, clock_name_id(clock)).into()),
                    ("due", i18n::local(locale, due, tz).into()),
                    ("state", state.into()),
                ],
            ))
        })
        .collect()
}

/// `/lead show` in `locale`: the lead, each handoff with its clocks, and its history, every
/// time in the reader's zone; `name` writes a person (an email) as the reader sees them.
pub fn show(
    locale: Locale,
    lead: &Lead,
    handoffs: &[(Handoff, Vec<LogEntry>)],
    tz: Tz,
    now: DateTime<Utc>,
    name: &dyn Fn(&str) -> String,
) -> Message {
    let f = |id: &str| t(locale, id);
    let mut message = Message::new(tr(
        locale,
        "show-title",
        &[("lead", lead.id.into()), ("title", lead_title(lead).into())],
    ))
    .in_locale(locale)
    .field(&f("field-stage"), lead.stage.as_str())
    .field(
        &f("field-external-id"),
        text_of(lead, "external_id", &lead.external_id),
    )
    .field(&f("field-title"), text_of(lead, "title", &lead.title))
    .field(&f("field-email"), text_of(lead, "email", &lead.email))
    .field(&f("field-source"), source_line(locale, lead))
    .field(
        &f("field-company-size"),
        text_of(lead, "company_size", &lead.company_size),
    )
    .field(&f("field-score"), text_of(lead, "score", &lead.score))
    .field(
        &f("field-owner"),
        lead.owner_email
            .as_deref()
            .map(name)
            .unwrap_or_else(|| text_of(lead, "owner_email", &lead.owner_email)),
    )
    .about(lead.id);
    let when = |at: &str| {
        DateTime::parse_from_rfc3339(at)
            .map(|t| i18n::local(locale, t.with_timezone(&Utc), tz))
            .unwrap_or_else(|_| at.to_string())
    };
    let mut text = Vec::new();
    if handoffs.is_empty() {
        text.push(f("show-no-handoffs"));
    }
    for (h, log) in handoffs {
        text.push(tr(
            locale,
            "show-handoff",
            &[
                ("handoff", h.id.into()),
                ("status", h.status.to_string().into()),
                (
                    "assignee",
                    h.assignee
                        .as_deref()
                        .map_or_else(|| f("nobody"), name)
                        .into(),
                ),
                ("opened", i18n::local(locale, h.opened_at, tz).into()),
            ],
        ));
        for line in clock_status(locale, h, tz, now) {
            text.push(format!("  SLA {line}"));
        }
        for entry in log {
            let what = i18n::Text::render_stored(&entry.what, locale, tz);
            text.push(format!(
                "  {} {what}{}",
                when(&entry.at),
                entry
                    .actor
                    .as_deref()
                    .map(|a| format!(" ({})", name(a)))
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
    /// The previous assignee.
    pub from: Mention,
    /// The new assignee.
    pub to: Mention,
    /// Why, in a few words: "ack missed", "handed back", "by Boss" (written in each
    /// reader's language).
    pub note: i18n::Text,
    /// The lead's MQL time: its total wait stays visible.
    pub waiting_since: DateTime<Utc>,
}

/// What the new assignee reads for a clock that ran out: "ack missed".
pub fn missed_note(clock: ClockKind) -> i18n::Text {
    i18n::Text::new("note-missed").arg("clock", clock.as_str())
}

/// The alert of a reassigned handoff in the alert's language: `alert` titled "Reassigned
/// to you from Ann (ack missed)" for the new assignee (in a channel: "Reassigned to Bob
/// from Ann ..."), with the lead's total wait since its MQL time.
pub fn reassigned(
    alert: Message,
    lead: &Lead,
    how: &Reassigned,
    for_assignee: bool,
    tz: Tz,
    now: DateTime<Utc>,
) -> Message {
    let locale = alert.locale;
    let mut alert = alert;
    let to = alert.mention(&how.to);
    let from = alert.mention(&how.from);
    let args = [
        ("to", Arg::from(to)),
        ("from", from.into()),
        ("note", how.note.render_in(locale, tz).into()),
        ("lead", lead_title(lead).into()),
    ];
    let id = if for_assignee {
        "reassigned-to-you"
    } else {
        "reassigned-to"
    };
    let mut message = Message {
        title: tr(locale, id, &args),
        ..alert
    };
    message = message.field(
        &t(locale, "field-waiting"),
        tr(
            locale,
            "reassigned-waiting",
            &[
                ("since", i18n::local(locale, how.waiting_since, tz).into()),
                (
                    "total",
                    i18n::span(
                        locale,
                        (now - how.waiting_since).max(chrono::Duration::zero()),
                    )
                    .into(),
                ),
            ],
        ),
    );
    message
}

/// The end of a cascade, for the breach notice in its language: the lead stays with the
/// team's manager.
pub fn cascade_end(breach: Message, reassigned: u32, max_reassign: u32, manager: &str) -> Message {
    let locale = breach.locale;
    let text = tr(
        locale,
        "cascade-end",
        &[
            ("count", i64::from(reassigned).into()),
            ("max", i64::from(max_reassign).into()),
            ("manager", manager.into()),
        ],
    );
    breach.text(text)
}
