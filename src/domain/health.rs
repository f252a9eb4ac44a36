//! Whether Baton keeps up (SPEC §4 `/healthz`): the figures of each part, read elsewhere,
//! judged against the `[health]` thresholds. Pure: `/healthz`, `/metrics` and
//! `baton status` all show what [`assess`] returns.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The `[health]` thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// The watcher is behind when its oldest unprocessed event is older than this; the
    /// SLA loop is behind when a timer is overdue by more than this.
    pub watcher_lag: Duration,
    /// A platform is behind when a message has been due for longer than this.
    pub outbox_lag: Duration,
}

/// What was measured, at `now`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub now: DateTime<Utc>,
    /// The database answered the reads below.
    pub database: bool,
    pub events_behind: i64,
    /// Age of the oldest event the watcher has not processed (0 when none).
    pub oldest_unprocessed: Duration,
    /// Per enabled platform: messages due now, and how long the oldest has been due.
    pub outbox: Vec<(String, i64, Duration)>,
    /// When the SLA loop last woke up, if it has in this process.
    pub sla_last_wake: Option<DateTime<Utc>>,
    /// How long the earliest pending SLA timer has been due (0 when none is).
    pub sla_overdue: Duration,
    pub quarantined: i64,
    /// The oldest parked events (id, error), at most a few.
    pub quarantined_first: Vec<(i64, String)>,
}

