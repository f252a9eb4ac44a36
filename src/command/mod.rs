//! Chat commands, platform-neutral: the grammar (text → [`grammar::Command`]) and who may
//! run what (SPEC §6). Pure: the engine loads the facts, this module decides.

pub mod grammar;

use crate::domain::directory::{Person, Role};
use crate::i18n::Text;

/// Checks that `actor` may change a handoff assigned to `assignee` in a team managed by
/// `manager`: the assignee, that manager, or an admin. The error is the reply.
pub fn may_work_on(
    actor: &Person,
    assignee: Option<&str>,
    manager: Option<&str>,
) -> Result<(), Text> {
    let is = |who: Option<&str>| who.is_some_and(|w| w.eq_ignore_ascii_case(&actor.email));
    if actor.role == Role::Admin || is(assignee) || (actor.role == Role::Manager && is(manager)) {
        Ok(())
    } else {
        Err(Text::new("refuse-not-yours").arg("assignee", assignee.unwrap_or("nobody")))
    }
}

/// Checks that `actor` may set `target` away or back: anyone for themselves, a manager for
/// the reps of their own team (`manager` is the manager of the target's team), an admin for
/// anyone. The error is the reply.
pub fn may_set_availability(
    actor: &Person,
    target: &Person,
    manager: Option<&str>,
) -> Result<(), Text> {
    let own_manager = actor.role == Role::Manager
        && target.role == Role::Rep
        && manager.is_some_and(|m| m.eq_ignore_ascii_case(&actor.email));
    if actor.role == Role::Admin || actor.email == target.email || own_manager {
        Ok(())
    } else if actor.role == Role::Manager {
        Err(Text::new("refuse-availability-not-your-rep").arg("person", target.email.as_str()))
    } else {
        Err(Text::new("refuse-availability-own-only").arg("person", target.email.as_str()))
    }
}

/// Checks that `actor` may hand a lead to someone else: the team's manager or an admin.
pub fn may_reassign(actor: &Person, manager: Option<&str>) -> Result<(), Text> {
    let is_manager = manager.is_some_and(|m| m.eq_ignore_ascii_case(&actor.email));
    if actor.role == Role::Admin || is_manager {
        Ok(())
    } else {
        Err(Text::new("refuse-reassign"))
    }
}

/// What `/lead handback` needs to know about a handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandbackFacts<'a> {
    pub lead_id: i64,
    pub assignee: Option<&'a str>,
    /// The handoff's status when it is decided (`accepted`, `rejected`); `None` while open.
    pub decided: Option<&'a str>,
    /// When the actor already handed this handoff back, if they did.
    pub handed_back_at: Option<&'a str>,
    /// The clock that already ran out on the actor, if one did.
    pub breached: Option<&'a str>,
}

/// Checks that `actor` may hand a lead back to the rotation: its assignee, once per
/// handoff, before a breach, while it is open. The error is the reply.
pub fn may_hand_back(actor: &Person, f: &HandbackFacts<'_>) -> Result<(), Text> {
    let lead = f.lead_id;
    if let Some(status) = f.decided {
        return Err(Text::new("refuse-handback-decided")
            .num("lead", lead)
            .arg("status", status));
    }
    if !f
        .assignee
        .is_some_and(|a| a.eq_ignore_ascii_case(&actor.email))
    {
        return Err(Text::new("refuse-handback-not-yours")
            .num("lead", lead)
            .arg("assignee", f.assignee.unwrap_or("nobody")));
    }
    if let Some(at) = f.handed_back_at {
        return Err(Text::new("refuse-handback-twice")
            .num("lead", lead)
            .arg("at", at));
    }
    if let Some(clock) = f.breached {
        return Err(Text::new("refuse-handback-breached")
            .num("lead", lead)
            .arg("clock", clock));
    }
    Ok(())
}

/// Checks that `actor` may confirm a Discord link to `target`, whose team is managed by
/// `manager`: an admin may confirm anyone; a manager only a rep of their own team. Links to
/// managers, marketers and admins need an admin, so a link can never make someone an admin.
pub fn may_confirm_link(
    actor: &Person,
    target: &Person,
    manager: Option<&str>,
) -> Result<(), Text> {
    if actor.role == Role::Admin {
        return Ok(());
    }
    if target.role != Role::Rep {
        return Err(Text::new("refuse-confirm-role")
            .arg("person", target.email.as_str())
            .arg("role", target.role.as_str()));
    }
    let is_manager = manager.is_some_and(|m| m.eq_ignore_ascii_case(&actor.email));
    if actor.role == Role::Manager && is_manager {
        Ok(())
    } else {
        Err(match manager {
            Some(m) => Text::new("refuse-confirm-manager")
                .arg("person", target.email.as_str())
                .arg("manager", m),
            None => Text::new("refuse-confirm-no-manager").arg("person", target.email.as_str()),
        })
    }
}

/// Checks that `actor` may see the Discord links and their history: managers and admins.
pub fn may_list_links(actor: &Person) -> Result<(), Text> {
    if matches!(actor.role, Role::Admin | Role::Manager) {
        Ok(())
    } else {
        Err(Text::new("refuse-links"))
    }
}

