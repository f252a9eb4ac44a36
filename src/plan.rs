//! `/funnel plan` and `baton funnel plan` (SPEC §6, §7 "The reverse funnel"): reads the
//! stage entries of the basis period, of the plan's period so far and of the last four
//! complete quarters from [`crate::store::reports`], lets [`crate::domain::plan`] do the
//! arithmetic, and renders the plan as chat text, JSON or a chart. Also the digest's line
//! for `[marketing] customer_target` (SPEC §8).
//!
//! The plan's period is a whole window: `this-week|month|quarter` run to the end of the
//! current one (so the pace has somewhere to go), `last-*` and date ranges are as
//! reported, and `Nd` is the last N days (elapsed, its pace is what happened).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::command::grammar::{Dimension, PlanRequest};
use crate::config::Config;
use crate::domain::period::{Period, TargetPeriod, Window, current_target_window};
use crate::domain::plan::{self, Counts, Inputs, MIN_ENTRIES, Plan, PlanStage, Range, STAGES};
use crate::domain::report::{NONE, elapsed_share};
use crate::domain::stage::Stage;
use crate::i18n::{Locale, decimal, number, percent, rate, t, tr};
use crate::message::{Chart, GroupBars, PlanRow, Plot};
use crate::reports::PeriodInfo;
use crate::reports::render::{TEXT_ROWS, Table, stage_name};
use crate::store::Db;
use crate::store::reports::{self, EntryCount, LeadKey};

/// The reverse funnel as answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanReport {
    /// The period to win the customers in.
    pub period: PeriodInfo,
    /// Where the conversions were measured.
    pub basis: PeriodInfo,
    /// The share of the period gone by, 0 to 1.
    pub elapsed: f64,
    /// The period's length in months.
    pub months: f64,
    #[serde(flatten)]
    pub plan: Plan,
    /// What marketing owes: the MQLs for the customers, a month, and the pace.
    pub marketing: MarketingLine,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<&'static str>,
    /// One plan per source or campaign, the fewest MQLs per customer first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<PlanGroup>>,
}

/// The MQLs marketing owes for the customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarketingLine {
    pub customers: u64,
    /// The period as written (`this-quarter`).
    pub period: String,
    /// MQLs needed; none when the data cannot tell (then `mql_range`).
    pub mqls: Option<u64>,
    pub mql_range: Option<Range>,
    pub per_month: Option<u64>,
    /// MQLs a month at the current pace.
    pub pace_per_month: Option<u64>,
    pub shortfall_per_month: Option<u64>,
    pub on_track: Option<bool>,
}

/// The plan of one source or campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanGroup {
    pub key: String,
    /// MQLs of this source needed for all the customers, if it delivered them alone.
    pub mqls: Option<u64>,
    pub mql_range: Option<Range>,
    /// Whether a step from `mql` down has too little data.
    pub too_little_data: bool,
    pub plan: Plan,
}

impl MarketingLine {
    fn of(plan: &Plan, period: &str) -> MarketingLine {
        let mql = plan.stage(Stage::Mql);
        MarketingLine {
            customers: plan.customers,
            period: period.to_string(),
            mqls: mql.and_then(|s| s.needed),
            mql_range: mql.and_then(|s| s.range),
            per_month: mql.and_then(|s| s.needed_per_month),
            pace_per_month: mql.and_then(|s| s.pace_per_month),
            shortfall_per_month: mql.and_then(|s| s.shortfall_per_month),
            on_track: mql.and_then(|s| s.on_track),
        }
    }

    /// "To win 12 customers this-quarter, marketing owes 6,000 MQLs: 2,000 a month; pace
    /// now 1,640 a month, 360 a month short." In English.
    pub fn sentence(&self) -> String {
        self.sentence_in(Locale::En)
    }

