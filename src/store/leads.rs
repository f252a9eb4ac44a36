//! The `leads` table: reading leads, and Baton's own writes (imports, stage changes made
//! by chat commands). Writes go through the same triggers as any other writer's.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::domain::lead::Lead;

#[derive(Debug, Clone, FromRow)]
struct LeadRow {
    id: i64,
    external_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    company: Option<String>,
    title: Option<String>,
    company_size: Option<i64>,
    country: Option<String>,
    source: Option<String>,
    campaign: Option<String>,
    score: Option<i64>,
    stage: String,
    owner_email: Option<String>,
}

impl TryFrom<LeadRow> for Lead {
    type Error = anyhow::Error;

    fn try_from(row: LeadRow) -> anyhow::Result<Lead> {
        Ok(Lead {
            id: row.id,
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
            stage: row.stage.parse()?,
            owner_email: row.owner_email,
        })
    }
}

const COLUMNS: &str = "id, external_id, email, name, company, title, company_size, country, source, campaign, score, stage, owner_email";

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
}

/// Inserts or updates a lead by `external_id`; returns Baton's id for it.
pub async fn upsert(conn: &mut SqliteConnection, lead: &LeadInput) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO leads (external_id, email, name, company, title, company_size, country, source,
                            campaign, score, stage, owner_email, stage_changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, COALESCE(?11, 'lead'), ?12, ?13)
         ON CONFLICT (external_id) DO UPDATE SET
            email = COALESCE(?2, email), name = COALESCE(?3, name), company = COALESCE(?4, company),
            title = COALESCE(?5, title), company_size = COALESCE(?6, company_size),
            country = COALESCE(?7, country), source = COALESCE(?8, source),
            campaign = COALESCE(?9, campaign), score = COALESCE(?10, score),
            stage = COALESCE(?11, stage), owner_email = COALESCE(?12, owner_email),
            stage_changed_at = COALESCE(?13, stage_changed_at)
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
    .fetch_one(conn)
    .await
    .with_context(|| format!("cannot save lead \"{}\"", lead.external_id))
}
