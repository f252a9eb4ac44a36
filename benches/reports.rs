//! Report benchmarks on a generated database: 1,000,000 leads with 5,000,000 stage events
//! spread over two years, and about 200,000 handoffs with their SLA clocks and breaches.
//!
//! The data set is written straight into a temporary SQLite file (WAL) in one transaction
//! with multi-row prepared inserts; the report migrations run afterwards, as on an existing
//! database being upgraded, and their backfill is timed separately. Then
//! `/funnel 90d by campaign` and `/sla 30d` are built and rendered (text and JSON) many
//! times each, and their p50 and p99 printed. Beside each report, in the same loop (one
//! report, then its reads), the plain SQL reads it needs are timed: the same statements on
//! the same pool, run as concurrently as the report runs them, with the handoff facts
//! stepped through inside SQLite ([`baton::store::reports::handoff_facts_floor`]) instead
//! of packed, sent and assembled. The ratio of the two is the report's cost over SQLite's.
//!
//! Run with `cargo bench --bench reports`. Set `BATON_BENCH_DB=/path/file.db` to keep the
//! generated database there (and reuse it on the next run when it already exists), and
//! `BATON_BENCH_ONLY=/funnel` to run only the reports whose name starts with that text.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use baton::command::grammar::Dimension;
use baton::config::Config;
use baton::domain::handoff::RejectReason;
use baton::domain::period::Period;
use baton::domain::schedule::IsoWeek;
use baton::store::{Db, ts};
use chrono::{DateTime, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sqlx::{Sqlite, SqliteConnection};

const LEADS: i64 = 1_000_000;
/// At most this many events (the generator fails if it makes more).
const EVENTS: i64 = 5_000_000;
/// Fixed, so every run generates the same data.
const SEED: u64 = 0x005E_EDF0_2026;
/// How many days of history the data set covers, up to [`NOW`].
const SPAN_DAYS: i64 = 730;
/// The chance of each further nurture loop (lead, back to visitor, lead again), chosen to
/// give about five events per lead.
const NURTURE: f64 = 0.614;
/// The moment the reports are asked for.
const NOW: &str = "2026-11-20T12:00:00Z";
const RUNS: usize = 100;
const WARM_UP: usize = 3;
/// The goals of issue 18 item 3 for `/funnel 90d by campaign` and `/sla 30d`: p99 at most
/// this many milliseconds, and at most this many times the p99 of their plain reads.
const GOAL_P99_MS: f64 = 80.0;
const GOAL_RATIO: f64 = 1.5;

const CAMPAIGNS: usize = 60;
const SOURCES: [&str; 8] = [
    "web", "ads", "events", "partner", "referral", "webinar", "outbound", "social",
];
const TEAMS: [&str; 3] = ["emea", "amer", "apac"];
const REPS_PER_TEAM: usize = 8;

/// Rows per multi-row INSERT: 200 rows of at most 8 columns stay far below SQLite's limit
/// of 32,766 bound parameters.
const BATCH: usize = 200;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(bench()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!(
                "a goal was missed: p99 at most {GOAL_P99_MS} ms and {GOAL_RATIO}x the plain reads"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn bench() -> anyhow::Result<bool> {
    let now = DateTime::parse_from_rfc3339(NOW)?.with_timezone(&Utc);
    let keep = std::env::var_os("BATON_BENCH_DB").map(PathBuf::from);
    let temp = tempfile::tempdir().context("cannot create a temporary folder")?;
    let path = keep
        .clone()
        .unwrap_or_else(|| temp.path().join("reports.db"));
    let db = if path.exists() {
        println!("reusing {}", path.display());
        let db = Db::open(&path).await?;
        let upgrade = Instant::now();
        db.migrate().await?;
        println!("migrations took {:.1} s", upgrade.elapsed().as_secs_f64());
        db
    } else {
        generate(&path, now).await?
    };
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM lead_events),
                (SELECT COUNT(*) FROM handoffs), (SELECT COUNT(*) FROM sla_breaches)",
    )
    .fetch_one(&db.pool)
    .await?;
    println!(
        "data set: {} leads, {} events, {} handoffs, {} breaches",
        counts.0, counts.1, counts.2, counts.3
    );

    let config = bench_config(&path)?;
    let show = std::env::var_os("BATON_BENCH_SHOW").is_some();
    let mut ok = true;
    // (name, report, whether the goal applies)
    let cases = [
        (
            "/funnel 90d by campaign",
            Report::Funnel(Period::LastDays(90), Some(Dimension::Campaign)),
            true,
        ),
        ("/sla 30d", Report::Sla(Period::LastDays(30)), true),
        (
            "/funnel last-quarter by campaign",
            Report::Funnel(Period::LastQuarter, Some(Dimension::Campaign)),
            false,
        ),
        (
            "weekly digest, every recipient's text",
            Report::Digest(IsoWeek::last_complete(now, config.reporting_tz)),
            false,
        ),
    ];
    // With `BATON_BENCH_ONLY=/sla`, only the reports whose name starts so (for profiling).
    let only = std::env::var("BATON_BENCH_ONLY").unwrap_or_default();
    for (name, report, gated) in cases {
        if !name.starts_with(&only) {
            continue;
        }
        let mut times = Vec::with_capacity(RUNS);
        let mut reads = Vec::with_capacity(RUNS);
        let mut size = 0;
        for run in 0..WARM_UP + RUNS {
            let started = Instant::now();
            let text = report.text(&db, &config, now).await?;
            let took = started.elapsed();
            size = text.len();
            if run == 0 {
                let shown: Vec<&str> = text
                    .lines()
                    .take(if show { usize::MAX } else { 14 })
                    .collect();
                println!("--- {name} ---\n{}\n---", shown.join("\n"));
            }
            let started = Instant::now();
            let read = report.plain_reads(&db, &config, now).await?;
            let read_took = started.elapsed();
            if run >= WARM_UP {
                times.push(took);
                if read {
                    reads.push(read_took);
                }
            }
        }
        let json_started = Instant::now();
        let json = report.json(&db, &config, now).await?;
        let json_took = json_started.elapsed();
        times.sort();
        reads.sort();
        let p50 = ms(percentile(&times, 50));
        let p99 = ms(percentile(&times, 99));
        println!(
            "{name}: {RUNS} runs, p50 {p50:.1} ms, p99 {p99:.1} ms, max {:.1} ms ({size} bytes of text); JSON once: {:.1} ms ({} bytes){}",
            ms(times.last().copied().unwrap_or_default()),
            ms(json_took),
            json.len(),
            if gated { "" } else { " [no goal]" }
        );
        let mut ratio_p99 = None;
        if !reads.is_empty() {
            let (r50, r99) = (ms(percentile(&reads, 50)), ms(percentile(&reads, 99)));
            ratio_p99 = Some(p99 / r99);
            println!(
                "{name}: its plain reads, p50 {r50:.1} ms, p99 {r99:.1} ms, max {:.1} ms; report / reads: p50 {:.2}x, p99 {:.2}x",
                ms(reads.last().copied().unwrap_or_default()),
                p50 / r50,
                p99 / r99,
            );
        }
        if gated {
            ok &= p99 <= GOAL_P99_MS && ratio_p99.is_some_and(|r| r <= GOAL_RATIO);
        }
    }
    if std::env::var_os("BATON_BENCH_PARTS").is_some() {
        funnel_parts(&db, &config, now).await?;
        digest_parts(&db, &config, now).await?;
    }
    drop(db);
    if keep.is_none() {
        temp.close().context("cannot remove the temporary folder")?;
    }
    Ok(ok)
}

enum Report {
    Funnel(Period, Option<Dimension>),
    Sla(Period),
    Digest(IsoWeek),
}

impl Report {
    async fn text(&self, db: &Db, config: &Config, now: DateTime<Utc>) -> anyhow::Result<String> {
        match *self {
            Report::Funnel(period, by) => {
                baton::reports::funnel_text(db, config, period, by, now).await
            }
            Report::Sla(period) => {
                baton::reports::sla_text(db, config, period, None, None, now).await
            }
            Report::Digest(week) => {
                let digest = baton::reports::digest::build(db, config, week, now).await?;
                // The chart is rendered when it is sent; count it here too.
                let png = baton::message::chart::render_png(&digest.chart())?;
                Ok(format!(
                    "{}[chart: {} bytes of PNG]",
                    digest.render_text(config),
                    png.len()
                ))
            }
        }
    }

    /// Runs the plain SQL reads the report needs (see the module doc), on the same pool and
    /// as concurrently as the report; false for a report without them here (the digest).
    async fn plain_reads(
        &self,
        db: &Db,
        config: &Config,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        use baton::store::reports::{self, HandoffFilter, LeadKey};
        let pool = &db.pool;
        let all = HandoffFilter::default();
        match *self {
            Report::Funnel(period, by) => {
                let window = period.resolve(now, config.reporting_tz);
                let by_source = async {
                    match by {
                        Some(Dimension::Source) => {
                            reports::entries(pool, LeadKey::Source, window, now, None).await
                        }
                        _ => Ok(Vec::new()),
                    }
                };
                tokio::try_join!(
                    reports::entries(pool, LeadKey::Campaign, window, now, None),
                    by_source,
                    baton::reports::mql_target(db, config, now),
                    reports::handoff_facts_floor(pool, window, now, all),
                )?;
                baton::store::duplicates::count(pool, window).await?;
                Ok(true)
            }
            Report::Sla(period) => {
                let window = period.resolve(now, config.reporting_tz);
                tokio::try_join!(
                    reports::handoff_facts_floor(pool, window, now, all),
                    reports::latest_breaches(pool, window, now, all, 10),
                )?;
                Ok(true)
            }
            Report::Digest(_) => Ok(false),
        }
    }

    async fn json(&self, db: &Db, config: &Config, now: DateTime<Utc>) -> anyhow::Result<String> {
        match *self {
            Report::Funnel(period, by) => {
                baton::reports::funnel_json(db, config, period, by, now).await
            }
            Report::Sla(period) => {
                baton::reports::sla_json(db, config, period, None, None, now).await
            }
            Report::Digest(week) => Ok(serde_json::to_string_pretty(
                &baton::reports::digest::build(db, config, week, now).await?,
            )?),
        }
    }
}

/// With `BATON_BENCH_PARTS` set: the parts of `/funnel 90d by campaign` one after the other
/// (the handoff facts with and without their transfer to Rust, the report built but not
/// rendered, and rendered), so the distance to the plain reads can be taken apart.
async fn funnel_parts(db: &Db, config: &Config, now: DateTime<Utc>) -> anyhow::Result<()> {
    use baton::store::reports::{self, HandoffFilter};
    const PART_RUNS: usize = 30;
    let period = Period::LastDays(90);
    let by = Some(Dimension::Campaign);
    let window = period.resolve(now, config.reporting_tz);
    let all = HandoffFilter::default();
    for part in 0..4 {
        let mut times = Vec::with_capacity(PART_RUNS);
        let mut name = "";
        for _ in 0..PART_RUNS {
            let started = Instant::now();
            name = match part {
                0 => {
                    reports::handoff_facts_floor(&db.pool, window, now, all).await?;
                    "handoff facts stepped through in SQLite (the floor)"
                }
                1 => {
                    reports::handoff_facts(&db.pool, window, now, all).await?;
                    "handoff facts packed, sent and parsed"
                }
                2 => {
                    baton::reports::funnel(db, config, period, by, now).await?;
                    "the report built, not rendered"
                }
                _ => {
                    baton::reports::funnel_text(db, config, period, by, now).await?;
                    "the report built and rendered as text"
                }
            };
            times.push(started.elapsed());
        }
        print_part("funnel 90d", name, &mut times);
    }
    Ok(())
}

/// Prints one part's p50 and max over its runs.
fn print_part(report: &str, name: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "{report} part {name}: p50 {:.1} ms, max {:.1} ms ({} runs)",
        ms(percentile(times, 50)),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    );
}

