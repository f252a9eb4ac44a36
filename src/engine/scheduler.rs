//! The timed jobs: the weekly digest (`[digest] cron` in `[digest] timezone`) and, when
//! `[digest] rep_daily_cron` is set, each rep's morning summary of their open handoffs
//! (that schedule read in the rep's own calendar zone), which welcomes them back on their
//! first working day after an absence.
//!
//! A job runs once for the latest time it was due since it last ran
//! ([`crate::domain::schedule::latest_due`]), so a digest missed while Baton was down is
//! sent once when it starts again. Its outbox rows and the job's `last_at` are written in
//! one transaction, and every row has a dedupe key naming the job, its period and the
//! recipient: however often Baton restarts, each is sent at most once. A job Baton sees
//! for the first time starts from now: installing Baton on a Tuesday sends no digest for
//! the Monday before.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tracing::{error, info};

use super::{Ctx, actions, enqueue_all};
use crate::config::Config;
use crate::domain::availability::first_day_back;
use crate::domain::directory::Role;
use crate::domain::schedule::{IsoWeek, Schedule, latest_due};
use crate::engine::platform::addressable;
use crate::i18n::{Arg, t, tr};
use crate::message::{Kind, Message};
use crate::reports::digest::{self, Digest};
use crate::store::{schedule as runs, ts};

/// The digest job's name in `schedule_runs`.
pub const DIGEST: &str = "digest";
/// How long a failed job waits before it is tried again.
const RETRY: chrono::Duration = chrono::Duration::seconds(60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    Digest,
    /// The morning summary of one rep (an email).
    RepDaily(String),
}

#[derive(Debug, Clone)]
pub struct Job {
    /// The key in `schedule_runs`: `digest` or `rep-daily:EMAIL`.
    pub name: String,
    pub task: Task,
    pub schedule: Schedule,
}

/// Every job of the config.
pub fn jobs(config: &Config) -> Vec<Job> {
    let mut jobs = vec![Job {
        name: DIGEST.into(),
        task: Task::Digest,
        schedule: config.digest_schedule.clone(),
    }];
    if let Some(daily) = &config.rep_daily_schedule {
        for rep in config
            .directory
            .people
            .iter()
            .filter(|p| p.role == Role::Rep)
        {
            jobs.push(Job {
                name: format!("rep-daily:{}", rep.email),
                task: Task::RepDaily(rep.email.clone()),
                schedule: daily.in_zone(config.directory.calendar_of(rep).tz()),
            });
        }
    }
    jobs
}

pub async fn run(ctx: Ctx) -> anyhow::Result<()> {
    let jobs = jobs(&ctx.config);
    {
        let now = ctx.clock.now();
        let mut tx = ctx.db.begin().await?;
        let known = runs::all_runs(&mut tx).await?;
        for job in jobs.iter().filter(|j| !known.contains_key(&j.name)) {
            runs::set_last_run(&mut tx, &job.name, now).await?;
        }
        tx.commit().await.context("cannot record the timed jobs")?;
    }
    for job in &jobs {
        info!(job = %job.name, schedule = %job.schedule.describe(), "timed job");
    }
    let mut retry_at: HashMap<String, DateTime<Utc>> = HashMap::new();
    loop {
        let now = ctx.clock.now();
        let last_runs = {
            let mut conn = ctx.db.pool.acquire().await?;
            runs::all_runs(&mut conn).await?
        };
        let mut wake: Option<DateTime<Utc>> = None;
        for job in &jobs {
            let last = last_runs.get(&job.name).copied().unwrap_or(now);
            if let Some(due) = latest_due(&job.schedule, last, now)
                && retry_at.get(&job.name).is_none_or(|at| *at <= now)
            {
                match run_job(&ctx, job, due).await {
                    Ok(queued) => {
                        retry_at.remove(&job.name);
                        ctx.stats.update(|c| c.jobs_run += 1);
                        info!(job = %job.name, due = %ts(due), queued, "timed job ran");
                    }
                    Err(e) => {
                        ctx.stats.update(|c| c.jobs_failed += 1);
                        error!(job = %job.name, error = %format!("{e:#}"), "timed job failed; will retry in a minute");
                        retry_at.insert(job.name.clone(), now + RETRY);
                        wake = Some(wake.map_or(now + RETRY, |w| w.min(now + RETRY)));
                    }
                }
            }
            if let Some(next) = job.schedule.next_after(now) {
                wake = Some(wake.map_or(next, |w| w.min(next)));
            }
        }
        ctx.stats.update(|c| c.scheduler_passes += 1);
        let sleep = async {
            match wake {
                Some(at) => ctx.clock.sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return Ok(()),
            _ = sleep => {}
        }
    }
}

/// Runs one job for its time `due`; returns how many messages it queued.
pub async fn run_job(ctx: &Ctx, job: &Job, due: DateTime<Utc>) -> anyhow::Result<usize> {
    let now = ctx.clock.now();
    let platforms: Vec<&str> = ctx.platforms.iter().map(|p| p.name()).collect();
    let queued = match &job.task {
        Task::Digest => {
            let week = IsoWeek::last_complete(due, ctx.config.reporting_tz);
            let digest = digest::build(&ctx.db, &ctx.config, week, now).await?;
            let mut tx = ctx.db.begin().await?;
            let queued = queue_digest(&mut tx, &ctx.config, &platforms, &digest, now).await?;
            runs::set_last_run(&mut tx, &job.name, due).await?;
            tx.commit().await.context("cannot queue the digest")?;
            queued.written
        }
        Task::RepDaily(email) => {
            let summary = morning_summary(ctx, email, due).await?;
            let mut tx = ctx.db.begin().await?;
            let mut queued = 0;
            if let Some((day, message)) = summary {
                let targets: Vec<(String, String)> = platforms
                    .iter()
                    .map(|p| (p.to_string(), email.clone()))
                    .collect();
                let dedupe = format!("rep-daily:{day}");
                queued = enqueue_all(
                    &mut tx,
                    &targets,
                    Kind::Digest,
                    None,
                    &message,
                    Some(&dedupe),
                    &ts(now),
                )
                .await?;
            }
            runs::set_last_run(&mut tx, &job.name, due).await?;
            tx.commit()
                .await
                .context("cannot queue the morning summary")?;
            queued
        }
    };
    if queued > 0 {
        ctx.outbox_ready.notify_waiters();
    }
    Ok(queued)
}

/// The messages of a digest: newly written, and all (the rest were queued before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    pub written: usize,
    pub total: usize,
}

