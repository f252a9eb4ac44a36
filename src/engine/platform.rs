//! What the engine asks of a chat platform: the [`Platform`] trait the dispatcher sends
//! through, one [`Delivery`] per outbox row, and how a send ends ([`Sent`], [`SendError`]).
//! The adapters in `chat/` implement it; the engine never names one of them.

use std::time::Duration;

use async_trait::async_trait;

use crate::message::{Kind, Message};

/// One message on its way to one recipient (a person's email or a channel).
#[derive(Debug, Clone)]
pub struct Delivery {
    pub outbox_id: i64,
    pub recipient: String,
    pub kind: Kind,
    pub lead_id: Option<i64>,
    pub message: Message,
    /// For an update: the alert it belongs to, as sent on this platform to this
    /// recipient, so the platform can edit it in place. The dispatcher reads it; `None`
    /// when the alert was never sent here (the update is then sent as a new message).
    pub original: Option<Original>,
}

/// An alert already sent: the platform's reference to it and what it said.
#[derive(Debug, Clone)]
pub struct Original {
    pub external_ref: String,
    pub message: Message,
}

/// A send that worked: the platform's id for the message, to update it in place later.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    pub external_ref: Option<String>,
}

/// A send that did not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub reason: String,
    /// The platform asked to wait this long (HTTP 429 Retry-After).
    pub retry_after: Option<Duration>,
    /// Retrying cannot help (e.g. the recipient does not exist on the platform).
    pub permanent: bool,
}

impl SendError {
    pub fn transient(reason: impl Into<String>) -> SendError {
        SendError {
            reason: reason.into(),
            retry_after: None,
            permanent: false,
        }
    }

    /// An error that retrying cannot fix.
    pub fn permanent(reason: impl Into<String>) -> SendError {
        SendError {
            reason: reason.into(),
            retry_after: None,
            permanent: true,
        }
    }
}

/// Whether `platform` can address `recipient`: people (emails) everywhere; channels
/// (`#sales`, a Slack channel id) on the console and Slack, and on Discord only as a
/// channel id (a number).
pub fn addressable(platform: &str, recipient: &str) -> bool {
    recipient.contains('@')
        || match platform {
            "discord" => !recipient.is_empty() && recipient.bytes().all(|b| b.is_ascii_digit()),
            _ => true,
        }
}

/// After a crash: whether a claimed message reached the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    Delivered,
    Resend,
}

/// `Any` lets the HTTP routes reach the concrete platform they serve (Slack's client).
#[async_trait]
pub trait Platform: std::any::Any + Send + Sync {
    /// The name stored in the outbox's `platform` column.
    fn name(&self) -> &'static str;

    /// Where this platform posts a team's alerts, if anywhere (`[[team]] channel` by
    /// default; Discord uses `discord_channel_id`).
    fn team_channel(&self, team: &crate::domain::directory::Team) -> Option<String> {
        team.channel.clone()
    }

    /// A note stored with a row just before it is sent, for [`Platform::recover`].
    async fn marker(&self) -> Option<String> {
        None
    }

    /// Tells whether a row claimed before a crash was delivered. Platforms that cannot
    /// tell resend (at most one duplicate per crash).
    async fn recover(&self, _delivery: &Delivery, _marker: Option<&str>) -> Recovery {
        Recovery::Resend
    }

    /// The least time between two messages to the same recipient (Slack: about one per
    /// second per channel). The dispatcher waits that long, keeping each recipient's order.
    fn min_interval(&self) -> Option<Duration> {
        None
    }

    /// Whether the dispatcher may mark a run of sent rows in one statement, leaving them
    /// claimed meanwhile. Only where a crash could not make that lose a message: the
    /// sends go one after another and [`Platform::marker`] is a position in one output,
    /// so each claimed row's marker tells whether it was written, however many are left.
    fn marks_may_wait(&self) -> bool {
        false
    }

    /// How many messages, each to a different recipient, may be on their way at once. One
    /// (the default) sends strictly one after another, which a platform whose
    /// [`Platform::marker`] is a position in one output needs.
    fn concurrency(&self) -> usize {
        1
    }

    /// Looks up ahead what sending to `recipients` will need (Slack: the user of an email
    /// and their DM channel), so the first message to each does not wait for it. Failures
    /// are left for the send to report.
    async fn warm(&self, _recipients: &[String]) {}

    async fn send(&self, delivery: &Delivery) -> Result<Sent, SendError>;
}
