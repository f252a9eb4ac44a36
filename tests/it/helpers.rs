//! The test harness: a Baton app on a fresh temporary SQLite file, port 0, the console
//! platform writing JSON Lines to a file, and a manual clock. Writes "from another system"
//! go through a separate `python3` process using its own sqlite3 library.

use std::path::{Path, PathBuf};
use std::time::Duration;

use baton::app::App;
use baton::clock::Clock;
use baton::config::Config;
use baton::engine::Ctx;
use baton::engine::stats::Counters;
use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::task::JoinHandle;

/// Tuesday 2026-11-17, 11:00 UTC: inside working hours in Europe.
pub const START: &str = "2026-11-17T11:00:00Z";

/// How long any awaited condition may take before the test fails: generous, because CI
/// shares two cores between tests running in parallel; a passing test never waits for it.
pub const PATIENCE: Duration = Duration::from_secs(60);

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A team of two reps (Ann weight 1, Bob weight 1), their manager and an admin, working
/// around the clock in UTC.
pub const TEAM: &str = r##"
[[calendar]]
name = "always"
timezone = "UTC"
hours = "Mon-Sun 00:00-24:00"

[[person]]
email = "root@acme.test"
name = "Root"
role = "admin"

[[person]]
email = "boss@acme.test"
name = "Boss"
role = "manager"
team = "sales"

[[person]]
email = "ann@acme.test"
name = "Ann"
role = "rep"
team = "sales"
calendar = "always"

[[person]]
email = "bob@acme.test"
name = "Bob"
role = "rep"
team = "sales"
calendar = "always"

[[team]]
name = "sales"
manager = "boss@acme.test"
"##;

