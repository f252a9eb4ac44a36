//! The `/funnel` and `/sla` reports (SPEC §7): built from the store for a period at a given
//! `now` in the reporting time zone, then rendered as text for chat (aligned columns in
//! monospace blocks, every percentage with its `n`) or as JSON whose keys name the figures.
//!
//! The funnel's JSON top level is fixed by the SPEC: `period`, `stages`, `handoffs`,
//! `speed`, `groups` (only with `by`) and `target`; it adds `by`, `quality` and `ranking`.
//! Figures are defined and computed in [`crate::domain::report`]; the SQL is in
//! [`crate::store::reports`]. The independent queries of a report run concurrently on
//! separate pooled connections.
//!
//! Callers check a team name with [`check_team`] first (its error is the reply for the
//! person); permissions (reps see only their own SLA lines) are the caller's, through the
//! `only_rep` parameter.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::chat::message::{Chart, FunnelStep, GroupBars, Plot};
use crate::command::grammar::Dimension;
use crate::config::{Config, TargetPeriodSetting};
use crate::domain::duration::humanize;
use crate::domain::period::{Period, TargetPeriod, Window, current_target_window};
use crate::domain::report::{
    CampaignReach, Conversions, HandoffFacts, Mean, NONE, Outcomes, Quality, Ranking, Rate,
    RepConversion, Speed, Speeds, StageRow, elapsed_share, funnel as funnel_rows, group_by,
    mean_rating, pace, percent, quality_by, rank_campaigns, rank_reps,
};
use crate::domain::sla::ClockKind;
use crate::domain::stage::Stage;
use crate::store::Db;
use crate::store::reports::{
    self, BreachRow, EntryCount, HandoffFilter, LeadKey, handoff_facts, latest_breaches,
};

/// How many rows a text table of quality shows before "… and N more".
pub(crate) const TEXT_ROWS: usize = 10;
/// How many of the latest breaches `/sla` lists.
const LATEST_BREACHES: u32 = 10;

/// The window a report covers, in the reporting time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodInfo {
    /// The period as typed, e.g. `30d` or `last-month`.
    pub name: String,
    /// The first instant inside, RFC 3339 in the reporting time zone.
    pub from: String,
    /// The first instant after.
    pub to: String,
    /// The IANA name of the reporting time zone.
    pub timezone: String,
}

impl PeriodInfo {
    pub(crate) fn new(name: String, window: Window, tz: Tz) -> PeriodInfo {
        PeriodInfo {
            name,
            from: local_rfc3339(window.from, tz),
            to: local_rfc3339(window.to, tz),
            timezone: tz.name().to_string(),
        }
    }

    /// The period as a person reads it: its name, local start and end, and the zone.
    pub(crate) fn describe(&self, tz: Tz) -> String {
        let local = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|_| text.to_string())
        };
        format!(
            "{} ({} to {}, {})",
            self.name,
            local(&self.from),
            local(&self.to),
            self.timezone
        )
    }
}

fn local_rfc3339(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The funnel report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelReport {
    pub period: PeriodInfo,
    /// `visitor` to `evangelist`, in funnel order.
    pub stages: Vec<StageRow>,
    /// What happened to the handoffs opened in the period.
    pub handoffs: Outcomes,
    pub speed: Speeds,
    /// The dimension of `groups`, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Group>>,
    pub target: Target,
    pub quality: QualityReport,
    pub ranking: Rankings,
}

/// One source, campaign, rep or team of a funnel `by` that dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub key: String,
    /// The funnel of the leads with this source or campaign (not given by rep or team:
    /// leads belong to a rep only through their handoffs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stages: Option<Vec<StageRow>>,
    pub handoffs: Outcomes,
    pub acceptance: Rate,
    pub rating: Mean,
    /// Handoffs whose lead has since reached sql, opportunity, customer.
    pub converted: Conversions,
    pub speed: Speeds,
}

/// The marketing targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub mql: MqlTarget,
    pub acceptance: AcceptanceTarget,
}

/// MQLs in the current target window (not the report's period) against the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MqlTarget {
    /// `week`, `month` or `quarter`.
    pub period: &'static str,
    pub from: String,
    pub to: String,
    /// Distinct leads that entered `mql` in the target window so far.
    pub entered: u64,
    pub target: Option<u32>,
    /// The share of the target window gone by, 0 to 1.
    pub elapsed: f64,
    /// entered / elapsed: where the count is heading; none without a target.
    pub pace: Option<f64>,
    /// Whether the pace reaches the target.
    pub on_pace: Option<bool>,
}

