//! The transactional outbox. Changes write their messages here in the same transaction;
//! the dispatcher is the only reader. A row goes `pending` → `sending` (claimed, with a
//! platform marker for crash recovery) → `sent`, or back to `pending` with a later
//! `next_attempt_at` after a failure, or to `dead` after too many attempts.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};

use crate::message::{Kind, Message};
use crate::store::parse_ts;

/// A message to enqueue.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// At most one row per key is ever written (e.g. one alert per handoff and recipient).
    pub dedupe_key: Option<String>,
    pub platform: &'a str,
    pub recipient: &'a str,
    pub kind: Kind,
    pub lead_id: Option<i64>,
    pub handoff_id: Option<i64>,
    pub message: &'a Message,
}

/// Where an outbox row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Sending,
    Sent,
    Dead,
}

crate::domain::names!(Status {
    Pending => "pending",
    Sending => "sending",
    Sent => "sent",
    Dead => "dead",
});

/// An outbox row, typed: its kind, status and due time decoded, its message parsed.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub platform: String,
    pub recipient: String,
    pub kind: Kind,
    pub lead_id: Option<i64>,
    pub handoff_id: Option<i64>,
    pub message: Message,
    pub status: Status,
    pub attempts: i64,
    pub claim_marker: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
}

/// A row that cannot be read (a kind, status, time or message Baton does not know): the
/// dispatcher sets it aside by its id and goes on with the others.
#[derive(Debug)]
pub struct Unreadable {
    pub id: i64,
    pub recipient: String,
    pub error: anyhow::Error,
}

/// One row of a read: typed, or why it is not.
pub type Decoded = Result<OutboxRow, Unreadable>;

#[derive(FromRow)]
struct Row {
    id: i64,
    platform: String,
    recipient: String,
    kind: String,
    lead_id: Option<i64>,
    handoff_id: Option<i64>,
    message: String,
    status: String,
    attempts: i64,
    claim_marker: Option<String>,
    next_attempt_at: String,
}

fn decode(r: Row) -> Decoded {
    let typed = || -> anyhow::Result<(Kind, Message, Status, DateTime<Utc>)> {
        let kind = r.kind.parse()?;
        let message =
            serde_json::from_str(&r.message).context("cannot decode an outbox message")?;
        let status = Status::parse(&r.status)
            .with_context(|| format!("unknown outbox status \"{}\"", r.status))?;
        let next = parse_ts(&r.next_attempt_at).context("outbox.next_attempt_at")?;
        Ok((kind, message, status, next))
    };
    match typed() {
        Ok((kind, message, status, next_attempt_at)) => Ok(OutboxRow {
            id: r.id,
            platform: r.platform,
            recipient: r.recipient,
            kind,
            lead_id: r.lead_id,
            handoff_id: r.handoff_id,
            message,
            status,
            attempts: r.attempts,
            claim_marker: r.claim_marker,
            next_attempt_at,
        }),
        Err(error) => Err(Unreadable {
            id: r.id,
            recipient: r.recipient,
            error: error.context(format!("outbox row {}", r.id)),
        }),
    }
}

const COLUMNS: &str = "id, platform, recipient, kind, lead_id, handoff_id, message, status, attempts, claim_marker, next_attempt_at";

/// A message ready to be written: its body encoded, its own copy of every field, so the
/// rows of many changes can be held and written together ([`enqueue_many`]).
#[derive(Debug, Clone)]
pub struct Queued {
    dedupe_key: Option<String>,
    platform: String,
    recipient: String,
    kind: Kind,
    lead_id: Option<i64>,
    handoff_id: Option<i64>,
    body: String,
    at: String,
}

impl Queued {
    /// `m` as a row queued at `now`.
    pub fn new(m: &NewMessage<'_>, now: &str) -> anyhow::Result<Queued> {
        Ok(Queued {
            dedupe_key: m.dedupe_key.clone(),
            platform: m.platform.to_owned(),
            recipient: m.recipient.to_owned(),
            kind: m.kind,
            lead_id: m.lead_id,
            handoff_id: m.handoff_id,
            body: serde_json::to_string(m.message).context("cannot encode a message")?,
            at: now.to_owned(),
        })
    }
}

