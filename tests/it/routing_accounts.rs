//! Routing sales ops can trust (issue 19), through the console: account owners first (by
//! domain and subdomain, never by free-mail, remembered from accepted handoffs), every
//! decision stored with its reasons and shown by `/lead why` to the people allowed to see
//! it, and `baton route --dry-run` writing nothing.

use crate::harness::*;

/// Bob is away the whole week of [`START`] (person 3 of [`TEAM`]).
const BOB_AWAY: (&str, &str) = (
    "BATON__PERSON__3__OUT_OF_OFFICE",
    "[\"2026-11-16..2026-11-20\"]",
);

async fn assignee_of(app: &TestApp, external_id: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT h.assignee FROM handoffs h JOIN leads l ON l.id = h.lead_id
         WHERE l.external_id = ? ORDER BY h.id DESC LIMIT 1",
    )
    .bind(external_id)
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap()
}

async fn mql(app: &TestApp, external_id: &str, email: &str, opened: u64) {
    app.external(&format!(
        "INSERT INTO leads (external_id, name, email, source, campaign, stage)
         VALUES ('{external_id}', 'Lead {external_id}', '{email}', 'webinar', 'fall-launch', 'mql')"
    ))
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= opened)
        .await;
}

fn alert_for<'a>(alerts: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    alerts
        .iter()
        .find(|a| a["text"].as_str().unwrap().contains(name))
        .unwrap_or_else(|| panic!("no alert for {name}: {alerts:?}"))
}

#[tokio::test]
async fn a_subdomain_goes_to_the_accounts_owner_and_free_mail_matches_nothing() {
    let app = TestApp::spawn("").await;
    app.external(
        "INSERT INTO accounts (domain, name, owner_email) VALUES ('acme.com', 'Acme', 'BOB@acme.test');
         INSERT INTO accounts (domain, name, owner_email) VALUES ('gmail.com', 'Not a company', 'bob@acme.test');",
    )
    .await;
    mql(&app, "ana", "ana@eu.acme.com", 1).await;
    assert_eq!(
        assignee_of(&app, "ana").await.as_deref(),
        Some("bob@acme.test")
    );
    // An account match takes no rotation turn: Ann, first in the rotation, is next.
    mql(&app, "gus", "bob@gmail.com", 2).await;
    assert_eq!(
        assignee_of(&app, "gus").await.as_deref(),
        Some("ann@acme.test")
    );
    // company_domain counts before the email's domain.
    app.external(
        "INSERT INTO leads (external_id, name, email, company_domain, stage)
         VALUES ('cdo', 'Lead cdo', 'cd@yahoo.co.uk', 'www.ACME.com', 'mql')",
    )
    .await;
    app.wait("the third handoff", |c| c.handoffs_opened >= 3)
        .await;
    assert_eq!(
        assignee_of(&app, "cdo").await.as_deref(),
        Some("bob@acme.test")
    );
    app.drained().await;

    let alerts = app.console_of_kind("alert");
    let ana = alert_for(&alerts, "Lead ana");
    assert_eq!(ana["to"], "bob@acme.test");
    assert!(
        ana["text"]
            .as_str()
            .unwrap()
            .contains("Bob owns the account acme.com"),
        "{ana}"
    );
    let gus = alert_for(&alerts, "Lead gus");
    assert!(
        gus["text"]
            .as_str()
            .unwrap()
            .contains("(round-robin in sales)"),
        "{gus}"
    );
    let (ok, why) = app.command("bob@acme.test", "/lead why ana").await;
    assert!(ok, "{why}");
    assert!(why.contains("Company domain: eu.acme.com"), "{why}");
    assert!(
        why.contains("✓ chosen Bob (bob@acme.test), account step: owns the account acme.com"),
        "{why}"
    );
}

#[tokio::test]
async fn an_away_account_owner_is_explained_and_the_rotation_decides() {
    let app = TestApp::builder().env(&[BOB_AWAY]).spawn().await;
    app.external("INSERT INTO accounts (domain, name, owner_email) VALUES ('acme.com', 'Acme', 'bob@acme.test')")
        .await;
    mql(&app, "ana", "ana@acme.com", 1).await;
    assert_eq!(
        assignee_of(&app, "ana").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;
    let alerts = app.console_of_kind("alert");
    let text = alert_for(&alerts, "Lead ana")["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains(
            "round-robin in sales; account owner of acme.com: Bob is out of office until Fri 20 Nov 2026"
        ),
        "{text}"
    );
    let (ok, why) = app.command("ann@acme.test", "/lead why ana").await;
    assert!(ok, "{why}");
    assert!(
        why.contains("✗ skipped Bob (bob@acme.test), account step: owns the account acme.com, but Bob is out of office until Fri 20 Nov 2026"),
        "{why}"
    );
    assert!(
        why.contains("✓ chosen Ann (ann@acme.test), rotation step"),
        "{why}"
    );
}

