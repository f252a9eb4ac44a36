//! The weekly digest (SPEC §8): for each team, what its manager needs to know about the
//! week's SLA (handoffs opened, ack and first-touch compliance, median and p90 time to
//! ack, every breach whose deadline fell in the week, what is overdue now, one line per
//! rep), then the marketing side (MQLs against the target, acceptance, reject reasons,
//! quality by source and campaign, the top and bottom reps and campaigns, a funnel chart).
//!
//! The week is an ISO week (Monday to Sunday) in the reporting time zone. Handoff figures
//! count the handoffs whose MQL time lies in the week, as they stand when the digest is
//! built (the same rule as `/sla` and `/funnel`); MQLs against the target are counted up
//! to the end of the week.
//!
//! Each recipient gets one message: a manager their own teams, every `[digest] to` entry
//! all teams; both get the marketing side. [`Digest::message_for`] builds it; the chart
//! goes as a second message ([`Digest::chart_message`]). Each recipient reads it in their
//! language ([`Digest::locale_of`]: a person's locale, then their team's, then
//! `[reporting] locale`), numbers and dates included.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::domain::report::{HandoffFacts, Outcomes, Speed, StageRow, group_by};
use crate::domain::schedule::IsoWeek;
use crate::domain::sla::ClockKind;
use crate::i18n::{self, Locale, t, tr};
use crate::message::{Chart, Message, Plot};
use crate::plan::MarketingLine;
use crate::report::{
    self, AcceptanceTarget, BreachItem, MqlTarget, PeriodInfo, QualityReport, Rankings, SlaRep,
    TEXT_ROWS, Table, clock_name, count, duration, num,
};
use crate::store::Db;
use crate::store::reports::{self, HandoffFilter, handoff_facts};
use crate::store::schedule::{self as queries, OverdueRow};
use crate::trend::WeekTrend;

/// How many breaches or overdue clocks a team's section lists before "… and N more".
const LIST_ROWS: usize = 25;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    /// The ISO week, e.g. `2026-W47`.
    pub week: String,
    pub period: PeriodInfo,
    /// When the digest was built; "overdue now" is as of this time.
    pub generated_at: String,
    /// Whether the week was over when the digest was built.
    pub complete: bool,
    pub teams: Vec<TeamDigest>,
    pub marketing: Marketing,
    /// Who gets which teams.
    pub recipients: Vec<Recipient>,
}

/// One team's week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamDigest {
    pub team: String,
    pub manager: String,
    /// Handoffs whose MQL time lies in the week.
    pub handoffs: Outcomes,
    pub ack: Speed,
    pub first_touch: Speed,
    /// Every breach whose deadline fell in the week, oldest first.
    pub breaches: Vec<BreachItem>,
    /// Clocks of open handoffs past their deadline when the digest was built.
    pub overdue: Vec<Overdue>,
    pub reps: Vec<RepLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepLine {
    pub rep: String,
    pub name: Option<String>,
    pub handoffs: u64,
    pub ack: Speed,
    pub first_touch: Speed,
    /// The rep's breaches among the week's handoffs: the same clocks as `ack` and
    /// `first_touch` (and the decision's), credited to whoever held the handoff at the
    /// deadline (SPEC §7, "Whose clock it is").
    pub breaches: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    pub handoff_id: i64,
    pub lead_id: i64,
    pub lead: Option<String>,
    pub clock: String,
    pub rep: Option<String>,
    pub due_at: String,
    pub overdue_s: f64,
}

/// The marketing side of the week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marketing {
    /// The week's funnel, `visitor` to `evangelist`.
    pub stages: Vec<StageRow>,
    /// MQLs of the target period up to the end of the week, against the target.
    pub mql: MqlTarget,
    /// The week's handoffs: accepted, rejected (by reason), open.
    pub handoffs: Outcomes,
    pub acceptance: AcceptanceTarget,
    pub quality: QualityReport,
    pub ranking: Rankings,
    /// With `[marketing] customer_target`: the MQLs its customers need (the reverse
    /// funnel of SPEC §7 for the target period, as of the end of the week).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_plan: Option<MarketingLine>,
    /// The last 12 weeks' MQLs, acceptance and ack compliance, oldest first.
    pub trend: Vec<WeekTrend>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    /// An email or a channel.
    pub to: String,
    pub teams: Vec<String>,
}

