//! A lead as Baton reads it from the `leads` table, and the matcher that `[[route]]` and
//! `[[sla]]` rules use to pick leads by their fields.
//!
//! SQLite columns have an affinity, not a type: another writer may leave `'51-200'` in
//! `company_size`, `70.5` in `score` or a BLOB in `name`. [`Stored`] is a value as SQLite
//! keeps it; [`Lead::from_stored`] turns the stored columns into the typed fields, and a
//! value that cannot serve as its column's type becomes absent there (so routing, matching
//! and scoring ignore it) while [`Lead::unusable`] keeps it as stored, for people to read.

use serde::{Deserialize, Serialize};

use super::stage::Stage;

/// The fields of a lead that routing, SLA policies and alerts look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub id: i64,
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub company_size: Option<i64>,
    pub country: Option<String>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub score: Option<i64>,
    pub stage: Stage,
    pub owner_email: Option<String>,
    /// The company's domain when the writer gave it (`acme.com`); else the email's counts.
    #[serde(default)]
    pub company_domain: Option<String>,
    /// The columns whose stored value could not serve as their type (absent above).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unusable: Vec<Unusable>,
}

/// A value as SQLite stores it in a column, whatever the column's declared type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Stored {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A stored value that could not serve as its column's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unusable {
    pub column: String,
    /// The value as stored, written for a person.
    pub shown: String,
    /// What is wrong with it, without the value itself when the column holds personal data.
    pub problem: String,
}

/// How many bytes of a BLOB are shown in hex before it is cut.
const BLOB_SHOWN: usize = 32;

impl Stored {
    /// The value as a person should read it; `None` for NULL.
    pub fn shown(&self) -> Option<String> {
        Some(match self {
            Stored::Null => return None,
            Stored::Integer(n) => n.to_string(),
            Stored::Real(x) => x.to_string(),
            Stored::Text(text) => text.clone(),
            Stored::Blob(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => text.to_string(),
                Err(_) => {
                    let cut = &bytes[..bytes.len().min(BLOB_SHOWN)];
                    let more = if bytes.len() > BLOB_SHOWN { "…" } else { "" };
                    format!("x'{}'{more}", hex(cut))
                }
            },
        })
    }

    /// The value as text, for a TEXT column: numbers serve as their decimal form; a BLOB
    /// does not serve (the error says why, without the value).
    pub fn as_text(&self) -> Result<Option<String>, String> {
        match self {
            Stored::Blob(bytes) => Err(format!("a BLOB of {} bytes, not text", bytes.len())),
            other => Ok(other.shown()),
        }
    }

