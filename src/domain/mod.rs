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
