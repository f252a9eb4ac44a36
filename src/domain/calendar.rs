//! Business-hours calendars for Baton's SLA clocks.
//!
//! A [`Calendar`] knows the weekly working hours of a team (local wall-clock
//! ranges in an IANA time zone) and its holidays (local dates). It answers the
//! questions an SLA needs: is this instant inside working hours, when do working
//! hours resume, which instant is `d` of working time after `start`, and how
//! much working time lies between two instants.
//!
//! This module must stay pure: it performs no I/O, has no async code, and never
//! reads the system clock (every instant is a parameter). It must not panic on
//! any input, so it never uses `.unwrap()` outside its tests.
//!
//! Daylight-saving time is handled per local date: each working range of a
//! date is converted to a pair of UTC instants with the calendar's time zone,
//! so days are never assumed to last 24 hours. A local time that does not exist
//! (the spring-forward gap) stands for the first instant after the gap, and an
//! ambiguous local time (the fall-back overlap) stands for its earliest
//! instant. A `00:00-24:00` range therefore lasts 23 hours on the
//! spring-forward day in Europe/Berlin and 25 hours on the fall-back day, while
//! a `09:00-18:00` range lasts 9 hours on both.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::{GapInfo, Tz};

/// The number of seconds in a nominal day; a range may end at this value (24:00).
const DAY_SECS: u32 = 86_400;

/// How many local dates `add_business` and `next_open` examine before giving up.
///
/// Twenty years is far beyond any SLA. The bound only matters when holidays
/// cover every working day for that long; the search then returns the end of
/// the bound instead of looping forever.
const HORIZON_DAYS: u64 = 20 * 366;

/// The English three-letter day names, Monday first, as used in config files.
const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// One working range of a day, in seconds after local midnight.
///
/// The start is below the end, and the end is at most 24:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Range {
    start: u32,
    end: u32,
}

/// A business calendar: weekly working hours in a time zone, minus holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    tz: Tz,
    /// Sorted, merged ranges for each weekday, Monday first.
    week: [Vec<Range>; 7],
    /// Local dates on which no working range applies.
    holidays: BTreeSet<NaiveDate>,
}

/// Why a calendar definition could not be parsed.
///
/// Every message names the offending text and, where it helps, shows the
/// expected form, because the reader is a person fixing a config file.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    /// The time zone is not a known IANA name.
    #[error("unknown time zone \"{0}\": use an IANA name such as \"Europe/Berlin\"")]
    UnknownTimeZone(String),
    /// A group of hours does not have the shape `DAYS HH:MM-HH:MM,...`.
    #[error(
        "bad hours \"{0}\": write days then ranges, e.g. \"Mon-Fri 09:00-18:00\" or \"Mon-Thu 09:00-12:00,13:00-17:30; Fri 09:00-15:00\""
    )]
    BadHours(String),
    /// A day name is not one of the seven English three-letter names.
    #[error(
        "unknown day \"{day}\" in \"{group}\": use Mon, Tue, Wed, Thu, Fri, Sat or Sun, e.g. \"Mon-Fri 09:00-18:00\""
    )]
    UnknownDay {
        /// The day name as written.
        day: String,
        /// The group of hours that contains it.
        group: String,
    },
    /// A day range such as `Sat-Mon` runs past Sunday.
    #[error("day range \"{range}\" wraps past Sunday: write \"{suggestion}\" instead")]
    WrappingDays {
        /// The day range as written.
        range: String,
        /// The same days written without wrapping.
        suggestion: String,
    },
    /// A time has the shape `HH:MM` but is not a valid time of day.
    #[error(
        "bad time \"{time}\" in \"{group}\": use HH:MM from 00:00 to 23:59, or 24:00 to end a range"
    )]
    BadTime {
        /// The time as written.
        time: String,
        /// The group of hours that contains it.
        group: String,
    },
    /// A range ends before it starts, such as `18:00-09:00`.
    #[error("range {0} ends before it starts")]
    BackwardRange(String),
    /// A range starts and ends at the same time, such as `09:00-09:00`.
    #[error("range {0} is empty: the end must be after the start")]
    EmptyRange(String),
    /// A holiday is not a valid `YYYY-MM-DD` date.
    #[error("bad holiday \"{0}\": use YYYY-MM-DD")]
    BadHoliday(String),
    /// The hours define no working range at all.
    #[error("no working hours")]
    NoWorkingHours,
}

/// The outcome of scanning working windows.
enum Scan<T> {
    /// The visitor stopped the scan with this value.
    Found(T),
    /// The scan ran out of dates; the value is the instant where it stopped.
    Exhausted(DateTime<Utc>),
}

