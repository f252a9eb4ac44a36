//! The SLA tables: deadlines on `handoffs`, `sla_timers` (reminders and breaches to fire)
//! and `sla_breaches`. The clock loop reads only the earliest pending timer, through an
//! index, so its cost does not grow with the number of open handoffs.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};

use crate::domain::sla::{ClockKind, Plan, TimerKind};
use crate::store::{parse_ts, ts};

/// Stores a handoff's policy and deadlines.
pub async fn set_deadlines(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    policy: &str,
    calendar: Option<&str>,
    start: &str,
    plan: &Plan,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE handoffs SET sla_policy = ?, sla_calendar = ?, sla_start = ?, ack_due_at = ?, first_touch_due_at = ?,
                disposition_due_at = ?
         WHERE id = ?",
    )
    .bind(policy)
    .bind(calendar)
    .bind(start)
    .bind(ts(plan.deadline(ClockKind::Ack)))
    .bind(ts(plan.deadline(ClockKind::FirstTouch)))
    .bind(ts(plan.deadline(ClockKind::Disposition)))
    .bind(handoff_id)
    .execute(conn)
    .await
    .context("cannot store the SLA deadlines")?;
    Ok(())
}

/// Arms the plan's timers under the handoff's current fence, in one statement.
pub async fn arm(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    fence: i64,
    plan: &Plan,
) -> anyhow::Result<()> {
    arm_many(conn, &[(handoff_id, fence, plan)]).await
}

/// Columns per timer row written by [`arm_many`].
const TIMER_COLUMNS: usize = 6;

/// Arms the timers of several handoffs, each `(handoff, fence, plan)`, in as few
/// statements as SQLite's limit on bound values allows.
pub async fn arm_many(
    conn: &mut SqliteConnection,
    plans: &[(i64, i64, &Plan)],
) -> anyhow::Result<()> {
    let timers: Vec<(i64, i64, &crate::domain::sla::Timer)> = plans
        .iter()
        .flat_map(|(id, fence, plan)| plan.timers.iter().map(move |t| (*id, *fence, t)))
        .collect();
    for chunk in timers.chunks(super::MAX_BOUND / TIMER_COLUMNS) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO sla_timers (handoff_id, clock, kind, fraction, due_at, fence) ",
        );
        insert.push_values(chunk, |mut row, (handoff_id, fence, timer)| {
            let (kind, fraction) = match timer.kind {
                TimerKind::Remind(f) => ("remind", f),
                TimerKind::Breach => ("breach", 1.0),
            };
            row.push_bind(*handoff_id)
                .push_bind(timer.clock.as_str())
                .push_bind(kind)
                .push_bind(fraction)
                .push_bind(ts(timer.due_at))
                .push_bind(*fence);
        });
        insert
            .build()
            .execute(&mut *conn)
            .await
            .context("cannot arm the SLA timers")?;
    }
    Ok(())
}

/// Drops the pending timers of some clocks of a handoff (they stopped).
pub async fn disarm(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    clocks: &[ClockKind],
) -> anyhow::Result<()> {
    for clock in clocks {
        sqlx::query("UPDATE sla_timers SET status = 'dropped' WHERE handoff_id = ? AND clock = ? AND status = 'pending'")
            .bind(handoff_id)
            .bind(clock.as_str())
            .execute(&mut *conn)
            .await
            .context("cannot drop SLA timers")?;
    }
    Ok(())
}

/// Stores how long a clock ran.
pub async fn set_elapsed(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    clock: ClockKind,
    wall_s: f64,
    business_s: f64,
) -> anyhow::Result<()> {
    let sql = match clock {
        ClockKind::Ack => {
            "UPDATE handoffs SET ack_s = ?, ack_business_s = ? WHERE id = ? AND ack_s IS NULL"
        }
        ClockKind::FirstTouch => {
            "UPDATE handoffs SET first_touch_s = ?, first_touch_business_s = ? WHERE id = ? AND first_touch_s IS NULL"
        }
        ClockKind::Disposition => {
            "UPDATE handoffs SET disposition_s = ?, disposition_business_s = ? WHERE id = ? AND disposition_s IS NULL"
        }
    };
    sqlx::query(sql)
        .bind(wall_s)
        .bind(business_s)
        .bind(handoff_id)
        .execute(conn)
        .await
        .context("cannot store a clock's duration")?;
    Ok(())
}

/// A pending timer, typed: an unknown clock or kind, or an unreadable time, is an error.
#[derive(Debug, Clone, PartialEq)]
pub struct TimerRow {
    pub id: i64,
    pub handoff_id: i64,
    pub clock: ClockKind,
    pub kind: TimerKind,
    pub due_at: DateTime<Utc>,
    pub fence: i64,
}

#[derive(FromRow)]
struct RawTimer {
    id: i64,
    handoff_id: i64,
    clock: String,
    kind: String,
    fraction: f64,
    due_at: String,
    fence: i64,
}

