//! Inline SVG charts drawn with plotters.
//!
//! plotters estimates text width by bytes, which is wrong for Chinese, so
//! we lay text out ourselves: each label sits above its bar (a phone-wide
//! chart has no room for a label column), and the space for the number
//! after a bar comes from display widths, CJK characters counting two. Every chart carries a `<title>` and a
//! `<desc>` for screen readers, and every number is also printed as text.
//! Colours are from the Okabe–Ito palette, which colour-blind readers can
//! tell apart.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use unicode_width::UnicodeWidthStr;

/// Okabe–Ito blue and orange, and a dark grey for text.
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// The track behind each bar, so a short bar still reads as a share.
const GUIDE: RGBColor = RGBColor(0xEE, 0xF1, 0xF4);
/// Gridlines at a value axis' ticks.
const GRID: RGBColor = RGBColor(0xDD, 0xE2, 0xE7);
/// The zero line of a value axis.
const AXIS: RGBColor = RGBColor(0x88, 0x8F, 0x98);

const FONT: &str = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif";
const FONT_PX: u32 = 14;
const WIDTH: u32 = 400;
/// A row: the label line, then the bar.
const LABEL: u32 = 20;
const BAR: u32 = 14;
const ROW: u32 = LABEL + BAR + 8;
const PAD: u32 = 6;

/// One bar: its label, its length, and the number printed beside it. An
/// optional inner value is drawn over it (the weighted part of an amount),
/// and an optional mark across it (a target).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub inner: Option<f64>,
    pub mark: Option<f64>,
    pub text: String,
}

/// A horizontal bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    /// Unique in the page: the ids of the title and description derive from it.
    pub id: String,
    pub title: String,
    pub description: String,
    pub bars: Vec<Bar>,
    pub color: RGBColor,
    pub inner_color: RGBColor,
    /// The value of a full-length bar; the largest value when `None`
    /// (shares use 1.0, so 87% looks like 87%).
    pub max: Option<f64>,
}

/// Pixels a text takes at our font size: CJK characters count two columns.
fn text_px(text: &str) -> u32 {
    (text.width() as u32 * FONT_PX * 6).div_ceil(10)
}

/// Renders the chart as an SVG element for inlining in HTML.
pub fn bars(chart: &BarChart) -> String {
    let text_w = chart
        .bars
        .iter()
        .map(|b| text_px(&b.text))
        .max()
        .unwrap_or(0)
        + 2 * PAD;
    let height = ROW * chart.bars.len().max(1) as u32 + PAD;
    let bar_w = WIDTH.saturating_sub(text_w + PAD).max(40);
    let max = chart.max.unwrap_or_else(|| {
        chart
            .bars
            .iter()
            .flat_map(|b| std::iter::once(b.value).chain(b.mark))
            .fold(0.0_f64, f64::max)
    });
    let scale = |v: f64| {
        if max > 0.0 {
            ((v.min(max) / max) * f64::from(bar_w)).round() as i32
        } else {
            0
        }
    };

    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let font = |v: VPos| {
            // plotters writes font-size as size ÷ 1.24.
            TextStyle::from((FONT, f64::from(FONT_PX) * 1.24).into_font())
                .color(&TEXT)
                .pos(Pos::new(HPos::Left, v))
        };
        let x0 = PAD as i32;
        // The chart is drawn into a String; drawing cannot fail there.
        for (i, bar) in chart.bars.iter().enumerate() {
            let top = (PAD + ROW * i as u32) as i32;
            let bar_top = top + LABEL as i32;
            let _ = area.draw(&Text::new(
                bar.label.clone(),
                (x0, top + LABEL as i32 / 2),
                font(VPos::Center),
            ));
            let _ = area.draw(&Rectangle::new(
                [(x0, bar_top), (x0 + bar_w as i32, bar_top + BAR as i32)],
                GUIDE.filled(),
            ));
            let w = scale(bar.value);
            if w > 0 {
                let _ = area.draw(&Rectangle::new(
                    [(x0, bar_top), (x0 + w, bar_top + BAR as i32)],
                    chart.color.filled(),
                ));
            }
            if let Some(inner) = bar.inner {
                let wi = scale(inner);
                if wi > 0 {
                    let _ = area.draw(&Rectangle::new(
                        [(x0, bar_top + 4), (x0 + wi, bar_top + BAR as i32 - 4)],
                        chart.inner_color.filled(),
                    ));
                }
            }
            if let Some(mark) = bar.mark {
                let x = x0 + scale(mark);
                let _ = area.draw(&Rectangle::new(
                    [(x - 1, bar_top - 3), (x + 1, bar_top + BAR as i32 + 3)],
                    TEXT.filled(),
                ));
            }
            let _ = area.draw(&Text::new(
                bar.text.clone(),
                (x0 + bar_w as i32 + PAD as i32, bar_top + BAR as i32 / 2),
                font(VPos::Center),
            ));
        }
        let _ = area.present();
    }
    // Let CSS set the width; the viewBox keeps the aspect ratio.
    let svg = svg.replacen(
        &format!("<svg width=\"{WIDTH}\" height=\"{height}\" "),
        "<svg ",
        1,
    );
    accessible(&svg, &chart.id, &chart.title, &chart.description)
}

