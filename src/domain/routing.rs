//! Who gets a new MQL: the owner when they can take it, else the owner of the account the
//! lead's domain matched (SPEC §3), else a fair weighted round-robin over the team the
//! route rules pick, else the team's manager. Every decision comes with its reasons: one
//! line for the alert, and every candidate with why they were skipped or chosen, for
//! `/lead why` and `baton route --dry-run`.
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
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::account::{AccountFact, OwnerSource};
use super::availability::Availabilities;
use super::directory::{Directory, Person, RoutingMode, Team};
use super::lead::Lead;
use crate::i18n::{self, Locale, Text};

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

/// What routing decided about one person, for `/lead why`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub email: String,
    pub name: String,
    /// The step that looked at them: `owner`, `account`, `rotation` or `manager`.
    pub step: String,
    pub chosen: bool,
    /// Why they were chosen or skipped, in English (for scripts and older readers).
    pub why: String,
    /// The same reason as a message id and its arguments, written in each reader's
    /// language; absent in decisions stored before reasons were kept so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

impl Candidate {
    /// Why, in `locale` (times and days in `tz`); older decisions as they were written.
    pub fn why_in(&self, locale: Locale, tz: Tz) -> String {
        match &self.reason {
            Some(reason) => reason.render_in(locale, tz),
            None => self.why.clone(),
        }
    }
}

/// The outcome of routing one lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The person who gets the alert; `None` only when Baton knows no team at all.
    pub assignee: Option<String>,
    pub team: Option<String>,
    /// Why this person, in one line for the alert (written in each reader's language).
    pub reason: Text,
    /// The team's rotation after this pick, to be stored, when the rotation picked.
    pub rotation: Option<(String, Rotation)>,
    /// Everyone considered, in the order they were, with why each was skipped or chosen.
    pub candidates: Vec<Candidate>,
    /// How the team was chosen (`rule 2`, `[routing] fallback_team`, ...), when one was.
    pub team_reason: Option<Text>,
}

/// A routing decision as stored and shown: the one line of the alert, the team and how
/// it was chosen, and every candidate. The English texts (`summary`, `team_reason`, each
/// candidate's `why`) are kept for scripts and for decisions stored before the reasons
/// were kept as messages (`reason`, `team_text`), which each reader reads in their own
/// language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub team_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_text: Option<Text>,
    /// The company domain the lead was matched by, when it had one.
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub candidates: Vec<Candidate>,
}

impl Assignment {
    /// The decision to store and show, for a lead whose company domain is `domain`.
    pub fn explanation(&self, domain: Option<&str>) -> Explanation {
        Explanation {
            summary: self.reason.to_string(),
            reason: Some(self.reason.clone()),
            assignee: self.assignee.clone(),
            team: self.team.clone(),
            team_reason: self.team_reason.as_ref().map(Text::to_string),
            team_text: self.team_reason.clone(),
            domain: domain.map(str::to_string),
            candidates: self.candidates.clone(),
        }
    }
}

impl Explanation {
    /// The one line of why, in `locale`; an older decision as it was written.
    pub fn summary_in(&self, locale: Locale, tz: Tz) -> String {
        match &self.reason {
            Some(reason) => reason.render_in(locale, tz),
            None => self.summary.clone(),
        }
    }

