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

use crate::command::grammar::Dimension;
use crate::config::{Config, TargetPeriodSetting};
use crate::domain::period::{Period, TargetPeriod, Window, current_target_window};
use crate::domain::report::{
    CampaignReach, Conversions, HandoffFacts, Mean, NONE, Outcomes, Quality, Ranking, Rate,
    RepConversion, Speed, Speeds, StageRow, elapsed_share, funnel as funnel_rows, group_by,
    mean_rating, pace, quality_by, rank_campaigns, rank_reps,
};
use crate::domain::sla::ClockKind;
use crate::domain::stage::Stage;
use crate::i18n::{self, Arg, Locale, t, tr};
use crate::message::{Chart, FunnelStep, GroupBars, Plot};
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

    /// The period as a person reads it in `l`: its name, local start and end (ISO dates,
    /// which every language reads), and the zone.
    pub(crate) fn describe_in(&self, tz: Tz, l: Locale) -> String {
        let local = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|_| text.to_string())
        };
        tr(
            l,
            "period-describe",
            &[
                ("name", (&self.name).into()),
                ("from", local(&self.from).into()),
                ("to", local(&self.to).into()),
                ("zone", (&self.timezone).into()),
            ],
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

/// The funnel report as text in `[reporting] locale`.
pub async fn funnel_text(
    db: &Db,
    config: &Config,
    period: Period,
    by: Option<Dimension>,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    Ok(funnel(db, config, period, by, now)
        .await?
        .render_text_in(config.reporting_tz, config.reporting_locale))
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
pub fn check_team(config: &Config, team: &str) -> Result<String, crate::i18n::Text> {
    let teams = &config.directory.teams;
    teams
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(team.trim()))
        .map(|t| t.name.clone())
        .ok_or_else(|| {
            let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
            let text = if names.is_empty() {
                crate::i18n::Text::new("team-unknown-none")
            } else {
                crate::i18n::Text::new("team-unknown").arg("teams", names.join(", "))
            };
            text.arg("team", team)
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

    /// A table whose head is the messages `ids` in `l`.
    pub(crate) fn head(l: Locale, ids: &[&str]) -> Table {
        Table {
            rows: vec![ids.iter().map(|id| t(l, id)).collect()],
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

/// Seconds as "1h 5m" (en), "1 h 5 min" (pt-BR); "–" for none.
pub(crate) fn duration(l: Locale, secs: Option<f64>) -> String {
    match secs {
        Some(s) => i18n::span(
            l,
            chrono::Duration::milliseconds((s * 1000.0).round() as i64),
        ),
        None => "–".into(),
    }
}

fn opt_rate(l: Locale, rate: Option<Rate>) -> String {
    rate.map_or_else(|| "–".to_string(), |r| i18n::rate(l, &r))
}

/// A whole number in `l`'s writing ("12,400", "12.400").
pub(crate) fn num(l: Locale, n: u64) -> String {
    i18n::number(l, n)
}

/// A count with its noun, plural by CLDR's rules: "1 handoff", "2 handoffs".
pub(crate) fn count(l: Locale, id: &str, n: u64) -> String {
    tr(
        l,
        id,
        &[("count", (n as i64).into()), ("n", num(l, n).into())],
    )
}

/// The clock's name: "ack", "first touch", "decision" and their translations.
pub(crate) fn clock_name(l: Locale, kind: ClockKind) -> String {
    t(
        l,
        match kind {
            ClockKind::Ack => "report-clock-ack",
            ClockKind::FirstTouch => "report-clock-first-touch",
            ClockKind::Disposition => "report-clock-decision",
        },
    )
}

/// A stage's name for people: "mql" (en), "MQL", "oportunidade" (pt-BR).
pub(crate) fn stage_name(l: Locale, stage: Stage) -> String {
    t(l, &format!("stage-{}", stage.as_str()))
}

/// A group's key for people: "(none)" in `l` for leads without one.
pub(crate) fn key_name(l: Locale, key: &str) -> String {
    if key == NONE {
        t(l, "key-none")
    } else {
        key.to_string()
    }
}

/// A dimension's name: "source", "campaign", "rep", "team" and their translations.
pub(crate) fn dimension_name(l: Locale, by: &str) -> String {
    t(l, &format!("dimension-{by}"))
}

/// The reject reasons with their counts, most first: "no_budget 2, not_a_fit 1". Reason
/// codes stay as typed in commands.
pub(crate) fn reasons_list(l: Locale, reasons: &BTreeMap<String, u64>) -> String {
    let mut reasons: Vec<(&String, &u64)> = reasons.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let list: Vec<String> = reasons
        .iter()
        .map(|(r, n)| format!("{r} {}", num(l, **n)))
        .collect();
    list.join(", ")
}

/// "Acceptance: 63% (n=40), target 60%: met." and the forms without a target; the
/// messages are `{prefix}-met`, `-below`, `-target` and `-plain`.
pub(crate) fn acceptance_line(l: Locale, a: &AcceptanceTarget, prefix: &str) -> String {
    let rate = i18n::rate(l, &a.rate);
    match (a.target, a.met) {
        (Some(target), Some(met)) => tr(
            l,
            &format!("{prefix}-{}", if met { "met" } else { "below" }),
            &[
                ("rate", rate.into()),
                ("target", i18n::percent(l, target).into()),
            ],
        ),
        (Some(target), None) => tr(
            l,
            &format!("{prefix}-target"),
            &[
                ("rate", rate.into()),
                ("target", i18n::percent(l, target).into()),
            ],
        ),
        _ => tr(l, &format!("{prefix}-plain"), &[("rate", rate.into())]),
    }
}

/// "MQLs this month (40% of it gone): 12 of 30, pace 30: on track." and the forms without
/// a target; the messages are `{id_prefix}-on-track`, `-behind`, `-target` and `-none`.
pub(crate) fn mql_line(l: Locale, m: &MqlTarget, id_prefix: &str) -> String {
    let mut args = vec![
        ("period", Arg::Text(m.period)),
        ("elapsed", i18n::percent(l, m.elapsed).into()),
        ("entered", num(l, m.entered).into()),
    ];
    let id = match (m.target, m.pace) {
        (Some(target), Some(pace)) => {
            args.push(("target", num(l, u64::from(target)).into()));
            args.push(("pace", i18n::decimal(l, &format!("{pace:.0}")).into()));
            if pace >= f64::from(target) {
                "on-track"
            } else {
                "behind"
            }
        }
        (Some(target), None) => {
            args.push(("target", num(l, u64::from(target)).into()));
            "target"
        }
        _ => "none",
    };
    tr(l, &format!("{id_prefix}-{id}"), &args)
}

fn speed_table(l: Locale, out: &mut String, speed_of: impl Fn(ClockKind) -> Speed) {
    let mut t = Table::head(
        l,
        &[
            "col-clock",
            "col-median",
            "col-p90",
            "col-median-business",
            "col-p90-business",
            "col-compliance",
        ],
    );
    for kind in ClockKind::ALL {
        let s = speed_of(kind);
        t.row(vec![
            clock_name(l, kind),
            duration(l, s.median_s),
            duration(l, s.p90_s),
            duration(l, s.median_business_s),
            duration(l, s.p90_business_s),
            i18n::rate(l, &s.compliance_rate()),
        ]);
    }
    t.render(out);
}

fn quality_table(l: Locale, out: &mut String, what: &str, rows: &[Quality]) {
    let what = dimension_name(l, what);
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            tr(l, "quality-none", &[("what", (&what).into())])
        );
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        tr(l, "quality-head", &[("what", (&what).into())])
    );
    quality_rows(l, &what, rows).render(out);
    if rows.len() > TEXT_ROWS {
        let _ = writeln!(out, "{}", more_json(l, (rows.len() - TEXT_ROWS) as u64));
    }
}

fn more_json(l: Locale, n: u64) -> String {
    tr(
        l,
        "more-json",
        &[("count", (n as i64).into()), ("n", num(l, n).into())],
    )
}

/// "… and N more" under a list cut short.
pub(crate) fn more(l: Locale, n: u64) -> String {
    tr(
        l,
        "more-rows",
        &[("count", (n as i64).into()), ("n", num(l, n).into())],
    )
}

/// The first rows of a quality list as a table; `what` is the dimension's name in `l`.
pub(crate) fn quality_rows(l: Locale, what: &str, rows: &[Quality]) -> Table {
    let mut t = Table::new(&[
        what,
        &t(l, "col-handoffs"),
        &t(l, "col-acceptance"),
        &t(l, "col-rating"),
    ]);
    for q in rows.iter().take(TEXT_ROWS) {
        t.row(vec![
            key_name(l, &q.key),
            num(l, q.handoffs),
            i18n::rate(l, &q.acceptance),
            i18n::mean(l, &q.rating),
        ]);
    }
    t
}

/// The top and bottom reps, by conversion of their handoffs; none without handoffs.
/// A row that is all zero says nothing and is left out.
pub(crate) fn rep_ranking(l: Locale, reps: &Ranking<RepConversion>) -> Option<Table> {
    let shown = |list: &[RepConversion]| -> Vec<RepConversion> {
        list.iter()
            .filter(|r| {
                r.handoffs > 0
                    || r.converted.sql.count > 0
                    || r.converted.opportunity.count > 0
                    || r.converted.customer.count > 0
            })
            .cloned()
            .collect()
    };
    let (top, bottom) = (shown(&reps.top), shown(&reps.bottom));
    if top.is_empty() && bottom.is_empty() {
        return None;
    }
    let mut table = Table::head(
        l,
        &[
            "col-rep",
            "col-handoffs",
            "col-to-sql",
            "col-to-opportunity",
            "col-to-customer",
        ],
    );
    for (label, list) in [("rank-top", &top), ("rank-bottom", &bottom)] {
        if list.is_empty() {
            continue;
        }
        table.row(vec![t(l, label)]);
        for r in list {
            table.row(vec![
                format!("  {}", key_name(l, &r.rep)),
                num(l, r.handoffs),
                i18n::rate(l, &r.converted.sql),
                i18n::rate(l, &r.converted.opportunity),
                i18n::rate(l, &r.converted.customer),
            ]);
        }
    }
    Some(table)
}

/// The top and bottom campaigns, by leads that reached each stage; none without any.
/// A campaign none of whose leads reached sql, opportunity or customer is left out.
pub(crate) fn campaign_ranking(l: Locale, campaigns: &Ranking<CampaignReach>) -> Option<Table> {
    let shown = |list: &[CampaignReach]| -> Vec<CampaignReach> {
        list.iter()
            .filter(|c| c.sql + c.opportunity + c.customer > 0)
            .cloned()
            .collect()
    };
    let (top, bottom) = (shown(&campaigns.top), shown(&campaigns.bottom));
    if top.is_empty() && bottom.is_empty() {
        return None;
    }
    let mut table = Table::new(&[
        &t(l, "col-campaign"),
        &stage_name(l, Stage::Sql),
        &stage_name(l, Stage::Opportunity),
        &stage_name(l, Stage::Customer),
    ]);
    for (label, list) in [("rank-top", &top), ("rank-bottom", &bottom)] {
        if list.is_empty() {
            continue;
        }
        table.row(vec![t(l, label)]);
        for c in list {
            table.row(vec![
                format!("  {}", c.campaign),
                num(l, c.sql),
                num(l, c.opportunity),
                num(l, c.customer),
            ]);
        }
    }
    Some(table)
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
        let _ = writeln!(
            out,
            "{}",
            tr(
                l,
                "funnel-handoffs",
                &[
                    ("opened", num(l, h.opened).into()),
                    ("accepted", num(l, h.accepted).into()),
                    ("rejected", num(l, h.rejected).into()),
                    ("open", num(l, h.open).into()),
                ]
            )
        );
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
        let _ = writeln!(
            out,
            "{}",
            tr(
                l,
                "sla-summary",
                &[
                    (
                        "handoffs",
                        count(l, "count-handoffs", self.overall.handoffs).into()
                    ),
                    (
                        "breaches",
                        count(l, "count-breaches", self.overall.breaches).into()
                    ),
                ]
            )
        );
        let _ = writeln!(out, "{}", t(l, "sla-whose-clock"));
        speed_table(l, &mut out, |k| *self.overall.clock(k));
        for team in &self.teams {
            let _ = writeln!(
                out,
                "{}",
                tr(
                    l,
                    "sla-team",
                    &[
                        ("team", (&team.team).into()),
                        (
                            "handoffs",
                            count(l, "count-handoffs", team.line.handoffs).into()
                        ),
                        (
                            "breaches",
                            count(l, "count-breaches", team.line.breaches).into()
                        ),
                    ]
                )
            );
            let mut table = Table::head(
                l,
                &[
                    "col-rep",
                    "col-handoffs",
                    "report-clock-ack",
                    "report-clock-first-touch",
                    "report-clock-decision",
                    "col-median-ack",
                    "col-breaches",
                ],
            );
            let line = |name: String, line: &SlaLine| {
                vec![
                    name,
                    num(l, line.handoffs),
                    i18n::rate(l, &line.ack.compliance_rate()),
                    i18n::rate(l, &line.first_touch.compliance_rate()),
                    i18n::rate(l, &line.disposition.compliance_rate()),
                    duration(l, line.ack.median_s),
                    num(l, line.breaches),
                ]
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
                let who: String = match b.rep.as_deref() {
                    Some(r) => config
                        .directory
                        .person(r)
                        .map_or_else(|| r.to_string(), |p| p.name.clone()),
                    None => t(l, "nobody"),
                };
                let clock: String = match b.clock.parse::<ClockKind>() {
                    Ok(kind) => clock_name(l, kind),
                    Err(_) => b.clock.clone(),
                };
                let span = duration(l, b.late_s);
                let late = if b.stopped_at.is_some() {
                    tr(l, "breach-late", &[("span", span.into())])
                } else {
                    tr(l, "breach-overdue", &[("span", span.into())])
                };
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
