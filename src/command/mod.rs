//! Chat commands, platform-neutral: the grammar (text → [`grammar::Command`]) and who may
//! run what (SPEC §6). Pure: the engine loads the facts, this module decides.

pub mod grammar;

use crate::domain::directory::{Person, Role};

/// Checks that `actor` may change a handoff assigned to `assignee` in a team managed by
/// `manager`: the assignee, that manager, or an admin. The error is the reply.
pub fn may_work_on(
    actor: &Person,
    assignee: Option<&str>,
    manager: Option<&str>,
) -> Result<(), String> {
    let is = |who: Option<&str>| who.is_some_and(|w| w.eq_ignore_ascii_case(&actor.email));
    if actor.role == Role::Admin || is(assignee) || (actor.role == Role::Manager && is(manager)) {
        Ok(())
    } else {
        Err(format!(
            "only the assignee ({}), their manager or an admin can do that",
            assignee.unwrap_or("nobody")
        ))
    }
}

/// Checks that `actor` may hand a lead to someone else: the team's manager or an admin.
pub fn may_reassign(actor: &Person, manager: Option<&str>) -> Result<(), String> {
    let is_manager = manager.is_some_and(|m| m.eq_ignore_ascii_case(&actor.email));
    if actor.role == Role::Admin || is_manager {
        Ok(())
    } else {
        Err("only the team's manager or an admin can reassign a lead".into())
    }
}

/// The reply to someone Baton does not know.
pub fn unknown_person(who: &str) -> String {
    format!(
        "{who} is not a Baton user: ask an admin to add you as a [[person]] in the config (or link your account with /baton link EMAIL)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(email: &str, role: Role) -> Person {
        Person {
            email: email.into(),
            name: email.into(),
            role,
            team: Some("sales".into()),
            calendar: None,
            slack_id: None,
            discord_id: None,
            out_of_office: vec![],
            weight: 1,
            max_open: None,
        }
    }

    #[test]
    fn assignee_manager_and_admin_may_work_on_a_handoff() {
        let cases = [
            ("rep@x.test", Role::Rep, true),
            ("other@x.test", Role::Rep, false),
            ("boss@x.test", Role::Manager, true),
            ("otherboss@x.test", Role::Manager, false),
            ("root@x.test", Role::Admin, true),
            ("mkt@x.test", Role::Marketer, false),
        ];
        for (email, role, allowed) in cases {
            let got = may_work_on(
                &person(email, role),
                Some("rep@x.test"),
                Some("boss@x.test"),
            );
            assert_eq!(got.is_ok(), allowed, "{email}");
        }
        assert_eq!(
            may_work_on(&person("other@x.test", Role::Rep), Some("rep@x.test"), None).unwrap_err(),
            "only the assignee (rep@x.test), their manager or an admin can do that"
        );
        assert!(may_reassign(&person("boss@x.test", Role::Manager), Some("boss@x.test")).is_ok());
        assert!(may_reassign(&person("rep@x.test", Role::Rep), Some("boss@x.test")).is_err());
    }
}
