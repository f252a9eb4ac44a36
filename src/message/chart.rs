//! Draws a [`Chart`] as a PNG, under a title and a subtitle, one kind per [`Plot`]:
//!
//! - `Bars`: horizontal bars, the label on the left and the count at the end of the bar.
//! - `Funnel`: one centred bar per stage (empty stages are left out by the caller), the
//!   count beside it and "↓ 33% went further" between a stage and the next.
//! - `Groups`: for each source or campaign one bar per series, on one scale, with a legend.
//! - `Trend`: one panel per weekly series (MQLs, acceptance, ack compliance), a column per
//!   week with its value above it.
//! - `Plan`: per stage the needed count (an outline) and where the pace ends (a bar, green
//!   when it reaches the outline), each stage on its own scale since they differ a
//!   thousandfold, with "pace 250 of 500 (50%)" beside it.
//! - `Stack`: several of these one above the other (the digest's funnel and trend).
//!
//! The words a chart draws itself (legends, "No data", "went further") and its numbers
//! ("12,400", "12.400", "63 %") are in [`Chart::locale`]; its caller writes the title,
//! subtitle and labels in the same language.
//!
//! Every image is [`WIDTH`] pixels wide and as tall as its rows need; text is at least
//! 18 px, which stays legible when Slack or Discord shrink the image to a phone's width.
//!
//! Pure Rust with the DejaVu Sans font compiled in, so it needs no system fonts and draws
//! the same bytes for the same chart on every machine. No I/O: the platforms decide where
//! the bytes go (console: a file; Slack: a file upload; Discord: an attachment).

use std::sync::Once;

use anyhow::{Context, anyhow};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontFamily, FontStyle, register_font};

use crate::i18n::{self, Locale};
use crate::message::{Chart, FunnelStep, GroupBars, PlanRow, Plot, TrendSeries};

pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 540;

/// The name the DejaVu font is registered under with plotters.
const FONT: &str = "Baton DejaVu Sans";
const MARGIN: i32 = 40;
/// Where the bars start below the title and subtitle.
const PLOT_TOP: i32 = 118;
const LABEL_WIDTH: i32 = 220;
/// Between a label and its bar, and between a bar and its count.
const GAP: i32 = 12;
/// The widest the counts may get; the bars keep the rest of the width.
const COUNT_MAX_WIDTH: i32 = 300;
const ROW_MAX: i32 = 56;
/// More bars than this are not drawn (a funnel has eight); the last row says how many.
const BARS_MAX: usize = 24;

const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
const MUTED: RGBColor = RGBColor(0x61, 0x6e, 0x7c);
const BAR: RGBColor = RGBColor(0x25, 0x63, 0xeb);
const AXIS: RGBColor = RGBColor(0xcb, 0xd2, 0xd9);
const GOOD: RGBColor = RGBColor(0x16, 0xa3, 0x4a);
const SHORT: RGBColor = RGBColor(0xea, 0x58, 0x0c);
/// The colours of the series of a grouped chart, in order.
const SERIES: [RGBColor; 4] = [
    BAR,
    RGBColor(0x0d, 0x94, 0x88),
    RGBColor(0xd9, 0x77, 0x06),
    RGBColor(0x9c, 0x27, 0xb0),
];

/// One funnel stage's row: its bar, then the conversion text under it.
const FUNNEL_ROW: i32 = 76;
const FUNNEL_BAR: i32 = 44;
/// One group of a grouped chart: a bar per series plus the gap after it.
const GROUP_BAR: i32 = 26;
const GROUP_GAP: i32 = 18;
/// The most groups drawn; the last row says how many more.
const GROUPS_MAX: usize = 12;
const LEGEND: i32 = 44;
/// One weekly series' panel of a trend.
const TREND_PANEL: i32 = 250;
const PLAN_ROW: i32 = 70;

static FONTS: Once = Once::new();

