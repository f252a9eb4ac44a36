//! The chat-command grammar, the same on Slack, Discord and the console.
//!
//! The grammar:
//!
//! ```text
//! Command: `/lead ack LEAD`
//! Command: `/lead contacted LEAD [note...]`
//! Command: `/lead accept LEAD [note...]`
//! Command: `/lead reject LEAD REASON [note...]`
//! Command: `/lead rate LEAD 1-5 [note...]`
//! Command: `/lead show LEAD`
//! Command: `/lead why LEAD`
//! Command: `/lead mine`
//! Command: `/lead reassign LEAD PERSON`
//! Command: `/lead snooze LEAD DURATION`
//! Command: `/lead handback LEAD [reason...]`
//! Command: `/funnel [PERIOD] [by DIMENSION] [chart] [share]`   (the optional parts in any order)
//! Command: `/funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [chart]`
//!                                                     (after `customers`, in any order;
//!                                                      PERIOD defaults to this-quarter,
//!                                                      basis to 90d; 1 <= N <= 1000000)
//! Command: `/sla [PERIOD] [TEAM]`                      (in either order)
//! Command: `/baton help`
//! Command: `/baton link EMAIL`
//! Command: `/baton confirm USER`
//! Command: `/baton links`
//! Command: `/baton away [PERSON] AWAY [note...]`
//! Command: `/baton back [PERSON]`
//! Command: `/baton who [TEAM]`
//! Command: `/baton`                                    (= /baton help)
//!
//! LEAD:      a lead id, `12` or `#12` (1 and up), or the lead's external id,
//!            any other single word (`crm-778`)
//! REASON:    not_a_fit | no_budget | no_authority | no_need | bad_timing |
//!            bad_contact | duplicate | competitor | spam | other
//!            (case-insensitive; `-` may stand for `_`)
//! PERSON:    EMAIL, or `@EMAIL`
//! USER:      a Discord user: its id `2002`, or a mention `<@2002>`, `<@!2002>`, `@2002`
//! EMAIL:     an email address (also as Slack writes it: `<mailto:a@b.co|a@b.co>`)
//! DIMENSION: source | campaign | rep | team
//! DURATION:  a length of time above zero, e.g. `30m`, `2h`, `1h30m` (s, m, h, d)
//! PERIOD:    `Nd` (1 <= N <= 3660; `30d` is the default) | this-week | last-week |
//!            this-month | last-month | this-quarter | last-quarter |
//!            YYYY-MM-DD..YYYY-MM-DD (both days included)
//! TEAM:      any other single word
//! AWAY:      today | `Nd` (today and the next N - 1 days, 1 <= N <= 366) |
//!            YYYY-MM-DD | YYYY-MM-DD..YYYY-MM-DD (both days included)
//! ```
//!
//! The leading `/` is optional, extra whitespace is ignored, and the command
//! word, the sub-command and keywords are case-insensitive. A note is the rest
//! of the text, kept as typed (trimmed); an empty note is no note. Emails are
//! lowercased. Every mistake is a [`UsageError`] that names the problem and
//! shows the right usage.

use std::fmt;
use std::str::FromStr;

use crate::domain::availability::AwayPeriod;
use crate::domain::duration::Span;
use crate::domain::handoff::RejectReason;
use crate::domain::period::{Period, PeriodError};
use crate::i18n::{Locale, Text, t};

/// The help text listing every command, one per line, in `locale` (`/baton help`).
pub fn help(locale: Locale) -> String {
    t(locale, "help")
}

const USAGE_ANY: &str = "/lead SUBCOMMAND ... | /funnel ... | /sla ... | /baton help";
const USAGE_LEAD: &str =
    "/lead ack|contacted|accept|reject|rate|show|why|mine|reassign|snooze|handback ...";
const USAGE_ACK: &str = "/lead ack LEAD";
const USAGE_CONTACTED: &str = "/lead contacted LEAD [note]";
const USAGE_ACCEPT: &str = "/lead accept LEAD [note]";
const USAGE_REJECT: &str = "/lead reject LEAD REASON [note]";
const USAGE_RATE: &str = "/lead rate LEAD 1-5 [note]";
const USAGE_SHOW: &str = "/lead show LEAD";
const USAGE_WHY: &str = "/lead why LEAD";
const USAGE_MINE: &str = "/lead mine";
const USAGE_REASSIGN: &str = "/lead reassign LEAD PERSON";
const USAGE_SNOOZE: &str = "/lead snooze LEAD DURATION";
const USAGE_HANDBACK: &str = "/lead handback LEAD [reason]";
const USAGE_FUNNEL: &str = "/funnel [PERIOD] [by source|campaign|rep|team] [chart] [share]";
const USAGE_PLAN: &str =
    "/funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [chart]";
/// The most customers a plan may be for.
pub const PLAN_MAX_CUSTOMERS: u64 = 1_000_000;
const USAGE_SLA: &str = "/sla [PERIOD] [TEAM]";
const USAGE_BATON: &str = "/baton help | /baton link EMAIL | /baton confirm USER | /baton links | /baton away ... | /baton back | /baton who";
const USAGE_HELP: &str = "/baton help";
const USAGE_LINK: &str = "/baton link EMAIL";
const USAGE_CONFIRM: &str = "/baton confirm USER";
const USAGE_LINKS: &str = "/baton links";
const USAGE_AWAY: &str = "/baton away [PERSON] today|3d|YYYY-MM-DD|YYYY-MM-DD..YYYY-MM-DD [note]";
const USAGE_BACK: &str = "/baton back [PERSON]";
const USAGE_WHO: &str = "/baton who [TEAM]";

const REASONS: &str = "not_a_fit, no_budget, no_authority, no_need, bad_timing, bad_contact, \
                       duplicate, competitor, spam, other";

/// A parsed chat command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/lead ack LEAD`
    Ack { lead: LeadRef },
    /// `/lead contacted LEAD [note]`
    Contacted { lead: LeadRef, note: Option<String> },
    /// `/lead accept LEAD [note]`
    Accept { lead: LeadRef, note: Option<String> },
    /// `/lead reject LEAD REASON [note]`
    Reject {
        lead: LeadRef,
        reason: RejectReason,
        note: Option<String>,
    },
    /// `/lead rate LEAD 1-5 [note]`
    Rate {
        lead: LeadRef,
        stars: u8,
        note: Option<String>,
    },
    /// `/lead show LEAD`
    Show { lead: LeadRef },
    /// `/lead why LEAD`
    Why { lead: LeadRef },
    /// `/lead mine`
    Mine,
    /// `/lead reassign LEAD PERSON`; `to` is a lowercased email.
    Reassign { lead: LeadRef, to: String },
    /// `/lead snooze LEAD DURATION`: the next reminder of the lead's clock `by` later.
    Snooze { lead: LeadRef, by: Span },
    /// `/lead handback LEAD [reason]`: the assignee gives the lead back to the rotation.
    Handback {
        lead: LeadRef,
        reason: Option<String>,
    },
    /// `/funnel [PERIOD] [by DIMENSION] [chart] [share]`; `share` posts the report to the
    /// channel instead of answering privately.
    Funnel {
        period: Period,
        by: Option<Dimension>,
        chart: bool,
        share: bool,
    },
    /// `/funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [chart]`
    Plan(PlanRequest),
    /// `/sla [PERIOD] [TEAM]`
    Sla {
        period: Period,
        team: Option<String>,
    },
    /// `/baton help` or `/baton`
    Help,
    /// `/baton link EMAIL`; `email` is lowercased.
    Link { email: String },
    /// `/baton confirm USER`; `user` is the Discord user id.
    Confirm { user: String },
    /// `/baton links`
    Links,
    /// `/baton away [PERSON] AWAY [note]`; `person` is a lowercased email.
    Away {
        person: Option<String>,
        period: AwayPeriod,
        note: Option<String>,
    },
    /// `/baton back [PERSON]`
    Back { person: Option<String> },
    /// `/baton who [TEAM]`
    Who { team: Option<String> },
}

/// How a command names a lead.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LeadRef {
    /// Baton's own numeric id (`12` or `#12`), 1 and up.
    Id(i64),
    /// The lead's id in the system it came from (`crm-778`), as typed.
    External(String),
}

/// A reverse-funnel plan as asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanRequest {
    /// Customers to win, 1 to [`PLAN_MAX_CUSTOMERS`].
    pub customers: u64,
    /// The period to win them in [this-quarter].
    pub period: Period,
    /// Where the conversions are measured [90d].
    pub basis: Period,
    /// `source` or `campaign`.
    pub by: Option<Dimension>,
    pub chart: bool,
}

