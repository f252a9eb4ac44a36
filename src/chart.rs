//! Draws a [`Chart`] as a PNG: a horizontal bar chart, one bar per funnel stage, the label
//! on the left and the count at the end of the bar, under a title and a subtitle.
//!
//! Pure Rust with the DejaVu Sans font compiled in, so it needs no system fonts and draws
//! the same bytes for the same chart on every machine. No I/O: the platforms decide where
//! the bytes go (console: a file; Slack: a file upload; Discord: an attachment).

use std::sync::Once;

use anyhow::{Context, anyhow};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontFamily, FontStyle, register_font};

use crate::chat::message::Chart;

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

/// `1234567` → `1,234,567`.
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Renders the chart as a PNG of [`WIDTH`] × [`HEIGHT`] RGB pixels.
pub fn render_png(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    register_fonts();
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&area, chart).map_err(|e| anyhow!("cannot draw the chart: {e}"))?;
        area.present()
            .map_err(|e| anyhow!("cannot draw the chart: {e}"))?;
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, WIDTH, HEIGHT);
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

fn draw<'a>(area: &Area<'a>, chart: &Chart) -> DrawResult<'a> {
    area.fill(&WHITE)?;
    let width = WIDTH as i32;
    let height = HEIGHT as i32;
    let text_width = width - 2 * MARGIN;

    let title_style = font(30, FontStyle::Bold, &INK);
    let title = fit(area, &chart.title, &title_style, text_width);
    area.draw_text(&title, &title_style, (MARGIN, 30))?;
    let subtitle_style = font(18, FontStyle::Normal, &MUTED);
    let subtitle = fit(area, &chart.subtitle, &subtitle_style, text_width);
    area.draw_text(&subtitle, &subtitle_style, (MARGIN, 74))?;

    if chart.bars.is_empty() {
        let style = font(22, FontStyle::Normal, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        area.draw_text(
            "No data for this period",
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
    let counts: Vec<String> = shown.iter().map(|b| thousands(b.value)).collect();
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
            &format!("… {hidden} more not shown"),
            &style,
            (bars_left, middle),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::message::ChartBar;

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
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(12_400), "12,400");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
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