    /// The same sentence in `l`.
    pub fn sentence_in(&self, l: Locale) -> String {
        let customers = customers(l, self.customers);
        let period = self.period.as_str();
        let Some(mqls) = self.mqls else {
            return match self.mql_range {
                Some(r) => tr(
                    l,
                    "plan-owes-range",
                    &[
                        ("customers", customers.into()),
                        ("period", period.into()),
                        ("range", range_text(l, r).into()),
                    ],
                ),
                None => tr(
                    l,
                    "plan-owes-none",
                    &[("customers", customers.into()), ("period", period.into())],
                ),
            };
        };
        let month = self.per_month.map_or_else(String::new, |m| {
            tr(l, "plan-owes-month", &[("month", number(l, m).into())])
        });
        let pace = match (self.pace_per_month, self.on_track, self.shortfall_per_month) {
            (Some(p), Some(true), _) => {
                tr(l, "plan-pace-on-track", &[("pace", number(l, p).into())])
            }
            (Some(p), _, Some(short)) => tr(
                l,
                "plan-pace-short",
                &[
                    ("pace", number(l, p).into()),
                    ("short", number(l, short).into()),
                ],
            ),
            _ => t(l, "plan-pace-none"),
        };
        tr(
            l,
            "plan-owes",
            &[
                ("customers", customers.into()),
                ("period", period.into()),
                ("mqls", number(l, mqls).into()),
                ("month", month.into()),
                ("pace", pace.into()),
            ],
        )
    }
}

/// "12 customers" in `l`.
fn customers(l: Locale, n: u64) -> String {
    tr(
        l,
        "plan-customers",
        &[
            ("count", i64::try_from(n).unwrap_or(i64::MAX).into()),
            ("n", number(l, n).into()),
        ],
    )
}

/// `1234567` → `1,234,567`.
pub fn thousands(value: u64) -> String {
    number(Locale::En, value)
}

fn range_text(l: Locale, r: Range) -> String {
    match r.high {
        Some(high) => tr(
            l,
            "plan-range",
            &[
                ("low", number(l, r.low).into()),
                ("high", number(l, high).into()),
            ],
        ),
        None => tr(l, "plan-at-least", &[("low", number(l, r.low).into())]),
    }
}

/// The whole window of a plan's period at `now`, and its calendar months if whole.
pub fn plan_window(period: Period, now: DateTime<Utc>, tz: Tz) -> (Window, Option<u32>) {
    match period {
        Period::ThisWeek => (current_target_window(TargetPeriod::Week, now, tz), None),
        Period::ThisMonth => (current_target_window(TargetPeriod::Month, now, tz), Some(1)),
        Period::ThisQuarter => (
            current_target_window(TargetPeriod::Quarter, now, tz),
            Some(3),
        ),
        Period::LastMonth => (period.resolve(now, tz), Some(1)),
        Period::LastQuarter => (period.resolve(now, tz), Some(3)),
        other => (other.resolve(now, tz), None),
    }
}

/// The four complete quarters before the one `now` is in, latest first.
fn last_quarters(now: DateTime<Utc>, tz: Tz) -> Vec<Window> {
    let mut at = current_target_window(TargetPeriod::Quarter, now, tz).from;
    (0..4)
        .map(|_| {
            let q =
                current_target_window(TargetPeriod::Quarter, at - Duration::milliseconds(1), tz);
            at = q.from;
            q
        })
        .collect()
}

/// Per key, the counts of each planned stage.
fn by_key(entries: &[EntryCount]) -> BTreeMap<String, [Counts; 6]> {
    let mut out: BTreeMap<String, [Counts; 6]> = BTreeMap::new();
    for e in entries {
        let Some(i) = STAGES.iter().position(|s| *s == e.stage) else {
            continue;
        };
        let key = e.key.as_deref().filter(|k| !k.is_empty()).unwrap_or(NONE);
        let counts = &mut out.entry(key.to_string()).or_default()[i];
        counts.entered += e.entered;
        counts.converted += e.converted;
    }
    out
}

fn total(entries: &[EntryCount]) -> [Counts; 6] {
    let mut out = [Counts::default(); 6];
    for counts in by_key(entries).values() {
        for (sum, c) in out.iter_mut().zip(counts) {
            sum.entered += c.entered;
            sum.converted += c.converted;
        }
    }
    out
}

fn entered(counts: &[Counts; 6]) -> [u64; 6] {
    counts.map(|c| c.entered)
}