#[tokio::test]
async fn without_an_accounts_row_the_last_accepted_handoff_owns_the_domain_for_account_memory() {
    let app = TestApp::spawn("[routing]\naccount_memory = \"30d\"\n").await;
    mql(&app, "g1", "one@globex.com", 1).await;
    assert_eq!(
        assignee_of(&app, "g1").await.as_deref(),
        Some("ann@acme.test")
    );
    // Not accepted yet: nothing is remembered, the rotation gives the next one to Bob.
    mql(&app, "g2", "two@globex.com", 2).await;
    assert_eq!(
        assignee_of(&app, "g2").await.as_deref(),
        Some("bob@acme.test")
    );
    let (ok, reply) = app.command("ann@acme.test", "/lead accept g1").await;
    assert!(ok, "{reply}");
    mql(&app, "h1", "one@hooli.com", 3).await;
    assert_eq!(
        assignee_of(&app, "h1").await.as_deref(),
        Some("ann@acme.test")
    );
    // Bob's turn in the rotation, but Ann's accepted handoff made her globex.com's owner.
    mql(&app, "g3", "three@sales.globex.com", 4).await;
    assert_eq!(
        assignee_of(&app, "g3").await.as_deref(),
        Some("ann@acme.test")
    );
    let (_, why) = app.command("ann@acme.test", "/lead why g3").await;
    assert!(
        why.contains("Ann owns globex.com (accepted its last lead, handoff 1)"),
        "{why}"
    );
    // After account_memory the domain has no owner again: the rotation's Bob gets it.
    app.clock.advance(chrono::Duration::days(31));
    mql(&app, "g5", "five@globex.com", 5).await;
    assert_eq!(
        assignee_of(&app, "g5").await.as_deref(),
        Some("bob@acme.test")
    );
    let (_, why) = app.command("root@acme.test", "/lead why g5").await;
    assert!(why.contains("rotation step"), "{why}");
    assert!(!why.contains("account step"), "{why}");
    app.timers_settled().await;
    app.drained().await;
}

