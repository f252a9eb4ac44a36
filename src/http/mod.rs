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

/// 200 when the database answers and every loop keeps up (`[health]`), 503 otherwise;
/// the JSON body names each part (`engine::health`).
async fn healthz(
    State(ctx): State<Ctx>,
) -> (StatusCode, axum::Json<crate::domain::health::Health>) {
    let health = crate::engine::health::check(&ctx).await;
    let status = if health.healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(health))
}
