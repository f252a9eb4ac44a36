//! The `leads` table: reading leads, and Baton's own writes (imports, stage changes made
//! by chat commands). Writes go through the same triggers as any other writer's.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, FromRow, Sqlite, SqliteConnection, TypeInfo, ValueRef};

use crate::domain::lead::{Lead, Stored, StoredLead};

/// Any value SQLite holds decodes as a [`Stored`]: the row is read whatever another
/// writer put in it, and `domain::lead` decides what each value can serve as.
impl sqlx::Type<Sqlite> for Stored {
    fn type_info() -> SqliteTypeInfo {
        <Vec<u8> as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(_: &SqliteTypeInfo) -> bool {
        true
    }
}

impl<'r> Decode<'r, Sqlite> for Stored {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        if value.is_null() {
            return Ok(Stored::Null);
        }
        // The value's own type, read before any conversion (SQLite converts on access).
        let kind = value.type_info().name().to_string();
        Ok(match kind.as_str() {
            "INTEGER" => Stored::Integer(<i64 as Decode<Sqlite>>::decode(value)?),
            "REAL" => Stored::Real(<f64 as Decode<Sqlite>>::decode(value)?),
            "TEXT" => {
                let bytes = <Vec<u8> as Decode<Sqlite>>::decode(value)?;
                match String::from_utf8(bytes) {
                    Ok(text) => Stored::Text(text),
                    Err(e) => Stored::Blob(e.into_bytes()),
                }
            }
            _ => Stored::Blob(<Vec<u8> as Decode<Sqlite>>::decode(value)?),
        })
    }
}

/// A stored value shown to a person as text (e.g. the lead's name in a report's list).
impl From<Stored> for Option<String> {
    fn from(value: Stored) -> Option<String> {
        value.shown()
    }
}

#[derive(Debug, Clone, FromRow)]
struct LeadRow {
    id: i64,
    external_id: Stored,
    email: Stored,
    name: Stored,
    company: Stored,
    title: Stored,
    company_size: Stored,
    country: Stored,
    source: Stored,
    campaign: Stored,
    score: Stored,
    stage: String,
    owner_email: Stored,
    company_domain: Stored,
}

impl TryFrom<LeadRow> for Lead {
    type Error = anyhow::Error;

    fn try_from(row: LeadRow) -> anyhow::Result<Lead> {
        let lead = Lead::from_stored(StoredLead {
            id: row.id,
            stage: row.stage.parse()?,
            external_id: row.external_id,
            email: row.email,
            name: row.name,
            company: row.company,
            title: row.title,
            company_size: row.company_size,
            country: row.country,
            source: row.source,
            campaign: row.campaign,
            score: row.score,
            owner_email: row.owner_email,
            company_domain: row.company_domain,
        });
        warn_once(&lead);
        Ok(lead)
    }
}

/// How many (lead, column) pairs are remembered as already logged; past it, the memory
/// starts again (a warning may then repeat, memory stays bounded).
const WARNED_MAX: usize = 100_000;

/// Logs each unusable value once per lead and column for the life of the process.
fn warn_once(lead: &Lead) {
    if lead.unusable.is_empty() {
        return;
    }
    static WARNED: OnceLock<Mutex<HashSet<(i64, String)>>> = OnceLock::new();
    let Ok(mut warned) = WARNED.get_or_init(Default::default).lock() else {
        return;
    };
    for unusable in &lead.unusable {
        if warned.len() >= WARNED_MAX {
            warned.clear();
        }
        if warned.insert((lead.id, unusable.column.clone())) {
            tracing::warn!(
                lead = lead.id,
                column = %unusable.column,
                problem = %unusable.problem,
                "a lead's stored value cannot serve as its column's type; it is ignored for routing, matching and scoring and shown as stored"
            );
        }
    }
}

const COLUMNS: &str = "id, external_id, email, name, company, title, company_size, country, source, campaign, score, stage, owner_email, company_domain";

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Option<Lead>> {
    let row: Option<LeadRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM leads WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
    .context("cannot read a lead")?;
    row.map(Lead::try_from).transpose()
}

