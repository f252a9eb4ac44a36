//! Settings: one TOML file, overridden by `BATON__SECTION__KEY` environment variables,
//! typed with `deny_unknown_fields`, then cross-checked. Everything that can be wrong with
//! a config is found here, at start, and reported with the key and the fix; the rest of
//! Baton takes a [`Config`] as proof that the settings are valid.
//!
//! Secrets never live in the file: the file names environment variables and the values are
//! read into [`Secret`], which never prints its contents.
//!
//! The parts: [`settings`] (the file's shape), `env` (the overrides), [`secret`], and
//! `check` (one function per section, from settings to typed values or problems). This
//! module ties them together: [`Config::load`] and [`Config::from_toml`].

mod check;
mod env;
pub mod secret;
pub mod settings;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use check::parse_date_range;
pub use secret::{
    DISCORD_BOT_TOKEN, DISCORD_PUBLIC_KEY, SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
    Secret,
};
pub use settings::*;

use crate::domain::directory::Directory;
use crate::domain::schedule::Schedule;
use crate::domain::scoring::ScoreModel;
use crate::domain::sla::Policy;
use crate::i18n::Locale;

/// The file used when no `--config` is given, if it exists.
pub const DEFAULT_PATH: &str = "config/baton.toml";

/// Where console messages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleOutput {
    Stdout,
    File(PathBuf),
}

/// A config that passed every check.
#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    pub source: String,
    pub directory: Directory,
    pub database_path: PathBuf,
    /// `[server] listen`, parsed.
    pub listen: SocketAddr,
    pub console_enabled: bool,
    pub console_output: ConsoleOutput,
    pub reporting_tz: chrono_tz::Tz,
    /// `[reporting] locale`: the language of whoever sets none (default `en`).
    pub reporting_locale: Locale,
    /// `[digest] cron` in `[digest] timezone` (default: the reporting time zone).
    pub digest_schedule: Schedule,
    /// `[digest] rep_daily_cron`, when set, in the digest's time zone; each rep's morning
    /// summary runs it in the zone of their calendar ([`Schedule::in_zone`]).
    pub rep_daily_schedule: Option<Schedule>,
    pub api_token: Option<Secret>,
    /// `SLACK_BOT_TOKEN`: required when `[slack] enabled`.
    pub slack_bot_token: Option<Secret>,
    /// `SLACK_SIGNING_SECRET`: required in Slack's http mode.
    pub slack_signing_secret: Option<Secret>,
    /// `SLACK_APP_TOKEN`: required in Slack's socket mode.
    pub slack_app_token: Option<Secret>,
    /// `DISCORD_BOT_TOKEN`: required when `[discord] enabled`.
    pub discord_bot_token: Option<Secret>,
    /// `DISCORD_PUBLIC_KEY` (64 hex digits): required in Discord's http mode.
    pub discord_public_key: Option<Secret>,
    /// The `[[sla]]` policies, in order.
    pub policies: Vec<Policy>,
    /// The MQL score model when `[mql] mode = "score"`.
    pub score_model: Option<ScoreModel>,
}

