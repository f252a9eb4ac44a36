//! Routing benchmark (issue 19): the burst of 10,000 leads moved to `mql` in one commit,
//! routed by the real app on a temporary SQLite file (WAL) with 1,000,000 leads of history,
//! once with 10,000 rows in `accounts` (every burst lead's domain matches one, so each is
//! routed to its account's owner) and once with none (each is looked up, found in no
//! account and no memory of accepted handoffs, and goes to the rotation). It prints the
//! time from the commit until every handoff is opened, for both, beside the limit: plain
//! `INSERT … SELECT` statements writing the same rows after the same commit, and the ratios.
//!
//! Run with `cargo bench --bench routing`. `BATON_BENCH_SMALL=1` runs it with 200 leads,
//! 200 accounts and 2,000 leads of history, to check that it works (BENCHMARKS.md shows
//! how in the dev profile). The history is written before Baton starts on the file, and
//! the watcher's cursor is set past it, so only the burst is measured. `python3` writes
//! as a CRM would.

mod common;

use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail, ensure};
use baton::app::App;
use baton::clock::Clock;
use baton::config::Config;
use baton::engine::Ctx;
use tokio::io::AsyncWriteExt;
use tokio::task::JoinHandle;

/// Sizes of one run.
#[derive(Debug, Clone, Copy)]
struct Size {
    burst: usize,
    accounts: usize,
    history: usize,
}

const FULL: Size = Size {
    burst: 10_000,
    accounts: 10_000,
    history: 1_000_000,
};
const SMALL: Size = Size {
    burst: 200,
    accounts: 200,
    history: 2_000,
};

/// How long the app may take to open every handoff of the burst.
const CATCH_UP: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("benchmark failed: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchmark failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let size = if std::env::var_os("BATON_BENCH_SMALL").is_some() {
        SMALL
    } else {
        FULL
    };
    eprintln!(
        "[1/2] burst of {} with {} accounts and {} leads of history",
        size.burst, size.accounts, size.history
    );
    let with_accounts = burst(size, true).await?;
    eprintln!(
        "[2/2] burst of {} with no accounts, same history",
        size.burst
    );
    let (without, shape) = burst(size, false).await?;
    eprintln!("[3/3] the same rows written by plain SQL (INSERT … SELECT), same history");
    let plain = plain_sql(size, shape).await?;
    println!(
        "| routing burst ({} leads → mql in one commit, {} leads of history) | commit → all handoffs opened |\n\
         |---|---|\n\
         | {} accounts (every lead matches one) | {:.2} s |\n\
         | no accounts (rotation) | {:.2} s |\n\
         | plain SQL writing the same rows (the limit) | {:.2} s |\n\
         | ratio with / without accounts | {:.2} |\n\
         | ratio with accounts / plain SQL | {:.2} |\n\
         | ratio without accounts / plain SQL | {:.2} |",
        size.burst,
        size.history,
        size.accounts,
        with_accounts.0,
        without,
        plain,
        with_accounts.0 / without,
        with_accounts.0 / plain,
        without / plain,
    );
    Ok(())
}

/// What Baton wrote per handoff in a burst, for the plain-SQL limit to write the same.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Average length of an outbox message, of a routing decision's detail, of a log line.
    message: usize,
    detail: usize,
    log: usize,
}

/// Seconds from the burst's commit until every handoff is opened, and what was written.
async fn burst(size: Size, accounts: bool) -> anyhow::Result<(f64, Shape)> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let db = dir.path().join("baton.db");
    seed(dir.path(), size, accounts).await?;
    let (ctx, handle) = start(dir.path()).await?;
    let want = ctx.stats.now().handoffs_opened + size.burst as u64;
    let opened = tokio::spawn({
        let stats = ctx.stats.clone();
        async move {
            stats.wait_for(|c| c.handoffs_opened >= want).await;
            now_epoch()
        }
    });
    let committed = commit_burst(&db, size.burst).await?;
    let opened_at = match tokio::time::timeout(CATCH_UP, opened).await {
        Ok(Ok(at)) => at,
        Ok(Err(e)) => bail!("the handoff watcher task failed: {e}"),
        Err(_) => bail!(
            "timed out after {} s waiting for {} handoffs; counters: {:?}",
            CATCH_UP.as_secs(),
            size.burst,
            ctx.stats.now()
        ),
    };
    stop(&ctx, handle).await?;
    let shape = python(
        r#"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
q = lambda sql: int(con.execute(sql).fetchone()[0] or 0)
print(q("SELECT AVG(length(message)) FROM outbox"), q("SELECT AVG(length(detail)) FROM routing_decisions"),
      q("SELECT AVG(length(what)) FROM handoff_log"))
"#,
        &db,
        "",
    )
    .await?;
    let n: Vec<usize> = shape
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .with_context(|| format!("the shape query printed {shape:?}"))?;
    let [message, detail, log] = n[..] else {
        bail!("the shape query printed {shape:?}");
    };
    Ok((
        opened_at - committed,
        Shape {
            message,
            detail,
            log,
        },
    ))
}