fn decode_timer(r: RawTimer) -> anyhow::Result<TimerRow> {
    let id = r.id;
    let kind = match r.kind.as_str() {
        "remind" => TimerKind::Remind(r.fraction),
        "breach" => TimerKind::Breach,
        other => anyhow::bail!("sla_timers.kind of timer {id}: unknown kind \"{other}\""),
    };
    Ok(TimerRow {
        id,
        handoff_id: r.handoff_id,
        clock: r
            .clock
            .parse()
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("sla_timers.clock of timer {id}"))?,
        kind,
        due_at: parse_ts(&r.due_at).with_context(|| format!("sla_timers.due_at of timer {id}"))?,
        fence: r.fence,
    })
}

/// The earliest pending timer's due time.
pub async fn next_due(conn: &mut SqliteConnection) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<String> = sqlx::query_scalar(
        "SELECT due_at FROM sla_timers WHERE status = 'pending' ORDER BY due_at, id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await
    .context("cannot read SLA timers")?;
    at.map(|t| parse_ts(&t).context("sla_timers.due_at"))
        .transpose()
}

/// Pending timers due at or before `now`, earliest first.
pub async fn due(
    conn: &mut SqliteConnection,
    now: &str,
    limit: i64,
) -> anyhow::Result<Vec<TimerRow>> {
    let rows: Vec<RawTimer> = sqlx::query_as(
        "SELECT id, handoff_id, clock, kind, fraction, due_at, fence FROM sla_timers
         WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("cannot read SLA timers")?;
    rows.into_iter().map(decode_timer).collect()
}

pub async fn finish_timer(conn: &mut SqliteConnection, id: i64, fired: bool) -> anyhow::Result<()> {
    sqlx::query("UPDATE sla_timers SET status = ? WHERE id = ?")
        .bind(if fired { "fired" } else { "dropped" })
        .bind(id)
        .execute(conn)
        .await
        .context("cannot settle an SLA timer")?;
    Ok(())
}

/// Records a breach at its true time; false when it was already recorded. `holder_id` is
/// the `handoff_holders` row of a fresh window, 0 for the handoff's own window.
pub async fn record_breach(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    clock: ClockKind,
    assignee: Option<&str>,
    due_at: &str,
    now: &str,
    holder_id: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO sla_breaches (handoff_id, clock, assignee, due_at, recorded_at, holder_id)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (handoff_id, clock, holder_id) DO NOTHING",
    )
    .bind(handoff_id)
    .bind(clock.as_str())
    .bind(assignee)
    .bind(due_at)
    .bind(now)
    .bind(holder_id)
    .execute(conn)
    .await
    .context("cannot record a breach")?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the breach of a clock that turned out to be met: the event that stopped it
/// in time reached Baton after the deadline had passed (e.g. a history being loaded).
/// `holder_id` as for [`record_breach`].
pub async fn forget_breach(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    clock: ClockKind,
    holder_id: i64,
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM sla_breaches WHERE handoff_id = ? AND clock = ? AND holder_id = ?")
        .bind(handoff_id)
        .bind(clock.as_str())
        .bind(holder_id)
        .execute(conn)
        .await
        .context("cannot correct a breach")?;
    Ok(())
}

/// Who held the handoff at `at` (RFC 3339 UTC text): the latest holder since then, else
/// its assignee (a handoff never reassigned has no holder rows).
pub async fn holder_at(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    at: &str,
) -> anyhow::Result<Option<String>> {
    let holder: Option<Option<String>> = sqlx::query_scalar(
        "SELECT COALESCE((SELECT x.assignee FROM handoff_holders x
                          WHERE x.handoff_id = h.id AND x.since <= ?2
                          ORDER BY x.since DESC, x.id DESC LIMIT 1), h.assignee)
         FROM handoffs h WHERE h.id = ?1",
    )
    .bind(handoff_id)
    .bind(at)
    .fetch_optional(conn)
    .await
    .context("cannot find who held the handoff")?;
    Ok(holder.flatten())
}

/// Hands a handoff to someone else at `at` and bumps its fence; returns the new fence.
/// The change of holder is kept in `handoff_holders` (with the first holder, from the
/// MQL time, on the first reassignment), so clocks are credited to whoever held them.
pub async fn reassign(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    to: &str,
    team: Option<&str>,
    from: Option<&str>,
    at: &str,
) -> anyhow::Result<i64> {
    sqlx::query(
        "INSERT INTO handoff_holders (handoff_id, since, assignee, team)
         SELECT id, mql_at, assignee, team FROM handoffs
         WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM handoff_holders WHERE handoff_id = ?1)",
    )
    .bind(handoff_id)
    .execute(&mut *conn)
    .await
    .context("cannot keep the handoff's first holder")?;
    sqlx::query(
        "INSERT INTO handoff_holders (handoff_id, since, assignee, team)
         SELECT id, ?2, ?3, COALESCE(?4, team) FROM handoffs WHERE id = ?1",
    )
    .bind(handoff_id)
    .bind(at)
    .bind(to)
    .bind(team)
    .execute(&mut *conn)
    .await
    .context("cannot keep the handoff's new holder")?;
    sqlx::query_scalar(
        "UPDATE handoffs SET assignee = ?1, team = COALESCE(?2, team), fence = fence + 1,
                previous_assignees = CASE WHEN ?3 IS NULL THEN previous_assignees
                                          WHEN previous_assignees IS NULL THEN ?3
                                          ELSE previous_assignees || ',' || ?3 END
         WHERE id = ?4 RETURNING fence",
    )
    .bind(to)
    .bind(team)
    .bind(from)
    .bind(handoff_id)
    .fetch_one(&mut *conn)
    .await
    .context("cannot reassign the handoff")
}