fn register_fonts() {
    FONTS.call_once(|| {
        // The bytes are the font files shipped in the `dejavu` crate, so these cannot fail;
        // if they ever did, drawing text would report the missing font as an error.
        let _ = register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A file name that is safe as a path component and an attachment name: ASCII letters,
/// digits, `-`, `_` and `.`, ending in `.png`.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .take(100)
        .collect();
    let stem = cleaned.strip_suffix(".png").unwrap_or(&cleaned);
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "chart.png".to_string()
    } else {
        format!("{stem}.png")
    }
}

/// A count as the chart's language writes it: `1234567` is `1,234,567` in English and
/// `1.234.567` in Portuguese, Spanish and Italian (ICU4X, CLDR).
fn thousands(l: Locale, value: u64) -> String {
    i18n::number(l, value)
}

/// The height of a plot's body, below the title and subtitle.
fn body_height(plot: &Plot) -> i32 {
    match plot {
        Plot::Bars => HEIGHT as i32 - PLOT_TOP - MARGIN,
        Plot::Funnel { steps } => (steps.len().max(1) as i32) * FUNNEL_ROW,
        Plot::Groups { series, groups } => {
            let shown = groups.len().min(GROUPS_MAX) as i32;
            let more = i32::from(groups.len() > GROUPS_MAX) * GROUP_BAR;
            LEGEND
                + (shown * (series.len().max(1) as i32 * GROUP_BAR + GROUP_GAP)).max(FUNNEL_ROW)
                + more
        }
        Plot::Trend { series, .. } => (series.len().max(1) as i32) * TREND_PANEL,
        Plot::Plan { rows } => LEGEND + (rows.len().max(1) as i32) * PLAN_ROW,
        Plot::Stack { plots } => plots.iter().map(|p| body_height(p) + GAP * 2).sum::<i32>(),
    }
}

/// The size in pixels the chart is drawn at: [`WIDTH`] wide, as tall as its rows need
/// ([`HEIGHT`] for plain bars).
pub fn size(chart: &Chart) -> (u32, u32) {
    let height = match chart.plot {
        Plot::Bars => HEIGHT as i32,
        ref plot => (PLOT_TOP + body_height(plot) + MARGIN).clamp(240, 4_000),
    };
    (WIDTH, height as u32)
}

/// Renders the chart as a PNG of RGB pixels, of [`size`].
pub fn render_png(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    register_fonts();
    let (width, height) = size(chart);
    let mut pixels = vec![0u8; (width * height * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw(&area, chart, height as i32).map_err(|e| anyhow!("cannot draw the chart: {e}"))?;
        area.present()
            .map_err(|e| anyhow!("cannot draw the chart: {e}"))?;
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .context("cannot encode the chart as PNG")?;
    writer
        .write_image_data(&pixels)
        .context("cannot encode the chart as PNG")?;
    writer.finish().context("cannot encode the chart as PNG")?;
    Ok(png)
}

/// [`render_png`] on tokio's blocking threads, for async callers: drawing takes tens of
/// milliseconds of CPU.
pub async fn render_png_off_thread(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    let chart = chart.clone();
    tokio::task::spawn_blocking(move || render_png(&chart))
        .await
        .context("the chart drawing task failed")?
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;
type DrawResult<'a> =
    Result<(), DrawingAreaErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>>;

fn font(size: u32, style: FontStyle, color: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from((FontFamily::Name(FONT), size, style)).color(color)
}

/// `text` cut with an ellipsis to at most `width` pixels in `style`.
fn fit<'a>(area: &Area<'a>, text: &str, style: &TextStyle, width: i32) -> String {
    let fits = |t: &str| {
        area.estimate_text_size(t, style)
            .is_ok_and(|(w, _)| i64::from(w) <= i64::from(width))
    };
    if fits(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search for the longest prefix that fits with the ellipsis.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain(['…'].iter()).collect();
        if fits(&candidate) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut out: String = chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string();
    out.push('…');
    out
}

fn draw<'a>(area: &Area<'a>, chart: &Chart, height: i32) -> DrawResult<'a> {
    area.fill(&WHITE)?;
    let width = WIDTH as i32;
    let text_width = width - 2 * MARGIN;

    let title_style = font(30, FontStyle::Bold, &INK);
    let title = fit(area, &chart.title, &title_style, text_width);
    area.draw_text(&title, &title_style, (MARGIN, 30))?;
    let subtitle_style = font(18, FontStyle::Normal, &MUTED);
    let subtitle = fit(area, &chart.subtitle, &subtitle_style, text_width);
    area.draw_text(&subtitle, &subtitle_style, (MARGIN, 74))?;

    match &chart.plot {
        Plot::Bars => draw_bars(area, chart, height),
        plot => draw_body(area, chart.locale, plot, PLOT_TOP),
    }
}

/// Draws a plot's body from `top` down, [`body_height`] tall.
fn draw_body<'a>(area: &Area<'a>, l: Locale, plot: &Plot, top: i32) -> DrawResult<'a> {
    match plot {
        Plot::Bars => Ok(()),
        Plot::Funnel { steps } => draw_funnel(area, l, steps, top),
        Plot::Groups { series, groups } => draw_groups(area, l, series, groups, top),
        Plot::Trend { weeks, series } => draw_trend(area, l, weeks, series, top),
        Plot::Plan { rows } => draw_plan(area, l, rows, top),
        Plot::Stack { plots } => {
            let mut y = top;
            for (i, plot) in plots.iter().enumerate() {
                if i > 0 {
                    area.draw(&PathElement::new(
                        vec![(MARGIN, y), (WIDTH as i32 - MARGIN, y)],
                        AXIS.stroke_width(2),
                    ))?;
                }
                y += GAP;
                draw_body(area, l, plot, y)?;
                y += body_height(plot) + GAP;
            }
            Ok(())
        }
    }
}

