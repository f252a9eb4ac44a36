//! `baton import FILE [--history]`: upserts leads from CSV (with a header row) or JSON
//! Lines. Each bad row is reported with its line and column and skipped; the good rows are
//! imported in one transaction. With `--history`, the stage changes the file carries (its
//! `stage_changed_at`) are recorded so reports count them, but none of them alerts.

use std::path::Path;

use anyhow::Context;

use crate::domain::stage::Stage;
use crate::store::leads::{self, LeadInput};
use crate::store::{Db, events};

/// The columns a file may have, as in the `leads` table.
pub const COLUMNS: [&str; 13] = [
    "external_id",
    "email",
    "name",
    "company",
    "title",
    "company_size",
    "country",
    "source",
    "campaign",
    "score",
    "stage",
    "owner_email",
    "stage_changed_at",
];

/// One problem with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub column: Option<String>,
    pub problem: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.problem),
            None => write!(f, "line {}: {}", self.line, self.problem),
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub imported: usize,
    pub skipped: Vec<RowError>,
}

/// Field-by-field checks of a lead from outside, as (field, problem) pairs.
pub fn check_lead(lead: &LeadInput) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if lead.external_id.trim().is_empty() {
        problems.push((
            "external_id",
            "is required: every lead needs the id it has in your CRM".to_string(),
        ));
    }
    if let Some(stage) = &lead.stage
        && let Err(e) = stage.parse::<Stage>()
    {
        problems.push(("stage", e.to_string()));
    }
    if let Some(at) = &lead.stage_changed_at
        && chrono::DateTime::parse_from_rfc3339(at).is_err()
    {
        problems.push((
            "stage_changed_at",
            format!("\"{at}\" is not an RFC 3339 time: write e.g. 2026-11-20T09:30:00Z"),
        ));
    }
    if let Some(country) = &lead.country
        && !(country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
    {
        problems.push((
            "country",
            format!("\"{country}\" is not an ISO 3166 alpha-2 code such as BR or DE"),
        ));
    }
    if let Some(size) = lead.company_size
        && size < 0
    {
        problems.push(("company_size", format!("{size} is negative")));
    }
    problems
}

fn row_errors(line: usize, problems: Vec<(&'static str, String)>) -> Vec<RowError> {
    problems
        .into_iter()
        .map(|(column, problem)| RowError {
            line,
            column: Some(column.to_string()),
            problem,
        })
        .collect()
}

/// Reads the file into leads and per-row errors. A header with an unknown column is an
/// error for the whole file.
pub fn read_file(path: &Path) -> anyhow::Result<(Vec<LeadInput>, Vec<RowError>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let is_jsonl = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson" | "json")
    ) || text.trim_start().starts_with('{');
    if is_jsonl {
        Ok(read_jsonl(&text))
    } else {
        read_csv(&text)
    }
}

pub fn read_jsonl(text: &str) -> (Vec<LeadInput>, Vec<RowError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<LeadInput>(line) {
            Ok(lead) => match check_lead(&lead) {
                problems if problems.is_empty() => good.push(lead),
                problems => bad.extend(row_errors(line_no, problems)),
            },
            Err(e) => bad.push(RowError {
                line: line_no,
                column: None,
                problem: format!("not a lead: {e}"),
            }),
        }
    }
    (good, bad)
}

