//! Wires Baton together: [`App::build`] opens and migrates the database, builds the
//! enabled platforms and binds the HTTP listener; [`App::run_until_stopped`] runs every
//! loop until shutdown and says which part stopped and why.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::task::JoinSet;
use tracing::{error, info, warn};

use crate::chat::console::Console;
use crate::chat::discord::Discord;
use crate::chat::slack::Slack;
use crate::clock::Clock;
use crate::config::{Config, DiscordMode, SlackMode};
use crate::engine::platform::Platform;
use crate::engine::{Ctx, dispatcher, watcher};
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
                if let Err(e) = crate::chat::console::input::read_commands(ctx).await {
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

/// Cancels `token` on SIGINT or SIGTERM. The handlers are installed before this returns,
/// so a signal that arrives right after start-up is a graceful stop too (a handler
/// installed later by the spawned task would leave the default action, which kills).
pub fn stop_on_signals(token: tokio_util::sync::CancellationToken) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            (Ok(mut int), Ok(mut term)) => {
                tokio::spawn(async move {
                    tokio::select! {
                        _ = int.recv() => tracing::info!("SIGINT: shutting down"),
                        _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
                    }
                    token.cancel();
                });
            }
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "cannot listen for SIGINT/SIGTERM; falling back to Ctrl-C");
                tokio::spawn(async move {
                    let _ = tokio::signal::ctrl_c().await;
                    token.cancel();
                });
            }
        }
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        token.cancel();
    });
}