fn nothing<'a>(area: &Area<'a>, l: Locale, top: i32, height: i32) -> DrawResult<'a> {
    let style = font(22, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(
        &i18n::t(l, "chart-no-data"),
        &style,
        (WIDTH as i32 / 2, top + height / 2),
    )
}

fn text_width<'a>(area: &Area<'a>, text: &str, style: &TextStyle) -> i32 {
    area.estimate_text_size(text, style)
        .map_or(0, |(w, _)| w as i32)
}

/// A share in basis points as a whole percentage.
fn percent_bp(l: Locale, bp: u64) -> String {
    percent_whole(l, (bp + 50) / 100)
}

/// A whole percentage: "63%" (en), "63 %" (es).
fn percent_whole(l: Locale, whole: u64) -> String {
    let value = i18n::number(l, whole);
    i18n::tr(l, "number-percent", &[("value", value.into())])
}

/// "… 3 more not shown".
fn not_shown(l: Locale, n: u64) -> String {
    i18n::tr(
        l,
        "chart-not-shown",
        &[
            ("count", (n as i64).into()),
            ("n", i18n::number(l, n).into()),
        ],
    )
}

fn draw_funnel<'a>(area: &Area<'a>, l: Locale, steps: &[FunnelStep], top: i32) -> DrawResult<'a> {
    if steps.is_empty() {
        return nothing(area, l, top, FUNNEL_ROW);
    }
    let width = WIDTH as i32;
    let label_style = font(22, FontStyle::Normal, &INK).pos(Pos::new(HPos::Left, VPos::Center));
    let count_style = font(22, FontStyle::Bold, &INK).pos(Pos::new(HPos::Right, VPos::Center));
    let step_style = font(18, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    let label_width = 170;
    let count_width = 150;
    let left = MARGIN + label_width + GAP;
    let right = width - MARGIN - count_width - GAP;
    let centre = (left + right) / 2;
    let span = f64::from(right - left);
    let max = steps.iter().map(|s| s.count).max().unwrap_or(1).max(1) as f64;
    for (i, step) in steps.iter().enumerate() {
        let y = top + i as i32 * FUNNEL_ROW;
        let middle = y + FUNNEL_BAR / 2;
        let label = fit(area, &step.label, &label_style, label_width);
        area.draw_text(&label, &label_style, (MARGIN, middle))?;
        let length = ((step.count as f64 / max * span).round() as i32).max(6);
        area.draw(&Rectangle::new(
            [
                (centre - length / 2, y),
                (centre + length / 2, y + FUNNEL_BAR),
            ],
            BAR.filled(),
        ))?;
        let count = fit(area, &thousands(l, step.count), &count_style, count_width);
        area.draw_text(&count, &count_style, (width - MARGIN, middle))?;
        if i + 1 < steps.len()
            && let Some(bp) = step.conversion_bp
        {
            area.draw_text(
                &i18n::tr(
                    l,
                    "chart-went-further",
                    &[("percent", percent_bp(l, u64::from(bp)).into())],
                ),
                &step_style,
                (centre, y + FUNNEL_BAR + (FUNNEL_ROW - FUNNEL_BAR) / 2),
            )?;
        }
    }
    Ok(())
}