    /// The decision for a person in `locale`, one line each: who got it and why, how the
    /// team was chosen, then every candidate as chosen (✓) or skipped (✗) with the reason.
    /// `name` writes a person (an email) as the reader sees them.
    pub fn lines(&self, locale: Locale, tz: Tz, name: &dyn Fn(&str) -> String) -> Vec<String> {
        let assignee = self
            .assignee
            .as_deref()
            .map_or_else(|| i18n::t(locale, "nobody"), name);
        let mut lines = vec![
            Text::new("why-assigned")
                .arg("assignee", assignee)
                .arg("summary", self.summary_in(locale, tz))
                .render_in(locale, tz),
        ];
        let team = match (&self.team_text, &self.team_reason) {
            (Some(text), _) => Some(text.render_in(locale, tz)),
            (None, Some(old)) => Some(old.clone()),
            (None, None) => None,
        };
        if let Some(team) = team {
            lines.push(Text::new("why-team").arg("team", team).render(locale));
        }
        if let Some(domain) = &self.domain {
            lines.push(
                Text::new("why-domain")
                    .arg("domain", domain.as_str())
                    .render(locale),
            );
        }
        if self.candidates.is_empty() {
            lines.push(i18n::t(locale, "why-no-candidates"));
        }
        for c in &self.candidates {
            let id = if c.chosen {
                "why-chosen"
            } else {
                "why-skipped"
            };
            lines.push(
                Text::new(id)
                    .arg("name", c.name.as_str())
                    .arg("email", c.email.as_str())
                    .arg("step", c.step.as_str())
                    .arg("why", c.why_in(locale, tz))
                    .render(locale),
            );
        }
        lines
    }
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
    /// The account the lead's domain matched, when `[routing] account_match` is on.
    pub account: Option<&'a AccountFact>,
    /// Availability set from chat (`/baton away`, `/baton back`).
    pub away: &'a Availabilities,
}

/// Why a person cannot take a lead right now.
fn unavailable(dir: &Directory, person: &Person, s: &Situation<'_>) -> Option<Text> {
    if s.exclude
        .iter()
        .any(|e| e.eq_ignore_ascii_case(&person.email))
    {
        return Some(Text::new("route-had-it").arg("name", person.name.as_str()));
    }
    if let Some(away) = dir.away_with(person, s.now, s.away) {
        return Some(
            Text::new("route-away")
                .arg("name", person.name.as_str())
                .day("until", away.last),
        );
    }
    let open = s.open.get(&person.email).copied().unwrap_or(0);
    match person.max_open {
        Some(max) if open >= max => Some(
            Text::new("route-at-cap")
                .arg("name", person.name.as_str())
                .num("open", i64::from(open))
                .num("max", i64::from(max)),
        ),
        _ => None,
    }
}

/// The record of one routing, built step by step.
#[derive(Default)]
struct Trail {
    /// Why people were skipped, for the one-line reason.
    notes: Vec<Text>,
    candidates: Vec<Candidate>,
}

impl Trail {
    fn consider(&mut self, person: &Person, step: &str, chosen: bool, why: Text) {
        self.candidates.push(Candidate {
            email: person.email.clone(),
            name: person.name.clone(),
            step: step.into(),
            chosen,
            why: why.to_string(),
            reason: Some(why),
        });
    }

    fn skip(&mut self, person: &Person, step: &str, why: Text) {
        self.note(why.clone());
        self.consider(person, step, false, why);
    }

    /// Adds a reason to the one-line summary unless it already says it.
    fn note(&mut self, why: Text) {
        let english = why.to_string();
        if !self.notes.iter().any(|n| n.to_string().ends_with(&english)) {
            self.notes.push(why);
        }
    }

    /// `how`, then the reasons people were skipped: "round-robin in sales; Bob is away".
    fn with_notes(&self, how: Text) -> Text {
        if self.notes.is_empty() {
            how
        } else {
            Text::new("route-with-notes")
                .nested("how", how)
                .list("notes", self.notes.clone())
        }
    }
}

