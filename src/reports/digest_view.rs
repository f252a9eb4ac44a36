//! How a digest is shown: one message per recipient in their language (their teams'
//! sections, then the marketing side), the chart message, and all of them as text for
//! `baton digest --format text`. The digest's figures are assembled in `digest`; the
//! tables and sentences it shares with `/funnel` and `/sla` are in `render`.

use std::fmt::Write as _;

use chrono::DateTime;

use super::digest::{Digest, Recipient, TeamDigest};
use super::render::{
    self, ClockCells, TEXT_ROWS, Table, breach_late, clock_text, clocks_row, clocks_table, count,
    duration, handoff_args, num, person_name,
};
use crate::config::Config;
use crate::domain::directory::Directory;
use crate::domain::report::Speed;
use crate::i18n::{self, Locale, t, tr};
use crate::message::{Chart, Message, Plot};

/// How many breaches or overdue clocks a team's section lists before "… and N more".
const LIST_ROWS: usize = 25;

fn lead_label(lead_id: i64, lead: Option<&str>) -> String {
    match lead {
        Some(name) if !name.is_empty() => format!("#{lead_id} {name}"),
        _ => format!("#{lead_id}"),
    }
}

/// "83% (10 of 12 met)", or "– (no clock decided)".
fn compliance(l: Locale, speed: &Speed) -> String {
    let rate = speed.compliance_rate();
    match rate.rate {
        Some(r) => tr(
            l,
            "digest-compliance",
            &[
                ("percent", i18n::percent(l, r).into()),
                ("met", num(l, rate.count).into()),
                ("n", num(l, rate.n).into()),
            ],
        ),
        None => t(l, "digest-compliance-none"),
    }
}

impl Digest {
    /// "Mon 16 Nov 2026 to Sun 22 Nov 2026 (Europe/Berlin)": the period's times carry
    /// the reporting zone's offset, so their dates are local.
    fn dates(&self, l: Locale) -> String {
        let day = |t: &str, back: i64| {
            DateTime::parse_from_rfc3339(t)
                .map(|t| i18n::day(l, (t - chrono::Duration::seconds(back)).date_naive()))
                .unwrap_or_else(|_| t.to_string())
        };
        tr(
            l,
            "digest-dates",
            &[
                ("from", day(&self.period.from, 0).into()),
                ("to", day(&self.period.to, 1).into()),
                ("zone", (&self.period.timezone).into()),
            ],
        )
    }

    /// The message for one recipient in their language: their teams, then the marketing
    /// side.
    pub fn message_for(&self, recipient: &Recipient, config: &Config) -> Message {
        self.message_in(recipient, config, Self::locale_of(recipient, config))
    }

    /// The message for one recipient in `l`.
    pub fn message_in(&self, recipient: &Recipient, config: &Config, l: Locale) -> Message {
        let mut message = Message::new(tr(l, "digest-title", &[("week", (&self.week).into())]))
            .in_locale(l)
            .field(&t(l, "digest-week"), self.dates(l));
        let mut summary = Vec::new();
        for team in self
            .teams
            .iter()
            .filter(|t| recipient.teams.contains(&t.team))
        {
            summary.push(tr(
                l,
                "digest-team-summary",
                &[
                    ("team", (&team.team).into()),
                    (
                        "handoffs",
                        count(l, "count-handoffs", team.handoffs.opened).into(),
                    ),
                    (
                        "ack",
                        team.ack
                            .compliance
                            .map_or_else(|| "–".to_string(), |r| i18n::percent(l, r))
                            .into(),
                    ),
                    (
                        "breaches",
                        count(l, "count-breaches", team.breaches.len() as u64).into(),
                    ),
                    ("overdue", num(l, team.overdue.len() as u64).into()),
                ],
            ));
            message = self.team_sections(l, message, team, config);
        }
        let m = &self.marketing;
        let rate = i18n::rate(l, &m.acceptance.rate);
        let mut args = vec![
            ("mqls", count(l, "count-mqls", m.mql.entered).into()),
            ("rate", rate.into()),
        ];
        let id = match m.mql.target {
            Some(target) => {
                args.push(("target", num(l, u64::from(target)).into()));
                args.push(("period", m.mql.period.into()));
                "digest-marketing-summary-target"
            }
            None => "digest-marketing-summary",
        };
        summary.push(tr(l, id, &args));
        message = message.text(summary.join("\n"));
        self.marketing_sections(l, message)
    }