/// The reply to someone Baton does not know.
pub fn unknown_person(who: &str) -> Text {
    Text::new("refuse-unknown-person").arg("who", who)
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
            locale: None,
        }
    }

    #[test]
    fn people_set_their_own_availability_managers_their_reps_admins_anyone() {
        let rep = person("rep@x.test", Role::Rep);
        let boss = Some("boss@x.test");
        // (actor, target, manager of the target's team, allowed)
        let cases = [
            (person("rep@x.test", Role::Rep), rep.clone(), boss, true),
            (person("other@x.test", Role::Rep), rep.clone(), boss, false),
            (
                person("boss@x.test", Role::Manager),
                rep.clone(),
                boss,
                true,
            ),
            (
                person("otherboss@x.test", Role::Manager),
                rep.clone(),
                boss,
                false,
            ),
            (person("root@x.test", Role::Admin), rep.clone(), boss, true),
            (
                person("mkt@x.test", Role::Marketer),
                rep.clone(),
                boss,
                false,
            ),
            // A manager cannot set another manager away, even in their team.
            (
                person("boss@x.test", Role::Manager),
                person("peer@x.test", Role::Manager),
                boss,
                false,
            ),
        ];
        for (actor, target, manager, allowed) in cases {
            let got = may_set_availability(&actor, &target, manager);
            assert_eq!(
                got.is_ok(),
                allowed,
                "{} → {}: {got:?}",
                actor.email,
                target.email
            );
        }
        assert_eq!(
            may_set_availability(&person("other@x.test", Role::Rep), &rep, boss)
                .unwrap_err()
                .to_string(),
            "you can set only your own availability, not rep@x.test's: their manager or an admin can"
        );
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
            may_work_on(&person("other@x.test", Role::Rep), Some("rep@x.test"), None)
                .unwrap_err()
                .to_string(),
            "only the assignee (rep@x.test), their manager or an admin can do that"
        );
        assert!(may_reassign(&person("boss@x.test", Role::Manager), Some("boss@x.test")).is_ok());
    }

    #[test]
    fn only_the_assignee_hands_back_once_before_a_breach() {
        let rep = person("rep@x.test", Role::Rep);
        let boss = person("boss@x.test", Role::Manager);
        let open = HandbackFacts {
            lead_id: 7,
            assignee: Some("rep@x.test"),
            decided: None,
            handed_back_at: None,
            breached: None,
        };
        // (actor, facts, the start of the refusal or None when allowed)
        let cases = [
            (&rep, open, None),
            (
                &rep,
                HandbackFacts {
                    assignee: Some("REP@x.test"),
                    ..open
                },
                None,
            ),
            (
                &boss,
                open,
                Some("lead #7 is not yours (it is assigned to rep@x.test)"),
            ),
            (
                &rep,
                HandbackFacts {
                    assignee: None,
                    ..open
                },
                Some("lead #7 is not yours (it is assigned to nobody)"),
            ),
            (
                &rep,
                HandbackFacts {
                    handed_back_at: Some("2026-11-20T10:00:00.000Z"),
                    ..open
                },
                Some("you already handed lead #7 back at 2026-11-20T10:00:00.000Z"),
            ),
            (
                &rep,
                HandbackFacts {
                    breached: Some("acknowledge"),
                    ..open
                },
                Some("the acknowledge SLA of lead #7 already ran out while you held it"),
            ),
            (
                &rep,
                HandbackFacts {
                    decided: Some("accepted"),
                    ..open
                },
                Some("lead #7 was already accepted: there is nothing to hand back"),
            ),
        ];
        for (actor, facts, want) in cases {
            match (may_hand_back(actor, &facts), want) {
                (Ok(()), None) => {}
                (Err(e), Some(start)) => {
                    let e = e.to_string();
                    assert!(e.starts_with(start), "{e}");
                    assert!(e.ends_with("usage: /lead handback LEAD [reason]"), "{e}");
                }
                (got, want) => panic!("{facts:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn a_manager_confirms_only_reps_of_their_team() {
        let boss = person("boss@x.test", Role::Manager);
        let other_boss = person("otherboss@x.test", Role::Manager);
        let root = person("root@x.test", Role::Admin);
        let rep = person("rep@x.test", Role::Rep);
        // (actor, target, allowed)
        let cases = [
            (&boss, Role::Rep, true),
            (&boss, Role::Admin, false),
            (&boss, Role::Manager, false),
            (&boss, Role::Marketer, false),
            (&other_boss, Role::Rep, false),
            (&rep, Role::Rep, false),
            (&root, Role::Rep, true),
            (&root, Role::Admin, true),
            (&root, Role::Manager, true),
        ];
        for (actor, role, allowed) in cases {
            let target = person("t@x.test", role);
            let got = may_confirm_link(actor, &target, Some("boss@x.test"));
            assert_eq!(got.is_ok(), allowed, "{} → {role:?}", actor.email);
        }
        assert_eq!(
            may_confirm_link(&boss, &person("t@x.test", Role::Admin), Some("boss@x.test"))
                .unwrap_err()
                .to_string(),
            "t@x.test is an admin: only an admin can confirm a link to a manager, marketer or admin"
        );
        assert!(may_list_links(&boss).is_ok() && may_list_links(&root).is_ok());
        assert!(may_list_links(&rep).is_err());
        assert!(may_list_links(&person("m@x.test", Role::Marketer)).is_err());
        assert!(may_reassign(&person("rep@x.test", Role::Rep), Some("boss@x.test")).is_err());
    }
}
