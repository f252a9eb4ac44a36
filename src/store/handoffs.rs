//! `handoffs` (one per entry of a lead into `mql`) and `handoff_log`, their history.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};

use crate::domain::handoff::{Handoff, LogEntry, Opening, RejectReason, Status};
use crate::domain::sla::ClockKind;
use crate::store::{accounts, outbox, parse_ts, sla as store_sla, ts};

/// A `handoffs` row as SQLite holds it; [`decode`] turns it into a typed [`Handoff`].
#[derive(FromRow)]
struct Row {
    id: i64,
    lead_id: i64,
    event_id: i64,
    assignee: Option<String>,
    team: Option<String>,
    why: String,
    route_reason: String,
    mql_at: String,
    opened_at: String,
    silent: bool,
    #[sqlx(try_from = "String")]
    status: Status,
    acked_at: Option<String>,
    acked_by: Option<String>,
    contacted_at: Option<String>,
    decided_at: Option<String>,
    decided_by: Option<String>,
    reject_reason: Option<String>,
    rating: Option<i64>,
    note: Option<String>,
    sla_policy: Option<String>,
    sla_calendar: Option<String>,
    sla_start: Option<String>,
    ack_due_at: Option<String>,
    first_touch_due_at: Option<String>,
    disposition_due_at: Option<String>,
    fence: i64,
    previous_assignees: Option<String>,
    breach_reassigns: i64,
}

