//! The MQL definition as config (`[mql] mode = "score"`): fit rules on lead fields and
//! engagement rules on activities, each worth points, engagement optionally decaying with
//! a half-life. A lead at `lead` whose score reaches the threshold becomes an MQL, and the
//! explanation (every rule that fired, with its points) becomes the alert's "why".
//! Pure: activities and `now` are parameters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::duration::Span;
use super::lead::Lead;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MqlMode {
    /// Another system sets the stage; Baton watches.
    #[default]
    Watch,
    /// Baton scores leads and sets `mql` itself.
    Score,
}

/// How a fit rule compares a field with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    Eq,
    Ne,
    In,
    Contains,
    Gte,
    Lte,
}

impl Operator {
    fn words(self) -> &'static str {
        match self {
            Operator::Eq => "is",
            Operator::Ne => "is not",
            Operator::In => "is one of",
            Operator::Contains => "contains",
            Operator::Gte => "≥",
            Operator::Lte => "≤",
        }
    }
}

/// `{ field = "title", op = "contains", value = "VP", points = 20 }`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitRule {
    pub field: String,
    pub op: Operator,
    pub value: toml::Value,
    pub points: f64,
}

/// `{ activity = "pricing_view", points = 15, half_life = "7d" }`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngagementRule {
    pub activity: String,
    pub points: f64,
    pub half_life: Option<Span>,
}

/// The lead fields fit rules may name.
pub const FIELDS: [&str; 9] = [
    "title",
    "company",
    "company_size",
    "country",
    "source",
    "campaign",
    "score",
    "email",
    "owner_email",
];

#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    Number(f64),
    Missing,
}

fn field(lead: &Lead, name: &str) -> FieldValue {
    let text = |v: &Option<String>| {
        v.clone()
            .map(FieldValue::Text)
            .unwrap_or(FieldValue::Missing)
    };
    let number = |v: Option<i64>| {
        v.map(|n| FieldValue::Number(n as f64))
            .unwrap_or(FieldValue::Missing)
    };
    match name {
        "title" => text(&lead.title),
        "company" => text(&lead.company),
        "company_size" => number(lead.company_size),
        "country" => text(&lead.country),
        "source" => text(&lead.source),
        "campaign" => text(&lead.campaign),
        "score" => number(lead.score),
        "email" => text(&lead.email),
        "owner_email" => text(&lead.owner_email),
        _ => FieldValue::Missing,
    }
}

impl FitRule {
    /// A problem with the rule, for the config check.
    pub fn problem(&self) -> Option<String> {
        if !FIELDS.contains(&self.field.as_str()) {
            return Some(format!(
                "field \"{}\" cannot be scored: use one of {}",
                self.field,
                FIELDS.join(", ")
            ));
        }
        match (self.op, &self.value) {
            (Operator::In, toml::Value::Array(_)) => None,
            (Operator::In, _) => Some("op \"in\" needs a list value, e.g. [\"BR\", \"PT\"]".into()),
            (Operator::Gte | Operator::Lte, toml::Value::Integer(_) | toml::Value::Float(_)) => {
                None
            }
            (Operator::Gte | Operator::Lte, _) => {
                Some("ops \"gte\" and \"lte\" need a number value".into())
            }
            (_, toml::Value::String(_) | toml::Value::Integer(_) | toml::Value::Float(_)) => None,
            _ => Some("value must be text or a number".into()),
        }
    }

    pub fn matches(&self, lead: &Lead) -> bool {
        let value = field(lead, &self.field);
        let as_text = |v: &toml::Value| match v {
            toml::Value::String(s) => s.to_lowercase(),
            other => other.to_string(),
        };
        let as_number = |v: &toml::Value| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            toml::Value::String(s) => s.parse().ok(),
            _ => None,
        };
        let lead_text = match &value {
            FieldValue::Text(t) => Some(t.to_lowercase()),
            FieldValue::Number(n) => Some(n.to_string()),
            FieldValue::Missing => None,
        };
        match self.op {
            Operator::Eq => lead_text.is_some_and(|t| t == as_text(&self.value)),
            Operator::Ne => lead_text.is_none_or(|t| t != as_text(&self.value)),
            Operator::Contains => lead_text.is_some_and(|t| t.contains(&as_text(&self.value))),
            Operator::In => match &self.value {
                toml::Value::Array(items) => {
                    lead_text.is_some_and(|t| items.iter().any(|i| as_text(i) == t))
                }
                _ => false,
            },
            Operator::Gte | Operator::Lte => match (&value, as_number(&self.value)) {
                (FieldValue::Number(n), Some(limit)) => {
                    if self.op == Operator::Gte {
                        *n >= limit
                    } else {
                        *n <= limit
                    }
                }
                _ => false,
            },
        }
    }

    fn describe(&self) -> String {
        let value = match &self.value {
            toml::Value::String(s) => format!("\"{s}\""),
            other => other.to_string(),
        };
        format!("{} {} {value}", self.field, self.op.words())
    }
}

/// An engagement event of a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// The `[mql]` section, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoreModel {
    pub fit: Vec<FitRule>,
    pub engagement: Vec<EngagementRule>,
    pub threshold: f64,
}

/// A score and the rules behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub total: f64,
    pub threshold: f64,
    /// (what fired, points), in rule order.
    pub lines: Vec<(String, f64)>,
}

impl Explanation {
    pub fn qualifies(&self) -> bool {
        self.total >= self.threshold
    }

