//! Discord links: `/baton link EMAIL` (a pending link), `/baton confirm USER` and
//! `/baton links`, the same on Discord and the console. Linking can never raise anyone's
//! rights: an email whose `[[person]]` has a `discord_id` cannot be linked, a manager
//! confirms only reps of their own team, and links to managers, marketers and admins need
//! an admin (`command::may_confirm_link`). Each request and confirmation is written to the
//! audit trail (`discord_link_log`) in the same transaction as the link.

use chrono_tz::Tz;
use tracing::info;

use super::Ctx;
use super::actions::Reply;
use crate::command::{may_confirm_link, may_list_links};
use crate::domain::directory::Person;
use crate::i18n::{Locale, t, tr};
use crate::message::compose;
use crate::store::discord_links::{self, LinkAction};
use crate::store::ts;

/// How many lines of the audit trail `/baton links` shows.
const HISTORY_LINES: i64 = 50;

/// The Baton person (email) behind a Discord user: the config's `discord_id`, else a
/// confirmed link to a person whose `[[person]]` has no `discord_id` (the config wins).
pub async fn person_of(ctx: &Ctx, discord_user: &str) -> anyhow::Result<Option<String>> {
    let people = &ctx.config.directory.people;
    if let Some(p) = people
        .iter()
        .find(|p| p.discord_id.as_deref() == Some(discord_user))
    {
        return Ok(Some(p.email.clone()));
    }
    let mut conn = ctx.db.pool.acquire().await?;
    let linked = discord_links::confirmed_email(&mut conn, discord_user).await?;
    Ok(linked.filter(|email| {
        ctx.config
            .directory
            .person(email)
            .is_some_and(|p| p.discord_id.is_none())
    }))
}

/// `/baton link EMAIL` from Discord user `user`: records a pending link.
pub async fn request(ctx: &Ctx, l: Locale, user: &str, email: &str) -> anyhow::Result<Reply> {
    let directory = &ctx.config.directory;
    let Some(person) = directory.person(email) else {
        return Ok(Reply::refuse(tr(
            l,
            "link-unknown-email",
            &[("email", email.into())],
        )));
    };
    if let Some(me) = directory
        .people
        .iter()
        .find(|p| p.discord_id.as_deref() == Some(user))
    {
        return Ok(Reply::refuse(tr(
            l,
            "link-already-in-config",
            &[("email", me.email.as_str().into())],
        )));
    }
    if person.discord_id.is_some() {
        return Ok(Reply::refuse(tr(
            l,
            "link-email-in-config",
            &[("email", email.into())],
        )));
    }
    let mut tx = ctx.db.begin().await?;
    discord_links::request(&mut tx, user, email, &ts(ctx.clock.now())).await?;
    tx.commit().await?;
    info!(email = %email, "Discord link requested");
    let text = match confirmer(ctx, person) {
        Some(manager) => tr(
            l,
            "link-requested-manager",
            &[
                ("user", user.into()),
                ("email", email.into()),
                ("manager", manager.into()),
            ],
        ),
        None => tr(
            l,
            "link-requested-admin",
            &[("user", user.into()), ("email", email.into())],
        ),
    };
    Ok(Reply::ok(compose::reply(text)))
}

/// The manager who may confirm a link to `person`: their team's, and only for a rep.
fn confirmer<'a>(ctx: &'a Ctx, person: &Person) -> Option<&'a str> {
    if person.role != crate::domain::directory::Role::Rep {
        return None;
    }
    team_manager(ctx, person)
}

fn team_manager<'a>(ctx: &'a Ctx, person: &Person) -> Option<&'a str> {
    let directory = &ctx.config.directory;
    person
        .team
        .as_deref()
        .and_then(|t| directory.team(t))
        .map(|t| t.manager.as_str())
}

/// `/baton confirm USER` by `actor`: confirms the pending link of Discord user `target`.
pub async fn confirm(ctx: &Ctx, actor: &Person, l: Locale, target: &str) -> anyhow::Result<Reply> {
    let directory = &ctx.config.directory;
    let mut tx = ctx.db.begin().await?;
    let Some(email) = discord_links::pending_email(&mut tx, target).await? else {
        return Ok(Reply::refuse(tr(
            l,
            "link-none-waiting",
            &[("user", target.into())],
        )));
    };
    let Some(person) = directory.person(&email) else {
        return Ok(Reply::refuse(tr(
            l,
            "link-no-longer-user",
            &[("email", email.as_str().into())],
        )));
    };
    if person.discord_id.is_some() {
        return Ok(Reply::refuse(tr(
            l,
            "link-confirm-in-config",
            &[("email", email.as_str().into())],
        )));
    }
    if let Err(why) = may_confirm_link(actor, person, team_manager(ctx, person)) {
        return Ok(Reply::refuse(why.render(l)));
    }
    discord_links::confirm(&mut tx, target, &email, &actor.email, &ts(ctx.clock.now())).await?;
    tx.commit().await?;
    info!(email = %email, by = %actor.email, "Discord link confirmed");
    Ok(Reply::ok(compose::reply(tr(
        l,
        "link-confirmed",
        &[("user", target.into()), ("email", email.as_str().into())],
    ))))
}

/// `/baton links`: every link as it stands, then the audit trail, for managers and admins.
pub async fn list(ctx: &Ctx, actor: &Person, l: Locale, tz: Tz) -> anyhow::Result<Reply> {
    if let Err(why) = may_list_links(actor) {
        return Ok(Reply::refuse(why.render(l)));
    }
    let mut conn = ctx.db.pool.acquire().await?;
    let links = discord_links::all(&mut conn).await?;
    let history = discord_links::history(&mut conn, HISTORY_LINES).await?;
    let when = |at: chrono::DateTime<chrono::Utc>| crate::i18n::local(l, at, tz);
    let count = i64::try_from(links.len()).unwrap_or(i64::MAX);
    let mut lines = vec![tr(l, "links-title", &[("count", count.into())])];
    for link in &links {
        lines.push(match (&link.confirmed, &link.confirmed_by) {
            (true, by) => tr(
                l,
                "links-confirmed",
                &[
                    ("email", link.email.as_str().into()),
                    ("user", link.discord_user_id.as_str().into()),
                    (
                        "by",
                        by.as_deref()
                            .map_or_else(|| t(l, "links-unknown"), str::to_string)
                            .into(),
                    ),
                ],
            ),
            (false, _) => tr(
                l,
                "links-waiting",
                &[
                    ("email", link.email.as_str().into()),
                    ("user", link.discord_user_id.as_str().into()),
                    ("since", when(link.requested_at).into()),
                ],
            ),
        });
    }
    lines.push(t(l, "links-history"));
    if history.is_empty() {
        lines.push(t(l, "links-nothing-yet"));
    }
    for entry in &history {
        lines.push(match entry.action {
            LinkAction::Requested => tr(
                l,
                "links-log-requested",
                &[
                    ("when", when(entry.at).into()),
                    ("user", entry.discord_user_id.as_str().into()),
                    ("email", entry.email.as_str().into()),
                ],
            ),
            LinkAction::Confirmed => tr(
                l,
                "links-log-confirmed",
                &[
                    ("when", when(entry.at).into()),
                    (
                        "by",
                        entry
                            .by
                            .as_deref()
                            .map_or_else(|| t(l, "links-someone"), str::to_string)
                            .into(),
                    ),
                    ("user", entry.discord_user_id.as_str().into()),
                    ("email", entry.email.as_str().into()),
                ],
            ),
        });
    }
    Ok(Reply::ok(compose::reply(lines.join("\n"))))
}
