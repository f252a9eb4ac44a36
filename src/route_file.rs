//! `baton route --dry-run FILE`: the leads of a file, routed as if they became MQLs now,
//! one after the other, with every reason, writing nothing.
//!
//! FILE holds leads with the fields of SPEC §3 (as `POST /api/v1/leads` takes them): a
//! JSON object, a JSON array of objects, JSON Lines, or a CSV file with a header row.
//! `external_id` may be left out here (a lead is then named by its position).

use std::path::Path;

use anyhow::Context;
use serde_json::{Value, json};

use crate::domain::lead::Lead;
use crate::domain::routing::Explanation;
use crate::i18n::Locale;
use crate::import::{self, Encoding};

/// The leads of `path`, or every problem found, each naming the lead and the field.
pub fn read(path: &Path) -> anyhow::Result<Result<Vec<Lead>, Vec<String>>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text =
        String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let trimmed = text.trim_start();
    let is_json = trimmed.starts_with('{') || trimmed.starts_with('[');
    let mut problems = Vec::new();
    let mut inputs = Vec::new();
    if is_json {
        let items: Vec<(String, Value)> = match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (format!("lead {}", i + 1), v))
                .collect(),
            Ok(one @ Value::Object(_)) => vec![("lead 1".to_string(), one)],
            Ok(other) => {
                return Ok(Err(vec![format!(
                    "{}: a lead must be a JSON object, not {other}",
                    path.display()
                )]));
            }
            // Not one JSON value: JSON Lines, one lead per line.
            Err(_) => {
                let mut items = Vec::new();
                for (i, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<Value>(line) {
                        Ok(v) => items.push((format!("line {}", i + 1), v)),
                        Err(e) => problems.push(format!("line {}: not JSON: {e}", i + 1)),
                    }
                }
                items
            }
        };
        for (name, mut value) in items {
            if let Value::Object(fields) = &mut value
                && !fields.contains_key("external_id")
            {
                fields.insert("external_id".into(), json!(name));
            }
            match crate::http::api::check_item(0, &value) {
                Ok(lead) => inputs.push(lead),
                Err(found) => problems.extend(found.iter().map(|e| {
                    let field = e["field"].as_str().unwrap_or_default();
                    let message = e["message"].as_str().unwrap_or_default();
                    if field.is_empty() {
                        format!("{name}: {message}")
                    } else {
                        format!("{name}: {field}: {message}")
                    }
                })),
            }
        }
    } else {
        let parsed = import::read_file(path, Encoding::Utf8)?;
        for bad in &parsed.bad {
            problems.push(match &bad.column {
                Some(column) => format!("line {}: {column}: {}", bad.line, bad.problem),
                None => format!("line {}: {}", bad.line, bad.problem),
            });
        }
        inputs.extend(parsed.leads.into_iter().map(|(_, lead)| lead));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    if inputs.is_empty() {
        return Ok(Err(vec![format!(
            "{} holds no lead: write a JSON object such as {{\"email\": \"ana@acme.com\", \"country\": \"BR\"}}",
            path.display()
        )]));
    }
    Ok(Ok(inputs
        .iter()
        .enumerate()
        .map(|(i, input)| input.to_lead(i as i64 + 1))
        .collect()))
}

/// The decisions for a person: per lead, who gets it and every reason,
/// in `locale` (days and times in `tz`); `name` writes a person (an email)
/// as the reader sees them.
pub fn text(
    leads: &[Lead],
    decided: &[Explanation],
    locale: Locale,
    tz: chrono_tz::Tz,
    name: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::new();
    for (lead, a) in leads.iter().zip(decided) {
        out.push_str(&format!(
            "{} ({}):\n",
            lead.external_id.as_deref().unwrap_or_default(),
            lead.display_name()
        ));
        for line in a.lines(locale, tz, name) {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// The decisions as JSON: one object per lead with its explanation.
pub fn json(leads: &[Lead], decided: &[Explanation]) -> Value {
    Value::Array(
        leads
            .iter()
            .zip(decided)
            .map(|(lead, a)| {
                json!({
                    "external_id": lead.external_id,
                    "decision": a,
                })
            })
            .collect(),
    )
}
