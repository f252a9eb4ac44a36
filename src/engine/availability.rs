//! `/baton away`, `/baton back` and `/baton who`: availability said in chat, stored in
//! the database and seen by the next routing (the intake and the SLA reassignment read it
//! per batch, so no restart is needed). Setting it tells the person's manager, in the same
//! transaction. [`first_since_return`] tells the alerts when to say "welcome back".

use anyhow::Context;
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use sqlx::SqliteConnection;

use super::actions::Reply;
use super::{Ctx, enqueue_all};
use crate::chat::compose;
use crate::chat::message::{Kind, Message};
use crate::command::{may_set_availability, unknown_person};
use crate::domain::availability::{Availabilities, AwayPeriod, returned_on};
use crate::domain::directory::{Person, Role};
use crate::store::{availability as store, handoffs, ts};

/// Whether handoff `handoff_id`, just given to `email`, is the first they get since they
/// came back from an absence (chat or config, see [`returned_on`]): true when no other
/// handoff was opened for or reassigned to them since the start of the day they came back.
/// Nothing is stored for it: the handoffs themselves say it.
pub async fn first_since_return(
    ctx: &Ctx,
    conn: &mut SqliteConnection,
    away: &Availabilities,
    email: &str,
    handoff_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let dir = &ctx.config.directory;
    let Some(person) = dir.person(email) else {
        return Ok(false);
    };
    let today = dir.today_of(person, now);
    let Some(back) = returned_on(&person.out_of_office, away.get(&person.email), today) else {
        return Ok(false);
    };
    let midnight = back.and_time(NaiveTime::MIN);
    let since = dir
        .calendar_of(person)
        .tz()
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc));
    Ok(!store::assigned_since(conn, email, since, handoff_id).await?)
}

/// Who the command is about: the named person, else the one who typed it; the error is
/// the refusal.
fn target<'a>(ctx: &'a Ctx, actor: &'a Person, person: Option<&str>) -> Result<&'a Person, String> {
    match person {
        None => Ok(actor),
        Some(email) => ctx
            .config
            .directory
            .person(email)
            .ok_or_else(|| unknown_person(email)),
    }
}

fn manager_of<'a>(ctx: &'a Ctx, person: &Person) -> Option<&'a str> {
    person
        .team
        .as_deref()
        .and_then(|t| ctx.config.directory.team(t))
        .map(|t| t.manager.as_str())
}

/// Queues `text` for the target's manager, unless the manager is the one who typed it.
async fn tell_manager(
    ctx: &Ctx,
    conn: &mut sqlx::SqliteConnection,
    actor: &Person,
    target: &Person,
    text: String,
    now: &str,
) -> anyhow::Result<()> {
    let Some(manager) = manager_of(ctx, target).filter(|m| *m != actor.email) else {
        return Ok(());
    };
    let targets = ctx.person_targets(manager);
    enqueue_all(
        conn,
        &targets,
        Kind::Update,
        None,
        &Message::new(text),
        None,
        now,
    )
    .await?;
    Ok(())
}

pub async fn away(
    ctx: &Ctx,
    actor: &Person,
    person: Option<&str>,
    period: AwayPeriod,
    note: Option<&str>,
) -> anyhow::Result<Reply> {
    let target = match target(ctx, actor, person) {
        Ok(t) => t,
        Err(why) => return Ok(Reply::refuse(why)),
    };
    if let Err(why) = may_set_availability(actor, target, manager_of(ctx, target)) {
        return Ok(Reply::refuse(why));
    }
    let now = ctx.clock.now();
    let today = ctx.config.directory.today_of(target, now);
    let range = period.resolve(today);
    if range.last < today {
        return Ok(Reply::refuse(format!(
            "{period} is over (today is {today} for {}): give today or later days\nusage: /baton away [PERSON] today|3d|YYYY-MM-DD..YYYY-MM-DD [note]",
            target.email
        )));
    }
    let now_text = ts(now);
    let mut tx = ctx.db.begin().await?;
    store::set_away(&mut tx, &target.email, range, note, &actor.email, &now_text).await?;
    let mut told = format!(
        "{} is away {} to {} (set by {}): no new leads go to them until then",
        target.name, range.first, range.last, actor.name
    );
    if let Some(note) = note {
        told.push_str(&format!(". Note: {note}"));
    }
    tell_manager(ctx, &mut tx, actor, target, told, &now_text).await?;
    tx.commit().await.context("cannot save the availability")?;
    ctx.outbox_ready.notify_waiters();
    let who = if target.email == actor.email {
        "You are".to_string()
    } else {
        format!("{} is", target.name)
    };
    Ok(Reply::ok(compose::reply(format!(
        "{who} away from {} to {}: no new leads until then. /baton back ends it early.",
        range.first, range.last
    ))))
}

