//! Interactions from Discord, the same for the gateway and `POST /discord/interactions`:
//! [`handle`] takes the interaction's JSON and returns the interaction response.
//!
//! - PING → PONG.
//! - Slash commands become the text grammar and run through `engine::actions::execute` as
//!   the person behind the Discord account (config `discord_id`, else a confirmed link;
//!   others are told how to link). `/baton link` and `/baton confirm` manage links.
//! - Buttons: Acknowledge and Accept run at once; Reject opens a modal for the reason and
//!   a note; Rate offers five star buttons.
//! - Mistakes and refusals are ephemeral (only the person sees them); so are answers to
//!   buttons. Work that takes longer than [`DEFER_AFTER`] is answered "thinking…" first
//!   and completed by editing the original response, inside Discord's 3 seconds.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tracing::{error, info, warn};

use super::Discord;
use super::commands::{self, Invocation};
use super::embeds::{self, Press};
use crate::chat::message::Action;
use crate::domain::directory::Role;
use crate::engine::{Ctx, actions};
use crate::store::{discord_links, ts};

/// How long a command may run before the answer is deferred (Discord allows 3 s).
pub const DEFER_AFTER: Duration = Duration::from_millis(2000);

const PING: u64 = 1;
const APPLICATION_COMMAND: u64 = 2;
const MESSAGE_COMPONENT: u64 = 3;
const AUTOCOMPLETE: u64 = 4;
const MODAL_SUBMIT: u64 = 5;

/// The Discord user who acted: `member.user` in a server, `user` in a DM.
fn user_id(interaction: &Value) -> Option<String> {
    interaction["member"]["user"]["id"]
        .as_str()
        .or_else(|| interaction["user"]["id"].as_str())
        .map(str::to_string)
}

fn refuse(text: &str) -> Value {
    embeds::reply(text, true)
}

fn how_to_link() -> String {
    "Baton does not know your Discord account yet. Run /baton link you@company.com with your \
     work email, then ask your manager or an admin to confirm it with /baton confirm @you."
        .to_string()
}

/// The Baton person (email) behind a Discord user.
pub async fn person_of(ctx: &Ctx, discord_user: &str) -> anyhow::Result<Option<String>> {
    if let Some(p) = ctx
        .config
        .directory
        .people
        .iter()
        .find(|p| p.discord_id.as_deref() == Some(discord_user))
    {
        return Ok(Some(p.email.clone()));
    }
    let mut conn = ctx.db.pool.acquire().await?;
    discord_links::confirmed_email(&mut conn, discord_user).await
}

/// Answers one interaction.
pub async fn handle(ctx: &Ctx, discord: &Arc<Discord>, interaction: &Value) -> Value {
    match handle_inner(ctx, discord, interaction).await {
        Ok(response) => response,
        Err(e) => {
            error!(error = %format!("{e:#}"), "cannot handle a Discord interaction");
            refuse(
                "Baton could not do that because of an internal error (it was logged). Try again in a moment.",
            )
        }
    }
}

