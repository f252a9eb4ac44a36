//! The PostgreSQL harness: a fresh database per test on the server at 127.0.0.1:5432
//! (`postgres` user, trust authentication, as on the development and CI machines),
//! migrated, and dropped when the test ends, passed or failed. A test is skipped, with the
//! reason printed, only when no server answers there; `.ci/run` starts one first.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use baton::store::postgres::PgDb;
use sqlx::{Connection, PgConnection};

/// The server, without a database.
pub const SERVER: &str = "postgres://postgres@127.0.0.1:5432";

/// One test's own database.
pub struct TestPg {
    pub name: String,
    pub url: String,
    pub db: PgDb,
}

impl TestPg {
    /// A new migrated database, or `None` (after printing why) when no server answers.
    pub async fn create() -> Option<TestPg> {
        let admin = tokio::time::timeout(
            Duration::from_secs(5),
            PgConnection::connect(&format!("{SERVER}/postgres")),
        )
        .await;
        let mut admin = match admin {
            Ok(Ok(admin)) => admin,
            Ok(Err(e)) => {
                eprintln!("skipped: no PostgreSQL server answers at 127.0.0.1:5432 ({e})");
                return None;
            }
            Err(_) => {
                eprintln!("skipped: no PostgreSQL server answers at 127.0.0.1:5432 (timed out)");
                return None;
            }
        };
        let name = format!(
            "baton_test_{:016x}",
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create the test database");
        admin.close().await.ok();
        let url = format!("{SERVER}/{name}");
        let db = PgDb::connect(&url)
            .await
            .expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        Some(TestPg { name, url, db })
    }

    /// A connection of another system (a CRM sync, a script), outside Baton's pool.
    pub async fn writer(&self) -> PgConnection {
        PgConnection::connect(&self.url)
            .await
            .expect("connect as an outside writer")
    }
}

impl Drop for TestPg {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot be blocked on; a thread of its
        // own drops the database (FORCE ends the connections still open on it).
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the test database");
            runtime.block_on(async move {
                let mut admin = PgConnection::connect(&format!("{SERVER}/postgres")).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "could not drop the test database {}: {dropped:?}",
                self.name
            );
        }
    }
}