/// The acceptance rate of the period's handoffs against `[marketing] acceptance_target`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcceptanceTarget {
    #[serde(flatten)]
    pub rate: Rate,
    pub target: Option<f64>,
    pub met: Option<bool>,
}

/// Lead quality by source and by campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityReport {
    pub source: Vec<Quality>,
    pub campaign: Vec<Quality>,
}

/// The top and bottom three reps and campaigns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rankings {
    /// By conversion of their handoffs to sql, then opportunity, then customer.
    pub reps: Ranking<RepConversion>,
    /// By leads that entered sql, then opportunity, then customer in the period.
    pub campaigns: Ranking<CampaignReach>,
}

fn target_period(setting: TargetPeriodSetting) -> TargetPeriod {
    match setting {
        TargetPeriodSetting::Week => TargetPeriod::Week,
        TargetPeriodSetting::Month => TargetPeriod::Month,
        TargetPeriodSetting::Quarter => TargetPeriod::Quarter,
    }
}

/// A group key for display: `None` and the empty text are "(none)".
fn key_of(key: Option<&str>) -> &str {
    key.filter(|k| !k.is_empty()).unwrap_or(NONE)
}

/// Sums entry counts per stage.
fn stages_of<'a>(counts: impl IntoIterator<Item = &'a EntryCount>) -> Vec<StageRow> {
    let mut sums: HashMap<Stage, (u64, u64)> = HashMap::new();
    for c in counts {
        let sum = sums.entry(c.stage).or_default();
        sum.0 += c.entered;
        sum.1 += c.converted;
    }
    funnel_rows(|stage| sums.get(&stage).copied().unwrap_or_default())
}

/// Builds the funnel report for `period` (optionally split `by` a dimension) at `now`.
pub async fn funnel(
    db: &Db,
    config: &Config,
    period: Period,
    by: Option<Dimension>,
    now: DateTime<Utc>,
) -> anyhow::Result<FunnelReport> {
    let tz = config.reporting_tz;
    let window = period.resolve(now, tz);
    let marketing = &config.settings.marketing;
    let pool = &db.pool;
    let by_source = async {
        match by {
            Some(Dimension::Source) => {
                reports::entries(pool, LeadKey::Source, window, now, None).await
            }
            _ => Ok(Vec::new()),
        }
    };
    let (entries, by_source, mql, facts) = tokio::try_join!(
        reports::entries(pool, LeadKey::Campaign, window, now, None),
        by_source,
        mql_target(db, config, now),
        handoff_facts(pool, window, now, HandoffFilter::default()),
    )
    .context("cannot build the funnel report")?;
    let all: Vec<&HandoffFacts> = facts.iter().collect();

    let mut outcomes = Outcomes::of(all.iter().copied());
    outcomes.duplicates = Some(crate::store::duplicates::count(pool, window).await?);
    let acceptance = outcomes.acceptance();
    let target = Target {
        mql,
        acceptance: AcceptanceTarget {
            rate: acceptance,
            target: marketing.acceptance_target,
            met: marketing
                .acceptance_target
                .zip(acceptance.rate)
                .map(|(t, r)| r >= t),
        },
    };

    let mut campaigns: BTreeMap<&str, CampaignReach> = BTreeMap::new();
    for c in &entries {
        let Some(name) = c.key.as_deref() else {
            continue;
        };
        let reach = campaigns.entry(name).or_insert_with(|| CampaignReach {
            campaign: name.to_string(),
            sql: 0,
            opportunity: 0,
            customer: 0,
        });
        match c.stage {
            Stage::Sql => reach.sql += c.entered,
            Stage::Opportunity => reach.opportunity += c.entered,
            Stage::Customer => reach.customer += c.entered,
            _ => {}
        }
    }

    let groups = by.map(|dimension| {
        let entries = match dimension {
            Dimension::Campaign => entries.as_slice(),
            Dimension::Source => by_source.as_slice(),
            Dimension::Rep | Dimension::Team => &[],
        };
        groups(dimension, entries, &all)
    });

    Ok(FunnelReport {
        period: PeriodInfo::new(period.to_string(), window, tz),
        stages: stages_of(&entries),
        handoffs: outcomes,
        speed: Speeds::of(&all),
        by: by.map(Dimension::as_str),
        groups,
        target,
        quality: QualityReport {
            source: quality_by(&all, |h| h.source.as_deref()),
            campaign: quality_by(&all, |h| h.campaign.as_deref()),
        },
        ranking: Rankings {
            reps: rank_reps(&all),
            campaigns: rank_campaigns(campaigns.into_values().collect()),
        },
    })
}