pub fn route(dir: &Directory, lead: &Lead, s: &Situation<'_>) -> Assignment {
    let mut trail = Trail::default();
    let known_owner = lead.owner_email.as_deref().and_then(|e| dir.person(e));
    // Only an owner of `owner_roles` (reps, by default) gets the lead: many CRMs keep a
    // marketing owner on a lead until it qualifies, and that person does not sell.
    let owner = known_owner.filter(|o| dir.owner_roles.contains(&o.role));
    if let Some(o) = known_owner.filter(|_| owner.is_none()) {
        trail.skip(o, "owner", not_selling(None, o));
    }
    let rule = dir.routes.iter().position(|r| r.when.matches(lead));
    let team = dir
        .team_for(lead)
        .map(|t| {
            let how = match rule {
                Some(i) => Text::new("route-team-rule")
                    .num("rule", i as i64 + 1)
                    .arg("team", t.name.as_str()),
                None => Text::new("route-team-fallback").arg("team", t.name.as_str()),
            };
            (t, how)
        })
        .or_else(|| {
            owner
                .and_then(|o| o.team.as_deref())
                .and_then(|t| dir.team(t))
                .map(|t| {
                    (
                        t,
                        Text::new("route-team-owner").arg("team", t.name.as_str()),
                    )
                })
        })
        .or_else(|| {
            dir.teams.first().map(|t| {
                (
                    t,
                    Text::new("route-team-first").arg("team", t.name.as_str()),
                )
            })
        });
    let Some((team, team_reason)) = team else {
        if let Some(o) = owner {
            trail.consider(o, "owner", true, Text::new("route-owns-lead"));
        }
        return Assignment {
            assignee: owner.map(|o| o.email.clone()),
            team: None,
            reason: match owner {
                Some(o) => Text::new("route-owner-no-team").arg("name", o.name.as_str()),
                None => Text::new("route-no-team"),
            },
            rotation: None,
            candidates: trail.candidates,
            team_reason: None,
        };
    };
    let done = |trail: Trail, mut a: Assignment| {
        a.candidates = trail.candidates;
        a.team_reason = Some(team_reason.clone());
        a
    };

    if team.routing != RoutingMode::RoundRobin {
        match (owner, lead.owner_email.as_deref()) {
            (Some(owner), _) => match unavailable(dir, owner, s) {
                None => {
                    trail.consider(owner, "owner", true, Text::new("route-owns-lead"));
                    return done(
                        trail,
                        picked(
                            owner,
                            owner.team.clone().or(Some(team.name.clone())),
                            Text::new("route-owner").arg("name", owner.name.as_str()),
                        ),
                    );
                }
                Some(why) => trail.skip(owner, "owner", why),
            },
            (None, Some(_)) if known_owner.is_some() => {}
            (None, Some(unknown)) => trail
                .notes
                .push(Text::new("route-owner-unknown").arg("email", unknown)),
            (None, None) => {}
        }
    } else if let Some(owner) = owner {
        trail.consider(
            owner,
            "owner",
            false,
            Text::new("route-owns-lead-rotation-only").arg("team", team.name.as_str()),
        );
    }
    if let Some(a) = account_owner(dir, s, owner, &mut trail) {
        let team = a.team.clone().or(Some(team.name.clone()));
        let mut chosen = a;
        chosen.team = team;
        return done(trail, chosen);
    }
    if team.routing == RoutingMode::OwnerOnly {
        let a = to_manager(dir, team, &mut trail, Text::new("route-owners-only"));
        return done(trail, a);
    }
    round_robin(dir, team, s, trail, done)
}

/// "the lead's owner, Mo, is a marketer": why a person of another role does not get the
/// lead; `domain` when they own the lead's account rather than the lead.
fn not_selling(domain: Option<&str>, o: &Person) -> Text {
    let text = match domain {
        None => Text::new("route-owner-not-selling"),
        Some(domain) => Text::new("route-account-owner-not-selling").arg("domain", domain),
    };
    text.arg("name", o.name.as_str())
        .arg("role", o.role.as_str())
}

fn picked(person: &Person, team: Option<String>, reason: Text) -> Assignment {
    Assignment {
        assignee: Some(person.email.clone()),
        team,
        reason,
        rotation: None,
        candidates: Vec::new(),
        team_reason: None,
    }
}

