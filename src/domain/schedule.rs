//! Schedules of the timed jobs (the weekly digest, the reps' morning summary) and the
//! ISO weeks a digest reports on.
//!
//! A schedule is a 6-field `cron` expression, seconds first (`"0 0 9 * * Mon"`), read on
//! the wall clock of a time zone. The cron crate counts days of the week from 1 = Sunday,
//! unlike most crontabs, so numbers in that field are refused: names (`Mon`, `Mon-Fri`)
//! cannot be misread. A local time that happens twice (autumn) counts once, at its first
//! instant; one that does not exist (spring) is skipped that day.
//!
//! The catch-up rule lives in [`latest_due`]: after any downtime a job runs once, for
//! the latest time it was due, never once per missed time.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::period::{Period, Window};

/// How far [`latest_due`] looks for missed times, in occurrences.
const MAX_STEPS: usize = 100_000;

/// A parsed schedule in a time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    expr: String,
    cron: cron::Schedule,
    tz: Tz,
}

/// Why a cron expression cannot be used. The text is for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{expr}\" is not a schedule: {why}")]
pub struct ScheduleError {
    pub expr: String,
    pub why: String,
}

impl Schedule {
    pub fn parse(expr: &str, tz: Tz) -> Result<Schedule, ScheduleError> {
        let error = |why: &str| ScheduleError {
            expr: expr.to_string(),
            why: why.to_string(),
        };
        let fields: Vec<&str> = expr.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(error(&format!(
                "write 6 fields, seconds first: SEC MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK, \
                 e.g. \"0 0 9 * * Mon\" (every Monday at 09:00); it has {}",
                fields.len()
            )));
        }
        if fields[5].chars().any(|c| c.is_ascii_digit()) {
            return Err(error(
                "write days of the week as names (Mon, Tue, ..., Sun, or Mon-Fri): \
                 in this cron 1 means Sunday, which is easy to misread",
            ));
        }
        let cron = cron::Schedule::from_str(&fields.join(" ")).map_err(|e| {
            error(&format!(
                "{e}; e.g. \"0 0 9 * * Mon\" is every Monday at 09:00"
            ))
        })?;
        Ok(Schedule {
            expr: fields.join(" "),
            cron,
            tz,
        })
    }

    pub fn expr(&self) -> &str {
        &self.expr
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The same expression on the wall clock of `tz` (a rep's morning summary runs the
    /// one `rep_daily_cron` in each rep's zone).
    pub fn in_zone(&self, tz: Tz) -> Schedule {
        Schedule { tz, ..self.clone() }
    }

    /// The first time after `t`.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron
            .after(&t.with_timezone(&self.tz))
            .map(|at| at.with_timezone(&Utc))
            .find(|at| *at > t)
    }

    /// The schedule in words, e.g. "every Monday at 09:00 (Europe/Berlin)".
    pub fn describe(&self) -> String {
        format!("{} ({})", describe(&self.expr), self.tz.name())
    }
}

/// The latest time the job was due in `(after, now]`, if any: what to run now. A job
/// whose times passed while Baton was down runs once, for the latest of them.
pub fn latest_due(
    schedule: &Schedule,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    // Look back over growing windows, so that a job that missed very many times (every
    // second, down for days) costs no more than one that missed once.
    let days = chrono::Duration::days;
    let windows = [
        chrono::Duration::minutes(1),
        chrono::Duration::hours(1),
        days(1),
        days(8),
        days(32),
        days(366),
    ];
    for back in windows {
        let from = (now - back).max(after);
        if let Some(at) = last_in(schedule, from, now) {
            return Some(at);
        }
        if from == after {
            return None;
        }
    }
    last_in(schedule, after, now)
}

/// The last time in `(from, now]`, looking at most [`MAX_STEPS`] times ahead of `from`.
fn last_in(schedule: &Schedule, from: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut latest = None;
    let mut at = from;
    for _ in 0..MAX_STEPS {
        match schedule.next_after(at) {
            Some(next) if next <= now => {
                latest = Some(next);
                at = next;
            }
            _ => break,
        }
    }
    latest
}

/// A cron expression in words, for the common shapes; others are quoted as they are.
pub fn describe(expr: &str) -> String {
    let f: Vec<&str> = expr.split_whitespace().collect();
    let quoted = format!("on the schedule \"{expr}\"");
    if f.len() != 6 {
        return quoted;
    }
    let number = |s: &str| s.parse::<u32>().ok();
    let (Some(sec), Some(min), Some(hour)) = (number(f[0]), number(f[1]), number(f[2])) else {
        return quoted;
    };
    if f[3] != "*" || f[4] != "*" {
        return quoted;
    }
    let time = if sec == 0 {
        format!("{hour:02}:{min:02}")
    } else {
        format!("{hour:02}:{min:02}:{sec:02}")
    };
    let days = match f[5] {
        "*" | "?" => "every day".to_string(),
        dow => {
            let names: Option<Vec<String>> = dow
                .split(',')
                .map(|part| match part.split_once('-') {
                    Some((a, b)) => Some(format!("{} to {}", day_name(a)?, day_name(b)?)),
                    None => day_name(part).map(str::to_string),
                })
                .collect();
            match names {
                Some(names) if names.len() == 1 && names[0].contains(" to ") => names[0].clone(),
                Some(names) => format!("every {}", names.join(" and ")),
                None => return quoted,
            }
        }
    };
    format!("{days} at {time}")
}

