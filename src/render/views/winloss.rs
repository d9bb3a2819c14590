//! Won and lost: by quarter, loss reasons and competitors, win rates by
//! department, owner, region and amount band, deal size and cycle time,
//! and the closed deals.

use serde::Serialize;

use super::board::{Stat, share};
use super::deals::{self, DealList};
use super::{Ctx, Figure, Link, text};
use crate::analyze::dates::closed_on;
use crate::analyze::winloss::{Rate, Rollup};
use crate::diag::Msg;
use crate::render::charts::{self, StackedChart};
use crate::render::urls;

#[derive(Serialize)]
pub struct PeriodRow {
    pub quarter: String,
    pub won: usize,
    pub won_amount: String,
    pub won_value: i64,
    pub lost: usize,
    pub lost_amount: String,
    pub lost_value: i64,
    pub rate: String,
}

#[derive(Serialize)]
pub struct RollupRow {
    pub key: String,
    pub count: usize,
    pub amount: String,
    pub amount_value: i64,
    /// Stages lost at: `商务谈判 ×2、方案确认`.
    pub stages: String,
}

#[derive(Serialize)]
pub struct RateRow {
    pub key: Link,
    pub won: usize,
    pub lost: usize,
    pub rate: String,
    pub won_amount: String,
    pub won_value: i64,
}

#[derive(Serialize)]
pub struct RateTable {
    pub id: &'static str,
    pub title: String,
    pub rows: Vec<RateRow>,
}

#[derive(Serialize)]
pub struct StageDays {
    pub stage: Link,
    pub days: String,
}

#[derive(Serialize)]
pub struct WinLossPage {
    pub lead: String,
    pub period: String,
    pub figures: Vec<Figure>,
    pub chart: String,
    pub quarters: Vec<PeriodRow>,
    pub reasons: Vec<RollupRow>,
    pub competitors: Vec<RollupRow>,
    pub rates: Vec<RateTable>,
    pub stage_days: Vec<StageDays>,
    pub list: DealList,
}

/// Days as people say them: `42`, `15.5`.
pub fn days(d: Option<f64>) -> String {
    d.map_or_else(
        || "—".to_string(),
        |d| {
            if d.fract() == 0.0 {
                format!("{d:.0}")
            } else {
                format!("{d:.1}")
            }
        },
    )
}

