//! `baton import FILE [--history] [--encoding E]`: upserts leads from CSV (with a header
//! row) or JSON Lines. Each bad row is reported with its line (and column) and skipped; the
//! good rows are imported in one transaction, each under a savepoint of its own, so a row
//! the database refuses is skipped too and never aborts the import. With `--history`, the
//! stage changes the file carries (its `stage_changed_at`) are recorded so reports count
//! them, but none of them alerts.
//!
//! Files as spreadsheets write them: a UTF-8 byte-order mark is dropped; with the default
//! UTF-8 a row holding a byte that is not UTF-8 is skipped naming its line, and
//! `--encoding windows-1252` or `latin1` reads Excel's exports. Columns Baton does not
//! know are ignored (the caller warns once, naming them); a column named twice refuses
//! the file.

use std::path::Path;

use anyhow::Context;

use crate::domain::stage::Stage;
use crate::store::leads::{self, LeadInput};
use crate::store::{Db, events};

/// The columns a file may have, as in the `leads` table.
pub const COLUMNS: [&str; 14] = [
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
    "company_domain",
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

/// True when `text` has nothing but spaces, tabs and line ends (the rule
/// docs/openapi.yaml states as `pattern: '[^ \t\r\n]'`).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

/// Field-by-field checks of a lead from outside, as (field, problem) pairs. A valid
/// `stage_changed_at` is rewritten in its canonical UTC form (see `domain::instant`).
pub fn check_lead(lead: &mut LeadInput) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if is_blank(&lead.external_id) {
        problems.push((
            "external_id",
            "is required: every lead needs the id it has in your CRM".to_string(),
        ));
    }
    if let Some(text) = &lead.stage {
        match text.parse::<Stage>() {
            Ok(stage) => lead.stage = Some(stage.as_str().to_string()),
            Err(e) => problems.push(("stage", e.to_string())),
        }
    }
    if let Some(at) = &lead.stage_changed_at {
        match crate::domain::instant::normalise(at) {
            Ok(canonical) => lead.stage_changed_at = Some(canonical),
            Err(problem) => problems.push(("stage_changed_at", problem)),
        }
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

/// The character encoding of an imported file (`--encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8: a row with a byte that is not UTF-8 is skipped, naming its line.
    #[default]
    Utf8,
    /// Windows-1252, what Excel writes on Western-European Windows.
    Windows1252,
    /// ISO 8859-1: every byte is the character of the same number.
    Latin1,
}

impl std::str::FromStr for Encoding {
    type Err = String;

    fn from_str(text: &str) -> Result<Encoding, String> {
        match text.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" => Ok(Encoding::Windows1252),
            "latin1" | "latin-1" | "iso-8859-1" => Ok(Encoding::Latin1),
            _ => Err(format!(
                "unknown encoding \"{text}\": use utf-8, windows-1252 or latin1"
            )),
        }
    }
}

impl Encoding {
    /// Decodes a whole file; `None` for UTF-8, which is checked row by row instead.
    fn decode_all(self, bytes: &[u8]) -> Option<String> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Windows1252 => Some(
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
            ),
            Encoding::Latin1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        }
    }
}

/// What a file holds: the good rows with their line numbers, the problems of the others,
/// and the columns that were ignored.
#[derive(Debug, Default)]
pub struct Parsed {
    pub leads: Vec<(usize, LeadInput)>,
    pub bad: Vec<RowError>,
    pub ignored_columns: Vec<String>,
}

impl Parsed {
    /// The number of rows skipped (a row with three problems counts once).
    pub fn skipped_rows(&self) -> usize {
        let mut lines: Vec<usize> = self.bad.iter().map(|e| e.line).collect();
        lines.dedup();
        lines.len()
    }
}

/// Reads the file into leads and per-row errors. A header that names a column twice, or
/// has no `external_id`, is an error for the whole file.
pub fn read_file(path: &Path, encoding: Encoding) -> anyhow::Result<Parsed> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let decoded = encoding.decode_all(bytes);
    let bytes = decoded.as_deref().map(str::as_bytes).unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let is_jsonl = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson" | "json")
    ) || first == Some(&b'{');
    if is_jsonl {
        Ok(read_jsonl_bytes(bytes))
    } else {
        read_csv_bytes(bytes)
    }
}

/// The problem of a row that is not valid UTF-8.
fn not_utf8(line: usize, e: std::str::Utf8Error, column: Option<String>) -> RowError {
    RowError {
        line,
        column,
        problem: format!(
            "holds a byte that is not UTF-8 (at byte {}): save the file as UTF-8, or import it with --encoding windows-1252 (Excel) or latin1",
            e.valid_up_to() + 1
        ),
    }
}

