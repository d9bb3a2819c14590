//! The forecast page: expected closes by quarter and by month, weighted,
//! against the targets; what was won so far; per department; and the
//! deals expected to close, filterable by quarter.

use serde::Serialize;

use super::board::{Stat, share};
use super::deals::{self, DealList};
use super::{Ctx, Figure, Link, filter_group};
use crate::analyze::forecast::{Bucket, QuarterFigures};
use crate::diag::Msg;
use crate::period::Quarter;
use crate::render::charts::{self, Bar, BarChart, StackedChart};
use crate::render::urls;

/// A quarter's figures as text, with the numbers to check and sort by.
#[derive(Serialize)]
pub struct QuarterRow {
    pub quarter: String,
    pub count: usize,
    pub amount: String,
    pub amount_value: i64,
    pub weighted: String,
    pub weighted_value: i64,
    pub won: usize,
    pub won_amount: String,
    pub won_value: i64,
    pub target: String,
    pub target_value: Option<i64>,
    pub attainment: String,
    /// Won so far + weighted open: where the quarter is heading.
    pub projected: String,
}

#[derive(Serialize)]
pub struct DepartmentRow {
    pub department: Link,
    #[serde(flatten)]
    pub figures: QuarterRow,
}

#[derive(Serialize)]
pub struct MonthRow {
    pub month: String,
    pub count: usize,
    pub amount: String,
    pub amount_value: i64,
    pub weighted: String,
    pub weighted_value: i64,
}

#[derive(Serialize)]
pub struct ForecastPage {
    pub lead: String,
    pub figures: Vec<Figure>,
    pub chart_quarters: String,
    pub chart_months: String,
    pub quarters: Vec<QuarterRow>,
    pub departments: Vec<DepartmentRow>,
    pub months: Vec<MonthRow>,
    /// Open deals expected before, after or without a date.
    pub outside: Vec<Stat>,
    pub has_targets: bool,
    pub list: DealList,
}

fn quarter_row(ctx: &Ctx, q: &QuarterFigures) -> QuarterRow {
    let weighted = q.open.weighted.round() as i64;
    QuarterRow {
        quarter: q.quarter.to_string(),
        count: q.open.count,
        amount: ctx.money_short(q.open.amount as f64),
        amount_value: q.open.amount,
        weighted: ctx.money_short(q.open.weighted),
        weighted_value: weighted,
        won: q.won,
        won_amount: ctx.money_short(q.won_amount as f64),
        won_value: q.won_amount,
        target: q
            .target
            .map_or_else(String::new, |t| ctx.money_short(t as f64)),
        target_value: q.target,
        attainment: q.target.map_or_else(String::new, |_| share(q.attainment())),
        projected: ctx.money_short(q.won_amount as f64 + q.open.weighted),
    }
}

fn bucket_text(ctx: &Ctx, b: &Bucket) -> String {
    ctx.i18n.format(
        &Msg::new("board.bucket")
            .arg("n", b.count)
            .arg("amount", ctx.money_short(b.amount as f64))
            .arg("weighted", ctx.money_short(b.weighted)),
    )
}

/// The forecast card: each quarter in a line.
pub fn card_stats(ctx: &Ctx) -> Vec<Stat> {
    ctx.analysis
        .forecast
        .quarters
        .iter()
        .map(|q| {
            let mut value = bucket_text(ctx, &q.open);
            if q.target.is_some() {
                value.push_str(
                    &ctx.i18n
                        .format(&Msg::new("board.attained").arg("share", share(q.attainment()))),
                );
            }
            Stat::new(q.quarter.to_string(), value)
        })
        .collect()
}

