//! Settings: one TOML file, overridden by `BATON__SECTION__KEY` environment variables,
//! typed with `deny_unknown_fields`, then cross-checked. Everything that can be wrong with
//! a config is found here, at start, and reported with the key and the fix; the rest of
//! Baton takes a [`Config`] as proof that the settings are valid.
//!
//! Secrets never live in the file: the file names environment variables and the values are
//! read into [`Secret`], which never prints its contents.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Calendar;
use crate::domain::directory::{DateRange, Directory, Person, Role, Route, RoutingMode, Team};
use crate::domain::duration::{Span, WindowSpec};
use crate::domain::handoff::RejectReason;
use crate::domain::lead::{LeadMatcher, OneOrMany};
use crate::domain::schedule::Schedule;
use crate::domain::scoring::{EngagementRule, FitRule, MqlMode, ScoreModel};
use crate::domain::sla::{BreachAction, OnReassign, Policy};
use crate::domain::stage::Stage;
use crate::i18n::Locale;

/// The file used when no `--config` is given, if it exists.
pub const DEFAULT_PATH: &str = "config/baton.toml";

/// The environment variables holding Slack's secrets.
pub const SLACK_BOT_TOKEN: &str = "SLACK_BOT_TOKEN";
pub const SLACK_SIGNING_SECRET: &str = "SLACK_SIGNING_SECRET";
pub const SLACK_APP_TOKEN: &str = "SLACK_APP_TOKEN";

/// The environment variables holding Discord's secrets.
pub const DISCORD_BOT_TOKEN: &str = "DISCORD_BOT_TOKEN";
pub const DISCORD_PUBLIC_KEY: &str = "DISCORD_PUBLIC_KEY";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub server: ServerSettings,
    pub watch: WatchSettings,
    pub console: ConsoleSettings,
    pub slack: SlackSettings,
    pub discord: DiscordSettings,
    #[serde(rename = "calendar")]
    pub calendars: Vec<CalendarSettings>,
    #[serde(rename = "person")]
    pub people: Vec<PersonSettings>,
    #[serde(rename = "team")]
    pub teams: Vec<TeamSettings>,
    #[serde(rename = "route")]
    pub routes: Vec<RouteSettings>,
    pub routing: RoutingSettings,
    #[serde(rename = "sla")]
    pub slas: Vec<SlaSettings>,
    pub marketing: MarketingSettings,
    pub feedback: FeedbackSettings,
    pub digest: DigestSettings,
    pub reporting: ReportingSettings,
    pub mql: MqlSettings,
    pub health: HealthSettings,
}

/// `[health]`: when `/healthz` says a loop does not keep up.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthSettings {
    /// The watcher's oldest unprocessed event (or the SLA loop's most overdue timer) may
    /// be this old.
    pub watcher_lag: Span,
    /// A message may be due this long before its platform counts as behind.
    pub outbox_lag: Span,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            watcher_lag: Span::from_secs(30),
            outbox_lag: Span::from_secs(5 * 60),
        }
    }
}

/// `[mql]`: how a lead becomes an MQL: another system sets the stage (`watch`), or Baton
/// scores leads by fit and engagement (`score`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MqlSettings {
    pub mode: MqlMode,
    pub threshold: f64,
    pub fit: Vec<FitRule>,
    pub engagement: Vec<EngagementRule>,
}

