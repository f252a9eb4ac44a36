//! Chat platforms: adapters above the engine. Each implements [`crate::engine::platform::Platform`]
//! and renders the neutral message model of [`crate::message`]. Only the dispatcher calls a
//! platform to send; only `chat/slack` knows Slack and only `chat/discord` knows Discord.

pub mod console;
pub mod discord;
pub mod slack;

use crate::engine::platform::SendError;
use crate::message::Chart;

/// The PNG of a message's chart, rendered off the async threads, for any platform: a
/// chart that cannot be drawn fails the send for good (drawing it again gives the same).
pub async fn chart_png(chart: &Chart) -> Result<Vec<u8>, SendError> {
    crate::message::chart::render_png_off_thread(chart)
        .await
        .map_err(|e| SendError::permanent(format!("{e:#}")))
}
