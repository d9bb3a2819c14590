//! The board: the views a manager opens it for, each a page of its own
//! and a compact card on the overview and the board's hub; and the pages
//! of the attention lists (closing soon, biggest, stuck, neglected,
//! overdue).

use serde::Serialize;

use super::deals::{self, DealList};
use super::{Ctx, Figure, Link, ProjectRow, filter_group};
use crate::analyze::attention::{OverdueKind, WINDOWS};
use crate::analyze::funnel::{amount, weighted};
use crate::diag::Msg;
use crate::render::format::percent;
use crate::render::urls;

/// A page of the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Forecast,
    Closing,
    Biggest,
    Stuck,
    Neglected,
    Overdue,
    Changes,
    WinLoss,
}

impl View {
    pub const ALL: [View; 8] = [
        View::Forecast,
        View::Closing,
        View::Biggest,
        View::Stuck,
        View::Neglected,
        View::Overdue,
        View::Changes,
        View::WinLoss,
    ];

    pub fn id(self) -> &'static str {
        match self {
            View::Forecast => "forecast",
            View::Closing => "closing",
            View::Biggest => "biggest",
            View::Stuck => "stuck",
            View::Neglected => "neglected",
            View::Overdue => "overdue",
            View::Changes => "changes",
            View::WinLoss => "winloss",
        }
    }

    pub fn path(self) -> String {
        urls::board(self.id())
    }

    pub fn title(self, ctx: &Ctx) -> String {
        ctx.t(&format!("board.{}", self.id()))
    }

    fn lead(self, ctx: &Ctx) -> String {
        ctx.i18n.format(
            &Msg::new(match self {
                View::Forecast => "board.forecast_lead",
                View::Closing => "board.closing_lead",
                View::Biggest => "board.biggest_lead",
                View::Stuck => "board.stuck_lead",
                View::Neglected => "board.neglected_lead",
                View::Overdue => "board.overdue_lead",
                View::Changes => "board.changes_lead",
                View::WinLoss => "board.winloss_lead",
            })
            .arg("days", ctx.analysis.attention.neglected_days),
        )
    }
}