/// Everything wrong with a config, each problem naming its key and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub source: String,
    pub problems: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {one}", self.source),
            many => {
                write!(f, "{} has {} problems:", self.source, many.len())?;
                for problem in many {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Loads the config: `path` if given, else `config/baton.toml` if present, else the
    /// built-in defaults; then applies `BATON__…` overrides from `env` and checks it all.
    pub fn load(path: Option<&Path>, env: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let (source, text) = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
                    source: path.display().to_string(),
                    problems: vec![format!(
                        "cannot read the config file ({e}): check the path given to --config or BATON_CONFIG"
                    )],
                })?;
                (path.display().to_string(), text)
            }
            None if Path::new(DEFAULT_PATH).exists() => {
                let text = std::fs::read_to_string(DEFAULT_PATH).map_err(|e| ConfigError {
                    source: DEFAULT_PATH.into(),
                    problems: vec![format!("cannot read the config file: {e}")],
                })?;
                (DEFAULT_PATH.to_string(), text)
            }
            None => ("built-in defaults".to_string(), String::new()),
        };
        let mut config = Config::from_toml(&source, &text, env)?;
        // SPEC §2: a relative database path is relative to the config file, not to the
        // folder Baton happens to be started from.
        if let Some(folder) = path
            .or_else(|| {
                Path::new(DEFAULT_PATH)
                    .exists()
                    .then_some(Path::new(DEFAULT_PATH))
            })
            .and_then(Path::parent)
            && config.database_path.is_relative()
        {
            config.database_path = folder.join(&config.database_path);
        }
        Ok(config)
    }

    /// Parses and checks config text; `source` names it in error messages.
    pub fn from_toml(
        source: &str,
        text: &str,
        env: &HashMap<String, String>,
    ) -> Result<Config, ConfigError> {
        let fail = |problem: String| ConfigError {
            source: source.to_string(),
            problems: vec![problem],
        };
        let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|span| text[..span.start].lines().count().max(1))
                .map(|line| format!("line {line}: "))
                .unwrap_or_default();
            fail(format!("{line}{}", e.message()))
        })?;
        env::apply_env_overrides(&mut table, env).map_err(fail)?;
        let settings: Settings = serde_path_to_error::deserialize(toml::Value::Table(table))
            .map_err(|e| {
                let path = e.path().to_string();
                fail(format!("`{}`: {}", path_for_people(&path), e.inner()))
            })?;
        check::config(source, settings, env)
    }

    /// One warning for each person who can receive nothing: the console is off and no
    /// enabled chat platform can reach them (Slack finds people by email or `slack_id`;
    /// Discord needs `discord_id` or a confirmed `/baton link`).
    pub fn unreachable_people(&self) -> Vec<String> {
        if self.console_enabled || self.settings.slack.enabled {
            return Vec::new();
        }
        self.directory
            .people
            .iter()
            .filter(|p| !(self.settings.discord.enabled && p.discord_id.is_some()))
            .map(|p| {
                let fix = if self.settings.discord.enabled {
                    "set discord_id, or have them run /baton link and confirm it"
                } else {
                    "enable [console], [slack] or [discord]"
                };
                format!(
                    "{} ({}) can receive nothing: no platform reaches them and the console is off: {fix}",
                    p.email,
                    p.role.as_str()
                )
            })
            .collect()
    }

    /// The names of the enabled platforms, in the order Baton starts them.
    pub fn platform_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.console_enabled {
            names.push("console");
        }
        if self.settings.slack.enabled {
            names.push("slack");
        }
        if self.settings.discord.enabled {
            names.push("discord");
        }
        names
    }

    /// The resolved settings as TOML, for `baton check-config`. Secrets appear only as
    /// "set" or "not set".
    pub fn describe(&self) -> String {
        let mut out = format!("# config: {}\n", self.source);
        out.push_str(&format!(
            "# database file: {}\n# console: {}\n# {} people, {} teams, {} calendars, {} routes, {} SLA policies\n",
            self.database_path.display(),
            if self.console_enabled { "on" } else { "off" },
            self.directory.people.len(),
            self.directory.teams.len(),
            self.directory.calendars.len(),
            self.directory.routes.len(),
            self.settings.slas.len(),
        ));
        out.push_str(&format!(
            "# secret {}: {}\n",
            self.settings.server.api_token_env,
            if self.api_token.is_some() {
                "set (***)"
            } else {
                "not set: POST /api/v1/leads answers 401"
            }
        ));
        for (name, value) in [
            (SLACK_BOT_TOKEN, &self.slack_bot_token),
            (SLACK_SIGNING_SECRET, &self.slack_signing_secret),
            (SLACK_APP_TOKEN, &self.slack_app_token),
            (DISCORD_BOT_TOKEN, &self.discord_bot_token),
            (DISCORD_PUBLIC_KEY, &self.discord_public_key),
        ] {
            out.push_str(&format!(
                "# secret {name}: {}\n",
                if value.is_some() {
                    "set (***)"
                } else {
                    "not set"
                }
            ));
        }
        match toml::to_string_pretty(&self.settings) {
            Ok(text) => out.push_str(&text),
            Err(e) => out.push_str(&format!("# (could not print the settings: {e})\n")),
        }
        out
    }
}

