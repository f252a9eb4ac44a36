//! Stop means stop (SPEC §1): `baton run` and `baton demo` exit soon after SIGINT or
//! SIGTERM whatever their standard input is — an open pipe nobody writes to, a terminal,
//! `/dev/null` — and what was queued is sent, now or after the next start, exactly once.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::*;

/// How soon after the signal the process must be gone.
const STOP_WITHIN: Duration = Duration::from_secs(2);

fn write_config(dir: &Path) -> String {
    let path = dir.join("baton.toml");
    std::fs::write(&path, config_text(dir, TEAM)).unwrap();
    path.display().to_string()
}

/// Starts `baton run` with `stdin`, and waits until it says it is running.
fn start(config: &str, stdin: Stdio) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["run", "--config", config])
        .env("BATON_LOG", "info")
        .env_remove("BATON_CONFIG")
        .stdin(stdin)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("baton is running") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(PATIENCE)
        .expect("baton run did not say it is running");
    child
}

/// Sends `signal` and waits for the exit: its status and how long it took.
fn stop(mut child: Child, signal: &str) -> (std::process::ExitStatus, Duration) {
    let sent = Instant::now();
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let (tx, rx) = mpsc::channel();
    let pid = child.id();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    match rx.recv_timeout(STOP_WITHIN) {
        Ok(status) => (status.unwrap(), sent.elapsed()),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("baton did not exit within {STOP_WITHIN:?} of SIG{signal}");
        }
    }
}

fn alerts(dir: &Path) -> Vec<i64> {
    let mut ids: Vec<i64> = std::fs::read_to_string(dir.join("console.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["kind"] == "alert")
        .filter_map(|m| m["lead_id"].as_i64())
        .collect();
    ids.sort_unstable();
    ids
}

/// Waits, by polling the console file, until every lead in `want` has its alert.
fn wait_for_alerts(dir: &Path, want: &[i64]) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let got = alerts(dir);
        if want.iter().all(|id| got.contains(id)) {
            return;
        }
        assert!(Instant::now() < deadline, "alerts {got:?}, wanted {want:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn insert_mql(db: &Path, external_id: &str) {
    let out = external_sql(
        db,
        &format!(
            "INSERT INTO leads (external_id, email, name, stage) VALUES ('{external_id}', '{external_id}@x.test', 'N', 'mql');"
        ),
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn sigterm_with_stdin_an_open_pipe_stops_at_once_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path());
    let db = dir.path().join("baton.db");
    let child = start(&config, Stdio::piped());
    insert_mql(&db, "first").await;
    wait_for_alerts(dir.path(), &[1]);
    // The second MQL is committed just before the signal: it is alerted now or after the
    // restart, never lost and never twice.
    insert_mql(&db, "second").await;
    // `child.stdin` stays open: nobody writes to it, nobody closes it.
    let (status, took) = stop(child, "TERM");
    assert!(status.success(), "{status}");
    eprintln!("SIGTERM with a pipe on stdin: exited after {took:?}");

    let child = start(&config, Stdio::null());
    wait_for_alerts(dir.path(), &[1, 2]);
    let (status, took) = stop(child, "INT");
    assert!(status.success(), "{status}");
    eprintln!("SIGINT with /dev/null on stdin: exited after {took:?}");
    assert_eq!(alerts(dir.path()), [1, 2], "one alert per MQL");
}

/// Runs `args` under a pseudo-terminal (python3's `pty`), waits for `ready` in its output,
/// sends SIGINT and prints the exit code and the seconds it took.
const UNDER_PTY: &str = r#"
import os, pty, select, signal, sys, time
ready, args = sys.argv[1].encode(), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["BATON_LOG"] = "info"
    os.execv(args[0], args)
seen, deadline = b"", time.time() + 60
while ready not in seen:
    if time.time() > deadline:
        print("never ready:", seen[-2000:]); sys.exit(3)
    r, _, _ = select.select([fd], [], [], 1)
    if r:
        try:
            seen += os.read(fd, 65536)
        except OSError:
            print("exited early:", seen[-2000:]); sys.exit(4)
os.kill(pid, signal.SIGINT)
sent = time.time()
while True:
    # Keep reading, so a full terminal buffer cannot block the child.
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            os.read(fd, 65536)
        except OSError:
            pass
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        print("exit", os.waitstatus_to_exitcode(status), "after", round(time.time() - sent, 3))
        sys.exit(0)
    if time.time() - sent > 10:
        os.kill(pid, signal.SIGKILL)
        print("still running 10 s after SIGINT"); sys.exit(5)
"#;

fn under_pty(ready: &str, args: &[&str]) -> (i32, f64) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(UNDER_PTY)
        .arg(ready)
        .arg(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .env_remove("BATON_CONFIG")
        .output()
        .expect("python3 is needed for the terminal tests");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["exit", code, "after", secs] => (code.parse().unwrap(), secs.parse().unwrap()),
        _ => panic!("{text}\n{}", String::from_utf8_lossy(&out.stderr)),
    }
}

#[test]
fn sigint_with_stdin_a_terminal_stops_run_and_demo_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path());
    let (code, secs) = under_pty("baton is running", &["run", "--config", &config]);
    assert_eq!(code, 0);
    assert!(secs < STOP_WITHIN.as_secs_f64(), "baton run took {secs} s");

    let demo_db = dir.path().join("demo.db");
    // The demo logs warnings only: its banner says it is up.
    let (code, secs) = under_pty("Baton demo:", &["demo", "--db", demo_db.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(secs < STOP_WITHIN.as_secs_f64(), "baton demo took {secs} s");
}