fn draw_legend<'a>(
    area: &Area<'a>,
    items: &[(String, RGBColor, bool)],
    top: i32,
) -> DrawResult<'a> {
    let style = font(20, FontStyle::Normal, &INK).pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = MARGIN;
    let middle = top + LEGEND / 2 - 4;
    for (label, color, filled) in items {
        let square = [(x, middle - 9), (x + 18, middle + 9)];
        if *filled {
            area.draw(&Rectangle::new(square, color.filled()))?;
        } else {
            area.draw(&Rectangle::new(square, color.stroke_width(3)))?;
        }
        x += 26;
        area.draw_text(label, &style, (x, middle))?;
        x += text_width(area, label, &style) + 30;
    }
    Ok(())
}

fn draw_groups<'a>(
    area: &Area<'a>,
    l: Locale,
    series: &[String],
    groups: &[GroupBars],
    top: i32,
) -> DrawResult<'a> {
    let items: Vec<(String, RGBColor, bool)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), SERIES[i % SERIES.len()], true))
        .collect();
    draw_legend(area, &items, top)?;
    let top = top + LEGEND;
    if groups.is_empty() {
        return nothing(area, l, top, FUNNEL_ROW);
    }
    let width = WIDTH as i32;
    let label_style = font(20, FontStyle::Normal, &INK).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style = font(18, FontStyle::Bold, &INK).pos(Pos::new(HPos::Left, VPos::Center));
    let label_width = 220;
    let left = MARGIN + label_width + GAP;
    let right = width - MARGIN - 110;
    let span = f64::from(right - left);
    let shown = &groups[..groups.len().min(GROUPS_MAX)];
    let max = shown
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let block = series.len().max(1) as i32 * GROUP_BAR + GROUP_GAP;
    let mut bottom = top;
    for (i, group) in shown.iter().enumerate() {
        let y = top + i as i32 * block;
        let label = fit(area, &group.label, &label_style, label_width);
        let bars = series.len().max(1) as i32 * GROUP_BAR;
        area.draw_text(&label, &label_style, (MARGIN + label_width, y + bars / 2))?;
        for (j, value) in group.values.iter().take(series.len()).enumerate() {
            let bar_top = y + j as i32 * GROUP_BAR + 2;
            let length = match value {
                0 => 0,
                v => ((*v as f64 / max * span).round() as i32).max(3),
            };
            if length > 0 {
                area.draw(&Rectangle::new(
                    [(left, bar_top), (left + length, bar_top + GROUP_BAR - 6)],
                    SERIES[j % SERIES.len()].filled(),
                ))?;
            }
            area.draw_text(
                &thousands(l, *value),
                &value_style,
                (left + length + 8, bar_top + (GROUP_BAR - 6) / 2),
            )?;
        }
        bottom = y + block;
    }
    area.draw(&PathElement::new(
        vec![(left, top), (left, bottom - GROUP_GAP)],
        AXIS.stroke_width(2),
    ))?;
    if groups.len() > shown.len() {
        let style = font(18, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(
            &not_shown(l, (groups.len() - shown.len()) as u64),
            &style,
            (left, bottom + GROUP_BAR / 2),
        )?;
    }
    Ok(())
}

fn draw_trend<'a>(
    area: &Area<'a>,
    l: Locale,
    weeks: &[String],
    series: &[TrendSeries],
    top: i32,
) -> DrawResult<'a> {
    if series.is_empty() || weeks.is_empty() {
        return nothing(area, l, top, TREND_PANEL);
    }
    let width = WIDTH as i32;
    let heading = font(22, FontStyle::Bold, &INK);
    let value_style = font(18, FontStyle::Normal, &INK).pos(Pos::new(HPos::Center, VPos::Bottom));
    let week_style = font(18, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Center, VPos::Top));
    let left = MARGIN;
    let right = width - MARGIN;
    let slot = (right - left) / weeks.len() as i32;
    for (k, s) in series.iter().enumerate() {
        let panel = top + k as i32 * TREND_PANEL;
        let fmt = |v: u64| {
            if s.percent {
                percent_bp(l, v)
            } else {
                thousands(l, v)
            }
        };
        let latest = s
            .values
            .last()
            .copied()
            .flatten()
            .map_or("–".to_string(), fmt);
        area.draw_text(
            &i18n::tr(
                l,
                "chart-last-week",
                &[("series", (&s.label).into()), ("value", latest.into())],
            ),
            &heading,
            (MARGIN, panel),
        )?;
        // The columns stand on a baseline; the tallest (or 100%) reaches the top.
        let plot_top = panel + 60;
        let base = panel + TREND_PANEL - 44;
        let max = if s.percent {
            10_000
        } else {
            s.values.iter().flatten().copied().max().unwrap_or(1).max(1)
        };
        let color = SERIES[k % SERIES.len()];
        for (i, week) in weeks.iter().enumerate() {
            let x = left + i as i32 * slot;
            let middle = x + slot / 2;
            match s.values.get(i).copied().flatten() {
                Some(v) => {
                    let h = ((v.min(max) as f64 / max as f64) * f64::from(base - plot_top)).round()
                        as i32;
                    if h > 0 {
                        area.draw(&Rectangle::new(
                            [(x + slot / 6, base - h), (x + slot - slot / 6, base)],
                            color.filled(),
                        ))?;
                    }
                    area.draw_text(&fmt(v), &value_style, (middle, base - h - 4))?;
                }
                None => {
                    area.draw_text("–", &value_style, (middle, base - 4))?;
                }
            }
            area.draw_text(week, &week_style, (middle, base + 6))?;
        }
        area.draw(&PathElement::new(
            vec![(left, base), (right, base)],
            AXIS.stroke_width(2),
        ))?;
    }
    Ok(())
}

