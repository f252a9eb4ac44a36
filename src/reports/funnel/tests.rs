//! Unit tests of `reports::funnel`: the pure parts, with values worked out by hand.

use super::*;
use crate::domain::handoff::Status;
use crate::domain::report::{ClockFacts, ClockState, NONE, Reach};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn entry(stage: Stage, key: Option<&str>, entered: u64, converted: u64) -> EntryCount {
    EntryCount {
        stage,
        key: key.map(str::to_string),
        entered,
        converted,
    }
}

#[test]
fn stage_entries_are_summed_over_keys_into_the_whole_funnel() {
    let entries = [
        entry(Stage::Mql, Some("webinar"), 10, 4),
        entry(Stage::Mql, None, 5, 1),
        entry(Stage::Sql, Some("webinar"), 4, 1),
        entry(Stage::Evangelist, Some("ads"), 2, 0),
    ];
    let rows = stages_of(&entries);
    assert_eq!(rows.len(), Stage::FUNNEL.len());
    let row = |stage| rows.iter().find(|r| r.stage == stage).copied().unwrap();
    // mql: 10 + 5 entered, 4 + 1 went further: 5 of 15.
    assert_eq!(row(Stage::Mql), StageRow::new(Stage::Mql, 15, 5));
    assert_eq!(row(Stage::Mql).conversion, Some(5.0 / 15.0));
    assert_eq!(row(Stage::Sql).conversion, Some(0.25));
    // Nobody entered: no conversion; the last stage has none at all.
    assert_eq!(row(Stage::Customer).entered, 0);
    assert_eq!(row(Stage::Customer).conversion, None);
    assert_eq!(row(Stage::Evangelist).entered, 2);
    assert_eq!(row(Stage::Evangelist).converted, None);
    assert!(stages_of(&[]).iter().all(|r| r.entered == 0));
}

#[test]
fn a_campaign_reaches_sql_opportunity_and_customer_by_its_entries() {
    let entries = [
        entry(Stage::Mql, Some("webinar"), 10, 4),
        entry(Stage::Sql, Some("webinar"), 4, 2),
        entry(Stage::Opportunity, Some("webinar"), 2, 1),
        entry(Stage::Customer, Some("webinar"), 1, 0),
        entry(Stage::Sql, Some("ads"), 3, 0),
        entry(Stage::Sql, Some("ads"), 2, 0),
        // Leads without a campaign are no campaign.
        entry(Stage::Customer, None, 9, 0),
    ];
    let reach = |campaign: &str, sql, opportunity, customer| CampaignReach {
        campaign: campaign.into(),
        sql,
        opportunity,
        customer,
    };
    assert_eq!(
        campaign_reach(&entries),
        [reach("ads", 5, 0, 0), reach("webinar", 4, 2, 1)]
    );
    // A campaign with entries only before sql is there, with nothing reached.
    assert_eq!(
        campaign_reach(&[entry(Stage::Mql, Some("fair"), 3, 0)]),
        [reach("fair", 0, 0, 0)]
    );
}

#[test]
fn acceptance_meets_its_target_when_it_reaches_it() {
    let cases = [
        (Rate::new(3, 5), Some(0.6), Some(true)),  // 60% of 60%
        (Rate::new(2, 5), Some(0.6), Some(false)), // 40%
        (Rate::new(0, 0), Some(0.6), None),        // nothing decided
        (Rate::new(3, 5), None, None),
    ];
    for (rate, target, met) in cases {
        let a = AcceptanceTarget::new(rate, target);
        assert_eq!((a.rate, a.target, a.met), (rate, target, met), "{rate:?}");
    }
}