impl Calendar {
    /// Parses a calendar from its config fields.
    ///
    /// `hours` holds one or more strings; each string holds one or more groups
    /// separated by `;`. A group is `DAYS RANGES`, where `DAYS` is a
    /// comma-separated list of days (`Mon`) or day ranges (`Mon-Fri`) using
    /// case-insensitive English three-letter names, and `RANGES` is a
    /// comma-separated list of `HH:MM-HH:MM` ranges (24:00 is allowed as an
    /// end). A day range may not wrap past Sunday. Overlapping or touching
    /// ranges on the same day are merged. `holidays` are local dates written as
    /// `YYYY-MM-DD`.
    pub fn parse(
        name: &str,
        timezone: &str,
        hours: &[String],
        holidays: &[String],
    ) -> Result<Calendar, CalendarError> {
        let tz: Tz = timezone
            .trim()
            .parse()
            .map_err(|_| CalendarError::UnknownTimeZone(timezone.to_string()))?;

        let mut week: [Vec<Range>; 7] = Default::default();
        for text in hours {
            for group in text.split(';').map(str::trim) {
                if group.is_empty() {
                    continue;
                }
                let (days, ranges) = parse_group(group)?;
                for (day_ranges, included) in week.iter_mut().zip(days) {
                    if included {
                        day_ranges.extend_from_slice(&ranges);
                    }
                }
            }
        }
        for day_ranges in &mut week {
            merge_ranges(day_ranges);
        }
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::NoWorkingHours);
        }

        let holidays = holidays
            .iter()
            .map(|text| parse_holiday(text))
            .collect::<Result<BTreeSet<_>, _>>()?;

        Ok(Calendar {
            name: name.to_string(),
            tz,
            week,
            holidays,
        })
    }

    /// A calendar that is open around the clock in UTC with no holidays.
    ///
    /// Its business time is plain wall-clock time; it serves SLAs that say
    /// `business_hours = false`.
    pub fn always_open() -> Calendar {
        Calendar {
            name: "always open".to_string(),
            tz: Tz::UTC,
            week: std::array::from_fn(|_| {
                vec![Range {
                    start: 0,
                    end: DAY_SECS,
                }]
            }),
            holidays: BTreeSet::new(),
        }
    }

    /// The calendar's name as given to [`Calendar::parse`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The time zone in which the working ranges and holidays are read.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Whether the local date `date` is a holiday.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }

    /// Whether the local date `date` has working hours: a working weekday that is not a
    /// holiday.
    pub fn works_on(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        !self.is_holiday(date)
            && !self.week[date.weekday().num_days_from_monday() as usize].is_empty()
    }

    /// Whether `at` lies inside working hours.
    ///
    /// Ranges include their start and exclude their end, and no range applies
    /// on a holiday (holidays are local dates in the calendar's time zone).
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        if self.is_wall_clock() {
            return true;
        }
        self.is_open_scanning(at)
    }

    /// Returns `at` itself when the calendar is open then, otherwise the start
    /// of the next working range.
    ///
    /// If holidays cover every working day for about twenty years after `at`,
    /// the end of that search bound is returned instead.
    pub fn next_open(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.is_wall_clock() {
            return at;
        }
        self.next_open_scanning(at)
    }

    /// The instant at which `d` of working time has elapsed after `start`.
    ///
    /// A zero (or negative) `d` returns `start` unchanged, even outside working
    /// hours. Otherwise a start outside working hours begins counting at the
    /// next opening. When the working time runs out exactly at the end of a
    /// range, the end of that range is returned (not the next opening).
    ///
    /// The search examines about twenty years of local dates; if the working
    /// time is not used up by then (which needs holidays on nearly every
    /// working day, or an absurd `d`), the end of that bound is returned.
    pub fn add_business(&self, start: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
        if d <= Duration::zero() {
            return start;
        }
        if self.is_wall_clock() {
            return start
                .checked_add_signed(d)
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
        }
        self.add_business_scanning(start, d)
    }

    /// The working time inside `[a, b)`; zero when `b <= a`.
    pub fn business_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
        if b <= a {
            return Duration::zero();
        }
        if self.is_wall_clock() {
            return b - a;
        }
        self.business_between_scanning(a, b)
    }

    /// Whether every instant is working time, so that business time equals
    /// wall-clock time.
    ///
    /// That holds when every weekday is `00:00-24:00` and there are no
    /// holidays, in any time zone: the windows of consecutive dates then touch
    /// because both sides of a midnight map to the same instant.
    fn is_wall_clock(&self) -> bool {
        self.holidays.is_empty()
            && self.week.iter().all(|ranges| {
                ranges.as_slice()
                    == [Range {
                        start: 0,
                        end: DAY_SECS,
                    }]
            })
    }

    /// The deadline `days` working days after `start`: the same local time of day on the
    /// `days`-th working day after `start`'s (holidays and days without hours skipped).
    ///
    /// A `start` outside working hours counts from the next opening, and its deadline is
    /// the end of the `days`-th working day counted from that opening's day (a lead on
    /// Tuesday evening with three days is due at the close of Friday). When the target
    /// day is closed at that time of day (a shorter Friday, a lunch break), the deadline
    /// is the last close before it. Zero days return `start`.
    pub fn add_business_days(&self, start: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        if days == 0 {
            return start;
        }
        if self.is_wall_clock() {
            return start
                .checked_add_signed(Duration::days(i64::from(days)))
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
        }
        let open = self.is_open_scanning(start);
        let from = if open {
            start
        } else {
            self.next_open_scanning(start)
        };
        let local = from.with_timezone(&self.tz).naive_local();
        let mut date = local.date();
        let mut counted = 0;
        let mut examined = 0;
        while counted < days {
            examined += 1;
            match date.succ_opt() {
                Some(next) if examined <= HORIZON_DAYS => date = next,
                _ => return self.instant(date, DAY_SECS),
            }
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        let target = resolve_local(self.tz, date.and_time(local.time()));
        if open && self.is_open_scanning(target) {
            target
        } else {
            self.last_close_at_or_before(target)
        }
    }

    /// Whether the local date has working hours and is not a holiday.
    fn is_working_day(&self, date: NaiveDate) -> bool {
        let weekday = date.weekday().num_days_from_monday() as usize;
        !self.week[weekday].is_empty() && !self.holidays.contains(&date)
    }

    /// The end of the latest working range that ends at or before `at` (within the
    /// search horizon; `at` itself if there is none).
    fn last_close_at_or_before(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let mut date = self.local_date(at).succ_opt().unwrap_or(NaiveDate::MAX);
        for _ in 0..HORIZON_DAYS {
            if !self.holidays.contains(&date) {
                let weekday = date.weekday().num_days_from_monday() as usize;
                for range in self.week[weekday].iter().rev() {
                    let (start, end) = (
                        self.instant(date, range.start),
                        self.instant(date, range.end),
                    );
                    if start < end && end <= at {
                        return end;
                    }
                }
            }
            match date.pred_opt() {
                Some(previous) => date = previous,
                None => break,
            }
        }
        at
    }

    /// The general form of [`Calendar::is_open`], without the wall-clock shortcut.
    fn is_open_scanning(&self, at: DateTime<Utc>) -> bool {
        let date = self.local_date(at);
        let from = date.pred_opt().unwrap_or(date);
        let last = date.succ_opt().unwrap_or(date);
        let scan = self.scan(from, last, |start, end| {
            if start > at {
                ControlFlow::Break(false)
            } else if at < end {
                ControlFlow::Break(true)
            } else {
                ControlFlow::Continue(())
            }
        });
        match scan {
            Scan::Found(open) => open,
            Scan::Exhausted(_) => false,
        }
    }

    /// The general form of [`Calendar::next_open`], without the wall-clock shortcut.
    fn next_open_scanning(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let (from, last) = self.search_dates(at);
        let scan = self.scan(from, last, |start, end| {
            if end > at {
                ControlFlow::Break(start.max(at))
            } else {
                ControlFlow::Continue(())
            }
        });
        match scan {
            Scan::Found(instant) | Scan::Exhausted(instant) => instant,
        }
    }

    /// The general form of [`Calendar::add_business`] for a positive `d`,
    /// without the wall-clock shortcut.
    fn add_business_scanning(&self, start: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
        let mut remaining = d;
        let (from, last) = self.search_dates(start);
        let scan = self.scan(from, last, |window_start, window_end| {
            if window_end <= start {
                return ControlFlow::Continue(());
            }
            let counted_from = window_start.max(start);
            let available = window_end - counted_from;
            if remaining <= available {
                ControlFlow::Break(counted_from + remaining)
            } else {
                remaining -= available;
                ControlFlow::Continue(())
            }
        });
        match scan {
            Scan::Found(instant) | Scan::Exhausted(instant) => instant,
        }
    }

    /// The general form of [`Calendar::business_between`] for `a < b`,
    /// without the wall-clock shortcut.
    fn business_between_scanning(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
        let first = self.local_date(a);
        let from = first.pred_opt().unwrap_or(first);
        let final_date = self.local_date(b);
        let last = final_date.succ_opt().unwrap_or(final_date);
        let mut total = Duration::zero();
        // The scan ends at `last` on its own, so its outcome carries no information.
        let _ = self.scan(from, last, |start, end| {
            if start >= b {
                return ControlFlow::Break(());
            }
            let low = start.max(a);
            let high = end.min(b);
            if high > low {
                total += high - low;
            }
            ControlFlow::Continue(())
        });
        total
    }

    /// The first and last local dates to search for windows after `at`.
    ///
    /// The search starts one date early, which costs little and keeps the
    /// result right even if a window of the previous date reached past local
    /// midnight.
    fn search_dates(&self, at: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
        let date = self.local_date(at);
        let from = date.pred_opt().unwrap_or(date);
        let last = from
            .checked_add_days(chrono::Days::new(HORIZON_DAYS))
            .unwrap_or(NaiveDate::MAX);
        (from, last)
    }

    /// The local date of `at` in the calendar's time zone.
    ///
    /// Near the ends of the representable range the local date may not exist;
    /// it then saturates to the first or last representable date, because
    /// chrono's own conversion would panic there.
    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        let utc = at.naive_utc();
        let offset = self
            .tz
            .offset_from_utc_datetime(&utc)
            .fix()
            .local_minus_utc();
        match utc.checked_add_signed(Duration::seconds(i64::from(offset))) {
            Some(local) => local.date(),
            None if offset > 0 => NaiveDate::MAX,
            None => NaiveDate::MIN,
        }
    }

    /// Calls `visit` with each non-empty working window `[start, end)` of the
    /// local dates `from..=last`, in chronological order, until it breaks.
    ///
    /// Windows come out in chronological order and never overlap, because the
    /// mapping from local time to instants (earliest instant for an ambiguous
    /// time, first instant after a gap for a missing one) never goes backwards.
    fn scan<T>(
        &self,
        from: NaiveDate,
        last: NaiveDate,
        mut visit: impl FnMut(DateTime<Utc>, DateTime<Utc>) -> ControlFlow<T>,
    ) -> Scan<T> {
        let mut date = from;
        loop {
            if !self.holidays.contains(&date) {
                let weekday = date.weekday().num_days_from_monday() as usize;
                for range in &self.week[weekday] {
                    let start = self.instant(date, range.start);
                    let end = self.instant(date, range.end);
                    if start < end
                        && let ControlFlow::Break(value) = visit(start, end)
                    {
                        return Scan::Found(value);
                    }
                }
            }
            if date >= last {
                return Scan::Exhausted(self.instant(date, DAY_SECS));
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => return Scan::Exhausted(DateTime::<Utc>::MAX_UTC),
            }
        }
    }

    /// The instant of local time `secs` seconds after midnight of `date`.
    fn instant(&self, date: NaiveDate, secs: u32) -> DateTime<Utc> {
        let local = date
            .and_time(NaiveTime::MIN)
            .checked_add_signed(Duration::seconds(i64::from(secs)));
        match local {
            Some(local) => resolve_local(self.tz, local),
            None => DateTime::<Utc>::MAX_UTC,
        }
    }
}

