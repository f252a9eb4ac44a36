//! `GET /metrics`: Prometheus text exposition. Counters of this process's life come from
//! the engine's stats; gauges (queue depth, open handoffs, dead letters) and the breach
//! total are read from the database at scrape time.

use std::fmt::Write;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::engine::Ctx;
use crate::engine::stats::LATENCY_BUCKETS;

pub async fn metrics(State(ctx): State<Ctx>) -> Response {
    match render(&ctx).await {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("metrics unavailable: {e:#}\n"),
        )
            .into_response(),
    }
}

async fn render(ctx: &Ctx) -> anyhow::Result<String> {
    let c = ctx.stats.now();
    let crate::store::metrics::Gauges {
        queued,
        dead,
        handoffs_open: open,
        breaches,
    } = crate::store::metrics::gauges(&ctx.db.pool).await?;
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, value: String| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    };
    metric(
        "baton_messages_sent_total",
        "counter",
        "Messages delivered since start.",
        c.messages_sent.to_string(),
    );
    metric(
        "baton_send_failures_total",
        "counter",
        "Failed send attempts since start.",
        c.send_failures.to_string(),
    );
    metric(
        "baton_timed_jobs_run_total",
        "counter",
        "Timed jobs (weekly digests, morning summaries) run since start.",
        c.jobs_run.to_string(),
    );
    metric(
        "baton_timed_jobs_failed_total",
        "counter",
        "Timed jobs that failed since start (each is retried a minute later).",
        c.jobs_failed.to_string(),
    );
    metric(
        "baton_outbox_queued",
        "gauge",
        "Messages waiting to be sent.",
        queued.to_string(),
    );
    metric(
        "baton_outbox_dead",
        "gauge",
        "Messages given up after too many attempts.",
        dead.to_string(),
    );
    metric(
        "baton_handoffs_open",
        "gauge",
        "Handoffs not yet accepted or rejected.",
        open.to_string(),
    );
    metric(
        "baton_handoffs_opened_total",
        "counter",
        "Handoffs opened since start.",
        c.handoffs_opened.to_string(),
    );
    metric(
        "baton_sla_breaches",
        "gauge",
        "SLA breaches recorded in the database.",
        breaches.to_string(),
    );
    metric(
        "baton_events_processed_total",
        "counter",
        "Stage changes read since start.",
        c.events_processed.to_string(),
    );
    let name = "baton_detection_latency_seconds";
    let _ = writeln!(
        out,
        "# HELP {name} Time from an MQL stage change's commit to its handoff.\n# TYPE {name} histogram"
    );
    let mut cumulative = 0;
    for (bound, count) in LATENCY_BUCKETS.iter().zip(c.latency_buckets.iter()) {
        cumulative += count;
        let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
    }
    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", c.latency_count);
    let _ = writeln!(
        out,
        "{name}_sum {}\n{name}_count {}",
        c.latency_sum_s, c.latency_count
    );
    Ok(out)
}
