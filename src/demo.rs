//! `baton demo`: the whole bot on a local database with a built-in team, the console
//! platform, and a simulated lead stream. The simulator writes `leads` through its own
//! connection, as a CRM would, and plays the reps: some leads are acknowledged and then
//! accepted, rejected or rated; others are left alone. Its logs stay at warnings unless
//! `--verbose` (see `cli`), so the terminal shows the messages a team would see.
//! `--locale pt-BR|es|it` makes everyone in it read that language.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sqlx::Connection;
use tracing::{info, warn};

use crate::app::App;
use crate::clock::Clock;
use crate::config::Config;
use crate::engine::{Ctx, actions};
use crate::i18n::{Locale, tr};
use crate::store::{events, handoffs};

/// The cursor that marks a database as the demo's, so `reset` may delete it.
const DEMO_MARK: &str = "demo";

const DEMO_CONFIG: &str = include_str!("../config/demo.toml");

const PEOPLE: [(&str, &str, &str); 8] = [
    ("Jane Doe", "Acme Corp", "VP Sales"),
    ("Omar Haddad", "Globex", "Head of Growth"),
    ("Li Wei", "Initech", "CTO"),
    ("Ana Souza", "Umbrella BR", "Marketing Manager"),
    ("Tom Berg", "Hooli", "Director of Ops"),
    ("Sara Kim", "Vandelay", "CEO"),
    ("Luca Rossi", "Stark Ltd", "Procurement Lead"),
    ("Nina Patel", "Wayne GmbH", "RevOps Analyst"),
];
const SOURCES: [(&str, &str); 4] = [
    ("webinar", "fall-launch"),
    ("ads", "brand-search"),
    ("content", "pricing-guide"),
    ("referral", "partners"),
];

/// Builds the demo config for a database file, with everyone reading `locale`.
pub fn config(db: &Path, locale: Locale) -> anyhow::Result<Config> {
    let env: HashMap<String, String> = [
        (
            "BATON__DATABASE__URL".to_string(),
            format!("\"sqlite://{}\"", db.display()),
        ),
        (
            "BATON__SERVER__LISTEN".to_string(),
            "\"127.0.0.1:0\"".to_string(),
        ),
    ]
    .into();
    let mut config = Config::from_toml("the built-in demo config", DEMO_CONFIG, &env)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // The demo's people and team set no locale of their own: they all read this one.
    config.reporting_locale = locale;
    Ok(config)
}

/// Refuses to delete a file that is not a demo database.
async fn reset(db: &Path) -> anyhow::Result<()> {
    if db.exists() {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .with_context(|| format!("cannot open {}", db.display()))?;
        // A file that is not a Baton database has no cursors table: not a demo either.
        let is_demo = events::cursor(&mut conn, DEMO_MARK).await.ok().flatten();
        conn.close().await.ok();
        if is_demo.is_none() {
            anyhow::bail!(
                "{} exists and is not a Baton demo database: choose another --db",
                db.display()
            );
        }
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{}{suffix}", db.display());
            if Path::new(&path).exists() {
                std::fs::remove_file(&path).with_context(|| format!("cannot remove {path}"))?;
            }
        }
    }
    Ok(())
}

pub async fn run(
    db: &Path,
    speed: f64,
    seconds: Option<u64>,
    locale: Locale,
) -> anyhow::Result<()> {
    reset(db).await?;
    let app = App::build(config(db, locale)?, Clock::system())
        .await?
        .with_stdin_commands();
    {
        let mut conn = app.ctx.db.pool.acquire().await?;
        events::set_cursor(&mut conn, DEMO_MARK, 1).await?;
    }
    let ctx = app.ctx.clone();
    crate::app::stop_on_signals(ctx.shutdown.clone());
    eprintln!(
        "{}\n",
        tr(
            locale,
            "demo-banner",
            &[
                ("db", db.display().to_string().into()),
                ("address", app.address()?.to_string().into()),
            ],
        )
    );
    if let Some(seconds) = seconds {
        let token = ctx.shutdown.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            token.cancel();
        });
    }
    let simulator = tokio::spawn(simulate(ctx.clone(), db.to_path_buf(), speed));
    let showcase = tokio::spawn(showcase(ctx.clone(), speed));
    let outcome = app.run_until_stopped().await;
    simulator.abort();
    showcase.abort();
    outcome
}

/// What a newcomer should see within the first minute besides alerts, reminders and
/// breaches: a marketer's `/funnel` with its chart, and the weekly digest (of this week so
/// far; `baton run` sends last week's on `[digest] cron`).
async fn showcase(ctx: Ctx, speed: f64) {
    let at = |secs: f64| tokio::time::sleep(Duration::from_secs_f64(secs / speed));
    at(35.0).await;
    let marketer = "max@demo.test";
    let command = "/funnel this-week by source chart";
    match actions::execute(&ctx, marketer, command).await {
        Ok(reply) => {
            info!(command, "simulated marketer");
            if let Err(e) =
                crate::chat::console::input::deliver_reply(&ctx, marketer, &reply.message).await
            {
                warn!(error = %format!("{e:#}"), "cannot show the demo's funnel");
            }
        }
        Err(e) => warn!(error = %format!("{e:#}"), "cannot run the demo's funnel"),
    }
    at(15.0).await;
    if let Err(e) = demo_digest(&ctx).await {
        warn!(error = %format!("{e:#}"), "cannot send the demo's digest");
    }
}

