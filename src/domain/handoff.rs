//! A handoff: one entry of a lead into `mql`, given to one person, with its SLA clocks and
//! its outcome. Typed: the status and the reject reason are enums, every time is a
//! `DateTime<Utc>`, earlier holders are a list. `store::handoffs` decodes its rows into
//! [`Handoff`] and refuses a row it cannot read, so nothing above it compares texts.
//!
//! Opening one is a pure decision, [`open`]: from the facts the intake read (the lead, the
//! MQL time, the routing situation, the SLA policies) to an [`Opening`] that says what to
//! write; `store::handoffs::open` writes it. Pure: no I/O, `now` is a parameter.

use chrono::{DateTime, Duration, Utc};

use super::calendar::Calendar;
use super::directory::Directory;
use super::lead::Lead;
use super::routing::{self, Assignment, Explanation, Situation};
use super::sla::{self, ClockKind, Plan, Policy, TimerKind};
use crate::i18n::Text;

/// Where a handoff stands: open until someone (or the CRM) decides it.
/// One line of a handoff's log: when, who (none for Baton itself), what happened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogEntry {
    pub at: String,
    pub actor: Option<String>,
    pub what: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Accepted,
    Rejected,
}

// The stored names.
crate::domain::names!(Status {
    Open => "open",
    Accepted => "accepted",
    Rejected => "rejected",
});

/// How the store decodes a stored status: an unknown one is an error at the boundary.
impl TryFrom<String> for Status {
    type Error = String;

    fn try_from(text: String) -> Result<Status, String> {
        Status::parse(&text).ok_or_else(|| format!("unknown handoff status \"{text}\""))
    }
}

/// Why a salesperson turned a lead down (SPEC §6); also the keys of `[feedback] reject_to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectReason {
    NotAFit,
    NoBudget,
    NoAuthority,
    NoNeed,
    BadTiming,
    BadContact,
    Duplicate,
    Competitor,
    Spam,
    Other,
}

// The snake_case names, as stored, configured and typed, in the order the help lists them.
crate::domain::names!(RejectReason {
    NotAFit => "not_a_fit",
    NoBudget => "no_budget",
    NoAuthority => "no_authority",
    NoNeed => "no_need",
    BadTiming => "bad_timing",
    BadContact => "bad_contact",
    Duplicate => "duplicate",
    Competitor => "competitor",
    Spam => "spam",
    Other => "other",
});

/// One handoff as stored, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Handoff {
    pub id: i64,
    pub lead_id: i64,
    pub event_id: i64,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub why: String,
    pub route_reason: String,
    pub mql_at: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    pub silent: bool,
    pub status: Status,
    pub acked_at: Option<DateTime<Utc>>,
    pub acked_by: Option<String>,
    pub contacted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub reject_reason: Option<RejectReason>,
    pub rating: Option<i64>,
    pub note: Option<String>,
    pub sla_policy: Option<String>,
    pub sla_calendar: Option<String>,
    pub sla_start: Option<DateTime<Utc>>,
    pub ack_due_at: Option<DateTime<Utc>>,
    pub first_touch_due_at: Option<DateTime<Utc>>,
    pub disposition_due_at: Option<DateTime<Utc>>,
    pub fence: i64,
    /// Everyone who held it before the assignee, oldest first.
    pub previous_assignees: Vec<String>,
    /// How many times the SLA loop reassigned it after a breach (`max_reassign`).
    pub breach_reassigns: i64,
}

impl Handoff {
    /// The stored deadline of a clock.
    pub fn due_at(&self, clock: ClockKind) -> Option<DateTime<Utc>> {
        match clock {
            ClockKind::Ack => self.ack_due_at,
            ClockKind::FirstTouch => self.first_touch_due_at,
            ClockKind::Disposition => self.disposition_due_at,
        }
    }

    /// When a clock stopped, if it has.
    pub fn stopped_at(&self, clock: ClockKind) -> Option<DateTime<Utc>> {
        match clock {
            ClockKind::Ack => self.acked_at,
            ClockKind::FirstTouch => self.contacted_at,
            ClockKind::Disposition => self.decided_at,
        }
    }

    /// When its clocks started: the stored start, else the MQL time (never after `now`).
    pub fn clocks_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.sla_start.unwrap_or_else(|| self.mql_at.min(now))
    }

    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }
}

/// The SLA of a new handoff: its policy, the calendar its clocks count in (none for wall
/// time), the start and the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct NewClocks {
    pub policy: String,
    pub calendar: Option<String>,
    pub start: DateTime<Utc>,
    pub plan: Plan,
}

