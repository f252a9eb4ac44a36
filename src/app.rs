//! Wires Baton together: [`App::build`] opens and migrates the database, builds the
//! enabled platforms and binds the HTTP listener; [`App::run_until_stopped`] runs every
//! loop until shutdown and says which part stopped and why.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::task::JoinSet;
use tracing::{error, info, warn};

use crate::chat::Platform;
use crate::chat::console::Console;
use crate::chat::discord::Discord;
use crate::chat::slack::Slack;
use crate::clock::Clock;
use crate::config::{Config, DiscordMode, SlackMode};
use crate::engine::{Ctx, actions, dispatcher, watcher};
use crate::store::Db;

pub struct App {
    pub ctx: Ctx,
    listener: tokio::net::TcpListener,
    read_stdin: bool,
    /// Set when Slack runs in Socket Mode.
    slack_socket: Option<Arc<Slack>>,
    /// Set when Discord is enabled: its commands are registered at start.
    discord: Option<Arc<Discord>>,
}

impl App {
    /// Builds the app; the HTTP port is bound here, so `port 0` yields a real port.
    pub async fn build(config: Config, clock: Clock) -> anyhow::Result<App> {
        let db = Db::open(&config.database_path).await?;
        db.migrate().await?;
        let mut platforms: Vec<Arc<dyn Platform>> = Vec::new();
        if config.console_enabled {
            platforms.push(Arc::new(Console::new(
                config.console_output.clone(),
                config.settings.console.format,
                clock.clone(),
            )));
        }
        let mut slack_socket = None;
        if config.settings.slack.enabled {
            let slack = Arc::new(Slack::new(&config, db.clone()).context("cannot set up Slack")?);
            if config.settings.slack.mode == SlackMode::Socket {
                slack_socket = Some(slack.clone());
            }
            platforms.push(slack);
        }
        let mut discord = None;
        if config.settings.discord.enabled {
            let d = Arc::new(Discord::new(&config, db.clone()).context("cannot set up Discord")?);
            platforms.push(d.clone());
            discord = Some(d);
        }
        let listen = config.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {listen} (server.listen): is another program using the port?"
                )
            })?;
        let ctx = Ctx::new(db, Arc::new(config), clock, platforms);
        Ok(App {
            ctx,
            listener,
            read_stdin: false,
            slack_socket,
            discord,
        })
    }

    /// Also read chat commands from standard input (console platform).
    pub fn with_stdin_commands(mut self) -> App {
        self.read_stdin = true;
        self
    }

    pub fn address(&self) -> anyhow::Result<SocketAddr> {
        self.listener
            .local_addr()
            .context("cannot read the listening address")
    }

    /// Runs until `ctx.shutdown` is cancelled (SIGINT/SIGTERM in `baton run`) or a part
    /// fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let ctx = self.ctx.clone();
        let mut parts: JoinSet<(&'static str, anyhow::Result<()>)> = JoinSet::new();
        parts.spawn({
            let ctx = ctx.clone();
            async move { ("watcher", watcher::run(ctx).await) }
        });
        parts.spawn({
            let ctx = ctx.clone();
            async move { ("SLA clock", crate::engine::sla::run(ctx).await) }
        });
        parts.spawn({
            let ctx = ctx.clone();
            async move { ("scheduler", crate::engine::scheduler::run(ctx).await) }
        });
        for platform in &ctx.platforms {
            let (ctx, platform) = (ctx.clone(), platform.clone());
            parts.spawn(async move { ("dispatcher", dispatcher::run(ctx, platform).await) });
        }
        if let Some(slack) = self.slack_socket {
            let ctx = ctx.clone();
            parts.spawn(async move {
                (
                    "Slack Socket Mode",
                    crate::chat::slack::socket::run(ctx, slack).await,
                )
            });
        }
        if let Some(discord) = self.discord {
            // Registration failing (Discord down) leaves the previous commands in place.
            tokio::spawn({
                let discord = discord.clone();
                async move {
                    if let Err(e) = discord.register_commands().await {
                        warn!(error = %format!("{e:#}"), "cannot register the Discord commands");
                    }
                }
            });
            if discord.mode() == DiscordMode::Gateway {
                let ctx = ctx.clone();
                parts.spawn(async move {
                    (
                        "Discord gateway",
                        crate::chat::discord::gateway::run(ctx, discord).await,
                    )
                });
            }
        }
        parts.spawn({
            let ctx = ctx.clone();
            let listener = self.listener;
            async move {
                let shutdown = ctx.shutdown.clone();
                let server = &ctx.config.settings.server;
                let limits = crate::http::serve::Limits {
                    idle_timeout: server.idle_timeout.as_std(),
                    request_timeout: server.request_timeout.as_std(),
                    max_connections: server.max_connections,
                };
                let app = crate::http::router(ctx);
                let served = crate::http::serve::serve(listener, app, limits, shutdown)
                    .await
                    .context("the HTTP server failed");
                ("http server", served)
            }
        });
        if self.read_stdin {
            let ctx = ctx.clone();
            // Stdin is read on a thread of its own that shutdown does not wait for.
            tokio::spawn(async move {
                if let Err(e) = read_commands(ctx).await {
                    warn!(error = %format!("{e:#}"), "stopped reading commands from stdin");
                }
            });
        }
        info!(address = %ctx.config.listen, "baton is running");
        let mut outcome = Ok(());
        while let Some(joined) = parts.join_next().await {
            match joined {
                Ok((part, Ok(()))) => info!(part, "stopped"),
                Ok((part, Err(e))) => {
                    error!(part, error = %format!("{e:#}"), "stopped with an error; shutting down");
                    ctx.shutdown.cancel();
                    if outcome.is_ok() {
                        outcome = Err(e.context(format!("the {part} failed")));
                    }
                }
                Err(e) => {
                    error!(error = %e, "a part panicked; shutting down");
                    ctx.shutdown.cancel();
                    outcome = Err(anyhow::anyhow!("a part of Baton panicked: {e}"));
                }
            }
        }
        ctx.db.pool.close().await;
        outcome
    }
}

