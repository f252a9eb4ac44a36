//! Durations as people write them in the config: `500ms`, `5s`, `15m`, `4h`, `3d`, `1w`,
//! or several parts together such as `1h30m`. Parsed once; a `Span` is always valid.
//!
//! SLA windows are written the same way but may also say how they count: `bd` and `bh`
//! (business days and hours) and `wd` and `wh` (wall-clock days and hours). A
//! [`WindowSpec`] keeps what was written; [`WindowSpec::resolve`] turns it into a
//! [`Window`] for a policy that counts business hours or wall-clock time.

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
        deserializer.deserialize_any(DurationText(std::marker::PhantomData))
    }
}

/// Reads a duration or SLA window from its text; a bare number is refused with an example
/// that has a unit.
struct DurationText<T>(std::marker::PhantomData<T>);

fn number<E: serde::de::Error>(n: impl std::fmt::Display) -> E {
    E::custom(format!(
        "{n} is a number, but a duration is text with a unit: write e.g. \"{n}m\", \"4h\" or \"3d\""
    ))
}

impl<T> serde::de::Visitor<'_> for DurationText<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a duration such as \"15m\", \"4h\" or \"3d\"")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<T, E> {
        Err(number(n))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<T, E> {
        Err(number(n))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<T, E> {
        Err(number(n))
    }
}

/// An SLA window as written in the config, before the policy says how plain units count.
///
/// Plain `d` and `w` follow the policy: business days (a working week of five of them)
/// in a `business_hours` policy, days of 24 hours otherwise; plain `h`, `m`, `s` and `ms`
/// are business time or wall time the same way. `bd`/`bh` always count business days and
/// hours, `wd`/`wh` always wall-clock days and hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSpec {
    text: String,
    plain_days: u32,
    plain: Span,
    business_days: u32,
    business: Span,
    wall: Span,
}

/// An SLA window resolved for its policy: whole business days first, then business
/// time, then wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub business_days: u32,
    pub business: Span,
    pub wall: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not an SLA window: write a number and a unit (s, m, h, d; bd/bh for business days and hours, wd/wh for wall-clock ones), e.g. \"15m\", \"4h\", \"3d\", \"2bd\", \"36wh\""
)]
pub struct BadWindow(pub String);

impl FromStr for WindowSpec {
    type Err = BadWindow;

    fn from_str(text: &str) -> Result<WindowSpec, BadWindow> {
        let bad = || BadWindow(text.to_string());
        let mut spec = WindowSpec {
            text: text.trim().to_string(),
            plain_days: 0,
            plain: Span::default(),
            business_days: 0,
            business: Span::default(),
            wall: Span::default(),
        };
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err(bad());
        }
        let add_days = |days: &mut u32, n: i64, per: i64| -> Option<()> {
            let n = u32::try_from(n.checked_mul(per)?).ok()?;
            *days = days.checked_add(n)?;
            Some(())
        };
        let add_span = |span: &mut Span, n: i64, factor: i64| -> Option<()> {
            let millis = span.millis.checked_add(n.checked_mul(factor)?)?;
            *span = Span::from_millis(millis);
            Some(())
        };
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
            rest = &rest[digits..];
            let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let unit = &rest[..unit_len];
            let added = match unit {
                "d" => add_days(&mut spec.plain_days, n, 1),
                "w" => add_days(&mut spec.plain_days, n, 5),
                "bd" => add_days(&mut spec.business_days, n, 1),
                "bh" => add_span(&mut spec.business, n, 3_600_000),
                "wd" => add_span(&mut spec.wall, n, 86_400_000),
                "wh" => add_span(&mut spec.wall, n, 3_600_000),
                plain => UNITS
                    .iter()
                    .find(|(name, _)| *name == plain && !matches!(plain, "d" | "w"))
                    .and_then(|(_, factor)| add_span(&mut spec.plain, n, *factor)),
            };
            added.ok_or_else(bad)?;
            rest = rest[unit_len..].trim_start();
        }
        Ok(spec)
    }
}

impl WindowSpec {
    /// The window for a policy that counts business hours (`true`) or wall time.
    pub fn resolve(&self, business_hours: bool) -> Window {
        let mut window = Window {
            business_days: self.business_days,
            business: self.business,
            wall: self.wall,
        };
        if business_hours {
            window.business_days = window.business_days.saturating_add(self.plain_days);
            window.business = Span::from_millis(window.business.millis + self.plain.millis);
        } else {
            let days = i64::from(self.plain_days) * 86_400_000;
            window.wall = Span::from_millis(window.wall.millis + days + self.plain.millis);
        }
        window
    }
}