#[test]
fn mqls_head_for_entered_over_the_share_of_the_window_gone() {
    // November 2026 has 30 days; 12 of them gone at the 13th, 00:00 UTC: 40%.
    let month = Window {
        from: at("2026-11-01T00:00:00Z"),
        to: at("2026-12-01T00:00:00Z"),
    };
    let as_of = at("2026-11-13T00:00:00Z");
    let tz = chrono_tz::UTC;
    let m = MqlTarget::new(TargetPeriod::Month, month, as_of, 12, Some(30), tz);
    assert_eq!(m.period, "month");
    assert_eq!(m.from, "2026-11-01T00:00:00Z");
    assert_eq!(m.to, "2026-12-01T00:00:00Z");
    assert_eq!(m.elapsed, 0.4);
    assert_eq!(m.pace, Some(30.0)); // 12 / 0.4
    assert_eq!(m.on_pace, Some(true));
    let behind = MqlTarget::new(TargetPeriod::Month, month, as_of, 11, Some(30), tz);
    assert_eq!((behind.pace, behind.on_pace), (Some(27.5), Some(false)));
    // Without a target there is no pace to be on.
    let free = MqlTarget::new(TargetPeriod::Month, month, as_of, 12, None, tz);
    assert_eq!((free.pace, free.on_pace), (None, None));
    // Before the window starts nothing has gone by: no pace either.
    let early = MqlTarget::new(TargetPeriod::Month, month, month.from, 0, Some(30), tz);
    assert_eq!((early.elapsed, early.pace), (0.0, None));
    // The window's ends are written in the reporting zone.
    let berlin = MqlTarget::new(
        TargetPeriod::Month,
        month,
        as_of,
        12,
        None,
        chrono_tz::Europe::Berlin,
    );
    assert_eq!(berlin.from, "2026-11-01T01:00:00+01:00");
}

fn facts(source: Option<&str>, assignee: &str, status: Status) -> HandoffFacts {
    let clock = ClockFacts {
        wall_s: None,
        business_s: None,
        state: ClockState::NoSla,
    };
    HandoffFacts {
        status,
        reject_reason: (status == Status::Rejected).then(|| "no_budget".into()),
        rating: None,
        assignee: Some(assignee.into()),
        team: Some("north".into()),
        campaign: None,
        source: source.map(Into::into),
        reach: Reach::None,
        clocks: [clock; 3],
        holders: [0, 1, 2].map(|_| Some(assignee.into())),
        own: Vec::new(),
    }
}

#[test]
fn groups_by_source_count_handoffs_and_entries_most_handoffs_first() {
    let all = [
        facts(Some("ads"), "ann@x.test", Status::Accepted),
        facts(Some("ads"), "bo@x.test", Status::Rejected),
        facts(Some(""), "ann@x.test", Status::Open),
        facts(Some("web"), "ann@x.test", Status::Accepted),
    ];
    let all: Vec<&HandoffFacts> = all.iter().collect();
    let entries = [
        entry(Stage::Mql, Some("web"), 6, 1),
        entry(Stage::Mql, Some("fair"), 9, 0),
    ];
    let got = groups(Dimension::Source, &entries, &all);
    let summary: Vec<(&str, u64, u64, Option<f64>, u64)> = got
        .iter()
        .map(|g| {
            let mql = g.stages.as_ref().unwrap()[2].entered;
            (
                g.key.as_str(),
                g.handoffs.opened,
                g.handoffs.accepted,
                g.acceptance.rate,
                mql,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("ads", 2, 1, Some(0.5), 0),
            // One handoff each: more stage entries first (web 6 before "(none)" 0).
            ("web", 1, 1, Some(1.0), 6),
            (NONE, 1, 0, None, 0),
            // Entries alone make a group too.
            ("fair", 0, 0, None, 9),
        ]
    );
    assert_eq!(Stage::FUNNEL[2], Stage::Mql);
}

#[test]
fn groups_by_rep_have_no_stages_and_include_whoever_held_a_clock() {
    let mut handed = facts(None, "bo@x.test", Status::Open);
    handed.holders[0] = Some("cy@x.test".into());
    let all = [facts(None, "ann@x.test", Status::Accepted), handed];
    let all: Vec<&HandoffFacts> = all.iter().collect();
    let got = groups(Dimension::Rep, &[], &all);
    let keys: Vec<(&str, u64, bool)> = got
        .iter()
        .map(|g| (g.key.as_str(), g.handoffs.opened, g.stages.is_some()))
        .collect();
    assert_eq!(
        keys,
        [
            ("ann@x.test", 1, false),
            ("bo@x.test", 1, false),
            // cy holds no handoff now, but held bo's ack clock.
            ("cy@x.test", 0, false),
        ]
    );
}