/// Converts a local wall-clock time to an instant.
///
/// An ambiguous time gives its earliest instant; a time inside a gap gives the
/// first instant after the gap.
fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.to_utc(),
        LocalResult::Ambiguous(first, second) => first.min(second).to_utc(),
        LocalResult::None => {
            if let Some(after_gap) = GapInfo::new(&local, &tz).and_then(|gap| gap.end) {
                return after_gap.to_utc();
            }
            // The time zone data always knows both sides of a gap, so this
            // fallback only guards against a surprise: it reads the local time
            // with the offset in force at the same reading in UTC.
            let offset = tz.offset_from_utc_datetime(&local).fix().local_minus_utc();
            local
                .checked_sub_signed(Duration::seconds(i64::from(offset)))
                .map_or(DateTime::<Utc>::MAX_UTC, |naive| naive.and_utc())
        }
    }
}

/// Parses one group such as `Mon-Thu 09:00-12:00,13:00-17:30`.
///
/// It returns which weekdays the group covers (Monday first) and its ranges.
fn parse_group(group: &str) -> Result<([bool; 7], Vec<Range>), CalendarError> {
    let bad = || CalendarError::BadHours(group.to_string());
    let split = group.find(|c: char| c.is_ascii_digit()).ok_or_else(bad)?;
    let (days_text, ranges_text) = group.split_at(split);
    let days = parse_days(days_text.trim(), group)?;
    let ranges = ranges_text
        .split(',')
        .map(|range| parse_range(range.trim(), group))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((days, ranges))
}

/// Parses a day list such as `Mon-Wed,Fri` into a Monday-first set of weekdays.
fn parse_days(text: &str, group: &str) -> Result<[bool; 7], CalendarError> {
    let bad = || CalendarError::BadHours(group.to_string());
    if text.is_empty() {
        return Err(bad());
    }
    let mut days = [false; 7];
    for item in text.split(',').map(str::trim) {
        match item.split_once('-') {
            None => days[parse_day(item, group)?] = true,
            Some((first, last)) => {
                if last.contains('-') {
                    return Err(bad());
                }
                let first = parse_day(first.trim(), group)?;
                let last = parse_day(last.trim(), group)?;
                if first > last {
                    return Err(CalendarError::WrappingDays {
                        range: item.to_string(),
                        suggestion: unwrapped_days(first, last),
                    });
                }
                for day in &mut days[first..=last] {
                    *day = true;
                }
            }
        }
    }
    Ok(days)
}

/// Parses one three-letter day name into its Monday-first index.
fn parse_day(text: &str, group: &str) -> Result<usize, CalendarError> {
    if text.is_empty() {
        return Err(CalendarError::BadHours(group.to_string()));
    }
    DAY_NAMES
        .iter()
        .position(|name| name.eq_ignore_ascii_case(text))
        .ok_or_else(|| CalendarError::UnknownDay {
            day: text.to_string(),
            group: group.to_string(),
        })
}

/// Writes the days `first..=Sun` and `Mon..=last` without wrapping, such as
/// `Sat-Sun,Mon` for `Sat-Mon`.
fn unwrapped_days(first: usize, last: usize) -> String {
    let to_sunday = if first == 6 {
        DAY_NAMES[6].to_string()
    } else {
        format!("{}-{}", DAY_NAMES[first], DAY_NAMES[6])
    };
    let from_monday = if last == 0 {
        DAY_NAMES[0].to_string()
    } else {
        format!("{}-{}", DAY_NAMES[0], DAY_NAMES[last])
    };
    format!("{to_sunday},{from_monday}")
}

/// Parses one range such as `09:00-18:00`.
fn parse_range(text: &str, group: &str) -> Result<Range, CalendarError> {
    let (start_text, end_text) = text
        .split_once('-')
        .ok_or_else(|| CalendarError::BadHours(group.to_string()))?;
    let (start_text, end_text) = (start_text.trim(), end_text.trim());
    let start = parse_time(start_text, group)?;
    let end = parse_time(end_text, group)?;
    if start == DAY_SECS {
        return Err(CalendarError::BadTime {
            time: start_text.to_string(),
            group: group.to_string(),
        });
    }
    let written = format!("{start_text}-{end_text}");
    if end < start {
        return Err(CalendarError::BackwardRange(written));
    }
    if end == start {
        return Err(CalendarError::EmptyRange(written));
    }
    Ok(Range { start, end })
}

