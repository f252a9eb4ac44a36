//! SLA policies and the plan of a handoff's clocks: which policy applies, the three
//! deadlines (acknowledge, first touch, disposition) counted from the MQL time in the
//! assignee's calendar (or wall time), and the reminders and breaches to fire.
//! After a reassignment, [`replan`] decides the new holder's clocks (`on_reassign`), and
//! [`cascade_step`] where a breached lead goes next (`max_reassign`).
//! Pure: the engine stores the plan and fires its timers.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::duration::Window;
use super::lead::{Lead, LeadMatcher};

/// One of the three clocks of a handoff, in the order they normally stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    Ack,
    FirstTouch,
    Disposition,
}

crate::domain::names!(ClockKind {
    Ack => "ack",
    FirstTouch => "first_touch",
    Disposition => "disposition",
});

impl ClockKind {
    /// Words for people: "acknowledge", "first touch", "decision".
    pub fn label(self) -> &'static str {
        match self {
            ClockKind::Ack => "acknowledge",
            ClockKind::FirstTouch => "first touch",
            ClockKind::Disposition => "accept or reject",
        }
    }
}

impl FromStr for ClockKind {
    type Err = String;

    fn from_str(s: &str) -> Result<ClockKind, String> {
        ClockKind::parse(s).ok_or_else(|| format!("unknown SLA clock \"{s}\""))
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

/// What a reassignment does to the clocks (`[[sla]] on_reassign`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnReassign {
    /// The new holder gets the ack and first-touch windows again from the reassignment.
    #[default]
    Fresh,
    /// The clocks keep running from the MQL time.
    Continue,
}

crate::domain::names!(OnReassign {
    Fresh => "fresh",
    Continue => "continue",
});

impl FromStr for OnReassign {
    type Err = String;

    fn from_str(s: &str) -> Result<OnReassign, String> {
        OnReassign::parse(s).ok_or_else(|| format!(
            "\"{s}\" is not a way to reassign: use \"fresh\" (the new assignee gets the ack and first-touch windows again) or \"continue\" (the clocks keep running from the MQL)"
        ))
    }
}

/// A checked `[[sla]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub when: LeadMatcher,
    pub windows: [Window; 3],
    pub business_hours: bool,
    pub remind_at: Vec<f64>,
    pub on_breach: Vec<BreachAction>,
    pub on_reassign: OnReassign,
    /// Reassignments after a breach before the lead goes to the team's manager and stays.
    pub max_reassign: u32,
}

