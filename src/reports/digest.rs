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

use super::PeriodInfo;
use super::funnel::{AcceptanceTarget, MqlTarget, QualityReport, Rankings};
use super::render::{
    self, ClockCells, TEXT_ROWS, Table, breach_late, clock_text, clocks_row, clocks_table, count,
    duration, handoff_args, num, person_name,
};
use super::sla::{BreachItem, SlaRep};
use super::trend::WeekTrend;
use crate::chat::message::{Chart, Message, Plot};
use crate::config::Config;
use crate::domain::directory::{Directory, Team};
use crate::domain::report::{HandoffFacts, Outcomes, Speed, StageRow, group_by};
use crate::domain::schedule::IsoWeek;
use crate::i18n::{self, Locale, t, tr};
use crate::plan::MarketingLine;
use crate::store::Db;
use crate::store::reports::{self, HandoffFilter, OverdueRow, handoff_facts};

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
    recipients_of(&config.directory.teams, &config.settings.digest.to)
}

/// The recipients of `teams` and the `to` entries (emails, compared in lower case, or
/// channels), in order of recipient; each one's teams in the order of `teams`.
fn recipients_of(teams: &[Team], to: &[String]) -> Vec<Recipient> {
    let all: Vec<String> = teams.iter().map(|t| t.name.clone()).collect();
    let mut by_recipient: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for team in teams {
        by_recipient
            .entry(team.manager.clone())
            .or_default()
            .push(team.name.clone());
    }
    for to in to {
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
        super::funnel(db, config, period, None, now),
        super::sla(db, config, period, None, None, now),
        super::mql_target(db, config, as_of),
        handoff_facts(&db.pool, window, now, HandoffFilter::default()),
        reports::breaches_due_in(&db.pool, window, now, None),
        reports::overdue(&db.pool, now, None),
        crate::plan::customer_target_line(db, config, as_of),
        super::trend::weekly(db, config, week, now),
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
    use crate::domain::directory::RoutingMode;
    use crate::domain::report::Rate;

    fn team(name: &str, manager: &str) -> Team {
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

    fn recipient(to: &str, teams: &[&str]) -> Recipient {
        Recipient {
            to: to.into(),
            teams: teams.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn managers_get_their_teams_and_every_digest_to_entry_all_teams() {
        let teams = [
            team("north", "max@x.test"),
            team("south", "zoe@x.test"),
            team("east", "max@x.test"),
        ];
        let to = [
            " CEO@X.test ".to_string(),
            "#leadership".to_string(),
            // A manager named again gets every team, once each, in the teams' order.
            "zoe@x.test".to_string(),
        ];
        assert_eq!(
            recipients_of(&teams, &to),
            [
                recipient("#leadership", &["north", "south", "east"]),
                recipient("ceo@x.test", &["north", "south", "east"]),
                recipient("max@x.test", &["north", "east"]),
                recipient("zoe@x.test", &["north", "south", "east"]),
            ]
        );
        assert_eq!(recipients_of(&[], &[]), []);
    }

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

    #[test]
    fn an_overdue_clock_is_late_from_its_deadline_to_now() {
        let row = |due_at: &str| OverdueRow {
            handoff_id: 4,
            lead_id: 9,
            lead: None,
            clock: "first_touch".into(),
            assignee: None,
            team: Some("north".into()),
            due_at: due_at.into(),
        };
        let now = "2026-11-20T09:30:00Z".parse().unwrap();
        let item = overdue_item(&row("2026-11-20T08:00:00.000Z"), now).unwrap();
        assert_eq!(item.overdue_s, 5_400.0);
        assert_eq!((item.handoff_id, item.lead_id), (4, 9));
        // A deadline that cannot be read is an error naming the handoff, not "now".
        let err = overdue_item(&row("yesterday"), now).unwrap_err();
        assert!(
            format!("{err:#}").contains("the deadline of handoff 4"),
            "{err:#}"
        );
    }
}