/// MQLs of the target period (`[marketing] mql_target_period`) that `as_of` falls in,
/// counted up to `as_of`, against the target. The funnel asks at its `now`; the digest at
/// the end of its week, so a week's digest is the same whenever it is built.
pub async fn mql_target(
    db: &Db,
    config: &Config,
    as_of: DateTime<Utc>,
) -> anyhow::Result<MqlTarget> {
    let tz = config.reporting_tz;
    let marketing = &config.settings.marketing;
    let kind = target_period(marketing.mql_target_period);
    // The instant just before `as_of`: a window ending at `as_of` is the current one.
    let window = current_target_window(kind, as_of - chrono::Duration::milliseconds(1), tz);
    let counted = Window {
        from: window.from,
        to: window.to.min(as_of),
    };
    let entries = reports::entries(
        &db.pool,
        LeadKey::Campaign,
        counted,
        as_of,
        Some(Stage::Mql),
    )
    .await?;
    let entered: u64 = entries.iter().map(|c| c.entered).sum();
    let elapsed = elapsed_share(window, as_of);
    let mql_pace = marketing.mql_target.and_then(|_| pace(entered, elapsed));
    Ok(MqlTarget {
        period: kind.as_str(),
        from: local_rfc3339(window.from, tz),
        to: local_rfc3339(window.to, tz),
        entered,
        target: marketing.mql_target,
        elapsed,
        pace: mql_pace,
        on_pace: marketing
            .mql_target
            .zip(mql_pace)
            .map(|(t, p)| p >= f64::from(t)),
    })
}

/// The groups of a funnel `by` a dimension: every key with handoffs or (for sources and
/// campaigns) stage entries in the period, most handoffs first.
fn groups(dimension: Dimension, entries: &[EntryCount], handoffs: &[&HandoffFacts]) -> Vec<Group> {
    let key = |h: &HandoffFacts| -> Option<String> {
        match dimension {
            Dimension::Source => h.source.clone(),
            Dimension::Campaign => h.campaign.clone(),
            Dimension::Rep => h.assignee.clone(),
            Dimension::Team => h.team.clone(),
        }
    };
    let mut by_key: BTreeMap<String, Vec<&HandoffFacts>> = BTreeMap::new();
    for h in handoffs {
        by_key
            .entry(key_of(key(h).as_deref()).to_string())
            .or_default()
            .push(h);
    }
    // By rep, a clock is its holder's (SPEC §7, "Whose clock it is"): someone who held
    // clocks of handoffs now assigned to others has a group for those clocks.
    let by_holder = dimension == Dimension::Rep;
    if by_holder {
        for person in handoffs.iter().flat_map(|h| h.people()) {
            by_key.entry(person.to_string()).or_default();
        }
    }
    // Leads have a source and a campaign, but belong to a rep or team only through
    // their handoffs: stage entries are grouped by the first two only.
    let with_stages = matches!(dimension, Dimension::Source | Dimension::Campaign);
    let mut entries_by_key: BTreeMap<String, Vec<&EntryCount>> = BTreeMap::new();
    for c in entries {
        entries_by_key
            .entry(key_of(c.key.as_deref()).to_string())
            .or_default()
            .push(c);
    }
    let keys: BTreeSet<&String> = by_key.keys().chain(entries_by_key.keys()).collect();
    let mut groups: Vec<Group> = keys
        .into_iter()
        .map(|k| {
            let hs: &[&HandoffFacts] = by_key.get(k).map(Vec::as_slice).unwrap_or_default();
            let outcomes = Outcomes::of(hs.iter().copied());
            Group {
                key: k.clone(),
                stages: with_stages
                    .then(|| stages_of(entries_by_key.get(k).into_iter().flatten().copied())),
                acceptance: outcomes.acceptance(),
                handoffs: outcomes,
                rating: mean_rating(hs.iter().copied()),
                converted: Conversions::of(hs.iter().copied()),
                speed: if by_holder {
                    Speeds::held_by(handoffs, k)
                } else {
                    Speeds::of(hs)
                },
            }
        })
        .collect();
    let first_entered = |g: &Group| {
        g.stages
            .as_ref()
            .map(|s| s.iter().map(|r| r.entered).sum::<u64>())
            .unwrap_or_default()
    };
    groups.sort_by(|a, b| {
        b.handoffs
            .opened
            .cmp(&a.handoffs.opened)
            .then_with(|| first_entered(b).cmp(&first_entered(a)))
            .then_with(|| a.key.cmp(&b.key))
    });
    groups
}