/// A holder's own ack and first-touch windows, from a reassignment with
/// `on_reassign = "fresh"` (SPEC §7: they count for that holder alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreshWindow {
    /// The `handoff_holders` row.
    pub id: i64,
    pub assignee: Option<String>,
    pub window_start: DateTime<Utc>,
    pub ack_due_at: Option<DateTime<Utc>>,
    pub first_touch_due_at: Option<DateTime<Utc>>,
}

impl FreshWindow {
    /// The holder's deadline of `clock`, when their window restarted it.
    pub fn due_at(&self, clock: ClockKind) -> Option<DateTime<Utc>> {
        match clock {
            ClockKind::Ack => self.ack_due_at,
            ClockKind::FirstTouch => self.first_touch_due_at,
            ClockKind::Disposition => None,
        }
    }
}

/// Gives the current holder of the handoff (its latest `handoff_holders` row, written by
/// [`reassign`]) fresh windows from `start`.
pub async fn set_fresh_window(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    start: &str,
    ack_due_at: Option<&str>,
    first_touch_due_at: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE handoff_holders SET window_start = ?2, ack_due_at = ?3, first_touch_due_at = ?4
         WHERE id = (SELECT MAX(id) FROM handoff_holders WHERE handoff_id = ?1)",
    )
    .bind(handoff_id)
    .bind(start)
    .bind(ack_due_at)
    .bind(first_touch_due_at)
    .execute(conn)
    .await
    .context("cannot store the new holder's SLA window")?;
    Ok(())
}

/// The fresh window of the handoff's current holder, if they got one.
pub async fn current_window(
    conn: &mut SqliteConnection,
    handoff_id: i64,
) -> anyhow::Result<Option<FreshWindow>> {
    type Row = (i64, Option<String>, String, Option<String>, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, assignee, window_start, ack_due_at, first_touch_due_at FROM handoff_holders
         WHERE id = (SELECT MAX(id) FROM handoff_holders WHERE handoff_id = ?)
           AND window_start IS NOT NULL",
    )
    .bind(handoff_id)
    .fetch_optional(conn)
    .await
    .context("cannot read the holder's SLA window")?;
    let Some((id, assignee, start, ack, first_touch)) = row else {
        return Ok(None);
    };
    let time = |column: &str, text: &str| {
        parse_ts(text).with_context(|| format!("handoff_holders.{column} of row {id}"))
    };
    Ok(Some(FreshWindow {
        id,
        assignee,
        window_start: time("window_start", &start)?,
        ack_due_at: ack.map(|t| time("ack_due_at", &t)).transpose()?,
        first_touch_due_at: first_touch
            .map(|t| time("first_touch_due_at", &t))
            .transpose()?,
    }))
}

/// The first clock of the handoff whose breach is recorded for `assignee`, if any.
pub async fn breached_by(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    assignee: &str,
) -> anyhow::Result<Option<ClockKind>> {
    let clock: Option<String> = sqlx::query_scalar(
        "SELECT clock FROM sla_breaches WHERE handoff_id = ? AND assignee = ? ORDER BY id LIMIT 1",
    )
    .bind(handoff_id)
    .bind(assignee)
    .fetch_optional(&mut *conn)
    .await
    .context("cannot read the breaches")?;
    clock
        .map(|c| c.parse().map_err(anyhow::Error::msg))
        .transpose()
}

/// Stores how long `clock` ran in the holder's own window (`handoff_holders` row `id`).
pub async fn set_window_elapsed(
    conn: &mut SqliteConnection,
    id: i64,
    clock: ClockKind,
    wall_s: f64,
    business_s: f64,
) -> anyhow::Result<()> {
    let sql = match clock {
        ClockKind::Ack => {
            "UPDATE handoff_holders SET ack_s = ?, ack_business_s = ? WHERE id = ? AND ack_s IS NULL"
        }
        ClockKind::FirstTouch => {
            "UPDATE handoff_holders SET first_touch_s = ?, first_touch_business_s = ?
             WHERE id = ? AND first_touch_s IS NULL"
        }
        ClockKind::Disposition => return Ok(()),
    };
    sqlx::query(sql)
        .bind(wall_s)
        .bind(business_s)
        .bind(id)
        .execute(conn)
        .await
        .context("cannot store a clock's duration in the holder's window")?;
    Ok(())
}
