//! The typed boundary of `store/`: handoffs leave the store as typed values, the stored
//! text format stays what other systems read, and a stored value Baton cannot read is an
//! error that names it, never a silent "now" or a default.

use crate::harness::*;

const SLA: &str = r#"
[[sla]]
name = "plain"
ack = "10m"
first_touch = "1h"
disposition = "1d"
"#;

/// A text of the canonical stored form: UTC, milliseconds, `Z`.
const CANONICAL: &str = "____-__-__T__:__:__.___Z";

async fn one_mql(app: &TestApp) {
    app.external(
        "INSERT INTO leads (external_id, name, company, source, stage) VALUES ('t1', 'Tia', 'Acme', 'ads', 'mql');",
    )
    .await;
    app.wait("the handoff", |c| c.handoffs_opened >= 1).await;
    app.drained().await;
}

#[tokio::test]
async fn stored_handoff_times_and_reasons_keep_their_text_format() {
    let app = TestApp::spawn(SLA).await;
    one_mql(&app).await;
    let (ok, _) = app.command("ann@acme.test", "/lead ack 1").await;
    assert!(ok);
    let (ok, reply) = app
        .command("ann@acme.test", "/lead reject 1 no_budget too small")
        .await;
    assert!(ok, "{reply}");
    let row: (String, String, String, String, String, String) = sqlx::query_as(
        "SELECT status, reject_reason, mql_at, opened_at, acked_at, ack_due_at FROM handoffs WHERE id = 1",
    )
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap();
    assert_eq!((row.0.as_str(), row.1.as_str()), ("rejected", "no_budget"));
    for time in [&row.2, &row.3, &row.4, &row.5] {
        let canonical: bool = sqlx::query_scalar("SELECT ? LIKE ?")
            .bind(time)
            .bind(CANONICAL)
            .fetch_one(&app.ctx.db.pool)
            .await
            .unwrap();
        assert!(canonical, "{time} is not in the stored form");
    }
    // The MQL time is the stage change's own, as the trigger stamped it.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs h JOIN lead_events e ON e.id = h.event_id WHERE h.mql_at = e.at")
            .await,
        1
    );
    app.drained().await;
}

#[tokio::test]
async fn a_stored_time_baton_cannot_read_is_an_error_naming_the_column() {
    let app = TestApp::spawn(SLA).await;
    one_mql(&app).await;
    app.external("UPDATE handoffs SET ack_due_at = 'soon' WHERE id = 1;")
        .await;
    let error = baton::engine::actions::execute(&app.ctx, "ann@acme.test", "/lead ack 1")
        .await
        .expect_err("an unreadable deadline must not be taken as now");
    let text = format!("{error:#}");
    assert!(text.contains("handoffs.ack_due_at of handoff 1"), "{text}");
    // Nothing was changed by the refused command.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM handoffs WHERE acked_at IS NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn a_stored_reject_reason_baton_does_not_know_is_an_error() {
    let app = TestApp::spawn(SLA).await;
    one_mql(&app).await;
    app.external(
        "UPDATE handoffs SET status = 'rejected', reject_reason = 'too_pricey', decided_at = opened_at WHERE id = 1;",
    )
    .await;
    let error = baton::engine::actions::execute(&app.ctx, "ann@acme.test", "/lead show 1")
        .await
        .expect_err("an unknown reason must not be shown as another");
    let text = format!("{error:#}");
    assert!(text.contains("too_pricey"), "{text}");
}

#[tokio::test]
async fn an_unreadable_outbox_row_is_set_aside_and_later_messages_still_go() {
    let mut app = TestApp::spawn("").await;
    app.stop().await;
    // A row whose message Baton cannot read, queued before a good one to the same person.
    app.external(
        "INSERT INTO outbox (platform, recipient, kind, message, next_attempt_at, created_at)
         VALUES ('console', 'ann@acme.test', 'reply', 'not json', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');",
    )
    .await;
    let app = app.restart().await;
    one_mql(&app).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE message = 'not json' AND status = 'dead' AND last_error LIKE '%cannot decode an outbox message%'")
            .await,
        1
    );
    assert_eq!(app.console_of_kind("alert").len(), 1);
    // The unreadable row stays set aside as a dead letter.
    app.expect_unsent(1);
}
