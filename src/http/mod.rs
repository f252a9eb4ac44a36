//! The HTTP listener (`[server] listen`): health, metrics, the lead API, Slack and
//! Discord. Handlers translate HTTP to engine calls and nothing more.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::engine::Ctx;

pub mod api;
pub mod discord;
pub mod metrics;
pub mod serve;
pub mod slack;

pub fn router(ctx: Ctx) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::metrics))
        .merge(api::routes())
        .merge(slack::routes())
        .merge(discord::routes())
        .with_state(ctx)
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(ctx): State<Ctx>) -> (StatusCode, &'static str) {
    if ctx.db.ping().await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    }
}