/// Adds a message; a row with the same dedupe key is left as it is. Returns whether a row
/// was written.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    m: &NewMessage<'_>,
    now: &str,
) -> anyhow::Result<bool> {
    Ok(enqueue_many(conn, &[Queued::new(m, now)?]).await? == 1)
}

/// Columns per outbox row written by [`enqueue_many`].
const QUEUED_COLUMNS: usize = 9;

/// Adds `rows` in as few statements as SQLite's limit on bound values allows; a row whose
/// dedupe key exists already (in the table or earlier in `rows`) is left out. Returns how
/// many rows were written.
pub async fn enqueue_many(conn: &mut SqliteConnection, rows: &[Queued]) -> anyhow::Result<usize> {
    let mut written = 0;
    for chunk in rows.chunks(super::MAX_BOUND / QUEUED_COLUMNS) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO outbox (dedupe_key, platform, recipient, kind, lead_id, handoff_id, message, next_attempt_at, created_at) ",
        );
        insert.push_values(chunk, |mut row, q| {
            row.push_bind(&q.dedupe_key)
                .push_bind(&q.platform)
                .push_bind(&q.recipient)
                .push_bind(q.kind.as_str())
                .push_bind(q.lead_id)
                .push_bind(q.handoff_id)
                .push_bind(&q.body)
                .push_bind(&q.at)
                .push_bind(&q.at);
        });
        insert.push(" ON CONFLICT (dedupe_key) DO NOTHING");
        let done = insert
            .build()
            .execute(&mut *conn)
            .await
            .context("cannot enqueue messages")?;
        written += done.rows_affected() as usize;
    }
    Ok(written)
}

/// A pending row as the dispatcher's pass sees it: who it is for and when it is due. The
/// rest of the row (its message above all) is read when it is claimed, so a pass over a
/// long queue, run each time a paced recipient may send again, reads and parses little.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub id: i64,
    pub recipient: String,
    pub next_attempt_at: DateTime<Utc>,
}

/// The oldest pending rows of a platform, due or not, in queue order. The dispatcher
/// sends the due ones and holds back every later row of a recipient whose earlier row
/// cannot go yet, so each recipient gets messages in order. A row whose due time cannot
/// be read is [`Unreadable`].
pub async fn queue(
    conn: &mut SqliteConnection,
    platform: &str,
    limit: i64,
) -> anyhow::Result<Vec<Result<Waiting, Unreadable>>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, recipient, next_attempt_at FROM outbox {QUEUE_WHERE}"
    )))
    .bind(platform)
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("cannot read the outbox")?;
    Ok(rows
        .into_iter()
        .map(|(id, recipient, at)| match parse_ts(&at) {
            Ok(next_attempt_at) => Ok(Waiting {
                id,
                recipient,
                next_attempt_at,
            }),
            Err(e) => Err(Unreadable {
                id,
                recipient,
                error: e.context(format!("outbox row {id}: outbox.next_attempt_at")),
            }),
        })
        .collect())
}

/// Which rows [`queue`] reads (the partial index `outbox_pending_by_platform`).
pub(crate) const QUEUE_WHERE: &str =
    "WHERE status = 'pending' AND platform = ? ORDER BY id LIMIT ?";

/// When the next pending row of a platform falls due (the partial index
/// `outbox_pending_due`).
pub(crate) const NEXT_DUE: &str =
    "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' AND platform = ?";

/// When the next pending row of a platform falls due, if any.
pub async fn next_due(
    conn: &mut SqliteConnection,
    platform: &str,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<String> = sqlx::query_scalar(NEXT_DUE)
        .bind(platform)
        .fetch_one(conn)
        .await
        .context("cannot read the outbox")?;
    at.map(|t| parse_ts(&t).context("outbox.next_attempt_at"))
        .transpose()
}

/// Which rows [`in_flight`] reads (the partial index `outbox_sending`, migration 0014).
pub(crate) const IN_FLIGHT_WHERE: &str = "WHERE status = 'sending' AND platform = ? ORDER BY id";

/// Rows a crash left in `sending`.
pub async fn in_flight(
    conn: &mut SqliteConnection,
    platform: &str,
) -> anyhow::Result<Vec<Decoded>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox {IN_FLIGHT_WHERE}"
    )))
    .bind(platform)
    .fetch_all(conn)
    .await
    .context("cannot read the outbox")?;
    Ok(rows.into_iter().map(decode).collect())
}