impl PlanRequest {
    /// A plan for `customers` with the defaults.
    pub fn new(customers: u64) -> PlanRequest {
        PlanRequest {
            customers,
            period: Period::ThisQuarter,
            basis: Period::LastDays(90),
            by: None,
            chart: false,
        }
    }
}

/// What a funnel report can be split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Source,
    Campaign,
    Rep,
    Team,
}

/// A command that could not be parsed: what is wrong, and how it is written.
///
/// Displays as the problem, a newline, and `usage: ` followed by the usage.
/// `problem` is the English text; [`UsageError::render`] writes it in the reader's
/// language (the usage itself is commands and placeholders, the same in every language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}\nusage: {usage}")]
pub struct UsageError {
    /// What is wrong, for the person who typed the command (English).
    pub problem: String,
    /// How the command they meant is written.
    pub usage: &'static str,
    /// The problem as a message, for other languages.
    pub text: Text,
}

impl UsageError {
    fn new(text: Text, usage: &'static str) -> Self {
        UsageError {
            problem: text.to_string(),
            usage,
            text,
        }
    }

    /// The problem and the usage in `locale`: "lead is needed…\nuso: /lead ack LEAD".
    pub fn render(&self, locale: Locale) -> String {
        format!(
            "{}\n{}: {}",
            self.text.render(locale),
            t(locale, "usage-label"),
            self.usage
        )
    }
}

impl FromStr for RejectReason {
    type Err = UsageError;

    /// Case-insensitive; `-` may stand for `_` (`No-Budget`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        RejectReason::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| {
                UsageError::new(
                    Text::new("usage-unknown-reason")
                        .arg("reason", quote(s.trim()))
                        .arg("reasons", REASONS),
                    USAGE_REJECT,
                )
            })
    }
}

// The lowercase names; typing is case-insensitive (`FromStr`).
crate::domain::names!(Dimension {
    Source => "source",
    Campaign => "campaign",
    Rep => "rep",
    Team => "team",
});

impl FromStr for Dimension {
    type Err = UsageError;

    /// Case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Dimension::ALL
            .into_iter()
            .find(|d| s.eq_ignore_ascii_case(d.as_str()))
            .ok_or_else(|| {
                UsageError::new(
                    Text::new("usage-unknown-dimension").arg("word", quote(s)),
                    USAGE_FUNNEL,
                )
            })
    }
}

impl fmt::Display for LeadRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LeadRef::Id(id) => write!(f, "{id}"),
            LeadRef::External(ext) => f.write_str(ext),
        }
    }
}

/// The canonical text of the command; [`parse`] reads it back as the same command.
impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn note(f: &mut fmt::Formatter<'_>, note: &Option<String>) -> fmt::Result {
            match note {
                Some(text) => write!(f, " {text}"),
                None => Ok(()),
            }
        }
        match self {
            Command::Ack { lead } => write!(f, "/lead ack {lead}"),
            Command::Contacted { lead, note: n } => {
                write!(f, "/lead contacted {lead}")?;
                note(f, n)
            }
            Command::Accept { lead, note: n } => {
                write!(f, "/lead accept {lead}")?;
                note(f, n)
            }
            Command::Reject {
                lead,
                reason,
                note: n,
            } => {
                write!(f, "/lead reject {lead} {reason}")?;
                note(f, n)
            }
            Command::Rate {
                lead,
                stars,
                note: n,
            } => {
                write!(f, "/lead rate {lead} {stars}")?;
                note(f, n)
            }
            Command::Show { lead } => write!(f, "/lead show {lead}"),
            Command::Why { lead } => write!(f, "/lead why {lead}"),
            Command::Mine => f.write_str("/lead mine"),
            Command::Reassign { lead, to } => write!(f, "/lead reassign {lead} {to}"),
            Command::Snooze { lead, by } => write!(f, "/lead snooze {lead} {by}"),
            Command::Handback { lead, reason } => {
                write!(f, "/lead handback {lead}")?;
                note(f, reason)
            }
            Command::Funnel {
                period,
                by,
                chart,
                share,
            } => {
                write!(f, "/funnel {period}")?;
                if let Some(by) = by {
                    write!(f, " by {by}")?;
                }
                if *chart {
                    f.write_str(" chart")?;
                }
                if *share {
                    f.write_str(" share")?;
                }
                Ok(())
            }
            Command::Plan(p) => {
                write!(
                    f,
                    "/funnel plan {} customers {} basis {}",
                    p.customers, p.period, p.basis
                )?;
                if let Some(by) = p.by {
                    write!(f, " by {by}")?;
                }
                if p.chart {
                    f.write_str(" chart")?;
                }
                Ok(())
            }
            Command::Sla { period, team } => {
                write!(f, "/sla {period}")?;
                if let Some(team) = team {
                    write!(f, " {team}")?;
                }
                Ok(())
            }
            Command::Help => f.write_str("/baton help"),
            Command::Link { email } => write!(f, "/baton link {email}"),
            Command::Confirm { user } => write!(f, "/baton confirm {user}"),
            Command::Links => f.write_str("/baton links"),
            Command::Away {
                person,
                period,
                note: n,
            } => {
                f.write_str("/baton away")?;
                if let Some(p) = person {
                    write!(f, " {p}")?;
                }
                write!(f, " {period}")?;
                note(f, n)
            }
            Command::Back { person } => match person {
                Some(p) => write!(f, "/baton back {p}"),
                None => f.write_str("/baton back"),
            },
            Command::Who { team } => match team {
                Some(t) => write!(f, "/baton who {t}"),
                None => f.write_str("/baton who"),
            },
        }
    }
}

/// Parses one chat command, e.g. `/lead reject 42 no_budget too small`.
pub fn parse(text: &str) -> Result<Command, UsageError> {
    let mut words = Words::new(text);
    let mut first = words.next();
    if first == Some("/") {
        // `/ lead ack 12`: a slash on its own.
        first = words.next();
    }
    let Some(first) = first else {
        return Err(UsageError::new(Text::new("usage-empty"), USAGE_ANY));
    };
    let word = first.strip_prefix('/').unwrap_or(first);
    if word.eq_ignore_ascii_case("lead") {
        parse_lead(&mut words)
    } else if word.eq_ignore_ascii_case("funnel") {
        parse_funnel(&mut words)
    } else if word.eq_ignore_ascii_case("sla") {
        parse_sla(&mut words)
    } else if word.eq_ignore_ascii_case("baton") {
        parse_baton(&mut words)
    } else {
        Err(UsageError::new(
            Text::new("usage-unknown-command").arg("command", quote(&format!("/{word}"))),
            USAGE_ANY,
        ))
    }
}

fn parse_lead(words: &mut Words<'_>) -> Result<Command, UsageError> {
    let Some(sub) = words.next() else {
        return Err(UsageError::new(Text::new("usage-lead-what"), USAGE_LEAD));
    };
    let sub_is = |name: &str| sub.eq_ignore_ascii_case(name);
    if sub_is("ack") {
        let lead = lead(words, USAGE_ACK)?;
        end(words, USAGE_ACK)?;
        Ok(Command::Ack { lead })
    } else if sub_is("contacted") {
        let lead = lead(words, USAGE_CONTACTED)?;
        Ok(Command::Contacted {
            lead,
            note: words.note(),
        })
    } else if sub_is("accept") {
        let lead = lead(words, USAGE_ACCEPT)?;
        Ok(Command::Accept {
            lead,
            note: words.note(),
        })
    } else if sub_is("reject") {
        let lead = lead(words, USAGE_REJECT)?;
        let Some(reason) = words.next() else {
            return Err(UsageError::new(
                Text::new("usage-reason-needed").arg("reasons", REASONS),
                USAGE_REJECT,
            ));
        };
        Ok(Command::Reject {
            lead,
            reason: reason.parse()?,
            note: words.note(),
        })
    } else if sub_is("rate") {
        let lead = lead(words, USAGE_RATE)?;
        let stars = stars(words.next())?;
        Ok(Command::Rate {
            lead,
            stars,
            note: words.note(),
        })
    } else if sub_is("show") {
        let lead = lead(words, USAGE_SHOW)?;
        end(words, USAGE_SHOW)?;
        Ok(Command::Show { lead })
    } else if sub_is("why") {
        let lead = lead(words, USAGE_WHY)?;
        end(words, USAGE_WHY)?;
        Ok(Command::Why { lead })
    } else if sub_is("mine") {
        end(words, USAGE_MINE)?;
        Ok(Command::Mine)
    } else if sub_is("reassign") {
        let lead = lead(words, USAGE_REASSIGN)?;
        let Some(person) = words.next() else {
            return Err(UsageError::new(
                Text::new("usage-reassign-who"),
                USAGE_REASSIGN,
            ));
        };
        let to = email(person, USAGE_REASSIGN)?;
        end(words, USAGE_REASSIGN)?;
        Ok(Command::Reassign { lead, to })
    } else if sub_is("snooze") {
        let lead = lead(words, USAGE_SNOOZE)?;
        let by = span_value(words.next().unwrap_or_default(), USAGE_SNOOZE)?;
        end(words, USAGE_SNOOZE)?;
        Ok(Command::Snooze { lead, by })
    } else if sub_is("handback") {
        let lead = lead(words, USAGE_HANDBACK)?;
        Ok(Command::Handback {
            lead,
            reason: words.note(),
        })
    } else {
        Err(UsageError::new(
            Text::new("usage-unknown-lead-command").arg("sub", quote(sub)),
            USAGE_LEAD,
        ))
    }
}

