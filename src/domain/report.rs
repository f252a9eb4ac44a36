//! The figures of the reports (SPEC §7), computed from plain facts: nearest-rank medians
//! and p90, SLA compliance, conversion and acceptance rates with their `n`, the pace of a
//! marketing target, and top-and-bottom rankings.
//!
//! The store counts stage entries and lists one [`HandoffFacts`] per handoff; everything
//! here is arithmetic on those. Definitions:
//!
//! - A percentile p of n values is the ⌈p·n/100⌉-th smallest (nearest rank); none of none.
//! - A clock is *met* when its event happened by the deadline, *breached* when the deadline
//!   passed first (also while the event has not happened yet), *running* while neither;
//!   compliance = met / (met + breached), none when nothing is decided. Handoffs without an
//!   SLA policy have no deadlines and count for neither.
//! - Acceptance = accepted / (accepted + rejected): open handoffs are not decided yet.
//! - A handoff converts to `sql`, `opportunity` or `customer` when its lead entered that
//!   stage (or a later one) after the handoff opened and before the lead's next entry into
//!   `mql`, which opens the next handoff and earns what follows.
//! - Whose clock it is: a clock is credited to whoever held the handoff when it was met
//!   (its event), when it ran out (its deadline), or now while it runs ([`HandoffFacts`]
//!   `holders`). A rep's compliance, durations and breaches count the clocks they held;
//!   a rep's handoffs, outcomes and conversions are those they hold now (the last holder,
//!   who decided it). Overall, team, source and campaign figures count each clock once.
//!   After a reassignment with `on_reassign = "fresh"` the new holder's own ack and
//!   first-touch windows ([`HandoffFacts`] `own`) count for them alone, instead of the
//!   handoff's clocks: [`own_window_state`].
//! - A breach is a clock in state *breached*: the breach count of any group is the sum of
//!   `speed.*.breached` of that group.
//! - `evangelist` is the end of the funnel: it has no conversion (none, not 0%).
//! - Pace = count / elapsed share of the target window: the count the window will end with
//!   at the current rate.
//! - Rankings list the best three first, then the worst three (worst first) among the rest,
//!   so no one appears in both; ties go to the larger `n`, then to the name.
//!
//! Pure: no I/O, no clock (`now` is a parameter).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::handoff::Status;
use super::period::Window;
use super::sla::ClockKind;
use super::stage::Stage;

/// The 0-based position of the nearest-rank `percent` percentile among `n` sorted values:
/// the ⌈percent·n/100⌉-th smallest. `None` when `n` is 0.
pub fn nearest_rank(n: usize, percent: u32) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let rank = (n * percent as usize).div_ceil(100).clamp(1, n);
    Some(rank - 1)
}

/// The nearest-rank `percent` percentile of `values` (in any order; reordered in place).
pub fn percentile(values: &mut [f64], percent: u32) -> Option<f64> {
    let k = nearest_rank(values.len(), percent)?;
    let (_, v, _) = values.select_nth_unstable_by(k, f64::total_cmp);
    Some(*v)
}

/// A share with what it is a share of: `count` of `n`, e.g. "62% (n=40)".
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Rate {
    pub count: u64,
    pub n: u64,
    /// `count / n`, none when `n` is 0.
    pub rate: Option<f64>,
}

impl Rate {
    pub fn new(count: u64, n: u64) -> Rate {
        Rate {
            count,
            n,
            rate: (n > 0).then(|| count as f64 / n as f64),
        }
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rate {
            Some(rate) => write!(f, "{} (n={})", percent(rate), self.n),
            None => write!(f, "– (n=0)"),
        }
    }
}

/// A share as a whole percentage, halves rounded up: 0.625 is "63%".
pub fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round())
}

/// A mean with the number of values it is the mean of.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Mean {
    pub mean: Option<f64>,
    pub n: u64,
}

impl Mean {
    fn of(sum: f64, n: u64) -> Mean {
        Mean {
            mean: (n > 0).then(|| sum / n as f64),
            n,
        }
    }
}

impl fmt::Display for Mean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mean {
            Some(mean) => write!(f, "{mean:.1} (n={})", self.n),
            None => write!(f, "– (n=0)"),
        }
    }
}

/// Where one SLA clock of a handoff stands at the report's `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// No SLA policy applied: no deadline.
    NoSla,
    /// The event happened at or before the deadline.
    Met,
    /// The deadline passed before the event, or passed with no event yet.
    Breached,
    /// No event yet and the deadline is still ahead.
    Running,
}

