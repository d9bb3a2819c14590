//! The overview page: key figures, the funnel, conversion, what is owed,
//! findings, stale projects and the latest notes.

use serde::Serialize;

use super::{Ctx, Figure, Link, NoteSummary, ProjectRow, note_summary, project_row};
use crate::diag::{Msg, Tally};
use crate::render::charts::{self, Bar, BarChart};
use crate::render::format::percent;
use crate::render::urls;

#[derive(Serialize)]
pub struct FunnelRow {
    pub stage: Link,
    pub active: usize,
    pub amount: String,
    pub weighted: String,
    pub probability: String,
    pub reached: usize,
    pub conversion: String,
}

#[derive(Serialize)]
pub struct RoleCount {
    pub role: Link,
    pub count: usize,
}

#[derive(Serialize)]
pub struct StaleRow {
    pub project: ProjectRow,
    pub last: String,
    pub days: String,
}

/// A series' key in the legend the two trend charts share.
#[derive(Serialize)]
pub struct LegendItem {
    pub name: String,
    pub color: String,
    /// solid | hatch | cross, as in the charts.
    pub pattern: &'static str,
}

#[derive(Serialize)]
pub struct TrendRow {
    pub week: String,
    /// Per stage.
    pub cells: Vec<TrendCell>,
    pub total: usize,
    pub amount: String,
}

#[derive(Serialize)]
pub struct TrendCell {
    pub count: usize,
    pub amount: String,
}

#[derive(Serialize)]
pub struct Overview {
    pub trend: String,
    pub trend_amount: String,
    pub trend_amount_note: String,
    pub legend: Vec<LegendItem>,
    pub trend_rows: Vec<TrendRow>,
    pub trend_source: String,
    pub changes: Vec<super::changes::ChangeGroup>,
    /// Notes written and visits made in the last seven days.
    pub activity: String,
    pub changes_href: String,
    /// Every view of the board in brief.
    pub cards: Vec<super::board::Card>,
    pub figures: Vec<Figure>,
    pub funnel_count: String,
    pub funnel_amount: String,
    pub conversion: String,
    pub funnel: Vec<FunnelRow>,
    pub pending_chart: String,
    pub pending_by_role: Vec<RoleCount>,
    pub pending_total: usize,
    pub errors: usize,
    pub warnings: usize,
    pub stale: Vec<StaleRow>,
    pub notes: Vec<NoteSummary>,
}

const LATEST_NOTES: usize = 10;

