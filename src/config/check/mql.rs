//! `[mql]`: in `score` mode, the rules of the score model and its threshold.

use super::Problems;
use crate::config::MqlSettings;
use crate::domain::scoring::{MqlMode, ScoreModel};

/// `[mql]`: every rule is usable; `score` mode has rules and a positive threshold. The
/// model is `Some` in `score` mode only.
pub fn mql(settings: &MqlSettings, problems: &mut Problems) -> Option<ScoreModel> {
    for (i, rule) in settings.fit.iter().enumerate() {
        if let Some(problem) = rule.problem() {
            problems.push(format!("mql.fit[{i}]: {problem}"));
        }
    }
    for (i, rule) in settings.engagement.iter().enumerate() {
        if rule.activity.trim().is_empty() {
            problems.push(format!(
                "mql.engagement[{i}]: activity is empty: name the activity type, e.g. \"pricing_view\""
            ));
        }
    }
    let scoring = settings.mode == MqlMode::Score;
    if scoring && settings.fit.is_empty() && settings.engagement.is_empty() {
        problems.push(
            "mql: mode = \"score\" needs [[mql.fit]] or [[mql.engagement]] rules (or use mode = \"watch\")".into(),
        );
    }
    if scoring && settings.threshold <= 0.0 {
        problems.push(format!(
            "mql.threshold: {} must be above 0",
            settings.threshold
        ));
    }
    scoring.then(|| ScoreModel {
        fit: settings.fit.clone(),
        engagement: settings.engagement.clone(),
        threshold: settings.threshold,
    })
}

#[cfg(test)]
mod tests {
    use super::super::table::{expect_problems, run};
    use super::*;

    const FIT: &str =
        "[[mql.fit]]\nfield = \"title\"\nop = \"contains\"\nvalue = \"VP\"\npoints = 20\n";

    #[test]
    fn the_score_model_has_usable_rules() {
        let score = format!("[mql]\nmode = \"score\"\nthreshold = 50\n{FIT}");
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (&score, &[]),
            (
                "[mql]\nmode = \"score\"\n",
                &[
                    "mql: mode = \"score\" needs [[mql.fit]] or [[mql.engagement]] rules (or use mode = \"watch\")",
                ],
            ),
            (
                &format!("[mql]\nmode = \"score\"\nthreshold = 0\n{FIT}"),
                &["mql.threshold: 0 must be above 0"],
            ),
            (
                "[[mql.fit]]\nfield = \"country\"\nop = \"in\"\nvalue = \"BR\"\npoints = 5\n",
                &["mql.fit[0]: op \"in\" needs a list value, e.g. [\"BR\", \"PT\"]"],
            ),
            (
                "[[mql.fit]]\nfield = \"mood\"\nop = \"eq\"\nvalue = \"happy\"\npoints = 5\n",
                &[
                    "mql.fit[0]: field \"mood\" cannot be scored: use one of title, company, company_size, country, source, campaign, score, email, owner_email",
                ],
            ),
            (
                "[[mql.engagement]]\nactivity = \" \"\npoints = 10\n",
                &[
                    "mql.engagement[0]: activity is empty: name the activity type, e.g. \"pricing_view\"",
                ],
            ),
        ];
        expect_problems(rows, |s, p| mql(&s.mql, p));
        let (model, _) = run(&score, |s, p| mql(&s.mql, p));
        let model = model.unwrap();
        assert_eq!(
            (model.fit.len(), model.engagement.len(), model.threshold),
            (1, 0, 50.0)
        );
        let (model, _) = run(FIT, |s, p| mql(&s.mql, p));
        assert_eq!(model, None);
    }
}
