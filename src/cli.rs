//! The command line (SPEC §1): clap commands mapped to library calls. Exit status 0 on
//! success, 2 for bad usage or config, 1 for runtime failures.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::app::App;
use crate::clock::Clock;
use crate::config::Config;
use crate::errors::Failure;
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
    Run,
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
    },
    /// Apply database migrations and exit
    Migrate,
    /// Upsert leads from a CSV file (with a header row) or JSON Lines
    Import {
        file: PathBuf,
        /// Past stage changes: recorded with their timestamps, never alerted
        #[arg(long)]
        history: bool,
    },
    /// Validate the config and print what it resolved to (secrets masked)
    CheckConfig,
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
    init_logging();
    let env: HashMap<String, String> = std::env::vars().collect();
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Failure::Runtime(e.into()))?;
    runtime.block_on(dispatch(cli, env))
}

fn init_logging() {
    let filter =
        EnvFilter::try_from_env("BATON_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn dispatch(cli: Cli, env: HashMap<String, String>) -> Result<(), Failure> {
    match cli.command {
        Command::Demo { db, speed, seconds } => {
            if !(speed > 0.0 && speed <= 1000.0) {
                return Err(Failure::Usage(format!(
                    "--speed {speed} is out of range: use a number above 0 and up to 1000, e.g. 2"
                )));
            }
            crate::demo::run(&db, speed, seconds)
                .await
                .map_err(Failure::Runtime)
        }
        command => {
            let config = Config::load(cli.config.as_deref(), &env)?;
            match command {
                Command::Run => run(config).await,
                Command::Migrate => {
                    let db = Db::open(&config.database_path).await?;
                    db.migrate().await?;
                    println!("database {} is up to date", config.database_path.display());
                    Ok(())
                }
                Command::Import { file, history } => import(config, &file, history).await,
                Command::CheckConfig => {
                    print!("{}", config.describe());
                    eprintln!("config OK");
                    Ok(())
                }
                Command::Demo { .. } => unreachable!("handled above"),
            }
        }
    }
}

async fn run(config: Config) -> Result<(), Failure> {
    let app = App::build(config, Clock::system())
        .await?
        .with_stdin_commands();
    stop_on_signals(app.ctx.shutdown.clone());
    app.run_until_stopped().await.map_err(Failure::Runtime)
}

/// Cancels `token` on SIGINT or SIGTERM.
pub fn stop_on_signals(token: tokio_util::sync::CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(term) => term,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for SIGTERM");
                        let _ = ctrl_c.await;
                        token.cancel();
                        return;
                    }
                };
            tokio::select! {
                _ = ctrl_c => tracing::info!("SIGINT: shutting down"),
                _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
        token.cancel();
    });
}

async fn import(config: Config, file: &std::path::Path, history: bool) -> Result<(), Failure> {
    let (leads, bad) = crate::import::read_file(file)
        .map_err(|e| Failure::Usage(format!("{}: {e:#}", file.display())))?;
    for problem in &bad {
        eprintln!("{}: {problem} (row skipped)", file.display());
    }
    let db = Db::open(&config.database_path).await?;
    db.migrate().await?;
    let imported = crate::import::import(&db, &leads, history, |n| eprintln!("… {n} rows")).await?;
    println!(
        "imported {imported} leads from {}{}{}",
        file.display(),
        if history {
            " as history (no alerts)"
        } else {
            ""
        },
        if bad.is_empty() {
            String::new()
        } else {
            format!("; {} rows skipped", bad.len())
        }
    );
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Failure::Runtime(anyhow::anyhow!(
            "{} rows of {} were not imported (see above)",
            bad.len(),
            file.display()
        )))
    }
}