impl Policy {
    pub fn window(&self, clock: ClockKind) -> Window {
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

/// Plans the clocks of a handoff whose MQL time is `start`. `calendar` is the assignee's;
/// a window's business parts count in it and its wall-clock parts ignore it (in a
/// `business_hours = false` policy every plain unit is wall-clock time). Only `clocks`
/// get timers (the ones still running).
pub fn plan(
    policy: &Policy,
    calendar: &Calendar,
    start: DateTime<Utc>,
    clocks: &[ClockKind],
) -> Plan {
    let deadlines = ClockKind::ALL.map(|c| deadline(&policy.window(c), calendar, start));
    let mut timers = Vec::new();
    for clock in clocks.iter().copied() {
        let window = policy.window(clock);
        let due = deadlines[clock as usize];
        for fraction in &policy.remind_at {
            timers.push(Timer {
                clock,
                kind: TimerKind::Remind(*fraction),
                due_at: fraction_of(&window, calendar, start, due, *fraction),
            });
        }
        timers.push(Timer {
            clock,
            kind: TimerKind::Breach,
            due_at: due,
        });
    }
    Plan { deadlines, timers }
}

/// The clocks of a handoff given to a new holder at `now`: the handoff's own deadlines
/// (from `start`, the MQL time, in the new holder's calendar: the team-level figures keep
/// measuring from the MQL), the new holder's fresh window when `fresh`, and the timers to
/// arm. `stopped` says which clocks already stopped, in [`ClockKind::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct Replan {
    /// The handoff's deadlines, from the MQL time.
    pub plan: Plan,
    /// With `fresh`: the new holder's own ack and first-touch deadlines (the clocks of the
    /// two that still run), from `now`.
    pub fresh: Option<[Option<DateTime<Utc>>; 2]>,
    /// The timers to arm for the new holder (none already due: a window breaches once).
    pub timers: Vec<Timer>,
}

/// Plans the clocks after a reassignment at `now` (see [`Replan`]). With
/// `on_reassign = "continue"` only the clocks still running and not yet due get timers;
/// with `fresh` the ack and first-touch clocks still running start again at `now` (the
/// disposition clock keeps its deadline).
pub fn replan(
    policy: &Policy,
    calendar: &Calendar,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    stopped: [bool; 3],
    how: OnReassign,
) -> Replan {
    let running = |c: ClockKind| !stopped[c as usize];
    let mut plan = plan(policy, calendar, start, &[]);
    let restart: Vec<ClockKind> = match how {
        OnReassign::Fresh => [ClockKind::Ack, ClockKind::FirstTouch]
            .into_iter()
            .filter(|c| running(*c))
            .collect(),
        OnReassign::Continue => Vec::new(),
    };
    let keep: Vec<ClockKind> = ClockKind::ALL
        .into_iter()
        .filter(|c| running(*c) && !restart.contains(c) && plan.deadline(*c) > now)
        .collect();
    plan = self::plan(policy, calendar, start, &keep);
    let mut timers = plan.timers.clone();
    let fresh = (how == OnReassign::Fresh).then(|| {
        let restarted = self::plan(policy, calendar, now, &restart);
        timers.extend(restarted.timers.iter().copied());
        [ClockKind::Ack, ClockKind::FirstTouch]
            .map(|c| restart.contains(&c).then(|| restarted.deadline(c)))
    });
    timers.retain(|t| t.due_at > now);
    Replan {
        plan,
        fresh,
        timers,
    }
}

/// Where a lead goes after a breach with `reassign` in `on_breach`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CascadeStep {
    /// Route it again, without the reps who had it.
    Route,
    /// `max_reassign` reassignments are used up: to the team's manager, where it stays.
    ToManager,
    /// It is with the manager already (or there is none): it stays.
    Stay,
}

/// The next step of the cascade after `done` reassignments on breach, with the lead held
/// by the team's manager or not.
pub fn cascade_step(done: u32, max_reassign: u32, held_by_manager: bool) -> CascadeStep {
    if held_by_manager {
        CascadeStep::Stay
    } else if done >= max_reassign {
        CascadeStep::ToManager
    } else {
        CascadeStep::Route
    }
}

