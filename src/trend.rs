//! The digest's trend (SPEC §8): for each of the 12 ISO weeks up to the digest's week, the
//! MQLs that entered, the acceptance of the week's handoffs and their ack compliance, with
//! the same definitions as `/funnel` and `/sla` (SPEC §7), and as a chart.
//!
//! The weeks are read concurrently, each with the report queries of
//! [`crate::store::reports`]; nothing here runs SQL itself.

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures_util::future::try_join_all;
use serde::Serialize;

use crate::chat::message::{Chart, Plot, TrendSeries};
use crate::config::Config;
use crate::domain::report::{HandoffFacts, Outcomes, Rate, Speeds};
use crate::domain::schedule::IsoWeek;
use crate::domain::stage::Stage;
use crate::i18n::{Locale, t, tr};
use crate::store::Db;
use crate::store::reports::{self, HandoffFilter, LeadKey};

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
        let window = week.window(tz);
        let (entries, facts) = tokio::try_join!(
            reports::entries(pool, LeadKey::Campaign, window, now, Some(Stage::Mql)),
            reports::handoff_facts(pool, window, now, HandoffFilter::default()),
        )?;
        let all: Vec<&HandoffFacts> = facts.iter().collect();
        anyhow::Ok(WeekTrend {
            week: week.to_string(),
            mqls: entries.iter().map(|e| e.entered).sum(),
            acceptance: Outcomes::of(all.iter().copied()).acceptance(),
            ack_compliance: Speeds::of(&all).ack.compliance_rate(),
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