/// Reads a row into a [`Handoff`]; a time or a reason it cannot read is an error that
/// names the handoff and the column, never a default.
fn decode(r: Row) -> anyhow::Result<Handoff> {
    let id = r.id;
    let time = |column: &str, text: &str| {
        parse_ts(text).with_context(|| format!("handoffs.{column} of handoff {id}"))
    };
    let opt = |column: &str, text: Option<String>| text.map(|t| time(column, &t)).transpose();
    let reject_reason = match r.reject_reason {
        Some(text) => Some(RejectReason::parse(&text).with_context(|| {
            format!("handoffs.reject_reason of handoff {id}: unknown reason \"{text}\"")
        })?),
        None => None,
    };
    Ok(Handoff {
        id,
        lead_id: r.lead_id,
        event_id: r.event_id,
        assignee: r.assignee,
        team: r.team,
        why: r.why,
        route_reason: r.route_reason,
        mql_at: time("mql_at", &r.mql_at)?,
        opened_at: time("opened_at", &r.opened_at)?,
        silent: r.silent,
        status: r.status,
        acked_at: opt("acked_at", r.acked_at)?,
        acked_by: r.acked_by,
        contacted_at: opt("contacted_at", r.contacted_at)?,
        decided_at: opt("decided_at", r.decided_at)?,
        decided_by: r.decided_by,
        reject_reason,
        rating: r.rating,
        note: r.note,
        sla_policy: r.sla_policy,
        sla_calendar: r.sla_calendar,
        sla_start: opt("sla_start", r.sla_start)?,
        ack_due_at: opt("ack_due_at", r.ack_due_at)?,
        first_touch_due_at: opt("first_touch_due_at", r.first_touch_due_at)?,
        disposition_due_at: opt("disposition_due_at", r.disposition_due_at)?,
        fence: r.fence,
        previous_assignees: r
            .previous_assignees
            .map(|list| list.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        breach_reassigns: r.breach_reassigns,
    })
}

fn decode_all(rows: Vec<Row>) -> anyhow::Result<Vec<Handoff>> {
    rows.into_iter().map(decode).collect()
}

const COLUMNS: &str = "id, lead_id, event_id, assignee, team, why, route_reason, mql_at, opened_at, silent, status,
    acked_at, acked_by, contacted_at, decided_at, decided_by, reject_reason, rating, note,
    sla_policy, sla_calendar, sla_start, ack_due_at, first_touch_due_at, disposition_due_at, fence, previous_assignees, breach_reassigns";

/// Handoffs opened in one intake pass and the messages they queue, written together: a
/// few multi-row inserts for the whole pass instead of several statements per handoff.
/// Ids are given here, one above the highest, inside the pass's write transaction
/// (`BEGIN IMMEDIATE`: nobody else inserts meanwhile), so rows that refer to a handoff can
/// be built before it is written.
#[derive(Debug)]
pub struct Openings {
    next_id: i64,
    opened: Vec<(i64, Opening)>,
    messages: Vec<outbox::Queued>,
}

/// Columns per handoff row written by [`Openings::write`].
const OPENING_COLUMNS: usize = 16;

impl Openings {
    /// An empty set of openings whose first id follows the highest in `handoffs`.
    pub async fn start(conn: &mut SqliteConnection) -> anyhow::Result<Openings> {
        let highest: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM handoffs")
            .fetch_one(&mut *conn)
            .await
            .context("cannot read the highest handoff id")?;
        Ok(Openings {
            next_id: highest + 1,
            opened: Vec::new(),
            messages: Vec::new(),
        })
    }

    /// The id the next handoff added will have.
    pub fn next_id(&self) -> i64 {
        self.next_id
    }

    /// Adds a handoff; returns the id it will have.
    pub fn open(&mut self, opening: Opening) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.opened.push((id, opening));
        id
    }

    /// Adds messages, written after the handoffs they refer to.
    pub fn enqueue(&mut self, rows: impl IntoIterator<Item = outbox::Queued>) {
        self.messages.extend(rows);
    }

    /// The handoffs added so far, with their ids, in the order added.
    pub fn opened(&self) -> &[(i64, Opening)] {
        &self.opened
    }

    /// Writes every handoff held, its timers, routing decision and log, then the messages,
    /// in the caller's transaction.
    pub async fn write(self, conn: &mut SqliteConnection) -> anyhow::Result<()> {
        self.write_records(conn).await?;
        outbox::enqueue_many(conn, &self.messages).await?;
        Ok(())
    }

    /// Writes every handoff held, its timers, routing decision and log, but not the
    /// messages: a caller may compose those meanwhile and enqueue them after.
    pub async fn write_records(&self, conn: &mut SqliteConnection) -> anyhow::Result<()> {
        let opened_at: Vec<String> = self.opened.iter().map(|(_, o)| ts(o.opened_at)).collect();
        let rows: Vec<(i64, &Opening, &str)> = self
            .opened
            .iter()
            .zip(&opened_at)
            .map(|((id, o), at)| (*id, o, at.as_str()))
            .collect();
        for chunk in rows.chunks(super::MAX_BOUND / OPENING_COLUMNS) {
            let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO handoffs (id, lead_id, event_id, assignee, team, why, route_reason, mql_at, opened_at, silent,
                                       sla_policy, sla_calendar, sla_start, ack_due_at, first_touch_due_at, disposition_due_at) ",
            );
            insert.push_values(chunk, |mut row, (id, o, opened_at)| {
                let clocks = o.clocks.as_ref();
                let due = |k: ClockKind| clocks.map(|c| ts(c.plan.deadline(k)));
                row.push_bind(*id)
                    .push_bind(o.lead_id)
                    .push_bind(o.event_id)
                    .push_bind(o.assignment.assignee.as_deref())
                    .push_bind(o.assignment.team.as_deref())
                    .push_bind(o.why.as_str())
                    .push_bind(o.assignment.reason.to_stored())
                    .push_bind(ts(o.mql_at))
                    .push_bind(*opened_at)
                    .push_bind(o.silent())
                    .push_bind(clocks.map(|c| c.policy.as_str()))
                    .push_bind(clocks.and_then(|c| c.calendar.as_deref()))
                    .push_bind(clocks.map(|c| ts(c.start)))
                    .push_bind(due(ClockKind::Ack))
                    .push_bind(due(ClockKind::FirstTouch))
                    .push_bind(due(ClockKind::Disposition));
            });
            insert
                .build()
                .execute(&mut *conn)
                .await
                .context("cannot open handoffs")?;
        }
        let plans: Vec<(i64, i64, &crate::domain::sla::Plan)> = rows
            .iter()
            .filter_map(|(id, o, _)| o.clocks.as_ref().map(|c| (*id, 0, &c.plan)))
            .collect();
        store_sla::arm_many(conn, &plans).await?;
        let decisions: Vec<(i64, &str, &crate::domain::routing::Explanation)> = rows
            .iter()
            .map(|(id, o, at)| (*id, *at, &o.explanation))
            .collect();
        accounts::record_decisions(conn, &decisions).await?;
        let lines: Vec<(i64, &str, String)> = rows
            .iter()
            .flat_map(|(id, o, at)| o.log().into_iter().map(move |line| (*id, *at, line)))
            .collect();
        for chunk in lines.chunks(super::MAX_BOUND / 3) {
            let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO handoff_log (handoff_id, at, what) ",
            );
            insert.push_values(chunk, |mut row, (id, at, line)| {
                row.push_bind(*id).push_bind(*at).push_bind(line.as_str());
            });
            insert
                .build()
                .execute(&mut *conn)
                .await
                .context("cannot write the handoff log")?;
        }
        Ok(())
    }
}

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Option<Handoff>> {
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
    .context("cannot read a handoff")?
    .map(decode)
    .transpose()
}

