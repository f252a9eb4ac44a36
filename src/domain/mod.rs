//! Pure domain logic: stages, leads, people and calendars, routing, durations and periods.
//! Nothing here does I/O, awaits, or reads the clock: `now` is always a parameter.

/// `impl Display` for enums whose text is their `as_str()` (the name they are stored and
/// typed as), one line per enum instead of the same five lines each.
macro_rules! display_as_str {
    ($($t:ty),+ $(,)?) => {
        $(impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        })+
    };
}
pub(crate) use display_as_str;

/// For an enum whose values each have one name (as stored, configured and typed), from one
/// table: `ALL` in the table's order, `as_str`, `parse` (the value named exactly `text`)
/// and `Display`. A name is written once, so the three cannot disagree.
macro_rules! names {
    ($t:ident { $($v:ident => $n:literal),+ $(,)? }) => {
        impl $t {
            /// Every value, in the order of its names table.
            pub const ALL: [$t; [$($n),+].len()] = [$($t::$v),+];

            /// The value's name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($t::$v => $n),+
                }
            }

            /// The value named exactly `text`.
            pub fn parse(text: &str) -> Option<$t> {
                match text {
                    $($n => Some($t::$v),)+
                    _ => None,
                }
            }
        }

        $crate::domain::display_as_str!($t);
    };
}
pub(crate) use names;

pub mod account;
pub mod availability;
pub mod calendar;
pub mod directory;
pub mod duration;
pub mod handoff;
pub mod health;
pub mod instant;
pub mod lead;
pub mod period;
pub mod plan;
pub mod report;
pub mod routing;
pub mod schedule;
pub mod scoring;
pub mod sla;
pub mod stage;

#[cfg(test)]
mod names_tests {
    use super::handoff::{RejectReason, Status};
    use super::period::TargetPeriod;
    use super::sla::{ClockKind, OnReassign};

    /// Every value's name parses back to it, `Display` writes the name, and only the exact
    /// name parses.
    fn round_trips<T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Vec<&'static str> {
        for value in all {
            let name = as_str(*value);
            assert_eq!(parse(name), Some(*value), "{name}");
            assert_eq!(value.to_string(), name);
            assert_eq!(parse(&name.to_uppercase()), None, "{name} in capitals");
            assert_eq!(parse(&format!(" {name}")), None, "{name} with a space");
        }
        all.iter().map(|v| as_str(*v)).collect()
    }

    #[test]
    fn each_name_is_written_once_and_read_back_exactly() {
        assert_eq!(
            round_trips(&Status::ALL, Status::as_str, Status::parse),
            ["open", "accepted", "rejected"]
        );
        assert_eq!(
            round_trips(&ClockKind::ALL, ClockKind::as_str, ClockKind::parse),
            ["ack", "first_touch", "disposition"]
        );
        let reasons = round_trips(
            &RejectReason::ALL,
            RejectReason::as_str,
            RejectReason::parse,
        );
        assert_eq!(reasons.len(), 10);
        assert_eq!(reasons.first(), Some(&"not_a_fit"));
        assert_eq!(reasons.last(), Some(&"other"));
        assert_eq!(
            round_trips(&OnReassign::ALL, OnReassign::as_str, OnReassign::parse),
            ["fresh", "continue"]
        );
        assert_eq!(
            round_trips(
                &TargetPeriod::ALL,
                TargetPeriod::as_str,
                TargetPeriod::parse
            ),
            ["week", "month", "quarter"]
        );
        assert_eq!(Status::parse(""), None);
        assert_eq!(RejectReason::parse("no budget"), None);
    }
}