/// A funnel as a chart: one centred bar per stage that had entries (empty stages are
/// folded away), its count, and the share that went further.
pub fn funnel_chart(
    file_name: String,
    title: String,
    subtitle: String,
    stages: &[StageRow],
) -> Chart {
    Chart {
        file_name,
        title,
        subtitle,
        plot: funnel_plot(stages),
        ..Chart::default()
    }
}

/// The funnel's plot: the stages with entries, each with its conversion.
pub fn funnel_plot(stages: &[StageRow]) -> Plot {
    Plot::Funnel {
        steps: stages
            .iter()
            .filter(|s| s.entered > 0)
            .map(|s| FunnelStep {
                label: s.stage.to_string(),
                count: s.entered,
                conversion_bp: s.conversion.map(|c| (c * 10_000.0).round() as u32),
            })
            .collect(),
    }
}

impl FunnelReport {
    /// The report's stages as a chart; split by a dimension, the groups' handoffs,
    /// acceptances and conversions to sql as grouped bars.
    pub fn chart(&self, tz: Tz) -> Chart {
        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            return Chart {
                file_name: format!("funnel-by-{by}.png"),
                title: format!("Funnel by {by}, {}", self.period.name),
                subtitle: format!(
                    "Handoffs, accepted and to SQL: {}",
                    self.period.describe(tz)
                ),
                plot: Plot::Groups {
                    series: vec!["handoffs".into(), "accepted".into(), "to SQL".into()],
                    groups: groups
                        .iter()
                        .map(|g| GroupBars {
                            label: g.key.clone(),
                            values: vec![
                                g.handoffs.opened,
                                g.handoffs.accepted,
                                g.converted.sql.count,
                            ],
                        })
                        .collect(),
                },
                ..Chart::default()
            };
        }
        funnel_chart(
            "funnel.png".into(),
            format!("Funnel, {}", self.period.name),
            format!(
                "Leads that entered each stage: {}",
                self.period.describe(tz)
            ),
            &self.stages,
        )
    }
}

/// The funnel report as text for chat.
pub async fn funnel_text(
    db: &Db,
    config: &Config,
    period: Period,
    by: Option<Dimension>,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    Ok(funnel(db, config, period, by, now)
        .await?
        .render_text(config.reporting_tz))
}

/// The funnel report as pretty-printed JSON.
pub async fn funnel_json(
    db: &Db,
    config: &Config,
    period: Period,
    by: Option<Dimension>,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let report = funnel(db, config, period, by, now).await?;
    serde_json::to_string_pretty(&report).context("cannot write the funnel report as JSON")
}

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

