//! The round-robin state per team (`rotation_teams`, `rotation_members`), kept so the
//! rotation survives restarts.

use std::collections::HashMap;

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::domain::routing::Rotation;

pub async fn load_all(conn: &mut SqliteConnection) -> anyhow::Result<HashMap<String, Rotation>> {
    let mut all: HashMap<String, Rotation> = HashMap::new();
    let teams: Vec<(String, i64)> = sqlx::query_as("SELECT team, virtual_time FROM rotation_teams")
        .fetch_all(&mut *conn)
        .await
        .context("cannot read the rotation")?;
    for (team, vt) in teams {
        all.entry(team).or_default().virtual_time = vt as u64;
    }
    let members: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT team, email, pass FROM rotation_members")
            .fetch_all(&mut *conn)
            .await
            .context("cannot read the rotation")?;
    for (team, email, pass) in members {
        all.entry(team)
            .or_default()
            .passes
            .insert(email, pass as u64);
    }
    Ok(all)
}

/// Stores the team's virtual time and the pass of the member who was just picked.
pub async fn save_pick(
    conn: &mut SqliteConnection,
    team: &str,
    rotation: &Rotation,
    picked: &str,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO rotation_teams (team, virtual_time) VALUES (?, ?) ON CONFLICT (team) DO UPDATE SET virtual_time = excluded.virtual_time")
        .bind(team)
        .bind(rotation.virtual_time as i64)
        .execute(&mut *conn)
        .await
        .context("cannot save the rotation")?;
    if let Some(pass) = rotation.passes.get(picked) {
        sqlx::query("INSERT INTO rotation_members (team, email, pass) VALUES (?, ?, ?) ON CONFLICT (team, email) DO UPDATE SET pass = excluded.pass")
            .bind(team)
            .bind(picked)
            .bind(*pass as i64)
            .execute(&mut *conn)
            .await
            .context("cannot save the rotation")?;
    }
    Ok(())
}
