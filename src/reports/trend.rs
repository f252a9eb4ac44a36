//! The digest's trend (SPEC §8): for each of the 12 ISO weeks up to the digest's week, the
//! MQLs that entered, the acceptance of the week's handoffs and their ack compliance, with
//! the same definitions as `/funnel` and `/sla` (SPEC §7), and as a chart.
//!
//! Each week is one counting statement ([`reports::window_counts`]: the week's MQL entries,
//! its handoffs' decisions and ack states), read concurrently; nothing here runs SQL
//! itself. The rates are those the report figures give
//! ([`Outcomes::acceptance`](crate::domain::report::Outcomes::acceptance), and
//! [`Speed::compliance_rate`](crate::domain::report::Speed::compliance_rate) of the
//! overall ack clock) without building every handoff's facts.

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures_util::future::try_join_all;
use serde::Serialize;

use crate::config::Config;
use crate::domain::report::Rate;
use crate::domain::schedule::IsoWeek;
use crate::i18n::{Locale, t, tr};
use crate::message::{Chart, Plot, TrendSeries};
use crate::store::Db;
use crate::store::reports;

/// How many weeks the trend shows.
pub const WEEKS: usize = 12;

/// One week of the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekTrend {
    /// `2026-W47`.
    pub week: String,
    /// Leads that entered `mql` in the week.
    pub mqls: u64,
    /// Acceptance of the handoffs opened in the week, as they stand now.
    pub acceptance: Rate,
    /// Ack compliance of those handoffs.
    pub ack_compliance: Rate,
}

/// The [`WEEKS`] weeks ending with `last`, oldest first, as of `now`.
pub async fn weekly(
    db: &Db,
    config: &Config,
    last: IsoWeek,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<WeekTrend>> {
    let tz = config.reporting_tz;
    let mut weeks = vec![last];
    while weeks.len() < WEEKS {
        let before = weeks[weeks.len() - 1].previous();
        weeks.push(before);
    }
    weeks.reverse();
    let pool = &db.pool;
    let rows = try_join_all(weeks.iter().map(|week| async move {
        let counts = reports::window_counts(pool, week.window(tz), now).await?;
        anyhow::Ok(WeekTrend {
            week: week.to_string(),
            mqls: counts.mqls,
            acceptance: Rate::new(counts.accepted, counts.accepted + counts.rejected),
            ack_compliance: Rate::new(counts.ack_met, counts.ack_met + counts.ack_breached),
        })
    }))
    .await
    .context("cannot read the weekly trend")?;
    Ok(rows)
}

/// A share in basis points.
fn basis_points(rate: Rate) -> Option<u64> {
    rate.rate.map(|r| (r * 10_000.0).round() as u64)
}

/// The trend as small multiples: MQLs, acceptance, ack compliance, one panel each, with
/// the series' names in `l`.
pub fn plot(weeks: &[WeekTrend], l: Locale) -> Plot {
    Plot::Trend {
        weeks: weeks
            .iter()
            .map(|w| {
                w.week
                    .split_once('-')
                    .map_or(w.week.clone(), |(_, wk)| wk.to_string())
            })
            .collect(),
        series: vec![
            TrendSeries {
                label: t(l, "trend-mqls"),
                percent: false,
                values: weeks.iter().map(|w| Some(w.mqls)).collect(),
            },
            TrendSeries {
                label: t(l, "trend-acceptance"),
                percent: true,
                values: weeks.iter().map(|w| basis_points(w.acceptance)).collect(),
            },
            TrendSeries {
                label: t(l, "trend-ack-compliance"),
                percent: true,
                values: weeks
                    .iter()
                    .map(|w| basis_points(w.ack_compliance))
                    .collect(),
            },
        ],
    }
}

/// The trend as a chart of its own, in `l`.
pub fn chart(weeks: &[WeekTrend], file_name: String, title: String, l: Locale) -> Chart {
    let (from, to) = match (weeks.first(), weeks.last()) {
        (Some(a), Some(b)) => (a.week.clone(), b.week.clone()),
        _ => (String::new(), String::new()),
    };
    Chart {
        file_name,
        title,
        subtitle: tr(
            l,
            "trend-subtitle",
            &[
                ("count", (weeks.len() as i64).into()),
                ("from", from.into()),
                ("to", to.into()),
            ],
        ),
        plot: plot(weeks, l),
        locale: l,
        ..Chart::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(week: &str, mqls: u64, accepted: (u64, u64), ack: (u64, u64)) -> WeekTrend {
        WeekTrend {
            week: week.into(),
            mqls,
            acceptance: Rate::new(accepted.0, accepted.1),
            ack_compliance: Rate::new(ack.0, ack.1),
        }
    }

    #[test]
    fn shares_are_whole_basis_points_and_none_without_data() {
        let cases = [
            (Rate::new(1, 3), Some(3_333)),
            (Rate::new(2, 3), Some(6_667)),
            (Rate::new(5, 5), Some(10_000)),
            (Rate::new(0, 4), Some(0)),
            (Rate::new(0, 0), None),
        ];
        for (rate, want) in cases {
            assert_eq!(basis_points(rate), want, "{rate:?}");
        }
    }

    #[test]
    fn the_plot_names_weeks_by_their_number_and_has_three_panels() {
        let weeks = [
            week("2026-W46", 12, (3, 4), (1, 2)),
            week("2026-W47", 0, (0, 0), (2, 2)),
        ];
        let Plot::Trend {
            weeks: labels,
            series,
        } = plot(&weeks, Locale::En)
        else {
            panic!("not a trend plot");
        };
        assert_eq!(labels, ["W46", "W47"]);
        let panels: Vec<(&str, bool, &[Option<u64>])> = series
            .iter()
            .map(|s| (s.label.as_str(), s.percent, s.values.as_slice()))
            .collect();
        assert_eq!(
            panels,
            [
                ("MQLs", false, &[Some(12), Some(0)][..]),
                ("Acceptance", true, &[Some(7_500), None][..]),
                ("Ack compliance", true, &[Some(5_000), Some(10_000)][..]),
            ]
        );
    }
}