/// The config text for a test directory: database and console file inside `dir`.
pub fn config_text(dir: &Path, extra: &str) -> String {
    format!(
        r#"
[database]
url = "sqlite://{db}"

[server]
listen = "127.0.0.1:0"

[watch]
poll_ms = 20

[console]
enabled = true
output = "{out}"
format = "jsonl"
{extra}"#,
        db = dir.join("baton.db").display(),
        out = dir.join("console.jsonl").display(),
    )
}

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub ctx: Ctx,
    pub clock: Clock,
    pub address: std::net::SocketAddr,
    extra: String,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    /// Starts Baton with [`TEAM`] plus `extra` config.
    pub async fn spawn(extra: &str) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let clock = Clock::manual(at(START));
        TestApp::start(dir, clock, extra.to_string()).await
    }

    /// Starts Baton with [`TEAM`] plus `extra` config, its clock at `start`.
    pub async fn spawn_at(extra: &str, start: DateTime<Utc>) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        TestApp::start(dir, Clock::manual(start), extra.to_string()).await
    }

    /// Starts Baton with [`TEAM`] plus `extra` config and these environment variables.
    pub async fn spawn_with_env(extra: &str, env: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let clock = Clock::manual(at(START));
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        TestApp::start_with(dir, clock, extra.to_string(), env).await
    }

    async fn start(dir: tempfile::TempDir, clock: Clock, extra: String) -> TestApp {
        TestApp::start_with(dir, clock, extra, Default::default()).await
    }

    async fn start_with(
        dir: tempfile::TempDir,
        clock: Clock,
        extra: String,
        env: std::collections::HashMap<String, String>,
    ) -> TestApp {
        let text = config_text(dir.path(), &format!("{TEAM}\n{extra}"));
        let config = Config::from_toml("test config", &text, &env).unwrap();
        let app = App::build(config, clock.clone()).await.unwrap();
        let address = app.address().unwrap();
        let ctx = app.ctx.clone();
        let handle = tokio::spawn(app.run_until_stopped());
        TestApp {
            dir,
            ctx,
            clock,
            address,
            extra,
            handle: Some(handle),
        }
    }

    /// Stops gracefully and starts again on the same database and console file.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let TestApp {
            dir, clock, extra, ..
        } = self;
        TestApp::start(dir, clock, extra).await
    }

    pub async fn stop(&mut self) {
        self.ctx.shutdown.cancel();
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("baton.db")
    }

    /// Every line the console platform wrote.
    pub fn console(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("console.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    pub fn console_of_kind(&self, kind: &str) -> Vec<Value> {
        self.console()
            .into_iter()
            .filter(|m| m["kind"] == kind)
            .collect()
    }

    /// Waits until the engine's counters satisfy `done`.
    pub async fn wait(&self, what: &str, done: impl FnMut(&Counters) -> bool) -> Counters {
        match tokio::time::timeout(PATIENCE, self.ctx.stats.wait_for(done)).await {
            Ok(counters) => counters,
            Err(_) => {
                let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
                    "SELECT id, status, recipient, next_attempt_at, attempts FROM outbox",
                )
                .fetch_all(&self.ctx.db.pool)
                .await
                .unwrap();
                panic!(
                    "timed out waiting for {what}; counters: {:?}; outbox: {rows:?}",
                    self.ctx.stats.now()
                )
            }
        }
    }

    /// Waits until the outbox is empty (everything queued was handled).
    pub async fn drained(&self) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let queued = self
                .scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
                .await;
            if queued == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{queued} messages still queued"
            );
            let sent = self.ctx.stats.now().messages_sent;
            let _ = tokio::time::timeout(
                Duration::from_millis(200),
                self.ctx.stats.wait_for(|c| c.messages_sent > sent),
            )
            .await;
        }
    }

    /// Waits until the SLA loop has fired every timer due at the app's clock (after a
    /// history import it has the silent breach timers of the past to work through).
    pub async fn timers_settled(&self) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let now = self
                .clock
                .now()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let due: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sla_timers WHERE status = 'pending' AND due_at <= ?",
            )
            .bind(now)
            .fetch_one(&self.ctx.db.pool)
            .await
            .unwrap();
            if due == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{due} SLA timers still due"
            );
            let before = self.ctx.stats.now();
            let _ = tokio::time::timeout(
                Duration::from_millis(200),
                self.ctx.stats.wait_for(|c| *c != before),
            )
            .await;
        }
    }

    pub async fn scalar(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.ctx.db.pool)
            .await
            .unwrap()
    }

    /// Runs `sql` in a separate python3 process with its own sqlite3 connection, as a CRM
    /// would. Panics if it fails.
    pub async fn external(&self, sql: &str) {
        let out = external_sql(&self.db_path(), sql).await;
        assert!(
            out.status.success(),
            "external write failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs a chat command as `actor` and returns the reply text.
    pub async fn command(&self, actor: &str, text: &str) -> (bool, String) {
        let reply = baton::engine::actions::execute(&self.ctx, actor, text)
            .await
            .unwrap();
        (reply.ok, reply.message.plain_text())
    }
}

/// Runs SQL through python3's sqlite3 module in another process; returns its output.
pub async fn external_sql(db: &Path, sql: &str) -> std::process::Output {
    let script = r#"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("PRAGMA busy_timeout = 30000")
try:
    con.executescript(sys.stdin.read())
except sqlite3.Error as e:
    print(type(e).__name__ + ": " + str(e), file=sys.stderr)
    sys.exit(1)
"#;
    let mut child = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed for the external-writer tests");
    use tokio::io::AsyncWriteExt;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(sql.as_bytes()).await.unwrap();
    drop(stdin);
    child.wait_with_output().await.unwrap()
}

#[allow(dead_code)]
pub fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("debug,sqlx=warn")
        .with_test_writer()
        .try_init();
}

/// The whole database as SQL text (python3's `iterdump`, another process), without the
/// ids of deliveries already handled: to compare the state before and after an action
/// that must change nothing.
pub async fn dump(db: &Path) -> String {
    let script = r#"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30)
for line in con.iterdump():
    if 'inbound_deliveries' not in line:
        print(line)
"#;
    let out = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(db)
        .output()
        .await
        .expect("python3 is needed to dump the database");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
