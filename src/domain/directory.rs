//! The people and teams Baton knows, with their calendars and the route rules that pick a
//! team for a lead. Built once from the validated config; read-only afterwards.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::lead::{Lead, LeadMatcher};
use crate::i18n::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Rep,
    Manager,
    Marketer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
            Role::Marketer => "marketer",
            Role::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoutingMode {
    #[default]
    OwnerThenRoundRobin,
    RoundRobin,
    OwnerOnly,
}

/// An inclusive range of local dates when a person is away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Lower-case email; the person's identity everywhere in Baton.
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub calendar: Option<String>,
    pub slack_id: Option<String>,
    pub discord_id: Option<String>,
    pub out_of_office: Vec<DateRange>,
    pub weight: u32,
    pub max_open: Option<u32>,
    /// The language of this person's direct messages, when they chose one.
    pub locale: Option<Locale>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub name: String,
    pub manager: String,
    pub channel: Option<String>,
    pub discord_channel_id: Option<String>,
    pub routing: RoutingMode,
    pub calendar: Option<String>,
    /// The language of the team's channel and of members who chose none.
    pub locale: Option<Locale>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub when: LeadMatcher,
    pub team: String,
}

/// Everyone and everything routing needs to know, resolved and cross-checked by the config.
#[derive(Debug, Clone)]
pub struct Directory {
    pub people: Vec<Person>,
    pub teams: Vec<Team>,
    pub calendars: HashMap<String, Calendar>,
    pub routes: Vec<Route>,
    pub fallback_team: Option<String>,
    /// The roles an `owner_email` routes to (`[routing] owner_roles`, default reps only):
    /// a lead owned by anyone else goes on to the rules and the rotation.
    pub owner_roles: Vec<Role>,
    always_open: Calendar,
}

impl Directory {
    pub fn new(
        people: Vec<Person>,
        teams: Vec<Team>,
        calendars: HashMap<String, Calendar>,
        routes: Vec<Route>,
        fallback_team: Option<String>,
    ) -> Directory {
        Directory {
            people,
            teams,
            calendars,
            routes,
            fallback_team,
            owner_roles: vec![Role::Rep],
            always_open: Calendar::always_open(),
        }
    }

    pub fn person(&self, email: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.email.eq_ignore_ascii_case(email.trim()))
    }

    /// The language of a direct message to `email`: the person's, else their team's,
    /// else `fallback` (`[reporting] locale`).
    pub fn locale_of_person(&self, email: &str, fallback: Locale) -> Locale {
        let person = self.person(email);
        person
            .and_then(|p| p.locale)
            .or_else(|| {
                person
                    .and_then(|p| p.team.as_deref())
                    .and_then(|t| self.team(t))
                    .and_then(|t| t.locale)
            })
            .unwrap_or(fallback)
    }

    /// The language of a team's channel: the team's, else `fallback`.
    pub fn locale_of_team(&self, team: &str, fallback: Locale) -> Locale {
        self.team(team).and_then(|t| t.locale).unwrap_or(fallback)
    }

    pub fn team(&self, name: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.name == name)
    }

    /// The reps of a team, in config order (the order breaks ties in the rotation).
    pub fn reps_of<'a>(&'a self, team: &'a str) -> impl Iterator<Item = &'a Person> + 'a {
        self.people
            .iter()
            .filter(move |p| p.role == Role::Rep && p.team.as_deref() == Some(team))
    }

    pub fn admins(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| p.role == Role::Admin)
    }

    /// The calendar a person works by: their own, else their team's, else the first one
    /// configured, else always open (UTC).
    pub fn calendar_of(&self, person: &Person) -> &Calendar {
        person
            .calendar
            .as_deref()
            .or_else(|| {
                person
                    .team
                    .as_deref()
                    .and_then(|t| self.team(t))
                    .and_then(|t| t.calendar.as_deref())
            })
            .and_then(|name| self.calendars.get(name))
            .unwrap_or_else(|| self.default_calendar())
    }

    /// The calendar of a team: its own, else the first configured, else always open.
    pub fn calendar_of_team(&self, team: &Team) -> &Calendar {
        team.calendar
            .as_deref()
            .and_then(|name| self.calendars.get(name))
            .unwrap_or_else(|| self.default_calendar())
    }

    fn default_calendar(&self) -> &Calendar {
        self.calendars
            .values()
            .min_by(|a, b| a.name().cmp(b.name()))
            .unwrap_or(&self.always_open)
    }

    /// The first `[[route]]` whose `when` matches, else `[routing] fallback_team`.
    pub fn team_for(&self, lead: &Lead) -> Option<&Team> {
        self.routes
            .iter()
            .find(|route| route.when.matches(lead))
            .map(|route| route.team.as_str())
            .or(self.fallback_team.as_deref())
            .and_then(|name| self.team(name))
    }

    /// The date range a person is away on `at` (in their calendar's zone), from the config
    /// and from what they said in chat (`chat`), if any.
    pub fn away_with(
        &self,
        person: &Person,
        at: DateTime<Utc>,
        chat: &super::availability::Availabilities,
    ) -> Option<DateRange> {
        super::availability::away_on(
            &person.out_of_office,
            chat.get(&person.email),
            self.today_of(person, at),
        )
    }

    /// The local date of `at` in the person's calendar.
    pub fn today_of(&self, person: &Person, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.calendar_of(person).tz())
            .date_naive()
    }

    /// The date range a person is away on `at` (in their calendar's zone), if any.
    pub fn away_on(&self, person: &Person, at: DateTime<Utc>) -> Option<DateRange> {
        let today = at
            .with_timezone(&self.calendar_of(person).tz())
            .date_naive();
        person
            .out_of_office
            .iter()
            .find(|range| range.contains(today))
            .copied()
    }
}
