//! `[marketing]` and `[feedback]`: the targets marketing is measured against, and where a
//! lead sales rejected goes back to.

use super::Problems;
use crate::config::{FeedbackSettings, MarketingSettings};
use crate::domain::handoff::RejectReason;

/// `[feedback] reject_to`: every key is a reject reason.
pub fn feedback(settings: &FeedbackSettings, problems: &mut Problems) {
    for reason in settings.reject_to.keys() {
        if RejectReason::parse(reason).is_none() {
            problems.push(format!(
                "feedback.reject_to: \"{reason}\" is not a reject reason: use one of {}",
                RejectReason::ALL.map(RejectReason::as_str).join(", ")
            ));
        }
    }
}

/// `[marketing]`: an acceptance target is a fraction, a customer target a count that can
/// be planned, and its period comes only with it.
pub fn marketing(settings: &MarketingSettings, problems: &mut Problems) {
    if let Some(target) = settings.acceptance_target
        && !(0.0..=1.0).contains(&target)
    {
        problems.push(format!(
            "marketing.acceptance_target: {target} must be between 0 and 1, e.g. 0.6"
        ));
    }
    if let Some(target) = settings.customer_target
        && !(1..=1_000_000).contains(&target)
    {
        problems.push(format!(
            "marketing.customer_target: {target} customers cannot be planned: use a whole number from 1 to 1000000, e.g. 12"
        ));
    }
    if settings.customer_target.is_none() && settings.customer_target_period.is_some() {
        problems.push(
            "marketing.customer_target_period is set without marketing.customer_target: add the number of customers, e.g. customer_target = 12".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::expect_problems;
    use super::*;

    #[test]
    fn reject_to_keys_are_reasons() {
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (
                "[feedback.reject_to]\nno_budget = \"lead\"\nspam = \"disqualified\"\n",
                &[],
            ),
            (
                "[feedback.reject_to]\ntoo_small = \"lead\"\n",
                &[
                    "feedback.reject_to: \"too_small\" is not a reject reason: use one of not_a_fit, no_budget, no_authority, no_need, bad_timing, bad_contact, duplicate, competitor, spam, other",
                ],
            ),
        ];
        expect_problems(rows, |s, p| feedback(&s.feedback, p));
    }

    #[test]
    fn targets_are_fractions_and_plannable_counts() {
        let rows: &[(&str, &[&str])] = &[
            (
                "[marketing]\nmql_target = 40\nacceptance_target = 0.6\n",
                &[],
            ),
            (
                "[marketing]\ncustomer_target = 12\ncustomer_target_period = \"quarter\"\n",
                &[],
            ),
            (
                "[marketing]\nacceptance_target = 60.0\n",
                &["marketing.acceptance_target: 60 must be between 0 and 1, e.g. 0.6"],
            ),
            (
                "[marketing]\ncustomer_target = 0\n",
                &[
                    "marketing.customer_target: 0 customers cannot be planned: use a whole number from 1 to 1000000, e.g. 12",
                ],
            ),
            (
                "[marketing]\ncustomer_target_period = \"month\"\n",
                &[
                    "marketing.customer_target_period is set without marketing.customer_target: add the number of customers, e.g. customer_target = 12",
                ],
            ),
        ];
        expect_problems(rows, |s, p| marketing(&s.marketing, p));
    }
}
