//! An external writer committing stage changes as fast as a busy CRM sync would
//! (1,000 commits a second, each its own transaction) while Baton runs and people type
//! commands: no transition is missed and no SQLITE_BUSY reaches anyone. The CI form runs
//! for 3 seconds; `BATON_LOAD_SECONDS=60` gives the long form.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_external_commits_a_second_miss_no_transition() {
    let seconds: u32 = std::env::var("BATON_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let app = TestApp::spawn("").await;
    let mut setup = String::new();
    for i in 0..100 {
        setup.push_str(&format!(
            "INSERT INTO leads (external_id, name, stage) VALUES ('l{i}', 'Load {i}', 'lead');\n"
        ));
    }
    app.external(&setup).await;

    // Each tick flips one of 100 leads between lead and mql, paced to 1,000 commits/s.
    let script = format!(
        "import sqlite3, sys, time\n\
         con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)\n\
         con.execute('PRAGMA busy_timeout = 30000')\n\
         con.execute('PRAGMA synchronous = NORMAL')\n\
         stages = ['lead'] * 100\n\
         total = {seconds} * 1000\n\
         start = time.monotonic()\n\
         for n in range(total):\n\
         \x20   i = n % 100\n\
         \x20   stages[i] = 'mql' if stages[i] == 'lead' else 'lead'\n\
         \x20   con.execute('UPDATE leads SET stage = ? WHERE external_id = ?', (stages[i], f'l{{i}}'))\n\
         \x20   ahead = (n + 1) / 1000 - (time.monotonic() - start)\n\
         \x20   if ahead > 0: time.sleep(ahead)\n\
         print(total, round(time.monotonic() - start, 2))\n"
    );
    let writer = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(&script)
        .arg(app.db_path())
        .output();
    // People use Baton at the same time.
    let commands = async {
        let mut refusals = 0;
        for i in 0..(seconds * 20) {
            let (ok, text) = app
                .command("root@acme.test", &format!("/lead show l{}", i % 100))
                .await;
            assert!(
                !text.to_lowercase().contains("database is locked"),
                "{text}"
            );
            refusals += usize::from(!ok);
            tokio::task::yield_now().await;
        }
        refusals
    };
    let (out, refusals) = tokio::join!(writer, commands);
    let out = out.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(refusals, 0);
    let changes = i64::from(seconds) * 1000;
    let entries = app
        .scalar("SELECT COUNT(*) FROM lead_events WHERE to_stage = 'mql'")
        .await;
    assert_eq!(entries, changes / 2);
    app.wait("every entry handled", |c| {
        c.events_processed >= 100 + changes as u64
    })
    .await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs").await,
        entries,
        "one handoff per entry into mql"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE status = 'open'")
            .await,
        0
    );
    app.drained().await;
    assert_eq!(app.console_of_kind("alert").len() as i64, entries);
    eprintln!("writer: {}", String::from_utf8_lossy(&out.stdout).trim());
}
