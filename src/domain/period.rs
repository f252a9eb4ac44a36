//! Reporting periods and the time windows they cover.
//!
//! A [`Period`] is what a person types after `/funnel` or `/sla`:
//!
//! - `Nd` with 1 <= N <= 3660 (`7d`, `30d`, `90d`, ...): the last N days up to now;
//! - `this-week`, `last-week`, `this-month`, `last-month`, `this-quarter`, `last-quarter`;
//! - `YYYY-MM-DD..YYYY-MM-DD`: a range of whole days, both ends included.
//!
//! The default is `30d`. [`Period::resolve`] turns a period into a half-open
//! [`Window`] `[from, to)` in UTC, computed on the wall clock of the reporting
//! time zone: weeks start on Monday, quarters on 1 January, April, July and
//! October. A local midnight that does not exist (a daylight-saving gap) resolves
//! to the first instant after the gap; one that happens twice, to the first.
//!
//! [`current_target_window`] gives the whole current week, month or quarter, for
//! measuring the pace of a marketing target.
//!
//! Everything here is pure: the current time is always a parameter.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Utc,
};
use chrono_tz::Tz;

/// The most days an `Nd` period may cover (about ten years).
pub const MAX_DAYS: u32 = 3660;

/// A reporting period as typed in a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// The last N days up to now (`7d`).
    LastDays(u32),
    /// From this week's Monday up to now.
    ThisWeek,
    /// The whole previous Monday-to-Monday week.
    LastWeek,
    /// From the 1st of this month up to now.
    ThisMonth,
    /// The whole previous month.
    LastMonth,
    /// From the start of this quarter up to now.
    ThisQuarter,
    /// The whole previous quarter.
    LastQuarter,
    /// Whole days from the first date to the second, both included.
    Range(NaiveDate, NaiveDate),
}

/// Why a text is not a [`Period`]. The `Display` text is meant for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The text does not look like any period at all.
    #[error(
        "\"{0}\" is not a period: use 7d, 30d, 90d, this-week, last-week, this-month, \
         last-month, this-quarter, last-quarter or 2026-01-01..2026-03-31"
    )]
    NotAPeriod(String),
    /// An `Nd` period whose N is 0 or more than [`MAX_DAYS`].
    #[error("\"{0}\" is not a period: the number of days must be from 1 to 3660")]
    DaysOutOfRange(String),
    /// One end of a date range is not a real `YYYY-MM-DD` date.
    #[error("\"{0}\" is not a date: write dates as YYYY-MM-DD, like 2026-01-31")]
    BadDate(String),
    /// A date range whose end comes before its start.
    #[error("the period {from}..{to} ends before it starts")]
    EndBeforeStart {
        /// The first date as typed.
        from: NaiveDate,
        /// The second date as typed.
        to: NaiveDate,
    },
}

/// A half-open interval of time `[from, to)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// The first instant inside the window.
    pub from: DateTime<Utc>,
    /// The first instant after the window.
    pub to: DateTime<Utc>,
}

impl Window {
    /// Whether `t` lies inside `[from, to)`.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.to
    }
}

/// The length of a marketing target's period, as configured (`[marketing]
/// mql_target_period`, `customer_target_period`: `week`, `month` or `quarter`; a month
/// when not set).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum TargetPeriod {
    /// Monday to Monday.
    Week,
    /// The 1st to the 1st.
    #[default]
    Month,
    /// January, April, July or October to the next.
    Quarter,
}

/// A text that is not `week`, `month` or `quarter`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a target period: use week, month or quarter")]
pub struct TargetPeriodError(pub String);

// Shortest first; typing is case-insensitive (`FromStr`).
crate::domain::names!(TargetPeriod {
    Week => "week",
    Month => "month",
    Quarter => "quarter",
});

impl FromStr for TargetPeriod {
    type Err = TargetPeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        TargetPeriod::ALL
            .into_iter()
            .find(|kind| s.eq_ignore_ascii_case(kind.as_str()))
            .ok_or_else(|| TargetPeriodError(shorten(s)))
    }
}

impl Default for Period {
    fn default() -> Self {
        Period::LastDays(30)
    }
}

