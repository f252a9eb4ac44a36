//! Baton's SQLite store: opening the file (WAL, busy timeout, foreign keys, memory-mapped
//! reads and a larger page cache), migrations, and one module per family of tables. Only
//! this module runs SQL.
//!
//! Every read-then-write transaction starts with `BEGIN IMMEDIATE`, so it takes the write
//! lock first and waits (busy_timeout) for another writer instead of failing with
//! SQLITE_BUSY_SNAPSHOT halfway through.

pub mod accounts;
pub mod activities;
pub mod availability;
pub mod discord_links;
pub mod duplicates;
pub mod events;
pub mod handoffs;
pub mod inbound;
pub mod leads;
pub mod metrics;
pub mod outbox;
#[cfg(test)]
mod plans;
pub mod postgres;
pub mod quarantine;
pub mod reports;
pub mod rotation;
pub mod schedule;
pub mod sla;
pub mod snoozes;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// How long a statement waits for another process's write lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub type Tx = Transaction<'static, Sqlite>;

/// The most of the database file SQLite maps into memory: its compile-time limit
/// (`SQLITE_MAX_MMAP_SIZE`, 2 GiB less 64 KiB), which a larger value would be cut to.
const MMAP_SIZE: u64 = 0x7fff_0000;

/// The pool on Baton's database file.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: SqlitePool,
}

impl Db {
    /// Opens (creating if missing) the database file in WAL mode.
    pub async fn open(path: &Path) -> anyhow::Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "cannot create the folder {} for the database",
                    dir.display()
                )
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            // Reports read tens of thousands of pages of a large file in no order: with
            // the file mapped (up to SQLite's limit of 2 GiB, the rest is read as before)
            // a page in the OS cache is read in place instead of copied, and each
            // connection keeps 32 MiB of pages instead of 2.
            .pragma("mmap_size", MMAP_SIZE.to_string())
            .pragma("cache_size", "-32768");
        // A connection to a local file cannot be lost the way a network one can: no ping
        // before each use (a round trip to its worker thread, two context switches, on
        // every acquire), and no closing of idle ones, so the first alert after a quiet
        // hour does not wait for a connection to be opened and set up again.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {}", path.display()))?;
        Ok(Db { pool })
    }

    /// Applies the migrations in `migrations/sqlite/` that have not run yet.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.pool)
            .await
            .context("cannot apply the database migrations")
    }

    /// A transaction that holds the write lock from its first statement.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("cannot start a write transaction")
    }

    /// True when the database answers a query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Starts a savepoint inside the current transaction, so one step can be undone alone.
pub async fn savepoint(conn: &mut sqlx::SqliteConnection, name: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SAVEPOINT {name}")))
        .execute(conn)
        .await
        .context("cannot start a savepoint")?;
    Ok(())
}

/// Keeps what was done since the savepoint `name`.
pub async fn release(conn: &mut sqlx::SqliteConnection, name: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("RELEASE {name}")))
        .execute(conn)
        .await
        .context("cannot release a savepoint")?;
    Ok(())
}

/// Undoes everything since the savepoint `name` and ends it; the transaction goes on.
pub async fn rollback_to(conn: &mut sqlx::SqliteConnection, name: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ROLLBACK TO {name}; RELEASE {name}"
    )))
    .execute(conn)
    .await
    .context("cannot roll back to a savepoint")?;
    Ok(())
}

/// The most values one statement binds: SQLite's limit (32,766 since 3.32) with room to
/// spare. Multi-row inserts are cut into chunks of at most this many values.
pub const MAX_BOUND: usize = 32_000;

/// The stored form of an instant: RFC 3339, UTC, milliseconds, `Z`.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a stored instant; other writers may use any RFC 3339 offset.
pub fn parse_ts(text: &str) -> anyhow::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("\"{text}\" is not an RFC 3339 time"))
}