fn parse_funnel(words: &mut Words<'_>) -> Result<Command, UsageError> {
    let mut period = None;
    let mut by = None;
    let mut chart = false;
    let mut share = false;
    let mut first = true;
    while let Some(word) = words.next() {
        if std::mem::take(&mut first) && word.eq_ignore_ascii_case("plan") {
            return parse_plan(words);
        }
        if word.eq_ignore_ascii_case("chart") {
            chart = true;
        } else if word.eq_ignore_ascii_case("share") {
            share = true;
        } else if word.eq_ignore_ascii_case("by") {
            let Some(dimension) = words.next() else {
                return Err(UsageError::new(
                    Text::new("usage-by-needs-dimension"),
                    USAGE_FUNNEL,
                ));
            };
            let dimension = dimension.parse()?;
            if by.replace(dimension).is_some() {
                return Err(UsageError::new(
                    Text::new("usage-funnel-split-once"),
                    USAGE_FUNNEL,
                ));
            }
        } else if let Ok(dimension) = word.parse::<Dimension>() {
            return Err(UsageError::new(
                Text::new("usage-not-period-but-dimension")
                    .arg("word", quote(word))
                    .arg("dimension", dimension.as_str()),
                USAGE_FUNNEL,
            ));
        } else {
            let p = Period::parse(word).map_err(|e| period_error(e, USAGE_FUNNEL))?;
            if period.replace(p).is_some() {
                return Err(UsageError::new(
                    Text::new("usage-one-period").arg("word", quote(word)),
                    USAGE_FUNNEL,
                ));
            }
        }
    }
    Ok(Command::Funnel {
        period: period.unwrap_or_default(),
        by,
        chart,
        share,
    })
}

/// The customers of a plan: a whole number from 1 to [`PLAN_MAX_CUSTOMERS`].
pub fn customers_value(value: i64) -> Result<u64, UsageError> {
    u64::try_from(value)
        .ok()
        .filter(|n| (1..=PLAN_MAX_CUSTOMERS).contains(n))
        .ok_or_else(|| {
            UsageError::new(
                Text::new("usage-customers-range").arg("value", value.to_string()),
                USAGE_PLAN,
            )
        })
}

fn parse_plan(words: &mut Words<'_>) -> Result<Command, UsageError> {
    let Some(count) = words.next() else {
        return Err(UsageError::new(
            Text::new("usage-plan-how-many"),
            USAGE_PLAN,
        ));
    };
    let customers = match count.replace(',', "").parse::<i64>() {
        Ok(n) => customers_value(n)?,
        Err(_) => {
            return Err(UsageError::new(
                Text::new("usage-plan-not-a-number").arg("word", quote(count)),
                USAGE_PLAN,
            ));
        }
    };
    match words.next() {
        Some(w) if w.eq_ignore_ascii_case("customers") || w.eq_ignore_ascii_case("customer") => {}
        other => {
            return Err(UsageError::new(
                match other {
                    Some(w) => Text::new("usage-plan-customers-not")
                        .arg("count", count)
                        .arg("word", quote(w)),
                    None => Text::new("usage-plan-customers").arg("count", count),
                },
                USAGE_PLAN,
            ));
        }
    }
    let mut request = PlanRequest::new(customers);
    let (mut period, mut basis, mut by) = (None, None, None);
    while let Some(word) = words.next() {
        if word.eq_ignore_ascii_case("chart") {
            request.chart = true;
        } else if word.eq_ignore_ascii_case("basis") {
            let Some(text) = words.next() else {
                return Err(UsageError::new(
                    Text::new("usage-basis-needs-period"),
                    USAGE_PLAN,
                ));
            };
            let p = Period::parse(text).map_err(|e| period_error(e, USAGE_PLAN))?;
            if basis.replace(p).is_some() {
                return Err(UsageError::new(Text::new("usage-basis-once"), USAGE_PLAN));
            }
        } else if word.eq_ignore_ascii_case("by") {
            let dimension = match words.next().map(str::parse::<Dimension>) {
                Some(Ok(d @ (Dimension::Source | Dimension::Campaign))) => d,
                Some(Ok(d)) => {
                    return Err(UsageError::new(
                        Text::new("usage-plan-by-not").arg("dimension", d.as_str()),
                        USAGE_PLAN,
                    ));
                }
                _ => {
                    return Err(UsageError::new(
                        Text::new("usage-plan-by-needs"),
                        USAGE_PLAN,
                    ));
                }
            };
            if by.replace(dimension).is_some() {
                return Err(UsageError::new(
                    Text::new("usage-plan-split-once"),
                    USAGE_PLAN,
                ));
            }
        } else {
            let p = Period::parse(word).map_err(|e| period_error(e, USAGE_PLAN))?;
            if period.replace(p).is_some() {
                return Err(UsageError::new(
                    Text::new("usage-plan-one-period")
                        .arg("word", quote(word))
                        .arg("basis", word),
                    USAGE_PLAN,
                ));
            }
        }
    }
    request.period = period.unwrap_or(request.period);
    request.basis = basis.unwrap_or(request.basis);
    request.by = by;
    Ok(Command::Plan(request))
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    fn plan(
        customers: u64,
        period: Period,
        basis: Period,
        by: Option<Dimension>,
        chart: bool,
    ) -> Command {
        Command::Plan(PlanRequest {
            customers,
            period,
            basis,
            by,
            chart,
        })
    }

    #[test]
    fn parses_plans() {
        let q = Period::ThisQuarter;
        let d90 = Period::LastDays(90);
        let cases = [
            ("/funnel plan 1 customers", plan(1, q, d90, None, false)),
            ("/funnel plan 12 customers", plan(12, q, d90, None, false)),
            ("funnel PLAN 1 customer", plan(1, q, d90, None, false)),
            (
                "/funnel plan 1,200 customers",
                plan(1_200, q, d90, None, false),
            ),
            (
                "/funnel plan 12 customers this-month basis 180d",
                plan(12, Period::ThisMonth, Period::LastDays(180), None, false),
            ),
            (
                "/funnel plan 12 customers basis last-quarter by source chart",
                plan(12, q, Period::LastQuarter, Some(Dimension::Source), true),
            ),
            (
                "/funnel plan 3 customers chart by Campaign 2027-01-01..2027-03-31",
                plan(
                    3,
                    Period::parse("2027-01-01..2027-03-31").unwrap(),
                    d90,
                    Some(Dimension::Campaign),
                    true,
                ),
            ),
        ];
        for (text, want) in cases {
            let got = parse(text);
            assert_eq!(got, Ok(want.clone()), "{text}");
            assert_eq!(parse(&want.to_string()), Ok(want), "{text} round trip");
        }
    }

    #[test]
    fn refuses_bad_plans_with_the_plan_usage() {
        let cases = [
            ("/funnel plan", "how many customers?"),
            (
                "/funnel plan twelve customers",
                "\"twelve\" is not a number of customers",
            ),
            ("/funnel plan 0 customers", "0 customers cannot be planned"),
            (
                "/funnel plan -3 customers",
                "-3 customers cannot be planned",
            ),
            (
                "/funnel plan 1000001 customers",
                "1000001 customers cannot be planned",
            ),
            (
                "/funnel plan 12",
                "a plan is for customers: write \"12 customers\"",
            ),
            ("/funnel plan 12 mqls", "not \"mqls\""),
            (
                "/funnel plan 12 customers by rep",
                "by source or campaign, not by rep",
            ),
            (
                "/funnel plan 12 customers by",
                "\"by\" needs source or campaign",
            ),
            (
                "/funnel plan 12 customers basis",
                "\"basis\" needs a period",
            ),
            (
                "/funnel plan 12 customers basis 7x",
                "\"7x\" is not a period",
            ),
            (
                "/funnel plan 12 customers 7d 30d",
                "only one period is allowed",
            ),
            (
                "/funnel plan 12 customers basis 7d basis 30d",
                "give \"basis\" once",
            ),
            (
                "/funnel plan 12 customers by source by campaign",
                "split only one way",
            ),
        ];
        for (text, problem) in cases {
            let e = parse(text).unwrap_err();
            assert!(e.problem.contains(problem), "{text}: {}", e.problem);
            assert_eq!(e.usage, USAGE_PLAN, "{text}");
        }
    }
}

