//! Availability said in chat (`availability`, migration 0013): `/baton away` ranges and
//! `/baton back` days, per person; and whether someone was given a handoff since they
//! came back (for the alert's "welcome back").

use anyhow::Context;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::SqliteConnection;

use crate::domain::availability::Availabilities;
use crate::domain::directory::DateRange;

const DAY: &str = "%Y-%m-%d";

/// email, kind, first_day, last_day, note.
type Row = (String, String, String, Option<String>, Option<String>);

fn day(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, DAY)
        .with_context(|| format!("availability holds \"{text}\", which is not a date"))
}

/// Everyone's availability that can still matter on or after `today`.
pub async fn load(conn: &mut SqliteConnection, today: NaiveDate) -> anyhow::Result<Availabilities> {
    // A `back` matters while a config range it cut short lasts: keep a year of them.
    let since = today
        .checked_sub_days(Days::new(366))
        .unwrap_or(today)
        .format(DAY)
        .to_string();
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT email, kind, first_day, last_day, note FROM availability
         WHERE (kind = 'away' AND last_day >= ?1) OR (kind = 'back' AND first_day >= ?1)
         ORDER BY first_day, id",
    )
    .bind(&since)
    .fetch_all(conn)
    .await
    .context("cannot read who is away")?;
    let mut all = Availabilities::new();
    for (email, kind, first, last, note) in rows {
        let entry = all.entry(email).or_default();
        let first = day(&first)?;
        if kind == "back" {
            entry.back_on.push(first);
        } else {
            let last = day(last.as_deref().unwrap_or_default())?;
            entry.away.push((DateRange { first, last }, note));
        }
    }
    Ok(all)
}

/// Records `email` away over `range`, set by `by` at `at`.
pub async fn set_away(
    conn: &mut SqliteConnection,
    email: &str,
    range: DateRange,
    note: Option<&str>,
    by: &str,
    at: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO availability (email, kind, first_day, last_day, note, set_by, set_at)
         VALUES (?, 'away', ?, ?, ?, ?, ?)",
    )
    .bind(email)
    .bind(range.first.format(DAY).to_string())
    .bind(range.last.format(DAY).to_string())
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await
    .with_context(|| format!("cannot record {email} as away"))?;
    Ok(())
}

/// Records `email` back on `today`: chat ranges covering it end the day before (or go, if
/// they began today), and a config range covering it no longer counts.
pub async fn set_back(
    conn: &mut SqliteConnection,
    email: &str,
    today: NaiveDate,
    by: &str,
    at: &str,
) -> anyhow::Result<()> {
    let today_text = today.format(DAY).to_string();
    let yesterday = today
        .checked_sub_days(Days::new(1))
        .unwrap_or(today)
        .format(DAY)
        .to_string();
    sqlx::query(
        "DELETE FROM availability
         WHERE email = ? AND kind = 'away' AND first_day >= ? AND first_day <= ? AND last_day >= ?",
    )
    .bind(email)
    .bind(&today_text)
    .bind(&today_text)
    .bind(&today_text)
    .execute(&mut *conn)
    .await
    .with_context(|| format!("cannot record {email} as back"))?;
    sqlx::query(
        "UPDATE availability SET last_day = ?
         WHERE email = ? AND kind = 'away' AND first_day < ? AND last_day >= ?",
    )
    .bind(&yesterday)
    .bind(email)
    .bind(&today_text)
    .bind(&today_text)
    .execute(&mut *conn)
    .await
    .with_context(|| format!("cannot record {email} as back"))?;
    sqlx::query(
        "INSERT INTO availability (email, kind, first_day, last_day, note, set_by, set_at)
         VALUES (?, 'back', ?, NULL, NULL, ?, ?)",
    )
    .bind(email)
    .bind(&today_text)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await
    .with_context(|| format!("cannot record {email} as back"))?;
    Ok(())
}

/// Whether `email` was given a handoff other than `except` at or after `since`: opened
/// for them, or reassigned to them.
pub async fn assigned_since(
    conn: &mut SqliteConnection,
    email: &str,
    since: DateTime<Utc>,
    except: i64,
) -> anyhow::Result<bool> {
    let since = super::ts(since);
    let (given,): (bool,) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM handoffs
                        WHERE opened_at >= ?2 AND assignee = ?1 AND id <> ?3)
             OR EXISTS (SELECT 1 FROM handoff_holders
                        WHERE since >= ?2 AND assignee = ?1 AND handoff_id <> ?3)",
    )
    .bind(email)
    .bind(&since)
    .bind(except)
    .fetch_one(conn)
    .await
    .with_context(|| format!("cannot read whether {email} had a handoff since {since}"))?;
    Ok(given)
}