/// Queues each recipient's digest and chart on every platform that can reach them, in the
/// caller's transaction. Rows already queued for this week and recipient are left alone.
pub async fn queue_digest(
    conn: &mut SqliteConnection,
    config: &Config,
    platforms: &[&str],
    digest: &Digest,
    now: DateTime<Utc>,
) -> anyhow::Result<Queued> {
    let mut queued = Queued {
        written: 0,
        total: 0,
    };
    for recipient in &digest.recipients {
        let targets: Vec<(String, String)> = platforms
            .iter()
            .filter(|p| addressable(p, &recipient.to))
            .map(|p| (p.to_string(), recipient.to.clone()))
            .collect();
        let locale = Digest::locale_of(recipient, config);
        let message = digest.message_in(recipient, config, locale);
        let chart = digest.chart_message(locale);
        for (m, key) in [(&message, "digest"), (&chart, "digest-chart")] {
            let dedupe = format!("{key}:{}", digest.week);
            queued.written += enqueue_all(
                conn,
                &targets,
                Kind::Digest,
                None,
                m,
                Some(&dedupe),
                &ts(now),
            )
            .await?;
            queued.total += targets.len();
        }
    }
    Ok(queued)
}

/// A rep's morning summary for the day of `due` in their zone, unless they are away (in
/// the config or said in chat), it is a holiday in their calendar, or they have nothing
/// open. On their first working day after an absence it opens with "welcome back", and is
/// sent even with nothing open.
async fn morning_summary(
    ctx: &Ctx,
    email: &str,
    due: DateTime<Utc>,
) -> anyhow::Result<Option<(String, Message)>> {
    let directory = &ctx.config.directory;
    let Some(person) = directory.person(email) else {
        return Ok(None);
    };
    let calendar = directory.calendar_of(person);
    let day = due.with_timezone(&calendar.tz()).date_naive();
    let chat = {
        let mut conn = ctx.db.pool.acquire().await?;
        super::routing::availability(ctx, &mut conn).await?
    };
    if directory.away_with(person, due, &chat).is_some() || calendar.is_holiday(day) {
        return Ok(None);
    }
    let welcome = first_day_back(&person.out_of_office, chat.get(&person.email), day, |d| {
        calendar.works_on(d)
    });
    let locale = actions::locale_of_actor(ctx, &person.email);
    let name = || [("name", Arg::from(person.name.as_str()))];
    let lines = actions::open_handoff_lines(ctx, person, locale).await?;
    let text = match (welcome, lines) {
        (false, None) => return Ok(None),
        (false, Some(lines)) => lines,
        (true, lines) => {
            let rest = lines.unwrap_or_else(|| t(locale, "summary-nothing-open"));
            format!("{}\n{rest}", tr(locale, "summary-welcome-back", &name()))
        }
    };
    let message = Message::new(tr(locale, "summary-title", &name()))
        .in_locale(locale)
        .text(text);
    Ok(Some((day.format("%Y-%m-%d").to_string(), message)))
}
