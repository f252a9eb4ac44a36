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
//! goes as a second message ([`Digest::chart_message`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::chat::message::{Chart, Message, Plot};
use crate::config::Config;
use crate::domain::report::{HandoffFacts, Outcomes, Speed, StageRow, group_by, percent};
use crate::domain::schedule::IsoWeek;
use crate::domain::sla::ClockKind;
use crate::plan::MarketingLine;
use crate::report::{
    self, AcceptanceTarget, BreachItem, MqlTarget, PeriodInfo, QualityReport, Rankings, SlaRep,
    TEXT_ROWS, Table, clock_label, duration,
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

fn clock_name(clock: &str) -> String {
    clock
        .parse::<ClockKind>()
        .map(|k| clock_label(k).to_string())
        .unwrap_or_else(|_| clock.to_string())
}

fn lead_label(lead_id: i64, lead: Option<&str>) -> String {
    match lead {
        Some(name) if !name.is_empty() => format!("#{lead_id} {name}"),
        _ => format!("#{lead_id}"),
    }
}

/// "83% (10 of 12 met)", or "no decided clocks".
fn compliance(speed: &Speed) -> String {
    let rate = speed.compliance_rate();
    match rate.rate {
        Some(r) => format!("{} ({} of {} met)", percent(r), rate.count, rate.n),
        None => "– (no clock decided)".into(),
    }
}

impl Digest {
    fn person_name(config: &Config, email: Option<&str>) -> String {
        match email {
            Some(e) => config
                .directory
                .person(e)
                .map_or_else(|| e.to_string(), |p| p.name.clone()),
            None => "nobody".into(),
        }
    }

    /// "Mon 16 Nov 2026 to Sun 22 Nov 2026 (Europe/Berlin)": the period's times carry
    /// the reporting zone's offset, so their dates are local.
    fn dates(&self) -> String {
        let day = |t: &str, back: i64| {
            DateTime::parse_from_rfc3339(t)
                .map(|t| {
                    (t - chrono::Duration::seconds(back))
                        .format("%a %-d %b %Y")
                        .to_string()
                })
                .unwrap_or_else(|_| t.to_string())
        };
        format!(
            "{} to {} ({})",
            day(&self.period.from, 0),
            day(&self.period.to, 1),
            self.period.timezone
        )
    }

    /// The message for one recipient: their teams, then the marketing side.
    pub fn message_for(&self, recipient: &Recipient, config: &Config) -> Message {
        let mut message =
            Message::new(format!("Weekly SLA digest, {}", self.week)).field("Week", self.dates());
        let mut summary = Vec::new();
        for team in self
            .teams
            .iter()
            .filter(|t| recipient.teams.contains(&t.team))
        {
            summary.push(format!(
                "{}: {} handoffs, ack {}, {} breaches, {} overdue now",
                team.team,
                team.handoffs.opened,
                team.ack.compliance.map_or_else(|| "–".to_string(), percent),
                team.breaches.len(),
                team.overdue.len(),
            ));
            message = self.team_sections(message, team, config);
        }
        let m = &self.marketing;
        summary.push(format!(
            "Marketing: {} MQLs{}, acceptance {}",
            m.mql.entered,
            m.mql
                .target
                .map(|t| format!(" of {t} this {}", m.mql.period))
                .unwrap_or_default(),
            m.acceptance.rate
        ));
        message = message.text(summary.join("\n"));
        self.marketing_sections(message)
    }

    fn team_sections(&self, message: Message, team: &TeamDigest, config: &Config) -> Message {
        let mut body = String::new();
        let h = &team.handoffs;
        let _ = writeln!(
            body,
            "Handoffs opened: {} ({} accepted, {} rejected, {} open)",
            h.opened, h.accepted, h.rejected, h.open
        );
        let _ = writeln!(body, "Ack compliance:         {}", compliance(&team.ack));
        let _ = writeln!(
            body,
            "First-touch compliance: {}",
            compliance(&team.first_touch)
        );
        let _ = writeln!(
            body,
            "Time to ack: median {}, p90 {} (business time: {}, {})",
            duration(team.ack.median_s),
            duration(team.ack.p90_s),
            duration(team.ack.median_business_s),
            duration(team.ack.p90_business_s),
        );
        if !team.reps.is_empty() {
            body.push('\n');
            let mut t = Table::new(&[
                "rep",
                "handoffs",
                "ack",
                "first touch",
                "median ack",
                "breaches",
            ]);
            for rep in &team.reps {
                t.row(vec![
                    rep.name.clone().unwrap_or_else(|| rep.rep.clone()),
                    rep.handoffs.to_string(),
                    rep.ack.compliance_rate().to_string(),
                    rep.first_touch.compliance_rate().to_string(),
                    duration(rep.ack.median_s),
                    rep.breaches.to_string(),
                ]);
            }
            body.push_str(&t.plain());
        }
        let mut message = message.section(
            format!(
                "Team {} (manager {})",
                team.team,
                Self::person_name(config, Some(&team.manager))
            ),
            body.trim_end(),
        );

        let breaches = if team.breaches.is_empty() {
            "No breaches this week.".to_string()
        } else {
            let mut t = Table::new(&["lead", "rep", "clock", "late"]);
            for b in team.breaches.iter().take(LIST_ROWS) {
                let late = if b.stopped_at.is_some() {
                    format!("{} late", duration(b.late_s))
                } else {
                    format!("{} and counting", duration(b.late_s))
                };
                t.row(vec![
                    lead_label(b.lead_id, b.lead.as_deref()),
                    Self::person_name(config, b.rep.as_deref()),
                    clock_name(&b.clock),
                    late,
                ]);
            }
            let mut body = t.plain();
            more(&mut body, team.breaches.len(), LIST_ROWS);
            body
        };
        message = message.section(
            format!(
                "Team {}: breaches this week ({})",
                team.team,
                team.breaches.len()
            ),
            breaches.trim_end(),
        );

        let overdue = if team.overdue.is_empty() {
            "Nothing is overdue.".to_string()
        } else {
            let mut t = Table::new(&["lead", "rep", "clock", "overdue by"]);
            for o in team.overdue.iter().take(LIST_ROWS) {
                t.row(vec![
                    lead_label(o.lead_id, o.lead.as_deref()),
                    Self::person_name(config, o.rep.as_deref()),
                    clock_name(&o.clock),
                    duration(Some(o.overdue_s)),
                ]);
            }
            let mut body = t.plain();
            more(&mut body, team.overdue.len(), LIST_ROWS);
            body
        };
        message.section(
            format!("Team {}: overdue now ({})", team.team, team.overdue.len()),
            overdue.trim_end(),
        )
    }

    fn marketing_sections(&self, message: Message) -> Message {
        let m = &self.marketing;
        let mut body = String::new();
        let _ = write!(
            body,
            "MQLs this {} {} ({} of the {} gone): {}",
            m.mql.period,
            if self.complete {
                "up to the end of the week"
            } else {
                "so far"
            },
            percent(m.mql.elapsed),
            m.mql.period,
            m.mql.entered
        );
        match (m.mql.target, m.mql.pace) {
            (Some(target), Some(pace)) => {
                let _ = writeln!(
                    body,
                    " of {target}, pace {pace:.0}: {}",
                    if pace >= f64::from(target) {
                        "on track"
                    } else {
                        "behind"
                    }
                );
            }
            (Some(target), None) => {
                let _ = writeln!(body, " of {target}");
            }
            _ => body.push_str(" (no target set)\n"),
        }
        if let Some(line) = &m.customer_plan {
            let _ = writeln!(body, "{}", line.sentence());
        }
        let week_mqls = m
            .stages
            .iter()
            .find(|s| s.stage == crate::domain::stage::Stage::Mql)
            .map_or(0, |s| s.entered);
        let _ = writeln!(body, "MQLs this week: {week_mqls}");
        let h = &m.handoffs;
        let _ = write!(
            body,
            "Handoffs: {} ({} accepted, {} rejected, {} open); acceptance {}",
            h.opened, h.accepted, h.rejected, h.open, m.acceptance.rate
        );
        match (m.acceptance.target, m.acceptance.met) {
            (Some(target), Some(met)) => {
                let _ = writeln!(
                    body,
                    ", target {}: {}",
                    percent(target),
                    if met { "met" } else { "below target" }
                );
            }
            (Some(target), None) => {
                let _ = writeln!(body, ", target {}", percent(target));
            }
            _ => body.push('\n'),
        }
        if h.reject_reasons.is_empty() {
            body.push_str("Rejected for: nothing rejected\n");
        } else {
            let mut reasons: Vec<(&String, &u64)> = h.reject_reasons.iter().collect();
            reasons.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{r} {n}")).collect();
            let _ = writeln!(body, "Rejected for: {}", list.join(", "));
        }
        let mut message = message.section("Marketing: MQLs and acceptance", body.trim_end());

        for (what, rows) in [
            ("source", &m.quality.source),
            ("campaign", &m.quality.campaign),
        ] {
            let body = if rows.is_empty() {
                "No handoffs this week.".to_string()
            } else {
                let mut body = report::quality_rows(what, rows).plain();
                more(&mut body, rows.len(), TEXT_ROWS);
                body
            };
            message = message.section(format!("Lead quality by {what}"), body.trim_end());
        }
        let mut ranking = String::new();
        if let Some(t) = report::rep_ranking(&m.ranking.reps) {
            ranking.push_str("Reps, by conversion of their handoffs:\n");
            ranking.push_str(&t.plain());
        }
        if let Some(t) = report::campaign_ranking(&m.ranking.campaigns) {
            if !ranking.is_empty() {
                ranking.push('\n');
            }
            ranking.push_str("Campaigns, by leads that reached each stage this week:\n");
            ranking.push_str(&t.plain());
        }
        if ranking.is_empty() {
            ranking.push_str("Nothing to rank this week.");
        }
        message.section("Top and bottom reps and campaigns", ranking.trim_end())
    }

    /// The week's funnel with its conversions, above the last 12 weeks' MQLs,
    /// acceptance and ack compliance, as one chart.
    pub fn chart(&self) -> Chart {
        Chart {
            file_name: format!("funnel-{}.png", self.week),
            title: format!("Funnel, week {}", self.week),
            subtitle: format!("Leads that entered each stage, {}", self.dates()),
            plot: Plot::Stack {
                plots: vec![
                    report::funnel_plot(&self.marketing.stages),
                    crate::trend::plot(&self.marketing.trend),
                ],
            },
            ..Chart::default()
        }
    }

    /// The second message of each recipient: the chart alone.
    pub fn chart_message(&self) -> Message {
        Message::new(format!("Funnel chart, week {}", self.week)).chart(self.chart())
    }

    /// Every recipient's messages as text, for `baton digest --format text`.
    pub fn render_text(&self, config: &Config) -> String {
        let mut out = String::new();
        if self.recipients.is_empty() {
            out.push_str("No recipients: configure [[team]] managers or [digest] to.\n");
        }
        for r in &self.recipients {
            let _ = writeln!(out, "──── To: {} ────", r.to);
            out.push_str(&self.message_for(r, config).plain_text());
            out.push_str("\n\n");
        }
        out
    }
}

fn more(body: &mut String, total: usize, shown: usize) {
    if total > shown {
        let _ = writeln!(body, "… and {} more", total - shown);
    }
}