/// The clocks of a new handoff for `assignee`. Silent handoffs get deadlines and breach
/// timers (so that their breaches are recorded, without a message) but no reminders.
/// `None` when no policy matches the lead.
pub fn plan_clocks(
    policies: &[Policy],
    dir: &Directory,
    lead: &Lead,
    assignee: Option<&str>,
    start: DateTime<Utc>,
    silent: bool,
) -> Option<NewClocks> {
    let policy = sla::policy_for(policies, lead)?;
    let wall = Calendar::always_open();
    let calendar = assignee
        .and_then(|e| dir.person(e))
        .map(|p| dir.calendar_of(p))
        .unwrap_or(&wall);
    let mut plan = sla::plan(policy, calendar, start, &ClockKind::ALL);
    if silent {
        plan.timers.retain(|t| t.kind == TimerKind::Breach);
    }
    Some(NewClocks {
        policy: policy.name.clone(),
        calendar: policy.business_hours.then(|| calendar.name().to_string()),
        start,
        plan,
    })
}

/// Why a handoff opens without an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quiet {
    /// Its event was loaded by `baton import --history`.
    Imported,
    /// The stage change is older than `watch.max_alert_age`.
    TooOld,
}

impl Quiet {
    /// The line of the handoff's log that says so.
    pub fn log_line(self) -> Text {
        match self {
            Quiet::Imported => Text::new("log-no-alert-imported"),
            Quiet::TooOld => Text::new("log-no-alert-too-old"),
        }
    }
}

/// What the intake read before opening a handoff.
pub struct Facts<'a> {
    pub lead: &'a Lead,
    /// The `lead_events` row that put the lead into `mql`.
    pub event_id: i64,
    /// When the lead entered `mql`.
    pub mql_at: DateTime<Utc>,
    /// Why it is an MQL, in one line (the scoring rules, or the stage change).
    pub why: String,
    /// Whether the event came from `baton import --history`.
    pub imported: bool,
    pub max_alert_age: Duration,
    pub directory: &'a Directory,
    pub policies: &'a [Policy],
    /// Open counts, rotations, availability and the matched account; its `now` is the
    /// opening's.
    pub situation: Situation<'a>,
    /// The lead's company domain, for the stored routing decision.
    pub domain: Option<&'a str>,
}

/// What opening a handoff writes: the handoff, its clocks, the routing decision and its
/// log lines; and whether (and how late) its alert goes out.
#[derive(Debug, Clone)]
pub struct Opening {
    pub lead_id: i64,
    pub event_id: i64,
    pub mql_at: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    pub why: String,
    pub assignment: Assignment,
    /// The assignee's name, for the log.
    pub assignee_name: Option<String>,
    pub clocks: Option<NewClocks>,
    pub explanation: Explanation,
    /// `None` when the alert goes out.
    pub quiet: Option<Quiet>,
}

impl Opening {
    pub fn silent(&self) -> bool {
        self.quiet.is_some()
    }

    /// The lines of the handoff's log, in order, in their stored form
    /// ([`Text::to_stored`]: each reader sees them in their own language).
    pub fn log(&self) -> Vec<String> {
        let assigned = match &self.assignee_name {
            Some(name) => Text::new("log-assigned").arg("to", name.as_str()),
            None => Text::new("log-assigned-nobody"),
        };
        let mut lines = vec![
            assigned
                .nested("why", self.assignment.reason.clone())
                .to_stored(),
        ];
        lines.extend(self.quiet.map(|q| q.log_line().to_stored()));
        lines
    }

    /// Seconds from the MQL to the handoff, for an alerted one (`/metrics`).
    pub fn latency(&self) -> Option<f64> {
        self.quiet
            .is_none()
            .then(|| (self.opened_at - self.mql_at).num_milliseconds().max(0) as f64 / 1000.0)
    }