/// Okabe–Ito's other colours, and its black.
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);

/// What lies over a series' colour: white hatching sets apart the series
/// whose colours print as the same grey.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    /// Diagonal lines.
    Hatch,
    /// Lines both ways.
    Cross,
    /// Level lines.
    Lines,
}

impl Pattern {
    /// The name the theme's CSS knows (`.key.pat-hatch`), for legends.
    pub fn id(self) -> &'static str {
        match self {
            Pattern::Solid => "solid",
            Pattern::Hatch => "hatch",
            Pattern::Cross => "cross",
            Pattern::Lines => "lines",
        }
    }
}

/// How one series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swatch {
    pub color: RGBColor,
    pub pattern: Pattern,
}

impl Swatch {
    pub const fn solid(color: RGBColor) -> Self {
        Swatch {
            color,
            pattern: Pattern::Solid,
        }
    }

    pub const fn with(color: RGBColor, pattern: Pattern) -> Self {
        Swatch { color, pattern }
    }

    /// The colour as CSS, for a legend's key.
    pub fn css(&self) -> String {
        let c = self.color;
        format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
    }
}

/// The stages' series, bottom to top. In grey the four solid ones are
/// steps apart (black, blue, orange, yellow); the four whose greys fall
/// between them carry white lines: vermillion and sky blue (a step apart)
/// diagonal ones, green crossed ones, purple level ones. No two are alike
/// in both grey and pattern, and neighbours differ in one of them.
pub const STAGE_SERIES: [Swatch; 8] = [
    Swatch::solid(BLUE),
    Swatch::solid(ORANGE),
    Swatch::with(GREEN, Pattern::Cross),
    Swatch::solid(YELLOW),
    Swatch::with(VERMILLION, Pattern::Hatch),
    Swatch::with(SKY, Pattern::Hatch),
    Swatch::with(PURPLE, Pattern::Lines),
    Swatch::solid(BLACK),
];

/// The series of stage `i` (repeating past the eighth).
pub fn stage_series(i: usize) -> Swatch {
    STAGE_SERIES[i % STAGE_SERIES.len()]
}

/// A value axis: ticks at round numbers, labelled in `unit`s, the unit's
/// name above them.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// What the numbers count: 项目数, 万元, ¥M.
    pub label: String,
    /// Values per unit of the labels (10,000 for 万元).
    pub per_unit: f64,
    /// Ticks only at whole units (counts of projects).
    pub whole: bool,
}

/// Columns of stacked values (weeks × stages).
#[derive(Clone, Debug, PartialEq)]
pub struct StackedChart {
    pub id: String,
    pub title: String,
    pub description: String,
    /// One label per column (shown every few columns).
    pub labels: Vec<String>,
    /// `columns[c][s]`: the value of series `s` in column `c`.
    pub columns: Vec<Vec<f64>>,
    /// The text over a column (empty: none); shown where it fits in the
    /// column's slot, and over the labelled columns.
    pub totals: Vec<String>,
    /// How each series is drawn, in stacking order.
    pub series: Vec<Swatch>,
    pub axis: Axis,
}

/// Whether column `c` of `n` is labelled: about six labels, and the last
/// column unless the label before it is too close to leave room.
pub fn labelled(c: usize, n: usize) -> bool {
    let step = n.div_ceil(6).max(1);
    c.is_multiple_of(step) || (c + 1 == n && c % step >= 2.min(step))
}

