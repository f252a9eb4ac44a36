//! The long-running parts of Baton: the watcher that turns stage changes into handoffs,
//! the dispatcher that empties the outbox, and the command executor. They share a
//! [`Ctx`]: the database, the checked config, the clock and the enabled platforms.

pub mod actions;
pub mod availability;
pub mod clocks;
pub mod dispatcher;
pub mod duplicates;
pub mod health;
pub mod intake;
pub mod links;
pub mod platform;
pub mod routing;
pub mod scheduler;
pub mod scoring;
pub mod sla;
pub mod snooze;
pub mod stats;
pub mod watcher;

use std::sync::Arc;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::Config;
use crate::engine::platform::Platform;
use crate::i18n::Locale;
use crate::message::{Kind, Message};
use crate::store::Db;
use crate::store::outbox::{self, NewMessage};

/// What every loop needs.
#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub platforms: Vec<Arc<dyn Platform>>,
    /// Wakes the dispatchers after a commit that wrote outbox rows.
    pub outbox_ready: Arc<Notify>,
    /// Wakes the watcher at once (e.g. after Baton itself wrote leads).
    pub leads_changed: Arc<Notify>,
    /// Wakes the SLA clock after a commit that armed timers.
    pub timers_changed: Arc<Notify>,
    pub shutdown: CancellationToken,
    /// Set while the intake turns a batch of stage changes into handoffs: the dispatchers
    /// hold off meanwhile, so a burst is not slowed by thousands of tiny send transactions.
    pub intake_running: Arc<std::sync::atomic::AtomicBool>,
    /// How long the dispatcher waits for one send before counting it as failed.
    pub send_timeout: std::time::Duration,
    pub stats: stats::Stats,
    /// What each loop last did, for `/healthz`.
    pub progress: Arc<health::Progress>,
}

impl Ctx {
    pub fn new(
        db: Db,
        config: Arc<Config>,
        clock: Clock,
        platforms: Vec<Arc<dyn Platform>>,
    ) -> Ctx {
        Ctx {
            db,
            config,
            clock,
            platforms,
            outbox_ready: Arc::new(Notify::new()),
            leads_changed: Arc::new(Notify::new()),
            timers_changed: Arc::new(Notify::new()),
            shutdown: CancellationToken::new(),
            stats: stats::Stats::default(),
            progress: Arc::new(health::Progress::default()),
            send_timeout: std::time::Duration::from_secs(20),
            intake_running: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }
    }

    /// Where an alert for `assignee` in `team` goes: the assignee directly and the team's
    /// channel, on every enabled platform.
    pub fn alert_targets(
        &self,
        assignee: Option<&str>,
        team: Option<&str>,
    ) -> Vec<(String, String)> {
        let team = team.and_then(|t| self.config.directory.team(t));
        let mut targets = Vec::new();
        for platform in &self.platforms {
            let channel = team.and_then(|t| platform.team_channel(t));
            for recipient in assignee.map(str::to_string).into_iter().chain(channel) {
                targets.push((platform.name().to_string(), recipient));
            }
        }
        targets
    }

    /// The language `recipient` reads (SPEC §2): a person's own, else their team's, else
    /// `[reporting] locale`; a channel the language of the team whose channel it is, else
    /// of `team` (the handoff's), else the reporting one.
    pub fn locale_of(&self, recipient: &str, team: Option<&str>) -> Locale {
        let dir = &self.config.directory;
        let fallback = self.config.reporting_locale;
        if dir.person(recipient).is_some() {
            return dir.locale_of_person(recipient, fallback);
        }
        let owner = dir.teams.iter().find(|t| {
            self.platforms
                .iter()
                .any(|p| p.team_channel(t).as_deref() == Some(recipient))
        });
        owner
            .or_else(|| team.and_then(|t| dir.team(t)))
            .and_then(|t| t.locale)
            .unwrap_or(fallback)
    }

    /// Where a reply to `person` goes: to them on every enabled platform.
    pub fn person_targets(&self, person: &str) -> Vec<(String, String)> {
        self.platforms
            .iter()
            .map(|p| (p.name().to_string(), person.to_string()))
            .collect()
    }
}