fn rollup_rows<K>(ctx: &Ctx, rollups: &[Rollup<K>], name: impl Fn(&K) -> String) -> Vec<RollupRow> {
    rollups
        .iter()
        .map(|r| RollupRow {
            key: r
                .key
                .as_ref()
                .map_or_else(|| ctx.t("board.not_given"), &name),
            count: r.count,
            amount: ctx.money_short(r.amount as f64),
            amount_value: r.amount,
            stages: r
                .stages
                .iter()
                .map(|(&s, &n)| {
                    if n > 1 {
                        format!("{} ×{n}", ctx.stage_name(s))
                    } else {
                        ctx.stage_name(s).to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(ctx.i18n.get("site.list_sep")),
        })
        .collect()
}

fn rate_rows<K>(ctx: &Ctx, rates: &[Rate<K>], key: impl Fn(&K) -> Link) -> Vec<RateRow> {
    rates
        .iter()
        .map(|r| RateRow {
            key: key(&r.key),
            won: r.won,
            lost: r.lost,
            rate: share(r.rate()),
            won_amount: ctx.money_short(r.won_amount as f64),
            won_value: r.won_amount,
        })
        .collect()
}

/// The name of amount band `i` of `bounds`.
fn band_name(ctx: &Ctx, bounds: &[i64], i: usize) -> String {
    let money = |i: usize| ctx.money_short(bounds[i] as f64);
    let msg = match i {
        0 if bounds.is_empty() => Msg::new("board.band_all"),
        0 => Msg::new("board.band_below").arg("to", money(0)),
        i if i >= bounds.len() => Msg::new("board.band_above").arg("from", money(bounds.len() - 1)),
        i => Msg::new("board.band_between")
            .arg("from", money(i - 1))
            .arg("to", money(i)),
    };
    ctx.i18n.format(&msg)
}

fn period(ctx: &Ctx) -> String {
    let q = &ctx.analysis.winloss.quarters;
    match (q.first(), q.last()) {
        (Some(a), Some(b)) => ctx.i18n.format(
            &Msg::new("board.period")
                .arg("from", a.quarter)
                .arg("to", b.quarter),
        ),
        _ => String::new(),
    }
}

/// Won, lost, win rate, and the top loss reason and competitor.
pub fn card_stats(ctx: &Ctx) -> Vec<Stat> {
    let w = &ctx.analysis.winloss;
    let won: usize = w.quarters.iter().map(|q| q.won).sum();
    let won_amount: i64 = w.quarters.iter().map(|q| q.won_amount).sum();
    let lost: usize = w.quarters.iter().map(|q| q.lost).sum();
    let closed = won + lost;
    let mut stats = vec![
        Stat::new(period(ctx), String::new()),
        Stat::new(
            ctx.t("site.change_won"),
            ctx.i18n.format(
                &Msg::new("board.count_amount")
                    .arg("n", won)
                    .arg("amount", ctx.money_short(won_amount as f64)),
            ),
        ),
        Stat::new(ctx.t("site.change_lost"), lost.to_string()),
        Stat::new(
            ctx.t("board.win_rate"),
            share((closed > 0).then(|| won as f64 / closed as f64)),
        ),
    ];
    let names = rollup_rows(ctx, &w.reasons, |&r| {
        ctx.text(&ctx.data.process.loss_reasons[r].name).to_string()
    });
    if let Some(top) = w
        .reasons
        .iter()
        .zip(&names)
        .find(|(r, _)| r.key.is_some())
        .map(|(_, n)| n)
    {
        stats.push(Stat::new(ctx.t("board.top_reason"), top.key.clone()));
    }
    if let Some(top) = w.competitors.iter().find(|c| c.key.is_some()) {
        stats.push(Stat::new(
            ctx.t("board.top_competitor"),
            top.key.clone().unwrap_or_default(),
        ));
    }
    stats
}

pub fn build(ctx: &Ctx) -> WinLossPage {
    let w = &ctx.analysis.winloss;
    let won: usize = w.quarters.iter().map(|q| q.won).sum();
    let won_amount: i64 = w.quarters.iter().map(|q| q.won_amount).sum();
    let lost: usize = w.quarters.iter().map(|q| q.lost).sum();
    let lost_amount: i64 = w.quarters.iter().map(|q| q.lost_amount).sum();
    let closed = won + lost;
    let figures = vec![
        Figure::new(
            ctx.t("site.change_won"),
            won.to_string(),
            ctx.money_short(won_amount as f64),
        ),
        Figure::new(
            ctx.t("site.change_lost"),
            lost.to_string(),
            ctx.money_short(lost_amount as f64),
        ),
        Figure::new(
            ctx.t("board.win_rate"),
            share((closed > 0).then(|| won as f64 / closed as f64)),
            ctx.i18n.format(
                &Msg::new("site.figure_win_rate_detail")
                    .arg("won", won)
                    .arg("lost", lost),
            ),
        ),
        Figure::new(
            ctx.t("board.average_won"),
            w.average_won
                .map_or_else(|| "—".to_string(), |a| ctx.money_short(a)),
            ctx.t("board.average_won_detail"),
        ),
        Figure::new(
            ctx.t("board.cycle"),
            days(w.cycle_days),
            ctx.i18n
                .format(&Msg::new("board.cycle_detail").arg("n", w.cycle_count)),
        ),
    ];
    let quarters: Vec<PeriodRow> = w
        .quarters
        .iter()
        .map(|q| {
            let closed = q.won + q.lost;
            PeriodRow {
                quarter: q.quarter.to_string(),
                won: q.won,
                won_amount: ctx.money_short(q.won_amount as f64),
                won_value: q.won_amount,
                lost: q.lost,
                lost_amount: ctx.money_short(q.lost_amount as f64),
                lost_value: q.lost_amount,
                rate: share((closed > 0).then(|| q.won as f64 / closed as f64)),
            }
        })
        .collect();
    let chart = charts::stacked(&StackedChart {
        id: "winloss".into(),
        title: ctx.t("board.chart_winloss"),
        description: quarters
            .iter()
            .map(|q| format!("{}: {} / {}", q.quarter, q.won, q.lost))
            .collect::<Vec<_>>()
            .join("; "),
        labels: quarters.iter().map(|q| q.quarter.clone()).collect(),
        columns: w
            .quarters
            .iter()
            .map(|q| vec![q.won as f64, q.lost as f64])
            .collect(),
        totals: quarters
            .iter()
            .map(|q| format!("{} / {}", q.won, q.lost))
            .collect(),
        // Green and vermillion print as one grey: the losses are hatched.
        series: vec![
            charts::Swatch::solid(charts::GREEN),
            charts::Swatch::with(charts::VERMILLION, charts::Pattern::Hatch),
        ],
        axis: charts::Axis {
            label: ctx.t("site.axis_projects"),
            per_unit: 1.0,
            whole: true,
        },
    });
    let bounds = &ctx.config.board.amount_bands;
    let rates = vec![
        RateTable {
            id: "department",
            title: ctx.t("site.department"),
            rows: rate_rows(ctx, &w.by_department, |d| Link::to(d, &urls::department(d))),
        },
        RateTable {
            id: "owner",
            title: ctx.t("site.owner"),
            rows: rate_rows(ctx, &w.by_owner, |o| ctx.person_link(o)),
        },
        RateTable {
            id: "region",
            title: ctx.t("site.region"),
            rows: rate_rows(ctx, &w.by_region, |r| Link::to(r, &urls::region(r))),
        },
        RateTable {
            id: "band",
            title: ctx.t("board.amount_band"),
            rows: rate_rows(ctx, &w.by_band, |&b| Link::text(&band_name(ctx, bounds, b))),
        },
    ];
    let stage_days = w
        .stage_days
        .iter()
        .enumerate()
        .map(|(s, d)| StageDays {
            stage: ctx.stage_link(s),
            days: days(*d),
        })
        .collect();
    let rows = w
        .closed
        .iter()
        .map(|&i| {
            let p = &ctx.data.projects[i];
            let o = p.outcome.as_ref();
            let reason = o.and_then(|o| o.loss_reason.as_ref()).map(|r| {
                ctx.text(&ctx.data.process.loss_reasons[r.value].name)
                    .to_string()
            });
            let competitor = text(o.and_then(|o| o.competitor.as_ref()));
            let on = closed_on(p).map_or_else(String::new, |d| d.to_string());
            let detail: Vec<String> = [Some(on.clone()), reason, Some(competitor)]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect();
            deals::row(ctx, i, detail.join(" · "), on)
        })
        .collect();
    WinLossPage {
        lead: ctx.t("board.winloss_lead"),
        period: period(ctx),
        figures,
        chart,
        quarters,
        reasons: rollup_rows(ctx, &w.reasons, |&r| {
            ctx.text(&ctx.data.process.loss_reasons[r].name).to_string()
        }),
        competitors: rollup_rows(ctx, &w.competitors, Clone::clone),
        rates,
        stage_days,
        list: deals::list(
            ctx,
            rows,
            ctx.t("board.column_closed"),
            None,
            ctx.t("board.winloss_none"),
        ),
    }
}