pub fn build(ctx: &Ctx) -> ForecastPage {
    let f = &ctx.analysis.forecast;
    let this = &f.quarters[0];
    let quarters: Vec<QuarterRow> = f.quarters.iter().map(|q| quarter_row(ctx, q)).collect();
    let total = f.quarters.iter().fold(Bucket::default(), |mut acc, q| {
        acc.count += q.open.count;
        acc.amount += q.open.amount;
        acc.weighted += q.open.weighted;
        acc
    });
    let mut figures = vec![
        Figure::new(
            ctx.i18n
                .format(&Msg::new("board.this_quarter").arg("quarter", this.quarter)),
            ctx.money_short(this.open.amount as f64),
            bucket_text(ctx, &this.open),
        ),
        Figure::new(
            ctx.t("board.four_quarters"),
            ctx.money_short(total.amount as f64),
            bucket_text(ctx, &total),
        ),
        Figure::new(
            ctx.i18n
                .format(&Msg::new("board.won_in").arg("quarter", this.quarter)),
            ctx.money_short(this.won_amount as f64),
            ctx.i18n
                .format(&Msg::new("board.won_count").arg("n", this.won)),
        ),
    ];
    if let Some(target) = this.target {
        figures.push(Figure::new(
            ctx.i18n
                .format(&Msg::new("board.attainment_of").arg("quarter", this.quarter)),
            share(this.attainment()),
            ctx.i18n.format(
                &Msg::new("board.won_of_target")
                    .arg("won", ctx.money_short(this.won_amount as f64))
                    .arg("target", ctx.money_short(target as f64)),
            ),
        ));
    }
    let has_targets = !ctx.config.targets.is_empty();

    let chart_quarters = charts::bars(&BarChart {
        id: "forecast-quarters".into(),
        title: ctx.t("board.chart_quarters"),
        description: quarters
            .iter()
            .map(|q| format!("{}: {} / {}", q.quarter, q.amount, q.weighted))
            .collect::<Vec<_>>()
            .join("; "),
        bars: f
            .quarters
            .iter()
            .zip(&quarters)
            .map(|(q, r)| Bar {
                label: if r.target.is_empty() {
                    r.quarter.clone()
                } else {
                    ctx.i18n.format(
                        &Msg::new("board.quarter_target")
                            .arg("quarter", &r.quarter)
                            .arg("target", &r.target),
                    )
                },
                value: q.open.amount as f64,
                inner: Some(q.open.weighted),
                mark: q.target.map(|t| t as f64),
                text: format!("{} / {}", r.amount, r.weighted),
            })
            .collect(),
        color: charts::ORANGE,
        inner_color: charts::BLUE,
        max: None,
    });
    let chart_months = charts::stacked(&StackedChart {
        id: "forecast-months".into(),
        title: ctx.t("board.chart_months"),
        description: f
            .months
            .iter()
            .map(|(m, b)| format!("{m}: {}", bucket_text(ctx, b)))
            .collect::<Vec<_>>()
            .join("; "),
        labels: f
            .months
            .iter()
            .map(|(m, _)| format!("{:02}-{:02}", m.year.rem_euclid(100), m.month))
            .collect(),
        columns: f
            .months
            .iter()
            .map(|(_, b)| vec![b.weighted, (b.amount as f64 - b.weighted).max(0.0)])
            .collect(),
        totals: f
            .months
            .iter()
            .map(|(_, b)| {
                if b.count > 0 {
                    b.count.to_string()
                } else {
                    String::new()
                }
            })
            .collect(),
        series: vec![
            charts::Swatch::solid(charts::BLUE),
            charts::Swatch::solid(charts::ORANGE),
        ],
        axis: charts::Axis {
            label: ctx.t("site.axis_money"),
            per_unit: crate::render::format::money_divisor(ctx.i18n),
            whole: false,
        },
    });
    let departments = f
        .departments
        .iter()
        .flat_map(|d| {
            d.quarters.iter().map(|q| DepartmentRow {
                department: Link::to(&d.name, &urls::department(&d.name)),
                figures: quarter_row(ctx, q),
            })
        })
        .collect();
    let months = f
        .months
        .iter()
        .map(|(m, b)| MonthRow {
            month: m.to_string(),
            count: b.count,
            amount: ctx.money_short(b.amount as f64),
            amount_value: b.amount,
            weighted: ctx.money_short(b.weighted),
            weighted_value: b.weighted.round() as i64,
        })
        .collect();
    let outside = [
        ("board.close_earlier", &f.earlier),
        ("board.close_later", &f.later),
        ("board.close_undated", &f.undated),
    ]
    .into_iter()
    .filter(|(_, b)| b.count > 0)
    .map(|(key, b)| Stat::new(ctx.t(key), bucket_text(ctx, b)))
    .collect();

    let quarter_class = |q: Quarter| format!("f-quarter-{}", q.to_string().to_lowercase());
    let rows: Vec<_> = f
        .projects
        .iter()
        .map(|&i| {
            let p = &ctx.data.projects[i];
            let close = p.expected_close.as_ref().map(|d| d.value);
            let q = close.map(Quarter::of);
            let mut r = deals::row(
                ctx,
                i,
                q.map_or_else(String::new, |q| q.to_string()),
                close.map_or_else(String::new, |d| d.to_string()),
            );
            if let Some(q) = q {
                r.classes.push(' ');
                r.classes.push_str(&quarter_class(q));
            }
            r
        })
        .collect();
    let own = filter_group(
        "quarter",
        ctx.t("board.quarter"),
        f.quarters
            .iter()
            .map(|q| (quarter_class(q.quarter), q.quarter.to_string()))
            .collect(),
        &rows,
    );
    ForecastPage {
        lead: ctx.t("board.forecast_lead"),
        figures,
        chart_quarters,
        chart_months,
        quarters,
        departments,
        months,
        outside,
        has_targets,
        list: deals::list(
            ctx,
            rows,
            ctx.t("board.quarter"),
            own,
            ctx.t("board.forecast_none"),
        ),
    }
}