/// Queues a reply to `targets` in a transaction of its own and wakes the dispatchers.
pub async fn queue_reply(
    ctx: &Ctx,
    targets: &[(String, String)],
    message: &Message,
) -> anyhow::Result<()> {
    let mut tx = ctx.db.begin().await?;
    let now = crate::store::ts(ctx.clock.now());
    enqueue_all(&mut tx, targets, Kind::Reply, None, message, None, &now).await?;
    tx.commit().await?;
    ctx.outbox_ready.notify_waiters();
    Ok(())
}

/// Takes the chart out of a command's reply and queues it as a message of its own to
/// `person` on `platform`: Slack's and Discord's command answers cannot carry a file. The
/// reply says so.
pub async fn send_chart_apart(
    ctx: &Ctx,
    platform: &str,
    person: &str,
    reply: &mut Message,
) -> anyhow::Result<()> {
    let Some(chart) = reply.chart.take() else {
        return Ok(());
    };
    let message = Message::new(chart.title.clone()).chart(chart);
    queue_reply(ctx, &[(platform.to_string(), person.to_string())], &message).await?;
    let note = if person.contains('@') {
        "The chart follows in a direct message."
    } else {
        "The chart follows in the channel."
    };
    reply.text = Some(match reply.text.take() {
        Some(text) => format!("{text}\n{note}"),
        None => note.to_string(),
    });
    Ok(())
}

/// Enqueues to each target the message `compose` writes in that target's language
/// ([`Ctx::locale_of`], with `team` the handoff's), composing once per language, in the
/// caller's transaction; returns how many rows were new.
#[allow(clippy::too_many_arguments)]
pub async fn enqueue_localized(
    ctx: &Ctx,
    conn: &mut sqlx::SqliteConnection,
    targets: &[(String, String)],
    team: Option<&str>,
    kind: Kind,
    handoff_id: Option<i64>,
    compose: impl Fn(Locale) -> Message,
    dedupe: Option<&str>,
    now: &str,
) -> anyhow::Result<usize> {
    let rows = localized(ctx, targets, team, kind, handoff_id, compose, dedupe, now)?;
    outbox::enqueue_many(conn, &rows).await
}

/// The outbox rows of [`enqueue_localized`], to be written now or with others.
#[allow(clippy::too_many_arguments)]
pub fn localized(
    ctx: &Ctx,
    targets: &[(String, String)],
    team: Option<&str>,
    kind: Kind,
    handoff_id: Option<i64>,
    compose: impl Fn(Locale) -> Message,
    dedupe: Option<&str>,
    now: &str,
) -> anyhow::Result<Vec<outbox::Queued>> {
    let mut composed: Vec<(Locale, Message)> = Vec::new();
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let locale = ctx.locale_of(&target.1, team);
        let index = match composed.iter().position(|(l, _)| *l == locale) {
            Some(i) => i,
            None => {
                composed.push((locale, compose(locale)));
                composed.len() - 1
            }
        };
        rows.extend(queued(
            std::slice::from_ref(target),
            kind,
            handoff_id,
            &composed[index].1,
            dedupe,
            now,
        )?);
    }
    Ok(rows)
}

/// Enqueues `message` to each target, in the caller's transaction; returns how many rows
/// were new (a row whose dedupe key exists already is left as it is).
pub async fn enqueue_all(
    conn: &mut sqlx::SqliteConnection,
    targets: &[(String, String)],
    kind: Kind,
    handoff_id: Option<i64>,
    message: &Message,
    dedupe: Option<&str>,
    now: &str,
) -> anyhow::Result<usize> {
    let rows = queued(targets, kind, handoff_id, message, dedupe, now)?;
    outbox::enqueue_many(conn, &rows).await
}

/// `message` as one outbox row per target; the dedupe key, when given, is per target.
fn queued(
    targets: &[(String, String)],
    kind: Kind,
    handoff_id: Option<i64>,
    message: &Message,
    dedupe: Option<&str>,
    now: &str,
) -> anyhow::Result<Vec<outbox::Queued>> {
    targets
        .iter()
        .map(|(platform, recipient)| {
            outbox::Queued::new(
                &NewMessage {
                    dedupe_key: dedupe.map(|d| format!("{d}:{platform}:{recipient}")),
                    platform,
                    recipient,
                    kind,
                    lead_id: message.lead_id,
                    handoff_id,
                    message,
                },
                now,
            )
        })
        .collect()
}