async fn handle_inner(
    ctx: &Ctx,
    discord: &Arc<Discord>,
    interaction: &Value,
) -> anyhow::Result<Value> {
    let kind = interaction["type"].as_u64().unwrap_or_default();
    if kind == PING {
        return Ok(embeds::pong());
    }
    if kind == AUTOCOMPLETE {
        return Ok(serde_json::json!({ "type": 8, "data": { "choices": [] } }));
    }
    let Some(user) = user_id(interaction) else {
        return Ok(refuse("Baton cannot tell who you are on Discord."));
    };
    let data = &interaction["data"];
    match kind {
        APPLICATION_COMMAND => {
            let invocation = match commands::invocation(data) {
                Ok(invocation) => invocation,
                Err(usage) => return Ok(refuse(&usage)),
            };
            match invocation {
                Invocation::Link(email) => link(ctx, &user, &email).await,
                Invocation::Confirm(target) => confirm(ctx, &user, &target).await,
                Invocation::Text(text) if text == "/baton help" => {
                    let reply = actions::execute(ctx, "", &text).await?;
                    Ok(embeds::reply(&reply.message.plain_text(), true))
                }
                Invocation::Text(text) => {
                    let Some(email) = person_of(ctx, &user).await? else {
                        return Ok(refuse(&how_to_link()));
                    };
                    Ok(run(ctx, discord, interaction, email, text, false).await)
                }
            }
        }
        MESSAGE_COMPONENT | MODAL_SUBMIT => {
            let Some(press) = data["custom_id"].as_str().and_then(embeds::parse_custom_id) else {
                return Ok(refuse(
                    "this button is not Baton's (or is from an older version)",
                ));
            };
            let Some(email) = person_of(ctx, &user).await? else {
                return Ok(refuse(&how_to_link()));
            };
            let text = match press {
                Press::Action(Action::Ack, lead) => format!("/lead ack {lead}"),
                Press::Action(Action::Accept, lead) => format!("/lead accept {lead}"),
                Press::Action(Action::Rate, lead) => return Ok(embeds::rate_picker(lead)),
                Press::Stars(lead, stars) => format!("/lead rate {lead} {stars}"),
                Press::Action(Action::Reject, lead) if kind == MESSAGE_COMPONENT => {
                    return Ok(embeds::reject_modal(lead));
                }
                Press::Action(Action::Reject, lead) => {
                    let reason = modal_value(data, "reason").unwrap_or_default();
                    let note = modal_value(data, "note").unwrap_or_default();
                    format!("/lead reject {lead} {reason} {note}")
                        .trim_end()
                        .to_string()
                }
            };
            Ok(run(ctx, discord, interaction, email, text, true).await)
        }
        other => {
            warn!(kind = other, "unknown Discord interaction type");
            Ok(refuse("Baton does not handle this kind of interaction."))
        }
    }
}

