//! Socket Mode: Baton opens a websocket to Slack (`apps.connections.open` with the app
//! token, through `[slack] api_url`) instead of receiving HTTP requests. Each envelope is
//! handled by [`super::inbound`] and acknowledged by its `envelope_id`, with the answer as
//! the acknowledgement's payload. A retried envelope (`retry_attempt`) is acknowledged and
//! not run again (envelope ids are kept in the database, see `store::inbound`). The connection is reopened when Slack asks (`disconnect`) or drops it,
//! with a growing pause after failures.
//!
//! This small loop is used instead of slack-morphism's Socket Mode listener so that the
//! acknowledgement can carry the answer of a slash command or a modal, and so that retries
//! are dropped by envelope and trigger id like the HTTP routes do.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as Frame;
use tracing::{debug, info, warn};

use super::{Slack, inbound};
use crate::engine::Ctx;

/// The longest pause between reconnection attempts.
const MAX_PAUSE: Duration = Duration::from_secs(30);

/// Runs until shutdown, reconnecting as needed.
pub async fn run(ctx: Ctx, slack: Arc<Slack>) -> anyhow::Result<()> {
    let mut failures: u32 = 0;
    loop {
        if ctx.shutdown.is_cancelled() {
            return Ok(());
        }
        match session(&ctx, &slack).await {
            Ok(()) => failures = 0,
            Err(e) => {
                failures += 1;
                warn!(error = %format!("{e:#}"), failures, "Slack Socket Mode connection failed; reconnecting");
            }
        }
        let pause = if failures == 0 {
            Duration::from_millis(100)
        } else {
            (Duration::from_millis(500) * 2u32.pow(failures.min(6))).min(MAX_PAUSE)
        };
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return Ok(()),
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// One connection: returns Ok when Slack or Baton closes it normally.
async fn session(ctx: &Ctx, slack: &Arc<Slack>) -> anyhow::Result<()> {
    let url = slack.open_socket().await?;
    let (socket, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .context("cannot open the Socket Mode websocket")?;
    info!("connected to Slack (Socket Mode)");
    let (mut sink, mut stream) = socket.split();
    let (acks, mut outgoing) = mpsc::channel::<String>(64);
    loop {
        tokio::select! {
            _ = ctx.shutdown.cancelled() => {
                let _ = sink.send(Frame::Close(None)).await;
                return Ok(());
            }
            Some(ack) = outgoing.recv() => {
                sink.send(Frame::Text(ack.into())).await.context("cannot acknowledge an envelope")?;
            }
            frame = stream.next() => match frame {
                None | Some(Ok(Frame::Close(_))) => {
                    info!("Slack closed the Socket Mode connection");
                    return Ok(());
                }
                Some(Err(e)) => return Err(e).context("the Socket Mode websocket failed"),
                Some(Ok(Frame::Ping(data))) => {
                    sink.send(Frame::Pong(data)).await.context("cannot answer a ping")?;
                }
                Some(Ok(Frame::Text(text))) => {
                    let Ok(envelope) = serde_json::from_str::<Value>(text.as_str()) else {
                        warn!("ignored a Socket Mode frame that is not JSON");
                        continue;
                    };
                    match envelope.get("type").and_then(Value::as_str) {
                        Some("hello") => debug!("Socket Mode hello"),
                        Some("disconnect") => {
                            info!("Slack asked to reconnect (Socket Mode)");
                            return Ok(());
                        }
                        _ => {
                            let (ctx, slack, acks) = (ctx.clone(), slack.clone(), acks.clone());
                            tokio::spawn(async move {
                                if let Some(ack) = handle(&ctx, &slack, &envelope).await {
                                    let _ = acks.send(ack).await;
                                }
                            });
                        }
                    }
                }
                Some(Ok(_)) => {}
            }
        }
    }
}

/// Handles one envelope; returns the acknowledgement to send.
async fn handle(ctx: &Ctx, slack: &Arc<Slack>, envelope: &Value) -> Option<String> {
    let id = envelope.get("envelope_id").and_then(Value::as_str)?;
    let retry = envelope
        .get("retry_attempt")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let payload = envelope.get("payload").cloned().unwrap_or(Value::Null);
    let answer = if !slack
        .first_time(&format!("envelope:{id}"), ctx.clock.now())
        .await
    {
        info!(
            envelope = id,
            retry, "dropped a retried Socket Mode envelope"
        );
        None
    } else {
        match envelope.get("type").and_then(Value::as_str) {
            Some("slash_commands") => {
                let form: HashMap<String, String> = payload
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                inbound::command(ctx, slack, &form).await
            }
            Some("interactive") => inbound::interaction(ctx, slack, &payload).await,
            Some("events_api") => inbound::event(ctx, slack, &payload).await,
            _ => None,
        }
    };
    let mut ack = json!({"envelope_id": id});
    if let Some(answer) = answer {
        ack["payload"] = answer;
    }
    Some(ack.to_string())
}