/// Builds the plan asked for at `now`.
pub async fn plan(
    db: &Db,
    config: &Config,
    request: &PlanRequest,
    now: DateTime<Utc>,
) -> anyhow::Result<PlanReport> {
    let tz = config.reporting_tz;
    let (window, calendar_months) = plan_window(request.period, now, tz);
    let basis = request.basis.resolve(now, tz);
    let so_far = Window {
        from: window.from,
        to: window.to.min(now).max(window.from),
    };
    let key = match request.by {
        Some(Dimension::Campaign) => LeadKey::Campaign,
        _ => LeadKey::Source,
    };
    let pool = &db.pool;
    let quarters = last_quarters(now, tz);
    let (basis_entries, so_far_entries, q0, q1, q2, q3) = tokio::try_join!(
        reports::entries(pool, key, basis, now, None),
        reports::entries(pool, key, so_far, now, None),
        reports::entries(pool, key, quarters[0], now, None),
        reports::entries(pool, key, quarters[1], now, None),
        reports::entries(pool, key, quarters[2], now, None),
        reports::entries(pool, key, quarters[3], now, None),
    )
    .context("cannot read the stage entries for the plan")?;

    let elapsed = elapsed_share(window, now);
    let days = (window.to - window.from).num_milliseconds() as f64 / 86_400_000.0;
    let months = plan::months(calendar_months, days);
    let inputs = Inputs {
        customers: request.customers,
        basis: total(&basis_entries),
        so_far: entered(&total(&so_far_entries)),
        elapsed,
        months,
        quarters: [q0, q1, q2, q3].iter().map(|q| total(q)).collect(),
    };
    let result = plan::plan(&inputs);
    let period_name = request.period.to_string();

    let groups = request.by.map(|_| {
        let so_far_by_key = by_key(&so_far_entries);
        let mut groups: Vec<PlanGroup> = by_key(&basis_entries)
            .into_iter()
            .map(|(key, basis)| {
                let so_far = so_far_by_key.get(&key).map(entered).unwrap_or_default();
                let p = plan::plan(&Inputs {
                    basis,
                    so_far,
                    quarters: Vec::new(),
                    ..inputs.clone()
                });
                let mql = p.stage(Stage::Mql);
                PlanGroup {
                    mqls: mql.and_then(|s| s.needed),
                    mql_range: mql.and_then(|s| s.range),
                    too_little_data: p
                        .stages
                        .iter()
                        .filter(|s| s.stage.rank() >= Stage::Mql.rank())
                        .any(|s| s.too_little_data),
                    key,
                    plan: p,
                }
            })
            .collect();
        let order = |g: &PlanGroup| (g.mqls.is_none(), g.mqls.unwrap_or(u64::MAX));
        groups.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.key.cmp(&b.key)));
        groups
    });

    Ok(PlanReport {
        period: PeriodInfo::new(period_name.clone(), window, tz),
        basis: PeriodInfo::new(request.basis.to_string(), basis, tz),
        elapsed,
        months,
        marketing: MarketingLine::of(&result, &period_name),
        plan: result,
        by: request.by.map(Dimension::as_str),
        groups,
    })
}

/// The digest's line for `[marketing] customer_target`, as of `as_of` (the end of the
/// digest's week, or now): the plan for the current target period with a 90-day basis.
/// None without a target.
pub async fn customer_target_line(
    db: &Db,
    config: &Config,
    as_of: DateTime<Utc>,
) -> anyhow::Result<Option<MarketingLine>> {
    let marketing = &config.settings.marketing;
    let Some(customers) = marketing.customer_target else {
        return Ok(None);
    };
    let period = match marketing
        .customer_target_period
        .unwrap_or(TargetPeriod::Quarter)
    {
        TargetPeriod::Week => Period::ThisWeek,
        TargetPeriod::Month => Period::ThisMonth,
        TargetPeriod::Quarter => Period::ThisQuarter,
    };
    let request = PlanRequest {
        period,
        ..PlanRequest::new(u64::from(customers))
    };
    // The instant just before `as_of`: a week ending at a quarter's end is in that quarter.
    let at = as_of - Duration::milliseconds(1);
    Ok(Some(plan(db, config, &request, at).await?.marketing))
}