/// Parses `HH:MM` (00:00 to 24:00) into seconds after midnight.
fn parse_time(text: &str, group: &str) -> Result<u32, CalendarError> {
    let bytes = text.as_bytes();
    let digit = |i: usize| {
        bytes
            .get(i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| u32::from(b - b'0'))
    };
    let shaped = (bytes.len(), bytes.get(2)) == (5, Some(&b':'));
    let (Some(h1), Some(h2), Some(m1), Some(m2), true) =
        (digit(0), digit(1), digit(3), digit(4), shaped)
    else {
        return Err(CalendarError::BadHours(group.to_string()));
    };
    let (hours, minutes) = (h1 * 10 + h2, m1 * 10 + m2);
    if minutes > 59 || hours > 24 || (hours == 24 && minutes != 0) {
        return Err(CalendarError::BadTime {
            time: text.to_string(),
            group: group.to_string(),
        });
    }
    Ok(hours * 3600 + minutes * 60)
}

/// Sorts a day's ranges and merges those that overlap or touch.
fn merge_ranges(ranges: &mut Vec<Range>) {
    ranges.sort_unstable();
    let mut merged: Vec<Range> = Vec::with_capacity(ranges.len());
    for range in ranges.drain(..) {
        match merged.last_mut() {
            Some(previous) if range.start <= previous.end => {
                previous.end = previous.end.max(range.end);
            }
            _ => merged.push(range),
        }
    }
    *ranges = merged;
}

