//! Availability from chat (issue 19) through the console: `/baton away` takes a rep out
//! of routing at once (no restart), `/baton back` restores them (also over a config
//! `out_of_office`), the manager is told, and only the person, their team's manager or an
//! admin may set it. `/baton who` lists each rep's state and load.

use crate::harness::*;

async fn assignee_of(app: &TestApp, external_id: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT h.assignee FROM handoffs h JOIN leads l ON l.id = h.lead_id WHERE l.external_id = ?",
    )
    .bind(external_id)
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap()
}

async fn mql(app: &TestApp, external_id: &str, opened: u64) {
    app.external(&format!(
        "INSERT INTO leads (external_id, name, email, stage) VALUES ('{external_id}', 'Lead {external_id}', '{external_id}@free.example', 'mql')"
    ))
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= opened)
        .await;
}

/// A second team with its own manager and rep.
const EMEA: &str = r#"
[[person]]
email = "eve@acme.test"
name = "Eve"
role = "manager"
team = "emea"

[[person]]
email = "ed@acme.test"
name = "Ed"
role = "rep"
team = "emea"
calendar = "always"

[[team]]
name = "emea"
manager = "eve@acme.test"
"#;

#[tokio::test]
async fn away_skips_a_rep_at_once_and_back_restores_them() {
    let app = TestApp::spawn(EMEA).await;
    let (ok, reply) = app.command("ann@acme.test", "/baton away 3d dentist").await;
    assert!(ok, "{reply}");
    assert_eq!(
        reply,
        "You are away from 2026-11-17 to 2026-11-19: no new leads until then. /baton back ends it early."
    );
    for (i, id) in ["a1", "a2", "a3"].into_iter().enumerate() {
        mql(&app, id, i as u64 + 1).await;
        assert_eq!(
            assignee_of(&app, id).await.as_deref(),
            Some("bob@acme.test"),
            "{id}"
        );
    }
    let (ok, who) = app.command("bob@acme.test", "/baton who sales").await;
    assert!(ok, "{who}");
    assert_eq!(
        who,
        "Team sales:\n  Ann (ann@acme.test): away until 2026-11-19 (dentist), 0 open\n  Bob (bob@acme.test): available, 3 open"
    );
    let (ok, reply) = app.command("ann@acme.test", "/baton back").await;
    assert!(ok && reply.starts_with("Welcome back"), "{reply}");
    mql(&app, "a4", 4).await;
    assert_eq!(
        assignee_of(&app, "a4").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;
    // Boss heard of both, in order; nobody else did.
    let told: Vec<String> = app
        .console_of_kind("update")
        .into_iter()
        .filter(|m| m["to"] == "boss@acme.test")
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(
        told[0].contains("Ann is away 2026-11-17 to 2026-11-19 (set by Ann)")
            && told[0].contains("dentist"),
        "{told:?}"
    );
    assert!(told[1].contains("Ann is back (set by Ann)"), "{told:?}");
}

#[tokio::test]
async fn back_overrides_the_configs_out_of_office() {
    let app = TestApp::builder()
        .env(&[(
            "BATON__PERSON__2__OUT_OF_OFFICE",
            "[\"2026-11-16..2026-11-27\"]",
        )])
        .spawn()
        .await;
    mql(&app, "c1", 1).await;
    assert_eq!(
        assignee_of(&app, "c1").await.as_deref(),
        Some("bob@acme.test")
    );
    let (ok, reply) = app
        .command("boss@acme.test", "/baton back ann@acme.test")
        .await;
    assert!(ok, "{reply}");
    mql(&app, "c2", 2).await;
    assert_eq!(
        assignee_of(&app, "c2").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;
}

#[tokio::test]
async fn only_the_person_their_teams_manager_or_an_admin_set_availability() {
    let app = TestApp::spawn(EMEA).await;
    let before = dump(&app.db_path()).await;
    for (actor, text, refusal) in [
        (
            "bob@acme.test",
            "/baton away ann@acme.test today",
            "you can set only your own availability, not ann@acme.test's: their manager or an admin can",
        ),
        (
            "eve@acme.test",
            "/baton away ann@acme.test today",
            "ann@acme.test is not a rep of a team you manage: a manager sets availability for their own team's reps only",
        ),
        (
            "eve@acme.test",
            "/baton back bob@acme.test",
            "bob@acme.test is not a rep of a team you manage: a manager sets availability for their own team's reps only",
        ),
        (
            "ann@acme.test",
            "/baton away 2026-11-01..2026-11-02",
            "2026-11-01..2026-11-02 is over",
        ),
        (
            "ann@acme.test",
            "/baton away ghost@acme.test 3d",
            "ghost@acme.test is not a Baton user",
        ),
        (
            "ann@acme.test",
            "/baton away soon",
            "\"soon\" is not a period",
        ),
        (
            "ann@acme.test",
            "/baton who nowhere",
            "there is no team \"nowhere\"",
        ),
    ] {
        let (ok, reply) = app.command(actor, text).await;
        assert!(!ok, "{actor} {text}: {reply}");
        assert!(reply.starts_with(refusal), "{actor} {text}: {reply}");
    }
    assert_eq!(
        dump(&app.db_path()).await,
        before,
        "a refusal changed nothing"
    );
    let (ok, reply) = app
        .command("boss@acme.test", "/baton away ann@acme.test 2d")
        .await;
    assert!(ok, "{reply}");
    let (ok, reply) = app
        .command("eve@acme.test", "/baton away ed@acme.test today")
        .await;
    assert!(ok, "{reply}");
    let (ok, reply) = app
        .command("root@acme.test", "/baton away bob@acme.test today")
        .await;
    assert!(ok, "{reply}");
    let (_, who) = app.command("ed@acme.test", "/baton who").await;
    assert!(
        who.contains("Ann (ann@acme.test): away until 2026-11-18, 0 open"),
        "{who}"
    );
    assert!(
        who.contains("Bob (bob@acme.test): away until 2026-11-17, 0 open"),
        "{who}"
    );
    assert!(
        who.contains("Team emea:\n  Ed (ed@acme.test): away until 2026-11-17, 0 open"),
        "{who}"
    );
    // Nobody on sales is available: the manager gets the lead, saying why.
    mql(&app, "m1", 1).await;
    assert_eq!(
        assignee_of(&app, "m1").await.as_deref(),
        Some("boss@acme.test")
    );
    app.drained().await;
}
