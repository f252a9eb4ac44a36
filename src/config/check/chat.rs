//! `[console]`, `[slack]` and `[discord]`: where messages go. An enabled platform needs its
//! secrets (read from the environment, never the file) and a base URL; Discord's ids are
//! snowflakes wherever they appear.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Problems;
use crate::config::{
    ConsoleOutput, DISCORD_BOT_TOKEN, DISCORD_PUBLIC_KEY, DiscordMode, SLACK_APP_TOKEN,
    SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, Secret, Settings, SlackMode, SlackSettings,
};

/// `[console]` typed.
pub struct Console {
    pub enabled: bool,
    pub output: ConsoleOutput,
}

/// Slack's secrets, as the environment has them.
pub struct SlackSecrets {
    pub bot_token: Option<Secret>,
    pub signing_secret: Option<Secret>,
    pub app_token: Option<Secret>,
}

/// Discord's secrets, as the environment has them.
pub struct DiscordSecrets {
    pub bot_token: Option<Secret>,
    pub public_key: Option<Secret>,
}

/// `[console]`: on by default only when neither Slack nor Discord is; `stdout`, `-` or
/// nothing for standard output, else a file.
pub fn console(settings: &Settings) -> Console {
    let enabled = settings
        .console
        .enabled
        .unwrap_or(!(settings.slack.enabled || settings.discord.enabled));
    let output = match settings.console.output.as_str() {
        "stdout" | "-" | "" => ConsoleOutput::Stdout,
        path => ConsoleOutput::File(PathBuf::from(path)),
    };
    Console { enabled, output }
}

/// `[slack]`: when enabled, the bot token, the secret its mode needs, and an http(s) API URL.
pub fn slack(
    settings: &SlackSettings,
    env: &HashMap<String, String>,
    problems: &mut Problems,
) -> SlackSecrets {
    let secrets = SlackSecrets {
        bot_token: Secret::from_env(env, SLACK_BOT_TOKEN),
        signing_secret: Secret::from_env(env, SLACK_SIGNING_SECRET),
        app_token: Secret::from_env(env, SLACK_APP_TOKEN),
    };
    if !settings.enabled {
        return secrets;
    }
    if secrets.bot_token.is_none() {
        problems.push(format!(
            "slack.enabled: Slack is on but the environment variable {SLACK_BOT_TOKEN} is not set: set it to the app's Bot User OAuth Token (xoxb-…), or set enabled = false"
        ));
    }
    match settings.mode {
        SlackMode::Http if secrets.signing_secret.is_none() => problems.push(format!(
            "slack.mode: http mode needs the environment variable {SLACK_SIGNING_SECRET} (the app's Signing Secret), or use mode = \"socket\""
        )),
        SlackMode::Socket if secrets.app_token.is_none() => problems.push(format!(
            "slack.mode: socket mode needs the environment variable {SLACK_APP_TOKEN} (an app-level token, xapp-…, with connections:write), or use mode = \"http\""
        )),
        _ => {}
    }
    let url = &settings.api_url;
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.parse::<url::Url>().is_err()
    {
        problems.push(format!(
            "slack.api_url: \"{url}\" is not an http(s) URL: use the default \"https://slack.com/api/\""
        ));
    }
    secrets
}

