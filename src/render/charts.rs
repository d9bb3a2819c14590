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

/// Okabe–Ito's eight colours, for series that must be told apart.
pub const SERIES: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x66, 0x66, 0x66),
];

/// The CSS colour of series `i`, for an HTML legend.
pub fn series_css(i: usize) -> String {
    let c = SERIES[i % SERIES.len()];
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
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
    /// The text over each column (empty: none).
    pub totals: Vec<String>,
    /// The colour of each series, in stacking order.
    pub colors: Vec<RGBColor>,
}

/// Whether column `c` of `n` is labelled: about six labels, and the last
/// column unless the label before it is too close to leave room.
pub fn labelled(c: usize, n: usize) -> bool {
    let step = n.div_ceil(6).max(1);
    c.is_multiple_of(step) || (c + 1 == n && c % step >= 2.min(step))
}

/// Renders stacked columns, the total over each one.
pub fn stacked(chart: &StackedChart) -> String {
    const H: u32 = 220;
    const TOP: u32 = 20;
    const BOTTOM: u32 = 24;
    let n = chart.columns.len().max(1) as u32;
    // Many weeks make thin columns, never wider than their slot.
    let slot = ((WIDTH - 2 * PAD) / n).max(1);
    let bar = (slot * 7 / 10).clamp(1, slot);
    let max = chart
        .columns
        .iter()
        .map(|c| c.iter().sum::<f64>())
        .fold(0.0_f64, f64::max);
    let plot = f64::from(H - TOP - BOTTOM);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, H)).into_drawing_area();
        let small = |h: HPos| {
            TextStyle::from((FONT, f64::from(FONT_PX - 3) * 1.24).into_font())
                .color(&TEXT)
                .pos(Pos::new(h, VPos::Center))
        };
        let base = (H - BOTTOM) as i32;
        let _ = area.draw(&PathElement::new(
            [(PAD as i32, base), ((WIDTH - PAD) as i32, base)],
            GUIDE.stroke_width(1),
        ));
        for (c, column) in chart.columns.iter().enumerate() {
            let x0 = (PAD + slot * c as u32 + (slot - bar) / 2) as i32;
            let mut y = base;
            for (s, v) in column.iter().enumerate() {
                let h = if max > 0.0 {
                    (v / max * plot).round() as i32
                } else {
                    0
                };
                if h > 0 {
                    let _ = area.draw(&Rectangle::new(
                        [(x0, y - h), (x0 + bar as i32, y)],
                        chart
                            .colors
                            .get(s)
                            .copied()
                            .unwrap_or(SERIES[s % SERIES.len()])
                            .filled(),
                    ));
                }
                y -= h;
            }
            let mid = x0 + bar as i32 / 2;
            if let Some(total) = chart.totals.get(c).filter(|t| !t.is_empty()) {
                let _ = area.draw(&Text::new(total.clone(), (mid, y - 8), small(HPos::Center)));
            }
            if labelled(c, chart.columns.len()) {
                let label = chart.labels.get(c).cloned().unwrap_or_default();
                // The outermost labels line up with their column's outer
                // edge so they are not cut off at the chart's border.
                let (x, h) = if c == 0 {
                    (x0, HPos::Left)
                } else if c + 1 == chart.columns.len() {
                    (x0 + bar as i32, HPos::Right)
                } else {
                    (mid, HPos::Center)
                };
                let _ = area.draw(&Text::new(label, (x, base + 12), small(h)));
            }
        }
        let _ = area.present();
    }
    let svg = svg.replacen(
        &format!("<svg width=\"{WIDTH}\" height=\"{H}\" "),
        "<svg ",
        1,
    );
    accessible(&svg, &chart.id, &chart.title, &chart.description)
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

    #[test]
    fn stacked_columns_carry_their_totals() {
        let svg = stacked(&StackedChart {
            id: "trend".into(),
            title: "t".into(),
            description: "d".into(),
            labels: vec!["10-01".into(), "10-08".into()],
            columns: vec![vec![1.0, 2.0], vec![0.0, 4.0]],
            totals: vec!["3".into(), "4".into()],
            colors: SERIES.to_vec(),
        });
        assert!(
            svg.contains(">\n3\n</text>") && svg.contains(">\n4\n</text>"),
            "{svg}"
        );
        assert!(svg.contains("10-01"));
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
        let svg = stacked(&StackedChart {
            id: "trend".into(),
            title: "t".into(),
            description: "d".into(),
            labels: vec!["01-01".into(); n],
            columns: vec![vec![1.0, 2.0]; n],
            totals: vec![String::new(); n],
            colors: Vec::new(),
        });
        assert_eq!(svg.matches("<rect").count(), 2 * n);
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
