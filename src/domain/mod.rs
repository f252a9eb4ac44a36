//! Pure domain logic: stages, leads, people and calendars, routing, durations and periods.
//! Nothing here does I/O, awaits, or reads the clock: `now` is always a parameter.

pub mod account;
pub mod availability;
pub mod calendar;
pub mod directory;
pub mod duration;
pub mod health;
pub mod instant;
pub mod lead;
pub mod period;
pub mod report;
pub mod routing;
pub mod schedule;
pub mod scoring;
pub mod sla;
pub mod stage;