fn day_name(abbrev: &str) -> Option<&'static str> {
    let day: Weekday = abbrev.parse().ok()?;
    Some(match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    })
}

/// An ISO 8601 week (`2026-W47`): Monday to Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
}

/// A text that is not an ISO week.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a week: write the ISO week as YYYY-Www, e.g. 2026-W47")]
pub struct WeekError(pub String);

impl IsoWeek {
    pub fn of(date: NaiveDate) -> IsoWeek {
        let w = date.iso_week();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
            .expect("an IsoWeek is always a real week")
    }

    pub fn sunday(self) -> NaiveDate {
        self.monday()
            .checked_add_days(Days::new(6))
            .unwrap_or(self.monday())
    }

    /// Monday to Sunday, whole days.
    pub fn period(self) -> Period {
        Period::Range(self.monday(), self.sunday())
    }

    /// `[Monday 00:00, next Monday 00:00)` on the wall clock of `tz`: 167 or 169 hours
    /// in a week with a daylight-saving change.
    pub fn window(self, tz: Tz) -> Window {
        // A range's window does not depend on `now`.
        self.period().resolve(Utc.timestamp_opt(0, 0).unwrap(), tz)
    }

    pub fn previous(self) -> IsoWeek {
        IsoWeek::of(
            self.monday()
                .checked_sub_days(Days::new(7))
                .unwrap_or(self.monday()),
        )
    }