fn draw_plan<'a>(area: &Area<'a>, l: Locale, rows: &[PlanRow], top: i32) -> DrawResult<'a> {
    draw_legend(
        area,
        &[
            (i18n::t(l, "chart-needed"), INK, false),
            (i18n::t(l, "chart-pace-on-track"), GOOD, true),
            (i18n::t(l, "chart-pace-short"), SHORT, true),
        ],
        top,
    )?;
    let top = top + LEGEND;
    if rows.is_empty() {
        return nothing(area, l, top, PLAN_ROW);
    }
    let width = WIDTH as i32;
    let label_style = font(22, FontStyle::Normal, &INK).pos(Pos::new(HPos::Left, VPos::Center));
    let note_style = font(18, FontStyle::Normal, &INK).pos(Pos::new(HPos::Left, VPos::Center));
    let muted = font(18, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    let label_width = 150;
    let left = MARGIN + label_width + GAP;
    let right = width - MARGIN - 330;
    let span = f64::from(right - left);
    let bar = 32;
    for (i, row) in rows.iter().enumerate() {
        let y = top + i as i32 * PLAN_ROW;
        let middle = y + bar / 2;
        let label = fit(area, &row.label, &label_style, label_width);
        area.draw_text(&label, &label_style, (MARGIN, middle))?;
        let scale = row.needed.max(row.pace).unwrap_or(0).max(1) as f64;
        let px = |v: u64| ((v as f64 / scale * span).round() as i32).max(3);
        if let Some(pace) = row.pace.filter(|p| *p > 0) {
            let color = match row.needed {
                Some(n) if pace >= n => GOOD,
                Some(_) => SHORT,
                None => MUTED,
            };
            area.draw(&Rectangle::new(
                [(left, y + 6), (left + px(pace), y + bar - 6)],
                color.filled(),
            ))?;
        }
        if let Some(needed) = row.needed {
            area.draw(&Rectangle::new(
                [(left, y), (left + px(needed), y + bar)],
                INK.stroke_width(3),
            ))?;
        }
        let pace = row.pace.map_or("–".to_string(), |p| thousands(l, p));
        let (text, style) = match row.needed {
            Some(0) => (
                i18n::tr(l, "chart-pace-none-needed", &[("pace", pace.into())]),
                &note_style,
            ),
            Some(n) => (
                i18n::tr(
                    l,
                    "chart-pace-of",
                    &[
                        ("pace", pace.into()),
                        ("needed", thousands(l, n).into()),
                        (
                            "percent",
                            percent_whole(l, row.pace.unwrap_or(0).saturating_mul(100) / n).into(),
                        ),
                    ],
                ),
                &note_style,
            ),
            None => (
                i18n::tr(l, "chart-pace-little-data", &[("pace", pace.into())]),
                &muted,
            ),
        };
        area.draw_text(&text, style, (right + GAP * 2, middle))?;
    }
    area.draw(&PathElement::new(
        vec![
            (left, top - 4),
            (
                left,
                top + rows.len() as i32 * PLAN_ROW - PLAN_ROW + bar + 4,
            ),
        ],
        AXIS.stroke_width(2),
    ))?;
    Ok(())
}

