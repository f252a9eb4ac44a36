//! `[[calendar]]`, `[[person]]` and `[[team]]`: the directory. Names are unique, every
//! reference (a person's team and calendar, a team's manager and calendar) points at
//! something declared, and dates and locales parse.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{Problems, locale};
use crate::config::{CalendarSettings, Settings};
use crate::domain::calendar::Calendar;
use crate::domain::directory::{DateRange, Person, Role, Team};
use crate::domain::lead::OneOrMany;

/// `[[calendar]]`: each parsed, by name.
pub fn calendars(
    settings: &[CalendarSettings],
    problems: &mut Problems,
) -> HashMap<String, Calendar> {
    let mut calendars = HashMap::new();
    for (i, c) in settings.iter().enumerate() {
        let hours: Vec<String> = match &c.hours {
            OneOrMany::One(one) => vec![one.clone()],
            OneOrMany::Many(many) => many.clone(),
        };
        match Calendar::parse(&c.name, &c.timezone, &hours, &c.holidays) {
            Ok(calendar) => {
                if calendars.insert(c.name.clone(), calendar).is_some() {
                    problems.push(format!("calendar[{i}]: the name \"{}\" is used twice: give each [[calendar]] its own name", c.name));
                }
            }
            Err(e) => problems.push(format!("calendar[{i}] \"{}\": {e}", c.name)),
        }
    }
    calendars
}

/// A problem when `name` is not a declared `[[calendar]]`. A calendar that is declared but
/// has its own problem (a bad time zone, bad hours) is reported once, there, and not again
/// for everyone who uses it.
fn check_calendar(settings: &Settings, problems: &mut Problems, key: &str, name: &Option<String>) {
    if let Some(name) = name
        && !settings.calendars.iter().any(|c| c.name == *name)
    {
        problems.push(format!(
            "{key}: calendar \"{name}\" is not a [[calendar]]: add it or fix the name"
        ));
    }
}

/// `[[person]]`: emails (trimmed, lowercase) unique and well formed, teams and calendars
/// declared, weights and caps positive, `out_of_office` dates.
pub fn people(settings: &Settings, problems: &mut Problems) -> Vec<Person> {
    let team_names: HashSet<&str> = settings.teams.iter().map(|t| t.name.as_str()).collect();
    let mut people = Vec::new();
    let mut seen = HashSet::new();
    for (i, p) in settings.people.iter().enumerate() {
        let email = p.email.trim().to_lowercase();
        let key = format!("person[{i}] ({email})");
        if !is_email(&email) {
            problems.push(format!(
                "person[{i}]: \"{}\" is not an email address: write it like ana@example.com",
                p.email
            ));
        }
        if !seen.insert(email.clone()) {
            problems.push(format!(
                "{key}: the email is listed twice: keep one [[person]] per email"
            ));
        }
        if let Some(team) = &p.team
            && !team_names.contains(team.as_str())
        {
            problems.push(format!(
                "{key}: team \"{team}\" is not a [[team]]: add it or fix the name"
            ));
        }
        if p.role == Role::Rep && p.team.is_none() {
            problems.push(format!("{key}: a rep needs a team: set team = \"...\""));
        }
        check_calendar(settings, problems, &key, &p.calendar);
        if p.weight == 0 {
            problems.push(format!(
                "{key}: weight must be 1 or more (use out_of_office to pause someone)"
            ));
        }
        if p.max_open == Some(0) {
            problems.push(format!(
                "{key}: max_open must be 1 or more, or left out for no cap"
            ));
        }
        let mut out_of_office = Vec::new();
        for text in &p.out_of_office {
            match parse_date_range(text) {
                Some(range) => out_of_office.push(range),
                None => problems.push(format!(
                    "{key}: out_of_office \"{text}\" is not a date or range: write \"2026-12-24\" or \"2026-12-20..2027-01-03\""
                )),
            }
        }
        people.push(Person {
            name: p
                .name
                .clone()
                .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string()),
            email,
            role: p.role,
            team: p.team.clone(),
            calendar: p.calendar.clone(),
            slack_id: p.slack_id.clone(),
            discord_id: p.discord_id.clone(),
            out_of_office,
            weight: p.weight.max(1),
            max_open: p.max_open,
            locale: locale(problems, &key, &p.locale),
        });
    }
    people
}