#[tokio::test]
async fn account_match_off_ignores_accounts() {
    let app = TestApp::spawn("[routing]\naccount_match = \"off\"\n").await;
    app.external("INSERT INTO accounts (domain, name, owner_email) VALUES ('acme.com', 'Acme', 'bob@acme.test')")
        .await;
    mql(&app, "ana", "ana@acme.com", 1).await;
    assert_eq!(
        assignee_of(&app, "ana").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;
}

/// Carl works Tokyo hours (closed at [`START`]), Dana may hold one open handoff.
const FOUR_REPS: &str = r#"
[[calendar]]
name = "tokyo"
timezone = "Asia/Tokyo"
hours = "Mon-Fri 09:00-18:00"

[[person]]
email = "carl@acme.test"
name = "Carl"
role = "rep"
team = "sales"
calendar = "tokyo"

[[person]]
email = "dana@acme.test"
name = "Dana"
role = "rep"
team = "sales"
calendar = "always"
max_open = 1
"#;

#[tokio::test]
async fn lead_why_lists_every_candidate_for_the_assignee_their_manager_and_admins_only() {
    let app = TestApp::builder()
        .config(FOUR_REPS)
        .env(&[BOB_AWAY])
        .spawn()
        .await;
    app.external(
        "INSERT INTO leads (external_id, name, email, stage, owner_email)
         VALUES ('own', 'Lead own', 'o@initech.com', 'mql', 'dana@acme.test')",
    )
    .await;
    app.wait("the owner's handoff", |c| c.handoffs_opened >= 1)
        .await;
    assert_eq!(
        assignee_of(&app, "own").await.as_deref(),
        Some("dana@acme.test")
    );
    mql(&app, "rr", "r@umbrella.com", 2).await;
    assert_eq!(
        assignee_of(&app, "rr").await.as_deref(),
        Some("ann@acme.test")
    );

    for who in ["ann@acme.test", "boss@acme.test", "root@acme.test"] {
        let (ok, why) = app.command(who, "/lead why rr").await;
        assert!(ok, "{who}: {why}");
        for line in [
            "Why lead #2 (Lead rr) went to Ann",
            "Team: no rule matched: team sales is the first one",
            "✓ chosen Ann (ann@acme.test), rotation step: their weighted turn in sales (weight 1)",
            "✗ skipped Bob (bob@acme.test), rotation step: Bob is out of office until Fri 20 Nov 2026",
            "✗ skipped Carl (carl@acme.test), rotation step: Carl is outside working hours",
            "✗ skipped Dana (dana@acme.test), rotation step: Dana is at their cap (1/1 open)",
        ] {
            assert!(why.contains(line), "{who}: {line} not in {why}");
        }
    }
    for who in ["bob@acme.test", "dana@acme.test"] {
        let (ok, why) = app.command(who, "/lead why rr").await;
        assert!(!ok, "{who}: {why}");
        assert_eq!(
            why,
            "only the assignee (Ann), their manager or an admin can see why lead #2 went to them"
        );
    }
    let (ok, why) = app.command("nobody@acme.test", "/lead why rr").await;
    assert!(!ok && why.contains("nobody@acme.test"), "{why}");
    let (ok, why) = app.command("ann@acme.test", "/lead why 99").await;
    assert!(!ok && why.contains("no lead 99"), "{why}");
    let (ok, why) = app.command("ann@acme.test", "/lead why").await;
    assert!(!ok && why.contains("usage: /lead why LEAD"), "{why}");
    app.drained().await;
}

fn write_config(dir: &std::path::Path, extra: &str) -> String {
    let path = dir.join("baton.toml");
    std::fs::write(&path, config_text(dir, &format!("{TEAM}\n{extra}"))).unwrap();
    path.display().to_string()
}

#[test]
fn route_dry_run_explains_each_lead_of_a_file_and_writes_nothing() {
    use crate::cli::baton;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[routing]\nignore_domains = [\"agency.io\"]\n");
    let out = baton(&["--config", &config, "migrate"], &[]);
    assert!(out.status.success());
    let db = dir.path().join("baton.db");
    let seeded = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
             c.execute(\"INSERT INTO accounts (domain, owner_email) VALUES ('acme.com', 'bob@acme.test')\"); c.commit()",
        )
        .arg(&db)
        .status()
        .unwrap();
    assert!(seeded.success());
    let file = dir.path().join("leads.json");
    std::fs::write(
        &file,
        r#"[{"email": "ana@eu.acme.com", "name": "Ana"},
            {"email": "sam@agency.io", "name": "Sam"},
            {"email": "kim@other.com", "name": "Kim"}]"#,
    )
    .unwrap();
    let out = baton(
        &[
            "--config",
            &config,
            "route",
            "--dry-run",
            file.to_str().unwrap(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("lead 1 (Ana):\n  Assigned to Bob: Bob owns the account acme.com"),
        "{text}"
    );
    // An ignored domain is no company; two rotation picks in a row alternate.
    assert!(
        text.contains("lead 2 (Sam):\n  Assigned to Ann: round-robin in sales"),
        "{text}"
    );
    assert!(
        text.contains("lead 3 (Kim):\n  Assigned to Bob: round-robin in sales"),
        "{text}"
    );
    let sam = text
        .split("lead 2 (Sam):")
        .nth(1)
        .unwrap()
        .split("lead 3")
        .next()
        .unwrap();
    assert!(!sam.contains("Company domain"), "{sam}");

    let json = baton(
        &[
            "--config",
            &config,
            "route",
            "--dry-run",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    let decisions: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(decisions[0]["decision"]["assignee"], "bob@acme.test");
    assert_eq!(decisions[0]["decision"]["domain"], "eu.acme.com");
    assert_eq!(decisions[0]["decision"]["candidates"][0]["step"], "account");
    // Nothing was written: no lead, no handoff, no rotation turn.
    let count = |table: &str| {
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(format!(
                "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM {table}').fetchone()[0])"
            ))
            .arg(&db)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    for table in [
        "leads",
        "handoffs",
        "rotation_members",
        "routing_decisions",
        "outbox",
    ] {
        assert_eq!(count(table), "0", "{table}");
    }

    // Without --dry-run, and with a bad file: exit 2 saying what is wrong.
    let out = baton(&["--config", &config, "route", file.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dry-run"));
    std::fs::write(&file, r#"[{"email": "a@b.com", "company_size": "big"}]"#).unwrap();
    let out = baton(
        &[
            "--config",
            &config,
            "route",
            "--dry-run",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lead 1: company_size: must be a whole number, not \"big\""),
        "{err}"
    );
}