/// Who gets the digest: each manager their teams, each `[digest] to` entry every team.
pub fn recipients(config: &Config) -> Vec<Recipient> {
    let all: Vec<String> = config
        .directory
        .teams
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let mut by_recipient: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for team in &config.directory.teams {
        by_recipient
            .entry(team.manager.clone())
            .or_default()
            .push(team.name.clone());
    }
    for to in &config.settings.digest.to {
        let key = if to.contains('@') {
            to.trim().to_lowercase()
        } else {
            to.trim().to_string()
        };
        by_recipient.insert(key, all.clone());
    }
    by_recipient
        .into_iter()
        .map(|(to, mut teams)| {
            teams.sort_by_key(|t| all.iter().position(|a| a == t));
            teams.dedup();
            Recipient { to, teams }
        })
        .collect()
}

/// Builds the digest of `week` at `now`.
pub async fn build(
    db: &Db,
    config: &Config,
    week: IsoWeek,
    now: DateTime<Utc>,
) -> anyhow::Result<Digest> {
    let tz = config.reporting_tz;
    let window = week.window(tz);
    let period = week.period();
    let as_of = now.min(window.to);
    let (funnel, sla, mql, facts, breaches, overdue, customer_plan, trend) = tokio::try_join!(
        report::funnel(db, config, period, None, now),
        report::sla(db, config, period, None, None, now),
        report::mql_target(db, config, as_of),
        handoff_facts(&db.pool, window, now, HandoffFilter::default()),
        reports::breaches_due_in(&db.pool, window, now, None),
        queries::overdue(&db.pool, now, None),
        crate::plan::customer_target_line(db, config, as_of),
        crate::trend::weekly(db, config, week, now),
    )
    .context("cannot build the digest")?;
    let breaches: Vec<BreachItem> = breaches
        .into_iter()
        .map(|b| BreachItem::new(b, now))
        .collect();

    let all: Vec<&HandoffFacts> = facts.iter().collect();
    let by_team = group_by(&all, |h| h.team.as_deref());
    let mut teams = Vec::new();
    for team in &config.directory.teams {
        let line = sla.teams.iter().find(|t| t.team == team.name);
        let team_breaches: Vec<BreachItem> = breaches
            .iter()
            .filter(|b| b.team.as_deref() == Some(team.name.as_str()))
            .cloned()
            .collect();
        let reps = line
            .map(|t| t.reps.iter().map(rep_line).collect())
            .unwrap_or_default();
        teams.push(TeamDigest {
            team: team.name.clone(),
            manager: team.manager.clone(),
            handoffs: Outcomes::of(
                by_team
                    .iter()
                    .filter(|(name, _)| *name == team.name)
                    .flat_map(|(_, hs)| hs.iter().copied()),
            ),
            ack: line.map(|t| t.line.ack).unwrap_or_default(),
            first_touch: line.map(|t| t.line.first_touch).unwrap_or_default(),
            breaches: team_breaches,
            overdue: overdue
                .iter()
                .filter(|o| o.team.as_deref() == Some(team.name.as_str()))
                .map(|o| overdue_item(o, now))
                .collect::<anyhow::Result<_>>()?,
            reps,
        });
    }

    Ok(Digest {
        week: week.to_string(),
        period: PeriodInfo::new(week.to_string(), window, tz),
        generated_at: now
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        complete: now >= window.to,
        teams,
        marketing: Marketing {
            stages: funnel.stages,
            mql,
            acceptance: funnel.target.acceptance,
            handoffs: funnel.handoffs,
            quality: funnel.quality,
            ranking: funnel.ranking,
            customer_plan,
            trend,
        },
        recipients: recipients(config),
    })
}

