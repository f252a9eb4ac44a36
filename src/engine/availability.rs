//! `/baton away`, `/baton back` and `/baton who`: availability said in chat, stored in
//! the database and seen by the next routing (the intake and the SLA reassignment read it
//! per batch, so no restart is needed). Setting it tells the person's manager, in the same
//! transaction. [`first_since_return`] tells the alerts when to say "welcome back".

use anyhow::Context;
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use sqlx::SqliteConnection;

use super::actions::Reply;
use super::{Ctx, enqueue_all};
use crate::command::{may_set_availability, unknown_person};
use crate::domain::availability::{Availabilities, AwayPeriod, returned_on};
use crate::domain::directory::{Person, Role};
use crate::i18n::{Locale, Text, t, tr};
use crate::message::compose;
use crate::message::{Kind, Message};
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
    match returned_at(ctx, away, email, now) {
        Some(since) => Ok(!store::assigned_since(conn, email, since, handoff_id).await?),
        None => Ok(false),
    }
}

/// When `email` came back, if they came back today (in their calendar's zone): the start
/// of that day, from which their first handoff is the one that says "welcome back".
pub fn returned_at(
    ctx: &Ctx,
    away: &Availabilities,
    email: &str,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let dir = &ctx.config.directory;
    let person = dir.person(email)?;
    let today = dir.today_of(person, now);
    let back = returned_on(&person.out_of_office, away.get(&person.email), today)?;
    let midnight = back.and_time(NaiveTime::MIN);
    Some(
        dir.calendar_of(person)
            .tz()
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)),
    )
}

