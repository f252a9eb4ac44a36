//! The two kinds of error and where each is handled.
//!
//! - Mistakes of the person using Baton: a bad chat command, a refused action, a bad
//!   config, a bad CSV row. Their text is written for that person (what was wrong and the
//!   right usage) and shown to them: a chat reply ([`crate::engine::actions::Reply`]),
//!   a [`crate::config::ConfigError`], or an import report. They change nothing.
//! - Internal failures (I/O, the database, a platform): `anyhow::Error` with `.context`
//!   saying what Baton was doing. They are logged once, where they are handled (a loop
//!   that retries, or `main`, which prints them and exits 1).
//!
//! [`Failure`] carries either to `main`, which picks the exit status of SPEC §1.

use crate::config::ConfigError;

#[derive(Debug)]
pub enum Failure {
    /// Bad usage or config: exit status 2.
    Usage(String),
    /// A runtime failure: exit status 1.
    Runtime(anyhow::Error),
    /// Standard output was closed by its reader (`baton check-config | head`): the command
    /// ends quietly with 141, the status a shell reports for a broken pipe.
    ClosedOutput,
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Runtime(_) => 1,
            Failure::ClosedOutput => 141,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(text) => f.write_str(text),
            Failure::Runtime(e) => write!(f, "{e:#}"),
            Failure::ClosedOutput => f.write_str("standard output was closed"),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure::Usage(e.to_string())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Runtime(e)
    }
}
