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

use crate::chat::message::{Chart, GroupBars, PlanRow, Plot};
use crate::command::grammar::{Dimension, PlanRequest};
use crate::config::{Config, TargetPeriodSetting};
use crate::domain::period::{Period, TargetPeriod, Window, current_target_window};
use crate::domain::plan::{self, Counts, Inputs, MIN_ENTRIES, Plan, PlanStage, Range, STAGES};
use crate::domain::report::{NONE, elapsed_share, percent};
use crate::domain::stage::Stage;
use crate::report::{PeriodInfo, TEXT_ROWS, Table};
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
    /// now 1,640 a month, 360 a month short."
    pub fn sentence(&self) -> String {
        let customers = plural(self.customers, "customer");
        let Some(mqls) = self.mqls else {
            return match self.mql_range {
                Some(r) => format!(
                    "To win {customers} {}, marketing owes {} MQLs (too little data for one number; 90% interval).",
                    self.period,
                    range_text(r)
                ),
                None => format!(
                    "To win {customers} {}: no MQLs in the basis to plan from.",
                    self.period
                ),
            };
        };
        let mut out = format!(
            "To win {customers} {}, marketing owes {} MQLs",
            self.period,
            thousands(mqls)
        );
        if let Some(m) = self.per_month {
            let _ = write!(out, ": {} a month", thousands(m));
        }
        match (self.pace_per_month, self.on_track, self.shortfall_per_month) {
            (Some(p), Some(true), _) => {
                let _ = write!(out, "; pace now {} a month: on track.", thousands(p));
            }
            (Some(p), _, Some(short)) => {
                let _ = write!(
                    out,
                    "; pace now {} a month: {} a month short.",
                    thousands(p),
                    thousands(short)
                );
            }
            _ => out.push('.'),
        }
        out
    }
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", thousands(n))
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn range_text(r: Range) -> String {
    match r.high {
        Some(high) => format!("{} to {}", thousands(r.low), thousands(high)),
        None => format!("at least {}", thousands(r.low)),
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
        .unwrap_or(TargetPeriodSetting::Quarter)
    {
        TargetPeriodSetting::Week => Period::ThisWeek,
        TargetPeriodSetting::Month => Period::ThisMonth,
        TargetPeriodSetting::Quarter => Period::ThisQuarter,
    };
    let request = PlanRequest {
        period,
        ..PlanRequest::new(u64::from(customers))
    };
    // The instant just before `as_of`: a week ending at a quarter's end is in that quarter.
    let at = as_of - Duration::milliseconds(1);
    Ok(Some(plan(db, config, &request, at).await?.marketing))
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Visitor => "visitors",
        Stage::Lead => "leads",
        Stage::Mql => "MQLs",
        Stage::Sql => "SQLs",
        Stage::Opportunity => "opportunities",
        Stage::Customer => "customers",
        Stage::Evangelist => "evangelists",
        Stage::Disqualified => "disqualified",
    }
}

fn needed_cell(s: &PlanStage) -> String {
    if s.folded {
        return "no entries".into();
    }
    match (s.needed, s.range) {
        (Some(n), _) => thousands(n),
        (None, Some(r)) => range_text(r),
        (None, None) => "–".into(),
    }
}

