//! `[mql] mode = "score"`: after a lead or its activities change, score it, and when a
//! lead at `lead` reaches the threshold move it to `mql` in the same transaction, with the
//! rules that fired stored as the reason its alert will show.

use sqlx::SqliteConnection;
use tracing::info;

use super::Ctx;
use crate::domain::scoring::Explanation;
use crate::domain::stage::Stage;
use crate::store::{activities, leads, ts};

/// The score of a lead now, if Baton scores leads.
pub async fn explain(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    lead_id: i64,
) -> anyhow::Result<Option<Explanation>> {
    let (Some(model), Some(lead)) = (&ctx.config.score_model, leads::by_id(conn, lead_id).await?)
    else {
        return Ok(None);
    };
    let acts = activities::for_lead(conn, lead_id).await?;
    Ok(Some(model.score(&lead, &acts, ctx.clock.now())))
}

/// Scores the lead and qualifies it when it reaches the threshold. Returns true when the
/// lead became an MQL.
pub async fn rescore(ctx: &Ctx, conn: &mut SqliteConnection, lead_id: i64) -> anyhow::Result<bool> {
    let Some(lead) = leads::by_id(conn, lead_id).await? else {
        return Ok(false);
    };
    if lead.stage != Stage::Lead {
        return Ok(false);
    }
    let Some(explanation) = explain(ctx, conn, lead_id).await? else {
        return Ok(false);
    };
    if !explanation.qualifies() {
        return Ok(false);
    }
    leads::set_stage(conn, lead_id, Stage::Mql.as_str(), &ts(ctx.clock.now())).await?;
    if let Some(event_id) = activities::last_event_id(conn, lead_id).await? {
        activities::set_reason(conn, event_id, lead_id, &explanation.summary()).await?;
    }
    info!(
        lead = lead_id,
        score = explanation.total,
        "lead qualified by score"
    );
    Ok(true)
}
