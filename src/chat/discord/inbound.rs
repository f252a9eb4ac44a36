//! Interactions from Discord, the same for the gateway and `POST /discord/interactions`:
//! [`handle`] takes the interaction's JSON and returns the interaction response.
//!
//! - PING → PONG.
//! - Slash commands become a `Command` from their typed options (never re-split text) and
//!   run through `engine::actions::execute_command` as the person behind the Discord
//!   account (config `discord_id`, else a confirmed link; others are told how to link).
//!   `/baton link`, `/baton confirm` and `/baton links` manage links (`engine::links`).
//! - Every interaction is recorded by its id (`store::inbound`) before it runs: a replay
//!   is refused and changes nothing, also after a restart.
//! - Buttons: Acknowledge and Accept run at once; Reject opens a modal for the reason and
//!   a note, Contacted one for an optional note; Rate offers five star buttons.
//! - Every answer is ephemeral (only the person sees it): replies, confirmations, refusals
//!   and errors. Only a report asked for with `share` goes to the channel; alerts and
//!   their updates reach channels through the outbox, not here. Work that takes longer than [`DEFER_AFTER`] is answered "thinking…" first
//!   and completed by editing the original response, inside Discord's 3 seconds.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tracing::{error, info, warn};

use super::Discord;
use super::commands;
use super::embeds::{self, Press};
use crate::command::grammar::{Command, LeadRef};
use crate::domain::handoff::RejectReason;
use crate::engine::{Ctx, actions, links};
use crate::i18n::Locale;
use crate::message::Action;
use crate::store;

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

/// The language of the person behind an interaction (SPEC §2): the config's (their own,
/// else their team's); when it sets none, the Discord client's own (`interaction.locale`)
/// if Baton writes it; else `[reporting] locale`.
fn locale_of(ctx: &Ctx, email: Option<&str>, interaction: &Value) -> Locale {
    let directory = &ctx.config.directory;
    let configured = email.and_then(|e| directory.person(e)).and_then(|p| {
        p.locale.or_else(|| {
            p.team
                .as_deref()
                .and_then(|t| directory.team(t))
                .and_then(|t| t.locale)
        })
    });
    configured
        .or_else(|| {
            interaction["locale"]
                .as_str()
                .and_then(commands::locale_of_discord)
        })
        .unwrap_or(ctx.config.reporting_locale)
}

fn how_to_link(locale: Locale) -> String {
    crate::i18n::t(locale, "discord-how-to-link")
}

/// The Baton person (email) behind a Discord user.
pub async fn person_of(ctx: &Ctx, discord_user: &str) -> anyhow::Result<Option<String>> {
    links::person_of(ctx, discord_user).await
}

/// Answers one interaction.
pub async fn handle(ctx: &Ctx, discord: &Arc<Discord>, interaction: &Value) -> Value {
    match handle_inner(ctx, discord, interaction).await {
        Ok(response) => response,
        Err(e) => {
            error!(error = %format!("{e:#}"), "cannot handle a Discord interaction");
            let locale = locale_of(ctx, None, interaction);
            refuse(&crate::i18n::t(locale, "notice-internal-error"))
        }
    }
}

