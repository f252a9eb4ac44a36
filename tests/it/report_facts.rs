//! The report facts kept on `handoffs` (migration 0015: the MQL entry's campaign and
//! source, and its stage times bounded by the lead's next entry into `mql`): after every
//! kind of write they equal what the reports computed before from `report_entries` (the
//! join on the MQL entry and the look-up of the next `mql` entry, written out below in
//! plain SQL), and the figures built from them agree with the independent reference of
//! `reference.rs` (or, where a hand edit leaves the reference's model of a history, with
//! plain SQL over that old definition).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::*;
use crate::reference::{
    GenLead, NOW, SETUP, assignees, check_period, generate, handoffs_of, load, load_from, rank_of,
    report,
};

/// The facts of every handoff as the reports computed them before migration 0015: the
/// handoff's entry in `report_entries` (by `event_id`), its stage times kept only when
/// strictly before the lead's next `mql` entry (the one whose `prev_at` is this entry's
/// `at`). Valid SQL on SQLite and PostgreSQL alike.
pub(crate) const OLD_FACTS: &str = "SELECT h.id, r.campaign, r.source,
        CASE WHEN r.next IS NULL OR r.sql_at < r.next THEN r.sql_at END,
        CASE WHEN r.next IS NULL OR r.opportunity_at < r.next THEN r.opportunity_at END,
        CASE WHEN r.next IS NULL OR r.customer_at < r.next THEN r.customer_at END
    FROM handoffs h
    LEFT JOIN (SELECT e.*, (SELECT MIN(n.at) FROM report_entries n
                            WHERE n.stage = 'mql' AND n.prev_at IS NOT NULL
                              AND n.prev_at = e.at AND n.lead_id = e.lead_id) AS next
               FROM report_entries e) r ON r.event_id = h.event_id
    ORDER BY h.id";

/// The same columns as stored on `handoffs`.
pub(crate) const STORED_FACTS: &str =
    "SELECT id, campaign, source, sql_at, opportunity_at, customer_at FROM handoffs ORDER BY id";