pub async fn back(ctx: &Ctx, actor: &Person, person: Option<&str>) -> anyhow::Result<Reply> {
    let target = match target(ctx, actor, person) {
        Ok(t) => t,
        Err(why) => return Ok(Reply::refuse(why)),
    };
    if let Err(why) = may_set_availability(actor, target, manager_of(ctx, target)) {
        return Ok(Reply::refuse(why));
    }
    let now = ctx.clock.now();
    let today = ctx.config.directory.today_of(target, now);
    let now_text = ts(now);
    let mut tx = ctx.db.begin().await?;
    store::set_back(&mut tx, &target.email, today, &actor.email, &now_text).await?;
    let told = format!(
        "{} is back (set by {}): new leads go to them again",
        target.name, actor.name
    );
    tell_manager(ctx, &mut tx, actor, target, told, &now_text).await?;
    tx.commit().await.context("cannot save the availability")?;
    ctx.outbox_ready.notify_waiters();
    let who = if target.email == actor.email {
        "Welcome back: you get".to_string()
    } else {
        format!("{} is back and gets", target.name)
    };
    Ok(Reply::ok(compose::reply(format!(
        "{who} new leads again, at the rotation's fair rate (no catching up on the ones missed)."
    ))))
}

pub async fn who(ctx: &Ctx, team: Option<&str>) -> anyhow::Result<Reply> {
    let team = match team
        .map(|t| crate::report::check_team(&ctx.config, t))
        .transpose()
    {
        Ok(team) => team,
        Err(why) => return Ok(Reply::refuse(why)),
    };
    let dir = &ctx.config.directory;
    let now = ctx.clock.now();
    let mut conn = ctx.db.pool.acquire().await?;
    let open = handoffs::open_counts(&mut conn).await?;
    let away = super::routing::availability(ctx, &mut conn).await?;
    let mut lines = Vec::new();
    for t in dir
        .teams
        .iter()
        .filter(|t| team.as_deref().is_none_or(|name| name == t.name))
    {
        lines.push(format!("Team {}:", t.name));
        for p in dir.reps_of(&t.name) {
            let n = open.get(&p.email).copied().unwrap_or(0);
            let load = match p.max_open {
                Some(max) => format!("{n}/{max} open"),
                None => format!("{n} open"),
            };
            let state = if let Some(range) = dir.away_with(p, now, &away) {
                let note = away
                    .get(&p.email)
                    .and_then(|a| a.away.iter().find(|(r, _)| *r == range))
                    .and_then(|(_, note)| note.as_deref())
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                format!("away until {}{note}", range.last)
            } else if p.max_open.is_some_and(|max| n >= max) {
                "at their cap".to_string()
            } else if !dir.calendar_of(p).is_open(now) {
                "outside working hours".to_string()
            } else {
                "available".to_string()
            };
            lines.push(format!("  {} ({}): {state}, {load}", p.name, p.email));
        }
        if !dir
            .people
            .iter()
            .any(|p| p.role == Role::Rep && p.team.as_deref() == Some(&t.name))
        {
            lines.push("  no reps".into());
        }
    }
    if lines.is_empty() {
        lines.push("No teams are configured.".into());
    }
    Ok(Reply::ok(compose::reply(lines.join("\n"))))
}