/// The leads of `ids` in one query, each decoded on its own: a row Baton cannot read is
/// an error for that lead alone (kept as text, so the map can be shared). Ids not in the
/// table are not in the map.
pub async fn by_ids(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> anyhow::Result<HashMap<i64, Result<Lead, String>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = serde_json::to_string(ids).context("cannot list lead ids")?;
    let rows: Vec<LeadRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM leads WHERE id IN (SELECT value FROM json_each(?))"
    )))
    .bind(list)
    .fetch_all(conn)
    .await
    .context("cannot read the batch's leads")?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            (id, Lead::try_from(row).map_err(|e| format!("{e:#}")))
        })
        .collect())
}

pub async fn by_external_id(
    conn: &mut SqliteConnection,
    external_id: &str,
) -> anyhow::Result<Option<Lead>> {
    let row: Option<LeadRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM leads WHERE external_id = ?"
    )))
    .bind(external_id)
    .fetch_optional(conn)
    .await
    .context("cannot read a lead")?;
    row.map(Lead::try_from).transpose()
}

/// Moves a lead to `stage`, stamped `at` (the triggers record the event).
pub async fn set_stage(
    conn: &mut SqliteConnection,
    id: i64,
    stage: &str,
    at: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE leads SET stage = ?, stage_changed_at = ? WHERE id = ?")
        .bind(stage)
        .bind(at)
        .bind(id)
        .execute(conn)
        .await
        .context("cannot change the lead's stage")?;
    Ok(())
}

/// A lead as another system sends it (CSV, JSON Lines, the HTTP API). Only `external_id`
/// is required; absent fields are left as they are on an update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadInput {
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub company_size: Option<i64>,
    pub country: Option<String>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub score: Option<i64>,
    pub stage: Option<String>,
    pub owner_email: Option<String>,
    pub stage_changed_at: Option<String>,
    #[serde(default)]
    pub company_domain: Option<String>,
}

impl LeadInput {
    /// The lead as routing would read it once stored as an MQL with id `id`.
    pub fn to_lead(&self, id: i64) -> Lead {
        Lead {
            id,
            external_id: Some(self.external_id.clone()),
            email: self.email.clone(),
            name: self.name.clone(),
            company: self.company.clone(),
            title: self.title.clone(),
            company_size: self.company_size,
            country: self.country.clone(),
            source: self.source.clone(),
            campaign: self.campaign.clone(),
            score: self.score,
            stage: crate::domain::stage::Stage::Mql,
            owner_email: self.owner_email.clone(),
            company_domain: self.company_domain.clone(),
            unusable: Vec::new(),
        }
    }
}

/// Inserts or updates a lead by `external_id`; returns Baton's id for it.
pub async fn upsert(conn: &mut SqliteConnection, lead: &LeadInput) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO leads (external_id, email, name, company, title, company_size, country, source,
                            campaign, score, stage, owner_email, stage_changed_at, company_domain)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, COALESCE(?11, 'lead'), ?12, ?13, ?14)
         ON CONFLICT (external_id) DO UPDATE SET
            email = COALESCE(?2, email), name = COALESCE(?3, name), company = COALESCE(?4, company),
            title = COALESCE(?5, title), company_size = COALESCE(?6, company_size),
            country = COALESCE(?7, country), source = COALESCE(?8, source),
            campaign = COALESCE(?9, campaign), score = COALESCE(?10, score),
            stage = COALESCE(?11, stage), owner_email = COALESCE(?12, owner_email),
            stage_changed_at = COALESCE(?13, stage_changed_at),
            company_domain = COALESCE(?14, company_domain)
         RETURNING id",
    )
    .bind(&lead.external_id)
    .bind(&lead.email)
    .bind(&lead.name)
    .bind(&lead.company)
    .bind(&lead.title)
    .bind(lead.company_size)
    .bind(&lead.country)
    .bind(&lead.source)
    .bind(&lead.campaign)
    .bind(lead.score)
    .bind(&lead.stage)
    .bind(&lead.owner_email)
    .bind(&lead.stage_changed_at)
    .bind(&lead.company_domain)
    .fetch_one(conn)
    .await
    .with_context(|| format!("cannot save lead \"{}\"", lead.external_id))
}
