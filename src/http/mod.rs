//! The HTTP listener (`[server] listen`): health now; Slack, Discord, the lead API and
//! metrics mount here too. Handlers translate HTTP to engine calls and nothing more.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::engine::Ctx;

pub fn router(ctx: Ctx) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
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
