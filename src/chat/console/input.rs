//! The console's chat: commands typed on standard input, one per line, answered through
//! the outbox like any platform's (`@email` first acts as that person; by default the
//! first admin), and [`deliver_reply`] for the console's own replies.

use anyhow::Context;
use tracing::warn;

use crate::engine::{Ctx, actions};

/// The console's chat: one command per line; `@email` first acts as that person
/// (default: the first admin).
pub async fn read_commands(ctx: Ctx) -> anyhow::Result<()> {
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
    message: &crate::message::Message,
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