    /// The latest week that was over at `t` in `tz`: the week a digest sent at `t`
    /// reports on.
    pub fn last_complete(t: DateTime<Utc>, tz: Tz) -> IsoWeek {
        let mut week = IsoWeek::of(t.with_timezone(&tz).date_naive());
        while week.window(tz).to > t {
            week = week.previous();
        }
        week
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeek {
    type Err = WeekError;

    fn from_str(s: &str) -> Result<IsoWeek, WeekError> {
        let text = s.trim();
        let bad = || WeekError(text.chars().take(40).collect());
        let (year, week) = text
            .split_once(['W', 'w'])
            .map(|(y, w)| (y.trim_end_matches('-'), w))
            .ok_or_else(bad)?;
        if year.len() != 4 || week.is_empty() || week.len() > 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(bad)?;
        Ok(IsoWeek { year, week })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn berlin(expr: &str) -> Schedule {
        Schedule::parse(expr, chrono_tz::Europe::Berlin).unwrap()
    }

    #[test]
    fn the_default_and_example_schedules_parse() {
        for expr in [
            "0 0 9 * * Mon",
            "0 30 8 * * Mon-Fri",
            "0 0 17 * * Fri",
            "0 0 */4 * * *",
        ] {
            Schedule::parse(expr, chrono_tz::UTC).unwrap();
        }
    }

    #[test]
    fn bad_schedules_say_why() {
        let cases = [
            ("0 9 * * 1", "write 6 fields"),
            ("0 0 9 * * 1", "names"),
            ("0 0 9 * * Mon 2026", "write 6 fields"),
            ("0 0 25 * * Mon", "is not a schedule"),
            ("every monday", "write 6 fields"),
        ];
        for (expr, why) in cases {
            let e = Schedule::parse(expr, chrono_tz::UTC).unwrap_err();
            assert!(e.to_string().contains(why), "{expr}: {e}");
        }
    }

    #[test]
    fn schedules_read_the_wall_clock_of_their_zone_across_daylight_saving() {
        let s = berlin("0 0 9 * * Mon");
        // Summer time (UTC+2) until Sunday 25 October 2026, then UTC+1.
        let first = s.next_after(utc("2026-10-18T12:00:00Z")).unwrap();
        assert_eq!(first, utc("2026-10-19T07:00:00Z"));
        let second = s.next_after(first).unwrap();
        assert_eq!(second, utc("2026-10-26T08:00:00Z"));
        assert_eq!((second - first).num_hours(), 169);
        // And back in spring: 29 March 2026.
        let before = s.next_after(utc("2026-03-22T12:00:00Z")).unwrap();
        let after = s.next_after(before).unwrap();
        assert_eq!(before, utc("2026-03-23T08:00:00Z"));
        assert_eq!(after, utc("2026-03-30T07:00:00Z"));
    }

    #[test]
    fn a_schedule_moved_to_another_zone_keeps_its_expression() {
        let s = berlin("0 30 8 * * Mon-Fri");
        let tokyo = s.in_zone(chrono_tz::Asia::Tokyo);
        assert_eq!(
            (tokyo.expr(), tokyo.tz()),
            (s.expr(), chrono_tz::Asia::Tokyo)
        );
        // Monday 08:30 in Tokyo (UTC+9) is 23:30 UTC the Sunday before.
        let next = tokyo.next_after(utc("2026-10-18T12:00:00Z")).unwrap();
        assert_eq!(next, utc("2026-10-18T23:30:00Z"));
        assert_eq!(
            s.next_after(utc("2026-10-18T12:00:00Z")).unwrap(),
            utc("2026-10-19T06:30:00Z")
        );
    }

    #[test]
    fn a_time_that_happens_twice_runs_once() {
        // 02:30 happens twice in Berlin on 25 October 2026.
        let s = berlin("0 30 2 * * *");
        let runs: Vec<_> = std::iter::successors(s.next_after(utc("2026-10-24T12:00:00Z")), |t| {
            s.next_after(*t)
        })
        .take_while(|t| *t < utc("2026-10-26T12:00:00Z"))
        .collect();
        // Once on the 25th, at the first 02:30 (summer time), and once on the 26th.
        assert_eq!(
            runs,
            [utc("2026-10-25T00:30:00Z"), utc("2026-10-26T01:30:00Z")]
        );
    }

    #[test]
    fn the_catch_up_rule_runs_once_for_the_latest_missed_time() {
        let s = berlin("0 0 9 * * Mon");
        let down = utc("2026-11-01T12:00:00Z");
        // Down across three Mondays: one run, for the latest.
        assert_eq!(
            latest_due(&s, down, utc("2026-11-19T12:00:00Z")),
            Some(utc("2026-11-16T08:00:00Z"))
        );
        // Exactly at the time.
        assert_eq!(
            latest_due(&s, down, utc("2026-11-02T08:00:00Z")),
            Some(utc("2026-11-02T08:00:00Z"))
        );
        // Nothing due yet, and nothing twice.
        assert_eq!(latest_due(&s, down, utc("2026-11-02T07:59:59Z")), None);
        let ran = utc("2026-11-02T08:00:00Z");
        assert_eq!(latest_due(&s, ran, utc("2026-11-08T08:00:00Z")), None);
    }

    #[test]
    fn a_job_that_missed_very_many_times_runs_once_for_the_latest() {
        let s = Schedule::parse("* * * * * *", chrono_tz::UTC).unwrap();
        let now = utc("2026-11-19T12:00:00.500Z");
        assert_eq!(
            latest_due(&s, utc("2026-11-16T12:00:00Z"), now),
            Some(utc("2026-11-19T12:00:00Z"))
        );
    }

    #[test]
    fn weeks_parse_and_print() {
        let w: IsoWeek = "2026-W47".parse().unwrap();
        assert_eq!(
            w,
            IsoWeek {
                year: 2026,
                week: 47
            }
        );
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.monday(), NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        assert_eq!(w.sunday(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert_eq!("2026w3".parse::<IsoWeek>().unwrap().to_string(), "2026-W03");
        // 2026 has 53 ISO weeks, 2025 has 52.
        assert!("2026-W53".parse::<IsoWeek>().is_ok());
        for bad in [
            "2025-W53",
            "2026-W00",
            "2026-47",
            "W47",
            "26-W47",
            "2026-W470",
            "",
        ] {
            let e = bad.parse::<IsoWeek>().unwrap_err();
            assert!(e.to_string().contains("YYYY-Www"), "{bad}");
        }
        assert_eq!(
            IsoWeek::of(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).to_string(),
            "2026-W53"
        );
    }

    #[test]
    fn a_week_across_daylight_saving_has_169_hours() {
        let w: IsoWeek = "2026-W43".parse().unwrap();
        let window = w.window(chrono_tz::Europe::Berlin);
        assert_eq!(window.from, utc("2026-10-18T22:00:00Z"));
        assert_eq!(window.to, utc("2026-10-25T23:00:00Z"));
        assert_eq!((window.to - window.from).num_hours(), 169);
    }

    #[test]
    fn a_digest_reports_on_the_last_complete_week() {
        let tz = chrono_tz::Europe::Berlin;
        // Monday 26 October 09:00 local: week 43 is over.
        assert_eq!(
            IsoWeek::last_complete(utc("2026-10-26T08:00:00Z"), tz).to_string(),
            "2026-W43"
        );
        // Sunday evening: the week is not over yet, so the one before.
        assert_eq!(
            IsoWeek::last_complete(utc("2026-10-25T20:00:00Z"), tz).to_string(),
            "2026-W42"
        );
        // Midnight exactly.
        assert_eq!(
            IsoWeek::last_complete(utc("2026-10-25T23:00:00Z"), tz).to_string(),
            "2026-W43"
        );
    }

    #[test]
    fn schedules_in_words() {
        assert_eq!(describe("0 0 9 * * Mon"), "every Monday at 09:00");
        assert_eq!(describe("0 30 8 * * Mon-Fri"), "Monday to Friday at 08:30");
        assert_eq!(describe("0 0 7 * * *"), "every day at 07:00");
        assert_eq!(
            describe("0 0 9 * * Mon,Thu"),
            "every Monday and Thursday at 09:00"
        );
        assert_eq!(
            describe("0 */5 * * * *"),
            "on the schedule \"0 */5 * * * *\""
        );
    }
}