pub fn read_csv(text: &str) -> anyhow::Result<(Vec<LeadInput>, Vec<RowError>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .context("cannot read the CSV header row")?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if let Some(unknown) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        anyhow::bail!(
            "line 1: unknown column \"{unknown}\": the columns are {}",
            COLUMNS.join(", ")
        );
    }
    if !header.iter().any(|h| h == "external_id") {
        anyhow::bail!(
            "line 1: the header has no external_id column: every lead needs the id it has in your CRM"
        );
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                bad.push(RowError {
                    line,
                    column: None,
                    problem: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.len() != header.len() {
            bad.push(RowError {
                line,
                column: None,
                problem: format!(
                    "has {} fields but the header has {}",
                    record.len(),
                    header.len()
                ),
            });
            continue;
        }
        let mut lead = LeadInput::default();
        let mut problems = Vec::new();
        for (column, value) in header.iter().zip(record.iter()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let text = || Some(value.to_string());
            let number =
                |problems: &mut Vec<(&'static str, String)>, name: &'static str| match value
                    .parse::<i64>()
                {
                    Ok(n) => Some(n),
                    Err(_) => {
                        problems.push((name, format!("\"{value}\" is not a whole number")));
                        None
                    }
                };
            match column.as_str() {
                "external_id" => lead.external_id = value.to_string(),
                "email" => lead.email = text(),
                "name" => lead.name = text(),
                "company" => lead.company = text(),
                "title" => lead.title = text(),
                "company_size" => lead.company_size = number(&mut problems, "company_size"),
                "country" => lead.country = Some(value.to_uppercase()),
                "source" => lead.source = text(),
                "campaign" => lead.campaign = text(),
                "score" => lead.score = number(&mut problems, "score"),
                "stage" => lead.stage = Some(value.to_lowercase()),
                "owner_email" => lead.owner_email = Some(value.to_lowercase()),
                "stage_changed_at" => lead.stage_changed_at = text(),
                _ => {}
            }
        }
        problems.extend(check_lead(&lead));
        if problems.is_empty() {
            good.push(lead);
        } else {
            bad.extend(row_errors(line, problems));
        }
    }
    Ok((good, bad))
}

/// Writes the good rows in one transaction. With `history`, the stage changes they make
/// are marked so that their handoffs get no alert. `progress` hears every 10,000 rows.
pub async fn import(
    db: &Db,
    leads_in: &[LeadInput],
    history: bool,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    let first_event = events::newest_id(&mut tx).await? + 1;
    for (i, lead) in leads_in.iter().enumerate() {
        leads::upsert(&mut tx, lead).await?;
        if (i + 1) % 10_000 == 0 {
            progress(i + 1);
        }
    }
    if history {
        let last_event = events::newest_id(&mut tx).await?;
        if last_event >= first_event {
            events::add_quiet_range(&mut tx, first_event, last_event).await?;
        }
    }
    tx.commit().await.context("cannot commit the import")?;
    Ok(leads_in.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_csv_rows_are_named_by_line_and_column_and_good_rows_kept() {
        let csv = "external_id,name,company_size,stage,country\n\
                   a1,Ann,50,mql,BR\n\
                   a2,Bob,lots,lead,PT\n\
                   ,Cid,10,lead,DE\n\
                   a4,Dee,10,won,DE\n\
                   a5,Eve,10,lead,Germany\n\
                   a6,Fay,10\n\
                   a7,Gus,,visitor,\n";
        let (good, bad) = read_csv(csv).unwrap();
        let ids: Vec<&str> = good.iter().map(|l| l.external_id.as_str()).collect();
        assert_eq!(ids, ["a1", "a7"]);
        let errors: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "line 3, column company_size: \"lots\" is not a whole number",
                "line 4, column external_id: is required: every lead needs the id it has in your CRM",
                "line 5, column stage: unknown stage \"won\": use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified",
                "line 6, column country: \"GERMANY\" is not an ISO 3166 alpha-2 code such as BR or DE",
                "line 7: has 3 fields but the header has 5",
            ]
        );
    }

    #[test]
    fn an_unknown_csv_column_refuses_the_file() {
        let err = read_csv("external_id,nmae\nx,y\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 1: unknown column \"nmae\""),
            "{err}"
        );
    }

    #[test]
    fn jsonl_rows_are_checked_too() {
        let text = "{\"external_id\":\"j1\",\"stage\":\"mql\",\"score\":80}\n\
                    {\"external_id\":\"j2\",\"score\":\"high\"}\n\
                    {\"external_id\":\"j3\",\"colour\":\"red\"}\n\
                    \n\
                    {\"external_id\":\"j4\",\"stage_changed_at\":\"yesterday\"}\n";
        let (good, bad) = read_jsonl(text);
        assert_eq!(good.len(), 1);
        assert_eq!(bad.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3, 5]);
        assert!(
            bad[1].problem.contains("unknown field `colour`"),
            "{}",
            bad[1]
        );
        assert_eq!(bad[2].column.as_deref(), Some("stage_changed_at"));
    }
}
