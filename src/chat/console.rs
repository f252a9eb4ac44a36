//! The console platform: messages as readable text or JSON Lines, on standard output or
//! appended to a file. With a file it delivers exactly once across crashes: the file's
//! length is noted before each write, so after a crash Baton can see whether the write
//! happened.

use std::io::Write;
use std::path::PathBuf;

use async_trait::async_trait;
use chrono::SecondsFormat;
use serde_json::json;
use tokio::sync::Mutex;

use super::{Delivery, Platform, Recovery, SendError, Sent};
use crate::clock::Clock;
use crate::config::{ConsoleFormat, ConsoleOutput};

pub struct Console {
    output: ConsoleOutput,
    format: ConsoleFormat,
    clock: Clock,
    lock: Mutex<()>,
}

impl Console {
    pub fn new(output: ConsoleOutput, format: ConsoleFormat, clock: Clock) -> Console {
        Console {
            output,
            format,
            clock,
            lock: Mutex::new(()),
        }
    }

    fn path(&self) -> Option<&PathBuf> {
        match &self.output {
            ConsoleOutput::File(path) => Some(path),
            ConsoleOutput::Stdout => None,
        }
    }

    fn file_len(&self) -> Option<u64> {
        self.path()
            .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
    }

    /// The message as the console shows it, newline included.
    pub fn render(&self, d: &Delivery) -> String {
        let at = self.clock.now();
        match self.format {
            ConsoleFormat::Jsonl => {
                let line = json!({
                    "at": at.to_rfc3339_opts(SecondsFormat::Millis, true),
                    "to": d.recipient,
                    "kind": d.kind.as_str(),
                    "lead_id": d.lead_id,
                    "text": d.message.plain_text(),
                    "actions": d.message.actions.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
                });
                format!("{line}\n")
            }
            ConsoleFormat::Text => {
                let mut out = format!(
                    "── {} → {} · {}\n",
                    d.kind.as_str().to_uppercase(),
                    d.recipient,
                    at.format("%H:%M:%S")
                );
                out.push_str(&format!("   {}\n", d.message.title));
                for field in &d.message.fields {
                    out.push_str(&format!(
                        "   {:<12} {}\n",
                        format!("{}:", field.label),
                        field.value
                    ));
                }
                if let Some(text) = &d.message.text {
                    for line in text.lines() {
                        out.push_str(&format!("   {line}\n"));
                    }
                }
                if let (false, Some(lead)) = (d.message.actions.is_empty(), d.lead_id) {
                    let buttons: Vec<String> = d
                        .message
                        .actions
                        .iter()
                        .map(|a| format!("[{}]", a.label()))
                        .collect();
                    out.push_str(&format!(
                        "   {}   type: /lead {} {lead}\n",
                        buttons.join(" "),
                        d.message.actions[0].as_str()
                    ));
                }
                out
            }
        }
    }
}

#[async_trait]
impl Platform for Console {
    fn name(&self) -> &'static str {
        "console"
    }

    async fn marker(&self) -> Option<String> {
        self.file_len().map(|len| len.to_string())
    }

    async fn recover(&self, _d: &Delivery, marker: Option<&str>) -> Recovery {
        match (marker.and_then(|m| m.parse::<u64>().ok()), self.file_len()) {
            (Some(before), Some(now)) if now > before => Recovery::Delivered,
            _ => Recovery::Resend,
        }
    }

    async fn send(&self, d: &Delivery) -> Result<Sent, SendError> {
        let text = self.render(d);
        let _guard = self.lock.lock().await;
        let written = match self.path() {
            Some(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut file| file.write_all(text.as_bytes())),
            None => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|()| out.flush())
            }
        };
        written
            .map(|()| Sent::default())
            .map_err(|e| SendError::transient(format!("cannot write console output: {e}")))
    }
}
