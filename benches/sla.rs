//! The SLA clock loop's cost with many open handoffs: one wake-up (find the earliest
//! timer, fire what is due) at 1,000 and at 100,000 open handoffs, and the process's
//! memory. Run with `cargo bench --bench sla`; results go to BENCHMARKS.md.

use std::time::Instant;

use baton::app::App;
use baton::clock::Clock;
use baton::config::Config;
use baton::store::ts;
use chrono::{DateTime, Duration, Utc};

const CONFIG: &str = r#"
[server]
listen = "127.0.0.1:0"

[console]
enabled = true
output = "OUT"
format = "jsonl"

[[calendar]]
name = "always"
timezone = "UTC"
hours = "Mon-Sun 00:00-24:00"

[[person]]
email = "boss@acme.test"
role = "manager"
team = "sales"

[[person]]
email = "ann@acme.test"
role = "rep"
team = "sales"
calendar = "always"

[[team]]
name = "sales"
manager = "boss@acme.test"

[[sla]]
name = "default"
ack = "1h"
first_touch = "4h"
disposition = "3d"
remind_at = [0.5, 0.9]
on_breach = ["notify_manager"]
"#;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Opens `n` handoffs, spread evenly over the hour after `start`, with nine timers each.
async fn fill(app: &App, n: i64, start: DateTime<Utc>) -> anyhow::Result<()> {
    let pool = &app.ctx.db.pool;
    let mut tx = pool.begin().await?;
    for i in 1..=n {
        let opened = start + Duration::milliseconds(i * 3_600_000 / n);
        let at = ts(opened);
        sqlx::query("INSERT INTO leads (id, external_id, name, stage, stage_changed_at) VALUES (?, ?, 'Lead', 'mql', ?)")
            .bind(i)
            .bind(format!("b{i}"))
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO handoffs (id, lead_id, event_id, assignee, team, why, route_reason, mql_at, opened_at,
                                   sla_policy, sla_start, ack_due_at, first_touch_due_at, disposition_due_at)
             VALUES (?1, ?1, ?1, 'ann@acme.test', 'sales', 'bench', 'bench', ?2, ?2, 'default', ?2, ?3, ?4, ?5)",
        )
        .bind(i)
        .bind(&at)
        .bind(ts(opened + Duration::hours(1)))
        .bind(ts(opened + Duration::hours(4)))
        .bind(ts(opened + Duration::days(3)))
        .execute(&mut *tx)
        .await?;
        for (clock, window) in [("ack", 1), ("first_touch", 4), ("disposition", 72)] {
            for (kind, fraction) in [("remind", 0.5), ("remind", 0.9), ("breach", 1.0)] {
                let due =
                    opened + Duration::seconds((f64::from(window) * 3600.0 * fraction) as i64);
                sqlx::query("INSERT INTO sla_timers (handoff_id, clock, kind, fraction, due_at, fence) VALUES (?, ?, ?, ?, ?, 0)")
                    .bind(i)
                    .bind(clock)
                    .bind(kind)
                    .bind(fraction)
                    .bind(ts(due))
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    // The watcher must not re-open these: mark every event as processed.
    sqlx::query(
        "INSERT INTO cursors (name, value) SELECT 'watcher', COALESCE(MAX(id), 0) FROM lead_events",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn measure(n: i64) -> anyhow::Result<(f64, f64, f64, f64, u64)> {
    let dir = tempfile::tempdir()?;
    let text = format!(
        "[database]\nurl = \"sqlite://{}\"\n{}",
        dir.path().join("bench.db").display(),
        CONFIG.replace("OUT", &dir.path().join("out.jsonl").display().to_string())
    );
    let config = Config::from_toml("bench", &text, &Default::default())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let start: DateTime<Utc> = "2026-11-17T11:00:00Z".parse()?;
    let clock = Clock::manual(start);
    let app = App::build(config, clock.clone()).await?;
    fill(&app, n, start).await?;
    let rss_before = rss_kib();

    // An idle wake-up: find the next timer, find nothing due.
    let mut idle = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        let mut conn = app.ctx.db.pool.acquire().await?;
        baton::store::sla::next_due(&mut conn).await?;
        drop(conn);
        let fired = baton::engine::sla::fire_due(&app.ctx).await?;
        idle.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(fired, 0);
    }
    idle.sort_by(f64::total_cmp);

    // Busy wake-ups: advance the clock one minute at a time (from 30 minutes on, when
    // the first reminders fall due); each wake-up fires what fell due in that minute.
    clock.advance(Duration::minutes(30));
    baton::engine::sla::fire_due(&app.ctx).await?;
    let mut busy = Vec::new();
    let mut fired_total = 0;
    for _ in 0..100 {
        clock.advance(Duration::seconds(60));
        let t = Instant::now();
        loop {
            let fired = baton::engine::sla::fire_due(&app.ctx).await?;
            fired_total += fired;
            if fired == 0 {
                break;
            }
        }
        busy.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    busy.sort_by(f64::total_cmp);
    let rss_after = rss_kib();
    eprintln!(
        "n = {n}: fired {fired_total} timers in 100 one-minute steps; RSS {rss_before} → {rss_after} KiB"
    );
    let per_timer = busy.iter().sum::<f64>() / fired_total.max(1) as f64;
    Ok((
        percentile(&idle, 0.5),
        percentile(&idle, 0.99),
        percentile(&busy, 0.5),
        per_timer,
        rss_after,
    ))
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        println!("| open handoffs | idle wake-up p50 | idle wake-up p99 | busy wake-up p50 | per timer fired | RSS |");
        println!("|---:|---:|---:|---:|---:|---:|");
        for n in [1_000, 100_000] {
            let (p50, p99, busy, per_timer, rss) = measure(n).await?;
            println!("| {n} | {p50:.3} ms | {p99:.3} ms | {busy:.3} ms | {per_timer:.3} ms | {} MiB |", rss / 1024);
        }
        Ok(())
    })
}
