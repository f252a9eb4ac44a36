//! Who gets a new MQL: the owner when they can take it, else a fair weighted round-robin
//! over the team the route rules pick, else the team's manager, with the reason spelled
//! out for the alert.
//!
//! The rotation is stride scheduling: each member has a `pass`; the member with the lowest
//! pass gets the lead and moves on by `STRIDE / weight`, so over time each gets leads in
//! proportion to their weight. The team keeps a `virtual_time`, the pass of the last pick.
//! A member whose pass lags behind it (they were away, out of hours or at their cap) is
//! treated as being at `virtual_time`: when they come back they rejoin the rotation at
//! their fair rate, instead of taking every lead until they have "caught up".
//!
//! Pure: the caller loads the rotation state and open-handoff counts and stores the
//! updated state in the same transaction as the handoff.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::directory::{Directory, Person, RoutingMode, Team};
use super::lead::Lead;

/// Divisible by every weight from 1 to 16, so common weights give exact strides.
pub const STRIDE: u64 = 3_603_600_000;

/// A team's rotation: each member's pass and the team's virtual time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rotation {
    pub virtual_time: u64,
    pub passes: HashMap<String, u64>,
}

impl Rotation {
    fn effective_pass(&self, email: &str) -> u64 {
        self.passes
            .get(email)
            .copied()
            .unwrap_or(0)
            .max(self.virtual_time)
    }

    fn advance(&mut self, person: &Person) {
        let start = self.effective_pass(&person.email);
        self.virtual_time = start;
        self.passes.insert(
            person.email.clone(),
            start + STRIDE / u64::from(person.weight.max(1)),
        );
    }
}

/// The outcome of routing one lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The person who gets the alert; `None` only when Baton knows no team at all.
    pub assignee: Option<String>,
    pub team: Option<String>,
    /// Why this person, in words for the alert.
    pub reason: String,
    /// The team's rotation after this pick, to be stored, when the rotation picked.
    pub rotation: Option<(String, Rotation)>,
}

/// What routing needs to know about the moment.
pub struct Situation<'a> {
    pub now: DateTime<Utc>,
    /// Open handoffs per assignee email.
    pub open: &'a HashMap<String, u32>,
    /// Rotation state per team name (missing teams start fresh).
    pub rotations: &'a HashMap<String, Rotation>,
    /// People who must not get this lead (e.g. the rep who let it breach).
    pub exclude: &'a [String],
}

/// Why a person cannot take a lead right now, in words.
fn unavailable(dir: &Directory, person: &Person, s: &Situation<'_>) -> Option<String> {
    if s.exclude
        .iter()
        .any(|e| e.eq_ignore_ascii_case(&person.email))
    {
        return Some(format!("{} already had this lead", person.name));
    }
    if let Some(away) = dir.away_on(person, s.now) {
        return Some(format!(
            "{} is out of office until {}",
            person.name, away.last
        ));
    }
    let open = s.open.get(&person.email).copied().unwrap_or(0);
    match person.max_open {
        Some(max) if open >= max => Some(format!(
            "{} has {open} open handoffs (max {max})",
            person.name
        )),
        _ => None,
    }
}

pub fn route(dir: &Directory, lead: &Lead, s: &Situation<'_>) -> Assignment {
    let known_owner = lead.owner_email.as_deref().and_then(|e| dir.person(e));
    // Only an owner of `owner_roles` (reps, by default) gets the lead: many CRMs keep a
    // marketing owner on a lead until it qualifies, and that person does not sell.
    let owner = known_owner.filter(|o| dir.owner_roles.contains(&o.role));
    let owner_not_selling = known_owner.filter(|_| owner.is_none()).map(|o| {
        let role = o.role.as_str();
        let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("owner {} is {article} {role}", o.email)
    });
    let team = dir
        .team_for(lead)
        .or_else(|| {
            owner
                .and_then(|o| o.team.as_deref())
                .and_then(|t| dir.team(t))
        })
        .or_else(|| dir.teams.first());
    let Some(team) = team else {
        return Assignment {
            assignee: owner.map(|o| o.email.clone()),
            team: None,
            reason: match owner {
                Some(o) => format!("{} owns the lead (no team is configured)", o.name),
                None => "no team is configured: add a [[team]] and [[person]] entries".into(),
            },
            rotation: None,
        };
    };

    let mut notes: Vec<String> = owner_not_selling.into_iter().collect();
    if team.routing != RoutingMode::RoundRobin {
        match (owner, lead.owner_email.as_deref()) {
            (Some(owner), _) => match unavailable(dir, owner, s) {
                None => {
                    return Assignment {
                        assignee: Some(owner.email.clone()),
                        team: owner.team.clone().or(Some(team.name.clone())),
                        reason: format!("{} owns the lead", owner.name),
                        rotation: None,
                    };
                }
                Some(why) => notes.push(why),
            },
            (None, Some(_)) if known_owner.is_some() => {}
            (None, Some(unknown)) => notes.push(format!("owner {unknown} is not a known person")),
            (None, None) => {}
        }
        if team.routing == RoutingMode::OwnerOnly {
            return to_manager(team, notes, "the team routes to owners only");
        }
    }
    round_robin(dir, team, s, notes)
}

