//! Durations as people write them in the config: `500ms`, `5s`, `15m`, `4h`, `3d`, `1w`,
//! or several parts together such as `1h30m`. Parsed once; a `Span` is always valid.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative length of time with millisecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    millis: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a duration: write a number and a unit (ms, s, m, h, d, w), e.g. \"15m\", \"4h\", \"1h30m\""
)]
pub struct BadSpan(pub String);

impl Span {
    pub const fn from_millis(millis: i64) -> Span {
        Span { millis }
    }

    pub const fn from_secs(secs: i64) -> Span {
        Span {
            millis: secs * 1000,
        }
    }

    pub fn as_millis(self) -> i64 {
        self.millis
    }

    pub fn as_chrono(self) -> chrono::Duration {
        chrono::Duration::milliseconds(self.millis)
    }

    pub fn as_std(self) -> std::time::Duration {
        std::time::Duration::from_millis(self.millis.max(0) as u64)
    }

    /// This span scaled by `factor` (e.g. a reminder at 0.5 of a window).
    pub fn scale(self, factor: f64) -> Span {
        Span {
            millis: (self.millis as f64 * factor).round() as i64,
        }
    }
}

const UNITS: [(&str, i64); 6] = [
    ("ms", 1),
    ("s", 1_000),
    ("m", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
    ("w", 604_800_000),
];

impl FromStr for Span {
    type Err = BadSpan;

    fn from_str(text: &str) -> Result<Span, BadSpan> {
        let bad = || BadSpan(text.to_string());
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err(bad());
        }
        let mut millis: i64 = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            let number: i64 = rest[..digits].parse().map_err(|_| bad())?;
            rest = &rest[digits..];
            let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let unit = &rest[..unit_len];
            let (_, factor) = UNITS
                .iter()
                .find(|(name, _)| *name == unit)
                .ok_or_else(bad)?;
            millis = number
                .checked_mul(*factor)
                .and_then(|part| millis.checked_add(part))
                .ok_or_else(bad)?;
            rest = rest[unit_len..].trim_start();
        }
        Ok(Span { millis })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.millis == 0 {
            return f.write_str("0s");
        }
        let mut left = self.millis;
        for (name, factor) in UNITS.iter().rev().filter(|(name, _)| *name != "w") {
            if left >= *factor {
                write!(f, "{}{}", left / factor, name)?;
                left %= factor;
            }
        }
        Ok(())
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        deserializer.deserialize_any(SpanVisitor)
    }
}

/// Reads a duration string; a bare number is refused with an example that has a unit.
struct SpanVisitor;

impl SpanVisitor {
    fn number<E: serde::de::Error>(n: impl std::fmt::Display) -> E {
        E::custom(format!(
            "{n} is a number, but a duration is text with a unit: write e.g. \"{n}m\", \"4h\" or \"3d\""
        ))
    }
}

impl serde::de::Visitor<'_> for SpanVisitor {
    type Value = Span;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a duration such as \"15m\", \"4h\" or \"3d\"")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Span, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Span, E> {
        Err(SpanVisitor::number(n))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Span, E> {
        Err(SpanVisitor::number(n))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Span, E> {
        Err(SpanVisitor::number(n))
    }
}

/// "2h 5m" style text for how long something has left or is late, to the minute
/// (seconds when under a minute).
pub fn humanize(d: chrono::Duration) -> String {
    let secs = d.num_seconds().abs();
    if secs < 60 {
        return format!("{secs}s");
    }
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (days, hours) {
        (0, 0) => format!("{minutes}m"),
        (0, h) => format!("{h}h {minutes}m"),
        (d, h) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, millis: Option<i64>) {
        assert_eq!(
            text.parse::<Span>().ok().map(Span::as_millis),
            millis,
            "{text:?}"
        );
    }

    #[test]
    fn parses_what_people_write() {
        check("500ms", Some(500));
        check("5s", Some(5_000));
        check("15m", Some(900_000));
        check("4h", Some(14_400_000));
        check("3d", Some(259_200_000));
        check("1w", Some(604_800_000));
        check("1h30m", Some(5_400_000));
        check(" 1h 30m ", Some(5_400_000));
        check("0s", Some(0));
        check("", None);
        check("15", None);
        check("m", None);
        check("15 minutes", None);
        check("-5m", None);
        check("1.5h", None);
        check("99999999999999999999d", None);
    }

    #[test]
    fn prints_back_the_short_form() {
        for text in ["5s", "15m", "4h", "3d", "1h30m", "500ms", "0s"] {
            assert_eq!(text.parse::<Span>().unwrap().to_string(), text);
        }
        assert_eq!(humanize(chrono::Duration::seconds(42)), "42s");
        assert_eq!(humanize(chrono::Duration::seconds(3_700)), "1h 1m");
        assert_eq!(humanize(chrono::Duration::seconds(-200_000)), "2d 7h");
    }
}
