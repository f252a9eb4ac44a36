//! The `/sla` report (SPEC §7): everyone's (or one team's, or one rep's) clocks, with
//! the latest breaches; its JSON types, its assembly from the store, and its chat text.
//!
//! Whose clock it is (SPEC §7): a clock is credited to whoever held the handoff when it
//! was met or ran out, so a rep's line counts the clocks they held, also of handoffs now
//! assigned to others. The lines of teams and reps are put together by [`lines`], a pure
//! function of the facts and the directory.

use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::render::{
    ClockCells, breach_late, clock_text, clocks_row, clocks_table, count, person_name, speed_table,
};
use super::{PeriodInfo, check_team, key_of};
use crate::config::Config;
use crate::domain::directory::Directory;
use crate::domain::period::Period;
use crate::domain::report::{HandoffFacts, Speed, Speeds, group_by};
use crate::domain::sla::ClockKind;
use crate::i18n::{Arg, Locale, t, tr};
use crate::store::Db;
use crate::store::reports::{BreachRow, HandoffFilter, handoff_facts, latest_breaches};

/// How many of the latest breaches `/sla` lists.
const LATEST_BREACHES: u32 = 10;

/// The SLA report: everyone's (or one team's, or one rep's) clocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaReport {
    pub period: PeriodInfo,
    /// The team asked for, if any.
    pub team: Option<String>,
    /// The only rep shown, if the report was limited to one.
    pub rep: Option<String>,
    /// All the handoffs of the report together.
    pub overall: SlaLine,
    pub teams: Vec<SlaTeam>,
    pub breaches: Breaches,
}

/// Handoffs, the three clocks, and recorded breaches of a team or rep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaLine {
    pub handoffs: u64,
    pub ack: Speed,
    pub first_touch: Speed,
    pub disposition: Speed,
    /// Breaches: the clocks of these three that ran out, however Baton learned of it.
    pub breaches: u64,
}

impl SlaLine {
    /// The line of `handoffs`, or with `who` (an email or [`NONE`]) that person's: the
    /// handoffs they hold now, and the clocks they held when each was met or ran out
    /// (SPEC §7, "Whose clock it is"), so their compliance and breaches count the same
    /// clocks.
    fn new(handoffs: &[&HandoffFacts], who: Option<&str>) -> SlaLine {
        let (count, speeds) = match who {
            None => (handoffs.len(), Speeds::of(handoffs)),
            Some(who) => (
                handoffs
                    .iter()
                    .filter(|h| key_of(h.assignee.as_deref()) == who)
                    .count(),
                Speeds::held_by(handoffs, who),
            ),
        };
        SlaLine {
            handoffs: count as u64,
            ack: speeds.ack,
            first_touch: speeds.first_touch,
            disposition: speeds.disposition,
            breaches: speeds.breached(),
        }
    }

    /// "12 handoffs", "2 breaches": the counts of the line's sentence.
    fn count_args(&self, l: Locale) -> Vec<(&'static str, Arg<'static>)> {
        vec![
            ("handoffs", count(l, "count-handoffs", self.handoffs).into()),
            ("breaches", count(l, "count-breaches", self.breaches).into()),
        ]
    }

