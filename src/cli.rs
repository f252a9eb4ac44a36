//! The command line (SPEC §1): clap commands mapped to library calls. Exit status 0 on
//! success, 2 for bad usage or config, 1 for runtime failures.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// `print!` that ends the command quietly when standard output is closed (`| head`).
macro_rules! out {
    ($($arg:tt)*) => {
        write_stdout(&format!($($arg)*))?
    };
}

/// `println!` that ends the command quietly when standard output is closed.
macro_rules! outln {
    ($($arg:tt)*) => {
        write_stdout(&format!("{}\n", format!($($arg)*)))?
    };
}

use crate::app::App;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::schedule::IsoWeek;
use crate::errors::Failure;
use crate::i18n::Locale;
use crate::store::Db;

#[derive(Debug, Parser)]
#[command(
    name = "baton",
    version,
    about = "Keeps the marketing-to-sales SLA: MQL alerts in chat, SLA clocks, closed-loop reports"
)]
pub struct Cli {
    /// The config file [default: config/baton.toml when present, else built-in defaults]
    #[arg(long, global = true, env = "BATON_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot until SIGINT or SIGTERM
    Run {
        /// Start even when no rep or no team is configured (every MQL would go to nobody)
        #[arg(long)]
        allow_empty: bool,
    },
    /// Run the whole bot on a local demo database with a sample team and a simulated lead stream
    Demo {
        /// The demo database (recreated at every start)
        #[arg(long, default_value = "baton-demo.db")]
        db: PathBuf,
        /// How much faster than normal the simulated leads arrive
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// Stop after this many seconds [default: run until Ctrl-C]
        #[arg(long)]
        seconds: Option<u64>,
        /// Show Baton's info logs on standard error (by default the demo logs warnings only)
        #[arg(long)]
        verbose: bool,
        /// The demo's language: en, pt-BR, es or it
        #[arg(long, value_name = "LOCALE", default_value = "en")]
        locale: Locale,
    },
    /// Apply database migrations and exit
    Migrate,
    /// Upsert leads from a CSV file (with a header row) or JSON Lines
    Import {
        file: PathBuf,
        /// Past stage changes: recorded with their timestamps, never alerted
        #[arg(long)]
        history: bool,
        /// The file's character encoding: utf-8, windows-1252 (Excel) or latin1
        #[arg(long, default_value = "utf-8", value_parser = parse_encoding)]
        encoding: crate::import::Encoding,
    },
    /// Validate the config and print what it resolved to (secrets masked)
    CheckConfig,
    /// The funnel report (SPEC §7): baton funnel [PERIOD] [by source|campaign|rep|team]
    ///
    /// The reverse funnel: baton funnel plan N customers [PERIOD] [basis PERIOD]
    /// [by source|campaign], the entries each stage needs for N customers in PERIOD
    /// [this-quarter] from the conversions of the basis [90d], beside the current pace.
    Funnel {
        /// A period (7d, 30d, this-month, 2026-01-01..2026-03-31, ...) and/or `by DIM`;
        /// or `plan N customers [PERIOD] [basis PERIOD] [by source|campaign]`
        #[arg(value_name = "PERIOD | by DIM | plan N customers ...")]
        words: Vec<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// The language of the text: en, pt-BR, es or it [default: [reporting] locale]
        #[arg(long, value_name = "LOCALE")]
        locale: Option<Locale>,
    },
    /// The SLA report (SPEC §7): baton sla [PERIOD] [TEAM]
    ///
    /// Every clock that ran out counts as a breach, however Baton learned of it (live,
    /// import --history, an MQL older than max_alert_age). A clock belongs to whoever held
    /// the lead when it was met or ran out, so a rep's compliance and breaches count the
    /// same clocks; team and overall figures count each clock once.
    Sla {
        /// A period (7d, 30d, this-month, ...) and/or a team name
        #[arg(value_name = "PERIOD | TEAM")]
        words: Vec<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// The language of the text: en, pt-BR, es or it [default: [reporting] locale]
        #[arg(long, value_name = "LOCALE")]
        locale: Option<Locale>,
    },
    /// Build the weekly digest (SPEC §8) now and queue it for `baton run` to send
    Digest {
        /// The ISO week, e.g. 2026-W47 [default: the last complete week]
        #[arg(long, value_name = "YYYY-Www")]
        week: Option<String>,
        /// Only show the digest; queue nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Show a lead's MQL score and the rules behind it ([mql] mode = "score")
    Score {
        /// Baton's lead id or the lead's external id
        lead: String,
        /// List every rule that fired with its points
        #[arg(long)]
        explain: bool,
    },
    /// List messages that are queued or dead, and retry dead ones
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxAction>,
    },
    /// Each loop's health as /healthz sees it, for a person (exit 1 when not healthy)
    Status,
    /// Who would get the leads in FILE if they became MQLs now, with every reason
    ///
    /// FILE holds leads with the fields of the leads table (as POST /api/v1/leads takes
    /// them): a JSON object, a JSON array, JSON Lines or CSV with a header row. They are
    /// routed one after the other (each pick moves the rotation for the next); nothing is
    /// written: no lead, handoff, rotation turn or alert.
    Route {
        /// Required: routing from the command line only ever previews
        #[arg(long)]
        dry_run: bool,
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Stage changes that could not be processed: list them, or retry them
    Events {
        #[command(subcommand)]
        action: EventsAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum EventsAction {
    /// List the stage changes set aside in quarantine, with their errors
    Quarantined,
    /// Ask the running watcher to process quarantined stage changes again: one by id, or all
    Retry {
        /// The event id shown by `baton events quarantined`
        id: Option<i64>,
        /// Retry every quarantined event
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// List queued and dead messages (the default)
    List,
    /// Put dead messages back in the queue: one by id, or all
    Retry {
        /// The message id shown by `baton outbox list`
        id: Option<i64>,
        /// Retry every dead message
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
}

/// Writes to standard output; a closed pipe ends the command with [`Failure::ClosedOutput`].
fn write_stdout(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::ClosedOutput),
        Err(e) => Err(Failure::Runtime(anyhow::anyhow!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// Runs the command line of the current process.
pub fn main() -> Result<(), Failure> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let usage_error = e.use_stderr();
            let _ = e.print();
            return if usage_error {
                Err(Failure::Usage("see baton --help".into()))
            } else {
                Ok(())
            };
        }
    };
    // The demo shows its messages on the terminal: its logs stay at warnings unless asked.
    let quiet = matches!(cli.command, Command::Demo { verbose: false, .. });
    init_logging(if quiet { "warn" } else { "info,sqlx=warn" });
    let env: HashMap<String, String> = std::env::vars().collect();
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Failure::Runtime(e.into()))?;
    let outcome = runtime.block_on(dispatch(cli, env));
    // Work still on the blocking pool (a stdin read, a DNS lookup) must not hold the exit:
    // every loop has stopped and the database is closed by now.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    outcome
}

/// Logs go to standard error, filtered by `BATON_LOG` (else `default`), with colours only
/// when standard error is a terminal: a file or a pipe gets no ANSI escape codes.
fn init_logging(default: &str) {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_env("BATON_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

async fn dispatch(cli: Cli, env: HashMap<String, String>) -> Result<(), Failure> {
    match cli.command {
        Command::Demo {
            db,
            speed,
            seconds,
            locale,
            ..
        } => {
            if !(speed > 0.0 && speed <= 1000.0) {
                return Err(Failure::Usage(format!(
                    "--speed {speed} is out of range: use a number above 0 and up to 1000, e.g. 2"
                )));
            }
            crate::demo::run(&db, speed, seconds, locale)
                .await
                .map_err(Failure::Runtime)
        }
        command => {
            let config = Config::load(cli.config.as_deref(), &env)?;
            match command {
                Command::Run { allow_empty } => run(config, allow_empty).await,
                Command::Migrate => {
                    let db = Db::open(&config.database_path).await?;
                    db.migrate().await?;
                    outln!("database {} is up to date", config.database_path.display());
                    Ok(())
                }
                Command::Import {
                    file,
                    history,
                    encoding,
                } => import(config, &file, history, encoding).await,
                Command::CheckConfig => {
                    out!("{}", config.describe());
                    out!("{}", schedules(&config, Clock::system().now()));
                    out!("{}", sla_windows(&config, Clock::system().now()));
                    if let Some(missing) = missing_people(&config) {
                        eprintln!("warning: {missing}: `baton run` refuses to start without them");
                    }
                    for warning in config.unreachable_people() {
                        eprintln!("warning: {warning}");
                    }
                    if config.settings.slack.enabled {
                        let lookup = crate::chat::slack::people_not_on_slack(&config);
                        match tokio::time::timeout(std::time::Duration::from_secs(10), lookup).await
                        {
                            Ok(Ok(missing)) => {
                                for email in missing {
                                    eprintln!(
                                        "warning: Slack has no user with the email {email}: their alerts go to the team channel; set slack_id or fix the email"
                                    );
                                }
                            }
                            Ok(Err(e)) => {
                                eprintln!("warning: could not ask Slack about people: {e:#}")
                            }
                            Err(_) => eprintln!(
                                "warning: Slack did not answer within 10 s; people were not checked"
                            ),
                        }
                        let channels = crate::chat::slack::channels_not_on_slack(&config);
                        match tokio::time::timeout(std::time::Duration::from_secs(10), channels)
                            .await
                        {
                            Ok(Ok(missing)) => {
                                for name in missing {
                                    eprintln!(
                                        "warning: Slack has no channel {name} that Baton can see: fix the name or invite the bot; charts cannot be shared there"
                                    );
                                }
                            }
                            Ok(Err(e)) => {
                                eprintln!("warning: could not ask Slack about channels: {e:#}")
                            }
                            Err(_) => eprintln!(
                                "warning: Slack did not answer within 10 s; channels were not checked"
                            ),
                        }
                    }
                    eprintln!("config OK");
                    Ok(())
                }
                Command::Score { lead, explain } => score(config, &lead, explain).await,
                Command::Outbox { action } => {
                    outbox(config, action.unwrap_or(OutboxAction::List)).await
                }
                Command::Status => status(config).await,
                Command::Route {
                    dry_run,
                    file,
                    format,
                } => route(config, dry_run, &file, format).await,
                Command::Events { action } => events(config, action).await,
                Command::Funnel {
                    words,
                    format,
                    locale,
                } => funnel(in_locale(config, locale), &words, format).await,
                Command::Sla {
                    words,
                    format,
                    locale,
                } => sla(in_locale(config, locale), &words, format).await,
                Command::Digest {
                    week,
                    dry_run,
                    format,
                } => digest(config, week.as_deref(), dry_run, format).await,
                Command::Demo { .. } => unreachable!("handled above"),
            }
        }
    }
}

/// Each SLA policy's windows in words, with an example deadline for a lead arriving next
/// Tuesday at 15:00 in the first team's calendar, for `baton check-config`.
fn sla_windows(config: &Config, now: chrono::DateTime<chrono::Utc>) -> String {
    use crate::domain::sla::{ClockKind, OnReassign, deadline};
    use chrono::{Datelike, TimeZone};

    let always_open = crate::domain::calendar::Calendar::always_open();
    let calendar = config
        .directory
        .teams
        .first()
        .map(|team| config.directory.calendar_of_team(team))
        .unwrap_or(&always_open);
    let tz = calendar.tz();
    let mut day = now.with_timezone(&tz).date_naive();
    loop {
        day = day.succ_opt().unwrap_or(day);
        if day.weekday() == chrono::Weekday::Tue || day == chrono::NaiveDate::MAX {
            break;
        }
    }
    let Some(start) = day
        .and_hms_opt(15, 0, 0)
        .and_then(|local| tz.from_local_datetime(&local).earliest())
        .map(|t| t.to_utc())
    else {
        return String::new();
    };
    let show = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%a %d %b %H:%M");
    let mut out = String::new();
    for policy in &config.policies {
        out.push_str(&format!(
            "# SLA \"{}\" ({}); examples in calendar \"{}\" ({tz}):\n",
            policy.name,
            if policy.business_hours {
                "business hours: d is business days"
            } else {
                "wall-clock time"
            },
            calendar.name(),
        ));
        out.push_str(&format!(
            "#   on_reassign = \"{}\": {}; max_reassign = {}: after {} reassignment(s) on breach the lead goes to the team's manager and stays\n",
            policy.on_reassign.as_str(),
            match policy.on_reassign {
                OnReassign::Fresh => "a new assignee gets the ack and first-touch windows again from the reassignment",
                OnReassign::Continue => "a new assignee's clocks keep running from the MQL time",
            },
            policy.max_reassign,
            policy.max_reassign,
        ));
        for clock in ClockKind::ALL {
            let window = policy.window(clock);
            out.push_str(&format!(
                "#   {clock}: {window}: a lead at {} is due {}\n",
                show(start),
                show(deadline(&window, calendar, start)),
            ));
        }
    }
    out
}

/// The timed jobs in words, with their next times, for `baton check-config`.
fn schedules(config: &Config, now: chrono::DateTime<chrono::Utc>) -> String {
    let digest = &config.digest_schedule;
    let next = |s: &crate::domain::schedule::Schedule| {
        s.next_after(now)
            .map(|t| {
                t.with_timezone(&s.tz())
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string()
            })
            .unwrap_or_else(|| "never".into())
    };
    let mut out = format!(
        "# weekly digest: {}; next {}; to {}\n",
        digest.describe(),
        next(digest),
        crate::reports::digest::recipients(config)
            .iter()
            .map(|r| r.to.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    match &config.rep_daily_schedule {
        Some(daily) => out.push_str(&format!(
            "# reps' morning summary: {} in each rep's calendar zone\n",
            crate::domain::schedule::describe(daily.expr())
        )),
        None => out.push_str("# reps' morning summary: off (set [digest] rep_daily_cron)\n"),
    }
    out
}

/// What a config lacks for `baton run` to route MQLs to anyone: a rep and a team.
fn missing_people(config: &Config) -> Option<String> {
    let directory = &config.directory;
    let reps = directory
        .people
        .iter()
        .filter(|p| p.role == crate::domain::directory::Role::Rep)
        .count();
    let missing: Vec<&str> = [
        (reps == 0).then_some("no [[person]] with role = \"rep\""),
        directory.teams.is_empty().then_some("no [[team]]"),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "the config ({}) has {}",
            config.source,
            missing.join(" and ")
        )
    })
}

async fn run(config: Config, allow_empty: bool) -> Result<(), Failure> {
    if let Some(missing) = missing_people(&config)
        && !allow_empty
    {
        return Err(Failure::Usage(format!(
            "{missing}, so every MQL would be assigned to nobody and alert no one: \
             add people and a team (see config/baton.example.toml), or pass --allow-empty"
        )));
    }
    eprintln!(
        "baton: database {} (config: {})",
        config.database_path.display(),
        config.source
    );
    let app = App::build(config, Clock::system())
        .await?
        .with_stdin_commands();
    crate::app::stop_on_signals(app.ctx.shutdown.clone());
    app.run_until_stopped().await.map_err(Failure::Runtime)
}

fn parse_encoding(text: &str) -> Result<crate::import::Encoding, String> {
    text.parse()
}

async fn import(
    config: Config,
    file: &std::path::Path,
    history: bool,
    encoding: crate::import::Encoding,
) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let parsed = crate::import::read_file(file, encoding)
        .map_err(|e| Failure::Usage(format!("{}: {e:#}", file.display())))?;
    if !parsed.ignored_columns.is_empty() {
        eprintln!(
            "warning: {}: ignoring the columns {} (Baton reads {})",
            file.display(),
            parsed
                .ignored_columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
            crate::import::COLUMNS.join(", ")
        );
    }
    for problem in &parsed.bad {
        eprintln!("{}: {problem} (row skipped)", file.display());
    }
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    // Progress goes to a terminal only: a log file or CI gets the summary alone.
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let skipped_before = parsed.skipped_rows();
    let report = crate::import::import_rows(
        &db,
        &parsed.leads,
        history,
        if terminal { 1_000 } else { 0 },
        |done, skipped| {
            let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!(
                "\r… {done} of {} rows, {rate:.0} rows/s, {} skipped",
                parsed.leads.len(),
                skipped_before + skipped
            );
        },
    )
    .await?;
    if terminal && parsed.leads.len() >= 1_000 {
        eprintln!();
    }
    for problem in &report.skipped {
        eprintln!("{}: {problem} (row skipped)", file.display());
    }
    let skipped = skipped_before + report.skipped.len();
    let seconds = started.elapsed().as_secs_f64();
    outln!(
        "imported {} leads from {}{} in {seconds:.1} s{}",
        report.imported,
        file.display(),
        if history {
            " as history (no alerts)"
        } else {
            ""
        },
        if skipped == 0 {
            String::new()
        } else {
            format!("; {skipped} rows skipped")
        }
    );
    if skipped == 0 {
        Ok(())
    } else {
        Err(Failure::Runtime(anyhow::anyhow!(
            "{skipped} rows of {} were not imported (see above)",
            file.display()
        )))
    }
}

async fn score(config: Config, lead: &str, explain: bool) -> Result<(), Failure> {
    if config.score_model.is_none() {
        return Err(Failure::Usage(
            "Baton does not score leads: set [mql] mode = \"score\" with fit and engagement rules"
                .into(),
        ));
    }
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let ctx = crate::engine::Ctx::new(db, std::sync::Arc::new(config), Clock::system(), Vec::new());
    let mut conn = ctx
        .db
        .pool
        .acquire()
        .await
        .map_err(|e| Failure::Runtime(e.into()))?;
    let found = match lead.trim_start_matches('#').parse::<i64>() {
        Ok(id) => crate::store::leads::by_id(&mut conn, id).await?,
        Err(_) => crate::store::leads::by_external_id(&mut conn, lead).await?,
    };
    let Some(found) = found else {
        return Err(Failure::Usage(format!(
            "there is no lead {lead}: give Baton's id or the external id"
        )));
    };
    let Some(explanation) = crate::engine::scoring::explain(&ctx, &mut conn, found.id).await?
    else {
        return Ok(());
    };
    outln!(
        "lead #{} {}: {}",
        found.id,
        found.display_name(),
        explanation.summary().split(':').next().unwrap_or_default()
    );
    if explain {
        for (rule, points) in &explanation.lines {
            outln!("  {points:>7.1}  {rule}");
        }
        outln!(
            "  {:>7.1}  total (threshold {})",
            explanation.total,
            explanation.threshold
        );
    }
    Ok(())
}

async fn outbox(config: Config, action: OutboxAction) -> Result<(), Failure> {
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let mut conn = db
        .pool
        .acquire()
        .await
        .map_err(|e| Failure::Runtime(e.into()))?;
    match action {
        OutboxAction::List => {
            let rows = crate::store::outbox::list_unsent(&mut conn).await?;
            if rows.is_empty() {
                outln!("the outbox is empty: every message was sent");
            }
            for r in rows {
                outln!(
                    "{:>6}  {:<7}  {:<8}  {:<10}  {:<24}  attempts {}  next {}{}",
                    r.id,
                    r.status,
                    r.platform,
                    r.kind,
                    r.recipient,
                    r.attempts,
                    r.next_attempt_at,
                    r.last_error
                        .map(|e| format!("  last error: {e}"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        OutboxAction::Retry { id, all } => {
            if id.is_none() && !all {
                return Err(Failure::Usage(
                    "name a message id, or use --all: baton outbox retry 42".into(),
                ));
            }
            let n = crate::store::outbox::retry_dead(&mut conn, id).await?;
            outln!("{n} dead messages queued again; a running Baton sends them within a second");
            Ok(())
        }
    }
}

/// `baton status`: asks the running Baton's `/healthz`; when nothing answers there, says so
/// and shows what the database alone tells.
async fn status(config: Config) -> Result<(), Failure> {
    let address = match config.listen {
        a if a.ip().is_unspecified() => {
            std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), a.port())
        }
        a => a,
    };
    let asked = async {
        let response = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(5))
            .build()?
            .get(format!("http://{address}/healthz"))
            .send()
            .await?;
        response.json::<crate::domain::health::Health>().await
    }
    .await;
    let health = match asked {
        Ok(health) => {
            println!("Baton at {address}:");
            health
        }
        Err(e) => {
            println!(
                "Baton does not answer at {address} ({e}); what the database {} shows:",
                config.database_path.display()
            );
            let db = Db::open(&config.database_path).await?;
            db.migrate().await?;
            let ctx = crate::engine::Ctx::new(
                db,
                std::sync::Arc::new(config),
                Clock::system(),
                Vec::new(),
            );
            crate::engine::health::check(&ctx).await
        }
    };
    print!("{}", crate::domain::health::render_text(&health));
    if health.healthy {
        Ok(())
    } else {
        Err(Failure::Runtime(anyhow::anyhow!(
            "Baton does not keep up: see the parts marked BEHIND above"
        )))
    }
}

async fn events(config: Config, action: EventsAction) -> Result<(), Failure> {
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    match action {
        EventsAction::Quarantined => {
            let rows = crate::store::quarantine::list(&db.pool, i64::MAX).await?;
            if rows.is_empty() {
                println!("no stage change is in quarantine: every event was processed");
            }
            for q in rows {
                println!(
                    "event {:>6}  lead {:<8}  tries {}  set aside {}  last failed {}{}\n    {}",
                    q.event_id,
                    q.lead_id,
                    q.attempts,
                    q.parked_at,
                    q.last_failed_at,
                    if q.retry_requested_at.is_some() {
                        "  (retry requested)"
                    } else {
                        ""
                    },
                    q.error
                );
            }
            Ok(())
        }
        EventsAction::Retry { id, all } => {
            if id.is_none() && !all {
                return Err(Failure::Usage(
                    "name an event id, or use --all: baton events retry 42".into(),
                ));
            }
            let now = crate::store::ts(Clock::system().now());
            let mut conn = db
                .pool
                .acquire()
                .await
                .map_err(|e| Failure::Runtime(e.into()))?;
            let n = crate::store::quarantine::request_retry(&mut conn, id, &now).await?;
            if n == 0 {
                return Err(Failure::Usage(match id {
                    Some(id) => format!(
                        "event {id} is not in quarantine: `baton events quarantined` lists those that are"
                    ),
                    None => "no stage change is in quarantine".into(),
                }));
            }
            println!(
                "{n} events will be processed again by the running Baton (within [watch] poll_ms); `baton events quarantined` shows any that fail again"
            );
            Ok(())
        }
    }
}

/// How `baton funnel` and `baton sla` print their report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// The text sent to chat
    Text,
    /// JSON whose keys name the figures
    Json,
}

const FUNNEL_USAGE: &str = "usage: baton funnel [PERIOD] [by source|campaign|rep|team] [--format text|json]\n       baton funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [--format text|json]";
const SLA_USAGE: &str = "usage: baton sla [PERIOD] [TEAM] [--format text|json]";

/// The words of `baton funnel` or `baton sla`, read by the chat grammar so that the
/// command line and chat accept and refuse the same things with the same words.
fn report_words(
    command: &str,
    words: &[String],
    usage: &str,
) -> Result<crate::command::grammar::Command, Failure> {
    let text = format!("/{command} {}", words.join(" "));
    crate::command::grammar::parse(&text)
        .map_err(|e| Failure::Usage(format!("{}\n{usage}", e.problem)))
}

/// `baton route --dry-run FILE`.
async fn route(
    config: Config,
    dry_run: bool,
    file: &std::path::Path,
    format: ReportFormat,
) -> Result<(), Failure> {
    if !dry_run {
        return Err(Failure::Usage(
            "baton route only previews routing: run `baton route --dry-run FILE` (Baton routes real MQLs itself as they arrive)".into(),
        ));
    }
    let leads = match crate::route_file::read(file)? {
        Ok(leads) => leads,
        Err(problems) => {
            return Err(Failure::Usage(format!(
                "{} cannot be routed:\n  - {}",
                file.display(),
                problems.join("\n  - ")
            )));
        }
    };
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let ctx = crate::engine::Ctx::new(db, std::sync::Arc::new(config), Clock::system(), Vec::new());
    let mut conn = ctx
        .db
        .pool
        .acquire()
        .await
        .map_err(|e| Failure::Runtime(e.into()))?;
    let decided = crate::engine::routing::preview(&ctx, &mut conn, &leads).await?;
    match format {
        ReportFormat::Text => {
            let config = &ctx.config;
            let name = |email: &str| {
                config
                    .directory
                    .person(email)
                    .map_or_else(|| email.to_string(), |p| p.name.clone())
            };
            out!(
                "{}",
                crate::route_file::text(
                    &leads,
                    &decided,
                    config.reporting_locale,
                    config.reporting_tz,
                    &name
                )
            )
        }
        ReportFormat::Json => outln!("{}", crate::route_file::json(&leads, &decided)),
    }
    Ok(())
}

/// The config with `--locale`, when given, as the reports' language.
fn in_locale(mut config: Config, locale: Option<Locale>) -> Config {
    if let Some(locale) = locale {
        config.reporting_locale = locale;
    }
    config
}

async fn funnel(config: Config, words: &[String], format: ReportFormat) -> Result<(), Failure> {
    let (period, by, chart, share) = match report_words("funnel", words, FUNNEL_USAGE)? {
        crate::command::grammar::Command::Funnel {
            period,
            by,
            chart,
            share,
        } => (period, by, chart, share),
        crate::command::grammar::Command::Plan(request) => {
            return funnel_plan(config, request, format).await;
        }
        _ => return Err(Failure::Usage(FUNNEL_USAGE.into())),
    };
    if chart || share {
        return Err(Failure::Usage(format!(
            "`chart` and `share` are for chat: the command line prints the report (the digest's charts come with `baton digest`)\n{FUNNEL_USAGE}"
        )));
    }
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let now = Clock::system().now();
    let out = match format {
        ReportFormat::Text => crate::reports::funnel_text(&db, &config, period, by, now).await?,
        ReportFormat::Json => crate::reports::funnel_json(&db, &config, period, by, now).await?,
    };
    outln!("{out}");
    Ok(())
}

/// `baton funnel plan ...`.
async fn funnel_plan(
    config: Config,
    request: crate::command::grammar::PlanRequest,
    format: ReportFormat,
) -> Result<(), Failure> {
    if request.chart {
        return Err(Failure::Usage(format!(
            "`chart` is for chat: the command line prints the plan\n{FUNNEL_USAGE}"
        )));
    }
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let now = Clock::system().now();
    let out = match format {
        ReportFormat::Text => crate::plan::plan_text(&db, &config, &request, now).await?,
        ReportFormat::Json => crate::plan::plan_json(&db, &config, &request, now).await?,
    };
    outln!("{out}");
    Ok(())
}

async fn digest(
    config: Config,
    week: Option<&str>,
    dry_run: bool,
    format: ReportFormat,
) -> Result<(), Failure> {
    let now = Clock::system().now();
    let week = match week {
        Some(text) => {
            let week: IsoWeek = text.parse().map_err(|e| {
                Failure::Usage(format!("--week: {e}\nusage: baton digest [--week YYYY-Www] [--dry-run] [--format text|json]"))
            })?;
            if week.window(config.reporting_tz).from > now {
                return Err(Failure::Usage(format!(
                    "--week {week} has not started yet: give this week or an earlier one"
                )));
            }
            week
        }
        None => IsoWeek::last_complete(now, config.reporting_tz),
    };
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let digest = crate::reports::digest::build(&db, &config, week, now).await?;
    match format {
        ReportFormat::Text => out!("{}", digest.render_text(&config)),
        ReportFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&digest)
                .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write JSON: {e}")))?
        ),
    }
    if dry_run {
        eprintln!("dry run: nothing was queued");
        return Ok(());
    }
    let platforms = config.platform_names();
    let mut tx = db.begin().await?;
    let queued =
        crate::engine::scheduler::queue_digest(&mut tx, &config, &platforms, &digest, now).await?;
    tx.commit()
        .await
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot queue the digest: {e}")))?;
    eprintln!(
        "queued {} of {} messages for {} recipients of week {week} ({} were queued before); \
         `baton run` sends them (within a second when it is running)",
        queued.written,
        queued.total,
        digest.recipients.len(),
        queued.total - queued.written,
    );
    Ok(())
}

async fn sla(config: Config, words: &[String], format: ReportFormat) -> Result<(), Failure> {
    let crate::command::grammar::Command::Sla { period, team } =
        report_words("sla", words, SLA_USAGE)?
    else {
        return Err(Failure::Usage(SLA_USAGE.into()));
    };
    let team = team
        .map(|t| crate::reports::check_team(&config, &t))
        .transpose()
        .map_err(|problem| {
            let problem = problem.render(config.reporting_locale);
            Failure::Usage(format!("{problem}\n{SLA_USAGE}"))
        })?;
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let now = Clock::system().now();
    let team = team.as_deref();
    let out = match format {
        ReportFormat::Text => {
            crate::reports::sla_text(&db, &config, period, team, None, now).await?
        }
        ReportFormat::Json => {
            crate::reports::sla_json(&db, &config, period, team, None, now).await?
        }
    };
    outln!("{out}");
    Ok(())
}