fn draw_bars<'a>(area: &Area<'a>, chart: &Chart, height: i32) -> DrawResult<'a> {
    let width = WIDTH as i32;
    if chart.bars.is_empty() {
        let style = font(22, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        area.draw_text(
            &i18n::t(chart.locale, "chart-no-data"),
            &style,
            (width / 2, (PLOT_TOP + height) / 2),
        )?;
        return Ok(());
    }

    let shown = &chart.bars[..chart.bars.len().min(BARS_MAX)];
    let hidden = chart.bars.len() - shown.len();
    let rows = (shown.len() + usize::from(hidden > 0)) as i32;
    let plot_bottom = height - MARGIN;
    let row = ((plot_bottom - PLOT_TOP) / rows).clamp(1, ROW_MAX);
    let bar_height = (row * 5 / 8).max(1);
    let text_size = (row * 2 / 5).clamp(9, 20) as u32;

    let label_style =
        font(text_size, FontStyle::Normal, &INK).pos(Pos::new(HPos::Right, VPos::Center));
    let count_style =
        font(text_size, FontStyle::Bold, &INK).pos(Pos::new(HPos::Left, VPos::Center));
    let counts: Vec<String> = shown
        .iter()
        .map(|b| thousands(chart.locale, b.value))
        .collect();
    let count_width = counts
        .iter()
        .map(|c| {
            area.estimate_text_size(c, &count_style)
                .map(|(w, _)| w as i32)
        })
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(0)
        .min(COUNT_MAX_WIDTH);

    let bars_left = MARGIN + LABEL_WIDTH + GAP;
    let bars_right = width - MARGIN - count_width - GAP;
    let span = f64::from((bars_right - bars_left).max(1));
    let max = shown.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;

    // The axis the bars grow from.
    let axis_bottom = PLOT_TOP + row * rows;
    area.draw(&PathElement::new(
        vec![(bars_left, PLOT_TOP), (bars_left, axis_bottom)],
        AXIS.stroke_width(2),
    ))?;
    for (i, (bar, count)) in shown.iter().zip(&counts).enumerate() {
        let middle = PLOT_TOP + row * i as i32 + row / 2;
        let label = fit(area, &bar.label, &label_style, LABEL_WIDTH);
        area.draw_text(&label, &label_style, (MARGIN + LABEL_WIDTH, middle))?;
        // A count above zero always shows as a sliver, next to a zero's nothing.
        let length = match bar.value {
            0 => 0,
            value => ((value as f64 / max * span).round() as i32).max(3),
        };
        let top = middle - bar_height / 2;
        if length > 0 {
            area.draw(&Rectangle::new(
                [(bars_left, top), (bars_left + length, top + bar_height)],
                BAR.filled(),
            ))?;
        }
        let count = fit(area, count, &count_style, COUNT_MAX_WIDTH);
        area.draw_text(&count, &count_style, (bars_left + length + GAP, middle))?;
    }
    if hidden > 0 {
        let middle = PLOT_TOP + row * shown.len() as i32 + row / 2;
        let style =
            font(text_size, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(
            &not_shown(chart.locale, hidden as u64),
            &style,
            (bars_left, middle),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::ChartBar;

    fn funnel() -> Chart {
        let stages = [
            ("visitor", 12_400),
            ("lead", 3_100),
            ("mql", 820),
            ("sql", 310),
            ("opportunity", 96),
            ("customer", 41),
            ("evangelist", 0),
        ];
        Chart {
            file_name: "funnel-2026-W47.png".into(),
            title: "Funnel — week 2026-W47".into(),
            subtitle: "Mon 16 Nov – Sun 22 Nov 2026 · Europe/Berlin".into(),
            bars: stages
                .iter()
                .map(|(label, value)| ChartBar {
                    label: label.to_string(),
                    value: *value,
                })
                .collect(),
            plot: Plot::Bars,
            locale: Locale::En,
        }
    }

    /// The decoded image: (width, height, bytes per pixel, pixels).
    fn decode(png_bytes: &[u8]) -> (u32, u32, usize, Vec<u8>) {
        let decoder = png::Decoder::new(png_bytes);
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("PNG pixels");
        let channels = match info.color_type {
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            other => panic!("unexpected colour type {other:?}"),
        };
        pixels.truncate(info.buffer_size());
        (info.width, info.height, channels, pixels)
    }

    /// Pixels darker than light grey inside the rectangle.
    fn dark_pixels(png_bytes: &[u8], x: (u32, u32), y: (u32, u32)) -> usize {
        let (width, _, channels, pixels) = decode(png_bytes);
        let mut dark = 0;
        for row in y.0..y.1 {
            for col in x.0..x.1 {
                let at = (row * width + col) as usize * channels;
                if pixels[at..at + 3].iter().all(|v| *v < 100) {
                    dark += 1;
                }
            }
        }
        dark
    }

    #[test]
    fn a_funnel_is_a_png_of_the_fixed_size() {
        let png_bytes = render_png(&funnel()).unwrap();
        let (width, height, channels, pixels) = decode(&png_bytes);
        assert_eq!((width, height), (WIDTH, HEIGHT));
        assert!(channels == 3 || channels == 4);
        assert_eq!(pixels.len(), (WIDTH * HEIGHT) as usize * channels);
    }

    #[test]
    fn the_same_chart_gives_the_same_bytes() {
        assert_eq!(
            render_png(&funnel()).unwrap(),
            render_png(&funnel()).unwrap()
        );
        let mut other = funnel();
        other.bars[0].value += 1;
        assert_ne!(render_png(&funnel()).unwrap(), render_png(&other).unwrap());
    }

    #[test]
    fn text_is_drawn() {
        let png_bytes = render_png(&funnel()).unwrap();
        assert!(
            dark_pixels(&png_bytes, (MARGIN as u32, WIDTH / 2), (20, 64)) > 200,
            "the title"
        );
        let labels = (MARGIN as u32, (MARGIN + LABEL_WIDTH) as u32);
        assert!(
            dark_pixels(&png_bytes, labels, (PLOT_TOP as u32, HEIGHT - 40)) > 200,
            "the stage labels"
        );
        let untitled = Chart {
            title: String::new(),
            ..funnel()
        };
        assert_eq!(
            dark_pixels(
                &render_png(&untitled).unwrap(),
                (MARGIN as u32, WIDTH / 2),
                (20, 64)
            ),
            0,
            "no title, no dark pixels there"
        );
    }

    #[test]
    fn odd_charts_still_render() {
        let long = "a stage with a very long name that cannot fit beside its bar ".repeat(5);
        let cases = [
            Chart {
                bars: vec![],
                ..funnel()
            },
            Chart {
                title: "T".repeat(500),
                subtitle: "S".repeat(500),
                bars: vec![
                    ChartBar {
                        label: long.clone(),
                        value: u64::MAX,
                    },
                    ChartBar {
                        label: String::new(),
                        value: 0,
                    },
                ],
                ..funnel()
            },
            Chart {
                bars: (0..200)
                    .map(|i| ChartBar {
                        label: format!("stage {i}"),
                        value: i,
                    })
                    .collect(),
                ..funnel()
            },
            Chart {
                bars: vec![ChartBar {
                    label: "zero".into(),
                    value: 0,
                }],
                ..funnel()
            },
        ];
        for chart in cases {
            let (width, height, _, _) = decode(&render_png(&chart).unwrap());
            assert_eq!((width, height), (WIDTH, HEIGHT));
        }
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(Locale::En, 0), "0");
        assert_eq!(thousands(Locale::En, 999), "999");
        assert_eq!(thousands(Locale::En, 1_000), "1,000");
        assert_eq!(thousands(Locale::En, 12_400), "12,400");
        assert_eq!(
            thousands(Locale::En, u64::MAX),
            "18,446,744,073,709,551,615"
        );
        assert_eq!(thousands(Locale::PtBr, 12_400), "12.400");
        assert_eq!(thousands(Locale::Es, 12_400), "12.400");
        assert_eq!(thousands(Locale::It, 12_400), "12.400");
        assert_eq!(thousands(Locale::PtBr, 1_000), "1.000");
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(safe_file_name("funnel-2026-W47.png"), "funnel-2026-W47.png");
        assert_eq!(safe_file_name("../../etc/passwd"), "-..-etc-passwd.png");
        assert_eq!(safe_file_name("a b/c"), "a-b-c.png");
        assert_eq!(safe_file_name(""), "chart.png");
        assert_eq!(safe_file_name(".png"), "chart.png");
        assert_eq!(safe_file_name("..."), "chart.png");
    }
}