impl Period {
    /// Parses a period as typed: `7d`, `this-week`, `2026-01-01..2026-03-31`, ...
    ///
    /// Keywords are case-insensitive and may use `_` instead of `-`;
    /// surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase().replace('_', "-");
        let keyword = match lower.as_str() {
            "this-week" => Some(Period::ThisWeek),
            "last-week" => Some(Period::LastWeek),
            "this-month" => Some(Period::ThisMonth),
            "last-month" => Some(Period::LastMonth),
            "this-quarter" => Some(Period::ThisQuarter),
            "last-quarter" => Some(Period::LastQuarter),
            _ => None,
        };
        if let Some(period) = keyword {
            return Ok(period);
        }
        if let Some(digits) = lower.strip_suffix('d')
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return match digits.parse::<u32>() {
                Ok(n) if (1..=MAX_DAYS).contains(&n) => Ok(Period::LastDays(n)),
                _ => Err(PeriodError::DaysOutOfRange(shorten(text))),
            };
        }
        if text.starts_with(|c: char| c.is_ascii_digit())
            && let Some((a, b)) = text.split_once("..")
        {
            if a.is_empty() || b.is_empty() {
                return Err(PeriodError::NotAPeriod(shorten(text)));
            }
            let from = parse_date(a).ok_or_else(|| PeriodError::BadDate(shorten(a)))?;
            let to = parse_date(b).ok_or_else(|| PeriodError::BadDate(shorten(b)))?;
            if to < from {
                return Err(PeriodError::EndBeforeStart { from, to });
            }
            return Ok(Period::Range(from, to));
        }
        Err(PeriodError::NotAPeriod(shorten(text)))
    }

    /// The window this period covers at `now`, on the wall clock of `tz`.
    ///
    /// Periods that include the present (`Nd`, `this-*`) end at `now`; the others
    /// end at the start of the following week, month, quarter or day.
    pub fn resolve(&self, now: DateTime<Utc>, tz: Tz) -> Window {
        let local_now = now.with_timezone(&tz).naive_local();
        let today = local_now.date();
        let up_to_now = |start: NaiveDate| Window {
            from: local_midnight(start, tz),
            to: now,
        };
        match *self {
            Period::LastDays(n) => {
                let start = local_now
                    .checked_sub_days(Days::new(u64::from(n)))
                    .unwrap_or(NaiveDateTime::MIN);
                Window {
                    from: local_to_utc(start, tz),
                    to: now,
                }
            }
            Period::ThisWeek => up_to_now(week_start(today)),
            Period::ThisMonth => up_to_now(month_start(today)),
            Period::ThisQuarter => up_to_now(quarter_start(today)),
            Period::LastWeek => {
                let end = week_start(today);
                whole_days(end.checked_sub_days(Days::new(7)).unwrap_or(end), end, tz)
            }
            Period::LastMonth => {
                let end = month_start(today);
                whole_days(
                    end.checked_sub_months(Months::new(1)).unwrap_or(end),
                    end,
                    tz,
                )
            }
            Period::LastQuarter => {
                let end = quarter_start(today);
                whole_days(
                    end.checked_sub_months(Months::new(3)).unwrap_or(end),
                    end,
                    tz,
                )
            }
            Period::Range(first, last) => whole_days(
                first,
                last.checked_add_days(Days::new(1)).unwrap_or(last),
                tz,
            ),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::LastDays(n) => write!(f, "{n}d"),
            Period::ThisWeek => f.write_str("this-week"),
            Period::LastWeek => f.write_str("last-week"),
            Period::ThisMonth => f.write_str("this-month"),
            Period::LastMonth => f.write_str("last-month"),
            Period::ThisQuarter => f.write_str("this-quarter"),
            Period::LastQuarter => f.write_str("last-quarter"),
            Period::Range(a, b) => write!(f, "{}..{}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d")),
        }
    }
}