/// With `BATON_BENCH_PARTS` set: each part of the weekly digest on its own, one after the
/// other, so a slow digest can be taken apart.
async fn digest_parts(db: &Db, config: &Config, now: DateTime<Utc>) -> anyhow::Result<()> {
    use baton::store::reports::{self, HandoffFilter};
    const PART_RUNS: usize = 20;
    let week = IsoWeek::last_complete(now, config.reporting_tz);
    let window = week.window(config.reporting_tz);
    let period = week.period();
    let as_of = now.min(window.to);
    let digest = baton::reports::digest::build(db, config, week, now).await?;
    // The counted trend has the figures of the facts, week by week.
    let mut from_facts = trend_from_facts(db, config, week, now).await?;
    from_facts.reverse();
    let counted: Vec<_> = digest
        .marketing
        .trend
        .iter()
        .map(|w| (w.mqls, w.acceptance, w.ack_compliance))
        .collect();
    if counted != from_facts {
        bail!("the trend's counts {counted:?} differ from the facts' {from_facts:?}");
    }
    println!("the 12-week trend's counts equal those of the full facts: {counted:?}");
    for part in 0..11 {
        let mut times = Vec::with_capacity(PART_RUNS);
        let mut name = "";
        for _ in 0..PART_RUNS {
            let started = Instant::now();
            name = match part {
                0 => {
                    baton::reports::funnel(db, config, period, None, now).await?;
                    "funnel of the week"
                }
                1 => {
                    baton::reports::sla(db, config, period, None, None, now).await?;
                    "sla of the week"
                }
                2 => {
                    baton::reports::mql_target(db, config, as_of).await?;
                    "mql target"
                }
                3 => {
                    reports::handoff_facts(&db.pool, window, now, HandoffFilter::default()).await?;
                    "handoff facts of the week"
                }
                4 => {
                    reports::breaches_due_in(&db.pool, window, now, None).await?;
                    "breaches due in the week"
                }
                5 => {
                    baton::store::reports::overdue(&db.pool, now, None).await?;
                    "overdue clocks"
                }
                6 => {
                    baton::plan::customer_target_line(db, config, as_of).await?;
                    "customer target line"
                }
                7 => {
                    baton::reports::trend::weekly(db, config, week, now).await?;
                    "12-week trend"
                }
                8 => {
                    digest.render_text(config);
                    "render every recipient's text"
                }
                9 => {
                    trend_from_facts(db, config, week, now).await?;
                    "12-week trend from every handoff's facts (before window_counts)"
                }
                _ => {
                    baton::message::chart::render_png(&digest.chart())?;
                    "chart PNG"
                }
            };
            times.push(started.elapsed());
        }
        print_part("digest", name, &mut times);
    }
    Ok(())
}