    /// One line for the alert: "score 65 ≥ 60: title contains "VP" (+20), …".
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .lines
            .iter()
            .map(|(what, points)| format!("{what} ({})", signed(*points)))
            .collect();
        let cmp = if self.qualifies() { "≥" } else { "<" };
        format!(
            "score {} {cmp} {}: {}",
            round(self.total),
            round(self.threshold),
            parts.join(", ")
        )
    }
}

fn round(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

fn signed(x: f64) -> String {
    if x >= 0.0 {
        format!("+{}", round(x))
    } else {
        round(x)
    }
}

impl ScoreModel {
    pub fn score(&self, lead: &Lead, activities: &[Activity], now: DateTime<Utc>) -> Explanation {
        let mut lines = Vec::new();
        for rule in &self.fit {
            if rule.matches(lead) {
                lines.push((rule.describe(), rule.points));
            }
        }
        for rule in &self.engagement {
            let mut points = 0.0;
            let mut count = 0;
            for activity in activities
                .iter()
                .filter(|a| a.kind == rule.activity && a.at <= now)
            {
                count += 1;
                points += match rule.half_life {
                    Some(half_life) if half_life.as_millis() > 0 => {
                        let age = (now - activity.at).num_milliseconds() as f64;
                        rule.points * 0.5f64.powf(age / half_life.as_millis() as f64)
                    }
                    _ => rule.points,
                };
            }
            if count > 0 {
                let times = if count == 1 {
                    String::new()
                } else {
                    format!(" ×{count}")
                };
                lines.push((format!("{}{times}", rule.activity), points));
            }
        }
        Explanation {
            total: lines.iter().map(|(_, p)| p).sum(),
            threshold: self.threshold,
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lead::sample_lead;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn model() -> ScoreModel {
        toml::from_str::<Model>(
            r#"
            threshold = 60
            fit = [
                { field = "title", op = "contains", value = "vp", points = 20 },
                { field = "company_size", op = "gte", value = 100, points = 15 },
                { field = "country", op = "in", value = ["BR", "PT"], points = 5 },
                { field = "source", op = "eq", value = "ads", points = 10 },
            ]
            engagement = [
                { activity = "pricing_view", points = 20, half_life = "7d" },
                { activity = "demo_request", points = 30 },
            ]
            "#,
        )
        .unwrap()
        .into()
    }

    #[derive(Deserialize)]
    struct Model {
        threshold: f64,
        fit: Vec<FitRule>,
        engagement: Vec<EngagementRule>,
    }

    impl From<Model> for ScoreModel {
        fn from(m: Model) -> ScoreModel {
            ScoreModel {
                fit: m.fit,
                engagement: m.engagement,
                threshold: m.threshold,
            }
        }
    }

    #[test]
    fn fit_and_decaying_engagement_add_up_at_fixed_times() {
        // The sample lead: VP Sales, 120 people, BR, source webinar.
        let lead = sample_lead(1);
        let now = at("2026-11-20T12:00:00Z");
        let activities = [
            Activity {
                kind: "pricing_view".into(),
                at: now,
            }, // 20
            Activity {
                kind: "pricing_view".into(),
                at: now - chrono::Duration::days(7),
            }, // 10
            Activity {
                kind: "pricing_view".into(),
                at: now - chrono::Duration::days(14),
            }, // 5
            Activity {
                kind: "webinar".into(),
                at: now,
            }, // no rule
        ];
        let e = model().score(&lead, &activities, now);
        // Fit: 20 + 15 + 5 = 40; engagement 35.
        assert_eq!(e.total, 75.0);
        assert!(e.qualifies());
        assert_eq!(
            e.summary(),
            "score 75 ≥ 60: title contains \"vp\" (+20), company_size ≥ 100 (+15), country is one of [\"BR\", \"PT\"] (+5), pricing_view ×3 (+35)"
        );
        // A week later every view is worth half as much.
        let later = model().score(&lead, &activities, now + chrono::Duration::days(7));
        assert_eq!(later.total, 40.0 + 17.5);
        assert!(!later.qualifies());
        assert_eq!(
            later.summary().split(':').next().unwrap(),
            "score 57.5 < 60"
        );
        // Activities in the future do not count yet.
        let before = model().score(&lead, &activities, now - chrono::Duration::days(10));
        assert_eq!(before.total, 40.0 + 20.0 * 0.5f64.powf(4.0 / 7.0));
    }

    #[test]
    fn rules_are_checked() {
        let bad = |text: &str| toml::from_str::<FitRule>(text).map(|r| r.problem());
        assert_eq!(
            bad("field = \"shoe_size\"\nop = \"eq\"\nvalue = 42\npoints = 1")
                .unwrap()
                .unwrap(),
            "field \"shoe_size\" cannot be scored: use one of title, company, company_size, country, source, campaign, score, email, owner_email"
        );
        assert_eq!(
            bad("field = \"country\"\nop = \"in\"\nvalue = \"BR\"\npoints = 1")
                .unwrap()
                .unwrap(),
            "op \"in\" needs a list value, e.g. [\"BR\", \"PT\"]"
        );
        assert!(bad("field = \"country\"\nop = \"like\"\nvalue = \"BR\"\npoints = 1").is_err());
        let mut lead = sample_lead(1);
        lead.source = Some("ADS".into());
        let rule: FitRule =
            toml::from_str("field = \"source\"\nop = \"ne\"\nvalue = \"ads\"\npoints = 1").unwrap();
        assert!(!rule.matches(&lead));
        lead.source = None;
        assert!(rule.matches(&lead));
    }
}
