//! Secrets: the config file names environment variables, and their values are read into a
//! [`Secret`], which never prints its contents (its `Debug` is `***`), so a config can be
//! logged or described without leaking a token.

use std::collections::HashMap;
use std::fmt;

/// The environment variables holding Slack's secrets.
pub const SLACK_BOT_TOKEN: &str = "SLACK_BOT_TOKEN";
pub const SLACK_SIGNING_SECRET: &str = "SLACK_SIGNING_SECRET";
pub const SLACK_APP_TOKEN: &str = "SLACK_APP_TOKEN";

/// The environment variables holding Discord's secrets.
pub const DISCORD_BOT_TOKEN: &str = "DISCORD_BOT_TOKEN";
pub const DISCORD_PUBLIC_KEY: &str = "DISCORD_PUBLIC_KEY";

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

    /// The value of the environment variable `name`; unset and empty are both "none".
    pub fn from_env(env: &HashMap<String, String>, name: &str) -> Option<Secret> {
        env.get(name).filter(|v| !v.is_empty()).map(Secret::new)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_and_empty_is_unset() {
        let secret = Secret::new("xoxb-123");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(***)");
        assert_eq!(secret.expose(), "xoxb-123");
        let env: HashMap<String, String> = [
            ("SET".to_string(), "v".to_string()),
            ("EMPTY".to_string(), String::new()),
        ]
        .into();
        for (name, want) in [("SET", Some("v")), ("EMPTY", None), ("UNSET", None)] {
            let got = Secret::from_env(&env, name);
            assert_eq!(got.as_ref().map(Secret::expose), want, "{name}");
        }
    }
}