/// A fresh database in `dir` (schema by a first start of Baton) with the history, the
/// burst's leads (stage `lead`), the accounts when asked, and the watcher's cursor past it.
async fn seed(dir: &Path, size: Size, accounts: bool) -> anyhow::Result<()> {
    let db = dir.join("baton.db");
    // A first start creates the schema; the history goes in while Baton is stopped.
    let (ctx, handle) = start(dir).await?;
    stop(&ctx, handle).await?;
    let accounts_sql = if accounts {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last})
             INSERT INTO accounts (domain, name, owner_email)
                 SELECT 'company' || i || '.com', 'Company ' || i,
                        CASE i % 3 WHEN 0 THEN 'ann@acme.test' WHEN 1 THEN 'bob@acme.test' ELSE 'cid@acme.test' END
                 FROM n;",
            last = size.accounts - 1
        )
    } else {
        String::new()
    };
    external_sql(
        &db,
        &format!(
            "BEGIN IMMEDIATE;
             {accounts_sql}
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {history})
             INSERT INTO leads (external_id, name, email, company, stage)
                 SELECT 'old-' || i, 'Old ' || i, 'old' || i || '@company' || (i % {accounts_n}) || '.com',
                        'Company ' || (i % {accounts_n}), CASE i % 4 WHEN 0 THEN 'customer' ELSE 'sql' END
                 FROM n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {burst})
             INSERT INTO leads (external_id, name, email, company, stage)
                 SELECT 'new-' || i, 'New ' || i, 'new' || i || '@company' || (i % {accounts_n}) || '.com',
                        'Company ' || (i % {accounts_n}), 'lead'
                 FROM n;
             INSERT INTO cursors (name, value) SELECT 'watcher', COALESCE(MAX(id), 0) FROM lead_events
                 WHERE true ON CONFLICT (name) DO UPDATE SET value = excluded.value;
             COMMIT;",
            history = size.history,
            burst = size.burst,
            accounts_n = size.accounts,
        ),
    )
    .await?;
    Ok(())
}

/// The limit: seconds for one transaction of plain `INSERT … SELECT` statements (python3's
/// sqlite3, WAL, `synchronous = NORMAL` as Baton opens it) writing the rows Baton writes
/// for the burst without accounts — a handoff, its routing decision, its log line and its
/// alert in the outbox, each as long as Baton's on average, the rotation and the cursor —
/// on a file seeded the same way, after the same commit.
async fn plain_sql(size: Size, shape: Shape) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let db = dir.path().join("baton.db");
    seed(dir.path(), size, false).await?;
    commit_burst(&db, size.burst).await?;
    let script = r#"
import sqlite3, sys, time
message, detail, log = (int(v) for v in sys.argv[2:5])
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("PRAGMA synchronous = NORMAL")
pad = lambda n: "printf('%-" + str(n) + "s', 'x')"
start = time.perf_counter()
con.execute("BEGIN IMMEDIATE")
after = con.execute("SELECT value FROM cursors WHERE name = 'watcher'").fetchone()[0]
con.execute("""INSERT INTO handoffs (lead_id, event_id, assignee, team, why, route_reason, mql_at, opened_at, silent)
    SELECT e.lead_id, e.id, CASE e.id % 3 WHEN 0 THEN 'ann@acme.test' WHEN 1 THEN 'bob@acme.test' ELSE 'cid@acme.test' END,
           'sales', 'Entered MQL (from lead) at ' || e.at, 'rotation', e.at, strftime('%Y-%m-%dT%H:%M:%fZ'), 0
    FROM lead_events e WHERE e.id > ? AND e.to_stage = 'mql'""", (after,))
con.execute("INSERT INTO routing_decisions (handoff_id, decided_at, domain, summary, detail) "
    "SELECT h.id, h.opened_at, 'company.com', 'rotation', " + pad(detail) + " FROM handoffs h WHERE h.event_id > ?", (after,))
con.execute("INSERT INTO handoff_log (handoff_id, at, what) SELECT h.id, h.opened_at, " + pad(log) +
    " FROM handoffs h WHERE h.event_id > ?", (after,))