/// One handoff's facts: id, campaign, source, sql_at, opportunity_at, customer_at.
pub(crate) type Facts = (
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// Asserts that the stored facts are the old definition's, and returns them.
async fn check_stored(app: &TestApp, what: &str) -> Vec<Facts> {
    let pool = &app.ctx.db.pool;
    let stored: Vec<Facts> = sqlx::query_as(STORED_FACTS).fetch_all(pool).await.unwrap();
    let old: Vec<Facts> = sqlx::query_as(OLD_FACTS).fetch_all(pool).await.unwrap();
    assert!(!stored.is_empty(), "{what}: no handoffs");
    assert_eq!(stored, old, "{what}: the facts on handoffs");
    stored
}

/// The stored facts and every figure of the periods checked by the reference.
async fn check(app: &TestApp, leads: &[GenLead], what: &str) -> Vec<Facts> {
    let stored = check_stored(app, what).await;
    let reps = assignees(app).await;
    let hs = handoffs_of(leads, &reps, at(NOW));
    for (from, to) in [("2026-10-19", "2026-11-08"), ("2026-10-01", "2026-11-20")] {
        check_period(app, leads, &hs, from, to).await;
    }
    stored
}

/// Adds `stage` to lead `l`, `hours` after its last change, unless that is not before now.
fn push(l: &mut GenLead, stage: &'static str, hours: i64) -> bool {
    let last = l.events.last().unwrap().clone();
    let t = last.at + chrono::Duration::hours(hours);
    if t >= at(NOW) {
        return false;
    }
    l.events.push(crate::reference::Event {
        lead: last.lead,
        stage,
        at: t,
    });
    true
}

#[tokio::test]
async fn the_facts_follow_crm_edits_later_stages_and_re_entries_into_mql() {
    let app = TestApp::builder().config(SETUP).at(at(NOW)).spawn().await;
    let mut leads = generate(11, 120);
    load(&app, &leads).await;
    let loaded = check(&app, &leads, "loaded").await;
    assert!(
        loaded.iter().any(|f| f.5.is_some()),
        "a handoff reached customer"
    );

    // A CRM renames the campaign and source of every fifth lead (entries and handoffs follow).
    let mut script = String::from("BEGIN;\n");
    for (i, l) in leads.iter_mut().enumerate().filter(|(i, _)| i % 5 == 0) {
        (l.campaign, l.source) = [("relaunch", "partner"), ("spring", "referral")][i % 2];
        script.push_str(&format!(
            "UPDATE leads SET campaign = '{}', source = '{}' WHERE external_id = 'g{i}';\n",
            l.campaign, l.source
        ));
    }
    script.push_str("COMMIT;\n");
    app.external(&script).await;
    let edited = check(&app, &leads, "after the CRM's edits").await;
    assert_ne!(edited, loaded);
    assert!(edited.iter().any(|f| f.1.as_deref() == Some("relaunch")));

    // Later stages: open handoffs accepted, accepted ones going further.
    let done: Vec<usize> = leads.iter().map(|l| l.events.len()).collect();
    let mut later = 0;
    for l in &mut leads {
        let next = match l.events.last().unwrap().stage {
            "mql" => "sql",
            "sql" => "opportunity",
            "opportunity" => "customer",
            _ => continue,
        };
        later += usize::from(push(l, next, 2));
    }
    assert!(later > 5, "{later} later stages");
    load_from(&app, &leads, &done).await;
    let further = check(&app, &leads, "after later stages").await;
    assert_ne!(further, edited);

    // Re-entry into mql: rejected leads and customers qualify again (a second or third
    // handoff), some of them converting to sql after it. What follows the new entry is
    // the new handoff's, not the old one's.
    let done: Vec<usize> = leads.iter().map(|l| l.events.len()).collect();
    let mut again = 0;
    for (i, l) in leads.iter_mut().enumerate() {
        let last = l.events.last().unwrap().stage;
        if (last == "lead" || last == "customer") && push(l, "mql", 1) {
            again += 1;
            if i % 2 == 0 {
                push(l, "sql", 1);
            }
        }
    }
    assert!(again > 5, "{again} re-entries");
    load_from(&app, &leads, &done).await;
    let after = check(&app, &leads, "after re-entries into mql").await;
    assert_eq!(
        after.len(),
        further.len() + again,
        "one handoff per re-entry"
    );
    assert!(leads.iter().any(|l| {
        l.events.iter().filter(|e| e.stage == "mql").count() >= 2
            && l.events
                .last()
                .is_some_and(|e| rank_of(e.stage).is_some_and(|r| r >= 3))
    }));
}

/// Per campaign: handoffs, and those converted to sql, opportunity, customer at `now`, by
/// the old definition (plain SQL, the old reach bound and `<= now`).
async fn old_by_campaign(app: &TestApp) -> BTreeMap<String, [u64; 4]> {
    let now = at(NOW).timestamp_millis();
    let rows: Vec<Facts> = sqlx::query_as(OLD_FACTS)
        .fetch_all(&app.ctx.db.pool)
        .await
        .unwrap();
    let mut out: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for (_, campaign, _, s, o, c) in rows {
        let reached = |t: Option<i64>| u64::from(t.is_some_and(|t| t <= now));
        let g = out.entry(campaign.unwrap_or_default()).or_default();
        g[0] += 1;
        // Reach counts "at least": a customer is also an sql and an opportunity.
        g[1] += reached(s).max(reached(o)).max(reached(c));
        g[2] += reached(o).max(reached(c));
        g[3] += reached(c);
    }
    out
}

/// The funnel by campaign agrees with the old definition: per named campaign, and in sum
/// (handoffs without an entry have no campaign).
async fn check_groups(app: &TestApp, what: &str) {
    let expect = old_by_campaign(app).await;
    let funnel = report(app, "funnel", "2026-10-01..2026-11-20", Some("campaign")).await;
    let groups = funnel["groups"].as_array().unwrap();
    let counts = |g: &Value| -> [u64; 4] {
        [
            g["handoffs"]["opened"].as_u64().unwrap(),
            g["converted"]["sql"]["count"].as_u64().unwrap(),
            g["converted"]["opportunity"]["count"].as_u64().unwrap(),
            g["converted"]["customer"]["count"].as_u64().unwrap(),
        ]
    };
    let mut sum = [0u64; 4];
    for g in groups {
        let got = counts(g);
        for (s, n) in sum.iter_mut().zip(got) {
            *s += n;
        }
        if let Some(e) = expect.get(g["key"].as_str().unwrap()) {
            assert_eq!(&got, e, "{what}: campaign {}", g["key"]);
        }
    }
    let mut total = [0u64; 4];
    for e in expect.values() {
        for (t, n) in total.iter_mut().zip(e) {
            *t += n;
        }
    }
    assert_eq!(sum, total, "{what}: all campaigns");
}

#[tokio::test]
async fn the_facts_follow_events_deleted_or_moved_by_hand() {
    let app = TestApp::builder().config(SETUP).at(at(NOW)).spawn().await;
    let mut leads = generate(12, 100);
    load(&app, &leads).await;
    // Some converted leads qualify again: a second handoff after one that converted.
    let done: Vec<usize> = leads.iter().map(|l| l.events.len()).collect();
    for l in leads.iter_mut().step_by(3) {
        if rank_of(l.events.last().unwrap().stage).is_some_and(|r| r >= 3) {
            push(l, "mql", 1);
        }
    }
    load_from(&app, &leads, &done).await;
    let mut facts = check_stored(&app, "loaded").await;
    check_groups(&app, "loaded").await;

    // A lead with two handoffs (re-entry into mql) whose first converted to sql before the
    // second.
    let recycled = app
        .scalar(
            "SELECT h.lead_id FROM handoffs h JOIN handoffs g ON g.lead_id = h.lead_id AND g.id > h.id
             WHERE h.sql_at IS NOT NULL
               AND h.lead_id <> (SELECT lead_id FROM handoffs ORDER BY event_id LIMIT 1)
             ORDER BY h.id LIMIT 1",
        )
        .await;
    let later = "strftime('%Y-%m-%dT%H:%M:%fZ', at, '+7 days')";
    let edits = [
        (
            "an sql event deleted",
            "DELETE FROM lead_events WHERE id = (SELECT MIN(id) FROM lead_events WHERE to_stage = 'sql')"
                .to_string(),
        ),
        (
            "the event of a handoff deleted",
            "DELETE FROM lead_events WHERE id = (SELECT MIN(event_id) FROM handoffs)".into(),
        ),
        (
            "a re-entry into mql moved to a minute after the first",
            format!(
                "UPDATE lead_events SET at = strftime('%Y-%m-%dT%H:%M:%fZ',
                     (SELECT MIN(e.at) FROM lead_events e WHERE e.lead_id = {recycled} AND e.to_stage = 'mql'),
                     '+1 minutes')
                 WHERE id = (SELECT MAX(id) FROM lead_events WHERE lead_id = {recycled} AND to_stage = 'mql')"
            ),
        ),
        (
            "the re-entry into mql deleted",
            format!(
                "DELETE FROM lead_events
                 WHERE id = (SELECT MAX(id) FROM lead_events WHERE lead_id = {recycled} AND to_stage = 'mql')"
            ),
        ),
        (
            "sql events moved a week later (some past now)",
            format!(
                "UPDATE lead_events SET at = {later}
                 WHERE to_stage = 'sql' AND id % 3 = 0"
            ),
        ),
        (
            "opportunities recorded as customers",
            "UPDATE lead_events SET to_stage = 'customer' WHERE to_stage = 'opportunity' AND id % 2 = 0"
                .into(),
        ),
        (
            "an mql event turned into a lead event",
            "UPDATE lead_events SET to_stage = 'lead'
             WHERE id = (SELECT MAX(event_id) FROM handoffs WHERE sql_at IS NULL)"
                .into(),
        ),
        (
            "customer events moved to another lead",
            "UPDATE lead_events SET lead_id = (SELECT MIN(lead_id) FROM handoffs WHERE sql_at IS NULL)
             WHERE id IN (SELECT id FROM lead_events WHERE to_stage = 'customer' ORDER BY id LIMIT 3)"
                .into(),
        ),
    ];
    for (what, sql) in edits {
        app.external(&sql).await;
        let now = check_stored(&app, what).await;
        // Each edit is chosen to change some handoff's facts, except where noted.
        if !what.starts_with("an mql event turned") {
            assert_ne!(now, facts, "{what} changed some facts");
        }
        check_groups(&app, what).await;
        facts = now;
    }
}
