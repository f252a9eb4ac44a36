//! The settings as written in the TOML file (SPEC §2): one serde struct per section, with
//! `deny_unknown_fields` so a misspelt key is an error naming it, and the documented
//! defaults. Nothing here is checked beyond its type; `check/` turns these into the typed
//! values of a [`super::Config`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::directory::{Role, RoutingMode};
use crate::domain::duration::{Span, WindowSpec};
use crate::domain::lead::{LeadMatcher, OneOrMany};
use crate::domain::period::TargetPeriod;
use crate::domain::scoring::{EngagementRule, FitRule, MqlMode};
use crate::domain::sla::{BreachAction, OnReassign};
use crate::domain::stage::Stage;

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
    pub owner_roles: Vec<Role>,
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
            owner_roles: vec![Role::Rep],
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarketingSettings {
    pub mql_target: Option<u32>,
    pub mql_target_period: TargetPeriod,
    pub acceptance_target: Option<f64>,
    /// Customers sales must win per `customer_target_period`: the digest's plan line.
    pub customer_target: Option<u32>,
    /// `week`, `month` or `quarter` [quarter].
    pub customer_target_period: Option<TargetPeriod>,
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