/// The whole current week, month or quarter around `now` on the wall clock of `tz`,
/// from its start up to the start of the next one (not cut at `now`).
pub fn current_target_window(kind: TargetPeriod, now: DateTime<Utc>, tz: Tz) -> Window {
    let today = now.with_timezone(&tz).date_naive();
    let (start, end) = match kind {
        TargetPeriod::Week => {
            let start = week_start(today);
            (start, start.checked_add_days(Days::new(7)))
        }
        TargetPeriod::Month => {
            let start = month_start(today);
            (start, start.checked_add_months(Months::new(1)))
        }
        TargetPeriod::Quarter => {
            let start = quarter_start(today);
            (start, start.checked_add_months(Months::new(3)))
        }
    };
    whole_days(start, end.unwrap_or(start), tz)
}

/// `[start 00:00, end 00:00)` local.
fn whole_days(start: NaiveDate, end: NaiveDate, tz: Tz) -> Window {
    Window {
        from: local_midnight(start, tz),
        to: local_midnight(end, tz),
    }
}

fn week_start(day: NaiveDate) -> NaiveDate {
    let back = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(back)).unwrap_or(day)
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn quarter_start(day: NaiveDate) -> NaiveDate {
    let first = month_start(day);
    first
        .checked_sub_months(Months::new(day.month0() % 3))
        .unwrap_or(first)
}

fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local_to_utc(day.and_time(NaiveTime::MIN), tz)
}

/// The instant a wall-clock time in `tz` stands for: the earlier one when the
/// time happens twice, the first instant after the gap when it never happens.
fn local_to_utc(wall: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => first_instant_at_or_after(wall, tz),
    }
}