fn rep_line(rep: &SlaRep) -> RepLine {
    RepLine {
        rep: rep.rep.clone(),
        name: rep.name.clone(),
        handoffs: rep.line.handoffs,
        ack: rep.line.ack,
        first_touch: rep.line.first_touch,
        breaches: rep.line.breaches,
    }
}

fn overdue_item(row: &OverdueRow, now: DateTime<Utc>) -> anyhow::Result<Overdue> {
    let due = crate::store::parse_ts(&row.due_at)
        .with_context(|| format!("the deadline of handoff {}", row.handoff_id))?;
    Ok(Overdue {
        handoff_id: row.handoff_id,
        lead_id: row.lead_id,
        lead: row.lead.clone(),
        clock: row.clock.clone(),
        rep: row.assignee.clone(),
        due_at: row.due_at.clone(),
        overdue_s: (now - due).num_milliseconds() as f64 / 1000.0,
    })
}

fn clock_text(l: Locale, clock: &str) -> String {
    clock
        .parse::<ClockKind>()
        .map(|k| clock_name(l, k))
        .unwrap_or_else(|_| clock.to_string())
}

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
    fn person_name(config: &Config, l: Locale, email: Option<&str>) -> String {
        match email {
            Some(e) => config
                .directory
                .person(e)
                .map_or_else(|| e.to_string(), |p| p.name.clone()),
            None => t(l, "nobody"),
        }
    }

    /// The language `recipient` reads: a person's own (then their team's, then the
    /// reporting one); a channel, the language of its one team, else the reporting one.
    pub fn locale_of(recipient: &Recipient, config: &Config) -> Locale {
        let dir = &config.directory;
        let fallback = config.reporting_locale;
        if dir.person(&recipient.to).is_some() {
            return dir.locale_of_person(&recipient.to, fallback);
        }
        match recipient.teams.as_slice() {
            [team] => dir.locale_of_team(team, fallback),
            _ => fallback,
        }
    }

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
        summary.push(match m.mql.target {
            Some(target) => tr(
                l,
                "digest-marketing-summary-target",
                &[
                    ("mqls", count(l, "count-mqls", m.mql.entered).into()),
                    ("target", num(l, u64::from(target)).into()),
                    ("period", m.mql.period.into()),
                    ("rate", rate.into()),
                ],
            ),
            None => tr(
                l,
                "digest-marketing-summary",
                &[
                    ("mqls", count(l, "count-mqls", m.mql.entered).into()),
                    ("rate", rate.into()),
                ],
            ),
        });
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
        let _ = writeln!(
            body,
            "{}",
            tr(
                l,
                "digest-handoffs",
                &[
                    ("opened", num(l, h.opened).into()),
                    ("accepted", num(l, h.accepted).into()),
                    ("rejected", num(l, h.rejected).into()),
                    ("open", num(l, h.open).into()),
                ]
            )
        );
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
            let mut table = Table::head(
                l,
                &[
                    "col-rep",
                    "col-handoffs",
                    "report-clock-ack",
                    "report-clock-first-touch",
                    "col-median-ack",
                    "col-breaches",
                ],
            );
            for rep in &team.reps {
                table.row(vec![
                    rep.name.clone().unwrap_or_else(|| rep.rep.clone()),
                    num(l, rep.handoffs),
                    i18n::rate(l, &rep.ack.compliance_rate()),
                    i18n::rate(l, &rep.first_touch.compliance_rate()),
                    duration(l, rep.ack.median_s),
                    num(l, rep.breaches),
                ]);
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
                        Self::person_name(config, l, Some(&team.manager)).into(),
                    ),
                ],
            ),
            body.trim_end(),
        );

        let breaches = if team.breaches.is_empty() {
            t(l, "digest-no-breaches")
        } else {
            let mut table = Table::head(l, &["col-lead", "col-rep", "col-clock", "col-late"]);
            for b in team.breaches.iter().take(LIST_ROWS) {
                let span = duration(l, b.late_s);
                let late = if b.stopped_at.is_some() {
                    tr(l, "breach-late", &[("span", span.into())])
                } else {
                    tr(l, "digest-counting", &[("span", span.into())])
                };
                table.row(vec![
                    lead_label(b.lead_id, b.lead.as_deref()),
                    Self::person_name(config, l, b.rep.as_deref()),
                    clock_text(l, &b.clock),
                    late,
                ]);
            }
            let mut body = table.plain();
            more(l, &mut body, team.breaches.len(), LIST_ROWS);
            body
        };
        message = message.section(
            tr(
                l,
                "digest-breaches-heading",
                &[
                    ("team", (&team.team).into()),
                    ("n", num(l, team.breaches.len() as u64).into()),
                ],
            ),
            breaches.trim_end(),
        );

        let overdue = if team.overdue.is_empty() {
            t(l, "digest-nothing-overdue")
        } else {
            let mut table = Table::head(l, &["col-lead", "col-rep", "col-clock", "col-overdue-by"]);
            for o in team.overdue.iter().take(LIST_ROWS) {
                table.row(vec![
                    lead_label(o.lead_id, o.lead.as_deref()),
                    Self::person_name(config, l, o.rep.as_deref()),
                    clock_text(l, &o.clock),
                    duration(l, Some(o.overdue_s)),
                ]);
            }
            let mut body = table.plain();
            more(l, &mut body, team.overdue.len(), LIST_ROWS);
            body
        };
        message.section(
            tr(
                l,
                "digest-overdue-heading",
                &[
                    ("team", (&team.team).into()),
                    ("n", num(l, team.overdue.len() as u64).into()),
                ],
            ),
            overdue.trim_end(),
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
        let _ = writeln!(body, "{}", report::mql_line(l, &m.mql, prefix));
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
        let _ = writeln!(
            body,
            "{}",
            tr(
                l,
                "digest-marketing-handoffs",
                &[
                    ("opened", num(l, h.opened).into()),
                    ("accepted", num(l, h.accepted).into()),
                    ("rejected", num(l, h.rejected).into()),
                    ("open", num(l, h.open).into()),
                    (
                        "acceptance",
                        report::acceptance_line(l, &m.acceptance, "digest-acceptance").into()
                    ),
                ]
            )
        );
        if h.reject_reasons.is_empty() {
            let _ = writeln!(body, "{}", t(l, "digest-nothing-rejected"));
        } else {
            let _ = writeln!(
                body,
                "{}",
                tr(
                    l,
                    "digest-rejected-for",
                    &[("list", report::reasons_list(l, &h.reject_reasons).into())]
                )
            );
        }
        let mut message = message.section(t(l, "digest-marketing-heading"), body.trim_end());

        for (what, rows) in [
            ("source", &m.quality.source),
            ("campaign", &m.quality.campaign),
        ] {
            let name = report::dimension_name(l, what);
            let body = if rows.is_empty() {
                t(l, "digest-no-handoffs")
            } else {
                let mut body = report::quality_rows(l, &name, rows).plain();
                more(l, &mut body, rows.len(), TEXT_ROWS);
                body
            };
            message = message.section(
                tr(l, "digest-quality-heading", &[("what", name.into())]),
                body.trim_end(),
            );
        }
        let mut ranking = String::new();
        if let Some(table) = report::rep_ranking(l, &m.ranking.reps) {
            let _ = writeln!(ranking, "{}", t(l, "digest-rank-reps"));
            ranking.push_str(&table.plain());
        }
        if let Some(table) = report::campaign_ranking(l, &m.ranking.campaigns) {
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
                    report::funnel_plot(&self.marketing.stages, l),
                    crate::trend::plot(&self.marketing.trend, l),
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

fn more(l: Locale, body: &mut String, total: usize, shown: usize) {
    if total > shown {
        let _ = writeln!(body, "{}", report::more(l, (total - shown) as u64));
    }
}
