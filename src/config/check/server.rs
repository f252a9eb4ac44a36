//! `[server]`, `[watch]` and `[health]`: the HTTP listener, the watcher's safety poll and
//! the thresholds of `/healthz`. The listen address is parsed here, once.

use std::net::SocketAddr;

use super::Problems;
use crate::config::{HealthSettings, ServerSettings, WatchSettings};

/// `[health]`: both lags are positive.
pub fn health(settings: &HealthSettings, problems: &mut Problems) {
    for (key, span) in [
        ("health.watcher_lag", settings.watcher_lag),
        ("health.outbox_lag", settings.outbox_lag),
    ] {
        if span.as_chrono() <= chrono::Duration::zero() {
            problems.push(format!(
                "{key}: {span} is too short: give a positive duration such as \"30s\" or \"5m\""
            ));
        }
    }
}

/// `[watch]`: the safety poll is from 1 ms to a minute.
pub fn watch(settings: &WatchSettings, problems: &mut Problems) {
    if settings.poll_ms == 0 || settings.poll_ms > 60_000 {
        problems.push(format!(
            "watch.poll_ms: {} is out of range: use 1 to 60000 (default 100)",
            settings.poll_ms
        ));
    }
}

/// `[server]`: positive timeouts, a connection cap, and the address to listen on (`None`
/// when it is not one).
pub fn server(settings: &ServerSettings, problems: &mut Problems) -> Option<SocketAddr> {
    if settings.idle_timeout.as_millis() <= 0 || settings.request_timeout.as_millis() <= 0 {
        problems.push(
            "server.idle_timeout and server.request_timeout must be longer than zero, e.g. \"10s\" and \"30s\"".into(),
        );
    }
    if !(1..=1_000_000).contains(&settings.max_connections) {
        problems.push(format!(
            "server.max_connections: {} is out of range: use 1 or more (default 512), below the process's file-descriptor limit",
            settings.max_connections
        ));
    }
    match settings.listen.parse::<SocketAddr>() {
        Ok(address) => Some(address),
        Err(_) => {
            problems.push(format!(
                "server.listen: \"{}\" is not an address: write IP:PORT, e.g. \"127.0.0.1:8080\"",
                settings.listen
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{expect_problems, run};
    use super::*;

    #[test]
    fn health_lags_are_positive() {
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (
                "[health]\nwatcher_lag = \"1m\"\noutbox_lag = \"10m\"\n",
                &[],
            ),
            (
                "[health]\nwatcher_lag = \"0s\"\n",
                &[
                    "health.watcher_lag: 0s is too short: give a positive duration such as \"30s\" or \"5m\"",
                ],
            ),
            (
                "[health]\nwatcher_lag = \"0s\"\noutbox_lag = \"0ms\"\n",
                &[
                    "health.watcher_lag: 0s is too short: give a positive duration such as \"30s\" or \"5m\"",
                    "health.outbox_lag: 0s is too short: give a positive duration such as \"30s\" or \"5m\"",
                ],
            ),
        ];
        expect_problems(rows, |s, p| health(&s.health, p));
    }

    #[test]
    fn the_safety_poll_is_in_range() {
        let rows: &[(&str, &[&str])] = &[
            ("[watch]\npoll_ms = 1\n", &[]),
            ("[watch]\npoll_ms = 60000\n", &[]),
            (
                "[watch]\npoll_ms = 0\n",
                &["watch.poll_ms: 0 is out of range: use 1 to 60000 (default 100)"],
            ),
            (
                "[watch]\npoll_ms = 60001\n",
                &["watch.poll_ms: 60001 is out of range: use 1 to 60000 (default 100)"],
            ),
        ];
        expect_problems(rows, |s, p| watch(&s.watch, p));
    }

    #[test]
    fn the_server_listens_on_an_address_with_limits() {
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (
                "[server]\nidle_timeout = \"0s\"\n",
                &[
                    "server.idle_timeout and server.request_timeout must be longer than zero, e.g. \"10s\" and \"30s\"",
                ],
            ),
            (
                "[server]\nmax_connections = 0\n",
                &[
                    "server.max_connections: 0 is out of range: use 1 or more (default 512), below the process's file-descriptor limit",
                ],
            ),
            (
                "[server]\nlisten = \"localhost:8080\"\n",
                &[
                    "server.listen: \"localhost:8080\" is not an address: write IP:PORT, e.g. \"127.0.0.1:8080\"",
                ],
            ),
            (
                "[server]\nlisten = \"8080\"\n",
                &[
                    "server.listen: \"8080\" is not an address: write IP:PORT, e.g. \"127.0.0.1:8080\"",
                ],
            ),
        ];
        expect_problems(rows, |s, p| server(&s.server, p));
        for (text, want) in [
            ("", "127.0.0.1:8080"),
            ("[server]\nlisten = \"0.0.0.0:9000\"\n", "0.0.0.0:9000"),
            ("[server]\nlisten = \"[::1]:80\"\n", "[::1]:80"),
        ] {
            let (got, _) = run(text, |s, p| server(&s.server, p));
            assert_eq!(got, Some(want.parse().unwrap()), "{text}");
        }
    }
}