/// `person.2.team` reads better as `person[2].team`.
fn path_for_people(path: &str) -> String {
    path.split('.').fold(String::new(), |mut out, part| {
        if part.chars().all(|c| c.is_ascii_digit()) && !out.is_empty() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> HashMap<String, String> {
        vars.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn problems(text: &str, vars: &[(&str, &str)]) -> Vec<String> {
        match Config::from_toml("t", text, &env(vars)) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems,
        }
    }

    #[test]
    fn the_file_and_the_overrides_are_typed_before_the_checks() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
        let rows: &[Row] = &[
            ("", &[], &[]),
            (
                "[watch]\npoll_ms = \"often\"\n",
                &[],
                &["`watch.poll_ms`: invalid type: string \"often\", expected u64"],
            ),
            ("[watch\n", &[], &["line 1: "]),
            (
                "",
                &[("BATON__WATCH__POLL_MS", "0")],
                &["watch.poll_ms: 0 is out of range: use 1 to 60000 (default 100)"],
            ),
            ("", &[("BATON__SERVER__LISTEN", "0.0.0.0:9000")], &[]),
            (
                "[[person]]\nemail = \"a@x.io\"\nrole = \"rep\"\nteem = \"x\"\n",
                &[],
                &[
                    "`person[0].teem`: unknown field `teem`, expected one of `email`, `name`, `role`, `team`, `calendar`, `slack_id`, `discord_id`, `out_of_office`, `weight`, `max_open`, `locale`",
                ],
            ),
        ];
        // The texts after the key come from the toml and serde crates; the key is ours.
        for (text, vars, want) in rows {
            let got = problems(text, vars);
            assert_eq!(got.len(), want.len(), "{text} {vars:?}: {got:?}");
            for (got, want) in got.iter().zip(want.iter()) {
                assert!(got.starts_with(want), "{text} {vars:?}: {got:?}");
            }
        }
    }

    #[test]
    fn typed_values_are_kept() {
        let text = "[server]\nlisten = \"0.0.0.0:9000\"\n[digest]\nrep_daily_cron = \"0 30 8 * * Mon-Fri\"\n[reporting]\ntimezone = \"Europe/Berlin\"\n";
        let config = Config::from_toml("t", text, &HashMap::new()).unwrap();
        assert_eq!(config.listen, "0.0.0.0:9000".parse::<SocketAddr>().unwrap());
        assert_eq!(config.digest_schedule.tz(), chrono_tz::Europe::Berlin);
        let daily = config.rep_daily_schedule.unwrap();
        assert_eq!(
            (daily.expr(), daily.tz()),
            ("0 30 8 * * Mon-Fri", chrono_tz::Europe::Berlin)
        );
        assert_eq!(config.database_path, PathBuf::from("baton.db"));
    }

    #[test]
    fn errors_read_as_one_line_or_a_list() {
        let one = ConfigError {
            source: "baton.toml".into(),
            problems: vec!["watch.poll_ms: bad".into()],
        };
        assert_eq!(one.to_string(), "baton.toml: watch.poll_ms: bad");
        let two = ConfigError {
            source: "baton.toml".into(),
            problems: vec!["a: bad".into(), "b: bad".into()],
        };
        assert_eq!(
            two.to_string(),
            "baton.toml has 2 problems:\n  - a: bad\n  - b: bad"
        );
    }

    #[test]
    fn describe_never_prints_a_secret() {
        let on = "[discord]\nenabled = true\n";
        let config =
            Config::from_toml("t", on, &env(&[("DISCORD_BOT_TOKEN", "secret-token")])).unwrap();
        let described = config.describe();
        assert!(described.contains("# secret DISCORD_BOT_TOKEN: set (***)"));
        assert!(described.contains("# secret DISCORD_PUBLIC_KEY: not set"));
        assert!(!described.contains("secret-token"));
        assert!(!format!("{config:?}").contains("secret-token"));
    }

    #[test]
    fn serde_paths_index_lists() {
        for (path, want) in [
            ("person.2.team", "person[2].team"),
            ("watch.poll_ms", "watch.poll_ms"),
            ("sla.0.remind_at.1", "sla[0].remind_at[1]"),
            ("0", "0"),
        ] {
            assert_eq!(path_for_people(path), want);
        }
    }
}
