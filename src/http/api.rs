//! The lead ingestion API (SPEC §4): `POST /api/v1/leads` upserts one lead or an array by
//! `external_id`; `POST /api/v1/leads/{external_id}/activities` records engagement. Both
//! need `Authorization: Bearer $BATON_API_TOKEN` (compared in constant time). A request
//! with any invalid item writes nothing and lists every problem with its index and field.
//! Documented in docs/openapi.yaml.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};
use tracing::error;

use crate::engine::{Ctx, scoring};
use crate::import::{COLUMNS, check_lead};
use crate::store::leads::{self, LeadInput};
use crate::store::{activities, ts};

/// The largest request body accepted (413 beyond).
pub const MAX_BODY: usize = 1024 * 1024;

pub fn routes() -> Router<Ctx> {
    Router::new()
        .route("/api/v1/leads", post(post_leads))
        .route(
            "/api/v1/leads/{external_id}/activities",
            post(post_activity),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn internal(e: anyhow::Error) -> Response {
    error!(error = %format!("{e:#}"), "lead API request failed");
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error: the request was not applied",
    )
}

/// Equal bytes, in time that does not depend on where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The refusal when the request lacks the right bearer token.
fn refusal(ctx: &Ctx, headers: &HeaderMap) -> Option<Response> {
    let Some(token) = &ctx.config.api_token else {
        return Some(problem(
            StatusCode::UNAUTHORIZED,
            format!(
                "the lead API is off: set {} in Baton's environment",
                ctx.config.settings.server.api_token_env
            ),
        ));
    };
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .unwrap_or_default();
    if constant_time_eq(given.as_bytes(), token.expose().as_bytes()) {
        None
    } else {
        Some(problem(
            StatusCode::UNAUTHORIZED,
            "missing or wrong bearer token: send Authorization: Bearer <token>",
        ))
    }
}

/// The token of an `Authorization` header; the scheme is case-insensitive (RFC 7235).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim_start())
}

/// The refusal (415) of a body that is not declared as `application/json`.
fn not_json(headers: &HeaderMap) -> Option<Response> {
    let declared = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    match declared {
        Some(kind) if kind.eq_ignore_ascii_case("application/json") => None,
        other => Some(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "the body must be JSON sent with Content-Type: application/json, not {}",
                other.map_or("no Content-Type".to_string(), |k| format!("\"{k}\""))
            ),
        )),
    }
}

/// The characters that make a value blank (`pattern: '[^ \t\r\n]'` in docs/openapi.yaml).
const BLANKS: [char; 4] = [' ', '\t', '\r', '\n'];

const TEXT_FIELDS: [&str; 12] = [
    "external_id",
    "email",
    "name",
    "company",
    "title",
    "country",
    "source",
    "campaign",
    "stage",
    "owner_email",
    "stage_changed_at",
    "company_domain",
];

/// Checks one item field by field; returns the lead or its problems (each with `index`,
/// `field` and `message`). `baton route --dry-run` checks its file's leads with it too.
pub fn check_item(index: usize, item: &Value) -> Result<LeadInput, Vec<Value>> {
    let err = |field: &str, message: String| json!({ "index": index, "field": field, "message": message });
    let Value::Object(fields) = item else {
        return Err(vec![err("", "a lead must be a JSON object".into())]);
    };
    let mut errors = Vec::new();
    for (key, value) in fields {
        if !COLUMNS.contains(&key.as_str()) {
            errors.push(err(
                key,
                format!("unknown field: the fields are {}", COLUMNS.join(", ")),
            ));
        } else if TEXT_FIELDS.contains(&key.as_str()) {
            if !(value.is_string() || value.is_null()) {
                errors.push(err(key, format!("must be a string, not {value}")));
            }
        } else if !(value.is_i64() || value.is_null()) {
            errors.push(err(key, format!("must be a whole number, not {value}")));
        }
    }
    let has_id = matches!(fields.get("external_id"), Some(Value::String(_)));
    if !has_id && !errors.iter().any(|e| e["field"] == "external_id") {
        errors.push(err(
            "external_id",
            "is required: every lead needs the id it has in your CRM".into(),
        ));
    }
    // Check the values of the well-typed fields too, so one answer lists every problem.
    let well_typed: Map<String, Value> = fields
        .iter()
        .filter(|(key, _)| !errors.iter().any(|e| e["field"] == key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    let mut lead: LeadInput = match serde_json::from_value(Value::Object(well_typed)) {
        Ok(lead) => lead,
        Err(_) if !has_id => LeadInput::default(),
        Err(e) => return Err(vec![err("", format!("not a lead: {e}"))]),
    };
    lead.owner_email = lead.owner_email.map(|s| s.trim().to_lowercase());
    // The API takes a stage exactly as docs/openapi.yaml lists it.
    if let Some(stage) = &lead.stage
        && let Ok(parsed) = stage.parse::<crate::domain::stage::Stage>()
        && parsed.as_str() != stage
    {
        errors.push(err(
            "stage",
            format!(
                "\"{stage}\" must be written in lowercase, without spaces: \"{}\"",
                parsed.as_str()
            ),
        ));
    }
    errors.extend(
        check_lead(&mut lead)
            .into_iter()
            .filter(|(field, _)| has_id || *field != "external_id")
            .map(|(field, message)| err(field, message)),
    );
    if errors.is_empty() {
        Ok(lead)
    } else {
        Err(errors)
    }
}

async fn post_leads(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = refusal(&ctx, &headers).or_else(|| not_json(&headers)) {
        return refused;
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return problem(
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {e}"),
            );
        }
    };
    let items = match value {
        Value::Array(items) if items.is_empty() => {
            return problem(
                StatusCode::BAD_REQUEST,
                "the array is empty: send one lead or a list of leads",
            );
        }
        Value::Array(items) => items,
        Value::Object(_) => vec![value],
        _ => {
            return problem(
                StatusCode::BAD_REQUEST,
                "send a lead (a JSON object) or an array of leads",
            );
        }
    };
    let mut good = Vec::new();
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match check_item(index, item) {
            Ok(lead) => good.push(lead),
            Err(problems) => errors.extend(problems),
        }
    }
    if !errors.is_empty() {
        let message = format!("{} problems; nothing was written", errors.len());
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": message, "errors": errors })),
        )
            .into_response();
    }
    match save_leads(&ctx, &good).await {
        Ok(saved) => (StatusCode::OK, Json(json!({ "leads": saved }))).into_response(),
        Err(e) => internal(e),
    }
}