/// The configured team called `team` (case-insensitive), or the reply for someone who
/// asked for a team that does not exist.
pub fn check_team(config: &Config, team: &str) -> Result<String, String> {
    let teams = &config.directory.teams;
    teams
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(team.trim()))
        .map(|t| t.name.clone())
        .ok_or_else(|| {
            let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
            if names.is_empty() {
                format!("there is no team \"{team}\": no teams are configured")
            } else {
                format!(
                    "there is no team \"{team}\": use one of {} (or no team for all)",
                    names.join(", ")
                )
            }
        })
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
        .map(|t| check_team(config, t).map_err(anyhow::Error::msg))
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

    // Teams: the one asked for, else every configured team, then any others in the data.
    let mut team_names: Vec<String> = match &team {
        Some(t) => vec![t.clone()],
        None if only_rep.is_some() => Vec::new(),
        None => config
            .directory
            .teams
            .iter()
            .map(|t| t.name.clone())
            .collect(),
    };
    let grouped = group_by(&all, |h| h.team.as_deref());
    for (name, _) in &grouped {
        if !team_names.contains(name) {
            team_names.push(name.clone());
        }
    }
    let teams = team_names
        .into_iter()
        .map(|name| {
            let hs: Vec<&HandoffFacts> = grouped
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, hs)| hs.clone())
                .unwrap_or_default();
            // The team's reps, then anyone else who holds or held its handoffs' clocks,
            // most handoffs first; with `only_rep`, that rep alone.
            let rep_names: Vec<String> = match &only_rep {
                Some(rep) => vec![rep.clone()],
                None => {
                    let mut names: Vec<String> = config
                        .directory
                        .reps_of(&name)
                        .map(|p| p.email.clone())
                        .collect();
                    let by_rep = group_by(&hs, |h| h.assignee.as_deref());
                    let holders = hs.iter().flat_map(|h| h.people()).map(str::to_string);
                    for rep in by_rep.into_iter().map(|(r, _)| r).chain(holders) {
                        if !names.contains(&rep) {
                            names.push(rep);
                        }
                    }
                    names
                }
            };
            let reps = rep_names
                .into_iter()
                .map(|rep| SlaRep {
                    name: config.directory.person(&rep).map(|p| p.name.clone()),
                    line: SlaLine::new(&hs, Some(&rep)),
                    rep,
                })
                .collect();
            SlaTeam {
                line: SlaLine::new(&hs, only),
                team: name,
                reps,
            }
        })
        .collect();

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

/// The SLA report as text for chat.
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
        .render_text(config))
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

// Rendering as text.

