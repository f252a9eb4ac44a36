//! `GET /metrics`: Prometheus text exposition. Counters of this process's life come from
//! the engine's stats; gauges (queue depth, open handoffs, dead letters) and the breach
//! total are read from the database at scrape time, and so are the figures of `/healthz`
//! (`engine::health`), as gauges.

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
    metric(
        "baton_events_quarantined_total",
        "counter",
        "Stage changes parked in quarantine since start.",
        c.events_quarantined.to_string(),
    );
    let health = crate::engine::health::check(ctx).await;
    let flag = |ok: bool| if ok { "1" } else { "0" }.to_string();
    metric(
        "baton_healthy",
        "gauge",
        "1 when /healthz answers 200: the database answers and every loop keeps up.",
        flag(health.healthy),
    );
    metric(
        "baton_database_up",
        "gauge",
        "1 when the database answers.",
        flag(health.database.ok),
    );
    metric(
        "baton_watcher_events_behind",
        "gauge",
        "Stage changes committed but not yet processed by the watcher.",
        health.watcher.events_behind.to_string(),
    );
    metric(
        "baton_watcher_lag_seconds",
        "gauge",
        "Age of the oldest stage change the watcher has not processed.",
        health.watcher.oldest_unprocessed_age_s.to_string(),
    );
    metric(
        "baton_sla_overdue_seconds",
        "gauge",
        "How long the earliest pending SLA timer has been due.",
        health.sla.overdue_timer_age_s.to_string(),
    );
    if let Some(age) = health.sla.last_wake_age_s {
        metric(
            "baton_sla_last_wake_age_seconds",
            "gauge",
            "Time since the SLA loop last woke up.",
            age.to_string(),
        );
    }
    metric(
        "baton_events_quarantined",
        "gauge",
        "Stage changes parked in quarantine, waiting for baton events retry.",
        health.quarantine.events.to_string(),
    );
    for (name, help, value) in [
        (
            "baton_outbox_due",
            "Messages due now, per platform.",
            (|p: &crate::domain::health::PlatformPart| p.due.to_string())
                as fn(&crate::domain::health::PlatformPart) -> String,
        ),
        (
            "baton_outbox_oldest_due_seconds",
            "How long the oldest due message has waited, per platform.",
            |p| p.oldest_due_age_s.to_string(),
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for platform in &health.outbox.platforms {
            let _ = writeln!(
                out,
                "{name}{{platform=\"{}\"}} {}",
                platform.platform,
                value(platform)
            );
        }
    }
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