impl ClockState {
    /// The state from the deadline, the event time (if it happened) and `now`.
    pub fn of(
        due: Option<DateTime<Utc>>,
        event: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> ClockState {
        match (due, event) {
            (None, _) => ClockState::NoSla,
            (Some(due), Some(event)) if event <= due => ClockState::Met,
            (Some(_), Some(_)) => ClockState::Breached,
            (Some(due), None) if due < now => ClockState::Breached,
            (Some(_), None) => ClockState::Running,
        }
    }
}

/// One clock of one handoff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockFacts {
    /// Wall seconds from the MQL time to the event; none until it happens.
    pub wall_s: Option<f64>,
    /// The same in business seconds of the SLA's calendar.
    pub business_s: Option<f64>,
    pub state: ClockState,
}

/// The furthest a handoff's lead has gone since the handoff opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reach {
    /// Not (yet) to `sql` or beyond.
    None,
    Sql,
    Opportunity,
    Customer,
}

/// A name that many handoffs share (a person, team, campaign, source or reason): read once
/// per report and shared, so tens of thousands of handoffs do not each copy it.
pub type Name = std::sync::Arc<str>;

/// What the reports need to know about one handoff.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffFacts {
    pub status: Status,
    pub reject_reason: Option<Name>,
    pub rating: Option<u8>,
    pub assignee: Option<Name>,
    pub team: Option<Name>,
    pub campaign: Option<Name>,
    pub source: Option<Name>,
    pub reach: Reach,
    /// Ack, first touch and disposition, in [`ClockKind::ALL`] order.
    pub clocks: [ClockFacts; 3],
    /// Who each clock belongs to, in the same order: whoever held the handoff when the
    /// clock was met or ran out, else (still running) the assignee now.
    pub holders: [Option<Name>; 3],
    /// The holders' own windows (`on_reassign = "fresh"`), which count for them alone.
    pub own: Vec<OwnClock>,
}

/// One holder's own window of one clock, started at their reassignment.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnClock {
    pub holder: String,
    pub clock: ClockKind,
    /// Durations from the reassignment to the event, when it happened while they held it.
    pub facts: ClockFacts,
}

/// Where a holder's own window stands at `now`: met or breached by the clock's event when
/// it happened while they held the handoff (`until` is when they stopped holding it);
/// breached when they lost it after its deadline; neither (`NoSla`) when they lost it
/// before (reassigned or handed back in time); else running until the deadline.
pub fn own_window_state(
    due: DateTime<Utc>,
    event: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ClockState {
    match (event, until) {
        (Some(e), u) if u.is_none_or(|u| e <= u) => {
            if e <= due {
                ClockState::Met
            } else {
                ClockState::Breached
            }
        }
        (_, Some(u)) if due < u => ClockState::Breached,
        (_, Some(_)) => ClockState::NoSla,
        (_, None) if due < now => ClockState::Breached,
        (_, None) => ClockState::Running,
    }
}

impl HandoffFacts {
    pub fn clock(&self, kind: ClockKind) -> &ClockFacts {
        &self.clocks[clock_index(kind)]
    }

    /// Whose clock `kind` is; `None` for nobody.
    pub fn holder(&self, kind: ClockKind) -> Option<&str> {
        self.holders[clock_index(kind)].as_deref()
    }

    /// Every person (or [`NONE`]) who holds one of the clocks or the handoff.
    pub fn people(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.assignee.as_deref())
            .chain(self.holders.iter().map(Option::as_deref))
            .map(|p| p.unwrap_or(NONE))
            .chain(self.own.iter().map(|o| o.holder.as_str()))
    }

    /// The facts of clock `kind` that count for `who`: their own window when they had
    /// one, else the handoff's clock when it is theirs; none otherwise.
    pub fn held_clock(&self, kind: ClockKind, who: &str) -> Option<&ClockFacts> {
        match self.own.iter().find(|o| o.clock == kind && o.holder == who) {
            Some(own) => Some(&own.facts),
            None => (self.holder(kind).unwrap_or(NONE) == who).then(|| self.clock(kind)),
        }
    }
}

fn clock_index(kind: ClockKind) -> usize {
    match kind {
        ClockKind::Ack => 0,
        ClockKind::FirstTouch => 1,
        ClockKind::Disposition => 2,
    }
}

/// How fast one clock stopped, and how often in time.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Speed {
    pub median_s: Option<f64>,
    pub p90_s: Option<f64>,
    pub median_business_s: Option<f64>,
    pub p90_business_s: Option<f64>,
    pub met: u64,
    pub breached: u64,
    /// met / (met + breached); none when no clock is decided.
    pub compliance: Option<f64>,
}

impl Speed {
    /// Compliance as a [`Rate`] of the decided clocks.
    pub fn compliance_rate(&self) -> Rate {
        Rate::new(self.met, self.met + self.breached)
    }
}