/// The lead's open handoff, if any.
pub async fn open_for_lead(
    conn: &mut SqliteConnection,
    lead_id: i64,
) -> anyhow::Result<Option<Handoff>> {
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE lead_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1"
    )))
    .bind(lead_id)
    .fetch_optional(conn)
    .await
    .context("cannot read the lead's handoff")?
    .map(decode)
    .transpose()
}

/// Which of a batch's leads have an open handoff (`handoffs_by_lead`).
pub(crate) const OPEN_LEADS: &str = "SELECT DISTINCT lead_id FROM handoffs
     WHERE status = 'open' AND lead_id IN (SELECT value FROM json_each(?))";

/// Which of `lead_ids` have an open handoff.
pub async fn open_leads(
    conn: &mut SqliteConnection,
    lead_ids: &[i64],
) -> anyhow::Result<std::collections::HashSet<i64>> {
    if lead_ids.is_empty() {
        return Ok(Default::default());
    }
    let list = serde_json::to_string(lead_ids).context("cannot list lead ids")?;
    let rows: Vec<i64> = sqlx::query_scalar(OPEN_LEADS)
        .bind(list)
        .fetch_all(conn)
        .await
        .context("cannot read which leads have an open handoff")?;
    Ok(rows.into_iter().collect())
}

/// Every handoff of a lead, oldest first.
pub async fn for_lead(conn: &mut SqliteConnection, lead_id: i64) -> anyhow::Result<Vec<Handoff>> {
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE lead_id = ? ORDER BY id"
    )))
    .bind(lead_id)
    .fetch_all(conn)
    .await
    .context("cannot read the lead's handoffs")
    .and_then(decode_all)
}

/// Open handoffs per assignee (the partial index `handoffs_open_by_assignee`).
pub(crate) const OPEN_COUNTS: &str = "SELECT assignee, COUNT(*) FROM handoffs WHERE status = 'open' AND assignee IS NOT NULL GROUP BY assignee";

/// Open handoffs per assignee, for `max_open` caps.
pub async fn open_counts(conn: &mut SqliteConnection) -> anyhow::Result<HashMap<String, u32>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(OPEN_COUNTS)
        .fetch_all(conn)
        .await
        .context("cannot count open handoffs")?;
    Ok(rows.into_iter().map(|(who, n)| (who, n as u32)).collect())
}

/// Stops the ack clock (once). Returns false when it was already stopped.
pub async fn ack(conn: &mut SqliteConnection, id: i64, at: &str, by: &str) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE handoffs SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(id)
    .execute(conn)
    .await
    .context("cannot acknowledge the handoff")?;
    Ok(done.rows_affected() == 1)
}

/// Records the decision on an open handoff and stops the earlier clocks at the same moment.
pub async fn decide(
    conn: &mut SqliteConnection,
    id: i64,
    status: Status,
    at: &str,
    by: Option<&str>,
    reject_reason: Option<RejectReason>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE handoffs SET status = ?, decided_at = ?, decided_by = ?, reject_reason = ?,
                acked_at = COALESCE(acked_at, ?), acked_by = COALESCE(acked_by, ?),
                contacted_at = COALESCE(contacted_at, ?)
         WHERE id = ? AND status = 'open'",
    )
    .bind(status.as_str())
    .bind(at)
    .bind(by)
    .bind(reject_reason.map(RejectReason::as_str))
    .bind(at)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(conn)
    .await
    .context("cannot record the handoff's outcome")?;
    Ok(done.rows_affected() == 1)
}

