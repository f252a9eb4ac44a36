//! How a funnel report is shown: as chat text (the stages, the handoffs, speed, targets,
//! quality, rankings and the groups of a `by`) and as a chart. The pieces shared with the
//! SLA report and the digest are in `render`.

use std::fmt::Write as _;

use chrono_tz::Tz;

use super::funnel::{FunnelReport, Group};
use super::render::{
    Table, acceptance_line, campaign_ranking, count, dimension_name, handoff_args, key_name,
    mql_line, num, opt_rate, quality_table, reasons_list, rep_ranking, speed_table, stage_name,
};
use crate::domain::report::StageRow;
use crate::domain::stage::Stage;
use crate::i18n::{self, Locale, t, tr};
use crate::message::{Chart, FunnelStep, GroupBars, Plot};

/// A funnel as a chart: one centred bar per stage that had entries (empty stages are
/// folded away), its count, and the share that went further.
pub fn funnel_chart(
    file_name: String,
    title: String,
    subtitle: String,
    stages: &[StageRow],
    l: Locale,
) -> Chart {
    Chart {
        file_name,
        title,
        subtitle,
        plot: funnel_plot(stages, l),
        locale: l,
        ..Chart::default()
    }
}

/// The funnel's plot: the stages with entries, each with its conversion; stage names in
/// `l`.
pub fn funnel_plot(stages: &[StageRow], l: Locale) -> Plot {
    Plot::Funnel {
        steps: stages
            .iter()
            .filter(|s| s.entered > 0)
            .map(|s| FunnelStep {
                label: stage_name(l, s.stage),
                count: s.entered,
                conversion_bp: s.conversion.map(|c| (c * 10_000.0).round() as u32),
            })
            .collect(),
    }
}

impl FunnelReport {
    /// The report's chart in English.
    pub fn chart(&self, tz: Tz) -> Chart {
        self.chart_in(tz, Locale::En)
    }

    /// The report's stages as a chart in `l`; split by a dimension, the groups'
    /// handoffs, acceptances and conversions to sql as grouped bars.
    pub fn chart_in(&self, tz: Tz, l: Locale) -> Chart {
        let period = self.period.describe_in(tz, l);
        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            return Chart {
                file_name: format!("funnel-by-{by}.png"),
                title: tr(
                    l,
                    "chart-funnel-by-title",
                    &[
                        ("by", dimension_name(l, by).into()),
                        ("period", (&self.period.name).into()),
                    ],
                ),
                subtitle: tr(l, "chart-funnel-by-subtitle", &[("period", period.into())]),
                plot: Plot::Groups {
                    series: vec![
                        t(l, "series-handoffs"),
                        t(l, "series-accepted"),
                        t(l, "series-to-sql"),
                    ],
                    groups: groups
                        .iter()
                        .map(|g| GroupBars {
                            label: key_name(l, &g.key),
                            values: vec![
                                g.handoffs.opened,
                                g.handoffs.accepted,
                                g.converted.sql.count,
                            ],
                        })
                        .collect(),
                },
                locale: l,
                ..Chart::default()
            };
        }
        funnel_chart(
            "funnel.png".into(),
            tr(
                l,
                "chart-funnel-title",
                &[("period", (&self.period.name).into())],
            ),
            tr(l, "chart-funnel-subtitle", &[("period", period.into())]),
            &self.stages,
            l,
        )
    }
}

impl FunnelReport {
    /// The report as chat text, in English.
    pub fn render_text(&self, tz: Tz) -> String {
        self.render_text_in(tz, Locale::En)
    }

    /// The report as chat text in `l`.
    pub fn render_text_in(&self, tz: Tz, l: Locale) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}",
            tr(
                l,
                "funnel-title",
                &[("period", self.period.describe_in(tz, l).into())]
            )
        );
        let mut table = Table::head(l, &["col-stage", "col-entered", "col-went-further"]);
        for row in &self.stages {
            table.row(vec![
                stage_name(l, row.stage),
                num(l, row.entered),
                opt_rate(l, row.conversion_rate()),
            ]);
        }
        table.render(&mut out);

        let h = &self.handoffs;
        let _ = writeln!(out, "{}", tr(l, "funnel-handoffs", &handoff_args(l, h)));
        if let Some(n) = h.duplicates.filter(|n| *n > 0) {
            let _ = writeln!(out, "{}", count(l, "funnel-duplicates", n));
        }
        let _ = writeln!(
            out,
            "{}",
            acceptance_line(l, &self.target.acceptance, "acceptance")
        );
        if !h.reject_reasons.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                tr(
                    l,
                    "rejected-for",
                    &[("list", reasons_list(l, &h.reject_reasons).into())]
                )
            );
        }

        let _ = writeln!(out, "{}", t(l, "speed-from-mql"));
        speed_table(l, &mut out, |k| *self.speed.get(k));

        let _ = writeln!(out, "{}", mql_line(l, &self.target.mql, "funnel-mql"));

        quality_table(l, &mut out, "source", &self.quality.source);
        quality_table(l, &mut out, "campaign", &self.quality.campaign);
        self.render_rankings(l, &mut out);
        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            render_groups(l, &mut out, by, groups);
        }
        out
    }

    fn render_rankings(&self, l: Locale, out: &mut String) {
        if let Some(table) = rep_ranking(l, &self.ranking.reps) {
            let _ = writeln!(out, "{}", t(l, "rank-reps"));
            table.render(out);
        }
        if let Some(table) = campaign_ranking(l, &self.ranking.campaigns) {
            let _ = writeln!(out, "{}", t(l, "rank-campaigns"));
            table.render(out);
        }
    }
}

fn render_groups(l: Locale, out: &mut String, by: &str, groups: &[Group]) {
    let by = dimension_name(l, by);
    if groups.is_empty() {
        let _ = writeln!(out, "{}", tr(l, "by-nothing", &[("by", (&by).into())]));
        return;
    }
    let _ = writeln!(out, "{}", tr(l, "by-head", &[("by", (&by).into())]));
    let with_stages = groups.iter().any(|g| g.stages.is_some());
    let mut head: Vec<String> = vec![by.clone()];
    if with_stages {
        head.extend(Stage::FUNNEL.map(|s| t(l, &format!("stage-short-{}", s.as_str()))));
    }
    head.extend(
        [
            "col-handoffs",
            "col-acceptance",
            "col-to-sql",
            "col-ack",
            "col-rating",
        ]
        .map(|id| t(l, id)),
    );
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut table = Table::new(&head);
    for g in groups {
        let mut row = vec![key_name(l, &g.key)];
        if let Some(stages) = &g.stages {
            row.extend(stages.iter().map(|s| num(l, s.entered)));
        } else if with_stages {
            row.extend(std::iter::repeat_n(String::new(), 7));
        }
        row.extend([
            num(l, g.handoffs.opened),
            i18n::rate(l, &g.acceptance),
            i18n::rate(l, &g.converted.sql),
            i18n::rate(l, &g.speed.ack.compliance_rate()),
            i18n::mean(l, &g.rating),
        ]);
        table.row(row);
    }
    table.render(out);
}