/// Parses a holiday written strictly as `YYYY-MM-DD`.
fn parse_holiday(text: &str) -> Result<NaiveDate, CalendarError> {
    let trimmed = text.trim();
    let bytes = trimmed.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if shaped && let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        return Ok(date);
    }
    Err(CalendarError::BadHoliday(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| item.to_string()).collect()
    }

    /// The named calendars used by the table tests.
    fn calendar(key: &str) -> Calendar {
        let (tz, hours, holidays): (&str, &[&str], &[&str]) = match key {
            "berlin" => ("Europe/Berlin", &["Mon-Fri 09:00-18:00"], &[]),
            "berlin-hol" => ("Europe/Berlin", &["Mon-Fri 09:00-18:00"], &["2026-01-12"]),
            "berlin-24" => ("Europe/Berlin", &["Mon-Sun 00:00-24:00"], &[]),
            "berlin-daily" => ("Europe/Berlin", &["Mon-Sun 09:00-18:00"], &[]),
            "berlin-night" => ("Europe/Berlin", &["Sun 01:00-04:00"], &[]),
            "berlin-gap" => ("Europe/Berlin", &["Sun 02:30-03:30"], &[]),
            "ny-24" => ("America/New_York", &["Mon-Sun 00:00-24:00"], &[]),
            "ny-daily" => ("America/New_York", &["Mon-Sun 09:00-18:00"], &[]),
            "ny" => ("America/New_York", &["Mon-Fri 09:00-18:00"], &[]),
            "lunch" => (
                "Europe/Berlin",
                &["Mon-Thu 09:00-12:00,13:00-17:30; Fri 09:00-15:00"],
                &[],
            ),
            "always" => return Calendar::always_open(),
            other => panic!("unknown test calendar {other}"),
        };
        Calendar::parse(key, tz, &strings(hours), &strings(holidays)).expect("test calendar")
    }

    /// Reads `YYYY-MM-DD HH:MM[:SS[.f]]` as local time in the calendar's zone,
    /// or as UTC when it ends in `Z`.
    fn instant(cal: &Calendar, text: &str) -> DateTime<Utc> {
        let (naive_text, utc) = match text.strip_suffix('Z') {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(naive_text, format).ok())
            .unwrap_or_else(|| panic!("bad test instant {text}"));
        if utc {
            return naive.and_utc();
        }
        cal.tz()
            .from_local_datetime(&naive)
            .single()
            .unwrap_or_else(|| panic!("{text} is not a unique local time"))
            .to_utc()
    }

    /// Reads durations such as `1h30m`, `1s250ms` or `1ns`.
    fn duration(text: &str) -> Duration {
        let mut total = Duration::zero();
        let mut rest = text;
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let number: i64 = rest[..digits].parse().expect("test duration number");
            rest = &rest[digits..];
            let letters = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            total += match &rest[..letters] {
                "h" => Duration::hours(number),
                "m" => Duration::minutes(number),
                "s" => Duration::seconds(number),
                "ms" => Duration::milliseconds(number),
                "ns" => Duration::nanoseconds(number),
                unit => panic!("bad test duration unit {unit}"),
            };
            rest = &rest[letters..];
        }
        total
    }

    /// Checks `add_business(start, d) == expected`, on both the public and the
    /// scanning path, and that `business_between` gives `d` back.
    fn check(key: &str, start: &str, d: &str, expected: &str) {
        let cal = calendar(key);
        let (start, d, expected) = (instant(&cal, start), duration(d), instant(&cal, expected));
        let context = format!("{key}: {start} + {d}");
        assert_eq!(cal.add_business(start, d), expected, "{context}");
        if d > Duration::zero() {
            assert_eq!(cal.add_business_scanning(start, d), expected, "{context}");
        }
        assert_eq!(cal.business_between(start, expected), d, "{context}");
        assert_eq!(
            cal.business_between_scanning(start, expected),
            d,
            "{context}"
        );
    }

    /// Checks `business_between(a, b) == expected` on both paths.
    fn check_between(key: &str, a: &str, b: &str, expected: &str) {
        let cal = calendar(key);
        let (a, b, expected) = (instant(&cal, a), instant(&cal, b), duration(expected));
        assert_eq!(cal.business_between(a, b), expected, "{key}: [{a}, {b})");
        if a < b {
            assert_eq!(
                cal.business_between_scanning(a, b),
                expected,
                "{key}: [{a}, {b})"
            );
        }
    }

    /// Checks `is_open(at)` and `next_open(at)` on both paths.
    fn check_open(key: &str, at: &str, open: bool, next: &str) {
        let cal = calendar(key);
        let (at, next) = (instant(&cal, at), instant(&cal, next));
        assert_eq!(cal.is_open(at), open, "{key}: is_open({at})");
        assert_eq!(cal.is_open_scanning(at), open, "{key}: is_open({at})");
        assert_eq!(cal.next_open(at), next, "{key}: next_open({at})");
        assert_eq!(cal.next_open_scanning(at), next, "{key}: next_open({at})");
    }

    /// Writes a calendar's normalized hours, such as `Mon 09:00-18:00; Sat 10:00-12:00`.
    fn describe(cal: &Calendar) -> String {
        let time = |secs: u32| format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60);
        DAY_NAMES
            .iter()
            .zip(&cal.week)
            .filter(|(_, ranges)| !ranges.is_empty())
            .map(|(name, ranges)| {
                let ranges: Vec<String> = ranges
                    .iter()
                    .map(|r| format!("{}-{}", time(r.start), time(r.end)))
                    .collect();
                format!("{name} {}", ranges.join(","))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    // Dates used below: 2026-01-09 is a Friday; Europe/Berlin springs forward on
    // Sunday 2026-03-29 and falls back on Sunday 2026-10-25; America/New_York
    // springs forward on Sunday 2026-03-08 and falls back on Sunday 2026-11-01.
    const ADD_CASES: &[(&str, &str, &str, &str)] = &[
        // Basic weekday arithmetic.
        ("berlin", "2026-01-09 17:30", "1h", "2026-01-12 09:30"),
        ("berlin-hol", "2026-01-09 17:30", "1h", "2026-01-13 09:30"),
        ("berlin", "2026-01-11 12:00", "1h", "2026-01-12 10:00"),
        ("berlin", "2026-01-13 07:00", "30m", "2026-01-13 09:30"),
        ("berlin", "2026-01-09 17:00", "1h", "2026-01-09 18:00"),
        ("berlin", "2026-01-11 12:00", "0s", "2026-01-11 12:00"),
        // Three-week windows, one of them across the spring-forward weekend.
        ("berlin", "2026-01-05 09:00", "135h", "2026-01-23 18:00"),
        ("berlin", "2026-01-05 08:00", "136h", "2026-01-26 10:00"),
        ("berlin", "2026-03-16 09:00", "135h", "2026-04-03 18:00"),
        // A working week across each Berlin transition.
        ("berlin", "2026-03-27 17:00", "2h", "2026-03-30 10:00"),
        ("berlin", "2026-10-23 17:00", "2h", "2026-10-26 10:00"),
        // Whole days across the transitions: 23 h and 25 h days.
        ("berlin-24", "2026-03-28 12:00", "24h", "2026-03-29 13:00"),
        ("berlin-24", "2026-10-24 12:00", "24h", "2026-10-25 11:00"),
        ("berlin-24", "2026-03-29 01:30", "1h", "2026-03-29 03:30"),
        ("ny-24", "2026-03-07 12:00", "24h", "2026-03-08 13:00"),
        ("ny-24", "2026-10-31 12:00", "24h", "2026-11-01 11:00"),
        // Daytime hours on the transition Sundays are 9 h as usual.
        ("berlin-daily", "2026-03-28 17:00", "2h", "2026-03-29 10:00"),
        ("berlin-daily", "2026-10-24 17:00", "2h", "2026-10-25 10:00"),
        ("berlin-daily", "2026-03-29 09:00", "9h", "2026-03-29 18:00"),
        (
            "berlin-daily",
            "2026-10-25 09:00",
            "10h",
            "2026-10-26 10:00",
        ),
        ("ny-daily", "2026-03-07 17:00", "2h", "2026-03-08 10:00"),
        ("ny-daily", "2026-10-31 17:00", "2h", "2026-11-01 10:00"),
        ("ny-daily", "2026-03-08 09:00", "9h", "2026-03-08 18:00"),
        ("ny-daily", "2026-11-01 09:00", "9h", "2026-11-01 18:00"),
        // Ranges that contain the changing hour itself.
        (
            "berlin-night",
            "2026-03-29 00:00",
            "1h30m",
            "2026-03-29 03:30",
        ),
        ("berlin-night", "2026-03-29 00:00", "2h", "2026-03-29 04:00"),
        (
            "berlin-night",
            "2026-03-29 00:00",
            "2h1m",
            "2026-04-05 01:01",
        ),
        (
            "berlin-night",
            "2026-10-25 00:00",
            "1h30m",
            "2026-10-25 00:30Z",
        ),
        (
            "berlin-night",
            "2026-10-25 00:00",
            "2h30m",
            "2026-10-25 01:30Z",
        ),
        ("berlin-night", "2026-10-25 00:00", "4h", "2026-10-25 04:00"),
        ("berlin-gap", "2026-03-29 00:00", "10m", "2026-03-29 03:10"),
        ("berlin-gap", "2026-10-25 00:00", "1h", "2026-10-25 01:30Z"),
        // Several ranges per day.
        ("lunch", "2026-01-12 11:30", "1h", "2026-01-12 13:30"),
        ("lunch", "2026-01-12 12:15", "10m", "2026-01-12 13:10"),
        ("lunch", "2026-01-15 17:00", "1h", "2026-01-16 09:30"),
        ("lunch", "2026-01-16 14:30", "1h", "2026-01-19 09:30"),
        ("lunch", "2026-01-12 09:00", "36h", "2026-01-16 15:00"),
        // Sub-second precision.
        (
            "berlin",
            "2026-01-09 17:59:59.999999999",
            "1ns",
            "2026-01-09 18:00",
        ),
        (
            "berlin",
            "2026-01-09 17:59:59.5",
            "1s",
            "2026-01-12 09:00:00.5",
        ),
        (
            "berlin",
            "2026-01-11 12:00",
            "1ns",
            "2026-01-12 09:00:00.000000001",
        ),
        // Wall-clock time.
        ("always", "2026-03-29 01:30", "1h", "2026-03-29 02:30"),
        (
            "always",
            "2026-01-09 17:30:00.25",
            "300h",
            "2026-01-22 05:30:00.25",
        ),
    ];

    const BETWEEN_CASES: &[(&str, &str, &str, &str)] = &[
        ("berlin", "2026-01-13 10:00", "2026-01-13 09:00", "0s"),
        ("berlin", "2026-01-13 10:00", "2026-01-13 10:00", "0s"),
        ("berlin", "2026-01-10 00:00", "2026-01-12 00:00", "0s"),
        ("berlin", "2026-01-12 08:00", "2026-01-12 20:00", "9h"),
        ("berlin-hol", "2026-01-09 00:00", "2026-01-14 00:00", "18h"),
        ("berlin", "2026-01-05 00:00", "2026-01-26 00:00", "135h"),
        ("berlin", "2026-03-16 00:00", "2026-04-06 00:00", "135h"),
        ("berlin", "2026-03-27 09:00", "2026-03-30 18:00", "18h"),
        ("berlin", "2026-10-23 09:00", "2026-10-26 18:00", "18h"),
        ("berlin-24", "2026-03-29 00:00", "2026-03-30 00:00", "23h"),
        ("berlin-24", "2026-10-25 00:00", "2026-10-26 00:00", "25h"),
        ("ny-24", "2026-03-08 00:00", "2026-03-09 00:00", "23h"),
        ("ny-24", "2026-11-01 00:00", "2026-11-02 00:00", "25h"),
        ("berlin-daily", "2026-03-29 00:00", "2026-03-30 00:00", "9h"),
        ("berlin-daily", "2026-10-25 00:00", "2026-10-26 00:00", "9h"),
        ("ny-daily", "2026-03-08 00:00", "2026-03-09 00:00", "9h"),
        ("ny-daily", "2026-11-01 00:00", "2026-11-02 00:00", "9h"),
        ("berlin-night", "2026-03-29 00:00", "2026-03-30 00:00", "2h"),
        ("berlin-night", "2026-10-25 00:00", "2026-10-26 00:00", "4h"),
        (
            "berlin-night",
            "2026-10-25 00:30Z",
            "2026-10-25 01:30Z",
            "1h",
        ),
        ("berlin-gap", "2026-03-29 00:00", "2026-03-30 00:00", "30m"),
        ("berlin-gap", "2026-10-25 00:00", "2026-10-26 00:00", "2h"),
        ("lunch", "2026-01-12 00:00", "2026-01-19 00:00", "36h"),
        ("lunch", "2026-01-12 11:00", "2026-01-12 14:00", "2h"),
        (
            "berlin",
            "2026-01-09 17:59:59.75",
            "2026-01-12 09:00:00.5",
            "750ms",
        ),
        ("always", "2026-03-29 00:00", "2026-03-30 00:00", "24h"),
    ];

    const OPEN_CASES: &[(&str, &str, bool, &str)] = &[
        ("berlin", "2026-01-09 09:00", true, "2026-01-09 09:00"),
        (
            "berlin",
            "2026-01-09 08:59:59.999999999",
            false,
            "2026-01-09 09:00",
        ),
        (
            "berlin",
            "2026-01-09 17:59:59.999999999",
            true,
            "2026-01-09 17:59:59.999999999",
        ),
        ("berlin", "2026-01-09 18:00", false, "2026-01-12 09:00"),
        ("berlin-hol", "2026-01-12 10:00", false, "2026-01-13 09:00"),
        ("lunch", "2026-01-12 12:00", false, "2026-01-12 13:00"),
        (
            "berlin-gap",
            "2026-03-29 00:59:59Z",
            false,
            "2026-03-29 01:00Z",
        ),
        ("berlin-gap", "2026-03-29 01:00Z", true, "2026-03-29 01:00Z"),
        (
            "berlin-night",
            "2026-10-25 01:30Z",
            true,
            "2026-10-25 01:30Z",
        ),
        (
            "berlin-night",
            "2026-10-25 03:00Z",
            false,
            "2026-11-01 00:00Z",
        ),
        ("always", "2026-03-29 01:30", true, "2026-03-29 01:30"),
    ];

    /// `add_business_days` cases: calendar, start, days, expected (local times).
    const DAY_CASES: &[(&str, &str, u32, &str)] = &[
        // 2026-12-01 is a Tuesday. The same time of day three working days later.
        ("berlin", "2026-12-01 15:00", 3, "2026-12-04 15:00"),
        ("berlin", "2026-12-04 17:30", 1, "2026-12-07 17:30"),
        ("berlin", "2026-12-07 09:00", 1, "2026-12-08 09:00"),
        // After hours: the end of the third working day from the next opening.
        ("berlin", "2026-12-01 22:20", 3, "2026-12-04 18:00"),
        ("berlin", "2026-12-01 07:00", 1, "2026-12-01 18:00"),
        ("berlin", "2026-12-05 11:00", 1, "2026-12-07 18:00"),
        // A holiday (Monday 12 January) is skipped.
        ("berlin-hol", "2026-01-09 10:00", 1, "2026-01-13 10:00"),
        ("berlin-hol", "2026-01-09 10:00", 2, "2026-01-14 10:00"),
        // Across DST nights the local time stays, the UTC offset changes.
        ("berlin", "2026-03-27 10:00", 1, "2026-03-30 10:00"),
        ("berlin", "2026-10-23 10:00", 1, "2026-10-26 10:00"),
        ("ny", "2026-03-06 16:00", 1, "2026-03-09 16:00"),
        ("ny", "2026-10-30 16:00", 1, "2026-11-02 16:00"),
        // A shorter Friday or a lunch break: the last close before that time.
        ("lunch", "2026-12-03 16:00", 1, "2026-12-04 15:00"),
        ("lunch", "2026-12-02 12:30", 1, "2026-12-03 12:00"),
        ("lunch", "2026-12-02 10:00", 5, "2026-12-09 10:00"),
        // Zero days, and a calendar open around the clock (24 hours a day).
        ("berlin", "2026-12-01 22:20", 0, "2026-12-01 22:20"),
        ("always", "2026-12-01 22:20Z", 2, "2026-12-03 22:20Z"),
    ];

    #[test]
    fn add_business_days_table() {
        for &(key, start, days, expected) in DAY_CASES {
            let cal = calendar(key);
            let (from, want) = (instant(&cal, start), instant(&cal, expected));
            assert_eq!(
                cal.add_business_days(from, days),
                want,
                "{key}: {start} + {days} business days"
            );
        }
    }

    #[test]
    fn add_business_days_is_a_whole_working_day_of_business_time() {
        // From inside hours, n business days hold n days' worth of working time when
        // every working day has the same hours.
        let cal = calendar("berlin");
        let start = instant(&cal, "2026-12-01 15:00");
        for days in 1..=12 {
            let due = cal.add_business_days(start, days);
            assert_eq!(
                cal.business_between(start, due),
                Duration::hours(9 * i64::from(days)),
                "{days} days"
            );
        }
    }

    #[test]
    fn add_business_table() {
        for &(key, start, d, expected) in ADD_CASES {
            check(key, start, d, expected);
        }
    }

    #[test]
    fn business_between_table() {
        for &(key, a, b, expected) in BETWEEN_CASES {
            check_between(key, a, b, expected);
        }
    }

    #[test]
    fn open_table() {
        for &(key, at, open, next) in OPEN_CASES {
            check_open(key, at, open, next);
        }
    }

    #[test]
    fn negative_duration_returns_start() {
        let cal = calendar("berlin");
        let start = instant(&cal, "2026-01-11 12:00");
        assert_eq!(cal.add_business(start, Duration::hours(-3)), start);
    }

    #[test]
    fn long_windows_stay_exact() {
        let cal = calendar("lunch");
        let start = instant(&cal, "2026-01-01 00:00");
        let end = cal.add_business(start, Duration::hours(2000));
        assert_eq!(cal.business_between(start, end), Duration::hours(2000));
        // 2000 h at 36 h a week is 55 weeks and 20 h, so the end falls in early 2027.
        assert!(end > instant(&cal, "2027-01-01 00:00") && end < instant(&cal, "2027-02-01 00:00"));
    }

    #[test]
    fn holidays_on_every_working_day_stop_at_the_bound() {
        let first_monday = NaiveDate::from_ymd_opt(2026, 1, 5).expect("date");
        let holidays: Vec<String> = (0..52 * 25)
            .map(|week| (first_monday + Duration::weeks(week)).to_string())
            .collect();
        let cal = Calendar::parse(
            "blocked",
            "Europe/Berlin",
            &strings(&["Mon 09:00-10:00"]),
            &holidays,
        )
        .expect("calendar");
        let start = instant(&cal, "2026-01-01 00:00");
        let end = cal.add_business(start, Duration::hours(1));
        assert!(end > instant(&cal, "2045-12-31 00:00"), "{end}");
        assert_eq!(cal.next_open(start), end);
        assert_eq!(cal.business_between(start, end), Duration::zero());
        assert!(!cal.is_open(start));
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let week = strings(&["Mon-Fri 09:00-18:00"]);
        for zone in ["Europe/Berlin", "Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            let cal = Calendar::parse("edge", zone, &week, &[]).expect("calendar");
            for at in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
                let later = cal.add_business(at, Duration::hours(1));
                assert!(later >= at);
                assert!(cal.next_open(at) >= at);
                let _ = cal.is_open(at);
                let ten_days = Duration::days(10);
                let before = at.checked_sub_signed(ten_days).unwrap_or(at);
                let after = at.checked_add_signed(ten_days).unwrap_or(at);
                assert!(cal.business_between(before, at) <= ten_days);
                assert!(cal.business_between(at, after) <= ten_days);
            }
            let huge = cal.add_business(DateTime::<Utc>::MIN_UTC, Duration::MAX);
            assert!(huge > DateTime::<Utc>::MIN_UTC);
        }
        let always = Calendar::always_open();
        let end = always.add_business(DateTime::<Utc>::MAX_UTC, Duration::hours(1));
        assert_eq!(end, DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn accessors() {
        let cal = calendar("berlin-hol");
        assert_eq!(cal.name(), "berlin-hol");
        assert_eq!(cal.tz(), Tz::Europe__Berlin);
        assert!(cal.is_holiday(NaiveDate::from_ymd_opt(2026, 1, 12).expect("date")));
        assert!(!cal.is_holiday(NaiveDate::from_ymd_opt(2026, 1, 13).expect("date")));
        let always = Calendar::always_open();
        assert_eq!(always.tz(), Tz::UTC);
        assert_eq!(
            describe(&always),
            "Mon 00:00-24:00; Tue 00:00-24:00; Wed 00:00-24:00; Thu 00:00-24:00; Fri 00:00-24:00; Sat 00:00-24:00; Sun 00:00-24:00"
        );
    }

    #[test]
    fn parse_good_forms() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["Mon-Fri 09:00-18:00"],
                "Mon 09:00-18:00; Tue 09:00-18:00; Wed 09:00-18:00; Thu 09:00-18:00; Fri 09:00-18:00",
            ),
            (
                &["mon-FRI 09:00-18:00"],
                "Mon 09:00-18:00; Tue 09:00-18:00; Wed 09:00-18:00; Thu 09:00-18:00; Fri 09:00-18:00",
            ),
            (&["Sat,Sun 10:00-14:00"], "Sat 10:00-14:00; Sun 10:00-14:00"),
            (
                &["Mon-Wed,Fri 08:00-12:00"],
                "Mon 08:00-12:00; Tue 08:00-12:00; Wed 08:00-12:00; Fri 08:00-12:00",
            ),
            (
                &["Mon-Thu 09:00-12:00,13:00-17:30; Fri 09:00-15:00"],
                "Mon 09:00-12:00,13:00-17:30; Tue 09:00-12:00,13:00-17:30; Wed 09:00-12:00,13:00-17:30; Thu 09:00-12:00,13:00-17:30; Fri 09:00-15:00",
            ),
            (
                &["Mon 13:00-14:00", "Mon 09:00-12:00,11:00-13:00"],
                "Mon 09:00-14:00",
            ),
            (&["Mon 09:00-18:00,10:00-11:00"], "Mon 09:00-18:00"),
            (&["Sun 00:00-24:00;", ""], "Sun 00:00-24:00"),
            (
                &["  Mon - Tue   09:00 - 10:00 , 11:00-12:00 ;; Wed-Wed 23:59-24:00 "],
                "Mon 09:00-10:00,11:00-12:00; Tue 09:00-10:00,11:00-12:00; Wed 23:59-24:00",
            ),
        ];
        for &(hours, expected) in cases {
            let cal = Calendar::parse("ok", "Europe/Berlin", &strings(hours), &[])
                .unwrap_or_else(|e| panic!("{hours:?}: {e}"));
            assert_eq!(describe(&cal), expected, "{hours:?}");
        }
        let cal = Calendar::parse(
            "x",
            " America/New_York ",
            &strings(&["Mon 09:00-10:00"]),
            &strings(&["2026-12-25", " 2026-01-01 ", "2026-12-25"]),
        )
        .expect("calendar");
        assert_eq!(cal.tz(), Tz::America__New_York);
        assert_eq!(cal.holidays.len(), 2);
    }

    #[test]
    fn parse_bad_forms() {
        let hours_help = "write days then ranges, e.g. \"Mon-Fri 09:00-18:00\" or \"Mon-Thu 09:00-12:00,13:00-17:30; Fri 09:00-15:00\"";
        let day_help = "use Mon, Tue, Wed, Thu, Fri, Sat or Sun, e.g. \"Mon-Fri 09:00-18:00\"";
        let time_help = "use HH:MM from 00:00 to 23:59, or 24:00 to end a range";
        let cases: Vec<(&str, &[&str], &[&str], String)> = vec![
            (
                "Europe/Berln",
                &["Mon-Fri 09:00-18:00"],
                &[],
                "unknown time zone \"Europe/Berln\": use an IANA name such as \"Europe/Berlin\""
                    .into(),
            ),
            (
                "",
                &["Mon-Fri 09:00-18:00"],
                &[],
                "unknown time zone \"\": use an IANA name such as \"Europe/Berlin\"".into(),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 9-18"],
                &[],
                format!("bad hours \"Mon-Fri 9-18\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 9:00-18:00"],
                &[],
                format!("bad hours \"Mon-Fri 9:00-18:00\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri"],
                &[],
                format!("bad hours \"Mon-Fri\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["09:00-18:00"],
                &[],
                format!("bad hours \"09:00-18:00\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00"],
                &[],
                format!("bad hours \"Mon-Fri 09:00\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00-18:00-19:00"],
                &[],
                format!("bad hours \"Mon-Fri 09:00-18:00-19:00\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00-12:00,"],
                &[],
                format!("bad hours \"Mon-Fri 09:00-12:00,\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon,,Tue 09:00-10:00"],
                &[],
                format!("bad hours \"Mon,,Tue 09:00-10:00\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon-Tue-Wed 09:00-10:00"],
                &[],
                format!("bad hours \"Mon-Tue-Wed 09:00-10:00\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00-18:00; Sat 9-12"],
                &[],
                format!("bad hours \"Sat 9-12\": {hours_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mnd 09:00-18:00"],
                &[],
                format!("unknown day \"Mnd\" in \"Mnd 09:00-18:00\": {day_help}"),
            ),
            (
                "Europe/Berlin",
                &["Monday-Friday 09:00-18:00"],
                &[],
                format!("unknown day \"Monday\" in \"Monday-Friday 09:00-18:00\": {day_help}"),
            ),
            (
                "Europe/Berlin",
                &["Sat-Mon 10:00-12:00"],
                &[],
                "day range \"Sat-Mon\" wraps past Sunday: write \"Sat-Sun,Mon\" instead".into(),
            ),
            (
                "Europe/Berlin",
                &["fri-tue 10:00-12:00"],
                &[],
                "day range \"fri-tue\" wraps past Sunday: write \"Fri-Sun,Mon-Tue\" instead".into(),
            ),
            (
                "Europe/Berlin",
                &["Sun-Mon 10:00-12:00"],
                &[],
                "day range \"Sun-Mon\" wraps past Sunday: write \"Sun,Mon\" instead".into(),
            ),
            (
                "Europe/Berlin",
                &["Mon 09:00-25:00"],
                &[],
                format!("bad time \"25:00\" in \"Mon 09:00-25:00\": {time_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon 09:60-10:00"],
                &[],
                format!("bad time \"09:60\" in \"Mon 09:60-10:00\": {time_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon 09:00-24:30"],
                &[],
                format!("bad time \"24:30\" in \"Mon 09:00-24:30\": {time_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon 24:00-24:00"],
                &[],
                format!("bad time \"24:00\" in \"Mon 24:00-24:00\": {time_help}"),
            ),
            (
                "Europe/Berlin",
                &["Mon 18:00-09:00"],
                &[],
                "range 18:00-09:00 ends before it starts".into(),
            ),
            (
                "Europe/Berlin",
                &["Mon 09:00-09:00"],
                &[],
                "range 09:00-09:00 is empty: the end must be after the start".into(),
            ),
            ("Europe/Berlin", &[], &[], "no working hours".into()),
            (
                "Europe/Berlin",
                &["", " ; "],
                &[],
                "no working hours".into(),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00-18:00"],
                &["2026-13-01"],
                "bad holiday \"2026-13-01\": use YYYY-MM-DD".into(),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00-18:00"],
                &["2026-02-30"],
                "bad holiday \"2026-02-30\": use YYYY-MM-DD".into(),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00-18:00"],
                &["2026-1-5"],
                "bad holiday \"2026-1-5\": use YYYY-MM-DD".into(),
            ),
            (
                "Europe/Berlin",
                &["Mon-Fri 09:00-18:00"],
                &["01.05.2026"],
                "bad holiday \"01.05.2026\": use YYYY-MM-DD".into(),
            ),
        ];
        for (tz, hours, holidays, expected) in cases {
            let result = Calendar::parse("bad", tz, &strings(hours), &strings(holidays));
            match result {
                Ok(_) => panic!("{tz:?} {hours:?} {holidays:?} parsed"),
                Err(error) => assert_eq!(error.to_string(), expected, "{hours:?}"),
            }
        }
    }

    /// Calendars for the property tests: DST with lunch breaks, night ranges
    /// and holidays; full days with holidays; a 30-minute DST shift; clocks
    /// that change at midnight; and plain wall-clock time.
    fn property_calendar(index: usize) -> Calendar {
        let (tz, hours, holidays): (&str, &[&str], &[&str]) = match index {
            0 => (
                "Europe/Berlin",
                &[
                    "Mon-Thu 09:00-12:00,13:00-17:30; Fri 09:00-15:00",
                    "Sun 01:00-04:00,02:30-02:45",
                ],
                &[
                    "2026-04-03",
                    "2026-04-06",
                    "2026-12-24",
                    "2026-12-25",
                    "2027-01-01",
                    "2027-03-28",
                ],
            ),
            1 => (
                "America/New_York",
                &["Mon-Sun 00:00-24:00"],
                &["2026-07-04", "2026-11-01", "2027-03-14"],
            ),
            2 => (
                "Australia/Lord_Howe",
                &["Mon-Fri 00:00-03:00,08:30-17:00,22:00-24:00; Sun 01:00-03:00"],
                &["2026-12-25"],
            ),
            3 => (
                "America/Santiago",
                &["Mon-Sat 00:00-02:00,20:00-24:00; Sun 00:00-24:00"],
                &["2026-09-18"],
            ),
            _ => return Calendar::always_open(),
        };
        Calendar::parse("property", tz, &strings(hours), &strings(holidays)).expect("calendar")
    }

    const CALENDARS: usize = 5;
    const TWO_YEARS_NS: i64 = 730 * 86_400 * 1_000_000_000;
    const MAX_DURATION_NS: i64 = 300 * 3_600 * 1_000_000_000;

    fn from_2026(offset_ns: i64) -> DateTime<Utc> {
        let base = NaiveDate::from_ymd_opt(2026, 1, 1)
            .expect("date")
            .and_time(NaiveTime::MIN)
            .and_utc();
        base + Duration::nanoseconds(offset_ns)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn between_inverts_add(index in 0..CALENDARS, a in 0..TWO_YEARS_NS, d in 0..MAX_DURATION_NS) {
            let cal = property_calendar(index);
            let (a, d) = (from_2026(a), Duration::nanoseconds(d));
            prop_assert_eq!(cal.business_between(a, cal.add_business(a, d)), d);
        }

        #[test]
        fn add_is_monotonic(index in 0..CALENDARS, a in 0..TWO_YEARS_NS, d1 in 0..MAX_DURATION_NS, d2 in 0..MAX_DURATION_NS) {
            let cal = property_calendar(index);
            let a = from_2026(a);
            let (small, large) = (d1.min(d2), d1.max(d2));
            let (early, late) = (cal.add_business(a, Duration::nanoseconds(small)), cal.add_business(a, Duration::nanoseconds(large)));
            prop_assert!(a <= early && early <= late);
        }

        #[test]
        fn between_is_bounded_by_wall_time(index in 0..CALENDARS, a in 0..TWO_YEARS_NS, b in 0..TWO_YEARS_NS) {
            let cal = property_calendar(index);
            let (a, b) = (from_2026(a), from_2026(b));
            let between = cal.business_between(a, b);
            prop_assert!(between >= Duration::zero());
            prop_assert!(between <= (b - a).max(Duration::zero()));
        }

        #[test]
        fn between_is_additive(index in 0..CALENDARS, x in 0..TWO_YEARS_NS, y in 0..TWO_YEARS_NS, z in 0..TWO_YEARS_NS) {
            let cal = property_calendar(index);
            let mut points = [x, y, z];
            points.sort_unstable();
            let [a, b, c] = points.map(from_2026);
            prop_assert_eq!(cal.business_between(a, b) + cal.business_between(b, c), cal.business_between(a, c));
        }

        #[test]
        fn next_open_is_open_and_skips_no_work(index in 0..CALENDARS, a in 0..TWO_YEARS_NS) {
            let cal = property_calendar(index);
            let a = from_2026(a);
            let next = cal.next_open(a);
            prop_assert!(next >= a);
            prop_assert!(cal.is_open(next));
            prop_assert_eq!(cal.is_open(a), next == a);
            prop_assert_eq!(cal.business_between(a, next), Duration::zero());
        }

        #[test]
        fn full_days_scan_as_wall_clock(
            zone in prop::sample::select(vec!["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata"]),
            a in 0..TWO_YEARS_NS,
            d in 1..MAX_DURATION_NS,
        ) {
            let cal = Calendar::parse("full", zone, &strings(&["Mon-Sun 00:00-24:00"]), &[]).expect("calendar");
            let (a, d) = (from_2026(a), Duration::nanoseconds(d));
            prop_assert_eq!(cal.add_business_scanning(a, d), a + d);
            prop_assert_eq!(cal.business_between_scanning(a, a + d), d);
            prop_assert!(cal.is_open_scanning(a));
            prop_assert_eq!(cal.next_open_scanning(a), a);
        }
    }
}