    fn team_sections(
        &self,
        l: Locale,
        message: Message,
        team: &TeamDigest,
        config: &Config,
    ) -> Message {
        let mut body = String::new();
        let h = &team.handoffs;
        let _ = writeln!(body, "{}", tr(l, "digest-handoffs", &handoff_args(l, h)));
        let ack = t(l, "digest-ack-compliance");
        let first = t(l, "digest-first-touch-compliance");
        // The two figures line up under each other, whatever the labels' lengths.
        let width = ack.chars().count().max(first.chars().count()) + 1;
        let pad = |label: &str| format!("{label}{}", " ".repeat(width - label.chars().count()));
        let _ = writeln!(body, "{}{}", pad(&ack), compliance(l, &team.ack));
        let _ = writeln!(body, "{}{}", pad(&first), compliance(l, &team.first_touch));
        let _ = writeln!(
            body,
            "{}",
            tr(
                l,
                "digest-time-to-ack",
                &[
                    ("median", duration(l, team.ack.median_s).into()),
                    ("p90", duration(l, team.ack.p90_s).into()),
                    (
                        "median_business",
                        duration(l, team.ack.median_business_s).into()
                    ),
                    ("p90_business", duration(l, team.ack.p90_business_s).into()),
                ]
            )
        );
        if !team.reps.is_empty() {
            body.push('\n');
            let mut table = clocks_table(l, false);
            for rep in &team.reps {
                table.row(clocks_row(
                    l,
                    rep.name.clone().unwrap_or_else(|| rep.rep.clone()),
                    ClockCells {
                        handoffs: rep.handoffs,
                        ack: &rep.ack,
                        first_touch: &rep.first_touch,
                        decision: None,
                        breaches: rep.breaches,
                    },
                ));
            }
            body.push_str(&table.plain());
        }
        let mut message = message.section(
            tr(
                l,
                "digest-team-heading",
                &[
                    ("team", (&team.team).into()),
                    (
                        "manager",
                        person_name(&config.directory, l, Some(&team.manager)).into(),
                    ),
                ],
            ),
            body.trim_end(),
        );

        let directory = &config.directory;
        let breaches = team.breaches.iter().map(|b| ClockItem {
            lead_id: b.lead_id,
            lead: b.lead.as_deref(),
            rep: b.rep.as_deref(),
            clock: &b.clock,
            last: breach_late(l, b, "digest-counting"),
        });
        let list = ClockList {
            heading: "digest-breaches-heading",
            empty: "digest-no-breaches",
            last_column: "col-late",
        };
        message = list.section(
            l,
            message,
            directory,
            &team.team,
            team.breaches.len(),
            breaches,
        );
        let overdue = team.overdue.iter().map(|o| ClockItem {
            lead_id: o.lead_id,
            lead: o.lead.as_deref(),
            rep: o.rep.as_deref(),
            clock: &o.clock,
            last: duration(l, Some(o.overdue_s)),
        });
        let list = ClockList {
            heading: "digest-overdue-heading",
            empty: "digest-nothing-overdue",
            last_column: "col-overdue-by",
        };
        list.section(
            l,
            message,
            directory,
            &team.team,
            team.overdue.len(),
            overdue,
        )
    }

    fn marketing_sections(&self, l: Locale, message: Message) -> Message {
        let m = &self.marketing;
        let mut body = String::new();
        let prefix = if self.complete {
            "digest-mql-week-end"
        } else {
            "digest-mql-so-far"
        };
        let _ = writeln!(body, "{}", render::mql_line(l, &m.mql, prefix));
        if let Some(line) = &m.customer_plan {
            let _ = writeln!(body, "{}", line.sentence_in(l));
        }
        let week_mqls = m
            .stages
            .iter()
            .find(|s| s.stage == crate::domain::stage::Stage::Mql)
            .map_or(0, |s| s.entered);
        let _ = writeln!(
            body,
            "{}",
            tr(
                l,
                "digest-mqls-this-week",
                &[("n", num(l, week_mqls).into())]
            )
        );
        let h = &m.handoffs;
        let mut args = handoff_args(l, h);
        args.push((
            "acceptance",
            render::acceptance_line(l, &m.acceptance, "digest-acceptance").into(),
        ));
        let _ = writeln!(body, "{}", tr(l, "digest-marketing-handoffs", &args));
        if h.reject_reasons.is_empty() {
            let _ = writeln!(body, "{}", t(l, "digest-nothing-rejected"));
        } else {
            let _ = writeln!(
                body,
                "{}",
                tr(
                    l,
                    "digest-rejected-for",
                    &[("list", render::reasons_list(l, &h.reject_reasons).into())]
                )
            );
        }
        let mut message = message.section(t(l, "digest-marketing-heading"), body.trim_end());

        for (what, rows) in [
            ("source", &m.quality.source),
            ("campaign", &m.quality.campaign),
        ] {
            let name = render::dimension_name(l, what);
            let body = if rows.is_empty() {
                t(l, "digest-no-handoffs")
            } else {
                let mut body = render::quality_rows(l, &name, rows).plain();
                more(l, &mut body, rows.len(), TEXT_ROWS);
                body
            };
            message = message.section(
                tr(l, "digest-quality-heading", &[("what", name.into())]),
                body.trim_end(),
            );
        }
        let mut ranking = String::new();
        if let Some(table) = render::rep_ranking(l, &m.ranking.reps) {
            let _ = writeln!(ranking, "{}", t(l, "digest-rank-reps"));
            ranking.push_str(&table.plain());
        }
        if let Some(table) = render::campaign_ranking(l, &m.ranking.campaigns) {
            if !ranking.is_empty() {
                ranking.push('\n');
            }
            let _ = writeln!(ranking, "{}", t(l, "digest-rank-campaigns"));
            ranking.push_str(&table.plain());
        }
        if ranking.is_empty() {
            ranking.push_str(&t(l, "digest-nothing-to-rank"));
        }
        message.section(t(l, "digest-ranking-heading"), ranking.trim_end())
    }

