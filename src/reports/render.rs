//! The text pieces the reports share: the aligned [`Table`], numbers, durations and rates
//! in a locale, the names of clocks, stages, dimensions and keys, the target sentences,
//! and the tables that the funnel and the digest both show (speed, quality, rankings).
//! Pure: everything here is a function of figures and a `Locale`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::funnel::{AcceptanceTarget, MqlTarget};
use super::sla::BreachItem;
use crate::domain::directory::Directory;
use crate::domain::report::{
    CampaignReach, NONE, Outcomes, Quality, Ranking, Rate, RepConversion, Speed,
};
use crate::domain::sla::ClockKind;
use crate::domain::stage::Stage;
use crate::i18n::{self, Arg, Locale, t, tr};

/// How many rows a text table of quality shows before "… and N more".
pub(crate) const TEXT_ROWS: usize = 10;

/// A table in a monospace block: the first column left-aligned, the others right-aligned.
pub(crate) struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(head: &[&str]) -> Table {
        Table {
            rows: vec![head.iter().map(|h| h.to_string()).collect()],
        }
    }

    /// A table whose head is the messages `ids` in `l`.
    pub(crate) fn head(l: Locale, ids: &[&str]) -> Table {
        Table {
            rows: vec![ids.iter().map(|id| t(l, id)).collect()],
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub(crate) fn render(&self, out: &mut String) {
        out.push_str("```\n");
        out.push_str(&self.plain());
        out.push_str("```\n");
    }

    /// The aligned rows without the code fence.
    pub(crate) fn plain(&self) -> String {
        let mut out = String::new();
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                if i == 0 {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str("  ");
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Seconds as "1h 5m" (en), "1 h 5 min" (pt-BR); "–" for none.
pub(crate) fn duration(l: Locale, secs: Option<f64>) -> String {
    match secs {
        Some(s) => i18n::span(
            l,
            chrono::Duration::milliseconds((s * 1000.0).round() as i64),
        ),
        None => "–".into(),
    }
}

/// A rate, or "–" where there is none (no entries to go further from).
pub(crate) fn opt_rate(l: Locale, rate: Option<Rate>) -> String {
    rate.map_or_else(|| "–".to_string(), |r| i18n::rate(l, &r))
}

/// A whole number in `l`'s writing ("12,400", "12.400").
pub(crate) fn num(l: Locale, n: u64) -> String {
    i18n::number(l, n)
}

/// A count with its noun, plural by CLDR's rules: "1 handoff", "2 handoffs".
pub(crate) fn count(l: Locale, id: &str, n: u64) -> String {
    tr(
        l,
        id,
        &[("count", (n as i64).into()), ("n", num(l, n).into())],
    )
}

/// The clock's name: "ack", "first touch", "decision" and their translations.
pub(crate) fn clock_name(l: Locale, kind: ClockKind) -> String {
    t(
        l,
        match kind {
            ClockKind::Ack => "report-clock-ack",
            ClockKind::FirstTouch => "report-clock-first-touch",
            ClockKind::Disposition => "report-clock-decision",
        },
    )
}

/// A stage's name for people: "mql" (en), "MQL", "oportunidade" (pt-BR).
pub(crate) fn stage_name(l: Locale, stage: Stage) -> String {
    t(l, &format!("stage-{}", stage.as_str()))
}

/// A group's key for people: "(none)" in `l` for leads without one.
pub(crate) fn key_name(l: Locale, key: &str) -> String {
    if key == NONE {
        t(l, "key-none")
    } else {
        key.to_string()
    }
}

/// A dimension's name: "source", "campaign", "rep", "team" and their translations.
pub(crate) fn dimension_name(l: Locale, by: &str) -> String {
    t(l, &format!("dimension-{by}"))
}

/// The reject reasons with their counts, most first: "no_budget 2, not_a_fit 1". Reason
/// codes stay as typed in commands.
pub(crate) fn reasons_list(l: Locale, reasons: &BTreeMap<String, u64>) -> String {
    let mut reasons: Vec<(&String, &u64)> = reasons.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let list: Vec<String> = reasons
        .iter()
        .map(|(r, n)| format!("{r} {}", num(l, **n)))
        .collect();
    list.join(", ")
}

/// "Acceptance: 63% (n=40), target 60%: met." and the forms without a target; the
/// messages are `{prefix}-met`, `-below`, `-target` and `-plain`.
pub(crate) fn acceptance_line(l: Locale, a: &AcceptanceTarget, prefix: &str) -> String {
    let rate = i18n::rate(l, &a.rate);
    match (a.target, a.met) {
        (Some(target), Some(met)) => tr(
            l,
            &format!("{prefix}-{}", if met { "met" } else { "below" }),
            &[
                ("rate", rate.into()),
                ("target", i18n::percent(l, target).into()),
            ],
        ),
        (Some(target), None) => tr(
            l,
            &format!("{prefix}-target"),
            &[
                ("rate", rate.into()),
                ("target", i18n::percent(l, target).into()),
            ],
        ),
        _ => tr(l, &format!("{prefix}-plain"), &[("rate", rate.into())]),
    }
}

/// "MQLs this month (40% of it gone): 12 of 30, pace 30: on track." and the forms without
/// a target; the messages are `{id_prefix}-on-track`, `-behind`, `-target` and `-none`.
pub(crate) fn mql_line(l: Locale, m: &MqlTarget, id_prefix: &str) -> String {
    let mut args = vec![
        ("period", Arg::Text(m.period)),
        ("elapsed", i18n::percent(l, m.elapsed).into()),
        ("entered", num(l, m.entered).into()),
    ];
    if let Some(target) = m.target {
        args.push(("target", num(l, u64::from(target)).into()));
    }
    let id = match (m.target, m.pace) {
        (Some(target), Some(pace)) => {
            args.push(("pace", i18n::decimal(l, &format!("{pace:.0}")).into()));
            if pace >= f64::from(target) {
                "on-track"
            } else {
                "behind"
            }
        }
        (Some(_), None) => "target",
        _ => "none",
    };
    tr(l, &format!("{id_prefix}-{id}"), &args)
}

/// The three clocks' median and p90 (wall and business time) and compliance.
pub(crate) fn speed_table(l: Locale, out: &mut String, speed_of: impl Fn(ClockKind) -> Speed) {
    let mut t = Table::head(
        l,
        &[
            "col-clock",
            "col-median",
            "col-p90",
            "col-median-business",
            "col-p90-business",
            "col-compliance",
        ],
    );
    for kind in ClockKind::ALL {
        let s = speed_of(kind);
        t.row(vec![
            clock_name(l, kind),
            duration(l, s.median_s),
            duration(l, s.p90_s),
            duration(l, s.median_business_s),
            duration(l, s.p90_business_s),
            i18n::rate(l, &s.compliance_rate()),
        ]);
    }
    t.render(out);
}

/// A quality list under its heading, or the sentence that there is none; cut at
/// [`TEXT_ROWS`] with a pointer to the JSON.
pub(crate) fn quality_table(l: Locale, out: &mut String, what: &str, rows: &[Quality]) {
    let what = dimension_name(l, what);
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            tr(l, "quality-none", &[("what", (&what).into())])
        );
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        tr(l, "quality-head", &[("what", (&what).into())])
    );
    quality_rows(l, &what, rows).render(out);
    if rows.len() > TEXT_ROWS {
        let _ = writeln!(out, "{}", more_json(l, (rows.len() - TEXT_ROWS) as u64));
    }
}

fn more_json(l: Locale, n: u64) -> String {
    tr(
        l,
        "more-json",
        &[("count", (n as i64).into()), ("n", num(l, n).into())],
    )
}

/// "… and N more" under a list cut short.
pub(crate) fn more(l: Locale, n: u64) -> String {
    tr(
        l,
        "more-rows",
        &[("count", (n as i64).into()), ("n", num(l, n).into())],
    )
}

/// The first rows of a quality list as a table; `what` is the dimension's name in `l`.
pub(crate) fn quality_rows(l: Locale, what: &str, rows: &[Quality]) -> Table {
    let mut t = Table::new(&[
        what,
        &t(l, "col-handoffs"),
        &t(l, "col-acceptance"),
        &t(l, "col-rating"),
    ]);
    for q in rows.iter().take(TEXT_ROWS) {
        t.row(vec![
            key_name(l, &q.key),
            num(l, q.handoffs),
            i18n::rate(l, &q.acceptance),
            i18n::mean(l, &q.rating),
        ]);
    }
    t
}

/// The top and bottom reps, by conversion of their handoffs; none without handoffs.
/// A row that is all zero says nothing and is left out.
pub(crate) fn rep_ranking(l: Locale, reps: &Ranking<RepConversion>) -> Option<Table> {
    let head = Table::head(
        l,
        &[
            "col-rep",
            "col-handoffs",
            "col-to-sql",
            "col-to-opportunity",
            "col-to-customer",
        ],
    );
    let said = |r: &RepConversion| {
        r.handoffs > 0
            || r.converted.sql.count > 0
            || r.converted.opportunity.count > 0
            || r.converted.customer.count > 0
    };
    ranking_table(l, head, reps, said, |r| {
        vec![
            format!("  {}", key_name(l, &r.rep)),
            num(l, r.handoffs),
            i18n::rate(l, &r.converted.sql),
            i18n::rate(l, &r.converted.opportunity),
            i18n::rate(l, &r.converted.customer),
        ]
    })
}

/// The top and bottom campaigns, by leads that reached each stage; none without any.
/// A campaign none of whose leads reached sql, opportunity or customer is left out.
pub(crate) fn campaign_ranking(l: Locale, campaigns: &Ranking<CampaignReach>) -> Option<Table> {
    let head = Table::new(&[
        &t(l, "col-campaign"),
        &stage_name(l, Stage::Sql),
        &stage_name(l, Stage::Opportunity),
        &stage_name(l, Stage::Customer),
    ]);
    let said = |c: &CampaignReach| c.sql + c.opportunity + c.customer > 0;
    ranking_table(l, head, campaigns, said, |c| {
        vec![
            format!("  {}", c.campaign),
            num(l, c.sql),
            num(l, c.opportunity),
            num(l, c.customer),
        ]
    })
}

/// A ranking under `head`: "Top" and its rows, then "Bottom" and its rows, leaving out
/// the entries that say nothing (`said` is false) and a part left empty; none when
/// nothing is left.
fn ranking_table<T>(
    l: Locale,
    mut table: Table,
    ranking: &Ranking<T>,
    said: impl Fn(&T) -> bool,
    row: impl Fn(&T) -> Vec<String>,
) -> Option<Table> {
    let shown =
        |list: &'_ [T]| -> Vec<Vec<String>> { list.iter().filter(|e| said(e)).map(&row).collect() };
    let (top, bottom) = (shown(&ranking.top), shown(&ranking.bottom));
    if top.is_empty() && bottom.is_empty() {
        return None;
    }
    for (label, rows) in [("rank-top", top), ("rank-bottom", bottom)] {
        if rows.is_empty() {
            continue;
        }
        table.row(vec![t(l, label)]);
        for cells in rows {
            table.row(cells);
        }
    }
    Some(table)
}

/// The cells of one row of [`clocks_table`].
pub(crate) struct ClockCells<'a> {
    pub handoffs: u64,
    pub ack: &'a Speed,
    pub first_touch: &'a Speed,
    /// The decision clock's, in `/sla`; the digest shows none.
    pub decision: Option<&'a Speed>,
    pub breaches: u64,
}

/// The head of a table of people's clocks: handoffs, compliance of each clock (the
/// decision's only `with_decision`), median time to ack, breaches.
pub(crate) fn clocks_table(l: Locale, with_decision: bool) -> Table {
    let mut ids = vec![
        "col-rep",
        "col-handoffs",
        "report-clock-ack",
        "report-clock-first-touch",
    ];
    if with_decision {
        ids.push("report-clock-decision");
    }
    ids.extend(["col-median-ack", "col-breaches"]);
    Table::head(l, &ids)
}

/// One row of [`clocks_table`]: `name`, then the cells.
pub(crate) fn clocks_row(l: Locale, name: String, c: ClockCells<'_>) -> Vec<String> {
    let mut row = vec![
        name,
        num(l, c.handoffs),
        i18n::rate(l, &c.ack.compliance_rate()),
        i18n::rate(l, &c.first_touch.compliance_rate()),
    ];
    if let Some(decision) = c.decision {
        row.push(i18n::rate(l, &decision.compliance_rate()));
    }
    row.extend([duration(l, c.ack.median_s), num(l, c.breaches)]);
    row
}

/// The figures of a handoffs sentence ("12 opened: 5 accepted, 2 rejected, 5 open"), for
/// the funnel's and the digest's messages that say them.
pub(crate) fn handoff_args(l: Locale, h: &Outcomes) -> Vec<(&'static str, Arg<'static>)> {
    vec![
        ("opened", num(l, h.opened).into()),
        ("accepted", num(l, h.accepted).into()),
        ("rejected", num(l, h.rejected).into()),
        ("open", num(l, h.open).into()),
    ]
}

/// A person for people: their name from the directory, else the email as stored; "nobody"
/// in `l` for no one.
pub(crate) fn person_name(directory: &Directory, l: Locale, email: Option<&str>) -> String {
    match email {
        Some(e) => directory
            .person(e)
            .map_or_else(|| e.to_string(), |p| p.name.clone()),
        None => t(l, "nobody"),
    }
}

/// A clock as stored (`ack`, `first_touch`, `disposition`) for people in `l`; a name Baton
/// does not know is shown as stored.
pub(crate) fn clock_text(l: Locale, clock: &str) -> String {
    clock
        .parse::<ClockKind>()
        .map(|k| clock_name(l, k))
        .unwrap_or_else(|_| clock.to_string())
}

/// How late a breach is: "3h late" once its clock stopped, else the still-running form
/// (the message `running`: "overdue by 3h" in `/sla`, "3h and counting" in the digest).
pub(crate) fn breach_late(l: Locale, b: &BreachItem, running: &str) -> String {
    let span = duration(l, b.late_s);
    let id = if b.stopped_at.is_some() {
        "breach-late"
    } else {
        running
    };
    tr(l, id, &[("span", span.into())])
}

#[cfg(test)]
mod tests;
