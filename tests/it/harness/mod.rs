//! The one test harness: `TestApp::builder()` starts a Baton app on a fresh temporary
//! SQLite file, port 0, the console platform writing JSON Lines to a file, and a manual
//! clock; `.fake_slack()` and `.fake_discord()` add a fake server each, with Baton's
//! config pointed at it, and their helpers behind `app.slack()` and `app.discord()`.
//! Writes "from another system" go through a separate `python3` process using its own
//! sqlite3 library.
//!
//! Strict on drop, like crates.io's `TestApp`: a test that leaves rows in the outbox that
//! were not sent fails, unless it said so with [`TestApp::expect_unsent`] (or
//! [`TestApp::allow_unsent`], when it stops a burst paced in real time).

pub mod discord;
pub mod slack;

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use baton::app::App;
use baton::clock::Clock;
use baton::config::Config;
use baton::engine::Ctx;
use baton::engine::stats::Counters;
use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::task::JoinHandle;

use crate::fake_slack::FakeSlack;

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

type Tweak = Box<dyn FnOnce(&mut Ctx)>;
type Edit = Box<dyn FnOnce(String) -> String>;

/// What to start: see [`TestApp::builder`].
pub struct Builder {
    team: String,
    config: String,
    start: DateTime<Utc>,
    env: Vec<(String, String)>,
    slack: Option<(String, String)>,
    discord: bool,
    tweak: Option<Tweak>,
    edit: Option<Edit>,
}

impl Builder {
    /// More config after the people (`[sla]`, `[[reader]]`, ...).
    pub fn config(mut self, extra: &str) -> Builder {
        self.config = extra.to_string();
        self
    }

    /// These people, calendars and teams instead of [`TEAM`].
    pub fn team(mut self, team: &str) -> Builder {
        self.team = team.to_string();
        self
    }

    /// The manual clock starts at `start` instead of [`START`].
    pub fn at(mut self, start: DateTime<Utc>) -> Builder {
        self.start = start;
        self
    }

    /// Environment variables for the config (`BATON__...` overrides, secrets).
    pub fn env(mut self, env: &[(&str, &str)]) -> Builder {
        self.env
            .extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self
    }

    /// A [`FakeSlack`] with Baton's `[slack]` in HTTP mode pointed at it.
    pub fn fake_slack(self) -> Builder {
        self.fake_slack_with("http", "")
    }

    /// A [`FakeSlack`] with Baton's Slack in `mode` ("http" or "socket") and `extra` keys
    /// in its `[slack]` table.
    pub fn fake_slack_with(mut self, mode: &str, extra: &str) -> Builder {
        self.slack = Some((mode.to_string(), extra.to_string()));
        self
    }

    /// A [`FakeDiscord`](crate::fake_discord::FakeDiscord) with Baton's `[discord]` in HTTP mode pointed at it; Boss and Ann
    /// have their `discord_id`.
    pub fn fake_discord(mut self) -> Builder {
        self.discord = true;
        self
    }

    /// A chance to adjust the engine before it first starts.
    pub fn tweak(mut self, tweak: impl FnOnce(&mut Ctx) + 'static) -> Builder {
        self.tweak = Some(Box::new(tweak));
        self
    }

    /// A chance to edit the whole config text.
    pub fn edit_config(mut self, edit: impl FnOnce(String) -> String + 'static) -> Builder {
        self.edit = Some(Box::new(edit));
        self
    }

    pub async fn spawn(self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut env = HashMap::new();
        let mut tables = String::new();
        let slack = match &self.slack {
            Some((mode, extra)) => {
                let fake = FakeSlack::start().await;
                tables.push_str(&slack::config(&fake, mode, extra));
                env.extend(slack::env());
                Some(fake)
            }
            None => None,
        };
        let discord = match self.discord {
            true => {
                let side = discord::DiscordSide::start().await;
                tables.push_str(&side.config());
                env.extend(side.env());
                Some(side)
            }
            false => None,
        };
        env.extend(self.env);
        let text = config_text(
            dir.path(),
            &format!("{}\n{}\n{tables}", self.team, self.config),
        );
        let text = match self.edit {
            Some(edit) => edit(text),
            None => text,
        };
        let clock = Clock::manual(self.start);
        let (ctx, address, handle) = start(&text, &env, &clock, self.tweak).await;
        TestApp {
            dir,
            ctx,
            clock,
            address,
            text,
            env,
            handle: Some(handle),
            http: reqwest::Client::new(),
            slack,
            discord,
            at_end: Cell::new(AtEnd::NoFailures),
        }
    }
}

async fn start(
    text: &str,
    env: &HashMap<String, String>,
    clock: &Clock,
    tweak: Option<Tweak>,
) -> (Ctx, std::net::SocketAddr, JoinHandle<anyhow::Result<()>>) {
    let config = Config::from_toml("test config", text, env).unwrap();
    let mut app = App::build(config, clock.clone()).await.unwrap();
    if let Some(tweak) = tweak {
        tweak(&mut app.ctx);
    }
    let address = app.address().unwrap();
    let ctx = app.ctx.clone();
    (ctx, address, tokio::spawn(app.run_until_stopped()))
}

/// A running Baton and the fakes it talks to.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub ctx: Ctx,
    pub clock: Clock,
    pub address: std::net::SocketAddr,
    text: String,
    env: HashMap<String, String>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
    http: reqwest::Client,
    slack: Option<FakeSlack>,
    discord: Option<discord::DiscordSide>,
    /// What the outbox may hold when the test ends.
    at_end: Cell<AtEnd>,
}