/// The speed of one clock over some handoffs.
pub fn speed<'a>(handoffs: impl IntoIterator<Item = &'a HandoffFacts>, kind: ClockKind) -> Speed {
    speed_of(handoffs.into_iter().map(|h| h.clock(kind)))
}

/// The speed of some clocks.
fn speed_of<'a>(clocks: impl IntoIterator<Item = &'a ClockFacts>) -> Speed {
    let mut wall = Vec::new();
    let mut business = Vec::new();
    let (mut met, mut breached) = (0, 0);
    for c in clocks {
        wall.extend(c.wall_s);
        business.extend(c.business_s);
        match c.state {
            ClockState::Met => met += 1,
            ClockState::Breached => breached += 1,
            ClockState::NoSla | ClockState::Running => {}
        }
    }
    Speed {
        median_s: percentile(&mut wall, 50),
        p90_s: percentile(&mut wall, 90),
        median_business_s: percentile(&mut business, 50),
        p90_business_s: percentile(&mut business, 90),
        met,
        breached,
        compliance: Rate::new(met, met + breached).rate,
    }
}

/// The three clocks' speeds, keyed by clock name.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Speeds {
    pub ack: Speed,
    pub first_touch: Speed,
    pub disposition: Speed,
}

impl Speeds {
    pub fn of(handoffs: &[&HandoffFacts]) -> Speeds {
        let one = |kind| speed(handoffs.iter().copied(), kind);
        Speeds {
            ack: one(ClockKind::Ack),
            first_touch: one(ClockKind::FirstTouch),
            disposition: one(ClockKind::Disposition),
        }
    }

    /// The speeds of the clocks that `who` (an email, or [`NONE`]) held: their own
    /// windows where they had them ([`HandoffFacts::held_clock`]).
    pub fn held_by(handoffs: &[&HandoffFacts], who: &str) -> Speeds {
        let one = |kind| speed_of(handoffs.iter().filter_map(|h| h.held_clock(kind, who)));
        Speeds {
            ack: one(ClockKind::Ack),
            first_touch: one(ClockKind::FirstTouch),
            disposition: one(ClockKind::Disposition),
        }
    }

    /// The breached clocks of all three: the breaches of these handoffs.
    pub fn breached(&self) -> u64 {
        self.ack.breached + self.first_touch.breached + self.disposition.breached
    }

    pub fn get(&self, kind: ClockKind) -> &Speed {
        match kind {
            ClockKind::Ack => &self.ack,
            ClockKind::FirstTouch => &self.first_touch,
            ClockKind::Disposition => &self.disposition,
        }
    }
}

/// What happened to some handoffs.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Outcomes {
    pub opened: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub open: u64,
    /// Rejections per reason, by reason name.
    pub reject_reasons: BTreeMap<String, u64>,
    /// MQLs for a person who already had an open handoff, attached to it instead of
    /// opening another (counted once above); given for the whole report only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<u64>,
}

impl Outcomes {
    pub fn of<'a>(handoffs: impl IntoIterator<Item = &'a HandoffFacts>) -> Outcomes {
        let mut out = Outcomes::default();
        // Counted by borrowed reason first: a name is copied once per reason, not per
        // rejection.
        let mut reasons: BTreeMap<&str, u64> = BTreeMap::new();
        for h in handoffs {
            out.opened += 1;
            match h.status {
                Status::Open => out.open += 1,
                Status::Accepted => out.accepted += 1,
                Status::Rejected => {
                    out.rejected += 1;
                    *reasons
                        .entry(h.reject_reason.as_deref().unwrap_or("other"))
                        .or_default() += 1;
                }
            }
        }
        out.reject_reasons = reasons
            .into_iter()
            .map(|(reason, n)| (reason.to_string(), n))
            .collect();
        out
    }

    /// accepted / (accepted + rejected).
    pub fn acceptance(&self) -> Rate {
        Rate::new(self.accepted, self.accepted + self.rejected)
    }
}

/// The mean rating of the rated handoffs.
pub fn mean_rating<'a>(handoffs: impl IntoIterator<Item = &'a HandoffFacts>) -> Mean {
    let (sum, n) = handoffs
        .into_iter()
        .filter_map(|h| h.rating)
        .fold((0.0, 0), |(sum, n), r| (sum + f64::from(r), n + 1));
    Mean::of(sum, n)
}

/// How many handoffs reached `sql`, `opportunity` and `customer`, of all of them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Conversions {
    pub sql: Rate,
    pub opportunity: Rate,
    pub customer: Rate,
}