    /// The chart in English.
    pub fn chart(&self) -> Chart {
        self.chart_in(Locale::En)
    }

    /// The week's funnel with its conversions, above the last 12 weeks' MQLs,
    /// acceptance and ack compliance, as one chart in `l`.
    pub fn chart_in(&self, l: Locale) -> Chart {
        Chart {
            file_name: format!("funnel-{}.png", self.week),
            title: tr(l, "digest-chart-title", &[("week", (&self.week).into())]),
            subtitle: tr(
                l,
                "digest-chart-subtitle",
                &[("dates", self.dates(l).into())],
            ),
            plot: Plot::Stack {
                plots: vec![
                    super::funnel_plot(&self.marketing.stages, l),
                    super::trend::plot(&self.marketing.trend, l),
                ],
            },
            locale: l,
            ..Chart::default()
        }
    }

    /// The second message of each recipient: the chart alone, in `l`.
    pub fn chart_message(&self, l: Locale) -> Message {
        Message::new(tr(
            l,
            "digest-chart-message",
            &[("week", (&self.week).into())],
        ))
        .in_locale(l)
        .chart(self.chart_in(l))
    }

    /// Every recipient's messages as text, each in its recipient's language, for
    /// `baton digest --format text`.
    pub fn render_text(&self, config: &Config) -> String {
        let mut out = String::new();
        if self.recipients.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                t(config.reporting_locale, "digest-no-recipients")
            );
        }
        for r in &self.recipients {
            let l = Self::locale_of(r, config);
            let _ = writeln!(out, "{}", tr(l, "digest-to", &[("to", (&r.to).into())]));
            out.push_str(&self.message_in(r, config, l).plain_text());
            out.push_str("\n\n");
        }
        out
    }
}

/// A team's list of clocks (its breaches, or what is overdue now): the messages of its
/// heading and of its empty form, and the head of its last column.
struct ClockList {
    heading: &'static str,
    empty: &'static str,
    last_column: &'static str,
}

/// One line of a [`ClockList`]: the lead, whose clock, which clock, and the last cell.
struct ClockItem<'a> {
    lead_id: i64,
    lead: Option<&'a str>,
    rep: Option<&'a str>,
    clock: &'a str,
    last: String,
}

impl ClockList {
    /// The list as a section of `message`: its first [`LIST_ROWS`] of `total` items as a
    /// table, then "… and N more"; the sentence that there is none when empty.
    fn section<'a>(
        &self,
        l: Locale,
        message: Message,
        directory: &Directory,
        team: &str,
        total: usize,
        items: impl Iterator<Item = ClockItem<'a>>,
    ) -> Message {
        let body = if total == 0 {
            t(l, self.empty)
        } else {
            let mut table = Table::head(l, &["col-lead", "col-rep", "col-clock", self.last_column]);
            for item in items.take(LIST_ROWS) {
                table.row(vec![
                    lead_label(item.lead_id, item.lead),
                    person_name(directory, l, item.rep),
                    clock_text(l, item.clock),
                    item.last,
                ]);
            }
            let mut body = table.plain();
            more(l, &mut body, total, LIST_ROWS);
            body
        };
        let heading = tr(
            l,
            self.heading,
            &[("team", team.into()), ("n", num(l, total as u64).into())],
        );
        message.section(heading, body.trim_end())
    }
}

fn more(l: Locale, body: &mut String, total: usize, shown: usize) {
    if total > shown {
        let _ = writeln!(body, "{}", render::more(l, (total - shown) as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::Rate;

    #[test]
    fn a_lead_is_its_number_then_its_name_when_it_has_one() {
        assert_eq!(lead_label(7, Some("Acme")), "#7 Acme");
        assert_eq!(lead_label(7, Some("")), "#7");
        assert_eq!(lead_label(7, None), "#7");
    }

    #[test]
    fn compliance_says_how_many_clocks_were_met_of_those_decided() {
        let speed = |met, breached| Speed {
            met,
            breached,
            compliance: Rate::new(met, met + breached).rate,
            ..Speed::default()
        };
        assert_eq!(compliance(Locale::En, &speed(10, 2)), "83% (10 of 12 met)");
        assert_eq!(compliance(Locale::En, &speed(1, 0)), "100% (1 of 1 met)");
        assert_eq!(compliance(Locale::En, &speed(0, 0)), "– (no clock decided)");
    }
}