/// The first instant whose wall-clock time in `tz` is at or after `wall`, for a
/// `wall` inside a gap. Transitions fall on whole seconds, and no offset exceeds
/// a day, so a binary search over whole seconds within 30 hours finds it.
fn first_instant_at_or_after(wall: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    const SPAN: i64 = 30 * 3600;
    let guess = wall.and_utc();
    let at = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0);
    let reached = |secs: i64| at(secs).is_some_and(|t| t.with_timezone(&tz).naive_local() >= wall);
    // Invariant: `reached(lo)` is false and `reached(hi)` is true.
    let mut lo = guess.timestamp() - SPAN;
    let mut hi = guess.timestamp() + SPAN;
    if reached(lo) || !reached(hi) {
        return guess;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reached(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    at(hi).unwrap_or(guess)
}

/// A strict `YYYY-MM-DD` date.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year = text[0..4].parse().ok()?;
    let month = text[5..7].parse().ok()?;
    let day = text[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A typed text cut to a length fit to quote back in a chat message.
fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::{Los_Angeles, Sao_Paulo};
    use chrono_tz::Europe::Berlin;
    use chrono_tz::UTC;
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|e| panic!("bad test time {text}: {e}"))
            .with_timezone(&Utc)
    }

    fn date(text: &str) -> NaiveDate {
        parse_date(text).unwrap_or_else(|| panic!("bad test date {text}"))
    }

    #[track_caller]
    fn check_parse(input: &str, expect: Result<Period, &str>) {
        let got = Period::parse(input).map_err(|e| e.to_string());
        assert_eq!(got, expect.map_err(str::to_string), "parsing {input:?}");
    }

    #[test]
    fn parses_periods() {
        use Period::*;
        let ok: &[(&str, Period)] = &[
            ("7d", LastDays(7)),
            ("30d", LastDays(30)),
            ("90d", LastDays(90)),
            ("1d", LastDays(1)),
            ("3660d", LastDays(3660)),
            ("007D", LastDays(7)),
            ("  14d ", LastDays(14)),
            ("this-week", ThisWeek),
            ("last-week", LastWeek),
            ("this-month", ThisMonth),
            ("last-month", LastMonth),
            ("this-quarter", ThisQuarter),
            ("last-quarter", LastQuarter),
            ("This-Week", ThisWeek),
            ("LAST_QUARTER", LastQuarter),
            (
                "2026-01-01..2026-03-31",
                Range(date("2026-01-01"), date("2026-03-31")),
            ),
            (
                "2026-02-28..2026-02-28",
                Range(date("2026-02-28"), date("2026-02-28")),
            ),
            (
                "2024-02-29..2024-03-01",
                Range(date("2024-02-29"), date("2024-03-01")),
            ),
        ];
        for (input, period) in ok {
            check_parse(input, Ok(*period));
        }
    }

    #[test]
    fn rejects_bad_periods() {
        let not_a_period = |t: &str| {
            format!(
                "\"{t}\" is not a period: use 7d, 30d, 90d, this-week, last-week, this-month, \
                 last-month, this-quarter, last-quarter or 2026-01-01..2026-03-31"
            )
        };
        let days =
            |t: &str| format!("\"{t}\" is not a period: the number of days must be from 1 to 3660");
        let bad_date =
            |t: &str| format!("\"{t}\" is not a date: write dates as YYYY-MM-DD, like 2026-01-31");
        let cases: Vec<(&str, String)> = vec![
            ("45x", not_a_period("45x")),
            ("", not_a_period("")),
            ("d", not_a_period("d")),
            ("7", not_a_period("7")),
            ("-7d", not_a_period("-7d")),
            ("7 d", not_a_period("7 d")),
            ("this-weak", not_a_period("this-weak")),
            ("thisweek", not_a_period("thisweek")),
            ("2026-01-01", not_a_period("2026-01-01")),
            ("2026-01-01..", not_a_period("2026-01-01..")),
            ("..2026-01-01", not_a_period("..2026-01-01")),
            ("0d", days("0d")),
            ("3661d", days("3661d")),
            ("99999999999d", days("99999999999d")),
            ("2026-02-30..2026-03-01", bad_date("2026-02-30")),
            ("2026-01-01..2026-13-01", bad_date("2026-13-01")),
            ("2026-1-1..2026-02-01", bad_date("2026-1-1")),
            (
                "2026-01-01..2026-02-01..2026-03-01",
                bad_date("2026-02-01..2026-03-01"),
            ),
            ("2026-01-01...2026-02-01", bad_date(".2026-02-01")),
            ("2025-02-29..2025-03-01", bad_date("2025-02-29")),
            (
                "2026-03-31..2026-01-01",
                "the period 2026-03-31..2026-01-01 ends before it starts".to_string(),
            ),
            (
                "this-is-a-very-long-word-that-goes-on-and-on-and-on",
                not_a_period("this-is-a-very-long-word-that-goes-on-an…"),
            ),
        ];
        for (input, message) in &cases {
            check_parse(input, Err(message));
        }
    }

    #[test]
    fn display_is_canonical_and_round_trips() {
        let cases = [
            (Period::LastDays(7), "7d"),
            (Period::default(), "30d"),
            (Period::ThisWeek, "this-week"),
            (Period::LastWeek, "last-week"),
            (Period::ThisMonth, "this-month"),
            (Period::LastMonth, "last-month"),
            (Period::ThisQuarter, "this-quarter"),
            (Period::LastQuarter, "last-quarter"),
            (
                Period::Range(date("2026-01-01"), date("2026-03-31")),
                "2026-01-01..2026-03-31",
            ),
        ];
        for (period, text) in cases {
            assert_eq!(period.to_string(), text);
            assert_eq!(text.parse::<Period>(), Ok(period));
        }
    }

    #[test]
    fn target_period_from_str() {
        assert_eq!("week".parse(), Ok(TargetPeriod::Week));
        assert_eq!("Month".parse(), Ok(TargetPeriod::Month));
        assert_eq!(" QUARTER ".parse(), Ok(TargetPeriod::Quarter));
        assert_eq!(
            "year".parse::<TargetPeriod>().map_err(|e| e.to_string()),
            Err("\"year\" is not a target period: use week, month or quarter".to_string())
        );
        for kind in TargetPeriod::ALL {
            assert_eq!(kind.to_string().parse(), Ok(kind));
        }
    }

    /// `(period, now, zone, from, to)`; `to` of `"now"` means the window ends at `now`.
    #[track_caller]
    fn check_resolve(period: &str, now: &str, tz: Tz, from: &str, to: &str) {
        let now_t = utc(now);
        let period_v: Period = period
            .parse()
            .unwrap_or_else(|e| panic!("bad test period {period}: {e}"));
        let want_to = if to == "now" { now_t } else { utc(to) };
        assert_eq!(
            period_v.resolve(now_t, tz),
            Window {
                from: utc(from),
                to: want_to
            },
            "{period} at {now} in {tz}"
        );
    }

    #[test]
    fn resolves_in_utc() {
        let cases = [
            // Nd: exactly N days back.
            ("7d", "2026-03-15T12:34:56Z", "2026-03-08T12:34:56Z", "now"),
            ("30d", "2026-03-15T12:00:00Z", "2026-02-13T12:00:00Z", "now"),
            ("90d", "2026-03-15T00:00:00Z", "2025-12-15T00:00:00Z", "now"),
            // 2026-03-15 is a Sunday; its week began on Monday 9 March.
            (
                "this-week",
                "2026-03-15T23:59:59Z",
                "2026-03-09T00:00:00Z",
                "now",
            ),
            (
                "last-week",
                "2026-03-15T23:59:59Z",
                "2026-03-02T00:00:00Z",
                "2026-03-09T00:00:00Z",
            ),
            // On a Monday the week has just begun.
            (
                "this-week",
                "2026-03-16T00:00:00Z",
                "2026-03-16T00:00:00Z",
                "now",
            ),
            (
                "last-week",
                "2026-03-16T00:00:00Z",
                "2026-03-09T00:00:00Z",
                "2026-03-16T00:00:00Z",
            ),
            // Month boundaries.
            (
                "this-month",
                "2026-03-31T23:59:59Z",
                "2026-03-01T00:00:00Z",
                "now",
            ),
            (
                "this-month",
                "2026-04-01T00:00:00Z",
                "2026-04-01T00:00:00Z",
                "now",
            ),
            (
                "last-month",
                "2026-03-31T23:59:59Z",
                "2026-02-01T00:00:00Z",
                "2026-03-01T00:00:00Z",
            ),
            (
                "last-month",
                "2026-04-01T00:00:00Z",
                "2026-03-01T00:00:00Z",
                "2026-04-01T00:00:00Z",
            ),
            (
                "last-month",
                "2026-01-10T00:00:00Z",
                "2025-12-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ),
            // Quarter boundaries.
            (
                "this-quarter",
                "2026-03-31T23:59:59Z",
                "2026-01-01T00:00:00Z",
                "now",
            ),
            (
                "this-quarter",
                "2026-04-01T00:00:00Z",
                "2026-04-01T00:00:00Z",
                "now",
            ),
            (
                "this-quarter",
                "2026-08-15T10:00:00Z",
                "2026-07-01T00:00:00Z",
                "now",
            ),
            (
                "this-quarter",
                "2026-12-31T10:00:00Z",
                "2026-10-01T00:00:00Z",
                "now",
            ),
            (
                "last-quarter",
                "2026-04-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
                "2026-04-01T00:00:00Z",
            ),
            (
                "last-quarter",
                "2026-11-30T00:00:00Z",
                "2026-07-01T00:00:00Z",
                "2026-10-01T00:00:00Z",
            ),
            // Last quarter in January is the previous year's Q4.
            (
                "last-quarter",
                "2026-01-15T08:00:00Z",
                "2025-10-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ),
            (
                "last-month",
                "2026-01-01T00:00:00Z",
                "2025-12-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ),
            // Ranges include their last day.
            (
                "2026-01-01..2026-03-31",
                "2026-06-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
                "2026-04-01T00:00:00Z",
            ),
            (
                "2026-02-28..2026-02-28",
                "2026-06-01T00:00:00Z",
                "2026-02-28T00:00:00Z",
                "2026-03-01T00:00:00Z",
            ),
            (
                "2024-02-28..2024-02-29",
                "2026-06-01T00:00:00Z",
                "2024-02-28T00:00:00Z",
                "2024-03-01T00:00:00Z",
            ),
            (
                "2025-12-31..2025-12-31",
                "2026-06-01T00:00:00Z",
                "2025-12-31T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ),
            // A range in the future is still the range.
            (
                "2027-01-01..2027-01-07",
                "2026-06-01T00:00:00Z",
                "2027-01-01T00:00:00Z",
                "2027-01-08T00:00:00Z",
            ),
        ];
        for (period, now, from, to) in cases {
            check_resolve(period, now, UTC, from, to);
        }
    }

    #[test]
    fn resolves_in_los_angeles() {
        // PST is UTC-8, PDT UTC-7; DST began 2026-03-08 02:00 and ends 2026-11-01 02:00.
        let cases = [
            // 2026-04-01 03:00 UTC is still 31 March, 20:00 PDT, in Los Angeles.
            (
                "this-month",
                "2026-04-01T03:00:00Z",
                "2026-03-01T08:00:00Z",
                "now",
            ),
            (
                "last-month",
                "2026-04-01T03:00:00Z",
                "2026-02-01T08:00:00Z",
                "2026-03-01T08:00:00Z",
            ),
            (
                "this-quarter",
                "2026-04-01T03:00:00Z",
                "2026-01-01T08:00:00Z",
                "now",
            ),
            (
                "last-quarter",
                "2026-04-01T03:00:00Z",
                "2025-10-01T07:00:00Z",
                "2026-01-01T08:00:00Z",
            ),
            (
                "this-quarter",
                "2026-04-01T07:00:00Z",
                "2026-04-01T07:00:00Z",
                "now",
            ),
            (
                "last-quarter",
                "2026-01-01T07:59:59Z",
                "2025-07-01T07:00:00Z",
                "2025-10-01T07:00:00Z",
            ),
            (
                "last-quarter",
                "2026-01-01T08:00:00Z",
                "2025-10-01T07:00:00Z",
                "2026-01-01T08:00:00Z",
            ),
            // Sunday 29 March 20:00 PDT is Monday 03:00 UTC: the local week began 23 March.
            (
                "this-week",
                "2026-03-30T03:00:00Z",
                "2026-03-23T07:00:00Z",
                "now",
            ),
            // Monday 00:30 local: the week began half an hour ago.
            (
                "this-week",
                "2026-03-30T07:30:00Z",
                "2026-03-30T07:00:00Z",
                "now",
            ),
            (
                "last-week",
                "2026-03-30T07:30:00Z",
                "2026-03-23T07:00:00Z",
                "2026-03-30T07:00:00Z",
            ),
            // The week across the spring change is an hour short.
            (
                "last-week",
                "2026-03-10T12:00:00Z",
                "2026-03-02T08:00:00Z",
                "2026-03-09T07:00:00Z",
            ),
            // 7d on the wall clock across the change: 12:00 PDT back to 12:00 PST.
            ("7d", "2026-03-10T19:00:00Z", "2026-03-03T20:00:00Z", "now"),
            // Back across the autumn change: 12:00 PST back to 12:00 PDT.
            ("7d", "2026-11-05T20:00:00Z", "2026-10-29T19:00:00Z", "now"),
            // 01:30 on 1 November happens twice; the window starts at the first.
            ("7d", "2026-11-08T09:30:00Z", "2026-11-01T08:30:00Z", "now"),
            // 02:30 on 8 March never happens; the window starts when 03:00 PDT does.
            ("7d", "2026-03-15T09:30:00Z", "2026-03-08T10:00:00Z", "now"),
            // Ranges are whole local days.
            (
                "2026-03-08..2026-03-08",
                "2026-06-01T00:00:00Z",
                "2026-03-08T08:00:00Z",
                "2026-03-09T07:00:00Z",
            ),
            (
                "2026-11-01..2026-11-01",
                "2026-12-01T00:00:00Z",
                "2026-11-01T07:00:00Z",
                "2026-11-02T08:00:00Z",
            ),
            (
                "2026-01-01..2026-03-31",
                "2026-06-01T00:00:00Z",
                "2026-01-01T08:00:00Z",
                "2026-04-01T07:00:00Z",
            ),
        ];
        for (period, now, from, to) in cases {
            check_resolve(period, now, Los_Angeles, from, to);
        }
    }

    #[test]
    fn resolves_in_berlin() {
        // CET is UTC+1, CEST UTC+2; DST began 2026-03-29 02:00 and ends 2026-10-25 03:00.
        let cases = [
            // Monday 30 March 00:30 CEST is Sunday 22:30 UTC.
            (
                "this-week",
                "2026-03-29T22:30:00Z",
                "2026-03-29T22:00:00Z",
                "now",
            ),
            (
                "last-week",
                "2026-03-29T22:30:00Z",
                "2026-03-22T23:00:00Z",
                "2026-03-29T22:00:00Z",
            ),
            // Sunday 23:30 CEST is still the week of 23 March.
            (
                "this-week",
                "2026-03-29T21:30:00Z",
                "2026-03-22T23:00:00Z",
                "now",
            ),
            // 1 April 00:30 CEST is still 31 March in UTC.
            (
                "this-month",
                "2026-03-31T22:30:00Z",
                "2026-03-31T22:00:00Z",
                "now",
            ),
            (
                "last-month",
                "2026-03-31T22:30:00Z",
                "2026-02-28T23:00:00Z",
                "2026-03-31T22:00:00Z",
            ),
            (
                "this-quarter",
                "2026-03-31T22:30:00Z",
                "2026-03-31T22:00:00Z",
                "now",
            ),
            (
                "last-quarter",
                "2026-03-31T22:30:00Z",
                "2025-12-31T23:00:00Z",
                "2026-03-31T22:00:00Z",
            ),
            // New Year in Berlin while it is still 2025 in UTC.
            (
                "last-quarter",
                "2025-12-31T23:30:00Z",
                "2025-09-30T22:00:00Z",
                "2025-12-31T23:00:00Z",
            ),
            (
                "this-quarter",
                "2025-12-31T22:59:59Z",
                "2025-09-30T22:00:00Z",
                "now",
            ),
            // October: the autumn change.
            (
                "last-month",
                "2026-11-02T12:00:00Z",
                "2026-09-30T22:00:00Z",
                "2026-10-31T23:00:00Z",
            ),
            ("7d", "2026-03-30T10:00:00Z", "2026-03-23T11:00:00Z", "now"),
            // 02:30 on 29 March never happens in Berlin: start at 03:00 CEST.
            ("7d", "2026-04-05T00:30:00Z", "2026-03-29T01:00:00Z", "now"),
            (
                "2026-03-29..2026-03-29",
                "2026-06-01T00:00:00Z",
                "2026-03-28T23:00:00Z",
                "2026-03-29T22:00:00Z",
            ),
            (
                "2026-10-25..2026-10-25",
                "2026-12-01T00:00:00Z",
                "2026-10-24T22:00:00Z",
                "2026-10-25T23:00:00Z",
            ),
        ];
        for (period, now, from, to) in cases {
            check_resolve(period, now, Berlin, from, to);
        }
    }

    #[test]
    fn missing_midnight_resolves_to_first_instant_after() {
        // Brazil began DST at midnight: 2018-11-04 00:00 -03 jumped to 01:00 -02.
        check_resolve(
            "2018-11-04..2018-11-04",
            "2019-01-01T00:00:00Z",
            Sao_Paulo,
            "2018-11-04T03:00:00Z",
            "2018-11-05T02:00:00Z",
        );
        check_resolve(
            "2018-11-03..2018-11-03",
            "2019-01-01T00:00:00Z",
            Sao_Paulo,
            "2018-11-03T03:00:00Z",
            "2018-11-04T03:00:00Z",
        );
        // The week across the change: Monday 29 October -03 to Monday 5 November -02.
        check_resolve(
            "last-week",
            "2018-11-05T12:00:00Z",
            Sao_Paulo,
            "2018-10-29T03:00:00Z",
            "2018-11-05T02:00:00Z",
        );
        check_resolve(
            "this-month",
            "2018-11-04T12:00:00Z",
            Sao_Paulo,
            "2018-11-01T03:00:00Z",
            "now",
        );
    }

    #[track_caller]
    fn check_target(kind: TargetPeriod, now: &str, tz: Tz, from: &str, to: &str) {
        assert_eq!(
            current_target_window(kind, utc(now), tz),
            Window {
                from: utc(from),
                to: utc(to)
            },
            "{kind} at {now} in {tz}"
        );
    }

    #[test]
    fn target_windows_are_whole_periods() {
        use TargetPeriod::*;
        let cases = [
            (
                Week,
                "2026-03-18T12:00:00Z",
                UTC,
                "2026-03-16T00:00:00Z",
                "2026-03-23T00:00:00Z",
            ),
            (
                Week,
                "2026-03-16T00:00:00Z",
                UTC,
                "2026-03-16T00:00:00Z",
                "2026-03-23T00:00:00Z",
            ),
            (
                Week,
                "2026-03-22T23:59:59Z",
                UTC,
                "2026-03-16T00:00:00Z",
                "2026-03-23T00:00:00Z",
            ),
            (
                Month,
                "2026-02-10T00:00:00Z",
                UTC,
                "2026-02-01T00:00:00Z",
                "2026-03-01T00:00:00Z",
            ),
            (
                Month,
                "2026-12-31T23:59:59Z",
                UTC,
                "2026-12-01T00:00:00Z",
                "2027-01-01T00:00:00Z",
            ),
            (
                Quarter,
                "2026-01-01T00:00:00Z",
                UTC,
                "2026-01-01T00:00:00Z",
                "2026-04-01T00:00:00Z",
            ),
            (
                Quarter,
                "2026-11-15T00:00:00Z",
                UTC,
                "2026-10-01T00:00:00Z",
                "2027-01-01T00:00:00Z",
            ),
            // Berlin's March is an hour short; its week across the change too.
            (
                Month,
                "2026-03-15T12:00:00Z",
                Berlin,
                "2026-02-28T23:00:00Z",
                "2026-03-31T22:00:00Z",
            ),
            (
                Week,
                "2026-03-25T12:00:00Z",
                Berlin,
                "2026-03-22T23:00:00Z",
                "2026-03-29T22:00:00Z",
            ),
            (
                Quarter,
                "2026-03-31T22:30:00Z",
                Berlin,
                "2026-03-31T22:00:00Z",
                "2026-06-30T22:00:00Z",
            ),
            // Los Angeles: 31 December 20:00 PST is already 2027 in UTC.
            (
                Quarter,
                "2027-01-01T04:00:00Z",
                Los_Angeles,
                "2026-10-01T07:00:00Z",
                "2027-01-01T08:00:00Z",
            ),
            (
                Month,
                "2026-11-01T12:00:00Z",
                Los_Angeles,
                "2026-11-01T07:00:00Z",
                "2026-12-01T08:00:00Z",
            ),
        ];
        for (kind, now, tz, from, to) in cases {
            check_target(kind, now, tz, from, to);
        }
    }

    fn zones() -> impl Strategy<Value = Tz> {
        prop::sample::select(vec![
            UTC,
            Los_Angeles,
            Berlin,
            Sao_Paulo,
            chrono_tz::Asia::Kolkata,
            chrono_tz::Pacific::Apia,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::America::Santiago,
        ])
    }

    fn periods() -> impl Strategy<Value = Period> {
        prop_oneof![
            (1..=MAX_DAYS).prop_map(Period::LastDays),
            Just(Period::ThisWeek),
            Just(Period::LastWeek),
            Just(Period::ThisMonth),
            Just(Period::LastMonth),
            Just(Period::ThisQuarter),
            Just(Period::LastQuarter),
            (0..40_000i32, 0..400u64).prop_map(|(a, len)| {
                let from =
                    NaiveDate::from_num_days_from_ce_opt(700_000 + a).unwrap_or(NaiveDate::MIN);
                Period::Range(from, from + Days::new(len))
            }),
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,60}") {
            let _ = Period::parse(&text);
        }

        #[test]
        fn display_round_trips(period in periods()) {
            prop_assert_eq!(period.to_string().parse::<Period>(), Ok(period));
        }

        #[test]
        fn windows_are_ordered_and_sane(
            period in periods(),
            secs in 946_684_800i64..4_102_444_800i64,
            tz in zones(),
        ) {
            let now = DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default();
            let w = period.resolve(now, tz);
            prop_assert!(w.from <= w.to, "{period} at {now} in {tz}: {w:?}");
            if !matches!(period, Period::Range(..)) {
                prop_assert!(w.to <= now);
                prop_assert!(w.from <= now);
            }
            for kind in TargetPeriod::ALL {
                let t = current_target_window(kind, now, tz);
                prop_assert!(t.contains(now), "{kind} at {now} in {tz}: {t:?}");
            }
        }
    }
}
