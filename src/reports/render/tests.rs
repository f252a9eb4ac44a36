//! Unit tests of `reports::render`: the pure parts, with values worked out by hand.

use super::*;
use crate::domain::report::Conversions;
use crate::reports::tests::person;

fn table(rows: &[&[&str]]) -> Table {
    let mut t = Table::new(rows[0]);
    for row in &rows[1..] {
        t.row(row.iter().map(|c| c.to_string()).collect());
    }
    t
}

#[test]
fn a_table_aligns_the_first_column_left_and_the_others_right() {
    let cases: [(&[&[&str]], &str); 4] = [
        (
            &[&["name", "n"], &["ann", "7"], &["bo", "12"]],
            "name   n\nann    7\nbo    12\n",
        ),
        // A short row (a label over the rows below) is padded, then trimmed.
        (
            &[&["rep", "handoffs"], &["top:"], &["  ann", "3"]],
            "rep    handoffs\ntop:\n  ann         3\n",
        ),
        // Widths count characters, not bytes: "–" is one.
        (&[&["a", "rate"], &["x", "–"]], "a  rate\nx     –\n"),
        // An empty last cell leaves no trailing spaces.
        (&[&["k", "v"], &["long key", ""]], "k         v\nlong key\n"),
    ];
    for (rows, want) in cases {
        assert_eq!(table(rows).plain(), want, "{rows:?}");
    }
    let mut fenced = String::new();
    table(&[&["a", "b"], &["c", "d"]]).render(&mut fenced);
    assert_eq!(fenced, "```\na  b\nc  d\n```\n");
}

#[test]
fn reasons_come_most_first_then_by_code() {
    let reasons: BTreeMap<String, u64> = [
        ("not_a_fit", 1),
        ("no_budget", 2),
        ("bad_timing", 2),
        ("spam", 1234),
    ]
    .into_iter()
    .map(|(r, n)| (r.to_string(), n))
    .collect();
    assert_eq!(
        reasons_list(Locale::En, &reasons),
        "spam 1,234, bad_timing 2, no_budget 2, not_a_fit 1"
    );
    assert_eq!(
        reasons_list(Locale::PtBr, &reasons),
        "spam 1.234, bad_timing 2, no_budget 2, not_a_fit 1"
    );
    assert_eq!(reasons_list(Locale::En, &BTreeMap::new()), "");
}

#[test]
fn durations_counts_and_names_in_a_locale() {
    assert_eq!(duration(Locale::En, None), "–");
    assert_eq!(duration(Locale::En, Some(42.4)), "42s");
    assert_eq!(duration(Locale::En, Some(3_900.0)), "1h 5m");
    assert_eq!(duration(Locale::En, Some(90_000.0)), "1d 1h");
    assert_eq!(count(Locale::En, "count-handoffs", 1), "1 handoff");
    assert_eq!(count(Locale::En, "count-breaches", 2), "2 breaches");
    assert_eq!(
        count(Locale::En, "count-handoffs", 12_400),
        "12,400 handoffs"
    );
    assert_eq!(opt_rate(Locale::En, None), "–");
    assert_eq!(opt_rate(Locale::En, Some(Rate::new(1, 4))), "25% (n=4)");
    assert_eq!(key_name(Locale::En, NONE), "(none)");
    assert_eq!(key_name(Locale::En, "webinar"), "webinar");
    assert_eq!(clock_text(Locale::En, "first_touch"), "first touch");
    assert_eq!(clock_text(Locale::En, "disposition"), "decision");
    assert_eq!(clock_text(Locale::En, "lunch"), "lunch");
}

#[test]
fn a_person_is_named_from_the_directory_else_shown_as_stored() {
    let dir = Directory::new(
        vec![person("ann@x.test", "Ann Lee", "")],
        vec![],
        Default::default(),
        vec![],
        None,
    );
    assert_eq!(person_name(&dir, Locale::En, Some("ann@x.test")), "Ann Lee");
    assert_eq!(
        person_name(&dir, Locale::En, Some("gone@x.test")),
        "gone@x.test"
    );
    assert_eq!(person_name(&dir, Locale::En, None), "nobody");
}

#[test]
fn acceptance_against_its_target_in_each_form() {
    let rate = Rate::new(5, 8); // 62.5% → 63%
    let line = |target, met| {
        acceptance_line(
            Locale::En,
            &AcceptanceTarget { rate, target, met },
            "acceptance",
        )
    };
    assert_eq!(
        line(Some(0.6), Some(true)),
        "Acceptance: 63% (n=8), target 60%: met."
    );
    assert_eq!(
        line(Some(0.7), Some(false)),
        "Acceptance: 63% (n=8), target 70%: below target."
    );
    assert_eq!(line(Some(0.7), None), "Acceptance: 63% (n=8), target 70%.");
    assert_eq!(line(None, None), "Acceptance: 63% (n=8).");
}