/// `[[team]]`: names unique, the manager a `[[person]]`, the calendar declared.
pub fn teams(settings: &Settings, problems: &mut Problems) -> Vec<Team> {
    let emails: HashSet<String> = settings
        .people
        .iter()
        .map(|p| p.email.trim().to_lowercase())
        .collect();
    let mut teams = Vec::new();
    let mut seen = HashSet::new();
    for (i, t) in settings.teams.iter().enumerate() {
        let key = format!("team[{i}] ({})", t.name);
        if !seen.insert(t.name.as_str()) {
            problems.push(format!(
                "{key}: the name is used twice: give each [[team]] its own name"
            ));
        }
        let manager = t.manager.trim().to_lowercase();
        if !emails.contains(&manager) {
            problems.push(format!(
                "{key}: manager \"{}\" is not a [[person]]: add them (role = \"manager\") or fix the email",
                t.manager
            ));
        }
        check_calendar(settings, problems, &key, &t.calendar);
        let locale = locale(problems, &key, &t.locale);
        teams.push(Team {
            name: t.name.clone(),
            manager,
            channel: t.channel.clone(),
            discord_channel_id: t.discord_channel_id.clone(),
            routing: t.routing,
            calendar: t.calendar.clone(),
            locale,
        });
    }
    teams
}

fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// `2026-12-24` or `2026-12-20..2027-01-03`.
pub fn parse_date_range(text: &str) -> Option<DateRange> {
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let (first, last) = match text.split_once("..") {
        Some((a, b)) => (date(a)?, date(b)?),
        None => (date(text)?, date(text)?),
    };
    (first <= last).then_some(DateRange { first, last })
}

#[cfg(test)]
mod tests {
    use super::super::table::{expect_problems, run};
    use super::*;
    use crate::i18n::Locale;

    const TEAM: &str = "[[team]]\nname = \"emea\"\nmanager = \"mia@x.io\"\n[[person]]\nemail = \"mia@x.io\"\nrole = \"manager\"\n";
    const BERLIN: &str = "[[calendar]]\nname = \"berlin\"\ntimezone = \"Europe/Berlin\"\nhours = \"Mon-Fri 09:00-17:00\"\n";

