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
//! `[reporting] locale`), numbers and dates included. Here are the digest's types and
//! their assembly; the messages are written in `digest_view`.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::PeriodInfo;
use super::funnel::{AcceptanceTarget, MqlTarget, QualityReport, Rankings};
use super::sla::{BreachItem, SlaRep};
use super::trend::WeekTrend;
use crate::config::Config;
use crate::domain::directory::Team;
use crate::domain::report::{HandoffFacts, Outcomes, Speed, StageRow, group_by};
use crate::domain::schedule::IsoWeek;
use crate::i18n::Locale;
use crate::plan::MarketingLine;
use crate::store::Db;
use crate::store::reports::{self, HandoffFilter, OverdueRow, handoff_facts};

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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::tests::team;

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