/// Marks a row as being sent, with the platform's recovery marker, and returns it as
/// claimed (`sending`, its `attempts` counting this one), typed; an [`Unreadable`] row is
/// claimed too, for the caller to set aside.
pub async fn claim(
    conn: &mut SqliteConnection,
    id: i64,
    marker: Option<&str>,
) -> anyhow::Result<Decoded> {
    let row: Row = sqlx::query_as(CLAIM)
        .bind(marker)
        .bind(id)
        .fetch_one(conn)
        .await
        .context("cannot claim an outbox row")?;
    Ok(decode(row))
}

const CLAIM: &str =
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claim_marker = ?
     WHERE id = ?
     RETURNING id, platform, recipient, kind, lead_id, handoff_id, message, status, attempts,
               claim_marker, next_attempt_at";

/// A row sent, for [`mark_many_sent`]: its id, when, and the platform's reference.
pub type SentRow = (i64, String, Option<String>);

/// [`mark_many_sent`]'s statement, before and after its `VALUES` list: each row found
/// by its id.
pub(crate) const MARK_MANY_SENT: (&str, &str) = (
    "UPDATE outbox SET status = 'sent', sent_at = v.column2, external_ref = v.column3,
            last_error = NULL
     FROM (",
    ") AS v WHERE outbox.id = v.column1",
);

/// Marks sent rows in as few statements as SQLite's limit on bound values allows.
pub async fn mark_many_sent(conn: &mut SqliteConnection, rows: &[SentRow]) -> anyhow::Result<()> {
    for chunk in rows.chunks(super::MAX_BOUND / 3) {
        let mut update = sqlx::QueryBuilder::<sqlx::Sqlite>::new(MARK_MANY_SENT.0);
        update.push_values(chunk, |mut row, (id, at, external_ref)| {
            row.push_bind(id).push_bind(at).push_bind(external_ref);
        });
        update.push(MARK_MANY_SENT.1);
        update
            .build()
            .execute(&mut *conn)
            .await
            .context("cannot mark messages sent")?;
    }
    Ok(())
}

/// Marks one row sent: [`mark_many_sent`] of one.
pub async fn mark_sent(
    conn: &mut SqliteConnection,
    id: i64,
    at: &str,
    external_ref: Option<&str>,
) -> anyhow::Result<()> {
    let row = (id, at.to_owned(), external_ref.map(str::to_owned));
    mark_many_sent(conn, std::slice::from_ref(&row)).await
}

/// Puts a row back in the queue for `next_attempt_at`, or gives up on it (`dead`).
pub async fn mark_failed(
    conn: &mut SqliteConnection,
    id: i64,
    error: &str,
    next_attempt_at: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = CASE WHEN ?2 IS NULL THEN 'dead' ELSE 'pending' END,
                next_attempt_at = COALESCE(?2, next_attempt_at), last_error = ?1, claim_marker = NULL
         WHERE id = ?3",
    )
    .bind(error)
    .bind(next_attempt_at)
    .bind(id)
    .execute(conn)
    .await
    .context("cannot record a failed send")?;
    Ok(())
}

/// Hands a claimed row back to the queue without counting the attempt (after a crash,
/// when the platform says the send did not happen).
pub async fn release(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE outbox SET status = 'pending', attempts = MAX(attempts - 1, 0), claim_marker = NULL WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await
        .context("cannot release an outbox row")?;
    Ok(())
}

/// Recipients and platforms that got a handoff's alert, to send updates to the same place.
pub async fn alert_targets(
    conn: &mut SqliteConnection,
    handoff_id: i64,
) -> anyhow::Result<Vec<(String, String)>> {
    // Each target once, however many alerts it had (a channel keeps its first alert
    // through reassignments, a person who held the lead twice had two).
    sqlx::query_as(
        "SELECT platform, recipient FROM outbox WHERE handoff_id = ? AND kind = 'alert'
         GROUP BY platform, recipient ORDER BY MIN(id)",
    )
    .bind(handoff_id)
    .fetch_all(conn)
    .await
    .context("cannot read the outbox")
}