/// A number on a card, optionally a link.
#[derive(Serialize)]
pub struct Stat {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

impl Stat {
    pub fn new(label: String, value: String) -> Stat {
        Stat {
            label,
            value,
            href: None,
        }
    }
}

/// A view in brief, linking to its page.
#[derive(Serialize)]
pub struct Card {
    pub id: &'static str,
    pub title: String,
    pub href: String,
    pub stats: Vec<Stat>,
    /// The view is a list of deals (an empty one says so).
    pub list: bool,
    /// The first few deals of the view.
    pub rows: Vec<ProjectRow>,
    /// "All 12 →".
    pub more: String,
    /// What the card says when it has no deals to show.
    pub empty: String,
}

/// How many deals a card shows.
const CARD_ROWS: usize = 3;

/// The hub: every view as a card, and the indexes.
#[derive(Serialize)]
pub struct Hub {
    pub cards: Vec<Card>,
    pub indexes: Vec<Link>,
    pub feed: String,
}

/// A list page of the board.
#[derive(Serialize)]
pub struct DealsPage {
    pub title: String,
    pub lead: String,
    pub figures: Vec<Figure>,
    pub list: DealList,
}

pub fn hub(ctx: &Ctx) -> Hub {
    Hub {
        cards: cards(ctx, true),
        indexes: vec![
            Link::to(&ctx.t("board.people"), urls::PEOPLE),
            Link::to(&ctx.t("board.departments"), urls::DEPARTMENTS),
            Link::to(&ctx.t("board.regions"), urls::REGIONS),
        ],
        feed: urls::CHANGES_FEED.to_string(),
    }
}

/// Every view as a card; the overview leaves out the week's changes,
/// which it shows in full.
pub fn cards(ctx: &Ctx, with_changes: bool) -> Vec<Card> {
    View::ALL
        .into_iter()
        .filter(|v| with_changes || *v != View::Changes)
        .map(|v| card(ctx, v))
        .chain(std::iter::once(super::indexes::card(ctx)))
        .collect()
}

fn money_short(ctx: &Ctx, yuan: i64) -> String {
    ctx.money_short(yuan as f64)
}

/// The count, amount and weighted amount of some projects.
fn totals(ctx: &Ctx, projects: &[usize]) -> (usize, i64, f64) {
    let data = ctx.data;
    (
        projects.len(),
        projects.iter().map(|&i| amount(&data.projects[i])).sum(),
        projects
            .iter()
            .map(|&i| weighted(data, &data.projects[i]))
            .sum(),
    )
}

fn card(ctx: &Ctx, view: View) -> Card {
    let a = &ctx.analysis.attention;
    let mut stats = Vec::new();
    let page = deal_rows(ctx, view);
    let rows: Vec<ProjectRow> = page.iter().take(CARD_ROWS).cloned().collect();
    match view {
        View::Forecast => stats = super::forecast::card_stats(ctx),
        View::Closing => {
            for w in WINDOWS {
                let within: Vec<usize> = a
                    .closing
                    .iter()
                    .filter(|c| c.days <= w)
                    .map(|c| c.project)
                    .collect();
                let (n, amount, _) = totals(ctx, &within);
                stats.push(Stat::new(
                    ctx.i18n
                        .format(&Msg::new("board.within_days").arg("days", w)),
                    ctx.i18n.format(
                        &Msg::new("board.count_amount")
                            .arg("n", n)
                            .arg("amount", money_short(ctx, amount)),
                    ),
                ));
            }
        }
        View::Changes => stats = super::changes::card_stats(ctx),
        View::WinLoss => stats = super::winloss::card_stats(ctx),
        View::Biggest | View::Stuck | View::Neglected | View::Overdue => {
            let projects: Vec<usize> = match view {
                View::Biggest => a.biggest.clone(),
                View::Stuck => a.stuck.iter().map(|s| s.project).collect(),
                View::Neglected => a.neglected.iter().map(|n| n.project).collect(),
                _ => a.overdue.iter().map(|o| o.project).collect(),
            };
            let (n, amount, weighted) = totals(ctx, &projects);
            stats.push(Stat::new(ctx.t("board.count"), n.to_string()));
            stats.push(Stat::new(ctx.t("site.amount"), money_short(ctx, amount)));
            stats.push(Stat::new(ctx.t("site.weighted"), ctx.money_short(weighted)));
        }
    }
    let total = match view {
        View::Forecast => ctx.analysis.forecast.projects.len(),
        View::Changes => ctx.analysis.changes.moves.len() + ctx.analysis.changes.notes.len(),
        View::WinLoss => ctx.analysis.winloss.closed.len(),
        _ => page.len(),
    };
    Card {
        id: view.id(),
        title: view.title(ctx),
        href: urls::encode(&view.path()),
        stats,
        list: !matches!(view, View::Changes | View::WinLoss | View::Forecast),
        rows,
        more: ctx.i18n.format(&Msg::new("board.see_all").arg("n", total)),
        empty: ctx.t(&format!("board.{}_none", view.id())),
    }
}

/// The rows of an attention list, with the list's own column.
fn deal_rows(ctx: &Ctx, view: View) -> Vec<ProjectRow> {
    let a = &ctx.analysis.attention;
    let f = |key: &'static str| Msg::new(key);
    match view {
        View::Closing => a
            .closing
            .iter()
            .map(|c| {
                let mut r = deals::row(
                    ctx,
                    c.project,
                    ctx.i18n.format(&f("board.in_days").arg("days", c.days)),
                    format!("{:05}", c.days),
                );
                for w in WINDOWS.iter().filter(|&&w| c.days <= w) {
                    r.classes.push_str(&format!(" f-window-{w}"));
                }
                r
            })
            .collect(),
        View::Biggest => a
            .biggest
            .iter()
            .map(|&i| {
                let w = weighted(ctx.data, &ctx.data.projects[i]);
                deals::row(ctx, i, ctx.money_short(w), format!("{w:015.0}"))
            })
            .collect(),
        View::Stuck => a
            .stuck
            .iter()
            .map(|s| {
                let text = ctx.i18n.format(
                    &f("board.over_limit")
                        .arg("limit", s.limit)
                        .arg("over", s.days - s.limit),
                );
                deals::row(ctx, s.project, text, format!("{:05}", s.days - s.limit))
            })
            .collect(),
        View::Neglected => a
            .neglected
            .iter()
            .map(|n| {
                let text = match (n.last, n.days) {
                    (Some(last), Some(days)) => ctx
                        .i18n
                        .format(&f("board.quiet_days").arg("date", last).arg("days", days)),
                    _ => ctx.t("site.no_dates"),
                };
                let value = n.days.map_or(99_999, |d| d);
                deals::row(ctx, n.project, text, format!("{value:05}"))
            })
            .collect(),
        View::Overdue => a
            .overdue
            .iter()
            .map(|o| {
                let what = match o.kind {
                    OverdueKind::NextStep => ctx.t("board.overdue_next_step"),
                    OverdueKind::FollowUp { role } => ctx
                        .i18n
                        .format(&f("board.overdue_follow_up").arg("role", ctx.role_name(role))),
                };
                let text = ctx.i18n.format(
                    &f("board.overdue_item")
                        .arg("what", what)
                        .arg("due", o.due)
                        .arg("days", o.days),
                );
                deals::row(ctx, o.project, text, format!("{:05}", o.days))
            })
            .collect(),
        View::Forecast | View::Changes | View::WinLoss => Vec::new(),
    }
}

/// The page of an attention list.
pub fn page(ctx: &Ctx, view: View) -> DealsPage {
    let rows = deal_rows(ctx, view);
    let own = (view == View::Closing)
        .then(|| {
            filter_group(
                "window",
                ctx.t("board.window"),
                WINDOWS
                    .iter()
                    .map(|w| {
                        (
                            format!("f-window-{w}"),
                            ctx.i18n
                                .format(&Msg::new("board.within_days").arg("days", w)),
                        )
                    })
                    .collect(),
                &rows,
            )
        })
        .flatten();
    let extra = ctx.t(match view {
        View::Closing => "board.column_closing",
        View::Biggest => "site.weighted",
        View::Stuck => "board.column_stuck",
        View::Neglected => "board.column_neglected",
        _ => "board.column_overdue",
    });
    let a = &ctx.analysis.attention;
    let mut projects: Vec<usize> = match view {
        View::Closing => a.closing.iter().map(|c| c.project).collect(),
        View::Biggest => a.biggest.clone(),
        View::Stuck => a.stuck.iter().map(|s| s.project).collect(),
        View::Neglected => a.neglected.iter().map(|n| n.project).collect(),
        _ => a.overdue.iter().map(|o| o.project).collect(),
    };
    projects.sort_unstable();
    projects.dedup();
    let (n, amount, weighted) = totals(ctx, &projects);
    DealsPage {
        title: view.title(ctx),
        lead: view.lead(ctx),
        figures: vec![
            Figure::new(ctx.t("board.projects"), n.to_string(), String::new()),
            Figure::new(
                ctx.t("site.amount"),
                money_short(ctx, amount),
                ctx.per_project(amount as f64, n),
            ),
            Figure::new(
                ctx.t("site.weighted"),
                ctx.money_short(weighted),
                ctx.t("site.figure_weighted_detail"),
            ),
        ],
        list: deals::list(
            ctx,
            rows,
            extra,
            own,
            ctx.t(&format!("board.{}_none", view.id())),
        ),
    }
}

/// A share as text, or a dash.
pub fn share(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), percent)
}