fn round_robin(
    dir: &Directory,
    team: &Team,
    s: &Situation<'_>,
    mut notes: Vec<String>,
) -> Assignment {
    let mut available = Vec::new();
    for person in dir.reps_of(&team.name) {
        match unavailable(dir, person, s) {
            None => available.push(person),
            Some(why) if !notes.contains(&why) => notes.push(why),
            Some(_) => {}
        }
    }
    let in_hours: Vec<&Person> = available
        .iter()
        .copied()
        .filter(|p| dir.calendar_of(p).is_open(s.now))
        .collect();
    let (pool, how) = if !in_hours.is_empty() {
        (in_hours, format!("round-robin in {}", team.name))
    } else if !available.is_empty() {
        // Nobody is at work (a lead at night): keep rotating among those who will be, so
        // the lead waits in a rep's queue for the morning rather than on the manager.
        (
            available,
            format!(
                "round-robin in {} (nobody is within working hours now)",
                team.name
            ),
        )
    } else {
        return to_manager(
            team,
            notes,
            &format!("nobody on {} is available", team.name),
        );
    };

    let mut rotation = s.rotations.get(&team.name).cloned().unwrap_or_default();
    let chosen = pool
        .iter()
        .copied()
        .min_by_key(|p| rotation.effective_pass(&p.email))
        .expect("pool is not empty");
    rotation.advance(chosen);
    let reason = if notes.is_empty() {
        how
    } else {
        format!("{how}; {}", notes.join("; "))
    };
    Assignment {
        assignee: Some(chosen.email.clone()),
        team: Some(team.name.clone()),
        reason,
        rotation: Some((team.name.clone(), rotation)),
    }
}