async fn demo_digest(ctx: &Ctx) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let today = now.with_timezone(&ctx.config.reporting_tz).date_naive();
    let week = crate::domain::schedule::IsoWeek::of(today);
    let digest = crate::reports::digest::build(&ctx.db, &ctx.config, week, now).await?;
    let platforms: Vec<&str> = ctx.platforms.iter().map(|p| p.name()).collect();
    let mut tx = ctx.db.begin().await?;
    crate::engine::scheduler::queue_digest(&mut tx, &ctx.config, &platforms, &digest, now).await?;
    tx.commit().await?;
    ctx.outbox_ready.notify_waiters();
    Ok(())
}

/// The lead stream and the reps' reactions.
async fn simulate(ctx: Ctx, db: std::path::PathBuf, speed: f64) {
    if let Err(e) = simulate_inner(&ctx, &db, speed).await {
        warn!(error = %format!("{e:#}"), "the demo simulator stopped");
    }
}

async fn simulate_inner(ctx: &Ctx, db: &Path, speed: f64) -> anyhow::Result<()> {
    let mut crm = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await?;
    sqlx::query("PRAGMA busy_timeout = 10000")
        .execute(&mut crm)
        .await?;
    let mut rng = SmallRng::seed_from_u64(7);
    let pause = |secs: f64| Duration::from_secs_f64(secs / speed);
    for n in 1.. {
        if ctx.shutdown.is_cancelled() {
            return Ok(());
        }
        let (name, company, title) = PEOPLE[(n - 1) % PEOPLE.len()];
        let (source, campaign) = SOURCES[rng.random_range(0..SOURCES.len())];
        let external_id = format!("demo-{n}");
        let direct = rng.random_bool(0.3);
        sqlx::query(
            "INSERT INTO leads (external_id, email, name, company, title, company_size, country, source, campaign, score, stage)
             VALUES (?, ?, ?, ?, ?, ?, 'DE', ?, ?, ?, ?)",
        )
        .bind(&external_id)
        .bind(format!("{}@{}.example", name.split(' ').next().unwrap_or("x").to_lowercase(), company.split(' ').next().unwrap_or("x").to_lowercase()))
        .bind(name)
        .bind(company)
        .bind(title)
        .bind(rng.random_range(10..2000_i64))
        .bind(source)
        .bind(campaign)
        .bind(rng.random_range(40..100_i64))
        .bind(if direct { "mql" } else { "lead" })
        .execute(&mut crm)
        .await?;
        if !direct {
            tokio::time::sleep(pause(1.0)).await;
            sqlx::query("UPDATE leads SET stage = 'mql' WHERE external_id = ?")
                .bind(&external_id)
                .execute(&mut crm)
                .await?;
        }
        // The first three leads show each path once, in the first minute: one left
        // alone (a reminder, then a breach and its reassignment), one acknowledged and
        // accepted, one contacted and rated. After them the reps act at random.
        let roll: f64 = match n {
            1 => 0.0,
            2 => 0.3,
            3 => 0.8,
            _ => rng.random(),
        };
        let ctx2 = ctx.clone();
        let delay = pause(rng.random_range(3.0..8.0));
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            if let Err(e) = play_rep(&ctx2, &external_id, roll).await {
                warn!(error = %format!("{e:#}"), "a simulated rep failed");
            }
        });
        // A new lead every 10 to 15 s: few enough to read each alert as it comes.
        tokio::time::sleep(pause(rng.random_range(10.0..15.0))).await;
    }
    Ok(())
}

/// A simulated rep reacts to their alert: most acknowledge, then accept, reject or rate.
async fn play_rep(ctx: &Ctx, external_id: &str, roll: f64) -> anyhow::Result<()> {
    let lead = {
        let mut conn = ctx.db.pool.acquire().await?;
        let Some(lead) = crate::store::leads::by_external_id(&mut conn, external_id).await? else {
            return Ok(());
        };
        let Some(h) = handoffs::current_for_lead(&mut conn, lead.id).await? else {
            return Ok(());
        };
        (lead.id, h.assignee.unwrap_or_default())
    };
    let (id, rep) = lead;
    let script: &[String] = &match roll {
        r if r < 0.25 => vec![],
        r if r < 0.55 => vec![
            format!("/lead ack {id}"),
            format!("/lead accept {id} booked a demo"),
        ],
        r if r < 0.75 => vec![
            format!("/lead ack {id}"),
            format!("/lead reject {id} no_budget too small for now"),
        ],
        r if r < 0.9 => vec![
            format!("/lead contacted {id} left a voicemail"),
            format!("/lead rate {id} 4"),
        ],
        _ => vec![format!("/lead ack {id}")],
    };
    // The simulated reps' private answers are not shown: the alert's update says what
    // changed, once for the rep and once for the channel.
    for line in script {
        let reply = actions::execute(ctx, &rep, line).await?;
        info!(rep = %rep, command = %line, ok = reply.ok, "simulated rep");
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    Ok(())
}