impl PlanReport {
    /// The plan as chat text.
    pub fn render_text(&self, tz: Tz) -> String {
        let mut out = String::new();
        let p = &self.plan;
        let _ = writeln!(
            out,
            "Plan: {} in {} ({} of it gone)",
            plural(p.customers, "customer"),
            self.period.describe(tz),
            percent(self.elapsed)
        );
        let _ = writeln!(
            out,
            "Conversions measured over {}.",
            self.basis.describe(tz)
        );
        let mut t = Table::new(&[
            "stage",
            "goes further",
            "needed",
            "so far",
            "pace by end",
            "needed/month",
            "short/month",
        ]);
        for s in &p.stages {
            let conversion = match (s.conversion, s.too_little_data) {
                _ if s.folded => "–".to_string(),
                (Some(_), true) => "too little data".to_string(),
                (Some(r), false) => r.to_string(),
                (None, _) => String::new(),
            };
            t.row(vec![
                s.stage.to_string(),
                conversion,
                needed_cell(s),
                thousands(s.so_far),
                s.pace
                    .map_or_else(|| "–".into(), |v| thousands(v.round() as u64)),
                s.needed_per_month.map_or_else(|| "–".into(), thousands),
                match (s.on_track, s.shortfall_per_month) {
                    (Some(true), _) => "on track".into(),
                    (_, Some(short)) => thousands(short),
                    _ => "–".into(),
                },
            ]);
        }
        t.render(&mut out);

        for s in p.stages.iter().filter(|s| s.too_little_data) {
            let n = s.conversion.map_or(0, |r| r.n);
            let next = STAGES
                .iter()
                .skip_while(|x| **x != s.stage)
                .nth(1)
                .map_or("", |x| stage_label(*x));
            let _ = write!(
                out,
                "Not enough data for {}: {} {} in the basis (fewer than {MIN_ENTRIES}), so no single number",
                s.stage,
                n,
                if n == 1 { "entry" } else { "entries" },
            );
            match s.interval {
                Some(i) => {
                    let _ = writeln!(
                        out,
                        "; a 90% interval puts its conversion to {next} between {} and {}, so {} needs {}.",
                        percent(i.low),
                        percent(i.high),
                        s.stage,
                        s.range.map_or_else(|| "–".into(), range_text),
                    );
                }
                None => out.push_str(".\n"),
            }
        }
        for s in p.stages.iter().filter(|s| {
            !s.too_little_data && !s.folded && s.conversion.is_some_and(|r| r.count == 0)
        }) {
            let _ = writeln!(
                out,
                "No {} went further in the basis: the plan above {} is a range, not a number.",
                stage_label(s.stage),
                s.stage
            );
        }

        match (p.delivered, p.gap) {
            (Some(d), Some(gap)) => {
                let _ = writeln!(
                    out,
                    "At the current pace the period ends with about {d:.1} customers: {gap:.1} short."
                );
            }
            (Some(d), None) => {
                let _ = writeln!(
                    out,
                    "At the current pace the period ends with about {d:.1} customers: on track."
                );
            }
            _ => {}
        }
        match p.weakest {
            Some(w) => {
                let _ = writeln!(
                    out,
                    "Weakest step: {} → {} at {} (its median of the last four quarters: {}); back at its median it would add {:.1} of the customers short.",
                    w.stage,
                    w.to,
                    percent(w.conversion),
                    percent(w.median),
                    w.closes
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "Weakest step: none below its median of the last four quarters."
                );
            }
        }
        let _ = writeln!(out, "{}", self.marketing.sentence());

        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            if groups.is_empty() {
                let _ = writeln!(out, "By {by}: no entries in the basis.");
            } else {
                let _ = writeln!(
                    out,
                    "By {by}, the fewest MQLs for {} first (each as if it delivered them alone):",
                    plural(p.customers, "customer")
                );
                let mut t = Table::new(&[by, "MQLs needed", "leads needed", "customers so far"]);
                for g in groups.iter().take(TEXT_ROWS) {
                    let lead = g.plan.stage(Stage::Lead);
                    let mut mqls = match (g.mqls, g.mql_range) {
                        (Some(n), _) => thousands(n),
                        (None, Some(r)) => range_text(r),
                        (None, None) => "–".into(),
                    };
                    if g.too_little_data {
                        mqls.push_str(" (too little data)");
                    }
                    t.row(vec![
                        g.key.clone(),
                        mqls,
                        lead.map_or_else(|| "–".into(), needed_cell),
                        g.plan
                            .stage(Stage::Customer)
                            .map_or(0, |s| s.so_far)
                            .to_string(),
                    ]);
                }
                t.render(&mut out);
                if groups.len() > TEXT_ROWS {
                    let _ = writeln!(
                        out,
                        "… and {} more (see --format json)",
                        groups.len() - TEXT_ROWS
                    );
                }
            }
        }
        out
    }

    /// The plan against its pace as a chart; by source or campaign, the MQLs each needs.
    pub fn chart(&self) -> Chart {
        let title = format!(
            "Plan: {} in {}",
            plural(self.plan.customers, "customer"),
            self.period.name
        );
        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            return Chart {
                file_name: format!("plan-by-{by}.png"),
                title,
                subtitle: format!(
                    "MQLs each {by} needs for them alone (fewest first), from {} conversions",
                    self.basis.name
                ),
                plot: Plot::Groups {
                    series: vec!["MQLs needed".into(), "MQLs so far".into()],
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
                ..Chart::default()
            };
        }
        Chart {
            file_name: "plan.png".into(),
            title,
            subtitle: format!(
                "Needed (outline) and where the pace ends (bar), {} gone; conversions of {}",
                percent(self.elapsed),
                self.basis.name
            ),
            plot: Plot::Plan {
                rows: self
                    .plan
                    .stages
                    .iter()
                    .filter(|s| !s.folded)
                    .map(|s| PlanRow {
                        label: s.stage.to_string(),
                        needed: s.needed,
                        pace: s.pace.map(|p| p.round() as u64),
                    })
                    .collect(),
            },
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
