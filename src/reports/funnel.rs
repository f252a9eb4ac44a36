//! The `/funnel` report (SPEC §7): its JSON types and how it is assembled from the store
//! for a period at a given `now`; how it is shown is in `funnel_view`.
//!
//! The JSON top level is fixed by the SPEC: `period`, `stages`, `handoffs`, `speed`,
//! `groups` (only with `by`) and `target`; it adds `by`, `quality` and `ranking`. The
//! independent queries of a report run concurrently on separate pooled connections; what
//! is done with their rows ([`stages_of`], [`campaign_reach`], [`groups`], the targets)
//! is pure.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Context;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::{PeriodInfo, key_of, local_rfc3339};
use crate::command::grammar::Dimension;
use crate::config::Config;
use crate::domain::period::{Period, TargetPeriod, Window, current_target_window};
use crate::domain::report::{
    CampaignReach, Conversions, HandoffFacts, Mean, Outcomes, Quality, Ranking, Rate,
    RepConversion, Speeds, StageRow, elapsed_share, funnel as funnel_rows, mean_rating, pace,
    quality_by, rank_campaigns, rank_reps,
};
use crate::domain::stage::Stage;
use crate::store::Db;
use crate::store::reports::{self, EntryCount, HandoffFilter, LeadKey, handoff_facts};

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
    let target = Target {
        mql,
        acceptance: AcceptanceTarget::new(outcomes.acceptance(), marketing.acceptance_target),
    };

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
            campaigns: rank_campaigns(campaign_reach(&entries)),
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
    let kind = marketing.mql_target_period;
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
    Ok(MqlTarget::new(
        kind,
        window,
        as_of,
        entered,
        marketing.mql_target,
        tz,
    ))
}

impl MqlTarget {
    /// `entered` MQLs of the target `window` of `kind` as of `as_of`, against `target`:
    /// the share of the window gone by, and (with a target) the pace.
    fn new(
        kind: TargetPeriod,
        window: Window,
        as_of: DateTime<Utc>,
        entered: u64,
        target: Option<u32>,
        tz: Tz,
    ) -> MqlTarget {
        let elapsed = elapsed_share(window, as_of);
        let mql_pace = target.and_then(|_| pace(entered, elapsed));
        MqlTarget {
            period: kind.as_str(),
            from: local_rfc3339(window.from, tz),
            to: local_rfc3339(window.to, tz),
            entered,
            target,
            elapsed,
            pace: mql_pace,
            on_pace: target.zip(mql_pace).map(|(t, p)| p >= f64::from(t)),
        }
    }
}

impl AcceptanceTarget {
    /// The acceptance `rate` against `target` (met when it reaches it; unknown without
    /// a target or without decided handoffs).
    fn new(rate: Rate, target: Option<f64>) -> AcceptanceTarget {
        AcceptanceTarget {
            rate,
            target,
            met: target.zip(rate.rate).map(|(t, r)| r >= t),
        }
    }
}

/// What the campaigns' leads reached in the period: entries into sql, opportunity and
/// customer per campaign, by name; leads without a campaign are not a campaign.
fn campaign_reach(entries: &[EntryCount]) -> Vec<CampaignReach> {
    let mut campaigns: BTreeMap<&str, CampaignReach> = BTreeMap::new();
    for c in entries {
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
    campaigns.into_values().collect()
}

/// The groups of a funnel `by` a dimension: every key with handoffs or (for sources and
/// campaigns) stage entries in the period, most handoffs first.
fn groups<'a>(
    dimension: Dimension,
    entries: &'a [EntryCount],
    handoffs: &[&'a HandoffFacts],
) -> Vec<Group> {
    let key = |h: &'a HandoffFacts| -> &'a str {
        key_of(match dimension {
            Dimension::Source => h.source.as_deref(),
            Dimension::Campaign => h.campaign.as_deref(),
            Dimension::Rep => h.assignee.as_deref(),
            Dimension::Team => h.team.as_deref(),
        })
    };
    // Keyed by borrowed names: no text is copied per handoff.
    let mut by_key: BTreeMap<&str, Vec<&HandoffFacts>> = BTreeMap::new();
    for h in handoffs {
        by_key.entry(key(h)).or_default().push(h);
    }
    // By rep, a clock is its holder's (SPEC §7, "Whose clock it is"): someone who held
    // clocks of handoffs now assigned to others has a group for those clocks.
    let by_holder = dimension == Dimension::Rep;
    if by_holder {
        for person in handoffs.iter().flat_map(|h| h.people()) {
            by_key.entry(person).or_default();
        }
    }
    // Leads have a source and a campaign, but belong to a rep or team only through
    // their handoffs: stage entries are grouped by the first two only.
    let with_stages = matches!(dimension, Dimension::Source | Dimension::Campaign);
    let mut entries_by_key: BTreeMap<&str, Vec<&EntryCount>> = BTreeMap::new();
    for c in entries {
        entries_by_key
            .entry(key_of(c.key.as_deref()))
            .or_default()
            .push(c);
    }
    let keys: BTreeSet<&str> = by_key
        .keys()
        .chain(entries_by_key.keys())
        .copied()
        .collect();
    let mut groups: Vec<Group> = keys
        .into_iter()
        .map(|k| {
            let hs: &[&HandoffFacts] = by_key.get(k).map(Vec::as_slice).unwrap_or_default();
            let outcomes = Outcomes::of(hs.iter().copied());
            Group {
                key: k.to_string(),
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

#[cfg(test)]
mod tests;