impl Conversions {
    pub fn of<'a>(handoffs: impl IntoIterator<Item = &'a HandoffFacts>) -> Conversions {
        let (mut n, mut sql, mut opp, mut cust) = (0, 0, 0, 0);
        for h in handoffs {
            n += 1;
            sql += u64::from(h.reach >= Reach::Sql);
            opp += u64::from(h.reach >= Reach::Opportunity);
            cust += u64::from(h.reach >= Reach::Customer);
        }
        Conversions {
            sql: Rate::new(sql, n),
            opportunity: Rate::new(opp, n),
            customer: Rate::new(cust, n),
        }
    }

    /// The ranking key: sql first, then deeper stages (higher is better).
    fn key(&self) -> [f64; 3] {
        [self.sql, self.opportunity, self.customer].map(|r| r.rate.unwrap_or(-1.0))
    }
}

/// Handoffs grouped by a key (a source, a campaign, a rep, a team); `None` keys are
/// grouped under "(none)". Groups come out by number of handoffs, most first, then by key.
pub fn group_by<'a>(
    handoffs: &[&'a HandoffFacts],
    key: impl Fn(&HandoffFacts) -> Option<&str>,
) -> Vec<(String, Vec<&'a HandoffFacts>)> {
    let mut groups: HashMap<&str, Vec<&'a HandoffFacts>> = HashMap::new();
    for h in handoffs {
        groups.entry(key(h).unwrap_or(NONE)).or_default().push(h);
    }
    let mut groups: Vec<(String, Vec<&HandoffFacts>)> = groups
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    groups
}

/// The key shown for facts without one (no campaign, no assignee...).
pub const NONE: &str = "(none)";

/// Lead quality for one source or campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    pub key: String,
    pub handoffs: u64,
    /// accepted / (accepted + rejected).
    pub acceptance: Rate,
    pub rating: Mean,
}

/// Quality per key, most handoffs first.
pub fn quality_by(
    handoffs: &[&HandoffFacts],
    key: impl Fn(&HandoffFacts) -> Option<&str>,
) -> Vec<Quality> {
    group_by(handoffs, key)
        .into_iter()
        .map(|(key, group)| Quality {
            handoffs: group.len() as u64,
            acceptance: Outcomes::of(group.iter().copied()).acceptance(),
            rating: mean_rating(group.iter().copied()),
            key,
        })
        .collect()
}

/// One rep's handoffs and how far their leads went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepConversion {
    pub rep: String,
    pub handoffs: u64,
    #[serde(flatten)]
    pub converted: Conversions,
}

/// One campaign's leads that entered `sql`, `opportunity` and `customer` in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignReach {
    pub campaign: String,
    pub sql: u64,
    pub opportunity: u64,
    pub customer: u64,
}

/// The best three and the worst three of a ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking<T> {
    /// Best first.
    pub top: Vec<T>,
    /// Worst first; never repeats one of `top`.
    pub bottom: Vec<T>,
}

/// Splits a list sorted best-first into its top three and bottom three.
pub fn top_and_bottom<T: Clone>(best_first: &[T]) -> Ranking<T> {
    let top: Vec<T> = best_first.iter().take(3).cloned().collect();
    let rest = best_first.get(3..).unwrap_or_default();
    let bottom = rest.iter().rev().take(3).cloned().collect();
    Ranking { top, bottom }
}

/// Reps (assignees) by conversion of their handoffs to sql, then opportunity, then
/// customer; ties to more handoffs, then the email.
pub fn rank_reps(handoffs: &[&HandoffFacts]) -> Ranking<RepConversion> {
    let mut reps: Vec<RepConversion> = group_by(handoffs, |h| h.assignee.as_deref())
        .into_iter()
        .filter(|(rep, _)| rep != NONE)
        .map(|(rep, group)| RepConversion {
            rep,
            handoffs: group.len() as u64,
            converted: Conversions::of(group.iter().copied()),
        })
        .collect();
    reps.sort_by(|a, b| {
        let (ka, kb) = (a.converted.key(), b.converted.key());
        kb.iter()
            .zip(ka.iter())
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| b.handoffs.cmp(&a.handoffs))
            .then_with(|| a.rep.cmp(&b.rep))
    });
    top_and_bottom(&reps)
}

/// Campaigns by how many of their leads entered sql, then opportunity, then customer in
/// the period; ties to the name.
pub fn rank_campaigns(mut campaigns: Vec<CampaignReach>) -> Ranking<CampaignReach> {
    campaigns.sort_by(|a, b| {
        (b.sql, b.opportunity, b.customer)
            .cmp(&(a.sql, a.opportunity, a.customer))
            .then_with(|| a.campaign.cmp(&b.campaign))
    });
    top_and_bottom(&campaigns)
}

/// One funnel stage over a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StageRow {
    pub stage: Stage,
    /// Distinct leads that entered the stage in the period.
    pub entered: u64,
    /// Of those, the ones that have since entered a later stage; none for `evangelist`.
    pub converted: Option<u64>,
    /// converted / entered; none for `evangelist` and when nobody entered.
    pub conversion: Option<f64>,
}