/// The account's owner when they can take the lead (away and at their cap they cannot;
/// working hours do not apply), else `None` with the reason in the trail.
fn account_owner(
    dir: &Directory,
    s: &Situation<'_>,
    lead_owner: Option<&Person>,
    trail: &mut Trail,
) -> Option<Assignment> {
    let account = s.account?;
    let owns = match &account.source {
        OwnerSource::Account { .. } => {
            Text::new("route-owns-account").arg("domain", account.domain.as_str())
        }
        OwnerSource::Memory { handoff, .. } => Text::new("route-owns-memory")
            .arg("domain", account.domain.as_str())
            .num("handoff", *handoff),
    };
    let Some(email) = account
        .owner_email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    else {
        trail
            .notes
            .push(Text::new("route-account-no-owner").arg("domain", account.domain.as_str()));
        return None;
    };
    let Some(person) = dir.person(email) else {
        trail.notes.push(
            Text::new("route-account-owner-unknown")
                .arg("domain", account.domain.as_str())
                .arg("email", email.trim()),
        );
        return None;
    };
    if lead_owner.is_some_and(|o| o.email == person.email) {
        // Already considered (and skipped) as the lead's owner.
        return None;
    }
    if !dir.owner_roles.contains(&person.role) {
        trail.skip(
            person,
            "account",
            not_selling(Some(&account.domain), person),
        );
        return None;
    }
    if let Some(why) = unavailable(dir, person, s) {
        trail.note(
            Text::new("route-account-owner-unavailable")
                .arg("domain", account.domain.as_str())
                .nested("why", why.clone()),
        );
        trail.consider(
            person,
            "account",
            false,
            Text::new("route-owns-but")
                .nested("owns", owns)
                .nested("why", why),
        );
        return None;
    }
    trail.consider(person, "account", true, owns.clone());
    Some(picked(
        person,
        person.team.clone(),
        Text::new("route-owner-of")
            .arg("name", person.name.as_str())
            .nested("owns", owns),
    ))
}

fn round_robin(
    dir: &Directory,
    team: &Team,
    s: &Situation<'_>,
    mut trail: Trail,
    done: impl Fn(Trail, Assignment) -> Assignment,
) -> Assignment {
    let mut available = Vec::new();
    for person in dir.reps_of(&team.name) {
        match unavailable(dir, person, s) {
            None => available.push(person),
            Some(why) => trail.skip(person, "rotation", why),
        }
    }
    let (in_hours, outside): (Vec<&Person>, Vec<&Person>) = available
        .iter()
        .copied()
        .partition(|p| dir.calendar_of(p).is_open(s.now));
    let (pool, how) = if !in_hours.is_empty() {
        for person in &outside {
            trail.consider(
                person,
                "rotation",
                false,
                Text::new("route-outside-hours").arg("name", person.name.as_str()),
            );
        }
        (
            in_hours,
            Text::new("route-rotation").arg("team", team.name.as_str()),
        )
    } else if !available.is_empty() {
        // Nobody is at work (a lead at night): keep rotating among those who will be, so
        // the lead waits in a rep's queue for the morning rather than on the manager.
        (
            available,
            Text::new("route-rotation-night").arg("team", team.name.as_str()),
        )
    } else {
        let headline = Text::new("route-nobody-available").arg("team", team.name.as_str());
        let a = to_manager(dir, team, &mut trail, headline);
        return done(trail, a);
    };

    let mut rotation = s.rotations.get(&team.name).cloned().unwrap_or_default();
    let chosen = pool
        .iter()
        .copied()
        .min_by_key(|p| rotation.effective_pass(&p.email))
        .expect("pool is not empty");
    for person in &pool {
        if person.email == chosen.email {
            trail.consider(
                person,
                "rotation",
                true,
                Text::new("route-turn")
                    .arg("team", team.name.as_str())
                    .num("weight", i64::from(person.weight)),
            );
        } else {
            trail.consider(person, "rotation", false, Text::new("route-not-turn"));
        }
    }
    rotation.advance(chosen);
    let reason = trail.with_notes(how);
    let mut a = picked(chosen, Some(team.name.clone()), reason);
    a.rotation = Some((team.name.clone(), rotation));
    done(trail, a)
}

