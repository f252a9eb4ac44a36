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
use crate::chat::compose;
use crate::command::{may_confirm_link, may_list_links};
use crate::domain::directory::Person;
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
pub async fn request(ctx: &Ctx, user: &str, email: &str) -> anyhow::Result<Reply> {
    let directory = &ctx.config.directory;
    let Some(person) = directory.person(email) else {
        return Ok(Reply::refuse(format!(
            "{email} is not a Baton user: use your work email as it is in Baton's config (ask an admin to add you)"
        )));
    };
    if let Some(me) = directory
        .people
        .iter()
        .find(|p| p.discord_id.as_deref() == Some(user))
    {
        return Ok(Reply::refuse(format!(
            "your Discord account is set in Baton's config as {}; nothing to link",
            me.email
        )));
    }
    if person.discord_id.is_some() {
        return Ok(Reply::refuse(format!(
            "{email} has its Discord account set in Baton's config, so it cannot be linked; ask an admin if that is wrong"
        )));
    }
    let mut tx = ctx.db.begin().await?;
    discord_links::request(&mut tx, user, email, &ts(ctx.clock.now())).await?;
    tx.commit().await?;
    info!(email = %email, "Discord link requested");
    let who = match confirmer(ctx, person) {
        Some(manager) => format!("your manager ({manager}) or an admin"),
        None => "an admin".to_string(),
    };
    Ok(Reply::ok(compose::reply(format!(
        "Link requested: <@{user}> as {email}. It takes effect once {who} confirms it with /baton confirm @you."
    ))))
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
pub async fn confirm(ctx: &Ctx, actor: &Person, target: &str) -> anyhow::Result<Reply> {
    let directory = &ctx.config.directory;
    let mut tx = ctx.db.begin().await?;
    let Some(email) = discord_links::pending_email(&mut tx, target).await? else {
        return Ok(Reply::refuse(format!(
            "<@{target}> has no link waiting: they run /baton link EMAIL first"
        )));
    };
    let Some(person) = directory.person(&email) else {
        return Ok(Reply::refuse(format!(
            "{email} is no longer a Baton user, so the link cannot be confirmed"
        )));
    };
    if person.discord_id.is_some() {
        return Ok(Reply::refuse(format!(
            "{email} has its Discord account set in Baton's config, so it cannot be linked"
        )));
    }
    if let Err(why) = may_confirm_link(actor, person, team_manager(ctx, person)) {
        return Ok(Reply::refuse(why));
    }
    discord_links::confirm(&mut tx, target, &email, &actor.email, &ts(ctx.clock.now())).await?;
    tx.commit().await?;
    info!(email = %email, by = %actor.email, "Discord link confirmed");
    Ok(Reply::ok(compose::reply(format!(
        "Linked: <@{target}> is {email} in Baton."
    ))))
}

/// `/baton links`: every link as it stands, then the audit trail, for managers and admins.
pub async fn list(ctx: &Ctx, actor: &Person, tz: Tz) -> anyhow::Result<Reply> {
    if let Err(why) = may_list_links(actor) {
        return Ok(Reply::refuse(why));
    }
    let mut conn = ctx.db.pool.acquire().await?;
    let links = discord_links::all(&mut conn).await?;
    let history = discord_links::history(&mut conn, HISTORY_LINES).await?;
    let when = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    };
    let mut lines = vec![format!("Discord links: {}", links.len())];
    for link in &links {
        lines.push(match (&link.confirmed, &link.confirmed_by) {
            (true, by) => format!(
                "{} = Discord user {} (confirmed by {})",
                link.email,
                link.discord_user_id,
                by.as_deref().unwrap_or("unknown")
            ),
            (false, _) => format!(
                "{} ← Discord user {} (waiting since {})",
                link.email,
                link.discord_user_id,
                when(link.requested_at)
            ),
        });
    }
    lines.push("History:".to_string());
    if history.is_empty() {
        lines.push("nothing yet".to_string());
    }
    for entry in &history {
        lines.push(match entry.action {
            LinkAction::Requested => format!(
                "{} Discord user {} asked to be {}",
                when(entry.at),
                entry.discord_user_id,
                entry.email
            ),
            LinkAction::Confirmed => format!(
                "{} {} confirmed Discord user {} as {}",
                when(entry.at),
                entry.by.as_deref().unwrap_or("someone"),
                entry.discord_user_id,
                entry.email
            ),
        });
    }
    Ok(Reply::ok(compose::reply(lines.join("\n"))))
}
