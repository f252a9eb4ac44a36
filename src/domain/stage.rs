//! Lead stages in funnel order, and what a stage change means for a handoff.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A lead's stage. The order of the variants is the funnel order; `Disqualified` stands
/// outside it (it is "after" nothing and nothing is after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Visitor,
    Lead,
    Mql,
    Sql,
    Opportunity,
    Customer,
    Evangelist,
    Disqualified,
}

impl Stage {
    /// The funnel, from `visitor` to `evangelist`.
    pub const FUNNEL: [Stage; 7] = [
        Stage::Visitor,
        Stage::Lead,
        Stage::Mql,
        Stage::Sql,
        Stage::Opportunity,
        Stage::Customer,
        Stage::Evangelist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Visitor => "visitor",
            Stage::Lead => "lead",
            Stage::Mql => "mql",
            Stage::Sql => "sql",
            Stage::Opportunity => "opportunity",
            Stage::Customer => "customer",
            Stage::Evangelist => "evangelist",
            Stage::Disqualified => "disqualified",
        }
    }

    /// Position in the funnel; `None` for `disqualified`.
    pub fn rank(self) -> Option<usize> {
        Stage::FUNNEL.iter().position(|s| *s == self)
    }

    /// True when `self` comes after `other` in funnel order.
    pub fn is_after(self, other: Stage) -> bool {
        matches!((self.rank(), other.rank()), (Some(a), Some(b)) if a > b)
    }
}

crate::domain::display_as_str!(Stage);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown stage \"{0}\": use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified"
)]
pub struct UnknownStage(pub String);

impl FromStr for Stage {
    type Err = UnknownStage;

    fn from_str(s: &str) -> Result<Stage, UnknownStage> {
        let wanted = s.trim().to_ascii_lowercase();
        Stage::FUNNEL
            .iter()
            .chain(std::iter::once(&Stage::Disqualified))
            .find(|stage| stage.as_str() == wanted)
            .copied()
            .ok_or_else(|| UnknownStage(s.to_string()))
    }
}

/// What a stage change does to the lead's open handoff, if it has one (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The lead entered `mql`: open a handoff.
    BecameMql,
    /// The lead left `mql` forward: the open handoff is accepted.
    LeftForward,
    /// The lead left `mql` backward or was disqualified: the open handoff is rejected.
    LeftBackward,
    /// Nothing for handoffs.
    Other,
}

pub fn classify(from: Option<Stage>, to: Stage) -> Transition {
    match (from, to) {
        (Some(Stage::Mql), Stage::Mql) => Transition::Other,
        (_, Stage::Mql) => Transition::BecameMql,
        (Some(Stage::Mql), to) if to.is_after(Stage::Mql) => Transition::LeftForward,
        (Some(Stage::Mql), _) => Transition::LeftBackward,
        _ => Transition::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_parse_and_print() {
        for stage in Stage::FUNNEL.iter().chain([Stage::Disqualified].iter()) {
            assert_eq!(stage.as_str().parse::<Stage>(), Ok(*stage));
        }
        assert_eq!(" MQL ".parse::<Stage>(), Ok(Stage::Mql));
        assert_eq!(
            "won".parse::<Stage>().unwrap_err().to_string(),
            "unknown stage \"won\": use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified"
        );
    }

    #[test]
    fn transitions_follow_spec_section_3() {
        use Stage::*;
        let cases = [
            (None, Mql, Transition::BecameMql),
            (Some(Lead), Mql, Transition::BecameMql),
            (Some(Sql), Mql, Transition::BecameMql),
            (Some(Mql), Mql, Transition::Other),
            (Some(Mql), Sql, Transition::LeftForward),
            (Some(Mql), Customer, Transition::LeftForward),
            (Some(Mql), Lead, Transition::LeftBackward),
            (Some(Mql), Visitor, Transition::LeftBackward),
            (Some(Mql), Disqualified, Transition::LeftBackward),
            (Some(Lead), Sql, Transition::Other),
            (None, Lead, Transition::Other),
        ];
        for (from, to, want) in cases {
            assert_eq!(classify(from, to), want, "{from:?} -> {to:?}");
        }
        assert!(!Disqualified.is_after(Lead));
        assert!(!Sql.is_after(Disqualified));
    }
}