fn parse_sla(words: &mut Words<'_>) -> Result<Command, UsageError> {
    let mut period = None;
    let mut team: Option<String> = None;
    for word in words.by_ref() {
        match Period::parse(word) {
            Ok(p) => {
                if period.replace(p).is_some() {
                    return Err(UsageError::new(
                        Text::new("usage-one-period").arg("word", quote(word)),
                        USAGE_SLA,
                    ));
                }
            }
            Err(PeriodError::NotAPeriod(_)) => {
                if team.is_some() {
                    return Err(too_many(word, USAGE_SLA));
                }
                team = Some(word.to_string());
            }
            Err(e) => return Err(period_error(e, USAGE_SLA)),
        }
    }
    Ok(Command::Sla {
        period: period.unwrap_or_default(),
        team,
    })
}

fn parse_baton(words: &mut Words<'_>) -> Result<Command, UsageError> {
    let Some(sub) = words.next() else {
        return Ok(Command::Help);
    };
    if sub.eq_ignore_ascii_case("help") {
        end(words, USAGE_HELP)?;
        Ok(Command::Help)
    } else if sub.eq_ignore_ascii_case("link") {
        let Some(address) = words.next() else {
            return Err(UsageError::new(Text::new("usage-link-email"), USAGE_LINK));
        };
        let email = email(address, USAGE_LINK)?;
        end(words, USAGE_LINK)?;
        Ok(Command::Link { email })
    } else if sub.eq_ignore_ascii_case("confirm") {
        let Some(word) = words.next() else {
            return Err(UsageError::new(
                Text::new("usage-confirm-whose"),
                USAGE_CONFIRM,
            ));
        };
        let user = user_value(word)?;
        end(words, USAGE_CONFIRM)?;
        Ok(Command::Confirm { user })
    } else if sub.eq_ignore_ascii_case("links") {
        end(words, USAGE_LINKS)?;
        Ok(Command::Links)
    } else if sub.eq_ignore_ascii_case("away") {
        let mut next = words.next();
        let person = match next {
            Some(word) if word.contains('@') => {
                next = words.next();
                Some(email(word, USAGE_AWAY)?)
            }
            _ => None,
        };
        let Some(word) = next else {
            return Err(UsageError::new(
                Text::new("usage-away-how-long"),
                USAGE_AWAY,
            ));
        };
        let period = away_value(word)?;
        Ok(Command::Away {
            person,
            period,
            note: words.note(),
        })
    } else if sub.eq_ignore_ascii_case("back") {
        let person = words.next().map(|w| email(w, USAGE_BACK)).transpose()?;
        end(words, USAGE_BACK)?;
        Ok(Command::Back { person })
    } else if sub.eq_ignore_ascii_case("who") {
        let team = words.next().map(str::to_string);
        end(words, USAGE_WHO)?;
        Ok(Command::Who { team })
    } else {
        Err(UsageError::new(
            Text::new("usage-unknown-baton-command").arg("sub", quote(sub)),
            USAGE_BATON,
        ))
    }
}

/// A lead given as one value (a Discord option): the whole value must be one lead, so
/// `"1 5"` is an error, never lead 1 with something after it.
pub fn lead_value(value: &str, usage: &'static str) -> Result<LeadRef, UsageError> {
    let mut words = Words::new(value);
    let lead = lead(&mut words, usage)?;
    match words.next() {
        Some(_) => Err(UsageError::new(
            Text::new("usage-not-one-lead").arg("word", quote(value.trim())),
            usage,
        )),
        None => Ok(lead),
    }
}

/// A rating given as one number (a Discord option).
pub fn stars_value(value: i64) -> Result<u8, UsageError> {
    stars(Some(&value.to_string()))
}

/// A lowercased email given as one value (a Discord option).
pub fn email_value(value: &str, usage: &'static str) -> Result<String, UsageError> {
    email(value.trim(), usage)
}

/// How long `/baton away` lasts, from one word (also a Discord option).
pub fn away_value(word: &str) -> Result<AwayPeriod, UsageError> {
    AwayPeriod::parse(word).map_err(|e| UsageError::new(e, USAGE_AWAY))
}

/// A Discord user id from `2002`, `<@2002>`, `<@!2002>` or `@2002`.
pub fn user_value(word: &str) -> Result<String, UsageError> {
    let word = word.trim();
    let inner = word
        .strip_prefix("<@")
        .and_then(|w| w.strip_suffix('>'))
        .map(|w| w.strip_prefix('!').unwrap_or(w))
        .or_else(|| word.strip_prefix('@'))
        .unwrap_or(word);
    if !inner.is_empty() && inner.len() <= 20 && inner.bytes().all(|b| b.is_ascii_digit()) {
        Ok(inner.to_string())
    } else {
        Err(UsageError::new(
            Text::new("usage-not-discord-user").arg("word", quote(word)),
            USAGE_CONFIRM,
        ))
    }
}

/// The usage line of each command a Discord option can feed, by command and sub-command.
pub fn usage_of(command: &str, sub: &str) -> &'static str {
    match (command, sub) {
        ("lead", "ack") => USAGE_ACK,
        ("lead", "contacted") => USAGE_CONTACTED,
        ("lead", "accept") => USAGE_ACCEPT,
        ("lead", "reject") => USAGE_REJECT,
        ("lead", "rate") => USAGE_RATE,
        ("lead", "show") => USAGE_SHOW,
        ("lead", "why") => USAGE_WHY,
        ("lead", "mine") => USAGE_MINE,
        ("lead", "reassign") => USAGE_REASSIGN,
        ("lead", "snooze") => USAGE_SNOOZE,
        ("lead", "handback") => USAGE_HANDBACK,
        ("lead", _) => USAGE_LEAD,
        ("funnel", "plan") => USAGE_PLAN,
        ("funnel", _) => USAGE_FUNNEL,
        ("sla", _) => USAGE_SLA,
        ("baton", "link") => USAGE_LINK,
        ("baton", "confirm") => USAGE_CONFIRM,
        ("baton", "links") => USAGE_LINKS,
        ("baton", "away") => USAGE_AWAY,
        ("baton", "back") => USAGE_BACK,
        ("baton", "who") => USAGE_WHO,
        ("baton", _) => USAGE_BATON,
        _ => USAGE_ANY,
    }
}

/// The next word as a lead.
fn lead(words: &mut Words<'_>, usage: &'static str) -> Result<LeadRef, UsageError> {
    let Some(word) = words.next() else {
        return Err(UsageError::new(Text::new("usage-lead-needed"), usage));
    };
    let not_a_lead = || {
        UsageError::new(
            Text::new("usage-not-a-lead").arg("word", quote(word)),
            usage,
        )
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unhashed = word.strip_prefix('#').unwrap_or(word);
    if all_digits(unhashed) {
        return match unhashed.parse::<i64>() {
            Ok(id) if id >= 1 => Ok(LeadRef::Id(id)),
            _ => Err(not_a_lead()),
        };
    }
    if unhashed.is_empty() || unhashed.strip_prefix('-').is_some_and(all_digits) {
        return Err(not_a_lead());
    }
    Ok(LeadRef::External(word.to_string()))
}

/// A snooze's length: a duration above zero such as `30m`, `2h` or `1h30m` (also one
/// typed option on Discord).
pub fn span_value(word: &str, usage: &'static str) -> Result<Span, UsageError> {
    if word.trim().is_empty() {
        return Err(UsageError::new(Text::new("usage-how-long"), usage));
    }
    match word.parse::<Span>() {
        Ok(span) if span.as_millis() >= 1000 => Ok(span),
        Ok(_) => Err(UsageError::new(
            Text::new("usage-too-short").arg("word", quote(word)),
            usage,
        )),
        Err(_) => Err(UsageError::new(
            Text::new("usage-not-a-duration").arg("word", quote(word)),
            usage,
        )),
    }
}

fn stars(word: Option<&str>) -> Result<u8, UsageError> {
    let Some(word) = word else {
        return Err(UsageError::new(
            Text::new("usage-rating-needed"),
            USAGE_RATE,
        ));
    };
    match word.parse::<u8>() {
        Ok(n @ 1..=5) if word.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(UsageError::new(
            Text::new("usage-not-a-rating").arg("word", quote(word)),
            USAGE_RATE,
        )),
    }
}

/// A lowercased email from `a@b.co`, `@a@b.co` or Slack's `<mailto:a@b.co|a@b.co>`.
fn email(word: &str, usage: &'static str) -> Result<String, UsageError> {
    let mut address = word;
    if let Some(inner) = address
        .strip_prefix("<mailto:")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        address = inner.rsplit('|').next().unwrap_or(inner);
    }
    let address = address.strip_prefix('@').unwrap_or(address);
    if is_email(address) {
        Ok(address.to_ascii_lowercase())
    } else {
        Err(UsageError::new(
            Text::new("usage-not-an-email").arg("word", quote(word)),
            usage,
        ))
    }
}

