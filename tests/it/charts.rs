//! Each chart kind drawn from a fixed data set: the PNG's size, a few sampled pixels (the
//! colours where bars must and must not be), and the bytes against a golden copy in
//! `tests/golden/charts/` that a person has looked at. `BATON_BLESS=1` rewrites the golden
//! copies (look at them before committing).

use std::path::PathBuf;

use baton::message::chart::{WIDTH, render_png, size};
use baton::message::{Chart, ChartBar, FunnelStep, GroupBars, PlanRow, Plot, TrendSeries};

/// (width, height, RGB pixels).
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG pixels");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

fn pixel(image: &(u32, u32, Vec<u8>), x: u32, y: u32) -> [u8; 3] {
    let at = ((y * image.0 + x) * 3) as usize;
    [image.2[at], image.2[at + 1], image.2[at + 2]]
}

const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
const BLUE: [u8; 3] = [0x25, 0x63, 0xeb];
const GREEN: [u8; 3] = [0x16, 0xa3, 0x4a];
const ORANGE: [u8; 3] = [0xea, 0x58, 0x0c];
const TEAL: [u8; 3] = [0x0d, 0x94, 0x88];

/// Renders `chart`, compares it with its golden copy, and returns the decoded image.
fn golden(name: &str, chart: &Chart) -> (u32, u32, Vec<u8>) {
    let png_bytes = render_png(chart).unwrap();
    assert_eq!(
        render_png(chart).unwrap(),
        png_bytes,
        "the same chart draws the same bytes"
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/charts")
        .join(format!("{name}.png"));
    if std::env::var_os("BATON_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &png_bytes).unwrap();
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (BATON_BLESS=1 writes it)", path.display()));
    assert!(
        want == png_bytes,
        "{name}.png differs from its golden copy: run with BATON_BLESS=1 and look at it"
    );
    let image = decode(&png_bytes);
    assert_eq!((image.0, image.1), size(chart));
    assert_eq!(image.0, WIDTH);
    image
}

fn chart(file: &str, title: &str, subtitle: &str, plot: Plot) -> Chart {
    Chart {
        file_name: file.into(),
        title: title.into(),
        subtitle: subtitle.into(),
        bars: Vec::new(),
        plot,
        ..Chart::default()
    }
}

/// The chain, with the stages that had no entries already folded away.
pub fn funnel_steps() -> Vec<FunnelStep> {
    [
        ("visitor", 7_500, Some(3_333)),
        ("lead", 2_500, Some(2_000)),
        ("mql", 500, Some(200)),
        ("sql", 10, Some(5_000)),
        ("opportunity", 5, Some(2_000)),
        ("customer", 1, Some(0)),
    ]
    .into_iter()
    .map(|(label, count, conversion_bp)| FunnelStep {
        label: label.into(),
        count,
        conversion_bp,
    })
    .collect()
}

#[test]
fn the_funnel_shows_counts_and_conversions_with_empty_stages_folded() {
    let c = chart(
        "funnel.png",
        "Funnel, 90d",
        "Leads that entered each stage: 90d (UTC)",
        Plot::Funnel {
            steps: funnel_steps(),
        },
    );
    let image = golden("funnel", &c);
    // Six rows of 76 px under the 118 px header, and the 40 px margin.
    assert_eq!((image.0, image.1), (960, 118 + 6 * 76 + 40));
    // The widest bar (visitors) is centred: blue in its middle and near both of its ends.
    let centre = (40 + 170 + 12 + (960 - 40 - 150 - 12)) / 2;
    assert_eq!(pixel(&image, centre as u32, 118 + 22), BLUE);
    assert_eq!(pixel(&image, 240, 118 + 22), BLUE);
    assert_eq!(pixel(&image, 730, 118 + 22), BLUE);
    // The lead bar is a third as long: white where the visitor bar still was.
    assert_eq!(pixel(&image, 240, 118 + 76 + 22), WHITE);
    assert_eq!(pixel(&image, centre as u32, 118 + 76 + 22), BLUE);
    // Between the bars, the conversion text is drawn (some dark pixels in its band).
    let band_dark = (300..660)
        .filter(|x| (118 + 46..118 + 74).any(|y| pixel(&image, *x, y).iter().all(|v| *v < 160)))
        .count();
    assert!(band_dark > 30, "the conversion text under the first bar");
}

#[test]
fn grouped_bars_share_one_scale() {
    let c = chart(
        "funnel-by-source.png",
        "Funnel by source, 30d",
        "Handoffs, accepted and to SQL",
        Plot::Groups {
            series: vec!["handoffs".into(), "accepted".into(), "to SQL".into()],
            groups: vec![
                GroupBars {
                    label: "webinar".into(),
                    values: vec![120, 60, 30],
                },
                GroupBars {
                    label: "ads".into(),
                    values: vec![240, 48, 12],
                },
                GroupBars {
                    label: "(none)".into(),
                    values: vec![10, 0, 0],
                },
            ],
        },
    );
    let image = golden("groups", &c);
    assert_eq!(image.1, 118 + 44 + 3 * (3 * 26 + 18) + 40);
    let left = 40 + 220 + 12;
    let span = 960 - 40 - 110 - left;
    let top = 118 + 44;
    // webinar's handoffs (120 of the largest 240) end half-way; ads' handoffs go all the way.
    let row = |group: u32, bar: u32| top + group * (3 * 26 + 18) + bar * 26 + 12;
    assert_eq!(pixel(&image, left + 5, row(0, 0)), BLUE);
    assert_eq!(pixel(&image, left + span / 2 - 4, row(0, 0)), BLUE);
    assert_eq!(pixel(&image, left + span / 2 + 60, row(0, 0)), WHITE);
    assert_eq!(pixel(&image, left + span - 4, row(1, 0)), BLUE);
    assert_eq!(pixel(&image, left + 5, row(0, 1)), TEAL);
    // A zero draws no bar.
    assert_eq!(pixel(&image, left + 5, row(2, 1)), WHITE);
}

pub fn trend_weeks() -> Vec<String> {
    (36..48).map(|w| format!("W{w}")).collect()
}

#[test]
fn the_trend_has_a_panel_per_series() {
    let mqls = [40, 52, 47, 61, 58, 70, 66, 80, 75, 90, 84, 96];
    let c = chart(
        "trend.png",
        "The last 12 weeks",
        "2026-W36 to 2026-W47",
        Plot::Trend {
            weeks: trend_weeks(),
            series: vec![
                TrendSeries {
                    label: "MQLs".into(),
                    percent: false,
                    values: mqls.iter().map(|v| Some(*v)).collect(),
                },
                TrendSeries {
                    label: "Acceptance".into(),
                    percent: true,
                    values: (0..12)
                        .map(|i| (i != 3).then_some(5_000 + i * 250))
                        .collect(),
                },
                TrendSeries {
                    label: "Ack compliance".into(),
                    percent: true,
                    values: (0..12).map(|i| Some(10_000 - i * 300)).collect(),
                },
            ],
        },
    );
    let image = golden("trend", &c);
    assert_eq!(image.1, 118 + 3 * 250 + 40);
    let slot = (960 - 80) / 12;
    let base = |panel: u32| 118 + panel * 250 + 250 - 44;
    // The last MQL week (the tallest) reaches near the panel's top; the first is lower.
    let last = 40 + 11 * slot + slot / 2;
    let first = 40 + slot / 2;
    assert_eq!(pixel(&image, last, base(0) - 140), BLUE);
    assert_eq!(pixel(&image, first, base(0) - 140), WHITE);
    assert_eq!(pixel(&image, first, base(0) - 5), BLUE);
    // The week without acceptance data has no column.
    assert_eq!(pixel(&image, 40 + 3 * slot + slot / 2, base(1) - 5), WHITE);
    assert_eq!(pixel(&image, 40 + 2 * slot + slot / 2, base(1) - 5), TEAL);
}

#[test]
fn the_plan_shows_needed_against_pace() {
    let rows = vec![
        ("visitor", Some(90_000), Some(60_000)),
        ("lead", Some(30_000), Some(31_000)),
        ("mql", Some(6_000), Some(4_920)),
        ("sql", None, Some(80)),
        ("opportunity", Some(60), Some(30)),
        ("customer", Some(12), Some(6)),
    ];
    let c = chart(
        "plan.png",
        "Plan: 12 customers in this-quarter",
        "Needed (outline) and where the pace ends (bar), 50% gone",
        Plot::Plan {
            rows: rows
                .into_iter()
                .map(|(label, needed, pace)| PlanRow {
                    label: label.into(),
                    needed,
                    pace,
                })
                .collect(),
        },
    );
    let image = golden("plan", &c);
    assert_eq!(image.1, 118 + 44 + 6 * 70 + 40);
    let left = 40 + 150 + 12;
    let span = 960 - 40 - 330 - left;
    let row = |i: u32| 118 + 44 + i * 70 + 16;
    // Visitors are short (orange), two thirds of the way; leads on track (green).
    assert_eq!(pixel(&image, left + 10, row(0)), ORANGE);
    assert_eq!(pixel(&image, left + span * 2 / 3 - 5, row(0)), ORANGE);
    assert_eq!(pixel(&image, left + span * 2 / 3 + 10, row(0)), WHITE);
    assert_eq!(pixel(&image, left + 10, row(1)), GREEN);
    // Too little data for SQLs: the pace bar is grey, not a verdict.
    let grey = pixel(&image, left + 10, row(3));
    assert_ne!(grey, GREEN);
    assert_ne!(grey, ORANGE);
    assert_ne!(grey, WHITE);
}

#[test]
fn the_digest_stacks_the_funnel_over_the_trend() {
    let c = chart(
        "funnel-2026-W47.png",
        "Funnel, week 2026-W47",
        "Leads that entered each stage, Mon 16 Nov 2026 to Sun 22 Nov 2026 (UTC)",
        Plot::Stack {
            plots: vec![
                Plot::Funnel {
                    steps: funnel_steps()[1..5].to_vec(),
                },
                Plot::Trend {
                    weeks: trend_weeks(),
                    series: vec![TrendSeries {
                        label: "MQLs".into(),
                        percent: false,
                        values: (0..12).map(|i| Some(10 + i)).collect(),
                    }],
                },
            ],
        },
    );
    let image = golden("digest", &c);
    assert_eq!(image.1, 118 + (4 * 76 + 24) + (250 + 24) + 40);
    // The funnel's first bar, then the trend's columns below it.
    assert_eq!(pixel(&image, 480, 118 + 12 + 22), BLUE);
    let base = 118 + 4 * 76 + 24 + 12 + 250 - 44;
    let slot = (960 - 80) / 12;
    assert_eq!(pixel(&image, 40 + 11 * slot + slot / 2, base - 5), BLUE);
}

#[test]
fn plain_bars_keep_their_size_and_empty_plots_still_draw() {
    let bars = Chart {
        bars: vec![ChartBar {
            label: "mql".into(),
            value: 3,
        }],
        ..chart("bars.png", "Bars", "", Plot::Bars)
    };
    assert_eq!(size(&bars), (960, 540));
    for plot in [
        Plot::Funnel { steps: vec![] },
        Plot::Groups {
            series: vec![],
            groups: vec![],
        },
        Plot::Trend {
            weeks: vec![],
            series: vec![],
        },
        Plot::Plan { rows: vec![] },
        Plot::Stack { plots: vec![] },
    ] {
        let c = chart("empty.png", "Empty", "", plot);
        let image = decode(&render_png(&c).unwrap());
        assert_eq!((image.0, image.1), size(&c));
    }
}

#[tokio::test]
async fn funnel_charts_are_attached_where_asked_with_empty_stages_folded() {
    let app = crate::harness::TestApp::spawn("").await;
    app.external(
        "INSERT INTO leads (external_id, source, stage, stage_changed_at) VALUES
           ('a', 'ads', 'lead', '2026-11-10T10:00:00Z'),
           ('b', 'ads', 'lead', '2026-11-10T10:00:00Z'),
           ('c', 'webinar', 'lead', '2026-11-10T10:00:00Z');
         UPDATE leads SET stage = 'mql', stage_changed_at = '2026-11-11T10:00:00Z'
           WHERE external_id = 'c';",
    )
    .await;
    app.wait("the MQL's handoff", |c| c.handoffs_opened >= 1)
        .await;
    app.drained().await;
    let ask = |text: &'static str| {
        let ctx = app.ctx.clone();
        async move {
            baton::engine::actions::execute(&ctx, "boss@acme.test", text)
                .await
                .unwrap()
                .message
                .chart
                .expect("a chart")
        }
    };
    let funnel = ask("/funnel 30d chart").await;
    match &funnel.plot {
        Plot::Funnel { steps } => {
            let shown: Vec<(&str, u64)> =
                steps.iter().map(|s| (s.label.as_str(), s.count)).collect();
            assert_eq!(shown, [("lead", 3), ("mql", 1)]);
            assert_eq!(steps[0].conversion_bp, Some(3_333));
        }
        other => panic!("not a funnel: {other:?}"),
    }
    let by_source = ask("/funnel 30d by source chart").await;
    match &by_source.plot {
        Plot::Groups { series, groups } => {
            assert_eq!(series.len(), 3);
            let handoffs: Vec<(&str, u64)> = groups
                .iter()
                .map(|g| (g.label.as_str(), g.values[0]))
                .collect();
            assert_eq!(handoffs, [("webinar", 1), ("ads", 0)]);
        }
        other => panic!("not grouped bars: {other:?}"),
    }
    assert!(
        ask("/funnel plan 1 customers by source chart")
            .await
            .file_name
            .starts_with("plan-by-source")
    );
}