fn to_manager(team: &Team, notes: Vec<String>, headline: &str) -> Assignment {
    let reason = if notes.is_empty() {
        format!("{headline}: sent to the manager")
    } else {
        format!("{headline} ({}): sent to the manager", notes.join("; "))
    };
    Assignment {
        assignee: Some(team.manager.clone()),
        team: Some(team.name.clone()),
        reason,
        rotation: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Calendar;
    use crate::domain::directory::{DateRange, Role, Route};
    use crate::domain::lead::{LeadMatcher, OneOrMany, sample_lead};
    use chrono::NaiveDate;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn rep(email: &str, team: &str, weight: u32) -> Person {
        Person {
            email: email.into(),
            name: email.split('@').next().unwrap().into(),
            role: Role::Rep,
            team: Some(team.into()),
            calendar: None,
            slack_id: None,
            discord_id: None,
            out_of_office: vec![],
            weight,
            max_open: None,
            locale: None,
        }
    }

    fn team(name: &str, routing: RoutingMode) -> Team {
        Team {
            name: name.into(),
            manager: format!("boss@{name}.test"),
            channel: None,
            discord_channel_id: None,
            routing,
            calendar: None,
            locale: None,
        }
    }

    fn directory(people: Vec<Person>, teams: Vec<Team>, routes: Vec<Route>) -> Directory {
        let berlin = Calendar::parse(
            "berlin",
            "Europe/Berlin",
            &["Mon-Fri 09:00-18:00".to_string()],
            &[],
        )
        .unwrap();
        let calendars = [("berlin".to_string(), berlin)].into_iter().collect();
        let fallback = teams.first().map(|t| t.name.clone());
        Directory::new(people, teams, calendars, routes, fallback)
    }

    /// Routes `n` leads in a row, carrying the rotation over, and counts who got them.
    fn run(
        dir: &Directory,
        n: usize,
        now: DateTime<Utc>,
        rotations: &mut HashMap<String, Rotation>,
    ) -> Vec<String> {
        let open = HashMap::new();
        (0..n)
            .map(|i| {
                let s = Situation {
                    now,
                    open: &open,
                    rotations,
                    exclude: &[],
                };
                let a = route(dir, &sample_lead(i as i64), &s);
                if let Some((team, rotation)) = a.rotation.clone() {
                    rotations.insert(team, rotation);
                }
                a.assignee.unwrap()
            })
            .collect()
    }

    fn count(picks: &[String], who: &str) -> usize {
        picks.iter().filter(|p| *p == who).count()
    }

    const TUESDAY_NOON: &str = "2026-11-17T11:00:00Z";

    #[test]
    fn an_owner_outside_owner_roles_does_not_get_the_lead() {
        let mut marketer = rep("mo@x.test", "sales", 1);
        marketer.role = Role::Marketer;
        let mut admin = rep("root@x.test", "sales", 1);
        admin.role = Role::Admin;
        let mut dir = directory(
            vec![marketer, admin, rep("b@x.test", "sales", 1)],
            vec![team("sales", RoutingMode::OwnerThenRoundRobin)],
            vec![],
        );
        let open = HashMap::new();
        let rotations = HashMap::new();
        let s = Situation {
            now: at(TUESDAY_NOON),
            open: &open,
            rotations: &rotations,
            exclude: &[],
        };
        let mut lead = sample_lead(1);
        // (owner, roles, assignee, reason)
        let cases = [
            (
                "mo@x.test",
                vec![Role::Rep],
                "b@x.test",
                "round-robin in sales; owner mo@x.test is a marketer",
            ),
            (
                "root@x.test",
                vec![Role::Rep],
                "b@x.test",
                "round-robin in sales; owner root@x.test is an admin",
            ),
            (
                "mo@x.test",
                vec![Role::Rep, Role::Marketer],
                "mo@x.test",
                "mo owns the lead",
            ),
        ];
        for (owner, roles, assignee, reason) in cases {
            dir.owner_roles = roles;
            lead.owner_email = Some(owner.into());
            let a = route(&dir, &lead, &s);
            assert_eq!(a.assignee.as_deref(), Some(assignee), "{owner}");
            assert_eq!(a.reason, reason, "{owner}");
        }
        // An owner-only team with a marketer owner goes to the manager, saying why.
        let mut dir = directory(
            vec![
                {
                    let mut m = rep("mo@x.test", "sales", 1);
                    m.role = Role::Marketer;
                    m
                },
                rep("b@x.test", "sales", 1),
            ],
            vec![team("sales", RoutingMode::OwnerOnly)],
            vec![],
        );
        dir.owner_roles = vec![Role::Rep];
        lead.owner_email = Some("mo@x.test".into());
        let a = route(&dir, &lead, &s);
        assert!(
            a.reason.contains("owner mo@x.test is a marketer"),
            "{}",
            a.reason
        );
    }

    #[test]
    fn weighted_round_robin_follows_weights_within_five_percent() {
        let dir = directory(
            vec![
                rep("a@x.test", "sales", 1),
                rep("b@x.test", "sales", 2),
                rep("c@x.test", "sales", 3),
            ],
            vec![team("sales", RoutingMode::RoundRobin)],
            vec![],
        );
        let picks = run(&dir, 1000, at(TUESDAY_NOON), &mut HashMap::new());
        for (who, weight) in [("a@x.test", 1.0), ("b@x.test", 2.0), ("c@x.test", 3.0)] {
            let expected = 1000.0 * weight / 6.0;
            let got = count(&picks, who) as f64;
            assert!(
                (got - expected).abs() <= expected * 0.05,
                "{who}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn owner_gets_the_lead_when_available_else_rotation_with_a_note() {
        let mut owner = rep("olga@x.test", "sales", 1);
        let dir = directory(
            vec![owner.clone(), rep("b@x.test", "sales", 1)],
            vec![team("sales", RoutingMode::OwnerThenRoundRobin)],
            vec![],
        );
        let mut lead = sample_lead(1);
        lead.owner_email = Some("OLGA@x.test".into());
        let open = HashMap::new();
        let rotations = HashMap::new();
        let s = Situation {
            now: at(TUESDAY_NOON),
            open: &open,
            rotations: &rotations,
            exclude: &[],
        };
        let a = route(&dir, &lead, &s);
        assert_eq!(a.assignee.as_deref(), Some("olga@x.test"));
        assert_eq!(a.reason, "olga owns the lead");

        owner.out_of_office = vec![DateRange {
            first: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        }];
        let dir = directory(
            vec![owner, rep("b@x.test", "sales", 1)],
            vec![team("sales", RoutingMode::OwnerThenRoundRobin)],
            vec![],
        );
        let a = route(&dir, &lead, &s);
        assert_eq!(a.assignee.as_deref(), Some("b@x.test"));
        assert_eq!(
            a.reason,
            "round-robin in sales; olga is out of office until 2026-11-20"
        );
    }

    #[test]
    fn the_first_matching_route_picks_the_team() {
        let dir = directory(
            vec![rep("a@x.test", "emea", 1), rep("l@x.test", "latam", 1)],
            vec![
                team("emea", RoutingMode::RoundRobin),
                team("latam", RoutingMode::RoundRobin),
            ],
            vec![
                Route {
                    when: LeadMatcher {
                        country: Some(OneOrMany::Many(vec!["BR".into(), "PT".into()])),
                        company_size_min: Some(50),
                        ..LeadMatcher::default()
                    },
                    team: "latam".into(),
                },
                Route {
                    when: LeadMatcher::default(),
                    team: "emea".into(),
                },
            ],
        );
        let picks = run(&dir, 1, at(TUESDAY_NOON), &mut HashMap::new());
        assert_eq!(picks, ["l@x.test"]);
        let mut small = sample_lead(2);
        small.company_size = Some(10);
        assert_eq!(dir.team_for(&small).unwrap().name, "emea");
    }

    #[test]
    fn out_of_office_out_of_hours_and_full_reps_are_skipped() {
        let mut away = rep("away@x.test", "sales", 1);
        away.out_of_office = vec![DateRange {
            first: NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
        }];
        let mut full = rep("full@x.test", "sales", 1);
        full.max_open = Some(2);
        let mut night = rep("night@x.test", "sales", 1);
        night.calendar = Some("tokyo".into());
        let mut dir = directory(
            vec![away, full, night, rep("ok@x.test", "sales", 1)],
            vec![team("sales", RoutingMode::RoundRobin)],
            vec![],
        );
        dir.calendars.insert(
            "tokyo".into(),
            Calendar::parse(
                "tokyo",
                "Asia/Tokyo",
                &["Mon-Fri 09:00-18:00".to_string()],
                &[],
            )
            .unwrap(),
        );
        let open: HashMap<String, u32> = [("full@x.test".to_string(), 2)].into();
        let rotations = HashMap::new();
        let s = Situation {
            now: at(TUESDAY_NOON),
            open: &open,
            rotations: &rotations,
            exclude: &[],
        };
        for _ in 0..5 {
            assert_eq!(
                route(&dir, &sample_lead(1), &s).assignee.as_deref(),
                Some("ok@x.test")
            );
        }
        let reason = route(&dir, &sample_lead(1), &s).reason;
        assert!(
            reason.contains("away is out of office until 2026-11-17"),
            "{reason}"
        );
        assert!(
            reason.contains("full has 2 open handoffs (max 2)"),
            "{reason}"
        );
    }

    #[test]
    fn a_returning_rep_is_not_flooded() {
        let mut carol = rep("carol@x.test", "sales", 1);
        let others = [rep("a@x.test", "sales", 1), rep("b@x.test", "sales", 1)];
        let mut rotations = HashMap::new();
        carol.out_of_office = vec![DateRange {
            first: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 11, 13).unwrap(),
        }];
        let mut people = others.to_vec();
        people.push(carol.clone());
        let dir = directory(people, vec![team("sales", RoutingMode::RoundRobin)], vec![]);
        let while_away = run(&dir, 300, at("2026-11-10T11:00:00Z"), &mut rotations);
        assert_eq!(count(&while_away, "carol@x.test"), 0);

        let back = run(&dir, 30, at(TUESDAY_NOON), &mut rotations);
        assert_eq!(count(&back, "carol@x.test"), 10, "{back:?}");
        let longest_run = back
            .chunk_by(|a, b| a == b)
            .map(<[String]>::len)
            .max()
            .unwrap();
        assert_eq!(longest_run, 1, "{back:?}");
    }

    #[test]
    fn nobody_available_goes_to_the_manager_with_the_reason() {
        let mut a = rep("a@x.test", "sales", 1);
        a.max_open = Some(1);
        let dir = directory(
            vec![a],
            vec![team("sales", RoutingMode::RoundRobin)],
            vec![],
        );
        let open: HashMap<String, u32> = [("a@x.test".to_string(), 1)].into();
        let rotations = HashMap::new();
        let s = Situation {
            now: at(TUESDAY_NOON),
            open: &open,
            rotations: &rotations,
            exclude: &[],
        };
        let got = route(&dir, &sample_lead(1), &s);
        assert_eq!(got.assignee.as_deref(), Some("boss@sales.test"));
        assert_eq!(
            got.reason,
            "nobody on sales is available (a has 1 open handoffs (max 1)): sent to the manager"
        );
        assert_eq!(got.rotation, None);
    }

    #[test]
    fn excluded_reps_are_skipped_for_reassignment() {
        let dir = directory(
            vec![rep("a@x.test", "sales", 1), rep("b@x.test", "sales", 1)],
            vec![team("sales", RoutingMode::RoundRobin)],
            vec![],
        );
        let open = HashMap::new();
        let rotations = HashMap::new();
        let exclude = vec!["a@x.test".to_string()];
        let s = Situation {
            now: at(TUESDAY_NOON),
            open: &open,
            rotations: &rotations,
            exclude: &exclude,
        };
        for _ in 0..3 {
            assert_eq!(
                route(&dir, &sample_lead(1), &s).assignee.as_deref(),
                Some("b@x.test")
            );
        }
    }
}