    fn clock(&self, kind: ClockKind) -> &Speed {
        match kind {
            ClockKind::Ack => &self.ack,
            ClockKind::FirstTouch => &self.first_touch,
            ClockKind::Disposition => &self.disposition,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaTeam {
    pub team: String,
    #[serde(flatten)]
    pub line: SlaLine,
    pub reps: Vec<SlaRep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaRep {
    /// The rep's email, or "(none)" for unassigned handoffs.
    pub rep: String,
    pub name: Option<String>,
    #[serde(flatten)]
    pub line: SlaLine,
}

/// The breaches of the report's handoffs: every clock that ran out, credited to whoever
/// held the handoff at the deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breaches {
    /// The same as `overall.breaches`.
    pub count: u64,
    /// The latest ones by deadline, newest first.
    pub latest: Vec<BreachItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreachItem {
    pub handoff_id: i64,
    pub lead_id: i64,
    pub lead: Option<String>,
    pub clock: String,
    pub rep: Option<String>,
    pub team: Option<String>,
    pub due_at: String,
    pub stopped_at: Option<String>,
    /// How long after the deadline the clock stopped (or until now, if still running).
    pub late_s: Option<f64>,
}

impl BreachItem {
    pub(crate) fn new(row: BreachRow, now: DateTime<Utc>) -> BreachItem {
        let parse = |t: &str| crate::store::parse_ts(t).ok();
        let end = match row.stopped_at.as_deref() {
            Some(t) => parse(t),
            None => Some(now),
        };
        let late_s = parse(&row.due_at)
            .zip(end)
            .map(|(due, end)| (end - due).num_milliseconds() as f64 / 1000.0);
        BreachItem {
            handoff_id: row.handoff_id,
            lead_id: row.lead_id,
            lead: row.lead,
            clock: row.clock,
            rep: row.assignee,
            team: row.team,
            due_at: row.due_at,
            stopped_at: row.stopped_at,
            late_s,
        }
    }
}

/// Builds the SLA report for `period` at `now`: every team, or only `team`; with
/// `only_rep`, only that rep's handoffs and breaches.
pub async fn sla(
    db: &Db,
    config: &Config,
    period: Period,
    team: Option<&str>,
    only_rep: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<SlaReport> {
    let tz = config.reporting_tz;
    let window = period.resolve(now, tz);
    let team = team
        .map(|t| check_team(config, t).map_err(|e| anyhow::Error::msg(e.to_string())))
        .transpose()?;
    let only_rep = only_rep.map(|r| r.trim().to_lowercase());
    let filter = HandoffFilter {
        team: team.as_deref(),
        assignee: only_rep.as_deref(),
    };
    let pool = &db.pool;
    let (facts, latest) = tokio::try_join!(
        handoff_facts(pool, window, now, filter),
        latest_breaches(pool, window, now, filter, LATEST_BREACHES),
    )
    .context("cannot build the SLA report")?;
    let all: Vec<&HandoffFacts> = facts.iter().collect();
    let only = only_rep.as_deref();
    let teams = lines(&config.directory, &all, team.as_deref(), only);

    let overall = SlaLine::new(&all, only);
    Ok(SlaReport {
        period: PeriodInfo::new(period.to_string(), window, tz),
        breaches: Breaches {
            count: overall.breaches,
            latest: latest
                .into_iter()
                .map(|b| BreachItem::new(b, now))
                .collect(),
        },
        overall,
        team,
        rep: only_rep,
        teams,
    })
}

/// The lines of the report's teams and their reps from its handoffs: the team asked for,
/// else every team of the directory, then any other team in the data; in each, the team's
/// reps, then anyone else who holds or held its handoffs' clocks, most handoffs first.
/// With `only_rep`, that rep alone, in the teams of their handoffs (or the one asked for).
fn lines(
    directory: &Directory,
    all: &[&HandoffFacts],
    team: Option<&str>,
    only_rep: Option<&str>,
) -> Vec<SlaTeam> {
    let listed: Vec<String> = match team {
        Some(t) => vec![t.to_string()],
        None if only_rep.is_some() => Vec::new(),
        None => directory.teams.iter().map(|t| t.name.clone()).collect(),
    };
    let by_team = group_by(all, |h| h.team.as_deref());
    let team_names = listed_then_found(listed, by_team.iter().map(|(name, _)| name.as_str()));
    team_names
        .into_iter()
        .map(|name| {
            let hs: &[&HandoffFacts] = by_team
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, hs)| hs.as_slice())
                .unwrap_or_default();
            let rep_names = match only_rep {
                Some(rep) => vec![rep.to_string()],
                None => {
                    let reps = directory.reps_of(&name).map(|p| p.email.clone()).collect();
                    let assignees = group_by(hs, |h| h.assignee.as_deref());
                    let holders = hs.iter().flat_map(|h| h.people());
                    listed_then_found(
                        reps,
                        assignees.iter().map(|(rep, _)| rep.as_str()).chain(holders),
                    )
                }
            };
            let reps = rep_names
                .into_iter()
                .map(|rep| SlaRep {
                    name: directory.person(&rep).map(|p| p.name.clone()),
                    line: SlaLine::new(hs, Some(&rep)),
                    rep,
                })
                .collect();
            SlaTeam {
                line: SlaLine::new(hs, only_rep),
                team: name,
                reps,
            }
        })
        .collect()
}

/// The names `listed`, in their order, then each name `found` that is not among them yet,
/// in the order found. A name is copied only when it is added.
fn listed_then_found(
    listed: Vec<String>,
    found: impl IntoIterator<Item = impl AsRef<str>>,
) -> Vec<String> {
    let mut names = listed;
    // Where the last name found is: runs of one name (a handoff's holders are mostly its
    // assignee) are looked up once.
    let mut last: Option<usize> = None;
    for name in found {
        let name = name.as_ref();
        if last.is_some_and(|i| names[i] == name) {
            continue;
        }
        last = Some(match names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                names.push(name.to_string());
                names.len() - 1
            }
        });
    }
    names
}

/// The SLA report as text in `[reporting] locale`.
pub async fn sla_text(
    db: &Db,
    config: &Config,
    period: Period,
    team: Option<&str>,
    only_rep: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    Ok(sla(db, config, period, team, only_rep, now)
        .await?
        .render_text_in(config, config.reporting_locale))
}

/// The SLA report as pretty-printed JSON.
pub async fn sla_json(
    db: &Db,
    config: &Config,
    period: Period,
    team: Option<&str>,
    only_rep: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let report = sla(db, config, period, team, only_rep, now).await?;
    serde_json::to_string_pretty(&report).context("cannot write the SLA report as JSON")
}

impl SlaReport {
    /// The report as chat text, in English.
    pub fn render_text(&self, config: &Config) -> String {
        self.render_text_in(config, Locale::En)
    }

