//! The gateway client (`[discord] mode = "gateway"`): serenity's `Client` receives
//! interactions over Discord's websocket and answers them through the interaction callback,
//! using the same [`inbound::handle`] as `POST /discord/interactions`. Needs no privileged
//! intents: interactions arrive whatever the intents.

use std::sync::Arc;

use anyhow::Context as _;
use serenity::all::{Context, EventHandler, GatewayIntents, Interaction, Ready};
use serenity::http::{LightMethod, Route};
use tracing::{info, warn};

use super::{Discord, inbound};
use crate::engine::Ctx;

struct Handler {
    ctx: Ctx,
    discord: Arc<Discord>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, ready: Ready) {
        info!(
            guilds = ready.guilds.len(),
            "connected to the Discord gateway"
        );
    }

    async fn interaction_create(&self, _: Context, interaction: Interaction) {
        let id = interaction.id();
        let token = interaction.token().to_string();
        let mut value = match serde_json::to_value(&interaction) {
            Ok(value) => value,
            Err(e) => {
                warn!(error = %e, "cannot read a Discord interaction");
                return;
            }
        };
        // serenity keeps the interaction's type in the enum's variant and leaves it out when
        // serializing; `inbound::handle` reads it from the JSON as Discord sends it.
        value["type"] = serde_json::json!(u8::from(interaction.kind()));
        let response = inbound::handle(&self.ctx, &self.discord, &value).await;
        let route = Route::InteractionResponse {
            interaction_id: id,
            token: &token,
        };
        if let Err(e) = self
            .discord
            .rest()
            .call(route, LightMethod::Post, Some(&response))
            .await
        {
            warn!(error = %e, "cannot answer a Discord interaction");
        }
    }
}

/// Runs the gateway client until shutdown.
pub async fn run(ctx: Ctx, discord: Arc<Discord>) -> anyhow::Result<()> {
    let application_id = discord
        .application_id
        .as_deref()
        .and_then(|id| id.parse::<u64>().ok());
    // tokio-tungstenite's TLS needs a process-wide crypto provider; later calls do nothing.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = discord.rest().gateway_http(application_id);
    let mut client = serenity::client::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler {
            ctx: ctx.clone(),
            discord: discord.clone(),
        })
        .await
        .context("cannot build the Discord gateway client")?;
    let shards = client.shard_manager.clone();
    tokio::select! {
        started = client.start() => started.context("the Discord gateway connection failed"),
        _ = ctx.shutdown.cancelled() => {
            shards.shutdown_all().await;
            Ok(())
        }
    }
}
