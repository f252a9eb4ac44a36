//! The console platform: messages as readable text or JSON Lines, on standard output or
//! appended to a file. With a file it delivers exactly once across crashes: the file's
//! length is noted before each write, so after a crash Baton can see whether the write
//! happened.
//!
//! A message's chart is written as a PNG next to the output (in the output file's
//! directory, or the current directory for standard output), named after the chart and
//! replacing an older file of that name; the message then says `Chart: <path>` (the label in the reader's language). The PNG is
//! written before the line, so a crash between the two resends and rewrites it.

pub mod input;

use std::io::Write;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use chrono::SecondsFormat;
use serde_json::json;
use tokio::sync::Mutex;

use crate::clock::Clock;
use crate::config::{ConsoleFormat, ConsoleOutput};
use crate::engine::platform::{Delivery, Platform, Recovery, SendError, Sent};
use crate::message::Chart;

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

    /// Where a chart named `file_name` is written: beside the output file, or in the
    /// current directory.
    pub fn chart_path(&self, file_name: &str) -> PathBuf {
        let name = crate::message::chart::safe_file_name(file_name);
        match self.path().and_then(|p| p.parent()) {
            Some(dir) => dir.join(name),
            None => std::env::current_dir()
                .map(|dir| dir.join(&name))
                .unwrap_or_else(|_| PathBuf::from(name)),
        }
    }

    /// The message as the console shows it, newline included; `chart` is where its chart
    /// was written.
    pub fn render(&self, d: &Delivery, chart: Option<&Path>) -> String {
        let at = self.clock.now();
        // The console names people; mentions are Slack's and Discord's.
        let message = d.message.named();
        let chart_label = crate::i18n::t(message.locale, "console-chart");
        match self.format {
            ConsoleFormat::Jsonl => {
                let mut text = message.plain_text();
                if let Some(path) = chart {
                    text.push_str(&format!("\n{chart_label}: {}", path.display()));
                }
                let line = json!({
                    "at": at.to_rfc3339_opts(SecondsFormat::Millis, true),
                    "to": d.recipient,
                    "kind": d.kind.as_str(),
                    "lead_id": d.lead_id,
                    "text": text,
                    "actions": message.actions.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
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
                out.push_str(&format!("   {}\n", message.title));
                for field in &message.fields {
                    out.push_str(&format!(
                        "   {:<12} {}\n",
                        format!("{}:", field.label),
                        field.value
                    ));
                }
                // The terminal shows plain text: a table's code fences (Slack's and
                // Discord's monospace marks) are left out, the aligned rows stay.
                if let Some(text) = &message.text {
                    for line in text.lines().filter(|l| l.trim() != "```") {
                        out.push_str(&format!("   {line}\n"));
                    }
                }
                for section in &message.sections {
                    out.push_str(&format!("\n   {}\n", section.heading));
                    for line in section.body.lines() {
                        out.push_str(&format!("   {line}\n"));
                    }
                }
                if let Some(path) = chart {
                    out.push_str(&format!("   {chart_label}: {}\n", path.display()));
                }
                if let (false, Some(lead)) = (message.actions.is_empty(), d.lead_id) {
                    let buttons: Vec<String> = d
                        .message
                        .actions
                        .iter()
                        .map(|a| format!("[{}]", a.label_in(message.locale)))
                        .collect();
                    out.push_str(&format!(
                        "   {}   {}: {}\n",
                        buttons.join(" "),
                        crate::i18n::t(message.locale, "console-type"),
                        crate::message::buttons::typed(message.actions[0], lead)
                    ));
                }
                out
            }
        }
    }
}

impl Console {
    /// Draws the chart and writes it beside the output (replacing it through a temporary
    /// file, so a reader never sees half an image); returns its path.
    async fn write_chart(&self, chart: &Chart) -> Result<PathBuf, SendError> {
        let png = crate::chat::chart_png(chart).await?;
        let path = self.chart_path(&chart.file_name);
        if self.path() == Some(&path) {
            return Err(SendError {
                reason: format!(
                    "the chart would replace the console output {}",
                    path.display()
                ),
                retry_after: None,
                permanent: true,
            });
        }
        let partial = path.with_extension("png.partial");
        std::fs::write(&partial, &png)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| {
                SendError::transient(format!("cannot write the chart {}: {e}", path.display()))
            })?;
        Ok(path)
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

    /// A file's length at each claim tells whether that row was written, since the rows
    /// go one after another; standard output has no such marker.
    fn marks_may_wait(&self) -> bool {
        self.path().is_some()
    }

    async fn recover(&self, _d: &Delivery, marker: Option<&str>) -> Recovery {
        match (marker.and_then(|m| m.parse::<u64>().ok()), self.file_len()) {
            (Some(before), Some(now)) if now > before => Recovery::Delivered,
            _ => Recovery::Resend,
        }
    }

    async fn send(&self, d: &Delivery) -> Result<Sent, SendError> {
        let _guard = self.lock.lock().await;
        let chart = match &d.message.chart {
            Some(chart) => Some(self.write_chart(chart).await?),
            None => None,
        };
        let text = self.render(d, chart.as_deref());
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::message::{ChartBar, Kind, Message};

    fn console(dir: &Path, format: ConsoleFormat) -> Console {
        let clock = Clock::manual(chrono::Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap());
        Console::new(ConsoleOutput::File(dir.join("out.log")), format, clock)
    }

    fn digest() -> Delivery {
        Delivery {
            outbox_id: 1,
            recipient: "#sales".into(),
            kind: Kind::Digest,
            lead_id: None,
            message: Message::new("Weekly digest")
                .text("Week 2026-W47")
                .section("SLA", "rep   acked\nann   12\nbob   9"),
            original: None,
        }
    }

    fn with_chart(mut d: Delivery) -> Delivery {
        d.message.chart = Some(Chart {
            file_name: "funnel-2026-W47.png".into(),
            title: "Funnel".into(),
            subtitle: "week 2026-W47".into(),
            bars: vec![ChartBar {
                label: "mql".into(),
                value: 3,
            }],
            ..Chart::default()
        });
        d
    }

    #[test]
    fn text_shows_sections_and_the_chart_path() {
        let dir = tempfile::tempdir().unwrap();
        let console = console(dir.path(), ConsoleFormat::Text);
        let text = console.render(&digest(), Some(Path::new("/out/f.png")));
        assert_eq!(
            text,
            "── DIGEST → #sales · 08:00:00\n   Weekly digest\n   Week 2026-W47\n\n   SLA\n   rep   acked\n   ann   12\n   bob   9\n   Chart: /out/f.png\n"
        );
    }

    #[test]
    fn json_lines_keep_their_keys_and_carry_sections_and_the_chart_in_text() {
        let dir = tempfile::tempdir().unwrap();
        let console = console(dir.path(), ConsoleFormat::Jsonl);
        let line: serde_json::Value =
            serde_json::from_str(&console.render(&digest(), Some(Path::new("/out/f.png"))))
                .unwrap();
        let mut keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["actions", "at", "kind", "lead_id", "text", "to"]);
        assert_eq!(
            line["text"],
            "Weekly digest\nWeek 2026-W47\n\nSLA\nrep   acked\nann   12\nbob   9\nChart: /out/f.png"
        );
    }

    #[tokio::test]
    async fn a_chart_is_written_beside_the_output_and_replaces_an_older_one() {
        let dir = tempfile::tempdir().unwrap();
        let console = console(dir.path(), ConsoleFormat::Jsonl);
        let path = dir.path().join("funnel-2026-W47.png");
        std::fs::write(&path, b"stale").unwrap();
        let before = console.marker().await;
        console.send(&with_chart(digest())).await.unwrap();
        let png = std::fs::read(&path).unwrap();
        assert_eq!(
            png,
            crate::message::chart::render_png(with_chart(digest()).message.chart.as_ref().unwrap())
                .unwrap()
        );
        let out = std::fs::read_to_string(dir.path().join("out.log")).unwrap();
        assert!(out.contains(&format!("Chart: {}", path.display())), "{out}");
        // The crash-recovery marker still tells a written line from a missing one.
        assert_eq!(
            console.recover(&digest(), before.as_deref()).await,
            Recovery::Delivered
        );
        let after = console.marker().await;
        assert_eq!(
            console.recover(&digest(), after.as_deref()).await,
            Recovery::Resend
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no partial file left behind: {names:?}");
    }

    #[test]
    fn chart_names_cannot_leave_the_output_directory() {
        let dir = tempfile::tempdir().unwrap();
        let console = console(dir.path(), ConsoleFormat::Text);
        assert_eq!(
            console.chart_path("../../etc/cron.d/x"),
            dir.path().join("-..-etc-cron.d-x.png")
        );
    }
}