/// Round steps for about five ticks up to `max` (in units): 1, 2, 2.5 or
/// 5 times a power of ten, and whole ones for counts.
pub fn ticks(max: f64, whole: bool) -> Vec<f64> {
    if max.is_nan() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let rough = max / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let mut step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    if whole {
        step = step.max(1.0).ceil();
    }
    let n = (max / step).ceil().max(1.0) as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// Stand-in colours for the patterns' overlays, swapped for the SVG
/// patterns once plotters has drawn: no series uses them.
const HATCH_MARK: RGBColor = RGBColor(0x01, 0x02, 0x03);
const CROSS_MARK: RGBColor = RGBColor(0x01, 0x02, 0x04);
const LINES_MARK: RGBColor = RGBColor(0x01, 0x02, 0x05);

/// Renders stacked columns over a value axis, with gridlines at its
/// ticks, and the totals over the columns where they fit.
pub fn stacked(chart: &StackedChart) -> String {
    const H: u32 = 230;
    const TOP: u32 = 28;
    const BOTTOM: u32 = 24;
    let small_px = FONT_PX - 3;
    let max = chart
        .columns
        .iter()
        .map(|c| c.iter().sum::<f64>())
        .fold(0.0_f64, f64::max);
    let per_unit = if chart.axis.per_unit > 0.0 {
        chart.axis.per_unit
    } else {
        1.0
    };
    let ticks = ticks(max / per_unit, chart.axis.whole);
    let top_value = ticks.last().copied().unwrap_or(1.0) * per_unit;
    let decimals = usize::from(ticks.iter().any(|t| t.fract() != 0.0));
    let tick_labels: Vec<String> = ticks
        .iter()
        .map(|t| super::format::number(*t, decimals))
        .collect();
    let small_w = |t: &str| (t.width() as u32 * small_px * 6).div_ceil(10);
    let left = PAD + tick_labels.iter().map(|t| small_w(t)).max().unwrap_or(0) + 6;
    let n = chart.columns.len().max(1) as u32;
    // Many weeks make thin columns, never wider than their slot.
    let slot = ((WIDTH - left - PAD) / n).max(1);
    let bar = (slot * 7 / 10).clamp(1, slot);
    let plot = f64::from(H - TOP - BOTTOM);
    let base = (H - BOTTOM) as i32;
    let y_of = |v: f64| base - (v / top_value * plot).round() as i32;
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, H)).into_drawing_area();
        let small = |h: HPos| {
            TextStyle::from((FONT, f64::from(small_px) * 1.24).into_font())
                .color(&TEXT)
                .pos(Pos::new(h, VPos::Center))
        };
        let _ = area.draw(&Text::new(
            chart.axis.label.clone(),
            (PAD as i32, 8),
            small(HPos::Left),
        ));
        for (tick, label) in ticks.iter().zip(&tick_labels) {
            let y = y_of(tick * per_unit);
            let _ = area.draw(&PathElement::new(
                [(left as i32, y), ((WIDTH - PAD) as i32, y)],
                if *tick == 0.0 { AXIS } else { GRID }.stroke_width(1),
            ));
            let _ = area.draw(&Text::new(
                label.clone(),
                (left as i32 - 4, y),
                small(HPos::Right),
            ));
        }
        for (c, column) in chart.columns.iter().enumerate() {
            let x0 = (left + slot * c as u32 + (slot - bar) / 2) as i32;
            let mut sum = 0.0;
            let mut y = base;
            for (s, v) in column.iter().enumerate() {
                sum += v;
                // From the running sum, so rounding never drifts.
                let top = y_of(sum);
                if top < y {
                    let swatch = chart
                        .series
                        .get(s)
                        .copied()
                        .unwrap_or_else(|| stage_series(s));
                    let rect = [(x0, top), (x0 + bar as i32, y)];
                    let _ = area.draw(&Rectangle::new(rect, swatch.color.filled()));
                    let mark = match swatch.pattern {
                        Pattern::Solid => None,
                        Pattern::Hatch => Some(HATCH_MARK),
                        Pattern::Cross => Some(CROSS_MARK),
                        Pattern::Lines => Some(LINES_MARK),
                    };
                    if let Some(mark) = mark {
                        let _ = area.draw(&Rectangle::new(rect, mark.filled()));
                    }
                }
                y = top.min(y);
            }
            let mid = x0 + bar as i32 / 2;
            let shown = labelled(c, chart.columns.len());
            let fits = |t: &String| shown || small_w(t) + 2 <= slot;
            if let Some(total) = chart.totals.get(c).filter(|t| !t.is_empty() && fits(t)) {
                let _ = area.draw(&Text::new(total.clone(), (mid, y - 8), small(HPos::Center)));
            }
            if shown {
                let label = chart.labels.get(c).cloned().unwrap_or_default();
                // The last label lines up with its column's outer edge so
                // it is not cut off at the chart's border.
                let (x, h) = if c + 1 == chart.columns.len() && c > 0 {
                    (x0 + bar as i32, HPos::Right)
                } else {
                    (mid, HPos::Center)
                };
                let _ = area.draw(&Text::new(label, (x, base + 12), small(h)));
            }
        }
        let _ = area.present();
    }
    let svg = svg
        .replacen(
            &format!("<svg width=\"{WIDTH}\" height=\"{H}\" "),
            "<svg ",
            1,
        )
        .replace(
            &format!("fill=\"{}\"", hex(HATCH_MARK)),
            &format!("fill=\"url(#{}-hatch)\"", chart.id),
        )
        .replace(
            &format!("fill=\"{}\"", hex(CROSS_MARK)),
            &format!("fill=\"url(#{}-cross)\"", chart.id),
        )
        .replace(
            &format!("fill=\"{}\"", hex(LINES_MARK)),
            &format!("fill=\"url(#{}-lines)\"", chart.id),
        );
    let svg = with_patterns(&svg, &chart.id);
    accessible(&svg, &chart.id, &chart.title, &chart.description)
}