    /// The deadlines the alert shows, in [`ClockKind::ALL`] order.
    pub fn deadlines(&self) -> Vec<(ClockKind, DateTime<Utc>)> {
        self.clocks
            .as_ref()
            .map(|c| {
                ClockKind::ALL
                    .iter()
                    .map(|k| (*k, c.plan.deadline(*k)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Decides how a handoff opens at `now`: who gets it, whether it is alerted, its clocks.
pub fn open(facts: &Facts<'_>, now: DateTime<Utc>) -> Opening {
    let situation = Situation {
        now,
        ..facts.situation
    };
    let quiet = if facts.imported {
        Some(Quiet::Imported)
    } else if now - facts.mql_at > facts.max_alert_age {
        Some(Quiet::TooOld)
    } else {
        None
    };
    let assignment = routing::route(facts.directory, facts.lead, &situation);
    let clocks = plan_clocks(
        facts.policies,
        facts.directory,
        facts.lead,
        assignment.assignee.as_deref(),
        facts.mql_at.min(now),
        quiet.is_some(),
    );
    Opening {
        lead_id: facts.lead.id,
        event_id: facts.event_id,
        mql_at: facts.mql_at,
        opened_at: now,
        why: facts.why.clone(),
        explanation: assignment.explanation(facts.domain),
        assignee_name: assignment.assignee.as_deref().map(|email| {
            facts
                .directory
                .person(email)
                .map_or_else(|| email.to_string(), |p| p.name.clone())
        }),
        assignment,
        clocks,
        quiet,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::domain::directory::{Person, Role, RoutingMode, Team};
    use crate::domain::lead::sample_lead;

    fn when(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn one_rep() -> Directory {
        let ana = Person {
            email: "ana@x.test".into(),
            name: "Ana".into(),
            role: Role::Rep,
            team: Some("sales".into()),
            calendar: None,
            slack_id: None,
            discord_id: None,
            out_of_office: vec![],
            weight: 1,
            max_open: None,
            locale: None,
        };
        let sales = Team {
            name: "sales".into(),
            manager: "boss@x.test".into(),
            channel: None,
            discord_channel_id: None,
            routing: RoutingMode::OwnerThenRoundRobin,
            calendar: None,
            locale: None,
        };
        Directory::new(
            vec![ana],
            vec![sales],
            HashMap::new(),
            vec![],
            Some("sales".into()),
        )
    }

    #[test]
    fn open_decides_quiet_routing_and_times_from_the_facts_alone() {
        let dir = one_rep();
        let lead = sample_lead(7);
        let (counts, rotations, away) = (HashMap::new(), HashMap::new(), HashMap::new());
        let now = when("2026-11-20T12:00:00Z");
        // (MQL time, imported, quiet)
        let cases = [
            ("2026-11-20T11:59:00Z", false, None),
            ("2026-11-20T11:00:00Z", false, None),
            ("2026-11-20T10:59:59Z", false, Some(Quiet::TooOld)),
            ("2026-11-20T11:59:00Z", true, Some(Quiet::Imported)),
        ];
        for (mql_at, imported, quiet) in cases {
            let facts = Facts {
                lead: &lead,
                event_id: 3,
                mql_at: when(mql_at),
                why: "created as mql".into(),
                imported,
                max_alert_age: Duration::hours(1),
                directory: &dir,
                policies: &[],
                situation: Situation {
                    now: when("2000-01-01T00:00:00Z"),
                    open: &counts,
                    rotations: &rotations,
                    exclude: &[],
                    account: None,
                    away: &away,
                },
                domain: None,
            };
            let o = open(&facts, now);
            assert_eq!(o.quiet, quiet, "{mql_at} imported={imported}");
            assert_eq!((o.lead_id, o.event_id), (7, 3));
            assert_eq!((o.mql_at, o.opened_at), (when(mql_at), now));
            assert_eq!(o.assignment.assignee.as_deref(), Some("ana@x.test"));
            assert_eq!(o.explanation.assignee.as_deref(), Some("ana@x.test"));
            assert!(o.clocks.is_none(), "no policy, no clocks");
            assert_eq!(o.latency().is_some(), quiet.is_none());
        }
    }

    #[test]
    fn statuses_and_reasons_read_back_what_they_store() {
        for s in [Status::Open, Status::Accepted, Status::Rejected] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for r in RejectReason::ALL {
            assert_eq!(RejectReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(Status::parse("Open"), None);
        assert_eq!(RejectReason::parse("no-budget"), None);
        assert!(Status::try_from("closed".to_string()).is_err());
    }

    #[test]
    fn quiet_handoffs_say_why_in_their_log_and_have_no_latency() {
        let opening = |quiet| Opening {
            lead_id: 1,
            event_id: 2,
            mql_at: when("2026-11-20T09:00:00Z"),
            opened_at: when("2026-11-20T09:00:01.500Z"),
            why: "created as mql".into(),
            assignment: Assignment {
                assignee: Some("ana@example.com".into()),
                team: Some("emea".into()),
                reason: crate::i18n::Text::raw("owner"),
                rotation: None,
                candidates: Vec::new(),
                team_reason: None,
            },
            assignee_name: Some("Ana".into()),
            clocks: None,
            explanation: Explanation::default(),
            quiet,
        };
        let english = |o: &Opening| -> Vec<String> {
            o.log()
                .iter()
                .map(|l| Text::from_stored(l).to_string())
                .collect()
        };
        let alerted = opening(None);
        assert_eq!(english(&alerted), vec!["assigned to Ana: owner"]);
        let pt: Vec<String> = alerted
            .log()
            .iter()
            .map(|l| Text::render_stored(l, crate::i18n::Locale::PtBr, chrono_tz::Tz::UTC))
            .collect();
        assert_eq!(pt, vec!["atribuído a Ana: owner"]);
        assert_eq!(alerted.latency(), Some(1.5));
        let old = opening(Some(Quiet::TooOld));
        assert_eq!(
            english(&old),
            vec![
                "assigned to Ana: owner",
                "no alert: the change is older than watch.max_alert_age"
            ]
        );
        assert_eq!(old.latency(), None);
        assert!(old.deadlines().is_empty());
    }
}
