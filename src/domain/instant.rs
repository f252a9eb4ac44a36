//! Times from outside (the lead API, imports): every RFC 3339 form Baton accepts becomes
//! one canonical UTC text, so that what is stored always satisfies the database's CHECK
//! and sorts as time. Accepted: any offset from -23:59 to +23:59 (`+15:00`, `-19:50`), a
//! lowercase `t` or `z`, a space instead of `T`, fractions of a second, and a leap second
//! (`23:59:60`), which is stored as the last millisecond before the next minute. The
//! result must lie in the years 0000 to 9999 in UTC, the range SQLite can read; so that
//! the rule is simple to state, times written on 0000-01-01 or 9999-12-31 are refused.

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};

/// An example of a time Baton accepts, for error messages.
pub const EXAMPLE: &str = "2026-11-20T09:30:00Z";

/// The canonical stored form: UTC with milliseconds, e.g. `2026-11-20T09:30:00.000Z`.
pub fn canonical(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses an RFC 3339 time into UTC; the error says what is wrong, for a person.
pub fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    let parsed = DateTime::parse_from_rfc3339(text.trim())
        .map_err(|e| format!("\"{text}\" is not an RFC 3339 time ({e}): write e.g. {EXAMPLE}"))?;
    let mut at = parsed.with_timezone(&Utc);
    // chrono keeps a leap second as a nanosecond count of a second or more.
    if at.nanosecond() >= 1_000_000_000 {
        at = at.with_nanosecond(999_000_000).unwrap_or(at);
    }
    if !(0..=9999).contains(&at.year()) {
        return Err(format!(
            "\"{text}\" lies outside the years 0000 to 9999 once converted to UTC: write e.g. {EXAMPLE}"
        ));
    }
    Ok(at)
}

/// [`parse`], then [`canonical`].
pub fn normalise(text: &str) -> Result<String, String> {
    parse(text).map(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        match (normalise(input), expect) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{input}"),
            (Err(got), Err(want)) => assert!(got.contains(want), "{input}: {got}"),
            (got, want) => panic!("{input}: got {got:?}, wanted {want:?}"),
        }
    }

    #[test]
    fn odd_but_valid_times_become_canonical_utc() {
        check("2026-11-20T09:30:00Z", Ok("2026-11-20T09:30:00.000Z"));
        check("2026-11-20T09:30:00+15:00", Ok("2026-11-19T18:30:00.000Z"));
        check("2026-11-20T09:30:00-19:50", Ok("2026-11-21T05:20:00.000Z"));
        check("2026-11-20t09:30:00z", Ok("2026-11-20T09:30:00.000Z"));
        check(
            "2026-11-20 09:30:00.123456789+01:00",
            Ok("2026-11-20T08:30:00.123Z"),
        );
        check("2016-12-31T23:59:60Z", Ok("2016-12-31T23:59:59.999Z"));
        check(
            "2016-12-31T23:59:60.5+00:00",
            Ok("2016-12-31T23:59:59.999Z"),
        );
        check("0000-01-02T00:30:00+01:00", Ok("0000-01-01T23:30:00.000Z"));
        check("9999-12-30T23:00:00-19:50", Ok("9999-12-31T18:50:00.000Z"));
    }

    #[test]
    fn what_cannot_be_stored_is_refused_with_an_example() {
        check("yesterday", Err("is not an RFC 3339 time"));
        check("2026-11-20", Err("write e.g. 2026-11-20T09:30:00Z"));
        check("2026-13-01T00:00:00Z", Err("is not an RFC 3339 time"));
        check("2026-11-20T09:30:00+24:00", Err("is not an RFC 3339 time"));
        check("2026-11-20T09:30:00", Err("is not an RFC 3339 time"));
        check(
            "0000-01-01T00:00:00+01:00",
            Err("outside the years 0000 to 9999"),
        );
        check(
            "9999-12-31T23:00:00-19:50",
            Err("outside the years 0000 to 9999"),
        );
    }
}