/// A colour as plotters writes it into a `fill`.
fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Adds the white hatching patterns after the opening tag, named after
/// the chart so that two charts on a page keep their own.
fn with_patterns(svg: &str, id: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_string();
    };
    let line = "<rect width=\"1.6\" height=\"6\" fill=\"#fff\"/>";
    format!(
        "{}<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">{line}</pattern><pattern id=\"{id}-cross\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">{line}<rect width=\"6\" height=\"1.6\" fill=\"#fff\"/></pattern><pattern id=\"{id}-lines\" width=\"6\" height=\"4\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"1.4\" fill=\"#fff\"/></pattern></defs>{}",
        &svg[..=open_end],
        &svg[open_end + 1..]
    )
}

/// Makes the SVG scale with its container and adds a title and a
/// description that screen readers announce.
fn accessible(svg: &str, id: &str, title: &str, description: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(open_end);
    format!(
        "{open} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        super::escape_html(title),
        super::escape_html(description),
        &rest[1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(label: &str) -> BarChart {
        BarChart {
            id: "funnel".into(),
            title: "漏斗 <1>".into(),
            description: "各阶段项目数".into(),
            bars: vec![
                Bar {
                    label: label.into(),
                    value: 5.0,
                    inner: None,
                    mark: None,
                    text: "5".into(),
                },
                Bar {
                    label: "方案设计".into(),
                    value: 2.0,
                    inner: Some(1.0),
                    mark: None,
                    text: "2".into(),
                },
            ],
            color: BLUE,
            inner_color: VERMILLION,
            max: None,
        }
    }

    #[test]
    fn labels_are_escaped_and_the_chart_is_labelled() {
        let svg = bars(&chart("<script>alert(1)</script>"));
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(
            svg.contains("<title id=\"funnel-title\">漏斗 &lt;1&gt;</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("aria-labelledby=\"funnel-title funnel-desc\""),
            "{svg}"
        );
        assert!(svg.contains("viewBox"), "{svg}");
        assert!(!svg.starts_with("<svg width"), "{svg}");
    }

    #[test]
    fn number_space_fits_chinese_text() {
        // Four CJK characters are eight columns: about 68 px at 14 px.
        assert_eq!(text_px("项目立项"), 68);
        assert_eq!(text_px("ab"), 17);
    }

    #[test]
    fn a_fixed_maximum_keeps_shares_true_to_scale() {
        let mut c = chart("a");
        c.max = Some(10.0);
        // 5 of 10 fills half the track.
        let svg = bars(&c);
        let track = svg.split("<rect").nth(1).unwrap();
        let bar = svg.split("<rect").nth(2).unwrap();
        let width = |r: &str| -> f64 {
            r.split("width=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        assert!((width(bar) / width(track) - 0.5).abs() < 0.01, "{svg}");
    }

    fn weeks(columns: Vec<Vec<f64>>, series: Vec<Swatch>) -> StackedChart {
        let n = columns.len();
        StackedChart {
            id: "trend".into(),
            title: "t".into(),
            description: "d".into(),
            labels: (0..n).map(|i| format!("10-{:02}", i + 1)).collect(),
            totals: columns
                .iter()
                .map(|c| c.iter().sum::<f64>().to_string())
                .collect(),
            columns,
            series,
            axis: Axis {
                label: "项目数".into(),
                per_unit: 1.0,
                whole: true,
            },
        }
    }

    /// The `<text>`s of an SVG, in order.
    fn texts(svg: &str) -> Vec<&str> {
        svg.split("<text")
            .skip(1)
            .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())
            .collect()
    }

    #[test]
    fn stacked_columns_carry_their_totals() {
        let svg = stacked(&weeks(
            vec![vec![1.0, 2.0], vec![0.0, 4.0]],
            STAGE_SERIES.to_vec(),
        ));
        let texts = texts(&svg);
        assert!(texts.contains(&"3") && texts.contains(&"4"), "{svg}");
        assert!(texts.contains(&"10-01"));
    }

    #[test]
    fn the_value_axis_has_round_ticks_labelled_in_its_unit() {
        assert_eq!(ticks(24.0, true), [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(ticks(3.0, true), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            ticks(11_179.0, false),
            [0.0, 2500.0, 5000.0, 7500.0, 10_000.0, 12_500.0]
        );
        assert_eq!(ticks(0.0, true), [0.0, 1.0]);
        let mut chart = weeks(vec![vec![100_000.0, 200_000.0]; 3], Vec::new());
        chart.axis = Axis {
            label: "万元".into(),
            per_unit: 10_000.0,
            whole: false,
        };
        let svg = stacked(&chart);
        let texts = texts(&svg);
        // The unit, then 0 to 30 万元 in tens.
        assert_eq!(texts[0], "万元", "{svg}");
        for tick in ["0", "10", "20", "30"] {
            assert!(texts.contains(&tick), "{tick}: {texts:?}");
        }
        // Gridlines: the zero line and one per tick above it.
        assert_eq!(svg.matches("<polyline").count(), 4, "{svg}");
    }

    #[test]
    fn patterns_tell_series_apart_in_grey() {
        let svg = stacked(&weeks(vec![vec![1.0; 8]], STAGE_SERIES.to_vec()));
        // Colour first, then its hatching over it, from the chart's own
        // patterns.
        assert!(svg.contains("<pattern id=\"trend-hatch\""), "{svg}");
        assert!(svg.contains("<pattern id=\"trend-cross\""), "{svg}");
        assert!(svg.contains("<pattern id=\"trend-lines\""), "{svg}");
        assert_eq!(svg.matches("fill=\"url(#trend-hatch)\"").count(), 2);
        assert_eq!(svg.matches("fill=\"url(#trend-cross)\"").count(), 1);
        assert_eq!(svg.matches("fill=\"url(#trend-lines)\"").count(), 1);
        assert!(!svg.contains("\"#0102"));
        // Every stage's series differs from every other in colour, and
        // those of one pattern differ in grey by a visible step.
        let grey = |c: RGBColor| {
            let lin = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
        };
        for (i, a) in STAGE_SERIES.iter().enumerate() {
            for b in &STAGE_SERIES[i + 1..] {
                assert_ne!(a.color, b.color);
                if a.pattern == b.pattern {
                    let (ya, yb) = (grey(a.color), grey(b.color));
                    assert!((ya - yb).abs() > 0.1, "{a:?} and {b:?} print alike");
                }
            }
        }
    }

    #[test]
    fn labels_never_crowd_the_last_column() {
        let shown = |n: usize| (0..n).filter(|&c| labelled(c, n)).collect::<Vec<_>>();
        assert_eq!(shown(12), [0, 2, 4, 6, 8, 10]);
        assert_eq!(shown(26), [0, 5, 10, 15, 20, 25]);
        assert_eq!(shown(24), [0, 4, 8, 12, 16, 20, 23]);
        assert_eq!(shown(4), [0, 1, 2, 3]);
    }

    #[test]
    fn years_of_weeks_still_draw() {
        let n = crate::load::config::MAX_WEEKS;
        let svg = stacked(&weeks(vec![vec![1.0, 2.0]; n], Vec::new()));
        let body = &svg[svg.find("</defs>").unwrap()..];
        assert_eq!(body.matches("<rect").count(), 2 * n);
    }

    #[test]
    fn a_mark_widens_the_scale_and_is_drawn() {
        let mut c = chart("a");
        c.bars[0].mark = Some(10.0);
        let svg = bars(&c);
        // Two tracks, two bars, one inner bar, one mark.
        assert_eq!(svg.matches("<rect").count(), 6, "{svg}");
    }

    #[test]
    fn the_same_chart_renders_the_same_bytes() {
        assert_eq!(bars(&chart("a")), bars(&chart("a")));
    }
}
