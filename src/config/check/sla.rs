//! `[[sla]]`: each policy's windows resolved for its `business_hours`, longer than zero;
//! reminders at fractions of a window; how a reassignment treats the clocks.

use super::Problems;
use crate::config::SlaSettings;
use crate::domain::sla::{OnReassign, Policy};

/// `[[sla]]`: the policies, in order.
pub fn policies(settings: &[SlaSettings], problems: &mut Problems) -> Vec<Policy> {
    let mut policies = Vec::new();
    for (i, sla) in settings.iter().enumerate() {
        let on_reassign = match sla.on_reassign.parse::<OnReassign>() {
            Ok(how) => how,
            Err(why) => {
                problems.push(format!("sla[{i}] ({}): on_reassign: {why}", sla.name));
                OnReassign::default()
            }
        };
        let max_reassign = match u32::try_from(sla.max_reassign) {
            Ok(n) => n,
            Err(_) => {
                problems.push(format!(
                    "sla[{i}] ({}): max_reassign {} is not a number of reassignments: use 0 or more (default 2)",
                    sla.name, sla.max_reassign
                ));
                0
            }
        };
        let windows =
            [&sla.ack, &sla.first_touch, &sla.disposition].map(|w| w.resolve(sla.business_hours));
        if windows.iter().any(|w| w.is_zero()) {
            problems.push(format!(
                "sla[{i}] ({}): ack, first_touch and disposition must be longer than zero, e.g. \"15m\", \"4h\", \"3d\"",
                sla.name
            ));
        }
        if let Some(bad) = sla.remind_at.iter().find(|f| !(**f > 0.0 && **f < 1.0)) {
            problems.push(format!(
                "sla[{i}] ({}): remind_at {bad} is not a fraction of the window: use numbers between 0 and 1, e.g. [0.5, 0.9]",
                sla.name
            ));
        }
        policies.push(Policy {
            name: sla.name.clone(),
            when: sla.when.clone(),
            windows,
            business_hours: sla.business_hours,
            remind_at: sla.remind_at.clone(),
            on_breach: sla.on_breach.clone(),
            on_reassign,
            max_reassign,
        });
    }
    policies
}

#[cfg(test)]
mod tests {
    use super::super::table::{expect_problems, run};
    use super::*;
    use crate::domain::duration::Span;
    use crate::domain::sla::BreachAction;

    fn sla(extra: &str) -> String {
        format!(
            "[[sla]]\nname = \"std\"\nack = \"15m\"\nfirst_touch = \"4h\"\ndisposition = \"3d\"\n{extra}"
        )
    }

    #[test]
    fn policies_have_positive_windows_and_fractions() {
        let rows: Vec<(String, &[&str])> = vec![
            (sla(""), &[]),
            (sla("remind_at = [0.25, 0.75]\nmax_reassign = 0\n"), &[]),
            (
                sla("on_reassign = \"restart\"\n"),
                &[
                    "sla[0] (std): on_reassign: \"restart\" is not a way to reassign: use \"fresh\" (the new assignee gets the ack and first-touch windows again) or \"continue\" (the clocks keep running from the MQL)",
                ],
            ),
            (
                sla("max_reassign = -1\n"),
                &[
                    "sla[0] (std): max_reassign -1 is not a number of reassignments: use 0 or more (default 2)",
                ],
            ),
            (
                sla("").replace("\"15m\"", "\"0m\""),
                &[
                    "sla[0] (std): ack, first_touch and disposition must be longer than zero, e.g. \"15m\", \"4h\", \"3d\"",
                ],
            ),
            (
                sla("remind_at = [0.5, 1.0, 0.0]\n"),
                &[
                    "sla[0] (std): remind_at 1 is not a fraction of the window: use numbers between 0 and 1, e.g. [0.5, 0.9]",
                ],
            ),
        ];
        for (text, want) in &rows {
            expect_problems(&[(text.as_str(), *want)], |s, p| policies(&s.slas, p));
        }
    }

    #[test]
    fn windows_follow_the_policys_hours() {
        let (got, _) = run(&sla(""), |s, p| policies(&s.slas, p));
        let std = &got[0];
        assert!(std.business_hours);
        assert_eq!(std.windows[1].business, Span::from_secs(4 * 3600));
        assert_eq!(std.windows[2].business_days, 3);
        assert_eq!(std.remind_at, [0.5, 0.9]);
        assert_eq!(
            std.on_breach,
            [BreachAction::NotifyRep, BreachAction::NotifyManager]
        );
        assert_eq!((std.on_reassign, std.max_reassign), (OnReassign::Fresh, 2));
        let (got, _) = run(
            &sla("business_hours = false\non_reassign = \"continue\"\n"),
            |s, p| policies(&s.slas, p),
        );
        assert_eq!(got[0].windows[2].wall, Span::from_secs(3 * 86_400));
        assert_eq!(got[0].windows[2].business_days, 0);
        assert_eq!(got[0].on_reassign, OnReassign::Continue);
    }
}
