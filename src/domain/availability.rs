//! Availability set from chat (`/baton away`, `/baton back`), merged with the config's
//! `out_of_office`: a person is away on a day when a chat range covers it, or a config
//! range covers it and they have not said `/baton back` since that range began.
//!
//! Pure: the store loads each person's [`Availability`]; routing asks [`away_on`].

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use super::directory::DateRange;
use crate::i18n::Text;

/// What people said in chat about their availability.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Availability {
    /// Ranges set with `/baton away`, each with its note.
    pub away: Vec<(DateRange, Option<String>)>,
    /// Days on which `/baton back` was said.
    pub back_on: Vec<NaiveDate>,
}

/// Everyone's availability from chat, by lower-case email.
pub type Availabilities = HashMap<String, Availability>;

/// The range a person is away in on `today`, if any: chat ranges first, then the config's
/// ranges that no `/baton back` within them (on or before `today`) cut short.
pub fn away_on(
    config: &[DateRange],
    chat: Option<&Availability>,
    today: NaiveDate,
) -> Option<DateRange> {
    if let Some(range) = chat
        .into_iter()
        .flat_map(|a| a.away.iter())
        .map(|(range, _)| *range)
        .find(|range| range.contains(today))
    {
        return Some(range);
    }
    let back = |range: &DateRange| {
        chat.into_iter()
            .flat_map(|a| a.back_on.iter())
            .any(|day| range.first <= *day && *day <= today)
    };
    config
        .iter()
        .find(|range| range.contains(today) && !back(range))
        .copied()
}

/// The day a person came back from their latest absence, on or before `today`: the day
/// after an away range (chat or config) they were away on to its end, or a day they said
/// `/baton back`. `None` when they are away on `today` or were never away.
pub fn returned_on(
    config: &[DateRange],
    chat: Option<&Availability>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if away_on(config, chat, today).is_some() {
        return None;
    }
    let backs = chat
        .into_iter()
        .flat_map(|a| a.back_on.iter().copied())
        .filter(|day| *day <= today);
    let ends = chat
        .into_iter()
        .flat_map(|a| a.away.iter().map(|(range, _)| *range))
        .chain(config.iter().copied())
        .filter(|range| range.last < today && range.first <= range.last)
        .filter(|range| away_on(config, chat, range.last).is_some())
        .filter_map(|range| range.last.succ_opt())
        .filter(|day| away_on(config, chat, *day).is_none());
    backs.chain(ends).max()
}

/// Whether `today` is the first working day since the person came back (`works_on` says
/// which days are working days): the morning summary of that day welcomes them back.
pub fn first_day_back(
    config: &[DateRange],
    chat: Option<&Availability>,
    today: NaiveDate,
    works_on: impl Fn(NaiveDate) -> bool,
) -> bool {
    let Some(back) = returned_on(config, chat, today) else {
        return false;
    };
    works_on(today)
        && back
            .iter_days()
            .take_while(|d| *d < today)
            .all(|d| !works_on(d))
}

/// How `/baton away` says for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwayPeriod {
    /// `today`
    Today,
    /// `3d`: today and the next N - 1 days.
    Days(u32),
    /// `2026-12-24` or `2026-12-20..2027-01-03` (both days included).
    Dates(DateRange),
}

impl AwayPeriod {
    /// Reads `today`, `Nd` (1 to 366) or dates; the error says what is wrong (in the
    /// reader's language once rendered).
    pub fn parse(word: &str) -> Result<AwayPeriod, Text> {
        let w = word.trim();
        if w.eq_ignore_ascii_case("today") {
            return Ok(AwayPeriod::Today);
        }
        if let Some(n) = w.strip_suffix(['d', 'D'])
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            return match n.parse::<u32>() {
                Ok(days @ 1..=366) => Ok(AwayPeriod::Days(days)),
                _ => Err(Text::new("away-days-out-of-range").arg("word", w)),
            };
        }
        let date = |text: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| Text::new("away-not-a-period").arg("word", w))
        };
        let (first, last) = match w.split_once("..") {
            Some((a, b)) => (date(a)?, date(b)?),
            None => (date(w)?, date(w)?),
        };
        if last < first {
            return Err(Text::new("away-ends-before-start").arg("word", w));
        }
        Ok(AwayPeriod::Dates(DateRange { first, last }))
    }

    /// The days it covers, counted from `today` (in the person's calendar).
    pub fn resolve(self, today: NaiveDate) -> DateRange {
        match self {
            AwayPeriod::Today => DateRange {
                first: today,
                last: today,
            },
            AwayPeriod::Days(n) => DateRange {
                first: today,
                last: today
                    .checked_add_days(Days::new(u64::from(n.saturating_sub(1))))
                    .unwrap_or(today),
            },
            AwayPeriod::Dates(range) => range,
        }
    }
}