/// A text input's value in a modal submission.
fn modal_value(data: &Value, id: &str) -> Option<String> {
    data["components"]
        .as_array()?
        .iter()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .find(|c| c["custom_id"] == id)
        .and_then(|c| c["value"].as_str())
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Runs a command as `email`, answering at once or, when it takes longer than
/// [`DEFER_AFTER`], deferring and completing the answer later.
async fn run(
    ctx: &Ctx,
    discord: &Arc<Discord>,
    interaction: &Value,
    email: String,
    text: String,
    always_ephemeral: bool,
) -> Value {
    let mut work = tokio::spawn({
        let ctx = ctx.clone();
        async move {
            let mut reply = actions::execute(&ctx, &email, &text).await?;
            crate::engine::send_chart_apart(&ctx, "discord", &email, &mut reply.message).await?;
            Ok(reply)
        }
    });
    let answer = move |joined: Result<anyhow::Result<actions::Reply>, tokio::task::JoinError>| {
        match joined {
            Ok(Ok(reply)) => (reply.message.plain_text(), always_ephemeral || !reply.ok),
            Ok(Err(e)) => {
                error!(error = %format!("{e:#}"), "a Discord command failed");
                (
                "Baton could not do that because of an internal error (it was logged). Try again in a moment.".to_string(),
                true,
            )
            }
            Err(e) => {
                error!(error = %e, "a Discord command panicked");
                ("Baton could not do that.".to_string(), true)
            }
        }
    };
    match tokio::time::timeout(DEFER_AFTER, &mut work).await {
        Ok(joined) => {
            let (text, ephemeral) = answer(joined);
            embeds::reply(&text, ephemeral)
        }
        Err(_) => {
            let application = interaction["application_id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let token = interaction["token"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let discord = discord.clone();
            tokio::spawn(async move {
                let (text, _) = answer(work.await);
                let data = embeds::reply_data(&text, false);
                if let Err(e) = discord.complete_deferred(&application, &token, &data).await {
                    warn!(error = %e, "cannot complete a deferred Discord answer");
                }
            });
            embeds::deferred(always_ephemeral)
        }
    }
}

/// `/baton link EMAIL`: a pending link, in force once confirmed.
async fn link(ctx: &Ctx, user: &str, email: &str) -> anyhow::Result<Value> {
    let email = email.trim().trim_start_matches('@').to_lowercase();
    let directory = &ctx.config.directory;
    let Some(person) = directory.person(&email) else {
        return Ok(refuse(&format!(
            "{email} is not a Baton user: use your work email as it is in Baton's config (ask an admin to add you)"
        )));
    };
    if let Some(me) = directory
        .people
        .iter()
        .find(|p| p.discord_id.as_deref() == Some(user))
    {
        return Ok(refuse(&format!(
            "your Discord account is set in Baton's config as {}; nothing to link",
            me.email
        )));
    }
    if person.discord_id.is_some() {
        return Ok(refuse(&format!(
            "{email} has its Discord account set in Baton's config; ask an admin if that is wrong"
        )));
    }
    let mut tx = ctx.db.begin().await?;
    discord_links::request(&mut tx, user, &email, &ts(ctx.clock.now())).await?;
    tx.commit().await?;
    let manager = person
        .team
        .as_deref()
        .and_then(|t| directory.team(t))
        .map(|t| t.manager.clone());
    info!(email = %email, "Discord link requested");
    Ok(embeds::reply(
        &format!(
            "Link requested: <@{user}> as {email}. It takes effect once {} confirms it with /baton confirm @you.",
            manager.map_or("an admin".to_string(), |m| format!(
                "your manager ({m}) or an admin"
            ))
        ),
        true,
    ))
}

/// `/baton confirm USER`: the person's team manager or an admin confirms a pending link.
async fn confirm(ctx: &Ctx, user: &str, target: &str) -> anyhow::Result<Value> {
    let Some(me) = person_of(ctx, user).await? else {
        return Ok(refuse(&how_to_link()));
    };
    let directory = &ctx.config.directory;
    let Some(me) = directory.person(&me) else {
        return Ok(refuse(&crate::command::unknown_person(&me)));
    };
    let mut tx = ctx.db.begin().await?;
    let Some(email) = discord_links::pending_email(&mut tx, target).await? else {
        return Ok(refuse(&format!(
            "<@{target}> has no link waiting: they run /baton link EMAIL first"
        )));
    };
    let manager = directory
        .person(&email)
        .and_then(|p| p.team.as_deref())
        .and_then(|t| directory.team(t))
        .map(|t| t.manager.as_str());
    if me.role != Role::Admin && manager != Some(me.email.as_str()) {
        return Ok(refuse(&format!(
            "only {}'s team manager{} or an admin can confirm this link",
            email,
            manager.map(|m| format!(" ({m})")).unwrap_or_default()
        )));
    }
    discord_links::confirm(&mut tx, target, &email, &me.email, &ts(ctx.clock.now())).await?;
    tx.commit().await?;
    info!(email = %email, by = %me.email, "Discord link confirmed");
    Ok(embeds::reply(
        &format!("Linked: <@{target}> is {email} in Baton."),
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn users_come_from_member_or_user() {
        assert_eq!(
            user_id(&json!({ "member": { "user": { "id": "1" } } })),
            Some("1".into())
        );
        assert_eq!(user_id(&json!({ "user": { "id": "2" } })), Some("2".into()));
        assert_eq!(user_id(&json!({})), None);
    }

    #[test]
    fn modal_values_are_read_by_id() {
        let data = json!({ "components": [
            { "type": 1, "components": [{ "type": 4, "custom_id": "reason", "value": " no_budget " }] },
            { "type": 1, "components": [{ "type": 4, "custom_id": "note", "value": "too\nsmall" }] },
        ]});
        assert_eq!(modal_value(&data, "reason").as_deref(), Some("no_budget"));
        assert_eq!(modal_value(&data, "note").as_deref(), Some("too small"));
        assert_eq!(modal_value(&data, "other"), None);
    }
}
