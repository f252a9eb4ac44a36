//! Coming back from an absence (issue 19), through the console: the morning summary skips a
//! rep away by `/baton away` (stored in the database, not only the config's
//! `out_of_office`), and on their first working day back opens with "welcome back"; the
//! first alert after a return says it too, once, while the rotation keeps its fair share.
//! Also the memory of accepted handoffs across a company's subdomains.

use crate::harness::*;

/// Bob (person 3) is out of office in the config on Monday and Tuesday 16–17 November.
const BOB_OUT: (&str, &str) = (
    "BATON__PERSON__3__OUT_OF_OFFICE",
    "[\"2026-11-16..2026-11-17\"]",
);

const DAILY: &str = "[digest]\nrep_daily_cron = \"0 30 8 * * Mon-Fri\"\n";

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
        "INSERT INTO leads (external_id, name, email, stage)
         VALUES ('{external_id}', 'Lead {external_id}', '{email}', 'mql')"
    ))
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= opened)
        .await;
}

/// The morning summaries sent so far, as (to, text).
fn summaries(app: &TestApp) -> Vec<(String, String)> {
    app.console_of_kind("digest")
        .iter()
        .map(|m| {
            (
                m["to"].as_str().unwrap().to_string(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_morning_summary_skips_chat_absences_and_welcomes_back_on_the_first_day() {
    let app = TestApp::builder()
        .config(DAILY)
        .env(&[BOB_OUT])
        .spawn()
        .await;
    app.wait("a scheduler pass", |c| c.scheduler_passes >= 1)
        .await;
    // Tuesday: Bob is out (config), so Ann gets the lead; then she goes away in chat
    // for Wednesday and Thursday.
    mql(&app, "t1", "t1@free.example", 1).await;
    assert_eq!(
        assignee_of(&app, "t1").await.as_deref(),
        Some("ann@acme.test")
    );
    app.clock.set(at("2026-11-18T07:00:00Z"));
    let (ok, reply) = app
        .command("ann@acme.test", "/baton away 2d long weekend")
        .await;
    assert!(ok, "{reply}");
    app.drained().await;

    // Wednesday 08:30: Ann is away in the database and gets no summary although she has
    // a lead open; Bob is back from the config's range, has nothing open, and is
    // welcomed back all the same.
    app.clock.set(at("2026-11-18T08:30:00Z"));
    app.wait("both reps' jobs", |c| c.jobs_run >= 2).await;
    app.drained().await;
    let sent = summaries(&app);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "bob@acme.test");
    assert_eq!(
        sent[0].1,
        "Good morning, Bob\nWelcome back, Bob! Leads come to you again at the rotation's fair rate.\nNothing is open for you right now."
    );

    // Thursday: Ann is still away; Bob's second day back is an ordinary one (nothing
    // open, no summary).
    app.clock.set(at("2026-11-19T08:30:00Z"));
    app.wait("both reps' jobs", |c| c.jobs_run >= 4).await;
    app.drained().await;
    assert_eq!(summaries(&app).len(), 1);

    // Friday: Ann's first day back opens with the welcome, then her open handoffs.
    app.clock.set(at("2026-11-20T08:30:00Z"));
    app.wait("both reps' jobs", |c| c.jobs_run >= 6).await;
    app.drained().await;
    let sent = summaries(&app);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[1].0, "ann@acme.test");
    assert!(
        sent[1].1.starts_with(
            "Good morning, Ann\nWelcome back, Ann! Leads come to you again at the rotation's fair rate.\nYour open handoffs (1):"
        ),
        "{}",
        sent[1].1
    );

    // Monday: an ordinary summary, no welcome.
    app.clock.set(at("2026-11-23T08:30:00Z"));
    app.wait("both reps' jobs", |c| c.jobs_run >= 8).await;
    app.drained().await;
    let sent = summaries(&app);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(
        sent[2]
            .1
            .starts_with("Good morning, Ann\nYour open handoffs (1):"),
        "{}",
        sent[2].1
    );
}

#[tokio::test]
async fn the_morning_summary_is_in_the_reps_language() {
    let app = TestApp::builder()
        .config(DAILY)
        .env(&[BOB_OUT, ("BATON__PERSON__3__LOCALE", "\"pt-BR\"")])
        .spawn()
        .await;
    app.wait("a scheduler pass", |c| c.scheduler_passes >= 1)
        .await;
    app.clock.set(at("2026-11-18T08:30:00Z"));
    app.wait("both reps' jobs", |c| c.jobs_run >= 2).await;
    app.drained().await;
    let sent = summaries(&app);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        sent[0].1,
        "Bom dia, Bob\nBem-vindo(a) de volta, Bob! Você volta a receber leads no ritmo justo do rodízio.\nNada está em aberto para você agora."
    );
}

#[tokio::test]
async fn only_the_first_alert_after_a_return_says_welcome_back_and_the_share_stays_fair() {
    let app = TestApp::spawn("").await;
    let (ok, reply) = app.command("ann@acme.test", "/baton away 3d").await;
    assert!(ok, "{reply}");
    for (i, id) in ["a1", "a2", "a3"].into_iter().enumerate() {
        mql(&app, id, &format!("{id}@free.example"), i as u64 + 1).await;
        assert_eq!(
            assignee_of(&app, id).await.as_deref(),
            Some("bob@acme.test")
        );
    }
    let (ok, reply) = app.command("ann@acme.test", "/baton back").await;
    assert!(ok, "{reply}");
    // Ann rejoins at the rotation's current turn, not where she left it: catching up on
    // the three leads she missed would give her b1, b2 and b3. She leads by one turn at
    // most (Bob's pass and hers tie after b1; the tie goes to the first in the config).
    let mut order = Vec::new();
    let mut anns = Vec::new();
    for (i, id) in ["b1", "b2", "b3", "b4"].into_iter().enumerate() {
        mql(&app, id, &format!("{id}@free.example"), i as u64 + 4).await;
        let who = assignee_of(&app, id).await.unwrap();
        if who == "ann@acme.test" {
            anns.push(id);
        }
        order.push(who);
    }
    assert_eq!(
        order,
        [
            "ann@acme.test",
            "ann@acme.test",
            "bob@acme.test",
            "ann@acme.test"
        ]
    );
    app.drained().await;
    let alerts = app.console_of_kind("alert");
    let welcomed: Vec<(String, String)> = alerts
        .iter()
        .filter(|a| a["text"].as_str().unwrap().contains("Welcome back"))
        .map(|a| {
            (
                a["to"].as_str().unwrap().to_string(),
                a["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(welcomed.len(), 1, "{welcomed:?}");
    assert_eq!(welcomed[0].0, "ann@acme.test");
    assert!(
        welcomed[0].1.contains(&format!("Lead {}", anns[0]))
            && welcomed[0]
                .1
                .contains("Welcome back, Ann: this is your first lead since you returned."),
        "{}",
        welcomed[0].1
    );
    // Bob, never away, was never welcomed back.
    assert!(
        alerts
            .iter()
            .filter(|a| a["to"] == "bob@acme.test")
            .all(|a| !a["text"].as_str().unwrap().contains("Welcome")),
        "{alerts:?}"
    );
}

#[tokio::test]
async fn a_config_absence_ending_welcomes_the_first_alert_after_it() {
    let app = TestApp::builder().env(&[BOB_OUT]).spawn().await;
    mql(&app, "c1", "c1@free.example", 1).await;
    assert_eq!(
        assignee_of(&app, "c1").await.as_deref(),
        Some("ann@acme.test")
    );
    // Wednesday: Bob is back; his first lead welcomes him, the next one does not.
    app.clock.set(at("2026-11-18T09:00:00Z"));
    for (i, id) in ["c2", "c3", "c4", "c5"].into_iter().enumerate() {
        mql(&app, id, &format!("{id}@free.example"), i as u64 + 2).await;
    }
    app.drained().await;
    let bobs: Vec<String> = app
        .console_of_kind("alert")
        .iter()
        .filter(|a| a["to"] == "bob@acme.test")
        .map(|a| a["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(bobs.len(), 2, "{bobs:?}");
    assert!(bobs[0].contains("Welcome back, Bob"), "{}", bobs[0]);
    assert!(!bobs[1].contains("Welcome back"), "{}", bobs[1]);
}

#[tokio::test]
async fn an_accepted_handoff_from_a_subdomain_owns_the_parent_and_its_siblings() {
    let app = TestApp::spawn("").await;
    mql(&app, "e1", "ana@eu.acme.com", 1).await;
    assert_eq!(
        assignee_of(&app, "e1").await.as_deref(),
        Some("ann@acme.test")
    );
    let (ok, reply) = app.command("ann@acme.test", "/lead accept e1").await;
    assert!(ok, "{reply}");
    // Bob's turn in the rotation each time, but Ann accepted eu.acme.com's lead: she owns
    // acme.com and every subdomain of it.
    for (i, (id, email)) in [("p1", "bob@acme.com"), ("s1", "x@us.acme.com")]
        .into_iter()
        .enumerate()
    {
        mql(&app, id, email, i as u64 + 2).await;
        assert_eq!(
            assignee_of(&app, id).await.as_deref(),
            Some("ann@acme.test"),
            "{email}"
        );
        let (_, why) = app
            .command("ann@acme.test", &format!("/lead why {id}"))
            .await;
        assert!(
            why.contains("Ann owns acme.com (accepted its last lead, handoff 1)"),
            "{why}"
        );
    }
    // Another company is not acme's: the rotation decides.
    mql(&app, "o1", "kim@other.com", 4).await;
    assert_eq!(
        assignee_of(&app, "o1").await.as_deref(),
        Some("bob@acme.test")
    );
    app.drained().await;
}

#[tokio::test]
async fn a_lead_reassigned_to_a_returned_rep_is_their_first_and_says_welcome_back() {
    let app = TestApp::spawn("").await;
    let (ok, reply) = app.command("ann@acme.test", "/baton away 3d").await;
    assert!(ok, "{reply}");
    mql(&app, "r1", "r1@free.example", 1).await;
    assert_eq!(
        assignee_of(&app, "r1").await.as_deref(),
        Some("bob@acme.test")
    );
    let (ok, reply) = app.command("ann@acme.test", "/baton back").await;
    assert!(ok, "{reply}");
    let (ok, reply) = app
        .command("boss@acme.test", "/lead reassign r1 ann@acme.test")
        .await;
    assert!(ok, "{reply}");
    // Ann's next lead from the rotation is not her first since she came back any more.
    mql(&app, "r2", "r2@free.example", 2).await;
    assert_eq!(
        assignee_of(&app, "r2").await.as_deref(),
        Some("ann@acme.test")
    );
    app.drained().await;
    let anns: Vec<String> = app
        .console_of_kind("alert")
        .iter()
        .filter(|a| a["to"] == "ann@acme.test")
        .map(|a| a["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(anns.len(), 2, "{anns:?}");
    assert!(
        anns[0].starts_with("Reassigned to you from Bob")
            && anns[0].contains("Welcome back, Ann: this is your first lead since you returned."),
        "{}",
        anns[0]
    );
    assert!(!anns[1].contains("Welcome back"), "{}", anns[1]);
}