/// Who the command is about: the named person, else the one who typed it; the error is
/// the refusal.
fn target<'a>(ctx: &'a Ctx, actor: &'a Person, person: Option<&str>) -> Result<&'a Person, Text> {
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

/// Queues `text` for the target's manager in the manager's language, unless the manager
/// is the one who typed it.
async fn tell_manager(
    ctx: &Ctx,
    conn: &mut sqlx::SqliteConnection,
    actor: &Person,
    target: &Person,
    text: Text,
    now: &str,
) -> anyhow::Result<()> {
    let Some(manager) = manager_of(ctx, target).filter(|m| *m != actor.email) else {
        return Ok(());
    };
    let text = text.render(ctx.locale_of(manager, None));
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
    l: Locale,
    person: Option<&str>,
    period: AwayPeriod,
    note: Option<&str>,
) -> anyhow::Result<Reply> {
    let target = match target(ctx, actor, person) {
        Ok(t) => t,
        Err(why) => return Ok(Reply::refuse(why.render(l))),
    };
    if let Err(why) = may_set_availability(actor, target, manager_of(ctx, target)) {
        return Ok(Reply::refuse(why.render(l)));
    }
    let now = ctx.clock.now();
    let today = ctx.config.directory.today_of(target, now);
    let range = period.resolve(today);
    if range.last < today {
        return Ok(Reply::refuse(tr(
            l,
            "away-over",
            &[
                ("period", period.to_string().into()),
                ("today", today.to_string().into()),
                ("person", target.name.as_str().into()),
            ],
        )));
    }
    let now_text = ts(now);
    let mut tx = ctx.db.begin().await?;
    store::set_away(&mut tx, &target.email, range, note, &actor.email, &now_text).await?;
    let told = match note {
        Some(note) => Text::new("away-told-note").arg("note", note),
        None => Text::new("away-told"),
    }
    .arg("person", target.name.as_str())
    .arg("first", range.first.to_string())
    .arg("last", range.last.to_string())
    .arg("by", actor.name.as_str());
    tell_manager(ctx, &mut tx, actor, target, told, &now_text).await?;
    tx.commit().await.context("cannot save the availability")?;
    ctx.outbox_ready.notify_waiters();
    let who = if target.email == actor.email {
        "you"
    } else {
        target.name.as_str()
    };
    Ok(Reply::ok(compose::reply(tr(
        l,
        "away-done",
        &[
            ("who", who.into()),
            ("first", range.first.to_string().into()),
            ("last", range.last.to_string().into()),
        ],
    ))))
}

pub async fn back(
    ctx: &Ctx,
    actor: &Person,
    l: Locale,
    person: Option<&str>,
) -> anyhow::Result<Reply> {
    let target = match target(ctx, actor, person) {
        Ok(t) => t,
        Err(why) => return Ok(Reply::refuse(why.render(l))),
    };
    if let Err(why) = may_set_availability(actor, target, manager_of(ctx, target)) {
        return Ok(Reply::refuse(why.render(l)));
    }
    let now = ctx.clock.now();
    let today = ctx.config.directory.today_of(target, now);
    let now_text = ts(now);
    let mut tx = ctx.db.begin().await?;
    store::set_back(&mut tx, &target.email, today, &actor.email, &now_text).await?;
    let told = Text::new("back-told")
        .arg("person", target.name.as_str())
        .arg("by", actor.name.as_str());
    tell_manager(ctx, &mut tx, actor, target, told, &now_text).await?;
    tx.commit().await.context("cannot save the availability")?;
    ctx.outbox_ready.notify_waiters();
    let who = if target.email == actor.email {
        "you"
    } else {
        target.name.as_str()
    };
    Ok(Reply::ok(compose::reply(tr(
        l,
        "back-done",
        &[("who", who.into())],
    ))))
}

pub async fn who(ctx: &Ctx, l: Locale, team: Option<&str>) -> anyhow::Result<Reply> {
    let team = match team
        .map(|t| crate::reports::check_team(&ctx.config, t))
        .transpose()
    {
        Ok(team) => team,
        Err(why) => return Ok(Reply::refuse(why.render(l))),
    };
    let dir = &ctx.config.directory;
    let now = ctx.clock.now();
    let mut conn = ctx.db.pool.acquire().await?;
    let open = handoffs::open_counts(&mut conn).await?;
    let away = super::routing::availability(ctx, &mut conn).await?;
    let mut lines = Vec::new();
    for team_of in dir
        .teams
        .iter()
        .filter(|t| team.as_deref().is_none_or(|name| name == t.name))
    {
        lines.push(tr(l, "who-team", &[("team", team_of.name.as_str().into())]));
        for p in dir.reps_of(&team_of.name) {
            let n = open.get(&p.email).copied().unwrap_or(0);
            let n = i64::from(n);
            let load = match p.max_open {
                Some(max) => tr(
                    l,
                    "who-open-of",
                    &[("count", n.into()), ("max", i64::from(max).into())],
                ),
                None => tr(l, "who-open", &[("count", n.into())]),
            };
            let state = if let Some(range) = dir.away_with(p, now, &away) {
                let note = away
                    .get(&p.email)
                    .and_then(|a| a.away.iter().find(|(r, _)| *r == range))
                    .and_then(|(_, note)| note.as_deref())
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                format!(
                    "{}{note}",
                    tr(
                        l,
                        "who-away-until",
                        &[("last", range.last.to_string().into())]
                    )
                )
            } else if p.max_open.is_some_and(|max| n >= i64::from(max)) {
                t(l, "who-at-cap")
            } else if !dir.calendar_of(p).is_open(now) {
                t(l, "who-outside-hours")
            } else {
                t(l, "who-available")
            };
            lines.push(format!("  {} ({}): {state}, {load}", p.name, p.email));
        }
        if !dir
            .people
            .iter()
            .any(|p| p.role == Role::Rep && p.team.as_deref() == Some(&team_of.name))
        {
            lines.push(format!("  {}", t(l, "who-no-reps")));
        }
    }
    if lines.is_empty() {
        lines.push(t(l, "who-no-teams"));
    }
    Ok(Reply::ok(compose::reply(lines.join("\n"))))
}