    /// The report as chat text in `l`.
    pub fn render_text_in(&self, config: &Config, l: Locale) -> String {
        let tz = config.reporting_tz;
        let mut out = String::new();
        let _ = write!(
            out,
            "{}",
            tr(
                l,
                "sla-title",
                &[("period", self.period.describe_in(tz, l).into())]
            )
        );
        if let Some(team) = &self.team {
            let _ = write!(out, "{}", tr(l, "sla-title-team", &[("team", team.into())]));
        }
        if let Some(rep) = &self.rep {
            let _ = write!(out, "{}", tr(l, "sla-title-rep", &[("rep", rep.into())]));
        }
        out.push('\n');
        let _ = writeln!(out, "{}", tr(l, "sla-summary", &self.overall.count_args(l)));
        let _ = writeln!(out, "{}", t(l, "sla-whose-clock"));
        speed_table(l, &mut out, |k| *self.overall.clock(k));
        for team in &self.teams {
            let mut args = vec![("team", (&team.team).into())];
            args.extend(team.line.count_args(l));
            let _ = writeln!(out, "{}", tr(l, "sla-team", &args));
            let mut table = clocks_table(l, true);
            let line = |name: String, line: &SlaLine| {
                clocks_row(
                    l,
                    name,
                    ClockCells {
                        handoffs: line.handoffs,
                        ack: &line.ack,
                        first_touch: &line.first_touch,
                        decision: Some(&line.disposition),
                        breaches: line.breaches,
                    },
                )
            };
            for rep in &team.reps {
                table.row(line(
                    rep.name.clone().unwrap_or_else(|| rep.rep.clone()),
                    &rep.line,
                ));
            }
            table.row(line(t(l, "row-team"), &team.line));
            table.render(&mut out);
        }
        if !self.breaches.latest.is_empty() {
            let _ = writeln!(out, "{}", t(l, "latest-breaches"));
            for b in &self.breaches.latest {
                let who = person_name(&config.directory, l, b.rep.as_deref());
                let clock = clock_text(l, &b.clock);
                let late = breach_late(l, b, "breach-overdue");
                let _ = writeln!(
                    out,
                    "{}",
                    tr(
                        l,
                        "breach-item",
                        &[
                            ("lead", b.lead_id.to_string().into()),
                            ("title", b.lead.as_deref().unwrap_or("").into()),
                            ("clock", clock.into()),
                            ("who", who.into()),
                            ("late", late.into()),
                        ]
                    )
                    .trim_end()
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