#[test]
fn mqls_against_their_target_in_each_form() {
    let m = |target, pace| MqlTarget {
        period: "month",
        from: String::new(),
        to: String::new(),
        entered: 12,
        target,
        elapsed: 0.4,
        pace,
        on_pace: None,
    };
    let line = |m: MqlTarget| mql_line(Locale::En, &m, "funnel-mql");
    // 12 of 30 with 40% gone: pace 12 / 0.4 = 30, which reaches 30.
    assert_eq!(
        line(m(Some(30), Some(30.0))),
        "MQLs this month (40% of it gone): 12 of 30, pace 30: on track."
    );
    assert_eq!(
        line(m(Some(31), Some(30.0))),
        "MQLs this month (40% of it gone): 12 of 31, pace 30: behind."
    );
    assert_eq!(
        line(m(Some(30), None)),
        "MQLs this month (40% of it gone): 12 of 30."
    );
    assert_eq!(
        line(m(None, None)),
        "MQLs this month (40% of it gone): 12 (no target set)."
    );
}

fn rep(email: &str, handoffs: u64, sql: u64) -> RepConversion {
    let rate = |count| Rate::new(count, handoffs);
    RepConversion {
        rep: email.into(),
        handoffs,
        converted: Conversions {
            sql: rate(sql),
            opportunity: rate(0),
            customer: rate(0),
        },
    }
}

#[test]
fn a_ranking_leaves_out_rows_that_say_nothing_and_empty_parts() {
    let l = Locale::En;
    let reps = Ranking {
        top: vec![rep("ann@x.test", 4, 1)],
        bottom: vec![rep("bo@x.test", 0, 0)],
    };
    // Widths: 12 ("  ann@x.test"), 8, 9, 14, 11; bo has nothing and is left out,
    // and so is the empty bottom part.
    let want = [
        "rep           handoffs     to sql  to opportunity  to customer".to_string(),
        "top:".to_string(),
        "  ann@x.test         4  25% (n=4)        0% (n=4)     0% (n=4)".to_string(),
    ];
    assert_eq!(
        rep_ranking(l, &reps).unwrap().plain(),
        want.map(|r| r + "\n").concat()
    );
    let nothing = Ranking {
        top: vec![rep("bo@x.test", 0, 0)],
        bottom: vec![],
    };
    assert!(rep_ranking(l, &nothing).is_none());
    let reach = |campaign: &str, sql, customer| CampaignReach {
        campaign: campaign.into(),
        sql,
        opportunity: 0,
        customer,
    };
    let campaigns = Ranking {
        top: vec![reach("webinar", 3, 1)],
        bottom: vec![reach("fair", 0, 0), reach("ads", 1, 0)],
    };
    // fair reached nothing and is left out; widths 9, 3, 11, 8.
    let want = [
        "campaign   sql  opportunity  customer".to_string(),
        "top:".to_string(),
        "  webinar    3            0         1".to_string(),
        "bottom:".to_string(),
        "  ads        1            0         0".to_string(),
    ];
    assert_eq!(
        campaign_ranking(l, &campaigns).unwrap().plain(),
        want.map(|r| r + "\n").concat()
    );
}

#[test]
fn a_clocks_row_has_the_decision_only_in_the_sla_report() {
    let l = Locale::En;
    let ack = Speed {
        median_s: Some(600.0),
        compliance: Some(0.5),
        met: 1,
        breached: 1,
        ..Speed::default()
    };
    let none = Speed::default();
    let cells = |decision| ClockCells {
        handoffs: 2,
        ack: &ack,
        first_touch: &none,
        decision,
        breaches: 1,
    };
    assert_eq!(
        clocks_row(l, "Ann".into(), cells(Some(&none))),
        ["Ann", "2", "50% (n=2)", "– (n=0)", "– (n=0)", "10m", "1"]
    );
    assert_eq!(
        clocks_row(l, "Ann".into(), cells(None)),
        ["Ann", "2", "50% (n=2)", "– (n=0)", "10m", "1"]
    );
    assert_eq!(
        clocks_table(l, true).plain(),
        "rep  handoffs  ack  first touch  decision  median ack  breaches\n"
    );
    assert_eq!(
        clocks_table(l, false).plain(),
        "rep  handoffs  ack  first touch  median ack  breaches\n"
    );
}

#[test]
fn a_handoffs_sentence_takes_the_four_counts() {
    let h = Outcomes {
        opened: 12,
        accepted: 5,
        rejected: 2,
        open: 5,
        ..Outcomes::default()
    };
    assert_eq!(
        tr(Locale::En, "funnel-handoffs", &handoff_args(Locale::En, &h)),
        "Handoffs opened: 12 (5 accepted, 2 rejected, 5 still open)."
    );
}

fn breach(stopped: bool, late_s: Option<f64>) -> BreachItem {
    BreachItem {
        handoff_id: 1,
        lead_id: 7,
        lead: None,
        clock: "ack".into(),
        rep: None,
        team: None,
        due_at: "2026-11-17T12:00:00.000Z".into(),
        stopped_at: stopped.then(|| "2026-11-17T15:00:00.000Z".into()),
        late_s,
    }
}

#[test]
fn a_breach_is_late_once_stopped_else_still_counting() {
    let l = Locale::En;
    assert_eq!(
        breach_late(l, &breach(true, Some(10_800.0)), "breach-overdue"),
        "3h 0m late"
    );
    assert_eq!(
        breach_late(l, &breach(false, Some(10_800.0)), "breach-overdue"),
        "overdue by 3h 0m"
    );
    assert_eq!(
        breach_late(l, &breach(false, None), "breach-overdue"),
        "overdue by –"
    );
}