impl Default for MqlSettings {
    fn default() -> Self {
        MqlSettings {
            mode: MqlMode::Watch,
            threshold: 100.0,
            fit: Vec::new(),
            engagement: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    pub url: String,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: "sqlite://baton.db".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    pub listen: String,
    pub api_token_env: String,
    /// A connection that sends no whole request header for this long is closed: both a
    /// slow header and an idle keep-alive connection.
    pub idle_timeout: Span,
    /// A request not answered within this long gets 503.
    pub request_timeout: Span,
    /// Open connections at most; beyond it the longest-idle one is closed to make room.
    pub max_connections: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            listen: "127.0.0.1:8080".into(),
            api_token_env: "BATON_API_TOKEN".into(),
            idle_timeout: Span::from_secs(10),
            request_timeout: Span::from_secs(30),
            max_connections: 512,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WatchSettings {
    pub poll_ms: u64,
    pub max_alert_age: Span,
}

impl Default for WatchSettings {
    fn default() -> Self {
        WatchSettings {
            poll_ms: 100,
            max_alert_age: Span::from_secs(24 * 3600),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsoleFormat {
    #[default]
    Text,
    Jsonl,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleSettings {
    /// Defaults to on when neither Slack nor Discord is enabled.
    pub enabled: Option<bool>,
    pub output: String,
    pub format: ConsoleFormat,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        ConsoleSettings {
            enabled: None,
            output: "stdout".into(),
            format: ConsoleFormat::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlackMode {
    #[default]
    Socket,
    Http,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlackSettings {
    pub enabled: bool,
    pub mode: SlackMode,
    pub api_url: String,
    pub alert_channel: Option<String>,
}

impl Default for SlackSettings {
    fn default() -> Self {
        SlackSettings {
            enabled: false,
            mode: SlackMode::Socket,
            api_url: "https://slack.com/api/".into(),
            alert_channel: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiscordMode {
    #[default]
    Gateway,
    Http,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordSettings {
    pub enabled: bool,
    pub mode: DiscordMode,
    pub api_url: String,
    pub application_id: Option<String>,
    pub guild_id: Option<String>,
    pub alert_channel_id: Option<String>,
}

impl Default for DiscordSettings {
    fn default() -> Self {
        DiscordSettings {
            enabled: false,
            mode: DiscordMode::Gateway,
            api_url: "https://discord.com".into(),
            application_id: None,
            guild_id: None,
            alert_channel_id: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettings {
    pub name: String,
    pub timezone: String,
    pub hours: OneOrMany,
    #[serde(default)]
    pub holidays: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonSettings {
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    pub team: Option<String>,
    pub calendar: Option<String>,
    pub slack_id: Option<String>,
    pub discord_id: Option<String>,
    /// Dates (`2026-12-24`) or inclusive ranges (`2026-12-20..2027-01-03`).
    #[serde(default)]
    pub out_of_office: Vec<String>,
    #[serde(default = "one")]
    pub weight: u32,
    pub max_open: Option<u32>,
    /// The language of this person's direct messages (`en`, `pt-BR`, `es`, `it`).
    pub locale: Option<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSettings {
    pub name: String,
    pub manager: String,
    pub channel: Option<String>,
    pub discord_channel_id: Option<String>,
    #[serde(default)]
    pub routing: RoutingMode,
    /// The calendar used for SLA clocks of people who have none of their own.
    pub calendar: Option<String>,
    /// The language of the team's channel and of members who set none.
    pub locale: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSettings {
    #[serde(default)]
    pub when: LeadMatcher,
    pub team: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingSettings {
    pub fallback_team: Option<String>,
    /// The roles an `owner_email` routes to; others go to the rules and the rotation.
    pub owner_roles: Vec<crate::domain::directory::Role>,
    /// Whether an MQL goes to the owner of the account its domain matches.
    pub account_match: AccountMatch,
    /// Domains that belong to no company, added to the built-in free-mail list
    /// (`partner.com`, or `name.*` for every top-level domain).
    pub ignore_domains: Vec<String>,
    /// How long a domain's last accepted handoff makes its assignee the domain's owner
    /// when `accounts` has no row for it.
    pub account_memory: Span,
    /// How long an open handoff absorbs another MQL for the same email.
    pub duplicate_window: Span,
}

impl Default for RoutingSettings {
    fn default() -> Self {
        RoutingSettings {
            fallback_team: None,
            owner_roles: vec![crate::domain::directory::Role::Rep],
            account_match: AccountMatch::Domain,
            ignore_domains: Vec::new(),
            account_memory: Span::from_secs(180 * 86_400),
            duplicate_window: Span::from_secs(30 * 86_400),
        }
    }
}

/// `[routing] account_match`: match MQLs to accounts by domain, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountMatch {
    #[default]
    Domain,
    Off,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaSettings {
    pub name: String,
    #[serde(default)]
    pub when: LeadMatcher,
    pub ack: WindowSpec,
    pub first_touch: WindowSpec,
    pub disposition: WindowSpec,
    #[serde(default = "yes")]
    pub business_hours: bool,
    #[serde(default = "default_remind_at")]
    pub remind_at: Vec<f64>,
    #[serde(default = "default_on_breach")]
    pub on_breach: Vec<BreachAction>,
    /// `fresh` or `continue`; read as text so that a mistake names the key.
    #[serde(default = "default_on_reassign")]
    pub on_reassign: String,
    /// Read as a signed number so that a negative one names the key.
    #[serde(default = "default_max_reassign")]
    pub max_reassign: i64,
}

fn default_on_reassign() -> String {
    OnReassign::default().as_str().to_string()
}

fn default_max_reassign() -> i64 {
    2
}

fn yes() -> bool {
    true
}

fn default_remind_at() -> Vec<f64> {
    vec![0.5, 0.9]
}

fn default_on_breach() -> Vec<BreachAction> {
    vec![BreachAction::NotifyRep, BreachAction::NotifyManager]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetPeriodSetting {
    Week,
    #[default]
    Month,
    Quarter,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarketingSettings {
    pub mql_target: Option<u32>,
    pub mql_target_period: TargetPeriodSetting,
    pub acceptance_target: Option<f64>,
    /// Customers sales must win per `customer_target_period`: the digest's plan line.
    pub customer_target: Option<u32>,
    /// `week`, `month` or `quarter` [quarter].
    pub customer_target_period: Option<TargetPeriodSetting>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedbackSettings {
    pub reject_to: BTreeMap<String, Stage>,
}

impl FeedbackSettings {
    /// Where a rejected lead goes: the configured stage, else `disqualified` for spam,
    /// competitors and duplicates, else `lead`.
    pub fn stage_after_reject(&self, reason: &str) -> Stage {
        self.reject_to.get(reason).copied().unwrap_or(match reason {
            "spam" | "competitor" | "duplicate" => Stage::Disqualified,
            _ => Stage::Lead,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DigestSettings {
    /// Six fields, seconds first; day names, not numbers.
    pub cron: String,
    pub timezone: Option<String>,
    pub to: Vec<String>,
    pub rep_daily_cron: Option<String>,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            // Every Monday at 09:00 in the digest's time zone.
            cron: "0 0 9 * * Mon".into(),
            timezone: None,
            to: Vec::new(),
            rep_daily_cron: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportingSettings {
    pub timezone: String,
    /// The language of whoever sets none and has no team that sets one.
    pub locale: Option<String>,
}

impl Default for ReportingSettings {
    fn default() -> Self {
        ReportingSettings {
            timezone: "UTC".into(),
            locale: None,
        }
    }
}

/// A secret read from the environment. It prints as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

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
    pub console_enabled: bool,
    pub console_output: ConsoleOutput,
    pub reporting_tz: chrono_tz::Tz,
    /// `[reporting] locale`: the language of whoever sets none (default `en`).
    pub reporting_locale: Locale,
    /// `[digest] cron` in `[digest] timezone` (default: the reporting time zone).
    pub digest_schedule: Schedule,
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
        apply_env_overrides(&mut table, env).map_err(fail)?;
        let settings: Settings = serde_path_to_error::deserialize(toml::Value::Table(table))
            .map_err(|e| {
                let path = e.path().to_string();
                fail(format!("`{}`: {}", path_for_people(&path), e.inner()))
            })?;
        Config::check(source, settings, env)
    }

    fn check(
        source: &str,
        settings: Settings,
        env: &HashMap<String, String>,
    ) -> Result<Config, ConfigError> {
        let mut problems = Vec::new();

        let mut calendars = HashMap::new();
        for (i, c) in settings.calendars.iter().enumerate() {
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

        let team_names: HashSet<&str> = settings.teams.iter().map(|t| t.name.as_str()).collect();
        let emails: HashSet<String> = settings
            .people
            .iter()
            .map(|p| p.email.trim().to_lowercase())
            .collect();
        // A calendar that is declared but has its own problem (a bad time zone, bad hours)
        // is reported once, there, and not again for everyone who uses it.
        let declared: HashSet<&str> = settings.calendars.iter().map(|c| c.name.as_str()).collect();
        let check_calendar = |problems: &mut Vec<String>, key: String, name: &Option<String>| {
            if let Some(name) = name
                && !declared.contains(name.as_str())
            {
                problems.push(format!(
                    "{key}: calendar \"{name}\" is not a [[calendar]]: add it or fix the name"
                ));
            }
        };

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
            check_calendar(&mut problems, key.clone(), &p.calendar);
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
                locale: check_locale(&mut problems, &key, &p.locale),
            });
        }

        let mut teams = Vec::new();
        let mut seen_teams = HashSet::new();
        for (i, t) in settings.teams.iter().enumerate() {
            let key = format!("team[{i}] ({})", t.name);
            if !seen_teams.insert(t.name.as_str()) {
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
            check_calendar(&mut problems, key.clone(), &t.calendar);
            let locale = check_locale(&mut problems, &key, &t.locale);
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

        let mut routes = Vec::new();
        for (i, r) in settings.routes.iter().enumerate() {
            if !team_names.contains(r.team.as_str()) {
                problems.push(format!(
                    "route[{i}]: team \"{}\" is not a [[team]]: add it or fix the name",
                    r.team
                ));
            }
            routes.push(Route {
                when: r.when.clone(),
                team: r.team.clone(),
            });
        }
        if let Some(team) = &settings.routing.fallback_team
            && !team_names.contains(team.as_str())
        {
            problems.push(format!(
                "routing.fallback_team: \"{team}\" is not a [[team]]: add it or fix the name"
            ));
        }
        for (i, domain) in settings.routing.ignore_domains.iter().enumerate() {
            let pattern = domain.strip_suffix(".*").unwrap_or(domain);
            if pattern.trim().is_empty() || pattern.contains(['@', '/', ' ']) {
                problems.push(format!(
                    "routing.ignore_domains[{i}]: \"{domain}\" is not a domain: write one like \"partner.com\", or \"name.*\" for every top-level domain"
                ));
            }
        }

        let mut policies = Vec::new();
        for (i, sla) in settings.slas.iter().enumerate() {
            let on_reassign = match sla.on_reassign.parse::<OnReassign>() {
                Ok(how) => how,
                Err(why) => {
                    problems.push(format!("sla[{i}] ({}): on_reassign: {why}", sla.name));
                    OnReassign::default()
                }
            };
            let max_reassign = match u32::try_from(sla.max_reassign) {
                Ok(n) => n,
                Err(_) => {
                    problems.push(format!(
                        "sla[{i}] ({}): max_reassign {} is not a number of reassignments: use 0 or more (default 2)",
                        sla.name, sla.max_reassign
                    ));
                    0
                }
            };
            policies.push(Policy {
                name: sla.name.clone(),
                when: sla.when.clone(),
                windows: [&sla.ack, &sla.first_touch, &sla.disposition]
                    .map(|w| w.resolve(sla.business_hours)),
                business_hours: sla.business_hours,
                remind_at: sla.remind_at.clone(),
                on_breach: sla.on_breach.clone(),
                on_reassign,
                max_reassign,
            });
            if [&sla.ack, &sla.first_touch, &sla.disposition]
                .iter()
                .any(|w| w.resolve(sla.business_hours).is_zero())
            {
                problems.push(format!(
                    "sla[{i}] ({}): ack, first_touch and disposition must be longer than zero, e.g. \"15m\", \"4h\", \"3d\"",
                    sla.name
                ));
            }
            if let Some(bad) = sla.remind_at.iter().find(|f| !(**f > 0.0 && **f < 1.0)) {
                problems.push(format!(
                    "sla[{i}] ({}): remind_at {bad} is not a fraction of the window: use numbers between 0 and 1, e.g. [0.5, 0.9]",
                    sla.name
                ));
            }
        }
        for reason in settings.feedback.reject_to.keys() {
            if RejectReason::parse(reason).is_none() {
                problems.push(format!(
                    "feedback.reject_to: \"{reason}\" is not a reject reason: use one of {}",
                    RejectReason::ALL.map(RejectReason::as_str).join(", ")
                ));
            }
        }
        if let Some(target) = settings.marketing.acceptance_target
            && !(0.0..=1.0).contains(&target)
        {
            problems.push(format!(
                "marketing.acceptance_target: {target} must be between 0 and 1, e.g. 0.6"
            ));
        }

        if let Some(target) = settings.marketing.customer_target
            && !(1..=1_000_000).contains(&target)
        {
            problems.push(format!(
                "marketing.customer_target: {target} customers cannot be planned: use a whole number from 1 to 1000000, e.g. 12"
            ));
        }
        if settings.marketing.customer_target.is_none()
            && settings.marketing.customer_target_period.is_some()
        {
            problems.push(
                "marketing.customer_target_period is set without marketing.customer_target: add the number of customers, e.g. customer_target = 12".into(),
            );
        }

        let reporting_tz = settings.reporting.timezone.parse::<chrono_tz::Tz>().unwrap_or_else(|_| {
            problems.push(format!(
                "reporting.timezone: \"{}\" is not an IANA time zone: use a name such as \"Europe/Berlin\" or \"UTC\"",
                settings.reporting.timezone
            ));
            chrono_tz::UTC
        });
        let reporting_locale = check_locale(&mut problems, "reporting", &settings.reporting.locale)
            .unwrap_or_default();
        let digest_tz = match &settings.digest.timezone {
            Some(tz) => tz.parse::<chrono_tz::Tz>().unwrap_or_else(|_| {
                problems.push(format!("digest.timezone: \"{tz}\" is not an IANA time zone: use a name such as \"Europe/Berlin\""));
                reporting_tz
            }),
            None => reporting_tz,
        };
        let digest_schedule = Schedule::parse(&settings.digest.cron, digest_tz)
            .map_err(|e| problems.push(format!("digest.cron: {e}")))
            .ok();
        if let Some(expr) = &settings.digest.rep_daily_cron
            && let Err(e) = Schedule::parse(expr, digest_tz)
        {
            problems.push(format!("digest.rep_daily_cron: {e}"));
        }
        for to in &settings.digest.to {
            if to.contains('@')
                && !people
                    .iter()
                    .any(|p: &Person| p.email.eq_ignore_ascii_case(to))
            {
                problems.push(format!(
                    "digest.to: \"{to}\" is not a [[person]]: add them, or write a channel such as \"#sales-leads\""
                ));
            }
        }
        for (key, span) in [
            ("health.watcher_lag", settings.health.watcher_lag),
            ("health.outbox_lag", settings.health.outbox_lag),
        ] {
            if span.as_chrono() <= chrono::Duration::zero() {
                problems.push(format!(
                    "{key}: {span} is too short: give a positive duration such as \"30s\" or \"5m\""
                ));
            }
        }
        if settings.watch.poll_ms == 0 || settings.watch.poll_ms > 60_000 {
            problems.push(format!(
                "watch.poll_ms: {} is out of range: use 1 to 60000 (default 100)",
                settings.watch.poll_ms
            ));
        }
        let server = &settings.server;
        if server.idle_timeout.as_millis() <= 0 || server.request_timeout.as_millis() <= 0 {
            problems.push(
                "server.idle_timeout and server.request_timeout must be longer than zero, e.g. \"10s\" and \"30s\"".into(),
            );
        }
        if !(1..=1_000_000).contains(&server.max_connections) {
            problems.push(format!(
                "server.max_connections: {} is out of range: use 1 or more (default 512), below the process's file-descriptor limit",
                server.max_connections
            ));
        }
        if settings
            .server
            .listen
            .parse::<std::net::SocketAddr>()
            .is_err()
        {
            problems.push(format!(
                "server.listen: \"{}\" is not an address: write IP:PORT, e.g. \"127.0.0.1:8080\"",
                settings.server.listen
            ));
        }
        let secret = |name: &str| env.get(name).filter(|v| !v.is_empty()).map(Secret::new);
        let slack_bot_token = secret(SLACK_BOT_TOKEN);
        let slack_signing_secret = secret(SLACK_SIGNING_SECRET);
        let slack_app_token = secret(SLACK_APP_TOKEN);
        if settings.slack.enabled {
            if slack_bot_token.is_none() {
                problems.push(format!(
                    "slack.enabled: Slack is on but the environment variable {SLACK_BOT_TOKEN} is not set: set it to the app's Bot User OAuth Token (xoxb-…), or set enabled = false"
                ));
            }
            match settings.slack.mode {
                SlackMode::Http if slack_signing_secret.is_none() => problems.push(format!(
                    "slack.mode: http mode needs the environment variable {SLACK_SIGNING_SECRET} (the app's Signing Secret), or use mode = \"socket\""
                )),
                SlackMode::Socket if slack_app_token.is_none() => problems.push(format!(
                    "slack.mode: socket mode needs the environment variable {SLACK_APP_TOKEN} (an app-level token, xapp-…, with connections:write), or use mode = \"http\""
                )),
                _ => {}
            }
            let url = &settings.slack.api_url;
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.parse::<url::Url>().is_err()
            {
                problems.push(format!(
                    "slack.api_url: \"{url}\" is not an http(s) URL: use the default \"https://slack.com/api/\""
                ));
            }
        }
        let discord_bot_token = secret(DISCORD_BOT_TOKEN);
        let discord_public_key = secret(DISCORD_PUBLIC_KEY);
        check_discord(
            &settings,
            discord_bot_token.as_ref(),
            discord_public_key.as_ref(),
            &mut problems,
        );
        let database_path = match database_path(&settings.database.url) {
            Some(path) => path,
            None if is_postgres_url(&settings.database.url) => {
                // The URL may hold a password: it is not repeated here.
                problems.push(
                    "database.url: PostgreSQL support is not finished yet (issue 22): a postgres:// URL cannot be used in this version; use a SQLite URL such as \"sqlite://baton.db\"".into(),
                );
                PathBuf::new()
            }
            None => {
                problems.push(format!(
                    "database.url: \"{}\" is not a SQLite URL: write \"sqlite://baton.db\" or a file path",
                    settings.database.url
                ));
                PathBuf::new()
            }
        };

        let mql = &settings.mql;
        for (i, rule) in mql.fit.iter().enumerate() {
            if let Some(problem) = rule.problem() {
                problems.push(format!("mql.fit[{i}]: {problem}"));
            }
        }
        for (i, rule) in mql.engagement.iter().enumerate() {
            if rule.activity.trim().is_empty() {
                problems.push(format!("mql.engagement[{i}]: activity is empty: name the activity type, e.g. \"pricing_view\""));
            }
        }
        if mql.mode == MqlMode::Score && (mql.fit.is_empty() && mql.engagement.is_empty()) {
            problems.push("mql: mode = \"score\" needs [[mql.fit]] or [[mql.engagement]] rules (or use mode = \"watch\")".into());
        }
        if mql.mode == MqlMode::Score && mql.threshold <= 0.0 {
            problems.push(format!("mql.threshold: {} must be above 0", mql.threshold));
        }
        let score_model = (mql.mode == MqlMode::Score).then(|| ScoreModel {
            fit: mql.fit.clone(),
            engagement: mql.engagement.clone(),
            threshold: mql.threshold,
        });

        if !problems.is_empty() {
            return Err(ConfigError {
                source: source.to_string(),
                problems,
            });
        }

        let console_enabled = settings
            .console
            .enabled
            .unwrap_or(!(settings.slack.enabled || settings.discord.enabled));
        let console_output = match settings.console.output.as_str() {
            "stdout" | "-" | "" => ConsoleOutput::Stdout,
            path => ConsoleOutput::File(PathBuf::from(path)),
        };
        let api_token = env
            .get(&settings.server.api_token_env)
            .filter(|v| !v.is_empty())
            .map(Secret::new);
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
            console_enabled,
            console_output,
            reporting_tz,
            reporting_locale,
            digest_schedule: digest_schedule.expect("a bad schedule is a problem above"),
            api_token,
            slack_bot_token,
            slack_signing_secret,
            slack_app_token,
            discord_bot_token,
            discord_public_key,
            policies,
            score_model,
            settings,
        })
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

/// Discord's keys: ids are snowflakes (digits), the bot token is needed when Discord is on,
/// and http mode needs the public key (64 hex digits) and the application id.
/// `{key}: locale` parsed, or a problem naming the key and the allowed values.
fn check_locale(problems: &mut Vec<String>, key: &str, locale: &Option<String>) -> Option<Locale> {
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

fn check_discord(
    settings: &Settings,
    token: Option<&Secret>,
    public_key: Option<&Secret>,
    problems: &mut Vec<String>,
) {
    let snowflake = |key: String, value: &Option<String>, problems: &mut Vec<String>| {
        if let Some(value) = value
            && (value.is_empty() || !value.chars().all(|c| c.is_ascii_digit()))
        {
            problems.push(format!(
                "{key}: \"{value}\" is not a Discord id: copy it with Developer Mode on (right click → Copy ID), e.g. \"123456789012345678\""
            ));
        }
    };
    let d = &settings.discord;
    snowflake("discord.application_id".into(), &d.application_id, problems);
    snowflake("discord.guild_id".into(), &d.guild_id, problems);
    snowflake(
        "discord.alert_channel_id".into(),
        &d.alert_channel_id,
        problems,
    );
    for (i, p) in settings.people.iter().enumerate() {
        snowflake(format!("person[{i}].discord_id"), &p.discord_id, problems);
    }
    for (i, t) in settings.teams.iter().enumerate() {
        snowflake(
            format!("team[{i}].discord_channel_id"),
            &t.discord_channel_id,
            problems,
        );
    }
    if !d.enabled {
        return;
    }
    if token.is_none() {
        problems.push(format!(
            "discord.enabled: Discord is on but the environment variable {DISCORD_BOT_TOKEN} is not set: set it to the bot's token (Developer Portal → Bot → Reset Token), or set enabled = false"
        ));
    }
    if d.mode == DiscordMode::Http {
        match public_key {
            None => problems.push(format!(
                "discord.mode: http mode needs the environment variable {DISCORD_PUBLIC_KEY} (Developer Portal → General Information → Public Key), or use mode = \"gateway\""
            )),
            Some(key)
                if key.expose().len() != 64
                    || !key.expose().chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                problems.push(format!(
                    "{DISCORD_PUBLIC_KEY}: the public key must be 64 hex digits: copy it from Developer Portal → General Information → Public Key"
                ))
            }
            Some(_) => {}
        }
        if d.application_id.is_none() {
            problems.push(
                "discord.application_id: http mode needs the application id (Developer Portal → General Information → Application ID)".into(),
            );
        }
    }
    let url = &d.api_url;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        problems.push(format!(
            "discord.api_url: \"{url}\" is not an http(s) URL: use the default \"https://discord.com\""
        ));
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

/// Applies `BATON__SECTION__KEY=value` overrides. Values are read as TOML (`100`, `true`,
/// `["a", "b"]`, `"text"`), and as plain text when they are not valid TOML. A number in
/// the path indexes an array: `BATON__PERSON__0__WEIGHT=2`.
fn apply_env_overrides(
    table: &mut toml::Table,
    env: &HashMap<String, String>,
) -> Result<(), String> {
    let mut keys: Vec<&String> = env.keys().filter(|k| k.starts_with("BATON__")).collect();
    keys.sort();
    for key in keys {
        let raw = &env[key];
        let path: Vec<String> = key["BATON__".len()..]
            .split("__")
            .map(str::to_lowercase)
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(format!(
                "environment variable {key}: write BATON__SECTION__KEY with double underscores between levels"
            ));
        }
        let value = format!("v = {raw}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(raw.clone()));
        set_path(toml::Value::Table(std::mem::take(table)), &path, value, key).map(|v| {
            if let toml::Value::Table(t) = v {
                *table = t;
            }
        })?;
    }
    Ok(())
}

fn set_path(
    node: toml::Value,
    path: &[String],
    value: toml::Value,
    key: &str,
) -> Result<toml::Value, String> {
    let Some((head, rest)) = path.split_first() else {
        return Ok(value);
    };
    match node {
        toml::Value::Table(mut table) => {
            let child = table
                .remove(head)
                .unwrap_or_else(|| toml::Value::Table(toml::Table::new()));
            let child = if rest.is_empty() {
                value
            } else {
                set_path(child, rest, value, key)?
            };
            table.insert(head.clone(), child);
            Ok(toml::Value::Table(table))
        }
        toml::Value::Array(mut items) => {
            let index: usize = head
                .parse()
                .map_err(|_| format!("environment variable {key}: \"{head}\" should be an index into a list, e.g. BATON__PERSON__0__WEIGHT"))?;
            let Some(item) = items.get_mut(index) else {
                return Err(format!(
                    "environment variable {key}: there is no item {index} in that list"
                ));
            };
            *item = set_path(
                std::mem::replace(item, toml::Value::Boolean(false)),
                rest,
                value,
                key,
            )?;
            Ok(toml::Value::Array(items))
        }
        _ => Err(format!(
            "environment variable {key}: the part before \"{head}\" is not a section"
        )),
    }
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

/// `postgres://…` or `postgresql://…`, in any case.
fn is_postgres_url(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `sqlite://baton.db`, `sqlite:baton.db` or a plain path.
fn database_path(url: &str) -> Option<PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains("://") && path != ":memory:").then(|| PathBuf::from(path))
}

#[cfg(test)]
mod discord_tests {
    use super::*;

    fn problems(text: &str, env: &[(&str, &str)]) -> Vec<String> {
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match Config::from_toml("t", text, &env) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems,
        }
    }

    #[test]
    fn discord_needs_its_secrets_and_ids() {
        let key = "ab".repeat(32);
        let on = "[discord]\nenabled = true\n";
        let http = "[discord]\nenabled = true\nmode = \"http\"\napplication_id = \"42\"\n";
        type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [&'a str]);
        let cases: Vec<Case> = vec![
            (on, vec![], &["DISCORD_BOT_TOKEN"]),
            (on, vec![("DISCORD_BOT_TOKEN", "t")], &[]),
            (
                http,
                vec![("DISCORD_BOT_TOKEN", "t")],
                &["DISCORD_PUBLIC_KEY"],
            ),
            (
                http,
                vec![("DISCORD_BOT_TOKEN", "t"), ("DISCORD_PUBLIC_KEY", "xyz")],
                &["64 hex digits"],
            ),
            (
                http,
                vec![
                    ("DISCORD_BOT_TOKEN", "t"),
                    ("DISCORD_PUBLIC_KEY", key.as_str()),
                ],
                &[],
            ),
            (
                "[discord]\nenabled = true\nmode = \"http\"\n",
                vec![
                    ("DISCORD_BOT_TOKEN", "t"),
                    ("DISCORD_PUBLIC_KEY", key.as_str()),
                ],
                &["discord.application_id"],
            ),
            (
                "[discord]\nguild_id = \"#general\"\n",
                vec![],
                &["discord.guild_id"],
            ),
            ("[discord]\nenabled = false\n", vec![], &[]),
        ];
        for (text, env, want) in cases {
            let got = problems(text, &env);
            assert_eq!(got.len(), want.len(), "{text}: {got:?}");
            for (problem, part) in got.iter().zip(want) {
                assert!(problem.contains(part), "{problem} should name {part}");
            }
        }
        let config = Config::from_toml(
            "t",
            on,
            &[("DISCORD_BOT_TOKEN".to_string(), "secret-token".to_string())].into(),
        )
        .unwrap();
        let described = config.describe();
        assert!(described.contains("# secret DISCORD_BOT_TOKEN: set (***)"));
        assert!(described.contains("# secret DISCORD_PUBLIC_KEY: not set"));
        assert!(!described.contains("secret-token"));
    }
}

#[cfg(test)]
mod database_tests {
    use super::*;

    fn problems(url: &str) -> Vec<String> {
        let text = format!("[database]\nurl = \"{url}\"\n");
        match Config::from_toml("t", &text, &HashMap::new()) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems,
        }
    }

    #[test]
    fn a_postgres_url_is_refused_as_unfinished_without_repeating_it() {
        for url in [
            "postgres://baton:s3cret@db.example.com/baton",
            "postgresql://baton:s3cret@db.example.com:5433/baton?sslmode=require",
            "POSTGRES://baton@db/baton",
        ] {
            let problems = problems(url);
            assert_eq!(problems.len(), 1, "{url}: {problems:?}");
            assert!(
                problems[0].starts_with(
                    "database.url: PostgreSQL support is not finished yet (issue 22): "
                ),
                "{}",
                problems[0]
            );
            assert!(!problems[0].contains("s3cret"), "{}", problems[0]);
        }
    }

    #[test]
    fn sqlite_urls_and_paths_are_accepted_as_before() {
        for url in ["sqlite://baton.db", "sqlite:data/baton.db", "baton.db"] {
            assert_eq!(problems(url), Vec::<String>::new(), "{url}");
        }
        let other = problems("mysql://db/baton");
        assert!(other[0].contains("is not a SQLite URL"), "{other:?}");
    }
}