/// The team's manager gets the lead; `headline` and the skip reasons so far say why.
fn to_manager(dir: &Directory, team: &Team, trail: &mut Trail, headline: Text) -> Assignment {
    let reason = if trail.notes.is_empty() {
        Text::new("route-to-manager").nested("headline", headline.clone())
    } else {
        Text::new("route-to-manager-notes")
            .nested("headline", headline.clone())
            .list("notes", trail.notes.clone())
    };
    let why = Text::new("route-manages")
        .arg("team", team.name.as_str())
        .nested("headline", headline);
    match dir.person(&team.manager) {
        Some(manager) => trail.consider(manager, "manager", true, why),
        None => trail.candidates.push(Candidate {
            email: team.manager.clone(),
            name: team.manager.clone(),
            step: "manager".into(),
            chosen: true,
            why: why.to_string(),
            reason: Some(why),
        }),
    }
    Assignment {
        assignee: Some(team.manager.clone()),
        team: Some(team.name.clone()),
        reason,
        rotation: None,
        candidates: Vec::new(),
        team_reason: None,
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
                    account: None,
                    away: &HashMap::new(),
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
            account: None,
            away: &HashMap::new(),
        };
        let mut lead = sample_lead(1);
        // (owner, roles, assignee, reason)
        let cases = [
            (
                "mo@x.test",
                vec![Role::Rep],
                "b@x.test",
                "round-robin in sales; the lead's owner, mo, is a marketer",
            ),
            (
                "root@x.test",
                vec![Role::Rep],
                "b@x.test",
                "round-robin in sales; the lead's owner, root, is an admin",
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
            assert_eq!(a.reason.to_string(), reason, "{owner}");
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
            a.reason
                .to_string()
                .contains("the lead's owner, mo, is a marketer"),
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
            account: None,
            away: &HashMap::new(),
        };
        let a = route(&dir, &lead, &s);
        assert_eq!(a.assignee.as_deref(), Some("olga@x.test"));
        assert_eq!(a.reason.to_string(), "olga owns the lead");

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
            a.reason.to_string(),
            "round-robin in sales; olga is out of office until Fri 20 Nov 2026"
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
            account: None,
            away: &HashMap::new(),
        };
        for _ in 0..5 {
            assert_eq!(
                route(&dir, &sample_lead(1), &s).assignee.as_deref(),
                Some("ok@x.test")
            );
        }
        let reason = route(&dir, &sample_lead(1), &s).reason.to_string();
        assert!(
            reason.contains("away is out of office until Tue 17 Nov 2026"),
            "{reason}"
        );
        assert!(
            reason.contains("full is at their cap (2/2 open)"),
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
            account: None,
            away: &HashMap::new(),
        };
        let got = route(&dir, &sample_lead(1), &s);
        assert_eq!(got.assignee.as_deref(), Some("boss@sales.test"));
        assert_eq!(
            got.reason.to_string(),
            "nobody on sales is available (a is at their cap (1/1 open)): sent to the manager"
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
            account: None,
            away: &HashMap::new(),
        };
        for _ in 0..3 {
            assert_eq!(
                route(&dir, &sample_lead(1), &s).assignee.as_deref(),
                Some("b@x.test")
            );
        }
    }

    fn acme(owner: &str, source: OwnerSource) -> AccountFact {
        AccountFact {
            domain: "acme.com".into(),
            owner_email: Some(owner.into()),
            source,
        }
    }

    #[test]
    fn the_account_owner_comes_after_the_owner_and_before_the_rotation() {
        let mut away = rep("away@x.test", "sales", 1);
        away.out_of_office = vec![DateRange {
            first: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        }];
        let mut full = rep("full@x.test", "sales", 1);
        full.max_open = Some(1);
        let mut night = rep("night@x.test", "sales", 1);
        night.calendar = Some("tokyo".into());
        let mut marketer = rep("mo@x.test", "sales", 1);
        marketer.role = Role::Marketer;
        let mut dir = directory(
            vec![
                rep("olga@x.test", "sales", 1),
                away,
                full,
                night,
                marketer,
                rep("b@x.test", "sales", 1),
            ],
            vec![team("sales", RoutingMode::OwnerThenRoundRobin)],
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
        let open: HashMap<String, u32> = [("full@x.test".to_string(), 1)].into();
        let rotations = HashMap::new();
        let listed = OwnerSource::Account {
            name: Some("Acme".into()),
        };
        let memory = OwnerSource::Memory {
            handoff: 12,
            accepted_at: "2026-10-01T10:00:00.000Z".into(),
        };
        // (lead owner, account owner, source, assignee, reason starts with)
        let cases = [
            (
                None,
                "olga@x.test",
                listed.clone(),
                "olga@x.test",
                "olga owns the account acme.com",
            ),
            (
                None,
                "olga@x.test",
                memory.clone(),
                "olga@x.test",
                "olga owns acme.com (accepted its last lead, handoff 12)",
            ),
            // Working hours do not apply to an account's owner.
            (
                None,
                "night@x.test",
                listed.clone(),
                "night@x.test",
                "night owns the account acme.com",
            ),
            (
                None,
                "away@x.test",
                listed.clone(),
                "olga@x.test",
                "round-robin in sales; account owner of acme.com: away is out of office until Fri 20 Nov 2026; full is at their cap (1/1 open)",
            ),
            (
                None,
                "full@x.test",
                listed.clone(),
                "olga@x.test",
                "round-robin in sales; account owner of acme.com: full is at their cap (1/1 open); away is out of office until Fri 20 Nov 2026",
            ),
            (
                None,
                "mo@x.test",
                listed.clone(),
                "olga@x.test",
                "round-robin in sales; the owner of acme.com, mo, is a marketer; away is out",
            ),
            (
                None,
                "ghost@x.test",
                listed.clone(),
                "olga@x.test",
                "round-robin in sales; the owner of acme.com (ghost@x.test) is not a known person; away",
            ),
            // The lead's own owner comes first.
            (
                Some("b@x.test"),
                "olga@x.test",
                listed.clone(),
                "b@x.test",
                "b owns the lead",
            ),
        ];
        for (owner, account_owner, source, assignee, reason) in cases {
            let mut lead = sample_lead(1);
            lead.owner_email = owner.map(str::to_string);
            let fact = acme(account_owner, source);
            let s = Situation {
                now: at(TUESDAY_NOON),
                open: &open,
                rotations: &rotations,
                exclude: &[],
                account: Some(&fact),
                away: &HashMap::new(),
            };
            let a = route(&dir, &lead, &s);
            assert_eq!(a.assignee.as_deref(), Some(assignee), "{account_owner}");
            assert!(
                a.reason.to_string().starts_with(reason),
                "{account_owner}: {}",
                a.reason
            );
            // An account's owner does not take a rotation turn.
            if reason.contains("owns the account acme.com") && !reason.starts_with("round-robin") {
                assert_eq!(a.rotation, None, "{account_owner}");
                assert!(a.candidates.iter().any(|c| c.chosen && c.step == "account"));
            }
        }
    }

    #[test]
    fn every_candidate_is_listed_with_why() {
        let mut away = rep("away@x.test", "sales", 1);
        away.out_of_office = vec![DateRange {
            first: NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
        }];
        let mut full = rep("full@x.test", "sales", 1);
        full.max_open = Some(10);
        let mut night = rep("night@x.test", "sales", 1);
        night.calendar = Some("tokyo".into());
        let mut dir = directory(
            vec![
                away,
                full,
                night,
                rep("ok@x.test", "sales", 2),
                rep("ok2@x.test", "sales", 1),
            ],
            vec![team("sales", RoutingMode::RoundRobin)],
            vec![Route {
                when: LeadMatcher {
                    country: Some(OneOrMany::One("US".into())),
                    ..LeadMatcher::default()
                },
                team: "sales".into(),
            }],
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
        let open: HashMap<String, u32> = [("full@x.test".to_string(), 10)].into();
        let rotations = HashMap::new();
        let s = Situation {
            now: at(TUESDAY_NOON),
            open: &open,
            rotations: &rotations,
            exclude: &[],
            account: None,
            away: &HashMap::new(),
        };
        let a = route(&dir, &sample_lead(1), &s);
        let got: Vec<(String, bool, String)> = a
            .candidates
            .iter()
            .map(|c| (c.email.clone(), c.chosen, c.why.clone()))
            .collect();
        let want = [
            (
                "away@x.test",
                false,
                "away is out of office until Wed 18 Nov 2026",
            ),
            ("full@x.test", false, "full is at their cap (10/10 open)"),
            ("night@x.test", false, "night is outside working hours"),
            ("ok@x.test", true, "their weighted turn in sales (weight 2)"),
            ("ok2@x.test", false, "available, but not their turn yet"),
        ]
        .map(|(e, c, w)| (e.to_string(), c, w.to_string()));
        assert_eq!(got, want);
        assert_eq!(
            a.team_reason.as_ref().map(Text::to_string).as_deref(),
            Some("[routing] fallback_team is sales")
        );
        let lines = a
            .explanation(None)
            .lines(Locale::En, Tz::UTC, &|e: &str| e.to_string());
        assert_eq!(lines.len(), 2 + want.len(), "{lines:?}");
        assert!(
            lines[0].starts_with("Assigned to ok@x.test: round-robin in sales;"),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|l| l
                == "✗ skipped night (night@x.test), rotation step: night is outside working hours"),
            "{lines:?}"
        );

        let mut us = sample_lead(2);
        us.country = Some("US".into());
        let a = route(&dir, &us, &s);
        assert_eq!(
            a.team_reason.as_ref().map(Text::to_string).as_deref(),
            Some("rule 1 picked team sales")
        );
    }

    #[test]
    fn a_decision_is_read_in_the_readers_language_and_old_ones_as_written() {
        let mut away = rep("bob@x.test", "sales", 1);
        away.name = "Bob".into();
        away.out_of_office = vec![DateRange {
            first: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        }];
        let mut full = rep("dana@x.test", "sales", 1);
        full.name = "Dana".into();
        full.max_open = Some(1);
        let mut ann = rep("ann@x.test", "sales", 1);
        ann.name = "Ann".into();
        let dir = directory(
            vec![ann, away, full],
            vec![team("sales", RoutingMode::RoundRobin)],
            vec![],
        );
        let open: HashMap<String, u32> = [("dana@x.test".to_string(), 1)].into();
        let rotations = HashMap::new();
        let s = Situation {
            now: at(TUESDAY_NOON),
            open: &open,
            rotations: &rotations,
            exclude: &[],
            account: None,
            away: &HashMap::new(),
        };
        let a = route(&dir, &sample_lead(1), &s);
        let stored = serde_json::to_string(&a.explanation(None)).unwrap();
        let read: Explanation = serde_json::from_str(&stored).unwrap();
        let name = |e: &str| dir.person(e).map_or(e.to_string(), |p| p.name.clone());
        let en = read.lines(Locale::En, Tz::UTC, &name);
        assert_eq!(
            en[0],
            "Assigned to Ann: round-robin in sales; Bob is out of office until Fri 20 Nov 2026; Dana is at their cap (1/1 open)"
        );
        let pt = read.lines(Locale::PtBr, Tz::UTC, &name).join("\n");
        assert!(pt.starts_with("Atribuído a Ann: rodízio em sales; Bob está ausente até sex., 20 de nov. de 2026; Dana está no limite (1/1 em aberto)"), "{pt}");
        assert!(pt.contains("✓ fica com o lead: Ann (ann@x.test), etapa do rodízio: a vez no rodízio ponderado de sales (peso 1)"), "{pt}");
        let it = read.summary_in(Locale::It, Tz::UTC);
        assert!(it.contains("Dana è al limite (1/1 aperto)"), "{it}");
        let es = read.summary_in(Locale::Es, Tz::UTC);
        assert!(
            es.starts_with("rotación en sales; Bob está fuera de la oficina hasta el "),
            "{es}"
        );
        for text in [&pt, &it, &es] {
            for english in ["round-robin", "out of office", "cap", "weighted", "skipped"] {
                assert!(!text.contains(english), "{english} in {text}");
            }
        }

        // A decision stored before the reasons were kept as messages reads as written.
        let old = r#"{"summary":"round-robin in sales","assignee":"ann@x.test","team_reason":"rule 1 picked team sales","candidates":[{"email":"ann@x.test","name":"Ann","step":"rotation","chosen":true,"why":"their weighted turn in sales (weight 1)"}]}"#;
        let old: Explanation = serde_json::from_str(old).unwrap();
        let lines = old.lines(Locale::PtBr, Tz::UTC, &name);
        assert_eq!(lines[0], "Atribuído a Ann: round-robin in sales");
        assert_eq!(lines[1], "Equipe: rule 1 picked team sales");
        assert!(
            lines[2].ends_with("their weighted turn in sales (weight 1)"),
            "{lines:?}"
        );
    }
}