/// Discord's keys: ids are snowflakes (digits) in `[discord]`, `[[person]]` and `[[team]]`;
/// when Discord is on, the bot token, and in http mode the public key (64 hex digits) and
/// the application id; an http(s) API URL.
pub fn discord(
    settings: &Settings,
    env: &HashMap<String, String>,
    problems: &mut Problems,
) -> DiscordSecrets {
    let secrets = DiscordSecrets {
        bot_token: Secret::from_env(env, DISCORD_BOT_TOKEN),
        public_key: Secret::from_env(env, DISCORD_PUBLIC_KEY),
    };
    let snowflake = |key: String, value: &Option<String>, problems: &mut Problems| {
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
        return secrets;
    }
    if secrets.bot_token.is_none() {
        problems.push(format!(
            "discord.enabled: Discord is on but the environment variable {DISCORD_BOT_TOKEN} is not set: set it to the bot's token (Developer Portal → Bot → Reset Token), or set enabled = false"
        ));
    }
    if d.mode == DiscordMode::Http {
        match &secrets.public_key {
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
    secrets
}

#[cfg(test)]
mod tests {
    use super::super::table::{run, settings};
    use super::*;

    fn env(vars: &[(&str, &str)]) -> HashMap<String, String> {
        vars.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_console_is_on_when_no_chat_is() {
        let rows: &[(&str, bool, ConsoleOutput)] = &[
            ("", true, ConsoleOutput::Stdout),
            ("[slack]\nenabled = true\n", false, ConsoleOutput::Stdout),
            (
                "[discord]\nenabled = true\n[console]\nenabled = true\noutput = \"-\"\n",
                true,
                ConsoleOutput::Stdout,
            ),
            (
                "[console]\nenabled = false\noutput = \"\"\n",
                false,
                ConsoleOutput::Stdout,
            ),
            (
                "[console]\noutput = \"out/alerts.txt\"\n",
                true,
                ConsoleOutput::File("out/alerts.txt".into()),
            ),
        ];
        for (text, enabled, output) in rows {
            let got = console(&settings(text));
            assert_eq!((got.enabled, &got.output), (*enabled, output), "{text}");
        }
    }

    #[test]
    fn slack_needs_its_secrets_and_an_http_url() {
        let all = [
            ("SLACK_BOT_TOKEN", "xoxb-1"),
            ("SLACK_APP_TOKEN", "xapp-1"),
            ("SLACK_SIGNING_SECRET", "s"),
        ];
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
        let rows: &[Row] = &[
            ("", &[], &[]),
            (
                "[slack]\nenabled = false\napi_url = \"nowhere\"\n",
                &[],
                &[],
            ),
            ("[slack]\nenabled = true\n", &all, &[]),
            (
                "[slack]\nenabled = true\n",
                &[("SLACK_BOT_TOKEN", ""), ("SLACK_APP_TOKEN", "xapp-1")],
                &[
                    "slack.enabled: Slack is on but the environment variable SLACK_BOT_TOKEN is not set: set it to the app's Bot User OAuth Token (xoxb-…), or set enabled = false",
                ],
            ),
            (
                "[slack]\nenabled = true\n",
                &[("SLACK_BOT_TOKEN", "xoxb-1")],
                &[
                    "slack.mode: socket mode needs the environment variable SLACK_APP_TOKEN (an app-level token, xapp-…, with connections:write), or use mode = \"http\"",
                ],
            ),
            (
                "[slack]\nenabled = true\nmode = \"http\"\napi_url = \"slack.com\"\n",
                &[("SLACK_BOT_TOKEN", "xoxb-1")],
                &[
                    "slack.mode: http mode needs the environment variable SLACK_SIGNING_SECRET (the app's Signing Secret), or use mode = \"socket\"",
                    "slack.api_url: \"slack.com\" is not an http(s) URL: use the default \"https://slack.com/api/\"",
                ],
            ),
        ];
        for (text, vars, want) in rows {
            let (got, problems) = run(text, |s, p| slack(&s.slack, &env(vars), p));
            assert_eq!(problems, *want, "{text} {vars:?}");
            let set = |name: &str| vars.iter().any(|(k, v)| *k == name && !v.is_empty());
            assert_eq!(got.bot_token.is_some(), set("SLACK_BOT_TOKEN"), "{text}");
            assert_eq!(got.app_token.is_some(), set("SLACK_APP_TOKEN"), "{text}");
        }
    }

    #[test]
    fn discord_needs_its_secrets_and_ids() {
        let key = "ab".repeat(32);
        let on = "[discord]\nenabled = true\n";
        let http = "[discord]\nenabled = true\nmode = \"http\"\napplication_id = \"42\"\n";
        let id_problem = |key: &str, value: &str| {
            format!(
                "{key}: \"{value}\" is not a Discord id: copy it with Developer Mode on (right click → Copy ID), e.g. \"123456789012345678\""
            )
        };
        type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<String>);
        let rows: Vec<Row> = vec![
            ("[discord]\nenabled = false\n", vec![], vec![]),
            (on, vec![("DISCORD_BOT_TOKEN", "t")], vec![]),
            (
                on,
                vec![],
                vec!["discord.enabled: Discord is on but the environment variable DISCORD_BOT_TOKEN is not set: set it to the bot's token (Developer Portal → Bot → Reset Token), or set enabled = false".into()],
            ),
            (
                http,
                vec![("DISCORD_BOT_TOKEN", "t")],
                vec!["discord.mode: http mode needs the environment variable DISCORD_PUBLIC_KEY (Developer Portal → General Information → Public Key), or use mode = \"gateway\"".into()],
            ),
            (
                http,
                vec![("DISCORD_BOT_TOKEN", "t"), ("DISCORD_PUBLIC_KEY", "xyz")],
                vec!["DISCORD_PUBLIC_KEY: the public key must be 64 hex digits: copy it from Developer Portal → General Information → Public Key".into()],
            ),
            (http, vec![("DISCORD_BOT_TOKEN", "t"), ("DISCORD_PUBLIC_KEY", key.as_str())], vec![]),
            (
                "[discord]\nenabled = true\nmode = \"http\"\n",
                vec![("DISCORD_BOT_TOKEN", "t"), ("DISCORD_PUBLIC_KEY", key.as_str())],
                vec!["discord.application_id: http mode needs the application id (Developer Portal → General Information → Application ID)".into()],
            ),
            (
                "[discord]\nguild_id = \"#general\"\nalert_channel_id = \"\"\n",
                vec![],
                vec![id_problem("discord.guild_id", "#general"), id_problem("discord.alert_channel_id", "")],
            ),
            (
                "[[person]]\nemail = \"a@x.io\"\nrole = \"admin\"\ndiscord_id = \"@ana\"\n[[team]]\nname = \"t\"\nmanager = \"a@x.io\"\ndiscord_channel_id = \"12a\"\n",
                vec![],
                vec![id_problem("person[0].discord_id", "@ana"), id_problem("team[0].discord_channel_id", "12a")],
            ),
            (
                "[discord]\nenabled = true\napi_url = \"discord.com\"\n",
                vec![("DISCORD_BOT_TOKEN", "t")],
                vec!["discord.api_url: \"discord.com\" is not an http(s) URL: use the default \"https://discord.com\"".into()],
            ),
        ];
        for (text, vars, want) in rows {
            let (_, got) = run(text, |s, p| discord(s, &env(&vars), p));
            assert_eq!(got, want, "{text} {vars:?}");
        }
    }
}
