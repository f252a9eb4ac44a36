//! SLA policies and the plan of a handoff's clocks: which policy applies, the three
//! deadlines (acknowledge, first touch, disposition) counted from the MQL time in the
//! assignee's calendar (or wall time), and the reminders and breaches to fire.
//! Pure: the engine stores the plan and fires its timers.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::duration::Span;
use super::lead::{Lead, LeadMatcher};

/// One of the three clocks of a handoff, in the order they normally stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    Ack,
    FirstTouch,
    Disposition,
}

impl ClockKind {
    pub const ALL: [ClockKind; 3] = [
        ClockKind::Ack,
        ClockKind::FirstTouch,
        ClockKind::Disposition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::Ack => "ack",
            ClockKind::FirstTouch => "first_touch",
            ClockKind::Disposition => "disposition",
        }
    }

    /// Words for people: "acknowledge", "first touch", "decision".
    pub fn label(self) -> &'static str {
        match self {
            ClockKind::Ack => "acknowledge",
            ClockKind::FirstTouch => "first touch",
            ClockKind::Disposition => "accept or reject",
        }
    }
}

impl fmt::Display for ClockKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ClockKind {
    type Err = String;

    fn from_str(s: &str) -> Result<ClockKind, String> {
        ClockKind::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown SLA clock \"{s}\""))
    }
}

/// What happens when a clock runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachAction {
    NotifyRep,
    NotifyManager,
    NotifyChannel,
    Reassign,
}

/// A checked `[[sla]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub when: LeadMatcher,
    pub windows: [Span; 3],
    pub business_hours: bool,
    pub remind_at: Vec<f64>,
    pub on_breach: Vec<BreachAction>,
}

impl Policy {
    pub fn window(&self, clock: ClockKind) -> Span {
        self.windows[clock as usize]
    }
}

/// The first policy whose `when` matches the lead.
pub fn policy_for<'a>(policies: &'a [Policy], lead: &Lead) -> Option<&'a Policy> {
    policies.iter().find(|p| p.when.matches(lead))
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimerKind {
    /// A reminder at this fraction of the window.
    Remind(f64),
    Breach,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timer {
    pub clock: ClockKind,
    pub kind: TimerKind,
    pub due_at: DateTime<Utc>,
}

/// The deadlines of a handoff and the timers to arm.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub deadlines: [DateTime<Utc>; 3],
    pub timers: Vec<Timer>,
}

impl Plan {
    pub fn deadline(&self, clock: ClockKind) -> DateTime<Utc> {
        self.deadlines[clock as usize]
    }
}

/// Plans the clocks of a handoff whose MQL time is `start`. `calendar` is the assignee's
/// (ignored when the policy counts wall time). Only `clocks` get timers (the ones still
/// running).
pub fn plan(
    policy: &Policy,
    calendar: &Calendar,
    start: DateTime<Utc>,
    clocks: &[ClockKind],
) -> Plan {
    let wall = Calendar::always_open();
    let calendar = if policy.business_hours {
        calendar
    } else {
        &wall
    };
    let deadlines =
        ClockKind::ALL.map(|c| calendar.add_business(start, policy.window(c).as_chrono()));
    let mut timers = Vec::new();
    for clock in clocks.iter().copied() {
        let window = policy.window(clock);
        for fraction in &policy.remind_at {
            timers.push(Timer {
                clock,
                kind: TimerKind::Remind(*fraction),
                due_at: calendar.add_business(start, window.scale(*fraction).as_chrono()),
            });
        }
        timers.push(Timer {
            clock,
            kind: TimerKind::Breach,
            due_at: deadlines[clock as usize],
        });
    }
    Plan { deadlines, timers }
}

/// How long a clock ran, in wall and business seconds, from `start` to `stop`.
pub fn elapsed(
    policy_business_hours: bool,
    calendar: &Calendar,
    start: DateTime<Utc>,
    stop: DateTime<Utc>,
) -> (f64, f64) {
    let wall = (stop - start).num_milliseconds().max(0) as f64 / 1000.0;
    let business = if policy_business_hours {
        calendar
            .business_between(start, stop)
            .num_milliseconds()
            .max(0) as f64
            / 1000.0
    } else {
        wall
    };
    (wall, business)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn policy(business_hours: bool) -> Policy {
        Policy {
            name: "default".into(),
            when: LeadMatcher::default(),
            windows: [
                "1h".parse().unwrap(),
                "4h".parse().unwrap(),
                "2d".parse().unwrap(),
            ],
            business_hours,
            remind_at: vec![0.5, 0.9],
            on_breach: vec![BreachAction::NotifyManager],
        }
    }

    fn berlin() -> Calendar {
        Calendar::parse(
            "berlin",
            "Europe/Berlin",
            &["Mon-Fri 09:00-18:00".into()],
            &["2026-11-23".into()],
        )
        .unwrap()
    }

    #[test]
    fn deadlines_count_business_time_in_the_assignees_calendar() {
        // Friday 2026-11-20 16:30 UTC = 17:30 Berlin; Monday 23rd is a holiday.
        let p = plan(
            &policy(true),
            &berlin(),
            at("2026-11-20T16:30:00Z"),
            &[ClockKind::Ack],
        );
        // 30 min on Friday, 30 min on Tuesday from 09:00 Berlin (08:00 UTC).
        assert_eq!(p.deadline(ClockKind::Ack), at("2026-11-24T08:30:00Z"));
        // 4 h: 30 min Friday + 3.5 h Tuesday.
        assert_eq!(
            p.deadline(ClockKind::FirstTouch),
            at("2026-11-24T11:30:00Z")
        );
        // 2 days = 48 business hours: 0.5 h Friday, then 9 h a day from Tuesday:
        // Tue 9, Wed 18, Thu 27, Fri 36, Mon 45, and 2.5 h more on Tuesday 1 Dec.
        assert_eq!(
            p.deadline(ClockKind::Disposition),
            at("2026-12-01T10:30:00Z")
        );
        let due: Vec<_> = p.timers.iter().map(|t| (t.kind, t.due_at)).collect();
        assert_eq!(
            due,
            [
                (TimerKind::Remind(0.5), at("2026-11-20T17:00:00Z")),
                (TimerKind::Remind(0.9), at("2026-11-24T08:24:00Z")),
                (TimerKind::Breach, at("2026-11-24T08:30:00Z")),
            ]
        );
    }

    #[test]
    fn wall_time_policies_ignore_the_calendar() {
        let p = plan(
            &policy(false),
            &berlin(),
            at("2026-11-20T16:30:00Z"),
            &ClockKind::ALL,
        );
        assert_eq!(p.deadline(ClockKind::Ack), at("2026-11-20T17:30:00Z"));
        assert_eq!(p.timers.len(), 9);
        assert_eq!(
            elapsed(
                false,
                &berlin(),
                at("2026-11-20T16:30:00Z"),
                at("2026-11-20T17:00:00Z")
            ),
            (1800.0, 1800.0)
        );
        assert_eq!(
            elapsed(
                true,
                &berlin(),
                at("2026-11-20T16:30:00Z"),
                at("2026-11-24T08:10:00Z")
            ),
            (315_600.0, 2_400.0)
        );
    }
}