/// The verdict: `healthy` decides 200 or 503; every part says whether it keeps up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// `ok`, `degraded` (every loop keeps up but events wait in quarantine for a person)
    /// or `failing` (a loop or the database does not keep up: 503).
    pub status: String,
    /// True when every loop keeps up: `/healthz` answers 200.
    pub healthy: bool,
    pub database: DatabasePart,
    pub watcher: WatcherPart,
    pub outbox: OutboxPart,
    pub sla: SlaPart,
    pub quarantine: QuarantinePart,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabasePart {
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatcherPart {
    pub ok: bool,
    pub events_behind: i64,
    pub oldest_unprocessed_age_s: f64,
    pub threshold_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxPart {
    pub ok: bool,
    pub threshold_s: f64,
    pub platforms: Vec<PlatformPart>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformPart {
    pub platform: String,
    pub ok: bool,
    pub due: i64,
    pub oldest_due_age_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaPart {
    pub ok: bool,
    pub last_wake: Option<String>,
    pub last_wake_age_s: Option<f64>,
    pub overdue_timer_age_s: f64,
    pub threshold_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarantinePart {
    pub ok: bool,
    pub events: i64,
    pub oldest: Vec<QuarantinedEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarantinedEvent {
    pub event_id: i64,
    pub error: String,
}

fn seconds(d: Duration) -> f64 {
    d.num_milliseconds().max(0) as f64 / 1000.0
}

/// Judges `figures` against `thresholds`. Without a database nothing else can be known,
/// so every part is reported as not keeping up.
pub fn assess(figures: &Figures, thresholds: &Thresholds) -> Health {
    let db = figures.database;
    let watcher_ok = db && figures.oldest_unprocessed <= thresholds.watcher_lag;
    let platforms: Vec<PlatformPart> = figures
        .outbox
        .iter()
        .map(|(platform, due, oldest)| PlatformPart {
            platform: platform.clone(),
            ok: db && *oldest <= thresholds.outbox_lag,
            due: *due,
            oldest_due_age_s: seconds(*oldest),
        })
        .collect();
    let outbox_ok = db && platforms.iter().all(|p| p.ok);
    let sla_ok = db && figures.sla_overdue <= thresholds.watcher_lag;
    let quarantine_ok = db && figures.quarantined == 0;
    let healthy = db && watcher_ok && outbox_ok && sla_ok;
    Health {
        status: match (healthy, quarantine_ok) {
            (false, _) => "failing",
            (true, false) => "degraded",
            (true, true) => "ok",
        }
        .to_string(),
        healthy,
        database: DatabasePart { ok: db },
        watcher: WatcherPart {
            ok: watcher_ok,
            events_behind: figures.events_behind,
            oldest_unprocessed_age_s: seconds(figures.oldest_unprocessed),
            threshold_s: seconds(thresholds.watcher_lag),
        },
        outbox: OutboxPart {
            ok: outbox_ok,
            threshold_s: seconds(thresholds.outbox_lag),
            platforms,
        },
        sla: SlaPart {
            ok: sla_ok,
            last_wake: figures
                .sla_last_wake
                .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            last_wake_age_s: figures.sla_last_wake.map(|at| seconds(figures.now - at)),
            overdue_timer_age_s: seconds(figures.sla_overdue),
            threshold_s: seconds(thresholds.watcher_lag),
        },
        quarantine: QuarantinePart {
            ok: quarantine_ok,
            events: figures.quarantined,
            oldest: figures
                .quarantined_first
                .iter()
                .map(|(id, error)| QuarantinedEvent {
                    event_id: *id,
                    error: error.clone(),
                })
                .collect(),
        },
    }
}

/// The age of the oldest unprocessed event. `since_caught_up` (the time since the watcher
/// last knew it had processed everything; unknown outside the running process) bounds it
/// from above; the event's own stamp lowers it when it is later, but cannot raise it: a
/// writer may backdate `stage_changed_at`. A stamp in the future (another machine's clock
/// runs ahead) is ignored.
pub fn watcher_lag(
    events_behind: i64,
    since_caught_up: Option<Duration>,
    since_event: Option<Duration>,
) -> Duration {
    if events_behind == 0 {
        return Duration::zero();
    }
    let since_event = since_event.filter(|age| *age >= Duration::zero());
    match (since_caught_up, since_event) {
        (Some(caught_up), Some(event)) => caught_up.min(event),
        (Some(caught_up), None) => caught_up,
        (None, Some(event)) => event,
        (None, None) => Duration::zero(),
    }
    .max(Duration::zero())
}

/// `health` for a person (`baton status`): one line per part.
pub fn render_text(health: &Health) -> String {
    fn verdict(ok: bool) -> &'static str {
        if ok { "ok     " } else { "BEHIND " }
    }
    fn span(seconds: f64) -> String {
        crate::domain::duration::Span::from_millis((seconds * 1000.0).round() as i64).to_string()
    }
    let mut lines = vec![format!(
        "status: {}{}",
        health.status,
        if health.healthy {
            ""
        } else {
            " (/healthz answers 503)"
        }
    )];
    lines.push(format!(
        "  database    {}",
        if health.database.ok {
            "ok"
        } else {
            "DOES NOT ANSWER"
        }
    ));
    let w = &health.watcher;
    lines.push(format!(
        "  watcher     {}{} events behind, oldest waiting {} (limit {})",
        verdict(w.ok),
        w.events_behind,
        span(w.oldest_unprocessed_age_s),
        span(w.threshold_s)
    ));
    if health.outbox.platforms.is_empty() {
        lines.push(format!(
            "  outbox      {}no platform enabled",
            verdict(health.outbox.ok)
        ));
    }
    for p in &health.outbox.platforms {
        lines.push(format!(
            "  outbox      {}{}: {} due, oldest waiting {} (limit {})",
            verdict(p.ok),
            p.platform,
            p.due,
            span(p.oldest_due_age_s),
            span(health.outbox.threshold_s)
        ));
    }
    let sla = &health.sla;
    lines.push(format!(
        "  SLA loop    {}last woke {}; earliest timer overdue by {} (limit {})",
        verdict(sla.ok),
        match sla.last_wake_age_s {
            Some(age) => format!("{} ago", span(age)),
            None => "never in this process".to_string(),
        },
        span(sla.overdue_timer_age_s),
        span(sla.threshold_s)
    ));
    let q = &health.quarantine;
    if q.events == 0 {
        lines.push("  quarantine  ok     no events set aside".to_string());
    } else {
        lines.push(format!(
            "  quarantine  ATTENTION {} events set aside (baton events quarantined):",
            q.events
        ));
        for e in &q.oldest {
            lines.push(format!("                event {}: {}", e.event_id, e.error));
        }
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thresholds() -> Thresholds {
        Thresholds {
            watcher_lag: Duration::seconds(30),
            outbox_lag: Duration::minutes(5),
        }
    }

    fn healthy_figures() -> Figures {
        Figures {
            database: true,
            outbox: vec![("console".into(), 0, Duration::zero())],
            ..Figures::default()
        }
    }

    #[test]
    fn each_part_is_judged_against_its_threshold() {
        let t = thresholds();
        let check = |change: &dyn Fn(&mut Figures), status: &str| {
            let mut f = healthy_figures();
            change(&mut f);
            let h = assess(&f, &t);
            assert_eq!(h.status, status, "{h:?}");
            assert_eq!(h.healthy, status != "failing");
            h
        };
        check(&|_| {}, "ok");
        check(&|f| f.oldest_unprocessed = Duration::seconds(30), "ok");
        let h = check(&|f| f.oldest_unprocessed = Duration::seconds(31), "failing");
        assert!(!h.watcher.ok && h.outbox.ok && h.sla.ok);
        let h = check(&|f| f.outbox[0].2 = Duration::minutes(6), "failing");
        assert!(!h.outbox.platforms[0].ok && h.watcher.ok);
        check(&|f| f.sla_overdue = Duration::seconds(45), "failing");
        let h = check(
            &|f| {
                f.quarantined = 1;
                f.quarantined_first = vec![(7, "lead 7 does not exist".into())];
            },
            "degraded",
        );
        assert_eq!(h.quarantine.oldest[0].event_id, 7);
        assert!(
            render_text(&h).contains("event 7: lead 7 does not exist"),
            "{}",
            render_text(&h)
        );
        let h = check(&|f| f.database = false, "failing");
        assert!(!h.database.ok && !h.watcher.ok);
    }

    #[test]
    fn the_watcher_lag_is_bounded_by_the_time_since_it_caught_up() {
        let s = Duration::seconds;
        assert_eq!(watcher_lag(0, Some(s(100)), Some(s(100))), s(0));
        assert_eq!(watcher_lag(3, Some(s(40)), Some(s(5))), s(5));
        // A backdated stage change does not make the watcher look late.
        assert_eq!(watcher_lag(3, Some(s(2)), Some(s(86_400))), s(2));
        // A stamp from a clock that runs ahead is ignored.
        assert_eq!(watcher_lag(3, Some(s(40)), Some(s(-600))), s(40));
        assert_eq!(watcher_lag(1, Some(s(40)), None), s(40));
        // Outside the running process only the stamp is known.
        assert_eq!(watcher_lag(1, None, Some(s(7))), s(7));
        assert_eq!(watcher_lag(1, None, None), s(0));
    }
}
