//! A lead as Baton reads it from the `leads` table, and the matcher that `[[route]]` and
//! `[[sla]]` rules use to pick leads by their fields.

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
}

impl Lead {
    /// The name to show a person: the lead's name, else its email, else its id.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.email.clone())
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

    #[test]
    fn unknown_conditions_are_refused() {
        let err = toml::from_str::<LeadMatcher>("contry = \"BR\"").unwrap_err();
        assert!(err.to_string().contains("unknown field `contry`"), "{err}");
    }
}