pub fn build(ctx: &Ctx) -> Overview {
    let a = ctx.analysis;
    let t = &a.totals;
    let process = &ctx.data.process;
    let fmt = |key: &'static str| Msg::new(key);
    let figures = vec![
        Figure {
            label: ctx.t("site.figure_active"),
            value: t.active.to_string(),
            detail: ctx
                .i18n
                .format(&fmt("site.figure_paused").arg("n", t.paused)),
        },
        Figure {
            label: ctx.t("site.figure_pipeline"),
            value: ctx.money_short(t.pipeline_amount as f64),
            detail: ctx.per_project(t.pipeline_amount as f64, t.active),
        },
        Figure {
            label: ctx.t("site.figure_weighted"),
            value: ctx.money_short(t.weighted_amount),
            detail: ctx.t("site.figure_weighted_detail"),
        },
        Figure {
            label: ctx.i18n.format(&fmt("site.figure_won").arg("year", t.year)),
            value: t.won.to_string(),
            detail: ctx.money_short(t.won_amount as f64),
        },
        Figure {
            label: ctx
                .i18n
                .format(&fmt("site.figure_lost").arg("year", t.year)),
            value: t.lost.to_string(),
            detail: String::new(),
        },
        Figure {
            label: ctx
                .i18n
                .format(&fmt("site.figure_win_rate").arg("year", t.year)),
            value: t.win_rate.map_or_else(|| "—".to_string(), percent),
            detail: ctx.i18n.format(
                &fmt("site.figure_win_rate_detail")
                    .arg("won", t.won)
                    .arg("lost", t.lost),
            ),
        },
    ];

    let funnel: Vec<FunnelRow> = a
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| FunnelRow {
            stage: ctx.stage_link(i),
            active: s.active,
            amount: ctx.money_short(s.amount as f64),
            weighted: ctx.money_short(s.weighted),
            probability: percent(process.stages[i].probability),
            reached: s.reached,
            conversion: s.conversion.map_or_else(String::new, percent),
        })
        .collect();

    let names: Vec<String> = (0..process.stages.len())
        .map(|i| ctx.stage_name(i).to_string())
        .collect();
    let funnel_count = charts::bars(&BarChart {
        id: "funnel-count".into(),
        title: ctx.t("site.chart_funnel_count"),
        description: describe(&names, a.stages.iter().map(|s| s.active.to_string())),
        bars: a
            .stages
            .iter()
            .zip(&names)
            .map(|(s, n)| Bar {
                label: n.clone(),
                value: s.active as f64,
                inner: None,
                mark: None,
                text: s.active.to_string(),
            })
            .collect(),
        color: charts::BLUE,
        inner_color: charts::VERMILLION,
        max: None,
    });
    let funnel_amount = charts::bars(&BarChart {
        id: "funnel-amount".into(),
        title: ctx.t("site.chart_funnel_amount"),
        description: describe(
            &names,
            a.stages.iter().map(|s| {
                ctx.i18n.format(
                    &fmt("site.amount_and_weighted")
                        .arg("amount", ctx.money_short(s.amount as f64))
                        .arg("weighted", ctx.money_short(s.weighted)),
                )
            }),
        ),
        bars: a
            .stages
            .iter()
            .zip(&names)
            .map(|(s, n)| Bar {
                label: n.clone(),
                value: s.amount as f64,
                inner: Some(s.weighted),
                mark: None,
                text: format!(
                    "{} / {}",
                    ctx.money_short(s.amount as f64),
                    ctx.money_short(s.weighted)
                ),
            })
            .collect(),
        color: charts::ORANGE,
        inner_color: charts::BLUE,
        max: None,
    });
    let steps: Vec<String> = (0..names.len().saturating_sub(1))
        .map(|i| format!("{} → {}", names[i], names[i + 1]))
        .collect();
    let conversion = charts::bars(&BarChart {
        id: "conversion".into(),
        title: ctx.t("site.chart_conversion"),
        description: describe(
            &steps,
            a.stages
                .iter()
                .map(|s| s.conversion.map_or_else(String::new, percent)),
        ),
        bars: steps
            .iter()
            .zip(&a.stages)
            .map(|(label, s)| Bar {
                label: label.clone(),
                value: s.conversion.unwrap_or(0.0),
                inner: None,
                mark: None,
                text: s.conversion.map_or_else(|| "—".to_string(), percent),
            })
            .collect(),
        color: charts::BLUE,
        inner_color: charts::VERMILLION,
        max: Some(1.0),
    });

    let pending_by_role: Vec<RoleCount> = (0..process.roles.len())
        .map(|r| RoleCount {
            role: Link::to(
                ctx.role_name(r),
                &format!(
                    "pending/index.html#{}",
                    super::pending::role_anchor(&process.roles[r].id)
                ),
            ),
            count: a.pending.iter().filter(|p| p.role == Some(r)).count(),
        })
        .collect();
    let role_names: Vec<String> = pending_by_role
        .iter()
        .map(|r| r.role.text.clone())
        .collect();
    let pending_chart = charts::bars(&BarChart {
        id: "pending".into(),
        title: ctx.t("site.chart_pending"),
        description: describe(
            &role_names,
            pending_by_role.iter().map(|r| r.count.to_string()),
        ),
        bars: pending_by_role
            .iter()
            .map(|r| Bar {
                label: r.role.text.clone(),
                value: r.count as f64,
                inner: None,
                mark: None,
                text: r.count.to_string(),
            })
            .collect(),
        color: charts::VERMILLION,
        inner_color: charts::BLUE,
        max: None,
    });

    let facets = ctx.facets();
    let stale = a
        .stale
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.as_ref()?)))
        .map(|(i, s)| StaleRow {
            project: project_row(ctx, facets, i),
            last: s.last.map_or_else(String::new, |d| d.to_string()),
            days: s.days.to_string(),
        })
        .collect();
    let weeks = &a.weeks;
    let series: Vec<charts::Swatch> = (0..names.len()).map(charts::stage_series).collect();
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| w.end.strftime("%m-%d").to_string())
        .collect();
    let trend = charts::stacked(&charts::StackedChart {
        id: "trend".into(),
        title: ctx.t("site.chart_trend"),
        description: weeks
            .iter()
            .map(|w| format!("{}: {}", w.end, w.counts.iter().sum::<usize>()))
            .collect::<Vec<_>>()
            .join("; "),
        labels: labels.clone(),
        columns: weeks
            .iter()
            .map(|w| w.counts.iter().map(|&c| c as f64).collect())
            .collect(),
        totals: weeks
            .iter()
            .map(|w| w.counts.iter().sum::<usize>().to_string())
            .collect(),
        series: series.clone(),
        axis: charts::Axis {
            label: ctx.t("site.axis_projects"),
            per_unit: 1.0,
            whole: true,
        },
    });
    // Amounts are too long to stand over thin columns: the first and the
    // last week are given under the chart, every week in the table.
    let trend_amount = charts::stacked(&charts::StackedChart {
        id: "trend-amount".into(),
        title: ctx.t("site.chart_trend_amount"),
        description: weeks
            .iter()
            .map(|w| {
                format!(
                    "{}: {}",
                    w.end,
                    ctx.money_short(w.amounts.iter().sum::<i64>() as f64)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        labels,
        columns: weeks
            .iter()
            .map(|w| w.amounts.iter().map(|&v| v as f64).collect())
            .collect(),
        totals: Vec::new(),
        series: series.clone(),
        axis: charts::Axis {
            label: ctx.t("site.axis_money"),
            per_unit: crate::render::format::money_divisor(ctx.i18n),
            whole: false,
        },
    });
    let total_of =
        |w: &crate::analyze::trends::Week| ctx.money_short(w.amounts.iter().sum::<i64>() as f64);
    let trend_amount_note = match (weeks.first(), weeks.last()) {
        (Some(first), Some(last)) => ctx.i18n.format(
            &crate::diag::Msg::new("site.trend_amount_note")
                .arg("first", first.end)
                .arg("first_amount", total_of(first))
                .arg("last", last.end)
                .arg("last_amount", total_of(last)),
        ),
        _ => String::new(),
    };
    let legend = names
        .iter()
        .zip(&series)
        .map(|(n, s)| LegendItem {
            name: n.clone(),
            color: s.css(),
            pattern: s.pattern.id(),
        })
        .collect();
    let trend_rows = weeks
        .iter()
        .rev()
        .map(|w| TrendRow {
            week: w.end.to_string(),
            cells: w
                .counts
                .iter()
                .zip(&w.amounts)
                .map(|(&count, &amount)| TrendCell {
                    count,
                    amount: ctx.money_short(amount as f64),
                })
                .collect(),
            total: w.counts.iter().sum(),
            amount: ctx.money_short(w.amounts.iter().sum::<i64>() as f64),
        })
        .collect();
    let changes = super::changes::groups(ctx);
    let trend_source = ctx.t(if ctx.data.history.is_some() {
        "site.trend_from_git"
    } else {
        "site.trend_from_records"
    });
    let tally = Tally::of(ctx.findings);
    Overview {
        trend,
        legend,
        trend_rows,
        trend_source,
        trend_amount,
        trend_amount_note,
        changes,
        activity: super::changes::activity(ctx),
        changes_href: urls::encode(&super::board::View::Changes.path()),
        cards: super::board::cards(ctx, false),
        figures,
        funnel_count,
        funnel_amount,
        conversion,
        funnel,
        pending_chart,
        pending_total: a.pending.len(),
        pending_by_role,
        errors: tally.errors,
        warnings: tally.warnings,
        stale,
        notes: ctx
            .notes()
            .iter()
            .take(LATEST_NOTES)
            .map(|&(p, n)| note_summary(ctx, p, n))
            .collect(),
    }
}

/// A chart's description for screen readers: "label: value; …".
fn describe(labels: &[String], values: impl Iterator<Item = String>) -> String {
    labels
        .iter()
        .zip(values)
        .map(|(l, v)| format!("{l}: {v}"))
        .collect::<Vec<_>>()
        .join("; ")
}
