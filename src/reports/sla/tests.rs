//! Unit tests of `reports::sla`: the pure parts, with values worked out by hand.

use super::*;
use crate::domain::handoff::Status;
use crate::domain::report::{ClockFacts, ClockState, Reach};
use crate::reports::tests::{person, team};

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn listed_names_come_first_then_new_ones_in_the_order_found() {
    let cases: [(&[&str], &[&str], &[&str]); 5] = [
        (
            &["north", "south"],
            &["east", "north"],
            &["north", "south", "east"],
        ),
        (&[], &["east", "east", "west"], &["east", "west"]),
        (&["north"], &[], &["north"]),
        (&["ann", "bo"], &["bo", "ann"], &["ann", "bo"]),
        (&[], &[], &[]),
    ];
    for (listed, found, want) in cases {
        assert_eq!(
            listed_then_found(names(listed), names(found)),
            names(want),
            "{listed:?} + {found:?}"
        );
    }
}

fn directory() -> Directory {
    Directory::new(
        vec![
            person("ann@x.test", "ANN", "north"),
            person("bo@x.test", "BO", "north"),
            person("cy@x.test", "CY", "south"),
        ],
        vec![team("north", "max@x.test"), team("south", "zoe@x.test")],
        Default::default(),
        vec![],
        None,
    )
}

/// A handoff of `team` assigned to `assignee`, whose ack clock (`ack`) was held by
/// `ack_holder`; the other clocks had no SLA.
fn facts(team: &str, assignee: &str, ack_holder: &str, ack: ClockState) -> HandoffFacts {
    let clock = |state| ClockFacts {
        wall_s: None,
        business_s: None,
        state,
    };
    HandoffFacts {
        status: Status::Open,
        reject_reason: None,
        rating: None,
        assignee: Some(assignee.into()),
        team: Some(team.into()),
        campaign: None,
        source: None,
        reach: Reach::None,
        clocks: [
            clock(ack),
            clock(ClockState::NoSla),
            clock(ClockState::NoSla),
        ],
        holders: [
            Some(ack_holder.into()),
            Some(assignee.into()),
            Some(assignee.into()),
        ],
        own: Vec::new(),
    }
}

/// (team, handoffs, breaches, [(rep, name, handoffs, ack met, ack breached, breaches)])
type Want<'a> = (
    &'a str,
    u64,
    u64,
    Vec<(&'a str, Option<&'a str>, u64, u64, u64, u64)>,
);

fn summary(teams: &[SlaTeam]) -> Vec<Want<'_>> {
    teams
        .iter()
        .map(|t| {
            let reps = t
                .reps
                .iter()
                .map(|r| {
                    (
                        r.rep.as_str(),
                        r.name.as_deref(),
                        r.line.handoffs,
                        r.line.ack.met,
                        r.line.ack.breached,
                        r.line.breaches,
                    )
                })
                .collect();
            (t.team.as_str(), t.line.handoffs, t.line.breaches, reps)
        })
        .collect()
}

#[test]
fn teams_and_reps_are_the_configured_ones_then_those_in_the_data() {
    let all = [
        facts("north", "ann@x.test", "ann@x.test", ClockState::Met),
        // Now dee's, but ann held the ack clock when it ran out: ann's breach.
        facts("north", "dee@x.test", "ann@x.test", ClockState::Breached),
        facts("east", "cy@x.test", "cy@x.test", ClockState::Running),
    ];
    let all: Vec<&HandoffFacts> = all.iter().collect();
    let dir = directory();
    assert_eq!(
        summary(&lines(&dir, &all, None, None)),
        vec![
            (
                "north",
                2,
                1,
                vec![
                    ("ann@x.test", Some("ANN"), 1, 1, 1, 1),
                    ("bo@x.test", Some("BO"), 0, 0, 0, 0),
                    ("dee@x.test", None, 1, 0, 0, 0),
                ]
            ),
            ("south", 0, 0, vec![("cy@x.test", Some("CY"), 0, 0, 0, 0)]),
            // Not configured, but in the data: after the configured teams.
            ("east", 1, 0, vec![("cy@x.test", Some("CY"), 1, 0, 0, 0)]),
        ]
    );
    // One team asked for: that team alone, with the other teams' handoffs not given.
    let north: Vec<&HandoffFacts> = all[..2].to_vec();
    assert_eq!(
        summary(&lines(&dir, &north, Some("north"), None))
            .iter()
            .map(|t| (t.0, t.1, t.3.len()))
            .collect::<Vec<_>>(),
        [("north", 2, 3)]
    );
    // One rep: the teams of the handoffs given, that rep alone in each, and the
    // team lines count only that rep's handoffs and the clocks they held.
    assert_eq!(
        summary(&lines(&dir, &north, None, Some("ann@x.test"))),
        vec![("north", 1, 1, vec![("ann@x.test", Some("ANN"), 1, 1, 1, 1)])]
    );
    assert_eq!(summary(&lines(&dir, &[], None, Some("ann@x.test"))), vec![]);
}

#[test]
fn a_breach_is_late_by_the_time_from_its_deadline_to_its_stop_or_now() {
    let now = "2026-11-17T18:00:00Z".parse().unwrap();
    let row = |stopped: Option<&str>| BreachRow {
        handoff_id: 3,
        lead_id: 7,
        lead: Some("Acme".into()),
        clock: "ack".into(),
        assignee: Some("ann@x.test".into()),
        team: Some("north".into()),
        due_at: "2026-11-17T12:00:00.000Z".into(),
        stopped_at: stopped.map(str::to_string),
    };
    let stopped = BreachItem::new(row(Some("2026-11-17T12:30:15.500Z")), now);
    assert_eq!(stopped.late_s, Some(1_815.5));
    assert_eq!(stopped.rep.as_deref(), Some("ann@x.test"));
    // Still running: late until now, six hours.
    assert_eq!(BreachItem::new(row(None), now).late_s, Some(21_600.0));
    // A stop time that cannot be read gives no lateness rather than a wrong one.
    assert_eq!(BreachItem::new(row(Some("soon")), now).late_s, None);
}
