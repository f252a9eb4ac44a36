//! `POST /discord/interactions`: Discord's interactions endpoint (`[discord] mode = "http"`).
//! Every request must carry a valid Ed25519 signature of timestamp + raw body made with the
//! application's key (`DISCORD_PUBLIC_KEY`) and a timestamp within five minutes of Baton's
//! clock; anything else gets 401 and changes nothing (Discord sends bad signatures on
//! purpose and drops endpoints that accept them). The answer comes from the handler the
//! gateway uses too.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tracing::{debug, warn};

use crate::chat::discord::{self, inbound};
use crate::engine::Ctx;

pub fn routes() -> Router<Ctx> {
    Router::new().route("/discord/interactions", post(interactions))
}

async fn interactions(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(discord) = discord::from_ctx(&ctx) else {
        return (StatusCode::NOT_FOUND, "Discord is not enabled\n").into_response();
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let signature = header("x-signature-ed25519");
    let timestamp = header("x-signature-timestamp");
    if !discord.verify(signature, timestamp, &body, ctx.clock.now()) {
        debug!("refused a Discord interaction with a bad signature or timestamp");
        return (StatusCode::UNAUTHORIZED, "invalid request signature\n").into_response();
    }
    let interaction: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => {
            warn!(error = %e, "a signed Discord interaction is not JSON");
            return (StatusCode::BAD_REQUEST, "the body is not JSON\n").into_response();
        }
    };
    Json(inbound::handle(&ctx, &discord, &interaction).await).into_response()
}