con.execute("INSERT INTO outbox (dedupe_key, platform, recipient, kind, lead_id, handoff_id, message, next_attempt_at, created_at) "
    "SELECT 'alert:' || h.id || ':console:' || h.assignee, 'console', h.assignee, 'alert', h.lead_id, h.id, " + pad(message) +
    ", h.opened_at, h.opened_at FROM handoffs h WHERE h.event_id > ?", (after,))
con.execute("INSERT INTO rotation_members (team, email, pass) VALUES ('sales', 'ann@acme.test', 3334) "
    "ON CONFLICT DO UPDATE SET pass = excluded.pass")
con.execute("INSERT INTO rotation_teams (team, virtual_time) VALUES ('sales', 3334) "
    "ON CONFLICT DO UPDATE SET virtual_time = excluded.virtual_time")
con.execute("UPDATE cursors SET value = (SELECT MAX(id) FROM lead_events) WHERE name = 'watcher'")
con.execute("COMMIT")
print(repr(time.perf_counter() - start))
"#;
    let out = python_args(
        script,
        &db,
        &[
            shape.message.to_string(),
            shape.detail.to_string(),
            shape.log.to_string(),
        ],
    )
    .await?;
    out.trim()
        .parse()
        .with_context(|| format!("the plain-SQL writer printed {out:?}"))
}

/// Moves every lead in stage `lead` to `mql` in one transaction (python3, as a CRM would);
/// returns the wall-clock time of the commit.
async fn commit_burst(db: &Path, n: usize) -> anyhow::Result<f64> {
    let script = r#"
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("PRAGMA busy_timeout = 30000")
con.execute("BEGIN IMMEDIATE")
rows = con.execute("UPDATE leads SET stage = 'mql' WHERE stage = 'lead'").rowcount
con.execute("COMMIT")
print(rows, repr(time.time()))
"#;
    let out = python(script, db, "").await?;
    let parts: Vec<&str> = out.split_whitespace().collect();
    let [rows, at] = parts.as_slice() else {
        bail!("the burst writer printed {out:?}");
    };
    ensure!(
        *rows == n.to_string(),
        "the burst moved {rows} leads, not {n}"
    );
    at.parse().context("the burst writer sent a bad time")
}

/// Runs `sql` as one script in python3's own sqlite3.
async fn external_sql(db: &Path, sql: &str) -> anyhow::Result<()> {
    let script = r#"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("PRAGMA busy_timeout = 30000")
con.executescript(sys.stdin.read())
"#;
    python(script, db, sql).await.map(|_| ())
}

/// Runs a python3 `script` on `db` with `args` after it; returns its stdout.
async fn python_args(script: &str, db: &Path, args: &[String]) -> anyhow::Result<String> {
    run_python(script, db, args, "").await
}

/// Runs a python3 `script` on `db` with `input` on its stdin; returns its stdout.
async fn python(script: &str, db: &Path, input: &str) -> anyhow::Result<String> {
    run_python(script, db, &[], input).await
}

async fn run_python(
    script: &str,
    db: &Path,
    args: &[String],
    input: &str,
) -> anyhow::Result<String> {
    let mut child = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start python3: it is needed as the external writer")?;
    let mut stdin = child.stdin.take().context("python3 has no stdin")?;
    stdin
        .write_all(input.as_bytes())
        .await
        .context("cannot send SQL to python3")?;
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(600), child.wait_with_output())
        .await
        .context("python3 did not finish within 600 s")?
        .context("cannot wait for python3")?;
    ensure!(
        out.status.success(),
        "python3 failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Baton on the database in `dir`, console → JSON Lines.
async fn start(dir: &Path) -> anyhow::Result<(Ctx, JoinHandle<anyhow::Result<()>>)> {
    let text = format!(
        r#"
[database]
url = "sqlite://{db}"

[server]
listen = "127.0.0.1:0"

[console]
enabled = true
output = "{out}"
format = "jsonl"
{team}"#,
        db = dir.join("baton.db").display(),
        out = dir.join("console.jsonl").display(),
        team = common::TEAM,
    );
    let config = Config::from_toml("bench config", &text, &Default::default())
        .context("the bench config is invalid")?;
    let app = App::build(config, Clock::system())
        .await
        .context("cannot build the app")?;
    let ctx = app.ctx.clone();
    Ok((ctx, tokio::spawn(app.run_until_stopped())))
}

async fn stop(ctx: &Ctx, handle: JoinHandle<anyhow::Result<()>>) -> anyhow::Result<()> {
    ctx.shutdown.cancel();
    match tokio::time::timeout(Duration::from_secs(30), handle).await {
        Ok(Ok(outcome)) => outcome.context("the app stopped with an error"),
        Ok(Err(e)) => bail!("the app task panicked: {e}"),
        Err(_) => bail!("the app did not stop within 30 s of shutdown"),
    }
}

fn now_epoch() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}