/// A plain ASCII `local@domain.tld` address.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// Fails if any word is left.
fn end(words: &mut Words<'_>, usage: &'static str) -> Result<(), UsageError> {
    match words.next() {
        Some(extra) => Err(too_many(extra, usage)),
        None => Ok(()),
    }
}

fn too_many(extra: &str, usage: &'static str) -> UsageError {
    UsageError::new(Text::new("usage-too-many").arg("word", quote(extra)), usage)
}

fn period_error(e: PeriodError, usage: &'static str) -> UsageError {
    UsageError::new(period_text(&e), usage)
}

/// A period's mistake as a message.
pub fn period_text(e: &PeriodError) -> Text {
    match e {
        PeriodError::NotAPeriod(w) => Text::new("period-not-a-period").arg("word", w.as_str()),
        PeriodError::DaysOutOfRange(w) => {
            Text::new("period-days-out-of-range").arg("word", w.as_str())
        }
        PeriodError::BadDate(w) => Text::new("period-bad-date").arg("word", w.as_str()),
        PeriodError::EndBeforeStart { from, to } => Text::new("period-end-before-start")
            .arg("from", from.to_string())
            .arg("to", to.to_string()),
    }
}

/// A typed word in quotes, cut to a length fit for a chat message.
fn quote(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("\"{}…\"", &text[..cut]),
        None => format!("\"{text}\""),
    }
}