async fn save_leads(ctx: &Ctx, leads_in: &[LeadInput]) -> anyhow::Result<Vec<Value>> {
    let mut tx = ctx.db.begin().await?;
    let mut saved = Vec::new();
    for (index, lead) in leads_in.iter().enumerate() {
        let existed = leads::by_external_id(&mut tx, &lead.external_id)
            .await?
            .is_some();
        let id = leads::upsert(&mut tx, lead).await?;
        let qualified = scoring::rescore(ctx, &mut tx, id).await?;
        saved.push(json!({
            "index": index,
            "external_id": lead.external_id,
            "id": id,
            "created": !existed,
            "qualified_by_score": qualified,
        }));
    }
    tx.commit().await?;
    ctx.leads_changed.notify_one();
    Ok(saved)
}

async fn post_activity(
    State(ctx): State<Ctx>,
    Path(external_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = refusal(&ctx, &headers).or_else(|| not_json(&headers)) {
        return refused;
    }
    let fields: Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "send an activity as a JSON object: {\"type\": \"pricing_view\"}",
            );
        }
        Err(e) => {
            return problem(
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {e}"),
            );
        }
    };
    let mut errors = Vec::new();
    for key in fields
        .keys()
        .filter(|k| !["type", "at", "properties"].contains(&k.as_str()))
    {
        errors.push(json!({ "field": key, "message": "unknown field: the fields are type, at, properties" }));
    }
    let kind = match fields.get("type") {
        Some(Value::String(kind)) if !crate::import::is_blank(kind) => {
            kind.trim_matches(BLANKS).to_string()
        }
        _ => {
            errors.push(json!({ "field": "type", "message": "is required: a non-empty string such as \"pricing_view\"" }));
            String::new()
        }
    };
    let at = match fields.get("at") {
        None | Some(Value::Null) => Some(ctx.clock.now()),
        Some(Value::String(text)) => crate::domain::instant::parse(text).ok(),
        Some(_) => None,
    };
    if at.is_none() {
        errors.push(json!({ "field": "at", "message": "must be an RFC 3339 time such as 2026-11-20T09:30:00Z" }));
    }
    let properties = match fields.get("properties") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => Some(Value::Object(p.clone()).to_string()),
        Some(_) => {
            errors.push(json!({ "field": "properties", "message": "must be a JSON object" }));
            None
        }
    };
    if !errors.is_empty() {
        let message = format!("{} problems; nothing was written", errors.len());
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": message, "errors": errors })),
        )
            .into_response();
    }
    let at = at.unwrap_or_else(|| ctx.clock.now());
    let result = async {
        let mut tx = ctx.db.begin().await?;
        let Some(lead) = leads::by_external_id(&mut tx, &external_id).await? else {
            return Ok(None);
        };
        let id = activities::insert(&mut tx, lead.id, &kind, &ts(at), properties.as_deref()).await?;
        let qualified = scoring::rescore(&ctx, &mut tx, lead.id).await?;
        let score = scoring::explain(&ctx, &mut tx, lead.id).await?.map(|e| e.total);
        tx.commit().await?;
        ctx.leads_changed.notify_one();
        anyhow::Ok(Some(json!({ "id": id, "lead_id": lead.id, "score": score, "qualified_by_score": qualified })))
    }
    .await;
    match result {
        Ok(Some(body)) => (StatusCode::CREATED, Json(body)).into_response(),
        Ok(None) => problem(
            StatusCode::NOT_FOUND,
            format!("there is no lead with external_id \"{external_id}\""),
        ),
        Err(e) => internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for (header, token) in [
            ("Bearer abc", Some("abc")),
            ("bearer abc", Some("abc")),
            ("BEARER  abc", Some("abc")),
            ("Basic abc", None),
            ("Bearerabc", None),
        ] {
            assert_eq!(bearer_token(header), token, "{header}");
        }
    }
}