/// Counts the rows still `pending` or `sending` (the partial index `outbox_queue_order`).
pub(crate) const QUEUED: &str =
    "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')";

/// Rows still `pending` or `sending`.
pub async fn queued(conn: &mut SqliteConnection) -> anyhow::Result<i64> {
    sqlx::query_scalar(QUEUED)
        .fetch_one(conn)
        .await
        .context("cannot count the outbox")
}

/// For an update row: the platform's reference and the message of the alert it updates
/// (the same handoff, platform and recipient, already sent), newest first. An alert
/// whose stored message cannot be read counts as not sent (the update goes as a new
/// message).
pub async fn sent_alert_for(
    conn: &mut SqliteConnection,
    update_id: i64,
) -> anyhow::Result<Option<(String, Message)>> {
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT a.external_ref, a.message FROM outbox u
         JOIN outbox a ON a.handoff_id = u.handoff_id AND a.kind = 'alert'
                      AND a.platform = u.platform AND a.recipient = u.recipient
                      AND a.status = 'sent' AND a.external_ref IS NOT NULL
         WHERE u.id = ? ORDER BY a.id DESC LIMIT 1",
    )
    .bind(update_id)
    .fetch_optional(conn)
    .await
    .context("cannot read the outbox")?;
    Ok(found.and_then(|(external_ref, message)| {
        serde_json::from_str::<Message>(&message)
            .ok()
            .map(|m| (external_ref, m))
    }))
}

/// A row for `baton outbox`.
#[derive(Debug, Clone, FromRow)]
pub struct Listed {
    pub id: i64,
    pub platform: String,
    pub recipient: String,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
}

/// The rows of [`list_unsent`] (the partial index `outbox_unsent`, migration 0014).
pub(crate) const LIST_UNSENT: &str =
    "SELECT id, platform, recipient, kind, status, attempts, next_attempt_at, last_error FROM outbox
     WHERE status <> 'sent' ORDER BY id";

/// Dead rows and rows still queued, oldest first.
pub async fn list_unsent(conn: &mut SqliteConnection) -> anyhow::Result<Vec<Listed>> {
    sqlx::query_as(LIST_UNSENT)
        .fetch_all(conn)
        .await
        .context("cannot read the outbox")
}

/// The statement of [`retry_dead`] (the partial index `outbox_dead`, migration 0014).
pub(crate) const RETRY_DEAD: &str =
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = created_at, last_error = NULL
     WHERE status = 'dead' AND (?1 IS NULL OR id = ?1)";

/// Puts dead rows (one, or all when `id` is None) back in the queue, due at once; returns
/// how many.
pub async fn retry_dead(conn: &mut SqliteConnection, id: Option<i64>) -> anyhow::Result<u64> {
    let done = sqlx::query(RETRY_DEAD)
        .bind(id)
        .execute(conn)
        .await
        .context("cannot retry dead messages")?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    #[tokio::test]
    async fn a_run_of_sent_rows_is_marked_each_with_its_own_time_and_reference() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("baton.db")).await.unwrap();
        db.migrate().await.unwrap();
        let mut conn = db.pool.acquire().await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO outbox (platform, recipient, kind, message, status, attempts,
                                 next_attempt_at, created_at)
             VALUES ('console', 'a@x.test', 'alert', '{}', 'sending', 1, 't0', 't0'),
                    ('console', 'b@x.test', 'alert', '{}', 'sending', 1, 't0', 't0'),
                    ('console', 'c@x.test', 'alert', '{}', 'sending', 1, 't0', 't0')",
        )
        .execute(&mut *conn)
        .await
        .unwrap();
        let marks = vec![
            (1, "t1".to_string(), None),
            (3, "t3".to_string(), Some("r3".into())),
        ];
        mark_many_sent(&mut conn, &marks).await.unwrap();
        let rows: Vec<(i64, String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT id, status, sent_at, external_ref FROM outbox ORDER BY id")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        assert_eq!(
            rows,
            [
                (1, "sent".into(), Some("t1".into()), None),
                (2, "sending".into(), None, None),
                (3, "sent".into(), Some("t3".into()), Some("r3".into())),
            ]
        );
    }
}