/// The trend as it was built before `store::reports::window_counts`: each week's full
/// handoff facts and MQL entries, concurrently, for comparison.
async fn trend_from_facts(
    db: &Db,
    config: &Config,
    last: IsoWeek,
    now: DateTime<Utc>,
) -> anyhow::Result<
    Vec<(
        u64,
        baton::domain::report::Rate,
        baton::domain::report::Rate,
    )>,
> {
    use baton::domain::report::{HandoffFacts, Outcomes, Speeds};
    use baton::store::reports::{self, HandoffFilter, LeadKey};
    let mut weeks = vec![last];
    while weeks.len() < baton::reports::trend::WEEKS {
        let before = weeks[weeks.len() - 1].previous();
        weeks.push(before);
    }
    let pool = &db.pool;
    futures_util::future::try_join_all(weeks.iter().map(|week| async move {
        let window = week.window(config.reporting_tz);
        let (entries, facts) = tokio::try_join!(
            reports::entries(
                pool,
                LeadKey::Campaign,
                window,
                now,
                Some(baton::domain::stage::Stage::Mql)
            ),
            reports::handoff_facts(pool, window, now, HandoffFilter::default()),
        )?;
        let all: Vec<&HandoffFacts> = facts.iter().collect();
        anyhow::Ok((
            entries.iter().map(|e| e.entered).sum(),
            Outcomes::of(all.iter().copied()).acceptance(),
            Speeds::of(&all).ack.compliance_rate(),
        ))
    }))
    .await
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The nearest-rank percentile of sorted `times`.
fn percentile(times: &[Duration], percent: u32) -> Duration {
    baton::domain::report::nearest_rank(times.len(), percent)
        .and_then(|k| times.get(k).copied())
        .unwrap_or_default()
}

fn rep_email(team: usize, rep: usize) -> String {
    format!("{}-rep{rep}@acme.test", TEAMS[team])
}

/// Three teams of eight reps, each team with a manager, working around the clock.
fn bench_config(db: &Path) -> anyhow::Result<Config> {
    let mut text = format!(
        "[database]\nurl = \"sqlite://{}\"\n\n[marketing]\nmql_target = 9000\nmql_target_period = \"month\"\nacceptance_target = 0.6\n\n\
         [[calendar]]\nname = \"always\"\ntimezone = \"UTC\"\nhours = \"Mon-Sun 00:00-24:00\"\n",
        db.display()
    );
    for (t, team) in TEAMS.iter().enumerate() {
        text.push_str(&format!(
            "\n[[team]]\nname = \"{team}\"\nmanager = \"{team}-boss@acme.test\"\n\n[[person]]\nemail = \"{team}-boss@acme.test\"\nrole = \"manager\"\nteam = \"{team}\"\n"
        ));
        for r in 0..REPS_PER_TEAM {
            text.push_str(&format!(
                "\n[[person]]\nemail = \"{}\"\nrole = \"rep\"\nteam = \"{team}\"\ncalendar = \"always\"\n",
                rep_email(t, r)
            ));
        }
    }
    Config::from_toml("bench config", &text, &Default::default()).map_err(anyhow::Error::msg)
}

/// One generated stage change.
struct Step {
    stage: &'static str,
    at: DateTime<Utc>,
}

/// A lead's generated history.
struct Walk {
    campaign: Option<usize>,
    source: &'static str,
    steps: Vec<Step>,
}

fn hours(rng: &mut SmallRng, from: f64, to: f64) -> chrono::Duration {
    chrono::Duration::milliseconds((rng.random_range(from..to) * 3_600_000.0) as i64)
}

/// The history of lead `i`: visitor, usually lead, some nurture loops back to visitor,
/// and for about one in five an MQL with its outcome (accepted and onwards, rejected and
/// perhaps qualified again, or left open). Stops at `now`.
fn walk(i: i64, now: DateTime<Utc>, nurture: f64) -> Walk {
    let mut rng = SmallRng::seed_from_u64(SEED ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    // A skewed choice: low campaign numbers are much bigger than high ones.
    let campaign = (rng.random::<f64>() > 0.08)
        .then(|| ((rng.random::<f64>().powi(2)) * CAMPAIGNS as f64) as usize);
    let source = match campaign {
        Some(c) if rng.random::<f64>() < 0.9 => SOURCES[c % SOURCES.len()],
        _ => SOURCES[rng.random_range(0..SOURCES.len())],
    };
    let start = now - chrono::Duration::seconds(rng.random_range(0..SPAN_DAYS * 86_400));
    let mut steps = vec![Step {
        stage: "visitor",
        at: start,
    }];
    let mut at = start;
    let mut push = |steps: &mut Vec<Step>, stage: &'static str, gap: chrono::Duration| {
        at += gap;
        if at > now {
            return false;
        }
        steps.push(Step { stage, at });
        true
    };
    'walk: {
        if rng.random::<f64>() > 0.93 || !push(&mut steps, "lead", hours(&mut rng, 0.1, 240.0)) {
            break 'walk;
        }
        while rng.random::<f64>() < nurture {
            if !push(&mut steps, "visitor", hours(&mut rng, 24.0, 1200.0))
                || !push(&mut steps, "lead", hours(&mut rng, 1.0, 240.0))
            {
                break 'walk;
            }
        }
        let mut qualifications = 0;
        while qualifications < 3
            && rng.random::<f64>() < if qualifications == 0 { 0.21 } else { 0.3 }
        {
            qualifications += 1;
            if !push(&mut steps, "mql", hours(&mut rng, 1.0, 720.0)) {
                break 'walk;
            }
            let outcome: f64 = rng.random();
            if outcome < 0.08 {
                // Left open: nobody decided.
                break 'walk;
            }
            if outcome < 0.55 {
                for (stage, p) in [
                    ("sql", 1.0),
                    ("opportunity", 0.5),
                    ("customer", 0.4),
                    ("evangelist", 0.3),
                ] {
                    if rng.random::<f64>() >= p
                        || !push(&mut steps, stage, hours(&mut rng, 2.0, 1000.0))
                    {
                        break 'walk;
                    }
                }
                break 'walk;
            }
            let back = if rng.random::<f64>() < 0.2 {
                "disqualified"
            } else {
                "lead"
            };
            if !push(&mut steps, back, hours(&mut rng, 0.5, 200.0)) || back == "disqualified" {
                break 'walk;
            }
        }
    }
    Walk {
        campaign,
        source,
        steps,
    }
}