/// The end of `window` started at `start`: whole business days first (the same local
/// time that many working days later), then business time, then wall-clock time.
pub fn deadline(window: &Window, calendar: &Calendar, start: DateTime<Utc>) -> DateTime<Utc> {
    let mut at = calendar.add_business_days(start, window.business_days);
    at = calendar.add_business(at, window.business.as_chrono());
    at.checked_add_signed(window.wall.as_chrono())
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The instant at `fraction` of a window from `start` to `due`: of its business time
/// when the window counts business time, else of its wall time.
fn fraction_of(
    window: &Window,
    calendar: &Calendar,
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    fraction: f64,
) -> DateTime<Utc> {
    let scale = |d: chrono::Duration| {
        chrono::Duration::milliseconds((d.num_milliseconds() as f64 * fraction).round() as i64)
    };
    if window.counts_business() {
        calendar.add_business(start, scale(calendar.business_between(start, due)))
    } else {
        start + scale(due - start)
    }
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
            windows: ["1h", "4h", "48h"].map(|w| {
                w.parse::<crate::domain::duration::WindowSpec>()
                    .unwrap()
                    .resolve(business_hours)
            }),
            business_hours,
            remind_at: vec![0.5, 0.9],
            on_breach: vec![BreachAction::NotifyManager],
            on_reassign: OnReassign::Fresh,
            max_reassign: 2,
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
        // 48 business hours: 0.5 h Friday, then 9 h a day from Tuesday:
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

    fn with_windows(business_hours: bool, windows: [&str; 3]) -> Policy {
        Policy {
            windows: windows.map(|w| {
                w.parse::<crate::domain::duration::WindowSpec>()
                    .unwrap()
                    .resolve(business_hours)
            }),
            ..policy(business_hours)
        }
    }

    #[test]
    fn days_are_business_days_in_a_business_hours_policy() {
        // Friday 20 Nov 17:30 Berlin; Monday 23rd is a holiday. Two business days: the
        // same local time on Tuesday 24th (one) and Wednesday 25th (two).
        let start = at("2026-11-20T16:30:00Z");
        let p = plan(
            &with_windows(true, ["1h", "1d4h", "2d"]),
            &berlin(),
            start,
            &[ClockKind::Disposition],
        );
        assert_eq!(p.deadline(ClockKind::Ack), at("2026-11-24T08:30:00Z"));
        // One business day to Tuesday 17:30, then 4 h: 30 min Tuesday, 3.5 h Wednesday.
        assert_eq!(
            p.deadline(ClockKind::FirstTouch),
            at("2026-11-25T11:30:00Z")
        );
        assert_eq!(
            p.deadline(ClockKind::Disposition),
            at("2026-11-25T16:30:00Z")
        );
        // Reminders are fractions of the window's business time (18 h here): 9 h in is
        // Tuesday 17:30 Berlin, 16.2 h in is Wednesday 15:42.
        let due: Vec<_> = p.timers.iter().map(|t| (t.kind, t.due_at)).collect();
        assert_eq!(
            due,
            [
                (TimerKind::Remind(0.5), at("2026-11-24T16:30:00Z")),
                (TimerKind::Remind(0.9), at("2026-11-25T14:42:00Z")),
                (TimerKind::Breach, at("2026-11-25T16:30:00Z")),
            ]
        );
        // Explicit spellings: `wd` is 24 wall-clock hours even here, and `bd` counts
        // business days in a wall-clock policy.
        let mixed = plan(
            &with_windows(true, ["1wd", "2wh", "1bd"]),
            &berlin(),
            start,
            &[],
        );
        assert_eq!(mixed.deadline(ClockKind::Ack), at("2026-11-21T16:30:00Z"));
        assert_eq!(
            mixed.deadline(ClockKind::FirstTouch),
            at("2026-11-20T18:30:00Z")
        );
        let wall = plan(
            &with_windows(false, ["1d", "2h", "1bd"]),
            &berlin(),
            start,
            &[],
        );
        assert_eq!(wall.deadline(ClockKind::Ack), at("2026-11-21T16:30:00Z"));
        assert_eq!(
            wall.deadline(ClockKind::Disposition),
            at("2026-11-24T16:30:00Z")
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

    #[test]
    fn fresh_restarts_the_running_ack_and_first_touch_windows_at_the_reassignment() {
        // Wall time: MQL 10:00, ack 1h, first touch 4h, disposition 48h; reassigned at
        // 11:30 after the ack breach.
        let p = policy(false);
        let (start, now) = (at("2026-11-20T10:00:00Z"), at("2026-11-20T11:30:00Z"));
        let r = replan(&p, &berlin(), start, now, [false; 3], OnReassign::Fresh);
        // The handoff's own deadlines still count from the MQL.
        assert_eq!(r.plan.deadline(ClockKind::Ack), at("2026-11-20T11:00:00Z"));
        assert_eq!(
            r.fresh,
            Some([
                Some(at("2026-11-20T12:30:00Z")),
                Some(at("2026-11-20T15:30:00Z"))
            ])
        );
        let due: Vec<_> = r
            .timers
            .iter()
            .map(|t| (t.clock, t.kind, t.due_at))
            .collect();
        assert_eq!(
            due,
            [
                (
                    ClockKind::Disposition,
                    TimerKind::Remind(0.5),
                    at("2026-11-21T10:00:00Z")
                ),
                (
                    ClockKind::Disposition,
                    TimerKind::Remind(0.9),
                    at("2026-11-22T05:12:00Z")
                ),
                (
                    ClockKind::Disposition,
                    TimerKind::Breach,
                    at("2026-11-22T10:00:00Z")
                ),
                (
                    ClockKind::Ack,
                    TimerKind::Remind(0.5),
                    at("2026-11-20T12:00:00Z")
                ),
                (
                    ClockKind::Ack,
                    TimerKind::Remind(0.9),
                    at("2026-11-20T12:24:00Z")
                ),
                (
                    ClockKind::Ack,
                    TimerKind::Breach,
                    at("2026-11-20T12:30:00Z")
                ),
                (
                    ClockKind::FirstTouch,
                    TimerKind::Remind(0.5),
                    at("2026-11-20T13:30:00Z")
                ),
                (
                    ClockKind::FirstTouch,
                    TimerKind::Remind(0.9),
                    at("2026-11-20T15:06:00Z")
                ),
                (
                    ClockKind::FirstTouch,
                    TimerKind::Breach,
                    at("2026-11-20T15:30:00Z")
                ),
            ]
        );
        // Acknowledged before: only first touch starts again.
        let acked = replan(
            &p,
            &berlin(),
            start,
            now,
            [true, false, false],
            OnReassign::Fresh,
        );
        assert_eq!(acked.fresh, Some([None, Some(at("2026-11-20T15:30:00Z"))]));
        assert!(acked.timers.iter().all(|t| t.clock != ClockKind::Ack));
    }

    #[test]
    fn fresh_windows_count_business_time_of_the_new_holder() {
        // Reassigned Friday 17:30 Berlin: one business hour is 30 min Friday and 30 min
        // Tuesday (Monday is a holiday).
        let r = replan(
            &policy(true),
            &berlin(),
            at("2026-11-20T10:00:00Z"),
            at("2026-11-20T16:30:00Z"),
            [false; 3],
            OnReassign::Fresh,
        );
        assert_eq!(r.fresh.unwrap()[0], Some(at("2026-11-24T08:30:00Z")));
    }

    #[test]
    fn continue_keeps_the_mql_deadlines_and_arms_only_what_is_still_ahead() {
        let p = policy(false);
        let (start, now) = (at("2026-11-20T10:00:00Z"), at("2026-11-20T11:30:00Z"));
        let r = replan(&p, &berlin(), start, now, [false; 3], OnReassign::Continue);
        assert_eq!(r.fresh, None);
        assert_eq!(
            r.plan.deadline(ClockKind::FirstTouch),
            at("2026-11-20T14:00:00Z")
        );
        let due: Vec<_> = r.timers.iter().map(|t| (t.clock, t.due_at)).collect();
        // Ack is overdue (no timers); first touch keeps its 12:00 reminder only after now.
        assert!(due.iter().all(|(c, _)| *c != ClockKind::Ack));
        assert!(due.contains(&(ClockKind::FirstTouch, at("2026-11-20T12:00:00Z"))));
        assert!(due.contains(&(ClockKind::FirstTouch, at("2026-11-20T14:00:00Z"))));
        assert!(due.iter().all(|(_, t)| *t > now));
    }

    #[test]
    fn the_cascade_stops_at_the_manager() {
        use CascadeStep::*;
        let cases = [
            // (done, max, held by the manager) -> step
            ((0, 2, false), Route),
            ((1, 2, false), Route),
            ((2, 2, false), ToManager),
            ((3, 2, false), ToManager),
            ((2, 2, true), Stay),
            ((0, 2, true), Stay),
            ((0, 0, false), ToManager),
        ];
        for ((done, max, manager), want) in cases {
            assert_eq!(
                cascade_step(done, max, manager),
                want,
                "{done} {max} {manager}"
            );
        }
    }

    #[test]
    fn on_reassign_reads_its_two_values() {
        assert_eq!("fresh".parse(), Ok(OnReassign::Fresh));
        assert_eq!("continue".parse(), Ok(OnReassign::Continue));
        let e = "restart".parse::<OnReassign>().unwrap_err();
        assert!(e.contains("\"restart\"") && e.contains("fresh") && e.contains("continue"));
    }
}
