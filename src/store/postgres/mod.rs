//! Baton's PostgreSQL store (issue 22, in progress): the pool, the migrations of
//! `migrations/postgres/`, the wake-ups that `LISTEN`/`NOTIFY` gives ([`waker`]) and the
//! leader's lease ([`leader`]). The store's queries still run on SQLite only; this is the
//! ground they will stand on, and nothing outside `store/` and the tests uses it yet.
//!
//! The schema keeps SQLite's conventions (RFC 3339 text timestamps, byte-wise text order,
//! messy outside values kept as text), so the store's decoders are the same on both
//! engines; `migrations/postgres/0001_tables.sql` gives the rules.

pub mod leader;
pub mod waker;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

/// How long connecting waits for a server before it gives up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub type PgTx = Transaction<'static, Postgres>;

/// The pool on Baton's PostgreSQL database.
#[derive(Clone, Debug)]
pub struct PgDb {
    pub pool: PgPool,
    options: PgConnectOptions,
}

impl PgDb {
    /// Connects to `url` (`postgres://user@host:port/db`, or `postgresql://…`). The error
    /// names the server and the database but never the password.
    pub async fn connect(url: &str) -> anyhow::Result<PgDb> {
        let options = PgConnectOptions::from_str(url)
            .context("the database URL is not a PostgreSQL URL such as postgres://user@host/db")?
            .application_name("baton");
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("cannot connect to PostgreSQL at {}", describe(&options)))?;
        Ok(PgDb { pool, options })
    }

    /// The connection options, for the connections that live outside the pool (the
    /// waker's listener).
    pub fn options(&self) -> &PgConnectOptions {
        &self.options
    }

    /// Applies the migrations in `migrations/postgres/` that have not run yet. sqlx holds an
    /// advisory lock while it migrates, so replicas starting together migrate once.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await
            .context("cannot apply the PostgreSQL migrations")
    }

    /// A read-committed transaction; writes that read first lock what they read
    /// (`FOR UPDATE`, or the lease `FOR SHARE` through `leader::Fence::check`).
    pub async fn begin(&self) -> anyhow::Result<PgTx> {
        self.pool
            .begin()
            .await
            .context("cannot start a PostgreSQL transaction")
    }

    /// True when the database answers a query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// `host:port/database`, for messages (no user, no password).
pub fn describe(options: &PgConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("(the user's database)")
    )
}