impl StageRow {
    pub fn new(stage: Stage, entered: u64, converted: u64) -> StageRow {
        let end = stage == Stage::Evangelist;
        StageRow {
            stage,
            entered,
            converted: (!end).then_some(converted),
            conversion: if end {
                None
            } else {
                Rate::new(converted, entered).rate
            },
        }
    }

    pub fn conversion_rate(&self) -> Option<Rate> {
        self.converted.map(|c| Rate::new(c, self.entered))
    }
}

/// The funnel from `visitor` to `evangelist`, from per-stage (entered, converted) counts.
pub fn funnel(counts: impl Fn(Stage) -> (u64, u64)) -> Vec<StageRow> {
    Stage::FUNNEL
        .into_iter()
        .map(|stage| {
            let (entered, converted) = counts(stage);
            StageRow::new(stage, entered, converted)
        })
        .collect()
}

/// How far along a target window is at `now`, from 0 to 1.
pub fn elapsed_share(window: Window, now: DateTime<Utc>) -> f64 {
    let total = (window.to - window.from).num_milliseconds();
    if total <= 0 {
        return 1.0;
    }
    let gone = (now - window.from).num_milliseconds().clamp(0, total);
    gone as f64 / total as f64
}

/// count / elapsed share: where the count is heading by the end of the window. None
/// when nothing of the window has elapsed.
pub fn pace(count: u64, elapsed: f64) -> Option<f64> {
    (elapsed > 0.0).then(|| count as f64 / elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|e| panic!("bad test time {text}: {e}"))
            .with_timezone(&Utc)
    }

    #[track_caller]
    fn check_percentile(values: &[f64], percent: u32, expect: Option<f64>) {
        let mut v = values.to_vec();
        assert_eq!(
            percentile(&mut v, percent),
            expect,
            "p{percent} of {values:?}"
        );
    }

    #[test]
    fn nearest_rank_is_the_ceiling_of_p_times_n() {
        // (n, percent, 1-based rank) worked out by hand: ⌈p·n/100⌉.
        let cases = [
            (1, 50, 1),
            (1, 90, 1),
            (2, 50, 1),  // ⌈1.0⌉
            (2, 90, 2),  // ⌈1.8⌉
            (3, 50, 2),  // ⌈1.5⌉
            (3, 90, 3),  // ⌈2.7⌉
            (4, 50, 2),  // ⌈2.0⌉
            (4, 90, 4),  // ⌈3.6⌉
            (5, 50, 3),  // ⌈2.5⌉
            (10, 50, 5), // ⌈5.0⌉
            (10, 90, 9), // ⌈9.0⌉, not 10: exact products must not round up
            (11, 90, 10),
            (20, 90, 18),
            (30, 90, 27),
            (100, 90, 90),
            (101, 90, 91), // ⌈90.9⌉
            (7, 0, 1),     // the smallest
            (7, 100, 7),   // the largest
        ];
        for (n, p, rank) in cases {
            assert_eq!(nearest_rank(n, p), Some(rank - 1), "n={n} p={p}");
        }
        assert_eq!(nearest_rank(0, 50), None);
    }

    #[test]
    fn medians_and_p90_on_odd_and_even_counts() {
        // Odd: 5 values; sorted 1 2 3 4 5. Median = 3rd, p90 = ⌈4.5⌉ = 5th.
        check_percentile(&[5.0, 1.0, 4.0, 2.0, 3.0], 50, Some(3.0));
        check_percentile(&[5.0, 1.0, 4.0, 2.0, 3.0], 90, Some(5.0));
        // Even: 4 values; sorted 10 20 30 40. Median = 2nd (no averaging), p90 = ⌈3.6⌉ = 4th.
        check_percentile(&[40.0, 10.0, 30.0, 20.0], 50, Some(20.0));
        check_percentile(&[40.0, 10.0, 30.0, 20.0], 90, Some(40.0));
        // Ten values 1..=10: median = 5th = 5, p90 = 9th = 9.
        let ten: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        check_percentile(&ten, 50, Some(5.0));
        check_percentile(&ten, 90, Some(9.0));
        // Duplicates: 7 7 7 100 → median 2nd = 7, p90 4th = 100.
        check_percentile(&[7.0, 100.0, 7.0, 7.0], 50, Some(7.0));
        check_percentile(&[7.0, 100.0, 7.0, 7.0], 90, Some(100.0));
        check_percentile(&[42.0], 50, Some(42.0));
        check_percentile(&[], 50, None);
    }

    #[test]
    fn clock_states_follow_the_definitions() {
        let due = Some(at("2026-11-17T12:00:00Z"));
        let now = at("2026-11-17T15:00:00Z");
        let cases = [
            (None, Some("2026-11-17T11:00:00Z"), ClockState::NoSla),
            (None, None, ClockState::NoSla),
            (due, Some("2026-11-17T11:59:59Z"), ClockState::Met),
            (due, Some("2026-11-17T12:00:00Z"), ClockState::Met),
            (due, Some("2026-11-17T12:00:01Z"), ClockState::Breached),
            (due, None, ClockState::Breached),
            (Some(at("2026-11-17T16:00:00Z")), None, ClockState::Running),
            (Some(now), None, ClockState::Running),
        ];
        for (due, event, want) in cases {
            assert_eq!(
                ClockState::of(due, event.map(at), now),
                want,
                "{due:?} {event:?}"
            );
        }
    }

    fn facts(status: Status, reach: Reach, ack: (Option<f64>, ClockState)) -> HandoffFacts {
        let none = ClockFacts {
            wall_s: None,
            business_s: None,
            state: ClockState::NoSla,
        };
        HandoffFacts {
            status,
            reject_reason: (status == Status::Rejected).then(|| "no_budget".into()),
            rating: None,
            assignee: Some("ann@x.test".into()),
            team: Some("sales".into()),
            campaign: None,
            source: None,
            reach,
            clocks: [
                ClockFacts {
                    wall_s: ack.0,
                    business_s: ack.0.map(|s| s / 2.0),
                    state: ack.1,
                },
                none,
                none,
            ],
            holders: [0, 1, 2].map(|_| Some("ann@x.test".into())),
            own: Vec::new(),
        }
    }

    #[test]
    fn an_own_window_counts_the_event_while_held() {
        use ClockState::*;
        let t = |m: i64| {
            DateTime::parse_from_rfc3339("2026-11-17T11:00:00Z")
                .unwrap()
                .with_timezone(&Utc)
                + chrono::Duration::minutes(m)
        };
        let due = t(10);
        let cases = [
            // (event, until, now) -> state
            ((Some(t(5)), None, t(20)), Met),
            ((Some(t(10)), None, t(20)), Met),
            ((Some(t(15)), None, t(20)), Breached),
            ((None, None, t(5)), Running),
            ((None, None, t(11)), Breached),
            // Lost the lead after the deadline: their breach, whatever came later.
            ((None, Some(t(12)), t(30)), Breached),
            ((Some(t(20)), Some(t(12)), t(30)), Breached),
            // Handed back or reassigned in time: not theirs.
            ((None, Some(t(8)), t(30)), NoSla),
            ((Some(t(9)), Some(t(8)), t(30)), NoSla),
            // The event at the moment they handed it over was theirs.
            ((Some(t(8)), Some(t(8)), t(30)), Met),
        ];
        for ((event, until, now), want) in cases {
            assert_eq!(
                own_window_state(due, event, until, now),
                want,
                "{event:?} {until:?}"
            );
        }
    }

    #[test]
    fn an_own_window_replaces_the_handoffs_clock_for_its_holder() {
        use ClockState::*;
        // Ann breached the ack clock; Bob got a fresh window and met it.
        let mut h = facts(Status::Open, Reach::None, (Some(900.0), Breached));
        h.assignee = Some("bob@x.test".into());
        h.own = vec![OwnClock {
            holder: "bob@x.test".into(),
            clock: ClockKind::Ack,
            facts: ClockFacts {
                wall_s: Some(300.0),
                business_s: Some(300.0),
                state: Met,
            },
        }];
        let hs = [&h];
        let ann = Speeds::held_by(&hs, "ann@x.test");
        assert_eq!((ann.ack.met, ann.ack.breached), (0, 1));
        let bob = Speeds::held_by(&hs, "bob@x.test");
        assert_eq!((bob.ack.met, bob.ack.breached), (1, 0));
        assert_eq!(bob.ack.median_s, Some(300.0));
        // The team counts the handoff's clock once, from the MQL.
        let team = Speeds::of(&hs);
        assert_eq!((team.ack.met, team.ack.breached), (0, 1));
        assert!(h.people().any(|p| p == "bob@x.test"));
        // Bob's window also takes the place of a handoff clock credited to him.
        h.holders[0] = Some("bob@x.test".into());
        let bob = Speeds::held_by(&[&h], "bob@x.test");
        assert_eq!((bob.ack.met, bob.ack.breached), (1, 0));
    }

    #[test]
    fn speed_counts_met_and_breached_and_takes_percentiles_of_happened_events() {
        use ClockState::*;
        let hs = [
            facts(Status::Accepted, Reach::Sql, (Some(60.0), Met)),
            facts(Status::Open, Reach::None, (Some(600.0), Breached)),
            facts(Status::Open, Reach::None, (None, Breached)),
            facts(Status::Open, Reach::None, (None, Running)),
            facts(Status::Rejected, Reach::None, (Some(30.0), NoSla)),
        ];
        let s = speed(hs.iter(), ClockKind::Ack);
        // Happened: 60, 600, 30 → sorted 30 60 600: median 2nd = 60, p90 ⌈2.7⌉ = 3rd = 600.
        assert_eq!(s.median_s, Some(60.0));
        assert_eq!(s.p90_s, Some(600.0));
        assert_eq!(s.median_business_s, Some(30.0));
        assert_eq!(s.p90_business_s, Some(300.0));
        // Met 1; breached 2 (late, and overdue without an event); running and no-SLA neither.
        assert_eq!((s.met, s.breached), (1, 2));
        assert_eq!(s.compliance, Some(1.0 / 3.0));
        let nothing = speed([].iter(), ClockKind::Ack);
        assert_eq!(nothing.compliance, None);
        assert_eq!(nothing.median_s, None);
    }

    #[test]
    fn outcomes_acceptance_and_conversions() {
        use ClockState::*;
        let hs = [
            facts(Status::Accepted, Reach::Customer, (None, NoSla)),
            facts(Status::Accepted, Reach::Sql, (None, NoSla)),
            facts(Status::Rejected, Reach::None, (None, NoSla)),
            facts(Status::Open, Reach::None, (None, NoSla)),
        ];
        let o = Outcomes::of(hs.iter());
        assert_eq!((o.opened, o.accepted, o.rejected, o.open), (4, 2, 1, 1));
        assert_eq!(o.reject_reasons.get("no_budget"), Some(&1));
        // 2 accepted of 3 decided.
        assert_eq!(o.acceptance(), Rate::new(2, 3));
        assert_eq!(o.acceptance().to_string(), "67% (n=3)");
        let c = Conversions::of(hs.iter());
        assert_eq!(c.sql, Rate::new(2, 4));
        assert_eq!(c.opportunity, Rate::new(1, 4));
        assert_eq!(c.customer, Rate::new(1, 4));
    }

    #[test]
    fn rates_and_means_print_with_n() {
        assert_eq!(Rate::new(62, 100).to_string(), "62% (n=100)");
        assert_eq!(Rate::new(0, 0).to_string(), "– (n=0)");
        assert_eq!(Rate::new(10, 16).to_string(), "63% (n=16)");
        assert_eq!(Rate::new(1, 3).to_string(), "33% (n=3)");
        assert_eq!(Mean::of(7.0, 2).to_string(), "3.5 (n=2)");
        assert_eq!(Mean::of(0.0, 0).to_string(), "– (n=0)");
    }

    #[test]
    fn rankings_give_three_best_and_three_worst_without_repeats() {
        let names = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let seven = names(&["a", "b", "c", "d", "e", "f", "g"]);
        let r = top_and_bottom(&seven);
        assert_eq!(r.top, names(&["a", "b", "c"]));
        assert_eq!(r.bottom, names(&["g", "f", "e"]));
        let four = names(&["a", "b", "c", "d"]);
        assert_eq!(top_and_bottom(&four).bottom, names(&["d"]));
        let two = names(&["a", "b"]);
        assert_eq!(top_and_bottom(&two).top, two);
        assert!(top_and_bottom(&two).bottom.is_empty());
    }

    #[test]
    fn campaigns_rank_by_sql_then_deeper_stages_then_name() {
        let c = |name: &str, sql, opportunity, customer| CampaignReach {
            campaign: name.into(),
            sql,
            opportunity,
            customer,
        };
        let r = rank_campaigns(vec![
            c("b", 5, 1, 0),
            c("a", 5, 1, 0),
            c("c", 5, 2, 0),
            c("d", 9, 0, 0),
            c("e", 0, 0, 0),
        ]);
        let top: Vec<&str> = r.top.iter().map(|c| c.campaign.as_str()).collect();
        let bottom: Vec<&str> = r.bottom.iter().map(|c| c.campaign.as_str()).collect();
        assert_eq!(top, ["d", "c", "a"]);
        assert_eq!(bottom, ["e", "b"]);
    }

    #[test]
    fn evangelist_has_no_conversion() {
        let rows = funnel(|s| match s {
            Stage::Visitor => (10, 4),
            Stage::Evangelist => (3, 0),
            _ => (0, 0),
        });
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[0].conversion, Some(0.4));
        assert_eq!(rows[1].conversion, None); // nobody entered
        assert_eq!(rows[6].converted, None);
        assert_eq!(rows[6].conversion, None);
    }

    #[test]
    fn pace_projects_the_count_to_the_end_of_the_window() {
        let w = Window {
            from: at("2026-11-01T00:00:00Z"),
            to: at("2026-12-01T00:00:00Z"),
        };
        // 6 of 30 days gone: 12 MQLs → pace 12 / 0.2 = 60.
        let e = elapsed_share(w, at("2026-11-07T00:00:00Z"));
        assert!((e - 0.2).abs() < 1e-12);
        assert!((pace(12, e).unwrap_or_default() - 60.0).abs() < 1e-9);
        assert_eq!(elapsed_share(w, at("2026-10-01T00:00:00Z")), 0.0);
        assert_eq!(pace(12, 0.0), None);
        assert_eq!(elapsed_share(w, at("2027-01-01T00:00:00Z")), 1.0);
    }

    /// Generated handoffs for the property tests: three reps (and nobody) holding the
    /// clocks in any combination, as after reassignments.
    fn arb_facts() -> impl proptest::strategy::Strategy<Value = HandoffFacts> {
        use proptest::prelude::*;
        let person = prop_oneof![
            Just(None),
            Just(Some(Name::from("ann@x.test"))),
            Just(Some(Name::from("bob@x.test"))),
            Just(Some(Name::from("cy@x.test"))),
        ];
        let state = prop_oneof![
            Just(ClockState::NoSla),
            Just(ClockState::Met),
            Just(ClockState::Breached),
            Just(ClockState::Running),
        ];
        let clock = (state, proptest::option::of(0.0..1e6f64)).prop_map(|(state, s)| ClockFacts {
            wall_s: s,
            business_s: s.map(|s| s / 3.0),
            state,
        });
        (
            prop_oneof![
                Just(Status::Open),
                Just(Status::Accepted),
                Just(Status::Rejected)
            ],
            person.clone(),
            proptest::array::uniform3(person),
            proptest::array::uniform3(clock),
            prop_oneof![
                Just(None),
                Just(Some(Name::from("east"))),
                Just(Some(Name::from("west")))
            ],
            0..4u8,
        )
            .prop_map(
                |(status, assignee, holders, clocks, team, reach)| HandoffFacts {
                    status,
                    reject_reason: (status == Status::Rejected).then(|| "spam".into()),
                    rating: None,
                    assignee,
                    team,
                    campaign: None,
                    source: None,
                    reach: [Reach::None, Reach::Sql, Reach::Opportunity, Reach::Customer]
                        [usize::from(reach)],
                    clocks,
                    holders,
                    own: Vec::new(),
                },
            )
    }

    proptest::proptest! {
        /// Opened = accepted + rejected + open; the clocks credited to each holder add up
        /// to the clocks counted once; team groups add up to the totals; a group's
        /// breaches are its breached clocks.
        #[test]
        fn per_person_and_per_group_figures_add_up_to_the_totals(
            hs in proptest::collection::vec(arb_facts(), 0..60)
        ) {
            let all: Vec<&HandoffFacts> = hs.iter().collect();
            let o = Outcomes::of(all.iter().copied());
            proptest::prop_assert_eq!(o.opened, o.accepted + o.rejected + o.open);
            proptest::prop_assert_eq!(o.opened, hs.len() as u64);
            let total = Speeds::of(&all);
            let mut people: Vec<&str> = all.iter().flat_map(|h| h.people()).collect();
            people.sort();
            people.dedup();
            for kind in ClockKind::ALL {
                let held: Vec<Speed> =
                    people.iter().map(|p| *Speeds::held_by(&all, p).get(kind)).collect();
                proptest::prop_assert_eq!(held.iter().map(|s| s.met).sum::<u64>(), total.get(kind).met);
                proptest::prop_assert_eq!(
                    held.iter().map(|s| s.breached).sum::<u64>(),
                    total.get(kind).breached
                );
            }
            let breached: u64 = hs
                .iter()
                .flat_map(|h| h.clocks.iter())
                .filter(|c| c.state == ClockState::Breached)
                .count() as u64;
            proptest::prop_assert_eq!(total.breached(), breached);
            let teams = group_by(&all, |h| h.team.as_deref());
            let sum = |f: &dyn Fn(&[&HandoffFacts]) -> u64| -> u64 {
                teams.iter().map(|(_, g)| f(g)).sum()
            };
            proptest::prop_assert_eq!(sum(&|g| Outcomes::of(g.iter().copied()).accepted), o.accepted);
            proptest::prop_assert_eq!(sum(&|g| Speeds::of(g).breached()), total.breached());
            proptest::prop_assert_eq!(
                sum(&|g| Conversions::of(g.iter().copied()).sql.count),
                Conversions::of(all.iter().copied()).sql.count
            );
        }
    }
}