impl std::fmt::Display for AwayPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AwayPeriod::Today => f.write_str("today"),
            AwayPeriod::Days(n) => write!(f, "{n}d"),
            AwayPeriod::Dates(r) if r.first == r.last => write!(f, "{}", r.first),
            AwayPeriod::Dates(r) => write!(f, "{}..{}", r.first, r.last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn range(a: &str, b: &str) -> DateRange {
        DateRange {
            first: day(a),
            last: day(b),
        }
    }

    #[test]
    fn periods_parse_and_resolve_from_today() {
        let today = day("2026-11-17");
        let cases = [
            ("today", Ok(range("2026-11-17", "2026-11-17"))),
            ("TODAY", Ok(range("2026-11-17", "2026-11-17"))),
            ("1d", Ok(range("2026-11-17", "2026-11-17"))),
            ("3d", Ok(range("2026-11-17", "2026-11-19"))),
            ("2026-12-24", Ok(range("2026-12-24", "2026-12-24"))),
            (
                "2026-12-20..2027-01-03",
                Ok(range("2026-12-20", "2027-01-03")),
            ),
            ("0d", Err("away is 1d to 366d")),
            ("400d", Err("away is 1d to 366d")),
            ("tomorrow", Err("is not a period")),
            ("2027-01-03..2026-12-20", Err("ends before it begins")),
        ];
        for (text, want) in cases {
            match (AwayPeriod::parse(text), want) {
                (Ok(p), Ok(r)) => assert_eq!(p.resolve(today), r, "{text}"),
                (Err(e), Err(part)) => assert!(e.to_string().contains(part), "{text}: {e}"),
                (got, want) => panic!("{text}: {got:?} vs {want:?}"),
            }
        }
    }

    #[test]
    fn the_return_is_the_day_after_the_last_away_day_or_the_day_of_back() {
        let config = [range("2026-11-16", "2026-11-20")];
        let chat_away = Availability {
            away: vec![(range("2026-11-23", "2026-11-25"), None)],
            back_on: vec![],
        };
        let cut_short = Availability {
            away: vec![],
            back_on: vec![day("2026-11-18")],
        };
        let never = Availability::default();
        // (config, chat, today, returned on)
        let cases: [(&[DateRange], &Availability, &str, Option<&str>); 8] = [
            (&config, &never, "2026-11-19", None),
            (&config, &never, "2026-11-21", Some("2026-11-21")),
            (&config, &never, "2026-11-30", Some("2026-11-21")),
            (&config, &chat_away, "2026-11-24", None),
            (&config, &chat_away, "2026-11-27", Some("2026-11-26")),
            (&config, &cut_short, "2026-11-18", Some("2026-11-18")),
            (&config, &cut_short, "2026-11-25", Some("2026-11-18")),
            (&[], &never, "2026-11-25", None),
        ];
        for (config, chat, today, want) in cases {
            assert_eq!(
                returned_on(config, Some(chat), day(today)),
                want.map(day),
                "{today}"
            );
        }
    }

    #[test]
    fn the_first_working_day_after_the_return_is_the_welcome_day() {
        // Away until Friday 2026-11-20; weekends are no working days.
        let config = [range("2026-11-16", "2026-11-20")];
        let weekdays = |d: NaiveDate| {
            use chrono::Datelike;
            d.weekday().num_days_from_monday() < 5
        };
        let cases = [
            ("2026-11-20", false),
            ("2026-11-21", false),
            ("2026-11-22", false),
            ("2026-11-23", true),
            ("2026-11-24", false),
        ];
        for (today, want) in cases {
            assert_eq!(
                first_day_back(&config, None, day(today), weekdays),
                want,
                "{today}"
            );
        }
    }

    #[test]
    fn chat_ranges_add_to_the_config_and_back_ends_a_config_range() {
        let config = [range("2026-11-16", "2026-11-20")];
        let chat_away = Availability {
            away: vec![(range("2026-11-23", "2026-11-25"), None)],
            back_on: vec![],
        };
        let came_back = Availability {
            away: vec![],
            back_on: vec![day("2026-11-18")],
        };
        // (chat, day, away until)
        let cases = [
            (None, "2026-11-17", Some("2026-11-20")),
            (None, "2026-11-21", None),
            (Some(&chat_away), "2026-11-24", Some("2026-11-25")),
            (Some(&chat_away), "2026-11-17", Some("2026-11-20")),
            (Some(&came_back), "2026-11-17", Some("2026-11-20")),
            (Some(&came_back), "2026-11-18", None),
            (Some(&came_back), "2026-11-19", None),
        ];
        for (chat, today, want) in cases {
            assert_eq!(
                away_on(&config, chat, day(today)).map(|r| r.last),
                want.map(day),
                "{today}"
            );
        }
    }
}
