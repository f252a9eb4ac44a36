//! The checks: one function per section of the settings, each turning its section into
//! typed values and pushing a problem for everything wrong with it. Every problem names
//! its key and the fix, and all of them are collected before Baton gives up, so one run
//! of `baton check-config` shows them all.
//!
//! A section whose value another section needs (the people, for `[digest] to`; the
//! reporting time zone, for the digest's) returns it even when it has problems, with a
//! harmless stand-in, so the later checks still run; [`config`] then refuses the whole.
//! The problems come out in the order of this file's calls, which is the order of the
//! sections in SPEC §2's example file.

mod chat;
mod database;
mod marketing;
mod mql;
mod people;
mod reporting;
mod routes;
mod server;
mod sla;

use std::collections::HashMap;

pub use people::parse_date_range;

use super::{Config, ConfigError, Settings};
use crate::domain::directory::Directory;
use crate::i18n::Locale;

/// The problems found so far, each a sentence naming its key.
pub(super) type Problems = Vec<String>;

/// Checks every section of `settings`, with the secrets read from `env`, into a
/// [`Config`]; or every problem found, under `source`.
pub(super) fn config(
    source: &str,
    settings: Settings,
    env: &HashMap<String, String>,
) -> Result<Config, ConfigError> {
    let mut problems = Problems::new();
    let p = &mut problems;
    let calendars = people::calendars(&settings.calendars, p);
    let people = people::people(&settings, p);
    let teams = people::teams(&settings, p);
    let routes = routes::routes(&settings, p);
    routes::routing(&settings, p);
    let policies = sla::policies(&settings.slas, p);
    marketing::feedback(&settings.feedback, p);
    marketing::marketing(&settings.marketing, p);
    let reporting = reporting::reporting(&settings.reporting, p);
    let digest = reporting::digest(&settings.digest, reporting.tz, &people, p);
    server::health(&settings.health, p);
    server::watch(&settings.watch, p);
    let listen = server::server(&settings.server, p);
    let slack = chat::slack(&settings.slack, env, p);
    let discord = chat::discord(&settings, env, p);
    let database_path = database::database(&settings.database, p);
    let score_model = mql::mql(&settings.mql, p);

    // A section returns `None` only after pushing its problem, so the error is never empty.
    let (true, Some(digest), Some(listen), Some(database_path)) =
        (problems.is_empty(), digest, listen, database_path)
    else {
        return Err(ConfigError {
            source: source.to_string(),
            problems,
        });
    };

    let console = chat::console(&settings);
    let api_token = super::Secret::from_env(env, &settings.server.api_token_env);
    let mut directory = Directory::new(
        people,
        teams,
        calendars,
        routes,
        settings.routing.fallback_team.clone(),
    );
    directory.owner_roles = settings.routing.owner_roles.clone();
    Ok(Config {
        source: source.to_string(),
        directory,
        database_path,
        listen,
        console_enabled: console.enabled,
        console_output: console.output,
        reporting_tz: reporting.tz,
        reporting_locale: reporting.locale,
        digest_schedule: digest.weekly,
        rep_daily_schedule: digest.rep_daily,
        api_token,
        slack_bot_token: slack.bot_token,
        slack_signing_secret: slack.signing_secret,
        slack_app_token: slack.app_token,
        discord_bot_token: discord.bot_token,
        discord_public_key: discord.public_key,
        policies,
        score_model,
        settings,
    })
}

/// `{key}: locale` parsed, or a problem naming the key and the allowed values.
fn locale(problems: &mut Problems, key: &str, locale: &Option<String>) -> Option<Locale> {
    let text = locale.as_deref()?;
    match text.parse::<Locale>() {
        Ok(locale) => Some(locale),
        Err(_) => {
            problems.push(format!(
                "{key}: locale \"{text}\" is not offered: use one of {}",
                Locale::allowed()
            ));
            None
        }
    }
}

/// What the table tests of the check modules share: a row is a TOML snippet, and the
/// check under test is run on its settings.
#[cfg(test)]
mod table {
    use super::{Problems, Settings};

    /// The typed settings of `text`, which must have the right shape (a test's typo
    /// fails here, not as a problem of the check).
    pub fn settings(text: &str) -> Settings {
        toml::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// `check` run on the settings of `text`: its value and the problems it found.
    pub fn run<T>(text: &str, check: impl FnOnce(&Settings, &mut Problems) -> T) -> (T, Problems) {
        let settings = settings(text);
        let mut problems = Problems::new();
        let value = check(&settings, &mut problems);
        (value, problems)
    }

    /// Each row's problems are exactly the ones given, in order.
    pub fn expect_problems<T>(
        rows: &[(&str, &[&str])],
        check: impl Fn(&Settings, &mut Problems) -> T,
    ) {
        for (text, want) in rows {
            let (_, got) = run(text, &check);
            assert_eq!(got, *want, "problems of:\n{text}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_are_parsed_or_named_with_the_choices() {
        let rows: &[(Option<&str>, Option<Locale>, &[&str])] = &[
            (None, None, &[]),
            (Some("pt-BR"), Some(Locale::PtBr), &[]),
            (Some("en"), Some(Locale::En), &[]),
            (
                Some("klingon"),
                None,
                &["team[0] (x): locale \"klingon\" is not offered: use one of en, pt-BR, es, it"],
            ),
        ];
        for (text, want, want_problems) in rows {
            let mut problems = Problems::new();
            let got = locale(&mut problems, "team[0] (x)", &text.map(str::to_string));
            assert_eq!(got, *want, "{text:?}");
            assert_eq!(problems, *want_problems, "{text:?}");
        }
    }

    #[test]
    fn problems_of_several_sections_come_in_section_order() {
        let text = "[watch]\npoll_ms = 0\n[reporting]\ntimezone = \"Mars/Base\"\n[[route]]\nteam = \"x\"\n";
        let err = config("t", table::settings(text), &HashMap::new()).unwrap_err();
        assert_eq!(
            err.problems,
            [
                "route[0]: team \"x\" is not a [[team]]: add it or fix the name",
                "reporting.timezone: \"Mars/Base\" is not an IANA time zone: use a name such as \"Europe/Berlin\" or \"UTC\"",
                "watch.poll_ms: 0 is out of range: use 1 to 60000 (default 100)",
            ]
        );
    }
}