    #[test]
    fn calendars_are_parsed_and_named_once() {
        let twice = format!("{BERLIN}{BERLIN}");
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (BERLIN, &[]),
            (
                &twice,
                &[
                    "calendar[1]: the name \"berlin\" is used twice: give each [[calendar]] its own name",
                ],
            ),
        ];
        expect_problems(rows, |s, p| calendars(&s.calendars, p));
        let (parsed, _) = run(BERLIN, |s, p| calendars(&s.calendars, p));
        assert_eq!(parsed["berlin"].tz(), chrono_tz::Europe::Berlin);
        let (_, problems) = run(
            "[[calendar]]\nname = \"moon\"\ntimezone = \"Moon/Base\"\nhours = \"Mon-Fri 09:00-17:00\"\n",
            |s, p| calendars(&s.calendars, p),
        );
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("calendar[0] \"moon\": "),
            "{problems:?}"
        );
    }

    #[test]
    fn people_have_valid_emails_teams_and_dates() {
        let person = |extra: &str| {
            format!(
                "{TEAM}[[person]]\nemail = \"Ana@X.io \"\nrole = \"rep\"\nteam = \"emea\"\n{extra}"
            )
        };
        let rows: Vec<(String, &[&str])> = vec![
            (person(""), &[]),
            (
                "[[person]]\nemail = \"ana\"\nrole = \"admin\"\n".into(),
                &["person[0]: \"ana\" is not an email address: write it like ana@example.com"],
            ),
            (
                format!("{TEAM}[[person]]\nemail = \"MIA@x.io\"\nrole = \"admin\"\n"),
                &["person[1] (mia@x.io): the email is listed twice: keep one [[person]] per email"],
            ),
            (
                "[[person]]\nemail = \"ana@x.io\"\nrole = \"rep\"\n".into(),
                &["person[0] (ana@x.io): a rep needs a team: set team = \"...\""],
            ),
            (
                "[[person]]\nemail = \"ana@x.io\"\nrole = \"rep\"\nteam = \"apac\"\n".into(),
                &["person[0] (ana@x.io): team \"apac\" is not a [[team]]: add it or fix the name"],
            ),
            (
                person("calendar = \"tokyo\"\n"),
                &[
                    "person[1] (ana@x.io): calendar \"tokyo\" is not a [[calendar]]: add it or fix the name",
                ],
            ),
            (
                person("weight = 0\nmax_open = 0\n"),
                &[
                    "person[1] (ana@x.io): weight must be 1 or more (use out_of_office to pause someone)",
                    "person[1] (ana@x.io): max_open must be 1 or more, or left out for no cap",
                ],
            ),
            (
                person("out_of_office = [\"2026-12-24\", \"2027-01-03..2026-12-20\", \"soon\"]\n"),
                &[
                    "person[1] (ana@x.io): out_of_office \"2027-01-03..2026-12-20\" is not a date or range: write \"2026-12-24\" or \"2026-12-20..2027-01-03\"",
                    "person[1] (ana@x.io): out_of_office \"soon\" is not a date or range: write \"2026-12-24\" or \"2026-12-20..2027-01-03\"",
                ],
            ),
            (
                person("locale = \"fr\"\n"),
                &[
                    "person[1] (ana@x.io): locale \"fr\" is not offered: use one of en, pt-BR, es, it",
                ],
            ),
        ];
        for (text, want) in &rows {
            let (_, got) = run(text, people);
            assert_eq!(got, *want, "{text}");
        }
        let text = person(BERLIN);
        let text = text.replace(
            "team = \"emea\"\n",
            "team = \"emea\"\ncalendar = \"berlin\"\nlocale = \"es\"\nout_of_office = [\"2026-12-20..2027-01-03\"]\n",
        );
        let (got, problems) = run(&text, people);
        assert_eq!(problems, Vec::<String>::new());
        let ana = &got[1];
        assert_eq!((ana.email.as_str(), ana.name.as_str()), ("ana@x.io", "ana"));
        assert_eq!(ana.calendar.as_deref(), Some("berlin"));
        assert_eq!(ana.locale, Some(Locale::Es));
        assert_eq!(
            ana.out_of_office,
            [parse_date_range("2026-12-20..2027-01-03").unwrap()]
        );
    }

    #[test]
    fn teams_have_a_unique_name_and_a_manager_who_is_a_person() {
        let rows: &[(&str, &[&str])] = &[
            (TEAM, &[]),
            (
                "[[team]]\nname = \"emea\"\nmanager = \"bob@x.io\"\n",
                &[
                    "team[0] (emea): manager \"bob@x.io\" is not a [[person]]: add them (role = \"manager\") or fix the email",
                ],
            ),
            (
                "[[team]]\nname = \"emea\"\nmanager = \"mia@x.io\"\n[[team]]\nname = \"emea\"\nmanager = \" MIA@x.io\"\n[[person]]\nemail = \"mia@x.io\"\nrole = \"manager\"\n",
                &["team[1] (emea): the name is used twice: give each [[team]] its own name"],
            ),
            (
                "[[team]]\nname = \"emea\"\nmanager = \"mia@x.io\"\ncalendar = \"x\"\nlocale = \"xx\"\n[[person]]\nemail = \"mia@x.io\"\nrole = \"manager\"\n",
                &[
                    "team[0] (emea): calendar \"x\" is not a [[calendar]]: add it or fix the name",
                    "team[0] (emea): locale \"xx\" is not offered: use one of en, pt-BR, es, it",
                ],
            ),
        ];
        expect_problems(rows, teams);
        let (got, _) = run(
            "[[team]]\nname = \"emea\"\nmanager = \" MIA@x.io\"\nlocale = \"it\"\n",
            teams,
        );
        assert_eq!(got[0].manager, "mia@x.io");
        assert_eq!(got[0].locale, Some(Locale::It));
    }

    #[test]
    fn date_ranges() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let rows: &[(&str, Option<(&str, &str)>)] = &[
            ("2026-12-24", Some(("2026-12-24", "2026-12-24"))),
            ("2026-12-20..2027-01-03", Some(("2026-12-20", "2027-01-03"))),
            (
                " 2026-12-20 .. 2026-12-21 ",
                Some(("2026-12-20", "2026-12-21")),
            ),
            ("2027-01-03..2026-12-20", None),
            ("24.12.2026", None),
            ("", None),
        ];
        for (text, want) in rows {
            let want = want.map(|(a, b)| DateRange {
                first: d(a),
                last: d(b),
            });
            assert_eq!(parse_date_range(text), want, "{text}");
        }
    }
}