fn needed_cell(l: Locale, s: &PlanStage) -> String {
    if s.folded {
        return t(l, "plan-no-entries");
    }
    match (s.needed, s.range) {
        (Some(n), _) => number(l, n),
        (None, Some(r)) => range_text(l, r),
        (None, None) => "–".into(),
    }
}

/// A figure to one decimal as `l` writes it: "4.5", "4,5".
fn tenths(l: Locale, value: f64) -> String {
    decimal(l, &format!("{value:.1}"))
}

impl PlanReport {
    /// The plan as chat text, in English.
    pub fn render_text(&self, tz: Tz) -> String {
        self.render_text_in(tz, Locale::En)
    }

    /// The plan as chat text in `l`.
    pub fn render_text_in(&self, tz: Tz, l: Locale) -> String {
        let mut out = String::new();
        let p = &self.plan;
        let _ = writeln!(
            out,
            "{}",
            tr(
                l,
                "plan-title",
                &[
                    ("customers", customers(l, p.customers).into()),
                    ("period", self.period.describe_in(tz, l).into()),
                    ("elapsed", percent(l, self.elapsed).into()),
                ],
            )
        );
        let _ = writeln!(
            out,
            "{}",
            tr(
                l,
                "plan-basis",
                &[("basis", self.basis.describe_in(tz, l).into())]
            )
        );
        let mut t_ = Table::head(
            l,
            &[
                "col-stage",
                "plan-col-goes-further",
                "plan-col-needed",
                "plan-col-so-far",
                "plan-col-pace",
                "plan-col-needed-month",
                "plan-col-short-month",
            ],
        );
        for s in &p.stages {
            let conversion = match (s.conversion, s.too_little_data) {
                _ if s.folded => "–".to_string(),
                (Some(_), true) => t(l, "plan-too-little-data"),
                (Some(r), false) => rate(l, &r),
                (None, _) => String::new(),
            };
            t_.row(vec![
                stage_name(l, s.stage),
                conversion,
                needed_cell(l, s),
                number(l, s.so_far),
                s.pace
                    .map_or_else(|| "–".into(), |v| number(l, v.round() as u64)),
                s.needed_per_month
                    .map_or_else(|| "–".into(), |v| number(l, v)),
                match (s.on_track, s.shortfall_per_month) {
                    (Some(true), _) => t(l, "plan-on-track"),
                    (_, Some(short)) => number(l, short),
                    _ => "–".into(),
                },
            ]);
        }
        t_.render(&mut out);

        for s in p.stages.iter().filter(|s| s.too_little_data) {
            let n = s.conversion.map_or(0, |r| r.n);
            let next = STAGES
                .iter()
                .skip_while(|x| **x != s.stage)
                .nth(1)
                .map_or_else(String::new, |x| stage_name(l, *x));
            let first = tr(
                l,
                "plan-not-enough",
                &[
                    ("stage", stage_name(l, s.stage).into()),
                    ("count", i64::try_from(n).unwrap_or(i64::MAX).into()),
                    ("n", number(l, n).into()),
                    ("min", number(l, MIN_ENTRIES).into()),
                ],
            );
            let line = match s.interval {
                Some(i) => tr(
                    l,
                    "plan-not-enough-interval",
                    &[
                        ("first", first.into()),
                        ("next", next.into()),
                        ("low", percent(l, i.low).into()),
                        ("high", percent(l, i.high).into()),
                        ("stage", stage_name(l, s.stage).into()),
                        (
                            "range",
                            s.range
                                .map_or_else(|| "–".into(), |r| range_text(l, r))
                                .into(),
                        ),
                    ],
                ),
                None => tr(l, "plan-not-enough-end", &[("first", first.into())]),
            };
            let _ = writeln!(out, "{line}");
        }
        for s in p.stages.iter().filter(|s| {
            !s.too_little_data && !s.folded && s.conversion.is_some_and(|r| r.count == 0)
        }) {
            let _ = writeln!(
                out,
                "{}",
                tr(
                    l,
                    "plan-no-conversions",
                    &[("stage", stage_name(l, s.stage).into())]
                )
            );
        }

        match (p.delivered, p.gap) {
            (Some(d), Some(gap)) => {
                let _ = writeln!(
                    out,
                    "{}",
                    tr(
                        l,
                        "plan-delivered-short",
                        &[
                            ("delivered", tenths(l, d).into()),
                            ("gap", tenths(l, gap).into()),
                        ],
                    )
                );
            }
            (Some(d), None) => {
                let _ = writeln!(
                    out,
                    "{}",
                    tr(
                        l,
                        "plan-delivered-on-track",
                        &[("delivered", tenths(l, d).into())]
                    )
                );
            }
            _ => {}
        }
        let weakest = match p.weakest {
            Some(w) => tr(
                l,
                "plan-weakest",
                &[
                    ("from", stage_name(l, w.stage).into()),
                    ("to", stage_name(l, w.to).into()),
                    ("conversion", percent(l, w.conversion).into()),
                    ("median", percent(l, w.median).into()),
                    ("closes", tenths(l, w.closes).into()),
                ],
            ),
            None => t(l, "plan-weakest-none"),
        };
        let _ = writeln!(out, "{weakest}");
        let _ = writeln!(out, "{}", self.marketing.sentence_in(l));

        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            let by_name = t(l, &format!("choice-{by}"));
            if groups.is_empty() {
                let _ = writeln!(
                    out,
                    "{}",
                    tr(l, "plan-by-none", &[("by", by_name.as_str().into())])
                );
            } else {
                let _ = writeln!(
                    out,
                    "{}",
                    tr(
                        l,
                        "plan-by-title",
                        &[
                            ("by", by_name.as_str().into()),
                            ("customers", customers(l, p.customers).into()),
                        ],
                    )
                );
                let mut t_ = Table::new(&[
                    by_name.as_str(),
                    &t(l, "plan-col-mqls-needed"),
                    &t(l, "plan-col-leads-needed"),
                    &t(l, "plan-col-customers-so-far"),
                ]);
                for g in groups.iter().take(TEXT_ROWS) {
                    let lead = g.plan.stage(Stage::Lead);
                    let mut mqls = match (g.mqls, g.mql_range) {
                        (Some(n), _) => number(l, n),
                        (None, Some(r)) => range_text(l, r),
                        (None, None) => "–".into(),
                    };
                    if g.too_little_data {
                        mqls = tr(l, "plan-mqls-too-little", &[("mqls", mqls.into())]);
                    }
                    t_.row(vec![
                        g.key.clone(),
                        mqls,
                        lead.map_or_else(|| "–".into(), |s| needed_cell(l, s)),
                        number(l, g.plan.stage(Stage::Customer).map_or(0, |s| s.so_far)),
                    ]);
                }
                t_.render(&mut out);
                if groups.len() > TEXT_ROWS {
                    let more = groups.len() - TEXT_ROWS;
                    let _ = writeln!(
                        out,
                        "{}",
                        tr(
                            l,
                            "more-json",
                            &[
                                ("count", i64::try_from(more).unwrap_or(i64::MAX).into()),
                                ("n", number(l, more as u64).into()),
                            ],
                        )
                    );
                }
            }
        }
        out
    }

    /// The plan against its pace as a chart, in English.
    pub fn chart(&self) -> Chart {
        self.chart_in(Locale::En)
    }

    /// The plan against its pace as a chart in `l`; by source or campaign, the MQLs each
    /// needs.
    pub fn chart_in(&self, l: Locale) -> Chart {
        let title = tr(
            l,
            "plan-chart-title",
            &[
                ("customers", customers(l, self.plan.customers).into()),
                ("period", self.period.name.as_str().into()),
            ],
        );
        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            return Chart {
                file_name: format!("plan-by-{by}.png"),
                title,
                subtitle: tr(
                    l,
                    "plan-chart-by-subtitle",
                    &[
                        ("by", t(l, &format!("choice-{by}")).into()),
                        ("basis", self.basis.name.as_str().into()),
                    ],
                ),
                plot: Plot::Groups {
                    series: vec![t(l, "plan-series-needed"), t(l, "plan-series-so-far")],
                    groups: groups
                        .iter()
                        .filter_map(|g| {
                            g.mqls.map(|n| GroupBars {
                                label: g.key.clone(),
                                values: vec![n, g.plan.stage(Stage::Mql).map_or(0, |s| s.so_far)],
                            })
                        })
                        .collect(),
                },
                locale: l,
                ..Chart::default()
            };
        }
        Chart {
            file_name: "plan.png".into(),
            title,
            subtitle: tr(
                l,
                "plan-chart-subtitle",
                &[
                    ("elapsed", percent(l, self.elapsed).into()),
                    ("basis", self.basis.name.as_str().into()),
                ],
            ),
            plot: Plot::Plan {
                rows: self
                    .plan
                    .stages
                    .iter()
                    .filter(|s| !s.folded)
                    .map(|s| PlanRow {
                        label: stage_name(l, s.stage),
                        needed: s.needed,
                        pace: s.pace.map(|p| p.round() as u64),
                    })
                    .collect(),
            },
            locale: l,
            ..Chart::default()
        }
    }
}