/// The console's chat: one command per line; `@email` first acts as that person
/// (default: the first admin).
async fn read_commands(ctx: Ctx) -> anyhow::Result<()> {
    let default_actor = ctx
        .config
        .directory
        .admins()
        .next()
        .or(ctx.config.directory.people.first())
        .map(|p| p.email.clone())
        .unwrap_or_else(|| "nobody@localhost".into());
    let mut lines = stdin_lines();
    loop {
        let line = tokio::select! {
            _ = ctx.shutdown.cancelled() => return Ok(()),
            line = lines.recv() => line,
        };
        let Some(line) = line else { return Ok(()) };
        let line = line.context("cannot read stdin")?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (actor, text) = match line
            .strip_prefix('@')
            .and_then(|rest| rest.split_once(char::is_whitespace))
        {
            Some((who, text)) => (who.to_lowercase(), text.trim()),
            None => (default_actor.clone(), line),
        };
        // One command that fails (a database error, a bad stored value) is logged and the
        // reader goes on: the console must keep taking commands.
        let result = async {
            let reply = actions::execute(&ctx, &actor, text).await?;
            deliver_reply(&ctx, &actor, &reply.message).await
        }
        .await;
        if let Err(e) = result {
            tracing::error!(actor = %actor, error = %format!("{e:#}"), "console command failed");
        }
    }
}

/// Standard input, line by line, read on a plain thread of its own. Tokio's stdin reads on
/// a blocking-pool thread that the runtime waits for when it shuts down, so a read pending
/// until the next Enter would hold `baton run` after SIGTERM; this thread is never joined
/// and ends with the process. The channel closes at end of input or after a read error.
fn stdin_lines() -> tokio::sync::mpsc::Receiver<std::io::Result<String>> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let spawned = std::thread::Builder::new()
        .name("baton-stdin".into())
        .spawn(move || {
            use std::io::BufRead;
            for line in std::io::stdin().lock().lines() {
                let failed = line.is_err();
                // The receiver is gone once Baton stops reading: so is this thread.
                if tx.blocking_send(line).is_err() || failed {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        warn!(error = %e, "cannot start the thread that reads commands from stdin");
    }
    rx
}

/// Sends a reply to the console through the outbox (so it is ordered with alerts), or
/// prints it when the console platform is off.
pub async fn deliver_reply(
    ctx: &Ctx,
    actor: &str,
    message: &crate::chat::message::Message,
) -> anyhow::Result<()> {
    let targets: Vec<(String, String)> = ctx
        .person_targets(actor)
        .into_iter()
        .filter(|(platform, _)| platform == "console")
        .collect();
    if targets.is_empty() {
        println!("{}", message.plain_text());
        return Ok(());
    }
    crate::engine::queue_reply(ctx, &targets, message).await
}