/// What the outbox may hold when a test ends, checked on drop.
#[derive(Clone, Copy, Debug)]
enum AtEnd {
    /// No row whose sending failed (a last error or a dead letter). Rows still queued are
    /// fine: a test that ends without `drained()` may stop before the dispatcher's next
    /// turn, and counting those would make the check depend on timing.
    NoFailures,
    /// Exactly this many rows not sent, whatever their state (set by `expect_unsent`).
    Unsent(usize),
    /// Anything (set by `allow_unsent`).
    Anything,
}

impl TestApp {
    /// [`TEAM`], the console, the clock at [`START`]; no fakes.
    pub fn builder() -> Builder {
        Builder {
            team: TEAM.to_string(),
            config: String::new(),
            start: at(START),
            env: Vec::new(),
            slack: None,
            discord: false,
            tweak: None,
            edit: None,
        }
    }

    /// Starts Baton with [`TEAM`] plus `extra` config: `builder().config(extra).spawn()`.
    pub async fn spawn(extra: &str) -> TestApp {
        TestApp::builder().config(extra).spawn().await
    }

    /// The fake Slack side; panics unless built with `.fake_slack()`.
    pub fn slack(&self) -> slack::Slack<'_> {
        slack::Slack {
            app: self,
            fake: self.slack.as_ref().expect("built without .fake_slack()"),
        }
    }

    /// The fake Discord side; panics unless built with `.fake_discord()`.
    pub fn discord(&self) -> discord::Discord<'_> {
        let side = self
            .discord
            .as_ref()
            .expect("built without .fake_discord()");
        discord::Discord {
            app: self,
            fake: &side.fake,
            key: &side.key,
        }
    }

    /// Declares that the test ends with exactly `n` outbox rows not sent (dead letters, or
    /// rows left queued on purpose); without it, any row whose sending failed fails the
    /// test on drop.
    pub fn expect_unsent(&self, n: usize) {
        self.at_end.set(AtEnd::Unsent(n));
    }

    /// Declares that the test stops while messages are still going out, so that how many
    /// rows are left unsent depends on timing (a burst paced in real time).
    pub fn allow_unsent(&self) {
        self.at_end.set(AtEnd::Anything);
    }

    /// Stops gracefully and starts again on the same database, config, clock and fakes.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let (ctx, address, handle) = start(&self.text, &self.env, &self.clock, None).await;
        self.ctx = ctx;
        self.address = address;
        self.handle = Some(handle);
        self
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

    /// Waits until the outbox holds nothing to send (everything queued was handled).
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

    /// The one number `sql` selects, through Baton's own pool.
    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.ctx.db.pool)
            .await
            .unwrap()
    }

    /// The one text (or NULL) `sql` selects, through Baton's own pool.
    pub async fn text(&self, sql: &str) -> Option<String> {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
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

    /// Runs `statements` in one transaction on a connection of its own (another writer,
    /// in this process) and returns when its commit began: for timings that must not
    /// count a process starting, as [`TestApp::external`] does.
    pub async fn commit_timed(&self, statements: &[String]) -> Instant {
        use sqlx::Connection;
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(self.db_path())
            .busy_timeout(PATIENCE);
        let mut writer = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("the other writer's connection");
        let mut tx = writer.begin().await.expect("its transaction");
        for statement in statements {
            sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
                .execute(&mut *tx)
                .await
                .unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
        let committing = Instant::now();
        tx.commit().await.expect("its commit");
        writer.close().await.expect("closing it");
        committing
    }

    /// The database as text, to compare before and after an action that must change
    /// nothing.
    pub async fn dump(&self) -> String {
        dump(&self.db_path()).await
    }

    /// Runs a chat command as `actor`, as the console's stdin reader does, and returns
    /// whether it succeeded and the reply text.
    pub async fn command(&self, actor: &str, text: &str) -> (bool, String) {
        let reply = baton::engine::actions::execute(&self.ctx, actor, text)
            .await
            .unwrap();
        (reply.ok, reply.message.plain_text())
    }
}

impl Drop for TestApp {
    /// Fails the test when the outbox holds rows not sent that it did not expect.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let (rows, expected) = match self.at_end.get() {
            AtEnd::Anything => return,
            AtEnd::NoFailures => (unsent_rows(&self.db_path(), true), 0),
            AtEnd::Unsent(n) => (unsent_rows(&self.db_path(), false), n),
        };
        assert!(
            rows.len() == expected,
            "the outbox holds {} rows not sent ({:?}), {expected} expected \
             (declare them with `expect_unsent`):\n{}",
            rows.len(),
            self.at_end.get(),
            rows.join("\n"),
        );
    }
}

/// An outbox row not sent: id, status, platform, recipient, kind, attempts, last error.
type Unsent = (i64, String, String, String, String, i64, Option<String>);

/// Every outbox row whose status is not `sent` (of those, only the ones whose sending failed
/// when `failed_only`), one line each. A drop cannot await, and
/// may run inside the test's runtime, so the rows are read on a thread of its own with its
/// own runtime and connection.
fn unsent_rows(db: &Path, failed_only: bool) -> Vec<String> {
    let query = if failed_only {
        "SELECT id, status, platform, recipient, kind, attempts, last_error FROM outbox
          WHERE status <> 'sent' AND (status = 'dead' OR last_error IS NOT NULL) ORDER BY id"
    } else {
        "SELECT id, status, platform, recipient, kind, attempts, last_error FROM outbox
          WHERE status <> 'sent' ORDER BY id"
    };
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .busy_timeout(PATIENCE);
    let read = move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
            let rows: Vec<Unsent> = sqlx::query_as(query).fetch_all(&mut conn).await?;
            conn.close().await?;
            Ok::<_, sqlx::Error>(rows)
        })
    };
    std::thread::spawn(read)
        .join()
        .expect("the outbox check's thread")
        .expect("reading the outbox")
        .into_iter()
        .map(|row| format!("{row:?}"))
        .collect()
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