/// The plan as chat text.
pub async fn plan_text(
    db: &Db,
    config: &Config,
    request: &PlanRequest,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    Ok(plan(db, config, request, now)
        .await?
        .render_text(config.reporting_tz))
}

/// The plan as pretty-printed JSON.
pub async fn plan_json(
    db: &Db,
    config: &Config,
    request: &PlanRequest,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let report = plan(db, config, request, now).await?;
    serde_json::to_string_pretty(&report).context("cannot write the plan as JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn this_quarter_runs_to_its_end_and_has_three_months() {
        let (w, months) = plan_window(
            Period::ThisQuarter,
            at("2026-11-15T12:00:00Z"),
            chrono_tz::UTC,
        );
        assert_eq!(w.from, at("2026-10-01T00:00:00Z"));
        assert_eq!(w.to, at("2027-01-01T00:00:00Z"));
        assert_eq!(months, Some(3));
        let (w, months) = plan_window(
            Period::LastDays(30),
            at("2026-11-15T12:00:00Z"),
            chrono_tz::UTC,
        );
        assert_eq!(w.to, at("2026-11-15T12:00:00Z"));
        assert_eq!(months, None);
    }

    #[test]
    fn the_last_four_quarters_are_whole_and_before_this_one() {
        let q = last_quarters(at("2026-11-15T12:00:00Z"), chrono_tz::UTC);
        let froms: Vec<_> = q.iter().map(|w| w.from).collect();
        assert_eq!(
            froms,
            [
                at("2026-07-01T00:00:00Z"),
                at("2026-04-01T00:00:00Z"),
                at("2026-01-01T00:00:00Z"),
                at("2025-10-01T00:00:00Z"),
            ]
        );
        assert_eq!(q[0].to, at("2026-10-01T00:00:00Z"));
    }

    #[test]
    fn the_marketing_sentence() {
        let line = MarketingLine {
            customers: 12,
            period: "this-quarter".into(),
            mqls: Some(6_000),
            mql_range: None,
            per_month: Some(2_000),
            pace_per_month: Some(1_640),
            shortfall_per_month: Some(360),
            on_track: Some(false),
        };
        assert_eq!(
            line.sentence(),
            "To win 12 customers this-quarter, marketing owes 6,000 MQLs: 2,000 a month; pace now 1,640 a month: 360 a month short."
        );
        let on_track = MarketingLine {
            on_track: Some(true),
            pace_per_month: Some(2_100),
            shortfall_per_month: Some(0),
            ..line.clone()
        };
        assert!(
            on_track
                .sentence()
                .ends_with("pace now 2,100 a month: on track.")
        );
        let unknown = MarketingLine {
            mqls: None,
            mql_range: Some(Range {
                low: 40,
                high: None,
            }),
            ..line
        };
        assert!(
            unknown.sentence().contains("at least 40 MQLs"),
            "{}",
            unknown.sentence()
        );
    }
}
