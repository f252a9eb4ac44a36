//! The reports (SPEC §7, §8): `/funnel` (module `funnel`, its text and charts in
//! `funnel_view`), `/sla` (`sla`), the weekly `digest` (its messages in `digest_view`)
//! and its 12-week `trend`, built from the store for a period at a given `now` in the
//! reporting time zone, then rendered as text for chat (aligned columns in monospace
//! blocks, every percentage with its `n`; the pieces they share are in `render`), as
//! messages and charts, or as JSON whose keys name the figures. The entry points are
//! re-exported here: `reports::funnel(…)`, `reports::sla(…)` and their `_text`/`_json`.
//!
//! Figures are defined and computed in [`crate::domain::report`]; the SQL is in
//! [`crate::store::reports`], and nothing here runs SQL itself. What lies between (the
//! grouping by team, rep, source or campaign, the targets, the digest's per-team lines) is
//! pure code over the facts the store returned, tested here without a database.
//!
//! Callers check a team name with [`check_team`] first (its error is the reply for the
//! person); permissions (reps see only their own SLA lines) are the caller's, through the
//! `only_rep` parameter of `sla`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::Config;
use crate::domain::period::Window;
use crate::domain::report::NONE;
use crate::i18n::{Locale, tr};

pub mod digest;
mod digest_view;
pub mod funnel;
mod funnel_view;
pub(crate) mod render;
pub mod sla;
pub mod trend;

pub use funnel::{FunnelReport, funnel, funnel_json, funnel_text, mql_target};
pub use funnel_view::{funnel_chart, funnel_plot};
pub use sla::{SlaReport, sla, sla_json, sla_text};

/// The window a report covers, in the reporting time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodInfo {
    /// The period as typed, e.g. `30d` or `last-month`.
    pub name: String,
    /// The first instant inside, RFC 3339 in the reporting time zone.
    pub from: String,
    /// The first instant after.
    pub to: String,
    /// The IANA name of the reporting time zone.
    pub timezone: String,
}

impl PeriodInfo {
    pub(crate) fn new(name: String, window: Window, tz: Tz) -> PeriodInfo {
        PeriodInfo {
            name,
            from: local_rfc3339(window.from, tz),
            to: local_rfc3339(window.to, tz),
            timezone: tz.name().to_string(),
        }
    }

    /// The period as a person reads it in `l`: its name, local start and end (ISO dates,
    /// which every language reads), and the zone.
    pub(crate) fn describe_in(&self, tz: Tz, l: Locale) -> String {
        let local = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|_| text.to_string())
        };
        tr(
            l,
            "period-describe",
            &[
                ("name", (&self.name).into()),
                ("from", local(&self.from).into()),
                ("to", local(&self.to).into()),
                ("zone", (&self.timezone).into()),
            ],
        )
    }
}

pub(crate) fn local_rfc3339(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A group key for display: `None` and the empty text are "(none)".
pub(crate) fn key_of(key: Option<&str>) -> &str {
    key.filter(|k| !k.is_empty()).unwrap_or(NONE)
}

/// The configured team called `team` (case-insensitive), or the reply for someone who
/// asked for a team that does not exist.
pub fn check_team(config: &Config, team: &str) -> Result<String, crate::i18n::Text> {
    let teams = &config.directory.teams;
    teams
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(team.trim()))
        .map(|t| t.name.clone())
        .ok_or_else(|| {
            let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
            let text = if names.is_empty() {
                crate::i18n::Text::new("team-unknown-none")
            } else {
                crate::i18n::Text::new("team-unknown").arg("teams", names.join(", "))
            };
            text.arg("team", team)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{Person, Role, RoutingMode, Team};

    /// A rep of `team` (none for ""), called `name`, for the reports' unit tests.
    pub(super) fn person(email: &str, name: &str, team: &str) -> Person {
        Person {
            email: email.into(),
            name: name.into(),
            role: Role::Rep,
            team: (!team.is_empty()).then(|| team.to_string()),
            calendar: None,
            slack_id: None,
            discord_id: None,
            out_of_office: vec![],
            weight: 1,
            max_open: None,
            locale: None,
        }
    }

    /// A team managed by `manager`, for the reports' unit tests.
    pub(super) fn team(name: &str, manager: &str) -> Team {
        Team {
            name: name.into(),
            manager: manager.into(),
            channel: None,
            discord_channel_id: None,
            routing: RoutingMode::OwnerThenRoundRobin,
            calendar: None,
            locale: None,
        }
    }

    #[test]
    fn a_missing_or_empty_key_is_none() {
        assert_eq!(key_of(Some("webinar")), "webinar");
        assert_eq!(key_of(Some("")), NONE);
        assert_eq!(key_of(None), NONE);
    }

    #[test]
    fn a_period_is_written_in_the_reporting_zone_and_read_back_locally() {
        let window = Window {
            from: "2026-10-31T23:00:00Z".parse().unwrap(),
            to: "2026-11-30T23:00:00Z".parse().unwrap(),
        };
        let tz = chrono_tz::Europe::Berlin;
        let info = PeriodInfo::new("last-month".into(), window, tz);
        assert_eq!(
            info,
            PeriodInfo {
                name: "last-month".into(),
                from: "2026-11-01T00:00:00+01:00".into(),
                to: "2026-12-01T00:00:00+01:00".into(),
                timezone: "Europe/Berlin".into(),
            }
        );
        assert_eq!(
            info.describe_in(tz, Locale::En),
            "last-month (2026-11-01 00:00 to 2026-12-01 00:00, Europe/Berlin)"
        );
        // Read in another zone, the same instants have other local times.
        assert_eq!(
            info.describe_in(chrono_tz::UTC, Locale::En),
            "last-month (2026-10-31 23:00 to 2026-11-30 23:00, Europe/Berlin)"
        );
    }
}