/// A table in a monospace block: the first column left-aligned, the others right-aligned.
pub(crate) struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(head: &[&str]) -> Table {
        Table {
            rows: vec![head.iter().map(|h| h.to_string()).collect()],
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub(crate) fn render(&self, out: &mut String) {
        out.push_str("```\n");
        out.push_str(&self.plain());
        out.push_str("```\n");
    }

    /// The aligned rows without the code fence.
    pub(crate) fn plain(&self) -> String {
        let mut out = String::new();
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                if i == 0 {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str("  ");
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Seconds as "1h 5m"; "–" for none.
pub(crate) fn duration(secs: Option<f64>) -> String {
    match secs {
        Some(s) => humanize(chrono::Duration::milliseconds((s * 1000.0).round() as i64)),
        None => "–".into(),
    }
}

fn opt_rate(rate: Option<Rate>) -> String {
    rate.map_or_else(|| "–".to_string(), |r| r.to_string())
}

pub(crate) fn clock_label(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::Ack => "ack",
        ClockKind::FirstTouch => "first touch",
        ClockKind::Disposition => "decision",
    }
}

fn speed_table(out: &mut String, speed_of: impl Fn(ClockKind) -> Speed) {
    let mut t = Table::new(&[
        "clock",
        "median",
        "p90",
        "median (business)",
        "p90 (business)",
        "compliance",
    ]);
    for kind in ClockKind::ALL {
        let s = speed_of(kind);
        t.row(vec![
            clock_label(kind).into(),
            duration(s.median_s),
            duration(s.p90_s),
            duration(s.median_business_s),
            duration(s.p90_business_s),
            s.compliance_rate().to_string(),
        ]);
    }
    t.render(out);
}

fn quality_table(out: &mut String, what: &str, rows: &[Quality]) {
    if rows.is_empty() {
        let _ = writeln!(out, "Quality by {what}: no handoffs.");
        return;
    }
    let _ = writeln!(out, "Quality by {what}:");
    quality_rows(what, rows).render(out);
    if rows.len() > TEXT_ROWS {
        let _ = writeln!(
            out,
            "… and {} more (see --format json)",
            rows.len() - TEXT_ROWS
        );
    }
}

/// The first rows of a quality list as a table.
pub(crate) fn quality_rows(what: &str, rows: &[Quality]) -> Table {
    let mut t = Table::new(&[what, "handoffs", "acceptance", "rating"]);
    for q in rows.iter().take(TEXT_ROWS) {
        t.row(vec![
            q.key.clone(),
            q.handoffs.to_string(),
            q.acceptance.to_string(),
            q.rating.to_string(),
        ]);
    }
    t
}

/// The top and bottom reps, by conversion of their handoffs; none without handoffs.
pub(crate) fn rep_ranking(reps: &Ranking<RepConversion>) -> Option<Table> {
    if reps.top.is_empty() {
        return None;
    }
    let mut t = Table::new(&["rep", "handoffs", "to sql", "to opportunity", "to customer"]);
    for (label, list) in [("top", &reps.top), ("bottom", &reps.bottom)] {
        if list.is_empty() {
            continue;
        }
        t.row(vec![format!("{label}:")]);
        for r in list {
            t.row(vec![
                format!("  {}", r.rep),
                r.handoffs.to_string(),
                r.converted.sql.to_string(),
                r.converted.opportunity.to_string(),
                r.converted.customer.to_string(),
            ]);
        }
    }
    Some(t)
}

/// The top and bottom campaigns, by leads that reached each stage; none without any.
pub(crate) fn campaign_ranking(campaigns: &Ranking<CampaignReach>) -> Option<Table> {
    if campaigns.top.is_empty() {
        return None;
    }
    let mut t = Table::new(&["campaign", "sql", "opportunity", "customer"]);
    for (label, list) in [("top", &campaigns.top), ("bottom", &campaigns.bottom)] {
        if list.is_empty() {
            continue;
        }
        t.row(vec![format!("{label}:")]);
        for c in list {
            t.row(vec![
                format!("  {}", c.campaign),
                c.sql.to_string(),
                c.opportunity.to_string(),
                c.customer.to_string(),
            ]);
        }
    }
    Some(t)
}

impl FunnelReport {
    /// The report as chat text.
    pub fn render_text(&self, tz: Tz) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Funnel for {}", self.period.describe(tz));
        let mut t = Table::new(&["stage", "entered", "went further"]);
        for row in &self.stages {
            t.row(vec![
                row.stage.to_string(),
                row.entered.to_string(),
                opt_rate(row.conversion_rate()),
            ]);
        }
        t.render(&mut out);

        let h = &self.handoffs;
        let _ = writeln!(
            out,
            "Handoffs opened: {} ({} accepted, {} rejected, {} still open).",
            h.opened, h.accepted, h.rejected, h.open
        );
        if let Some(n) = h.duplicates.filter(|n| *n > 0) {
            let _ = writeln!(
                out,
                "Duplicates: {n} more MQLs for people who already had an open handoff, attached to it."
            );
        }
        let a = &self.target.acceptance;
        let _ = write!(out, "Acceptance: {}", a.rate);
        match (a.target, a.met) {
            (Some(target), Some(met)) => {
                let _ = writeln!(
                    out,
                    ", target {}: {}.",
                    percent(target),
                    if met { "met" } else { "below target" }
                );
            }
            (Some(target), None) => {
                let _ = writeln!(out, ", target {}.", percent(target));
            }
            _ => out.push_str(".\n"),
        }
        if !h.reject_reasons.is_empty() {
            let mut reasons: Vec<(&String, &u64)> = h.reject_reasons.iter().collect();
            reasons.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{r} {n}")).collect();
            let _ = writeln!(out, "Rejected for: {}.", list.join(", "));
        }

        let _ = writeln!(out, "Speed from MQL:");
        speed_table(&mut out, |k| *self.speed.get(k));

        let m = &self.target.mql;
        let _ = write!(
            out,
            "MQLs this {} ({} of it gone): {}",
            m.period,
            percent(m.elapsed),
            m.entered
        );
        match (m.target, m.pace) {
            (Some(target), Some(pace)) => {
                let _ = writeln!(
                    out,
                    " of {target}, pace {pace:.0}: {}.",
                    if pace >= f64::from(target) {
                        "on track"
                    } else {
                        "behind"
                    }
                );
            }
            (Some(target), None) => {
                let _ = writeln!(out, " of {target}.");
            }
            _ => out.push_str(" (no target set).\n"),
        }

        quality_table(&mut out, "source", &self.quality.source);
        quality_table(&mut out, "campaign", &self.quality.campaign);
        self.render_rankings(&mut out);
        if let (Some(by), Some(groups)) = (self.by, &self.groups) {
            render_groups(&mut out, by, groups);
        }
        out
    }

    fn render_rankings(&self, out: &mut String) {
        if let Some(t) = rep_ranking(&self.ranking.reps) {
            let _ = writeln!(out, "Reps by conversion of their handoffs:");
            t.render(out);
        }
        if let Some(t) = campaign_ranking(&self.ranking.campaigns) {
            let _ = writeln!(out, "Campaigns by leads that reached each stage:");
            t.render(out);
        }
    }
}

fn render_groups(out: &mut String, by: &str, groups: &[Group]) {
    if groups.is_empty() {
        let _ = writeln!(out, "By {by}: nothing in this period.");
        return;
    }
    let _ = writeln!(out, "By {by}:");
    let with_stages = groups.iter().any(|g| g.stages.is_some());
    let mut head: Vec<&str> = vec![by];
    if with_stages {
        head.extend(["visitor", "lead", "mql", "sql", "opp", "customer", "evang"]);
    }
    head.extend(["handoffs", "acceptance", "to sql", "ack", "rating"]);
    let mut t = Table::new(&head);
    for g in groups {
        let mut row = vec![g.key.clone()];
        if let Some(stages) = &g.stages {
            row.extend(stages.iter().map(|s| s.entered.to_string()));
        } else if with_stages {
            row.extend(std::iter::repeat_n(String::new(), 7));
        }
        row.extend([
            g.handoffs.opened.to_string(),
            g.acceptance.to_string(),
            g.converted.sql.to_string(),
            g.speed.ack.compliance_rate().to_string(),
            g.rating.to_string(),
        ]);
        t.row(row);
    }
    t.render(out);
}

impl SlaReport {
    /// The report as chat text.
    pub fn render_text(&self, config: &Config) -> String {
        let tz = config.reporting_tz;
        let mut out = String::new();
        let _ = write!(out, "SLA for {}", self.period.describe(tz));
        if let Some(team) = &self.team {
            let _ = write!(out, ", team {team}");
        }
        if let Some(rep) = &self.rep {
            let _ = write!(out, ", {rep} only");
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{} handoffs, {} breaches.",
            self.overall.handoffs, self.overall.breaches
        );
        let _ = writeln!(
            out,
            "A clock counts for whoever held the lead when it was met or ran out."
        );
        speed_table(&mut out, |k| *self.overall.clock(k));
        for team in &self.teams {
            let _ = writeln!(
                out,
                "Team {}: {} handoffs, {} breaches.",
                team.team, team.line.handoffs, team.line.breaches
            );
            let mut t = Table::new(&[
                "rep",
                "handoffs",
                "ack",
                "first touch",
                "decision",
                "median ack",
                "breaches",
            ]);
            for rep in &team.reps {
                let l = &rep.line;
                t.row(vec![
                    rep.name.clone().unwrap_or_else(|| rep.rep.clone()),
                    l.handoffs.to_string(),
                    l.ack.compliance_rate().to_string(),
                    l.first_touch.compliance_rate().to_string(),
                    l.disposition.compliance_rate().to_string(),
                    duration(l.ack.median_s),
                    l.breaches.to_string(),
                ]);
            }
            t.row(vec![
                "team".into(),
                team.line.handoffs.to_string(),
                team.line.ack.compliance_rate().to_string(),
                team.line.first_touch.compliance_rate().to_string(),
                team.line.disposition.compliance_rate().to_string(),
                duration(team.line.ack.median_s),
                team.line.breaches.to_string(),
            ]);
            t.render(&mut out);
        }
        if !self.breaches.latest.is_empty() {
            let _ = writeln!(out, "Latest breaches:");
            for b in &self.breaches.latest {
                let who: String = match b.rep.as_deref() {
                    Some(r) => config
                        .directory
                        .person(r)
                        .map_or_else(|| r.to_string(), |p| p.name.clone()),
                    None => "nobody".into(),
                };
                let clock: String = match b.clock.parse::<ClockKind>() {
                    Ok(kind) => clock_label(kind).into(),
                    Err(_) => b.clock.clone(),
                };
                let late = if b.stopped_at.is_some() {
                    format!("{} late", duration(b.late_s))
                } else {
                    format!("overdue by {}", duration(b.late_s))
                };
                let _ = writeln!(
                    out,
                    "• lead #{} {}: {clock}, {who}, {late}",
                    b.lead_id,
                    b.lead.as_deref().unwrap_or("")
                );
            }
        }
        out
    }
}