/// The words of a command, separated by any whitespace, with access to the
/// untouched rest of the text for notes.
struct Words<'a> {
    rest: &'a str,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        Words { rest: text }
    }

    /// The rest of the text, trimmed; `None` if nothing is left.
    fn note(&mut self) -> Option<String> {
        let note = self.rest.trim();
        self.rest = "";
        (!note.is_empty()).then(|| note.to_string())
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest.trim_start();
        if text.is_empty() {
            self.rest = text;
            return None;
        }
        let end = text.find(char::is_whitespace).unwrap_or(text.len());
        let (word, rest) = text.split_at(end);
        self.rest = rest;
        Some(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use Command::*;
    use LeadRef::{External, Id};

    fn ext(id: &str) -> LeadRef {
        External(id.to_string())
    }

    fn note(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    fn range(a: &str, b: &str) -> Period {
        let d = |s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
        };
        Period::Range(d(a), d(b))
    }

    #[track_caller]
    fn check(input: &str, expect: Command) {
        assert_eq!(parse(input), Ok(expect), "parsing {input:?}");
    }

    #[track_caller]
    fn check_err(input: &str, problem: &str, usage: &str) {
        match parse(input) {
            Ok(cmd) => panic!("parsing {input:?}: expected an error, got {cmd:?}"),
            Err(e) => {
                assert_eq!(
                    (e.problem.as_str(), e.usage),
                    (problem, usage),
                    "parsing {input:?}"
                );
                assert_eq!(e.to_string(), format!("{problem}\nusage: {usage}"));
            }
        }
    }

    #[test]
    fn parses_lead_commands() {
        let cases: Vec<(&str, Command)> = vec![
            ("/lead ack 12", Ack { lead: Id(12) }),
            ("lead ack 12", Ack { lead: Id(12) }),
            ("/lead ack #12", Ack { lead: Id(12) }),
            ("/lead ack 007", Ack { lead: Id(7) }),
            (
                "/lead ack crm-778",
                Ack {
                    lead: ext("crm-778"),
                },
            ),
            (
                "/lead ack CRM-778",
                Ack {
                    lead: ext("CRM-778"),
                },
            ),
            ("/lead ack #abc", Ack { lead: ext("#abc") }),
            ("/lead ack 12a", Ack { lead: ext("12a") }),
            ("/lead ack -x", Ack { lead: ext("-x") }),
            ("/lead ack 9223372036854775807", Ack { lead: Id(i64::MAX) }),
            ("  /LEAD   ACK\t12  ", Ack { lead: Id(12) }),
            ("/Lead Ack 12", Ack { lead: Id(12) }),
            ("/ lead ack 12", Ack { lead: Id(12) }),
            (
                "/lead contacted 12",
                Contacted {
                    lead: Id(12),
                    note: None,
                },
            ),
            (
                "/lead contacted 12   ",
                Contacted {
                    lead: Id(12),
                    note: None,
                },
            ),
            (
                "/lead contacted 12 left a voicemail",
                Contacted {
                    lead: Id(12),
                    note: note("left a voicemail"),
                },
            ),
            (
                "/lead contacted crm-778   Called;  CALL BACK Tuesday  ",
                Contacted {
                    lead: ext("crm-778"),
                    note: note("Called;  CALL BACK Tuesday"),
                },
            ),
            (
                "/lead contacted 5 line one\nline two",
                Contacted {
                    lead: Id(5),
                    note: note("line one\nline two"),
                },
            ),
            (
                "/lead accept 3",
                Accept {
                    lead: Id(3),
                    note: None,
                },
            ),
            (
                "/lead ACCEPT #3 big deal, 50 seats",
                Accept {
                    lead: Id(3),
                    note: note("big deal, 50 seats"),
                },
            ),
            (
                "/lead accept 3 Ünïcødé 🎉 note",
                Accept {
                    lead: Id(3),
                    note: note("Ünïcødé 🎉 note"),
                },
            ),
            (
                "/lead reject 42 no_budget too small",
                Reject {
                    lead: Id(42),
                    reason: RejectReason::NoBudget,
                    note: note("too small"),
                },
            ),
            (
                "/lead reject 42 no-budget",
                Reject {
                    lead: Id(42),
                    reason: RejectReason::NoBudget,
                    note: None,
                },
            ),
            (
                "/lead reject 42 NO_BUDGET",
                Reject {
                    lead: Id(42),
                    reason: RejectReason::NoBudget,
                    note: None,
                },
            ),
            (
                "/lead reject crm-1 Not-A-Fit wrong industry",
                Reject {
                    lead: ext("crm-1"),
                    reason: RejectReason::NotAFit,
                    note: note("wrong industry"),
                },
            ),
            (
                "/lead reject 1 no_authority",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::NoAuthority,
                    note: None,
                },
            ),
            (
                "/lead reject 1 no_need",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::NoNeed,
                    note: None,
                },
            ),
            (
                "/lead reject 1 bad_timing call in Q3",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::BadTiming,
                    note: note("call in Q3"),
                },
            ),
            (
                "/lead reject 1 bad-contact",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::BadContact,
                    note: None,
                },
            ),
            (
                "/lead reject 1 duplicate of #7",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::Duplicate,
                    note: note("of #7"),
                },
            ),
            (
                "/lead reject 1 competitor",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::Competitor,
                    note: None,
                },
            ),
            (
                "/lead reject 1 SPAM",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::Spam,
                    note: None,
                },
            ),
            (
                "/lead reject 1 other student project",
                Reject {
                    lead: Id(1),
                    reason: RejectReason::Other,
                    note: note("student project"),
                },
            ),
            (
                "/lead rate 12 4",
                Rate {
                    lead: Id(12),
                    stars: 4,
                    note: None,
                },
            ),
            (
                "/lead rate 12 1",
                Rate {
                    lead: Id(12),
                    stars: 1,
                    note: None,
                },
            ),
            (
                "/lead rate #12 5 great fit",
                Rate {
                    lead: Id(12),
                    stars: 5,
                    note: note("great fit"),
                },
            ),
            ("/lead show 12", Show { lead: Id(12) }),
            ("/lead WHY #12", Why { lead: Id(12) }),
            (
                "lead why crm-778",
                Why {
                    lead: ext("crm-778"),
                },
            ),
            (
                "/lead show crm-778",
                Show {
                    lead: ext("crm-778"),
                },
            ),
            ("/lead mine", Mine),
            ("/lead MINE  ", Mine),
            (
                "/lead reassign 12 ana@example.com",
                Reassign {
                    lead: Id(12),
                    to: "ana@example.com".to_string(),
                },
            ),
            (
                "/lead reassign 12 @Ana.Lopez@Example.COM",
                Reassign {
                    lead: Id(12),
                    to: "ana.lopez@example.com".to_string(),
                },
            ),
            (
                "/lead reassign crm-9 <mailto:bo+sales@ex.co.uk|bo+sales@ex.co.uk>",
                Reassign {
                    lead: ext("crm-9"),
                    to: "bo+sales@ex.co.uk".to_string(),
                },
            ),
            (
                "/lead reassign 9 <mailto:bo@ex.io>",
                Reassign {
                    lead: Id(9),
                    to: "bo@ex.io".to_string(),
                },
            ),
            (
                "/lead handback 12",
                Handback {
                    lead: Id(12),
                    reason: None,
                },
            ),
            (
                "/LEAD HandBack crm-9   on holiday from Monday ",
                Handback {
                    lead: ext("crm-9"),
                    reason: note("on holiday from Monday"),
                },
            ),
        ];
        for (input, expect) in cases {
            check(input, expect);
        }
    }

    #[test]
    fn parses_report_and_baton_commands() {
        let funnel = |period, by, chart| Funnel {
            period,
            by,
            chart,
            share: false,
        };
        let sla = |period, team: Option<&str>| Sla {
            period,
            team: team.map(str::to_string),
        };
        let cases: Vec<(&str, Command)> = vec![
            ("/funnel", funnel(Period::LastDays(30), None, false)),
            ("funnel", funnel(Period::LastDays(30), None, false)),
            ("/funnel 7d", funnel(Period::LastDays(7), None, false)),
            ("/funnel 90D", funnel(Period::LastDays(90), None, false)),
            ("/funnel 365d", funnel(Period::LastDays(365), None, false)),
            ("/funnel this-week", funnel(Period::ThisWeek, None, false)),
            ("/funnel last-week", funnel(Period::LastWeek, None, false)),
            ("/funnel this-month", funnel(Period::ThisMonth, None, false)),
            ("/funnel last-month", funnel(Period::LastMonth, None, false)),
            (
                "/funnel this-quarter",
                funnel(Period::ThisQuarter, None, false),
            ),
            (
                "/funnel Last-Quarter",
                funnel(Period::LastQuarter, None, false),
            ),
            (
                "/funnel 2026-01-01..2026-03-31",
                funnel(range("2026-01-01", "2026-03-31"), None, false),
            ),
            (
                "/funnel by source",
                funnel(Period::LastDays(30), Some(Dimension::Source), false),
            ),
            (
                "/funnel by Campaign",
                funnel(Period::LastDays(30), Some(Dimension::Campaign), false),
            ),
            (
                "/funnel BY rep",
                funnel(Period::LastDays(30), Some(Dimension::Rep), false),
            ),
            (
                "/funnel by team",
                funnel(Period::LastDays(30), Some(Dimension::Team), false),
            ),
            ("/funnel chart", funnel(Period::LastDays(30), None, true)),
            (
                "/funnel 7d by source chart",
                funnel(Period::LastDays(7), Some(Dimension::Source), true),
            ),
            (
                "/funnel chart by rep last-month",
                funnel(Period::LastMonth, Some(Dimension::Rep), true),
            ),
            (
                "/funnel by campaign  this-quarter",
                funnel(Period::ThisQuarter, Some(Dimension::Campaign), false),
            ),
            (
                "/funnel CHART chart",
                funnel(Period::LastDays(30), None, true),
            ),
            ("/sla", sla(Period::LastDays(30), None)),
            ("/sla 7d", sla(Period::LastDays(7), None)),
            ("/sla emea", sla(Period::LastDays(30), Some("emea"))),
            ("/sla last-month EMEA", sla(Period::LastMonth, Some("EMEA"))),
            (
                "/sla enterprise this-week",
                sla(Period::ThisWeek, Some("enterprise")),
            ),
            (
                "/sla 2026-01-01..2026-01-31 smb",
                sla(range("2026-01-01", "2026-01-31"), Some("smb")),
            ),
            ("/sla 45x", sla(Period::LastDays(30), Some("45x"))),
            ("/baton", Help),
            ("baton", Help),
            ("/baton help", Help),
            ("/BATON HELP", Help),
            (
                "/baton link Ana@Example.com",
                Link {
                    email: "ana@example.com".to_string(),
                },
            ),
            (
                "/baton link @ana@example.com",
                Link {
                    email: "ana@example.com".to_string(),
                },
            ),
            (
                "/baton away 3d dentist, then the offsite",
                Away {
                    person: None,
                    period: AwayPeriod::Days(3),
                    note: note("dentist, then the offsite"),
                },
            ),
            (
                "/baton AWAY @Bob@acme.test today",
                Away {
                    person: Some("bob@acme.test".into()),
                    period: AwayPeriod::Today,
                    note: None,
                },
            ),
            ("/baton back", Back { person: None }),
            (
                "/baton back bob@acme.test",
                Back {
                    person: Some("bob@acme.test".into()),
                },
            ),
            ("/baton who", Who { team: None }),
            (
                "/baton who sales",
                Who {
                    team: Some("sales".into()),
                },
            ),
        ];
        for (input, expect) in cases {
            check(input, expect);
        }
        for (input, problem) in [
            ("/baton away", "for how long?"),
            ("/baton away bob@acme.test", "for how long?"),
            ("/baton away tomorrow", "\"tomorrow\" is not a period"),
            ("/baton back bob", "\"bob\" is not an email address"),
            ("/baton who sales now", "too many words"),
        ] {
            let e = parse(input).unwrap_err();
            assert!(e.problem.contains(problem), "{input}: {e}");
        }
    }

    #[test]
    fn reports_mistakes() {
        let not_a_period = |t: &str| {
            format!(
                "\"{t}\" is not a period: use 7d, 30d, 90d, this-week, last-week, this-month, \
                 last-month, this-quarter, last-quarter or 2026-01-01..2026-03-31"
            )
        };
        let reasons = "not_a_fit, no_budget, no_authority, no_need, bad_timing, bad_contact, \
                       duplicate, competitor, spam, other";
        let no_lead = "a lead is needed: its number, like 12, or its external id, like crm-778";
        let not_lead =
            |t: &str| format!("\"{t}\" is not a lead: a lead number is a whole number from 1 up");
        let not_email =
            |t: &str| format!("\"{t}\" is not an email address: use one like ana@example.com");
        let not_rating =
            |t: &str| format!("\"{t}\" is not a rating: use a whole number from 1 to 5");
        let too_many = |t: &str| format!("too many words: \"{t}\" is not expected here");
        let empty = "the command is empty: try /lead, /funnel, /sla or /baton help";
        let cases: Vec<(&str, String, &str)> = vec![
            ("", empty.into(), USAGE_ANY),
            ("   \t\n ", empty.into(), USAGE_ANY),
            ("/", empty.into(), USAGE_ANY),
            (
                "/leed ack 12",
                "unknown command \"/leed\": try /lead, /funnel, /sla or /baton help".into(),
                USAGE_ANY,
            ),
            (
                "leads",
                "unknown command \"/leads\": try /lead, /funnel, /sla or /baton help".into(),
                USAGE_ANY,
            ),
            (
                "//lead ack 1",
                "unknown command \"//lead\": try /lead, /funnel, /sla or /baton help".into(),
                USAGE_ANY,
            ),
            (
                "/help",
                "unknown command \"/help\": try /lead, /funnel, /sla or /baton help".into(),
                USAGE_ANY,
            ),
            (
                "/lead",
                "what should /lead do? use ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze or handback".into(),
                USAGE_LEAD,
            ),
            (
                "/lead ackk 12",
                "unknown /lead command \"ackk\": use ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze or handback".into(),
                USAGE_LEAD,
            ),
            ("/lead ack", no_lead.into(), USAGE_ACK),
            ("/lead contacted   ", no_lead.into(), USAGE_CONTACTED),
            ("/lead accept", no_lead.into(), USAGE_ACCEPT),
            ("/lead reject", no_lead.into(), USAGE_REJECT),
            ("/lead rate", no_lead.into(), USAGE_RATE),
            ("/lead show", no_lead.into(), USAGE_SHOW),
            ("/lead why", no_lead.into(), USAGE_WHY),
            ("/lead why 12 13", too_many("13"), USAGE_WHY),
            ("/lead reassign", no_lead.into(), USAGE_REASSIGN),
            ("/lead handback", no_lead.into(), USAGE_HANDBACK),
            ("/lead ack 0", not_lead("0"), USAGE_ACK),
            ("/lead ack #0", not_lead("#0"), USAGE_ACK),
            ("/lead ack 000", not_lead("000"), USAGE_ACK),
            ("/lead ack -3", not_lead("-3"), USAGE_ACK),
            ("/lead show #-3", not_lead("#-3"), USAGE_SHOW),
            ("/lead ack #", not_lead("#"), USAGE_ACK),
            ("/lead ack 9223372036854775808", not_lead("9223372036854775808"), USAGE_ACK),
            ("/lead ack 12 now", too_many("now"), USAGE_ACK),
            ("/lead show 12 please", too_many("please"), USAGE_SHOW),
            ("/lead mine extra", too_many("extra"), USAGE_MINE),
            (
                "/lead reject 42",
                format!("a reason is needed: one of {reasons}"),
                USAGE_REJECT,
            ),
            (
                "/lead reject 42 cheap skates",
                format!("unknown reason \"cheap\": use one of {reasons}"),
                USAGE_REJECT,
            ),
            (
                "/lead reject no_budget",
                format!("a reason is needed: one of {reasons}"),
                USAGE_REJECT,
            ),
            ("/lead rate 12", "a rating is needed: a whole number from 1 to 5".into(), USAGE_RATE),
            ("/lead rate 12 0", not_rating("0"), USAGE_RATE),
            ("/lead rate 12 6", not_rating("6"), USAGE_RATE),
            ("/lead rate 12 +4", not_rating("+4"), USAGE_RATE),
            ("/lead rate 12 4.5", not_rating("4.5"), USAGE_RATE),
            ("/lead rate 12 four", not_rating("four"), USAGE_RATE),
            ("/lead rate 12 300", not_rating("300"), USAGE_RATE),
            (
                "/lead reassign 12",
                "who should get the lead? give their email, like ana@example.com".into(),
                USAGE_REASSIGN,
            ),
            ("/lead reassign 12 bob", not_email("bob"), USAGE_REASSIGN),
            ("/lead reassign 12 @bob", not_email("@bob"), USAGE_REASSIGN),
            ("/lead reassign 12 bob@localhost", not_email("bob@localhost"), USAGE_REASSIGN),
            ("/lead reassign 12 bob@@ex.com", not_email("bob@@ex.com"), USAGE_REASSIGN),
            ("/lead reassign 12 bob@ex..com", not_email("bob@ex..com"), USAGE_REASSIGN),
            ("/lead reassign 12 .bob@ex.com", not_email(".bob@ex.com"), USAGE_REASSIGN),
            ("/lead reassign 12 bob@ex.com.", not_email("bob@ex.com."), USAGE_REASSIGN),
            ("/lead reassign 12 <@U123>", not_email("<@U123>"), USAGE_REASSIGN),
            (
                "/lead reassign 12 ana@example.com and bo@example.com",
                too_many("and"),
                USAGE_REASSIGN,
            ),
            (
                "/baton link",
                "an email is needed: the one you use in Baton, like ana@example.com".into(),
                USAGE_LINK,
            ),
            ("/baton link ana", not_email("ana"), USAGE_LINK),
            ("/baton link josé@example.com", not_email("josé@example.com"), USAGE_LINK),
            ("/baton link a@b.co c@d.co", too_many("c@d.co"), USAGE_LINK),
            ("/baton help me", too_many("me"), USAGE_HELP),
            (
                "/baton start",
                "unknown /baton command \"start\": use help, link, confirm, links, away, back or who".into(),
                USAGE_BATON,
            ),
            ("/funnel 45x", not_a_period("45x"), USAGE_FUNNEL),
            ("/funnel 7d 45x", not_a_period("45x"), USAGE_FUNNEL),
            (
                "/funnel 0d",
                "\"0d\" is not a period: the number of days must be from 1 to 3660".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel 3661d",
                "\"3661d\" is not a period: the number of days must be from 1 to 3660".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel 2026-03-31..2026-01-01",
                "the period 2026-03-31..2026-01-01 ends before it starts".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel 2026-02-30..2026-03-31",
                "\"2026-02-30\" is not a date: write dates as YYYY-MM-DD, like 2026-01-31".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel by region",
                "unknown dimension \"region\": use source, campaign, rep or team".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel 7d by",
                "\"by\" needs a dimension: source, campaign, rep or team".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel by by",
                "unknown dimension \"by\": use source, campaign, rep or team".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel by source by rep",
                "the funnel can be split only one way: give \"by\" once".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel source",
                "\"source\" is not a period: to split the funnel, write \"by source\"".into(),
                USAGE_FUNNEL,
            ),
            (
                "/funnel 7d this-month",
                "only one period is allowed, but \"this-month\" is a second".into(),
                USAGE_FUNNEL,
            ),
            (
                "/sla 7d 30d",
                "only one period is allowed, but \"30d\" is a second".into(),
                USAGE_SLA,
            ),
            ("/sla emea apac", too_many("apac"), USAGE_SLA),
            (
                "/sla 0d",
                "\"0d\" is not a period: the number of days must be from 1 to 3660".into(),
                USAGE_SLA,
            ),
            (
                "/sla emea 2026-03-31..2026-01-01",
                "the period 2026-03-31..2026-01-01 ends before it starts".into(),
                USAGE_SLA,
            ),
            (
                "/lead reject 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                format!(
                    "unknown reason \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\": use one of {reasons}"
                ),
                USAGE_REJECT,
            ),
        ];
        for (input, problem, usage) in &cases {
            check_err(input, problem, usage);
        }
    }

    #[test]
    fn single_values_are_taken_whole() {
        assert_eq!(lead_value("12", USAGE_RATE), Ok(Id(12)));
        assert_eq!(lead_value(" #12 ", USAGE_RATE), Ok(Id(12)));
        assert_eq!(lead_value("crm-7", USAGE_RATE), Ok(ext("crm-7")));
        let two = lead_value("1 5", USAGE_RATE).unwrap_err();
        assert!(two.problem.contains("\"1 5\" is not a lead"), "{two}");
        assert!(lead_value("12 spam", USAGE_REJECT).is_err());
        assert!(lead_value("", USAGE_REJECT).is_err());
        assert_eq!(stars_value(5), Ok(5));
        assert!(stars_value(6).is_err() && stars_value(0).is_err() && stars_value(-1).is_err());
        for (input, want) in [
            ("2002", Some("2002")),
            ("<@2002>", Some("2002")),
            ("<@!2002>", Some("2002")),
            ("@2002", Some("2002")),
            ("@ann", None),
            ("<@&12>", None),
            ("", None),
        ] {
            assert_eq!(user_value(input).ok().as_deref(), want, "{input}");
        }
        check(
            "/baton confirm <@2002>",
            Confirm {
                user: "2002".into(),
            },
        );
        check("/baton links", Links);
        check_err(
            "/baton links all",
            "too many words: \"all\" is not expected here",
            USAGE_LINKS,
        );
        check_err(
            "/baton confirm",
            "whose link? give their Discord user, like @ann or 2002",
            USAGE_CONFIRM,
        );
        check(
            "/funnel share 7d chart",
            Funnel {
                period: Period::LastDays(7),
                by: None,
                chart: true,
                share: true,
            },
        );
    }

    #[test]
    fn error_display_has_problem_then_usage() {
        let e = parse("/lead reject 42").err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some(
                "a reason is needed: one of not_a_fit, no_budget, no_authority, no_need, \
                 bad_timing, bad_contact, duplicate, competitor, spam, other\n\
                 usage: /lead reject LEAD REASON [note]"
            )
        );
    }

    #[test]
    fn names_match_their_lists() {
        let names: Vec<&str> = RejectReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(names.join(", "), REASONS);
        for reason in RejectReason::ALL {
            assert_eq!(reason.as_str().parse(), Ok(reason));
            assert_eq!(
                reason.as_str().replace('_', "-").to_uppercase().parse(),
                Ok(reason)
            );
            for locale in Locale::ALL {
                assert!(
                    help(locale).contains(reason.as_str()),
                    "help in {locale} lists {reason}"
                );
            }
        }
        for dimension in Dimension::ALL {
            assert_eq!(dimension.as_str().parse(), Ok(dimension));
            assert!(USAGE_FUNNEL.contains(dimension.as_str()));
        }
        assert_eq!(Id(12).to_string(), "12");
        assert_eq!(ext("crm-778").to_string(), "crm-778");
    }

    #[test]
    fn snooze_takes_a_lead_and_a_duration_above_zero() {
        let snooze = |lead, secs| Snooze {
            lead,
            by: Span::from_secs(secs),
        };
        assert_eq!(parse("/lead snooze 12 30m"), Ok(snooze(Id(12), 1800)));
        assert_eq!(
            parse("/lead SNOOZE crm-7 1h30m"),
            Ok(snooze(ext("crm-7"), 5400))
        );
        assert_eq!(
            parse("/lead snooze 12 90m").unwrap().to_string(),
            "/lead snooze 12 1h30m"
        );
        for (text, problem) in [
            ("/lead snooze 12", "how long?"),
            ("/lead snooze 12 soon", "\"soon\" is not a duration"),
            ("/lead snooze 12 30", "\"30\" is not a duration"),
            ("/lead snooze 12 0m", "\"0m\" is too short"),
            ("/lead snooze 12 30m please", "too many words"),
            ("/lead snooze", "a lead is needed"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.problem.contains(problem), "{text}: {}", e.problem);
            assert_eq!(e.usage, USAGE_SNOOZE, "{text}");
        }
    }

    #[test]
    fn help_lists_every_command() {
        for usage in [
            USAGE_ACK,
            USAGE_CONTACTED,
            USAGE_ACCEPT,
            USAGE_REJECT,
            USAGE_RATE,
            USAGE_SHOW,
            USAGE_WHY,
            USAGE_WHO,
            USAGE_MINE,
            USAGE_FUNNEL,
            USAGE_SLA,
            USAGE_HELP,
            USAGE_LINK,
            "/lead reassign LEAD",
            USAGE_SNOOZE,
            USAGE_HANDBACK,
        ] {
            assert!(help(Locale::En).contains(usage), "help lists {usage}");
        }
        for locale in Locale::ALL {
            assert!(help(locale).lines().all(|line| line.chars().count() <= 200));
        }
    }

    #[test]
    fn display_is_the_canonical_command() {
        let cases = [
            (Ack { lead: Id(12) }, "/lead ack 12"),
            (
                Reject {
                    lead: ext("crm-1"),
                    reason: RejectReason::NoBudget,
                    note: note("too small"),
                },
                "/lead reject crm-1 no_budget too small",
            ),
            (
                Rate {
                    lead: Id(3),
                    stars: 4,
                    note: None,
                },
                "/lead rate 3 4",
            ),
            (
                Funnel {
                    period: Period::LastDays(30),
                    by: Some(Dimension::Rep),
                    chart: true,
                    share: false,
                },
                "/funnel 30d by rep chart",
            ),
            (
                Funnel {
                    period: Period::LastDays(7),
                    by: None,
                    chart: false,
                    share: true,
                },
                "/funnel 7d share",
            ),
            (
                Confirm {
                    user: "2002".into(),
                },
                "/baton confirm 2002",
            ),
            (Links, "/baton links"),
            (
                Handback {
                    lead: Id(7),
                    reason: note("not my territory"),
                },
                "/lead handback 7 not my territory",
            ),
            (
                Sla {
                    period: Period::LastWeek,
                    team: Some("emea".into()),
                },
                "/sla last-week emea",
            ),
            (Help, "/baton help"),
            (
                Link {
                    email: "a@b.co".into(),
                },
                "/baton link a@b.co",
            ),
        ];
        for (cmd, text) in cases {
            assert_eq!(cmd.to_string(), text);
        }
    }

    fn leads() -> impl Strategy<Value = LeadRef> {
        prop_oneof![
            (1..=i64::MAX).prop_map(Id),
            "[a-z][a-z0-9_-]{0,12}".prop_map(External),
        ]
    }

    fn notes() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("\\PC{0,30}")
            .prop_map(|n| n.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
    }

    fn emails() -> impl Strategy<Value = String> {
        "[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]@[a-z0-9]{1,8}\\.[a-z]{2,4}"
            .prop_filter("no double dots", |e| !e.contains(".."))
    }

    fn periods() -> impl Strategy<Value = Period> {
        prop_oneof![
            (1..=3660u32).prop_map(Period::LastDays),
            Just(Period::ThisWeek),
            Just(Period::LastWeek),
            Just(Period::ThisMonth),
            Just(Period::LastMonth),
            Just(Period::ThisQuarter),
            Just(Period::LastQuarter),
            (0..3000i32, 0..400u64).prop_map(|(a, len)| {
                let from =
                    NaiveDate::from_num_days_from_ce_opt(738_000 + a).unwrap_or(NaiveDate::MIN);
                Period::Range(from, from + chrono::Days::new(len))
            }),
        ]
    }

    fn teams() -> impl Strategy<Value = String> {
        "[a-z][a-z_]{0,10}".prop_filter("not a period", |t| Period::parse(t).is_err())
    }

    fn commands() -> impl Strategy<Value = Command> {
        let reasons = prop::sample::select(RejectReason::ALL.to_vec());
        let dimensions = proptest::option::of(prop::sample::select(Dimension::ALL.to_vec()));
        prop_oneof![
            leads().prop_map(|lead| Ack { lead }),
            (leads(), notes()).prop_map(|(lead, note)| Contacted { lead, note }),
            (leads(), notes()).prop_map(|(lead, note)| Accept { lead, note }),
            (leads(), reasons, notes()).prop_map(|(lead, reason, note)| Reject {
                lead,
                reason,
                note
            }),
            (leads(), 1..=5u8, notes()).prop_map(|(lead, stars, note)| Rate { lead, stars, note }),
            leads().prop_map(|lead| Show { lead }),
            leads().prop_map(|lead| Why { lead }),
            Just(Mine),
            (leads(), emails()).prop_map(|(lead, to)| Reassign { lead, to }),
            (leads(), notes()).prop_map(|(lead, reason)| Handback { lead, reason }),
            (periods(), dimensions, any::<bool>(), any::<bool>()).prop_map(
                |(period, by, chart, share)| Funnel {
                    period,
                    by,
                    chart,
                    share
                }
            ),
            (periods(), proptest::option::of(teams()))
                .prop_map(|(period, team)| Sla { period, team }),
            Just(Help),
            emails().prop_map(|email| Link { email }),
            proptest::option::of(emails()).prop_map(|person| Back { person }),
            proptest::option::of(teams()).prop_map(|team| Who { team }),
            (proptest::option::of(emails()), 1..=366u32, notes()).prop_map(
                |(person, days, note)| Away {
                    person,
                    period: AwayPeriod::Days(days),
                    note
                }
            ),
        ]
    }

    /// Words a command may contain, to reach deep into the grammar.
    fn vocabulary() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "/lead",
                "lead",
                "/funnel",
                "/sla",
                "/baton",
                "ack",
                "contacted",
                "accept",
                "reject",
                "rate",
                "show",
                "mine",
                "reassign",
                "snooze",
                "30m",
                "handback",
                "help",
                "link",
                "by",
                "chart",
                "source",
                "7d",
                "0d",
                "this-week",
                "2026-01-01..2026-03-31",
                "#12",
                "-3",
                "#",
                "no_budget",
                "5",
                "@a@b.co",
                "<mailto:a@b.co|a@b.co>",
                "<mailto:>",
                "/",
            ])
            .prop_map(str::to_string),
            "\\PC{0,12}",
            ".{0,12}",
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_any_text(text in "(?s).{0,300}") {
            if let Err(e) = parse(&text) {
                prop_assert!(!e.problem.is_empty());
                prop_assert!(!e.usage.is_empty());
            }
        }

        #[test]
        fn parse_never_panics_on_command_like_text(
            words in prop::collection::vec(vocabulary(), 0..8),
            sep in prop::sample::select(vec![" ", "  ", "\t", "\n", "\u{3000}"]),
        ) {
            let text = words.join(sep);
            if let Err(e) = parse(&text) {
                prop_assert!(e.to_string().contains("\nusage: "));
                prop_assert!(e.problem.chars().count() < 300, "{}", e.problem);
            }
        }

        #[test]
        fn parse_never_panics_on_long_text(
            word in "\\PC{1,8}",
            n in 1000usize..5000,
            prefix in prop::sample::select(vec!["", "/lead contacted 1 ", "/funnel ", "/sla ", "/lead ack "]),
        ) {
            let text = format!("{prefix}{}", word.repeat(n));
            let _ = parse(&text);
        }

        #[test]
        fn display_round_trips(cmd in commands()) {
            let text = cmd.to_string();
            prop_assert_eq!(parse(&text), Ok(cmd), "{}", text);
        }
    }
}