impl fmt::Display for WindowSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for WindowSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WindowSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WindowSpec, D::Error> {
        deserializer.deserialize_any(DurationText(std::marker::PhantomData))
    }
}

impl Window {
    /// Whether the window has no length at all.
    pub fn is_zero(&self) -> bool {
        self.business_days == 0 && self.business.millis <= 0 && self.wall.millis <= 0
    }

    /// Whether any part counts business time, so reminders are fractions of business time.
    pub fn counts_business(&self) -> bool {
        self.business_days > 0 || self.business.millis > 0
    }
}

/// A span in hours and smaller units ("36h", "1h30m"), so that it never reads as days.
fn in_hours(span: Span) -> String {
    let mut out = String::new();
    let mut left = span.millis;
    for (name, factor) in UNITS
        .iter()
        .rev()
        .filter(|(name, _)| !matches!(*name, "w" | "d"))
    {
        if left >= *factor {
            out.push_str(&format!("{}{}", left / factor, name));
            left %= factor;
        }
    }
    out
}

impl fmt::Display for Window {
    /// The window in words: "3 business days", "4h of business time",
    /// "1 business day and 2h of business time", "30m".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match self.business_days {
            0 => {}
            1 => parts.push("1 business day".to_string()),
            n => parts.push(format!("{n} business days")),
        }
        if self.business.millis > 0 {
            parts.push(format!("{} of business time", in_hours(self.business)));
        }
        if self.wall.millis > 0 {
            parts.push(format!("{} of wall-clock time", in_hours(self.wall)));
        }
        if parts.is_empty() {
            return f.write_str("0s");
        }
        f.write_str(&parts.join(" and "))
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

    fn window(text: &str, business_hours: bool) -> Option<(u32, i64, i64)> {
        let spec: WindowSpec = text.parse().ok()?;
        let w = spec.resolve(business_hours);
        Some((w.business_days, w.business.as_millis(), w.wall.as_millis()))
    }

    #[test]
    fn windows_count_as_their_policy_says_unless_they_say_otherwise() {
        const H: i64 = 3_600_000;
        // In a business-hours policy, `d` is business days and `h` business hours.
        assert_eq!(window("3d", true), Some((3, 0, 0)));
        assert_eq!(window("1w", true), Some((5, 0, 0)));
        assert_eq!(window("1d4h", true), Some((1, 4 * H, 0)));
        assert_eq!(window("15m", true), Some((0, 15 * 60_000, 0)));
        // In a wall-clock policy the same text is wall time.
        assert_eq!(window("3d", false), Some((0, 0, 72 * H)));
        assert_eq!(window("1d4h", false), Some((0, 0, 28 * H)));
        // Explicit spellings win in either policy.
        assert_eq!(window("2bd", false), Some((2, 0, 0)));
        assert_eq!(window("8bh", false), Some((0, 8 * H, 0)));
        assert_eq!(window("1wd", true), Some((0, 0, 24 * H)));
        assert_eq!(window("36wh", true), Some((0, 0, 36 * H)));
        assert_eq!(window("1bd 2bh 1wh", true), Some((1, 2 * H, H)));
        for bad in [
            "",
            "3",
            "bd",
            "3 days",
            "-1d",
            "1.5d",
            "3x",
            "99999999999bd",
        ] {
            assert_eq!(window(bad, true), None, "{bad:?}");
        }
        let spec: WindowSpec = " 2bd ".parse().unwrap();
        assert_eq!(spec.to_string(), "2bd");
        assert_eq!(spec.resolve(true).to_string(), "2 business days");
        assert_eq!(
            "1d4h"
                .parse::<WindowSpec>()
                .unwrap()
                .resolve(true)
                .to_string(),
            "1 business day and 4h of business time"
        );
        assert_eq!(
            "90m"
                .parse::<WindowSpec>()
                .unwrap()
                .resolve(false)
                .to_string(),
            "1h30m of wall-clock time"
        );
        assert!("0s".parse::<WindowSpec>().unwrap().resolve(true).is_zero());
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