    /// The value as a whole number, for an INTEGER column: a whole REAL (`70.0`) or text
    /// holding a whole number serve; anything else does not (the error says why).
    pub fn as_integer(&self) -> Result<Option<i64>, String> {
        match self {
            Stored::Null => Ok(None),
            Stored::Integer(n) => Ok(Some(*n)),
            Stored::Real(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(Some(*x as i64)),
            Stored::Real(x) => Err(format!("{x} is not a whole number")),
            Stored::Text(text) => match text.trim().parse::<i64>() {
                Ok(n) => Ok(Some(n)),
                Err(_) if text.trim().is_empty() => Err("empty text is not a number".into()),
                Err(_) => Err(format!("text \"{}\" is not a whole number", cut_text(text))),
            },
            Stored::Blob(bytes) => Err(format!("a BLOB of {} bytes, not a number", bytes.len())),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// At most 40 characters of `text`, for error messages.
fn cut_text(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The columns of `leads` that Baton reads, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLead {
    pub id: i64,
    pub stage: Stage,
    pub external_id: Stored,
    pub email: Stored,
    pub name: Stored,
    pub company: Stored,
    pub title: Stored,
    pub company_size: Stored,
    pub country: Stored,
    pub source: Stored,
    pub campaign: Stored,
    pub score: Stored,
    pub owner_email: Stored,
    pub company_domain: Stored,
}

impl Lead {
    /// The typed lead of a stored row: every value that cannot serve as its column's type
    /// is absent and listed in [`Lead::unusable`].
    pub fn from_stored(row: StoredLead) -> Lead {
        fn keep<T>(
            unusable: &mut Vec<Unusable>,
            column: &str,
            value: &Stored,
            typed: Result<Option<T>, String>,
        ) -> Option<T> {
            typed.unwrap_or_else(|problem| {
                unusable.push(Unusable {
                    column: column.to_string(),
                    shown: value.shown().unwrap_or_default(),
                    problem,
                });
                None
            })
        }
        let mut u = Vec::new();
        let external_id = keep(
            &mut u,
            "external_id",
            &row.external_id,
            row.external_id.as_text(),
        );
        let email = keep(&mut u, "email", &row.email, row.email.as_text());
        let name = keep(&mut u, "name", &row.name, row.name.as_text());
        let company = keep(&mut u, "company", &row.company, row.company.as_text());
        let title = keep(&mut u, "title", &row.title, row.title.as_text());
        let company_size = keep(
            &mut u,
            "company_size",
            &row.company_size,
            row.company_size.as_integer(),
        );
        let country = keep(&mut u, "country", &row.country, row.country.as_text());
        let source = keep(&mut u, "source", &row.source, row.source.as_text());
        let campaign = keep(&mut u, "campaign", &row.campaign, row.campaign.as_text());
        let score = keep(&mut u, "score", &row.score, row.score.as_integer());
        let owner_email = keep(
            &mut u,
            "owner_email",
            &row.owner_email,
            row.owner_email.as_text(),
        );
        let company_domain = keep(
            &mut u,
            "company_domain",
            &row.company_domain,
            row.company_domain.as_text(),
        );
        let unusable = u;
        Lead {
            id: row.id,
            external_id,
            email,
            name,
            company,
            title,
            company_size,
            country,
            source,
            campaign,
            score,
            stage: row.stage,
            owner_email,
            company_domain,
            unusable,
        }
    }

    /// The stored form of `column` when its value could not serve as its type.
    pub fn shown(&self, column: &str) -> Option<&str> {
        self.unusable
            .iter()
            .find(|u| u.column == column)
            .map(|u| u.shown.as_str())
    }

    /// A field for a person to read: the typed value, else the value as stored.
    pub fn field_text<T: ToString>(&self, column: &str, typed: &Option<T>) -> Option<String> {
        typed
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| self.shown(column).map(str::to_string))
    }

    /// The name to show a person: the lead's name (as stored if it is not text), else its
    /// email, else its id.
    pub fn display_name(&self) -> String {
        self.field_text("name", &self.name)
            .or_else(|| self.field_text("email", &self.email))
            .unwrap_or_else(|| format!("lead {}", self.id))
    }
}

/// One value or a list of values in the config: `country = "BR"` or `country = ["BR", "PT"]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn contains_ignoring_case(&self, value: &str) -> bool {
        match self {
            OneOrMany::One(one) => one.eq_ignore_ascii_case(value),
            OneOrMany::Many(many) => many.iter().any(|one| one.eq_ignore_ascii_case(value)),
        }
    }

    fn any_inside(&self, haystack: &str) -> bool {
        let haystack = haystack.to_lowercase();
        match self {
            OneOrMany::One(one) => haystack.contains(&one.to_lowercase()),
            OneOrMany::Many(many) => many
                .iter()
                .any(|one| haystack.contains(&one.to_lowercase())),
        }
    }
}

/// The `when` of a `[[route]]` or `[[sla]]`: every condition given must hold; an empty
/// matcher matches every lead. Text comparisons ignore case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadMatcher {
    pub country: Option<OneOrMany>,
    pub source: Option<OneOrMany>,
    pub campaign: Option<OneOrMany>,
    /// The title contains one of these words, e.g. `["VP", "Head of"]`.
    pub title_contains: Option<OneOrMany>,
    pub company_size_min: Option<i64>,
    pub company_size_max: Option<i64>,
    pub score_min: Option<i64>,
    pub score_max: Option<i64>,
}

impl LeadMatcher {
    pub fn matches(&self, lead: &Lead) -> bool {
        fn text(rule: &Option<OneOrMany>, value: &Option<String>) -> bool {
            match (rule, value) {
                (None, _) => true,
                (Some(rule), Some(value)) => rule.contains_ignoring_case(value),
                (Some(_), None) => false,
            }
        }
        fn at_least(min: Option<i64>, value: Option<i64>) -> bool {
            min.is_none_or(|min| value.is_some_and(|v| v >= min))
        }
        fn at_most(max: Option<i64>, value: Option<i64>) -> bool {
            max.is_none_or(|max| value.is_some_and(|v| v <= max))
        }
        text(&self.country, &lead.country)
            && text(&self.source, &lead.source)
            && text(&self.campaign, &lead.campaign)
            && match (&self.title_contains, &lead.title) {
                (None, _) => true,
                (Some(rule), Some(title)) => rule.any_inside(title),
                (Some(_), None) => false,
            }
            && at_least(self.company_size_min, lead.company_size)
            && at_most(self.company_size_max, lead.company_size)
            && at_least(self.score_min, lead.score)
            && at_most(self.score_max, lead.score)
    }
}

#[cfg(test)]
pub(crate) fn sample_lead(id: i64) -> Lead {
    Lead {
        id,
        external_id: Some(format!("crm-{id}")),
        email: Some(format!("lead{id}@example.com")),
        name: Some(format!("Lead {id}")),
        company: Some("Acme".into()),
        title: Some("VP Sales".into()),
        company_size: Some(120),
        country: Some("BR".into()),
        source: Some("webinar".into()),
        campaign: Some("fall-launch".into()),
        score: Some(80),
        stage: Stage::Mql,
        owner_email: None,
        company_domain: None,
        unusable: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(toml_text: &str) -> LeadMatcher {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn every_condition_must_hold() {
        let lead = sample_lead(1);
        let cases = [
            ("", true),
            ("country = \"br\"", true),
            ("country = [\"PT\", \"BR\"]", true),
            ("country = [\"PT\", \"US\"]", false),
            ("company_size_min = 50", true),
            ("company_size_min = 500", false),
            ("company_size_max = 120", true),
            ("score_min = 80\nscore_max = 90", true),
            ("title_contains = [\"head of\", \"vp\"]", true),
            ("title_contains = \"director\"", false),
            ("country = \"BR\"\nsource = \"ads\"", false),
            ("campaign = \"FALL-LAUNCH\"", true),
        ];
        for (rule, want) in cases {
            assert_eq!(matcher(rule).matches(&lead), want, "{rule}");
        }
        let mut unknown = lead.clone();
        unknown.company_size = None;
        assert!(!matcher("company_size_min = 1").matches(&unknown));
    }

    fn stored(company_size: Stored, score: Stored, name: Stored) -> Lead {
        Lead::from_stored(StoredLead {
            id: 7,
            stage: Stage::Mql,
            external_id: Stored::Text("crm-7".into()),
            email: Stored::Text("x@example.com".into()),
            name,
            company: Stored::Null,
            title: Stored::Integer(42),
            company_size,
            country: Stored::Text("BR".into()),
            source: Stored::Null,
            campaign: Stored::Null,
            score,
            owner_email: Stored::Null,
            company_domain: Stored::Null,
        })
    }

    #[test]
    fn stored_values_that_do_not_fit_are_absent_but_shown() {
        let cases = [
            (
                Stored::Text("51-200".into()),
                None,
                Some("text \"51-200\" is not a whole number"),
            ),
            (
                Stored::Text("1,000".into()),
                None,
                Some("text \"1,000\" is not a whole number"),
            ),
            (
                Stored::Text("".into()),
                None,
                Some("empty text is not a number"),
            ),
            (Stored::Text(" 120 ".into()), Some(120), None),
            (Stored::Real(70.5), None, Some("70.5 is not a whole number")),
            (Stored::Real(70.0), Some(70), None),
            (Stored::Integer(500), Some(500), None),
            (Stored::Null, None, None),
            (
                Stored::Blob(vec![1, 2]),
                None,
                Some("a BLOB of 2 bytes, not a number"),
            ),
        ];
        for (value, want, problem) in cases {
            let lead = stored(value.clone(), Stored::Null, Stored::Null);
            assert_eq!(lead.company_size, want, "{value:?}");
            assert_eq!(
                lead.unusable.first().map(|u| u.problem.as_str()),
                problem,
                "{value:?}"
            );
        }
        let lead = stored(
            Stored::Text("51-200".into()),
            Stored::Real(70.5),
            Stored::Blob(vec![0xff, 0x00, 0x41]),
        );
        assert_eq!(lead.shown("company_size"), Some("51-200"));
        assert_eq!(
            lead.field_text("score", &lead.score).as_deref(),
            Some("70.5")
        );
        assert_eq!(lead.name, None);
        assert_eq!(lead.display_name(), "x'ff0041'");
        let problems: Vec<(&str, &str)> = lead
            .unusable
            .iter()
            .map(|u| (u.column.as_str(), u.problem.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                ("name", "a BLOB of 3 bytes, not text"),
                ("company_size", "text \"51-200\" is not a whole number"),
                ("score", "70.5 is not a whole number"),
            ]
        );
        assert_eq!(lead.title.as_deref(), Some("42"));
        // Unusable values are ignored by matching, as if absent.
        assert!(!matcher("company_size_min = 1").matches(&lead));
        assert!(matcher("country = \"BR\"").matches(&lead));
        let utf8 = stored(Stored::Null, Stored::Null, Stored::Blob(b"Ana".to_vec()));
        assert_eq!(utf8.display_name(), "Ana");
    }

    #[test]
    fn unknown_conditions_are_refused() {
        let err = toml::from_str::<LeadMatcher>("contry = \"BR\"").unwrap_err();
        assert!(err.to_string().contains("unknown field `contry`"), "{err}");
    }
}