/// Line numbers of byte offsets, counted forward as the reader moves on. The CSV reader's
/// own count is one short after a Windows line end (`\r\n`), which Excel writes.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record that starts at `offset` (line ends before it are skipped).
    fn at(&mut self, offset: usize) -> usize {
        let mut start = offset.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += self.bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = start;
        }
        self.line
    }
}

pub fn read_jsonl(text: &str) -> (Vec<LeadInput>, Vec<RowError>) {
    let parsed = read_jsonl_bytes(text.as_bytes());
    (
        parsed.leads.into_iter().map(|(_, lead)| lead).collect(),
        parsed.bad,
    )
}

fn read_jsonl_bytes(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        let line = match std::str::from_utf8(raw) {
            Ok(line) => line,
            Err(e) => {
                parsed.bad.push(not_utf8(line_no, e, None));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<LeadInput>(line) {
            Ok(mut lead) => match check_lead(&mut lead) {
                problems if problems.is_empty() => parsed.leads.push((line_no, lead)),
                problems => parsed.bad.extend(row_errors(line_no, problems)),
            },
            Err(e) => parsed.bad.push(RowError {
                line: line_no,
                column: None,
                problem: format!("not a lead: {e}"),
            }),
        }
    }
    parsed
}

pub fn read_csv(text: &str) -> anyhow::Result<(Vec<LeadInput>, Vec<RowError>)> {
    let parsed = read_csv_bytes(text.as_bytes())?;
    Ok((
        parsed.leads.into_iter().map(|(_, lead)| lead).collect(),
        parsed.bad,
    ))
}

fn read_csv_bytes(bytes: &[u8]) -> anyhow::Result<Parsed> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut header = Vec::new();
    for (i, raw) in reader
        .byte_headers()
        .context("cannot read the CSV header row")?
        .iter()
        .enumerate()
    {
        let name = std::str::from_utf8(raw).map_err(|e| {
            anyhow::anyhow!("line 1, column {}: {}", i + 1, not_utf8(1, e, None).problem)
        })?;
        header.push(name.trim().to_lowercase());
    }
    let mut twice: Vec<&str> = header
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.is_empty() && header[..*i].contains(h))
        .map(|(_, h)| h.as_str())
        .collect();
    twice.dedup();
    if !twice.is_empty() {
        anyhow::bail!(
            "line 1: the header names {} more than once: keep one column of each name",
            twice
                .iter()
                .map(|h| format!("\"{h}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !header.iter().any(|h| h == "external_id") {
        anyhow::bail!(
            "line 1: the header has no external_id column: every lead needs the id it has in your CRM"
        );
    }
    let mut parsed = Parsed {
        ignored_columns: header
            .iter()
            .filter(|h| !COLUMNS.contains(&h.as_str()))
            .cloned()
            .collect(),
        ..Parsed::default()
    };
    let mut lines = LineCounter::new(bytes);
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| lines.at(p.byte() as usize))
                    .unwrap_or(0);
                parsed.bad.push(RowError {
                    line,
                    column: None,
                    problem: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map(|p| lines.at(p.byte() as usize))
            .unwrap_or(0);
        if record.len() != header.len() {
            parsed.bad.push(RowError {
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
        let mut fields = Vec::with_capacity(header.len());
        let mut unreadable = None;
        for (column, raw) in header.iter().zip(record.iter()) {
            match std::str::from_utf8(raw) {
                Ok(text) => fields.push(text),
                Err(e) => {
                    unreadable = Some(not_utf8(line, e, Some(column.clone())));
                    break;
                }
            }
        }
        if let Some(problem) = unreadable {
            parsed.bad.push(problem);
            continue;
        }
        let mut lead = LeadInput::default();
        let mut problems = Vec::new();
        for (column, value) in header.iter().zip(fields) {
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
                "company_domain" => lead.company_domain = text().map(|d| d.to_lowercase()),
                _ => {}
            }
        }
        problems.extend(check_lead(&mut lead));
        if problems.is_empty() {
            parsed.leads.push((line, lead));
        } else {
            parsed.bad.extend(row_errors(line, problems));
        }
    }
    Ok(parsed)
}

/// Writes the good rows in one transaction. With `history`, the stage changes they make
/// are marked so that their handoffs get no alert. `progress` hears every 10,000 rows.
pub async fn import(
    db: &Db,
    leads_in: &[LeadInput],
    history: bool,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<usize> {
    let rows: Vec<(usize, LeadInput)> = leads_in
        .iter()
        .enumerate()
        .map(|(i, lead)| (i + 1, lead.clone()))
        .collect();
    let report = import_rows(db, &rows, history, 10_000, |done, _| progress(done)).await?;
    Ok(report.imported)
}

/// Writes the good rows (each with its line) in one transaction, each under a savepoint:
/// a row the database refuses is rolled back alone and reported in `skipped`. With
/// `history`, the stage changes they make are marked so that their handoffs get no alert.
/// `progress` hears (rows done, rows skipped) every `every` rows.
pub async fn import_rows(
    db: &Db,
    rows: &[(usize, LeadInput)],
    history: bool,
    every: usize,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<Report> {
    use sqlx::Connection;
    let mut report = Report::default();
    let mut tx = db.begin().await?;
    let first_event = events::newest_id(&mut tx).await? + 1;
    for (i, (line, lead)) in rows.iter().enumerate() {
        let mut savepoint = (*tx).begin().await.context("cannot start a savepoint")?;
        match leads::upsert(&mut savepoint, lead).await {
            Ok(_) => {
                savepoint.commit().await.context("cannot keep a row")?;
                report.imported += 1;
            }
            Err(e) => {
                savepoint.rollback().await.context("cannot undo a row")?;
                report.skipped.push(RowError {
                    line: *line,
                    column: None,
                    problem: format!("the database refused the row: {e:#}"),
                });
            }
        }
        if every > 0 && (i + 1) % every == 0 {
            progress(i + 1, report.skipped.len());
        }
    }
    if history {
        let last_event = events::newest_id(&mut tx).await?;
        if last_event >= first_event {
            events::add_quiet_range(&mut tx, first_event, last_event).await?;
        }
    }
    tx.commit().await.context("cannot commit the import")?;
    Ok(report)
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
    fn unknown_columns_are_ignored_and_a_column_named_twice_refuses_the_file() {
        let parsed = read_csv_bytes(b"external_id,nmae,Lead Owner\nx,y,z\n").unwrap();
        assert_eq!(parsed.ignored_columns, ["nmae", "lead owner"]);
        assert_eq!(parsed.leads.len(), 1);
        let err = read_csv_bytes(b"external_id,email,Email,name,email\nx,a,b,c,d\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: the header names \"email\" more than once: keep one column of each name"
        );
    }

    #[test]
    fn a_byte_that_is_not_utf8_skips_its_row_unless_the_encoding_is_given() {
        // "Müller" as Excel writes it on Windows: ü is the single byte 0xFC.
        let bytes = b"\xEF\xBB\xBFexternal_id,name\nw1,Ann\nw2,M\xFCller\nw3,Cid\n";
        let parsed = read_csv_bytes(&bytes[3..]).unwrap();
        // Windows line ends count the same.
        let crlf = read_csv_bytes(b"external_id,name\r\nw1,Ann\r\nw2,M\xFCller\r\n\r\nw3,Cid\r\n")
            .unwrap();
        assert_eq!(crlf.bad[0].line, 3);
        assert_eq!(
            crlf.leads.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [2, 5]
        );
        let ids: Vec<&str> = parsed
            .leads
            .iter()
            .map(|(_, l)| l.external_id.as_str())
            .collect();
        assert_eq!(ids, ["w1", "w3"]);
        assert_eq!(parsed.bad.len(), 1);
        assert_eq!(parsed.bad[0].line, 3);
        assert!(
            parsed.bad[0]
                .to_string()
                .starts_with("line 3, column name: holds a byte that is not UTF-8")
        );
        let decoded = Encoding::Windows1252.decode_all(&bytes[3..]).unwrap();
        let parsed = read_csv_bytes(decoded.as_bytes()).unwrap();
        assert_eq!(parsed.leads[1].1.name.as_deref(), Some("Müller"));
        assert!(parsed.bad.is_empty());
        // 0x80 is the euro sign in Windows-1252 and a control character in Latin-1.
        assert_eq!(Encoding::Windows1252.decode_all(b"\x80").unwrap(), "€");
        assert_eq!(Encoding::Latin1.decode_all(b"\x80\xFC").unwrap(), "\u{80}ü");
    }

    #[test]
    fn odd_but_valid_times_are_stored_canonical_and_bad_ones_name_line_and_column() {
        let csv = "external_id,stage_changed_at\n\
                   t1,2026-11-20T09:30:00+15:00\n\
                   t2,2026-11-20t09:30:00z\n\
                   t3,2016-12-31T23:59:60Z\n\
                   t4,2026-11-20T09:30:00-19:50\n\
                   t5,2026-11-20 09:30\n\
                   t6,9999-12-31T23:00:00-19:50\n";
        let parsed = read_csv_bytes(csv.as_bytes()).unwrap();
        let times: Vec<&str> = parsed
            .leads
            .iter()
            .filter_map(|(_, l)| l.stage_changed_at.as_deref())
            .collect();
        assert_eq!(
            times,
            [
                "2026-11-19T18:30:00.000Z",
                "2026-11-20T09:30:00.000Z",
                "2016-12-31T23:59:59.999Z",
                "2026-11-21T05:20:00.000Z"
            ]
        );
        let errors: Vec<(usize, Option<&str>)> = parsed
            .bad
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(
            errors,
            [(6, Some("stage_changed_at")), (7, Some("stage_changed_at"))]
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