pub async fn log(
    conn: &mut SqliteConnection,
    handoff_id: i64,
    at: &str,
    actor: Option<&str>,
    what: &str,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO handoff_log (handoff_id, at, actor, what) VALUES (?, ?, ?, ?)")
        .bind(handoff_id)
        .bind(at)
        .bind(actor)
        .bind(what)
        .execute(conn)
        .await
        .context("cannot write the handoff log")?;
    Ok(())
}

/// A handoff's log, oldest first.
pub async fn history(
    conn: &mut SqliteConnection,
    handoff_id: i64,
) -> anyhow::Result<Vec<LogEntry>> {
    let rows: Vec<(String, Option<String>, String)> =
        sqlx::query_as("SELECT at, actor, what FROM handoff_log WHERE handoff_id = ? ORDER BY id")
            .bind(handoff_id)
            .fetch_all(conn)
            .await
            .context("cannot read the handoff log")?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, what)| LogEntry { at, actor, what })
        .collect())
}

/// Stops the first-touch clock (and the ack clock if still running). Returns false when
/// contact was already recorded.
pub async fn contacted(
    conn: &mut SqliteConnection,
    id: i64,
    at: &str,
    by: &str,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE handoffs SET contacted_at = ?1, acked_at = COALESCE(acked_at, ?1), acked_by = COALESCE(acked_by, ?2)
         WHERE id = ?3 AND contacted_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(id)
    .execute(conn)
    .await
    .context("cannot record the contact")?;
    Ok(done.rows_affected() == 1)
}

pub async fn rate(
    conn: &mut SqliteConnection,
    id: i64,
    stars: u8,
    note: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE handoffs SET rating = ?, note = COALESCE(?, note) WHERE id = ?")
        .bind(i64::from(stars))
        .bind(note)
        .bind(id)
        .execute(conn)
        .await
        .context("cannot record the rating")?;
    Ok(())
}

pub async fn set_note(conn: &mut SqliteConnection, id: i64, note: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE handoffs SET note = ? WHERE id = ?")
        .bind(note)
        .bind(id)
        .execute(conn)
        .await
        .context("cannot record the note")?;
    Ok(())
}

/// The newest handoff of a lead, open ones first.
pub async fn current_for_lead(
    conn: &mut SqliteConnection,
    lead_id: i64,
) -> anyhow::Result<Option<Handoff>> {
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE lead_id = ? ORDER BY status = 'open' DESC, id DESC LIMIT 1"
    )))
    .bind(lead_id)
    .fetch_optional(conn)
    .await
    .context("cannot read the lead's handoff")?
    .map(decode)
    .transpose()
}

/// Open handoffs assigned to `email`, oldest first.
pub async fn open_for_assignee(
    conn: &mut SqliteConnection,
    email: &str,
) -> anyhow::Result<Vec<Handoff>> {
    sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM handoffs WHERE assignee = ? AND status = 'open' ORDER BY id"
    )))
    .bind(email)
    .fetch_all(conn)
    .await
    .context("cannot read open handoffs")
    .and_then(decode_all)
}

/// Counts one more reassignment after a breach (the cascade `max_reassign` caps).
pub async fn count_breach_reassign(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE handoffs SET breach_reassigns = breach_reassigns + 1 WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await
        .context("cannot count the reassignment")?;
    Ok(())
}

/// Records that `assignee` handed the handoff back; false when they already did.
pub async fn record_handback(
    conn: &mut SqliteConnection,
    id: i64,
    assignee: &str,
    at: &str,
    reason: Option<&str>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO handoff_handbacks (handoff_id, assignee, at, reason) VALUES (?, ?, ?, ?)
         ON CONFLICT (handoff_id, assignee) DO NOTHING",
    )
    .bind(id)
    .bind(assignee)
    .bind(at)
    .bind(reason)
    .execute(conn)
    .await
    .context("cannot record the hand-back")?;
    Ok(done.rows_affected() == 1)
}

/// When `assignee` handed the handoff back, if they did.
pub async fn handed_back_at(
    conn: &mut SqliteConnection,
    id: i64,
    assignee: &str,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<String> = sqlx::query_scalar(
        "SELECT at FROM handoff_handbacks WHERE handoff_id = ? AND assignee = ?",
    )
    .bind(id)
    .bind(assignee)
    .fetch_optional(conn)
    .await
    .context("cannot read the hand-backs")?;
    at.map(|t| parse_ts(&t).context("handoff_handbacks.at"))
        .transpose()
}