/// Applies the migrations up to `last` only.
async fn migrate_up_to(db: &Db, last: i64) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations/sqlite")
        .run_to(last, &db.pool)
        .await
        .context("cannot migrate")
}

/// A multi-row INSERT collecting rows until it has [`BATCH`] of them.
struct Batch {
    head: &'static str,
    columns: usize,
    values: Vec<Value>,
}

enum Value {
    Int(i64),
    Real(f64),
    Text(String),
    Null,
}

impl Batch {
    fn new(head: &'static str, columns: usize) -> Batch {
        Batch {
            head,
            columns,
            values: Vec::with_capacity(BATCH * columns),
        }
    }

    /// True when the next row will make the batch run.
    fn is_nearly_full(&self) -> bool {
        self.values.len() + self.columns >= BATCH * self.columns
    }

    async fn push(&mut self, conn: &mut SqliteConnection, row: Vec<Value>) -> anyhow::Result<()> {
        debug_assert_eq!(row.len(), self.columns);
        self.values.extend(row);
        if self.values.len() >= BATCH * self.columns {
            self.flush(conn).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, conn: &mut SqliteConnection) -> anyhow::Result<()> {
        if self.values.is_empty() {
            return Ok(());
        }
        let rows = self.values.len() / self.columns;
        let one = format!("({})", vec!["?"; self.columns].join(","));
        let sql = format!("{} VALUES {}", self.head, vec![one; rows].join(","));
        let mut query = sqlx::query::<Sqlite>(sqlx::AssertSqlSafe(sql));
        for value in self.values.drain(..) {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Real(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Null => query.bind(None::<String>),
            };
        }
        query
            .persistent(true)
            .execute(&mut *conn)
            .await
            .with_context(|| format!("cannot run {}", self.head))?;
        Ok(())
    }
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn opt_ts(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| text(ts(t)))
}

async fn generate(path: &Path, now: DateTime<Utc>) -> anyhow::Result<Db> {
    let started = Instant::now();
    let db = Db::open(path).await?;
    // The schema as it was before the report migrations, then the bulk load, then the
    // rest of the migrations: an existing database being upgraded.
    migrate_up_to(&db, 2).await?;
    let mut conn = db.pool.acquire().await?;
    // A big page cache keeps the one large transaction from spilling pages early.
    sqlx::query("PRAGMA cache_size = -524288")
        .execute(&mut *conn)
        .await?;
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let conn: &mut SqliteConnection = &mut tx;

    // Leads get their ids in the order they were created, as in a live database.
    let mut walks: Vec<Walk> = (0..LEADS).map(|i| walk(i, now, NURTURE)).collect();
    walks.sort_by_key(|w| w.steps[0].at);
    let mut leads = Batch::new(
        "INSERT INTO leads (id, external_id, name, company, source, campaign, stage, stage_changed_at)",
        8,
    );
    for (i, w) in walks.iter().enumerate() {
        let id = i as i64 + 1;
        let last = w.steps.last().context("a walk has at least one step")?;
        leads
            .push(
                conn,
                vec![
                    Value::Int(id),
                    text(format!("crm-{id}")),
                    text(format!("Lead {id}")),
                    text(format!("Company {}", id % 50_000)),
                    text(w.source),
                    w.campaign
                        .map_or(Value::Null, |c| text(format!("campaign-{c:02}"))),
                    text(last.stage),
                    text(ts(last.at)),
                ],
            )
            .await?;
    }
    leads.flush(conn).await?;
    // The insert trigger recorded each lead's final stage; the full history follows, in
    // the order it happened, so event and handoff ids grow with time as they do live.
    sqlx::query("DELETE FROM lead_events")
        .execute(&mut *conn)
        .await?;
    println!(
        "generated {LEADS} leads in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut order: Vec<(DateTime<Utc>, u32, u8)> = walks
        .iter()
        .enumerate()
        .flat_map(|(i, w)| (0..w.steps.len()).map(move |k| (w.steps[k].at, i as u32, k as u8)))
        .collect();
    order.sort_unstable();
    if order.len() as i64 > EVENTS {
        bail!(
            "the generator made {} events, more than {EVENTS}: lower NURTURE",
            order.len()
        );
    }
    let mut events = Batch::new(
        "INSERT INTO lead_events (id, lead_id, from_stage, to_stage, at)",
        5,
    );
    let mut handoffs = Batch::new(
        "INSERT INTO handoffs (id, lead_id, event_id, assignee, team, why, route_reason, mql_at, opened_at, silent, status, \
         acked_at, contacted_at, decided_at, reject_reason, rating, sla_policy, ack_due_at, first_touch_due_at, disposition_due_at, \
         ack_s, ack_business_s, first_touch_s, first_touch_business_s, disposition_s, disposition_business_s)",
        26,
    );
    let mut breaches = Batch::new(
        "INSERT INTO sla_breaches (handoff_id, clock, assignee, due_at, recorded_at)",
        5,
    );
    let mut next_handoff = 1;
    let mut rng = SmallRng::seed_from_u64(SEED);
    for (n, (at, i, k)) in order.into_iter().enumerate() {
        let event_id = n as i64 + 1;
        let lead_id = i64::from(i) + 1;
        let steps = &walks[i as usize].steps;
        let k = usize::from(k);
        let from = match k {
            0 => Value::Null,
            _ => text(steps[k - 1].stage),
        };
        let stage = steps[k].stage;
        events
            .push(
                conn,
                vec![
                    Value::Int(event_id),
                    Value::Int(lead_id),
                    from,
                    text(stage),
                    text(ts(at)),
                ],
            )
            .await?;
        if stage != "mql" {
            continue;
        }
        let h = next_handoff;
        next_handoff += 1;
        let (row, clocks) = handoff_row(&mut rng, h, lead_id, event_id, at, steps.get(k + 1), now);
        if handoffs.is_nearly_full() {
            // A handoff refers to its event: write the events first.
            events.flush(conn).await?;
        }
        handoffs.push(conn, row).await?;
        for (clock, assignee, due) in clocks {
            if breaches.is_nearly_full() {
                // A breach refers to its handoff: write the handoffs first.
                handoffs.flush(conn).await?;
            }
            breaches
                .push(
                    conn,
                    vec![
                        Value::Int(h),
                        text(clock),
                        text(assignee),
                        text(ts(due)),
                        text(ts(due)),
                    ],
                )
                .await?;
        }
    }
    events.flush(conn).await?;
    handoffs.flush(conn).await?;
    breaches.flush(conn).await?;
    tx.commit().await?;
    println!(
        "generated the data set in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let upgrade = Instant::now();
    migrate_up_to(&db, 14).await?;
    println!(
        "report migrations (backfill of existing events) took {:.1} s",
        upgrade.elapsed().as_secs_f64()
    );
    let facts = Instant::now();
    db.migrate().await?;
    println!(
        "the rest, with 0015 (report facts of existing handoffs), took {:.1} s",
        facts.elapsed().as_secs_f64()
    );
    Ok(db)
}

type Breach = (&'static str, String, DateTime<Utc>);

/// A handoff opened at `mql_at`, decided by the lead's next step (accepted when it moves
/// forward, rejected otherwise, open when there is none), with wall-time SLA clocks of
/// 1 h, 4 h and 5 days, and the breaches those clocks had.
fn handoff_row(
    rng: &mut SmallRng,
    id: i64,
    lead: i64,
    event_id: i64,
    mql_at: DateTime<Utc>,
    next: Option<&Step>,
    now: DateTime<Utc>,
) -> (Vec<Value>, Vec<Breach>) {
    let team = rng.random_range(0..TEAMS.len());
    let assignee = rep_email(team, rng.random_range(0..REPS_PER_TEAM));
    let decided = next.map(|s| s.at);
    let status = match next.map(|s| s.stage) {
        None => "open",
        Some("sql" | "opportunity" | "customer" | "evangelist") => "accepted",
        Some(_) => "rejected",
    };
    let cap = |t: DateTime<Utc>| match decided {
        Some(d) if d < t => Some(d),
        _ if t > now => None,
        _ => Some(t),
    };
    // Most acknowledge within the hour, a few take much longer.
    let skewed = |rng: &mut SmallRng, most: f64, power: i32| {
        chrono::Duration::milliseconds(
            (rng.random::<f64>().powi(power) * most * 3_600_000.0) as i64,
        )
    };
    let acked = if rng.random::<f64>() < 0.92 {
        cap(mql_at + chrono::Duration::seconds(30) + skewed(rng, 2.5, 3))
    } else {
        decided
    };
    let contacted = match acked {
        Some(a) if rng.random::<f64>() < 0.85 => {
            cap(a + chrono::Duration::minutes(3) + skewed(rng, 6.0, 2))
        }
        _ => decided,
    };
    let with_policy = rng.random::<f64>() < 0.95;
    let dues = [1.0, 4.0, 120.0].map(|h| mql_at + chrono::Duration::minutes((h * 60.0) as i64));
    let secs =
        |t: Option<DateTime<Utc>>| t.map(|t| (t - mql_at).num_milliseconds() as f64 / 1000.0);
    let mut row = vec![
        Value::Int(id),
        Value::Int(lead),
        Value::Int(event_id),
        text(assignee.clone()),
        text(TEAMS[team]),
        text("stage change to mql"),
        text("round-robin"),
        text(ts(mql_at)),
        text(ts(mql_at)),
        Value::Int(0),
        text(status),
        opt_ts(acked),
        opt_ts(contacted),
        opt_ts(decided),
        if status == "rejected" {
            text(RejectReason::ALL[rng.random_range(0..RejectReason::ALL.len())].as_str())
        } else {
            Value::Null
        },
        if decided.is_some() && rng.random::<f64>() < 0.4 {
            Value::Int(rng.random_range(1..=5))
        } else {
            Value::Null
        },
    ];
    let mut clocks = Vec::new();
    if with_policy {
        row.push(text("standard"));
        row.extend(dues.iter().map(|d| text(ts(*d))));
        for ((clock, due), stop) in ["ack", "first_touch", "disposition"]
            .into_iter()
            .zip(dues)
            .zip([acked, contacted, decided])
        {
            let late = match stop {
                Some(t) => due < t,
                None => due < now,
            };
            if late {
                clocks.push((clock, assignee.clone(), due));
            }
        }
    } else {
        row.extend([Value::Null, Value::Null, Value::Null, Value::Null]);
    }
    for stop in [acked, contacted, decided] {
        let wall = secs(stop);
        row.push(wall.map_or(Value::Null, Value::Real));
        // Business time: the share of the wait that fell in working hours.
        row.push(wall.map_or(Value::Null, |w| Value::Real((w * 0.3).round())));
    }
    (row, clocks)
}