async fn handle_inner(
    ctx: &Ctx,
    discord: &Arc<Discord>,
    interaction: &Value,
) -> anyhow::Result<Value> {
    let kind = interaction["type"].as_u64().unwrap_or_default();
    // Before the person is known: the client's language, else `[reporting] locale`.
    let early = locale_of(ctx, None, interaction);
    let notice = |id: &str| crate::i18n::t(early, id);
    if kind == PING {
        return Ok(embeds::pong());
    }
    if kind == AUTOCOMPLETE {
        return Ok(serde_json::json!({ "type": 8, "data": { "choices": [] } }));
    }
    // Each interaction runs once: a replay of a signed request (within its five minutes,
    // or after a restart) is refused and changes nothing.
    let Some(id) = interaction["id"].as_str().filter(|id| !id.is_empty()) else {
        return Ok(refuse(&notice("notice-no-interaction-id")));
    };
    let first = {
        let mut conn = ctx.db.pool.acquire().await?;
        store::inbound::first_delivery(&mut conn, "discord", id, ctx.clock.now()).await?
    };
    if !first {
        info!(interaction = id, "refused a replayed Discord interaction");
        return Ok(refuse(&notice("notice-replayed")));
    }
    let Some(user) = user_id(interaction) else {
        return Ok(refuse(&notice("notice-no-discord-user")));
    };
    let data = &interaction["data"];
    match kind {
        APPLICATION_COMMAND => {
            let email = person_of(ctx, &user).await?;
            let locale = locale_of(ctx, email.as_deref(), interaction);
            let command = match commands::command(data, locale) {
                Ok(command) => command,
                Err(usage) => return Ok(refuse(&usage)),
            };
            match command {
                Command::Link { email } => {
                    let reply = links::request(ctx, locale, &user, &email).await?;
                    Ok(embeds::reply(&reply.message.plain_text(), true))
                }
                Command::Help => {
                    let reply = actions::execute_command_in(ctx, "", Command::Help, locale).await?;
                    Ok(embeds::reply(&reply.message.plain_text(), true))
                }
                command => {
                    let Some(email) = email else {
                        return Ok(refuse(&how_to_link(locale)));
                    };
                    Ok(run(ctx, discord, interaction, email, command, locale).await)
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
                let locale = locale_of(ctx, None, interaction);
                return Ok(refuse(&how_to_link(locale)));
            };
            let locale = locale_of(ctx, Some(&email), interaction);
            let command = match press {
                Press::Action(Action::Ack, lead) => Command::Ack {
                    lead: LeadRef::Id(lead),
                },
                Press::Action(Action::Accept, lead) => Command::Accept {
                    lead: LeadRef::Id(lead),
                    note: None,
                },
                Press::Action(Action::Rate, lead) => return Ok(embeds::rate_picker(locale, lead)),
                Press::Stars(lead, stars) => Command::Rate {
                    lead: LeadRef::Id(lead),
                    stars,
                    note: None,
                },
                Press::Action(Action::Reject, lead) if kind == MESSAGE_COMPONENT => {
                    return Ok(embeds::reject_modal(locale, lead));
                }
                Press::Action(Action::Contacted, lead) if kind == MESSAGE_COMPONENT => {
                    return Ok(embeds::contacted_modal(locale, lead));
                }
                Press::Action(Action::Contacted, lead) => Command::Contacted {
                    lead: LeadRef::Id(lead),
                    note: modal_value(data, "note").filter(|n| !n.is_empty()),
                },
                Press::Action(Action::Reject, lead) => {
                    let reason = modal_value(data, "reason").unwrap_or_default();
                    let reason = match reason.parse::<RejectReason>() {
                        Ok(reason) => reason,
                        Err(e) => return Ok(refuse(&e.render(locale))),
                    };
                    Command::Reject {
                        lead: LeadRef::Id(lead),
                        reason,
                        note: modal_value(data, "note").filter(|n| !n.is_empty()),
                    }
                }
            };
            Ok(run(ctx, discord, interaction, email, command, locale).await)
        }
        other => {
            warn!(kind = other, "unknown Discord interaction type");
            Ok(refuse(&notice("notice-unknown-interaction")))
        }
    }
}

/// A text input's value in a modal submission, trimmed and otherwise as typed.
fn modal_value(data: &Value, id: &str) -> Option<String> {
    data["components"]
        .as_array()?
        .iter()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .find(|c| c["custom_id"] == id)
        .and_then(|c| c["value"].as_str())
        .map(|v| v.trim().to_string())
}

/// Runs a command as `email`, answering at once or, when it takes longer than
/// [`DEFER_AFTER`], deferring and completing the answer later. Every answer is ephemeral
/// except a report the person asked to share (`share`), which goes to the channel.
async fn run(
    ctx: &Ctx,
    discord: &Arc<Discord>,
    interaction: &Value,
    email: String,
    command: Command,
    locale: Locale,
) -> Value {
    let shared = actions::is_shared(&command);
    // A shared report's chart goes to the channel it was asked in.
    let chart_to = match interaction["channel_id"].as_str() {
        Some(channel) if shared => channel.to_string(),
        _ => email.clone(),
    };
    let mut work = tokio::spawn({
        let ctx = ctx.clone();
        async move {
            let mut reply = actions::execute_command_in(&ctx, &email, command, locale).await?;
            crate::engine::send_chart_apart(&ctx, "discord", &chart_to, &mut reply.message).await?;
            Ok(reply)
        }
    });
    let answer = move |joined: Result<anyhow::Result<actions::Reply>, tokio::task::JoinError>| {
        match joined {
            Ok(Ok(reply)) => (reply.message.plain_text(), !(reply.public && reply.ok)),
            Ok(Err(e)) => {
                error!(error = %format!("{e:#}"), "a Discord command failed");
                (crate::i18n::t(locale, "notice-internal-error"), true)
            }
            Err(e) => {
                error!(error = %e, "a Discord command panicked");
                (crate::i18n::t(locale, "notice-could-not"), true)
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
                let (text, ephemeral) = answer(work.await);
                let data = embeds::reply_data(&text, ephemeral);
                if let Err(e) = discord.complete_deferred(&application, &token, &data).await {
                    warn!(error = %e, "cannot complete a deferred Discord answer");
                }
            });
            // The deferral decides who sees the answer: only a shared report is public.
            embeds::deferred(!shared)
        }
    }
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
        assert_eq!(modal_value(&data, "note").as_deref(), Some("too\nsmall"));
        assert_eq!(modal_value(&data, "other"), None);
    }
}
