//! Which buttons an alert offers: one pure function of how far the handoff has come, so
//! Slack, Discord and the console always show the same set and each platform only
//! renders it. A button is offered only while the step it records can still happen:
//!
//! | handoff                 | buttons                                      |
//! |-------------------------|----------------------------------------------|
//! | open, nothing done yet  | Acknowledge, Contacted, Accept, Reject, Rate |
//! | acknowledged            | Contacted, Accept, Reject, Rate              |
//! | contacted               | Accept, Reject, Rate                         |
//! | decided (either way)    | Rate                                         |
//!
//! Rating stays possible after the decision: marketing wants to hear about rejected leads
//! most of all. Reminders are different: each offers only the one action that stops its
//! clock ([`to_stop`]).

use super::Action;
use crate::domain::handoff::Handoff;
use crate::domain::handoff::Status;
use crate::domain::sla::ClockKind;

/// How far a handoff has come, as far as its buttons care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub acked: bool,
    pub contacted: bool,
    pub decided: bool,
}

impl Progress {
    /// A new handoff: nothing done yet.
    pub const OPEN: Progress = Progress {
        acked: false,
        contacted: false,
        decided: false,
    };

    /// The progress of a stored handoff.
    pub fn of(h: &Handoff) -> Progress {
        Progress {
            acked: h.acked_at.is_some(),
            contacted: h.contacted_at.is_some(),
            decided: h.status != Status::Open,
        }
    }
}

/// The buttons of an alert at `progress`, in the order they are shown. Later steps imply
/// the earlier ones (SPEC §6: `contacted` acks, a decision acks and first-touches).
pub fn offered(progress: Progress) -> Vec<Action> {
    if progress.decided {
        return vec![Action::Rate];
    }
    let mut actions = Vec::with_capacity(Action::ALL.len());
    if !progress.acked && !progress.contacted {
        actions.push(Action::Ack);
    }
    if !progress.contacted {
        actions.push(Action::Contacted);
    }
    actions.extend([Action::Accept, Action::Reject, Action::Rate]);
    actions
}

/// The buttons of a stored handoff's alert.
pub fn of_handoff(h: &Handoff) -> Vec<Action> {
    offered(Progress::of(h))
}

/// The one step that stops `clock`: what its reminder offers.
pub fn to_stop(clock: ClockKind) -> &'static [Action] {
    match clock {
        ClockKind::Ack => &[Action::Ack],
        ClockKind::FirstTouch => &[Action::Contacted],
        ClockKind::Disposition => &[Action::Accept, Action::Reject],
    }
}

/// The command a button stands for, as a person types it (the console shows it beside
/// the buttons): `/lead contacted 12 [note]`.
pub fn typed(action: Action, lead: i64) -> String {
    match action {
        Action::Ack => format!("/lead ack {lead}"),
        Action::Contacted => format!("/lead contacted {lead} [note]"),
        Action::Accept => format!("/lead accept {lead} [note]"),
        Action::Reject => format!("/lead reject {lead} REASON [note]"),
        Action::Rate => format!("/lead rate {lead} 1-5"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    #[test]
    fn each_step_takes_away_the_buttons_it_made_useless() {
        let p = |acked, contacted, decided| Progress {
            acked,
            contacted,
            decided,
        };
        let cases = [
            (
                p(false, false, false),
                vec![Ack, Contacted, Accept, Reject, Rate],
            ),
            (p(true, false, false), vec![Contacted, Accept, Reject, Rate]),
            (p(true, true, false), vec![Accept, Reject, Rate]),
            // Contacted without a separate ack: it acked too.
            (p(false, true, false), vec![Accept, Reject, Rate]),
            (p(false, false, true), vec![Rate]),
            (p(true, true, true), vec![Rate]),
        ];
        for (progress, want) in cases {
            assert_eq!(offered(progress), want, "{progress:?}");
        }
        assert_eq!(offered(Progress::OPEN), Action::ALL.to_vec());
    }

    #[test]
    fn a_reminder_offers_the_action_that_stops_its_clock() {
        assert_eq!(to_stop(ClockKind::Ack), [Ack]);
        assert_eq!(to_stop(ClockKind::FirstTouch), [Contacted]);
        assert_eq!(to_stop(ClockKind::Disposition), [Accept, Reject]);
    }
}
