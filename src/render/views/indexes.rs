//! The indexes of people, departments and regions, each a leaderboard:
//! pipeline, weighted, won this year, win rate, notes and visits of the
//! last 30 days, entries owed and overdue. A person's, department's or
//! region's own page starts with the same figures.

use serde::Serialize;

use super::board::{Card, Stat, share};
use super::{Ctx, Figure, Link};
use crate::analyze::people::{ACTIVITY_DAYS, Figures};
use crate::diag::Msg;
use crate::render::urls;

#[derive(Serialize)]
pub struct LeaderRow {
    pub name: Link,
    /// Department and roles of a person; empty for a group.
    pub meta: String,
    pub projects: usize,
    pub active: usize,
    pub pipeline: String,
    pub pipeline_value: i64,
    pub weighted: String,
    pub weighted_value: i64,
    pub won: usize,
    pub won_amount: String,
    pub won_value: i64,
    pub win_rate: String,
    pub notes: usize,
    pub visits: usize,
    pub owed: usize,
    pub overdue: usize,
}

#[derive(Serialize)]
pub struct IndexPage {
    pub title: String,
    pub lead: String,
    /// people | departments | regions
    pub kind: &'static str,
    pub rows: Vec<LeaderRow>,
    /// Links to the other indexes.
    pub others: Vec<Link>,
}

fn row(ctx: &Ctx, name: Link, meta: String, f: &Figures) -> LeaderRow {
    LeaderRow {
        name,
        meta,
        projects: f.projects,
        active: f.active,
        pipeline: ctx.money_short(f.pipeline as f64),
        pipeline_value: f.pipeline,
        weighted: ctx.money_short(f.weighted),
        weighted_value: f.weighted.round() as i64,
        won: f.won,
        won_amount: ctx.money_short(f.won_amount as f64),
        won_value: f.won_amount,
        win_rate: share(f.win_rate()),
        notes: f.notes,
        visits: f.visits,
        owed: f.owed,
        overdue: f.overdue,
    }
}

/// Best first: most won this year, then the largest weighted pipeline.
fn rank(a: &Figures, b: &Figures) -> std::cmp::Ordering {
    b.won_amount
        .cmp(&a.won_amount)
        .then(b.weighted.total_cmp(&a.weighted))
}

/// Team members in leaderboard order.
fn ranked_people(ctx: &Ctx) -> Vec<usize> {
    let figures = &ctx.analysis.people.people;
    let mut order: Vec<usize> = (0..figures.len()).collect();
    order.sort_by(|&a, &b| rank(&figures[a], &figures[b]).then(a.cmp(&b)));
    order
}

fn lead(ctx: &Ctx, key: &'static str) -> String {
    ctx.i18n.format(
        &Msg::new(key)
            .arg("year", ctx.analysis.people.year)
            .arg("days", ACTIVITY_DAYS),
    )
}

fn others(ctx: &Ctx, except: &str) -> Vec<Link> {
    [
        ("people", "board.people", urls::PEOPLE),
        ("departments", "board.departments", urls::DEPARTMENTS),
        ("regions", "board.regions", urls::REGIONS),
    ]
    .into_iter()
    .filter(|(id, _, _)| *id != except)
    .map(|(_, key, path)| Link::to(&ctx.t(key), path))
    .collect()
}

pub fn people(ctx: &Ctx) -> IndexPage {
    let team = &ctx.data.team.people;
    let figures = &ctx.analysis.people.people;
    let rows = ranked_people(ctx)
        .into_iter()
        .map(|i| {
            let p = &team[i];
            let roles: Vec<&str> = p.roles.iter().map(|&r| ctx.role_name(r)).collect();
            let meta = [
                p.department.clone().unwrap_or_default(),
                roles.join(ctx.i18n.get("site.list_sep")),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
            row(ctx, Link::person(p), meta, &figures[i])
        })
        .collect();
    IndexPage {
        title: ctx.t("board.people"),
        lead: lead(ctx, "board.people_lead"),
        kind: "people",
        rows,
        others: others(ctx, "people"),
    }
}

fn groups(
    ctx: &Ctx,
    kind: &'static str,
    groups: &[crate::analyze::people::Group],
    path: fn(&str) -> String,
) -> IndexPage {
    let mut order: Vec<&crate::analyze::people::Group> = groups.iter().collect();
    order.sort_by(|a, b| rank(&a.figures, &b.figures).then(a.name.cmp(&b.name)));
    IndexPage {
        title: ctx.t(&format!("board.{kind}")),
        lead: lead(ctx, "board.groups_lead"),
        kind,
        rows: order
            .into_iter()
            .map(|g| {
                row(
                    ctx,
                    Link::to(&g.name, &path(&g.name)),
                    String::new(),
                    &g.figures,
                )
            })
            .collect(),
        others: others(ctx, kind),
    }
}

pub fn departments(ctx: &Ctx) -> IndexPage {
    groups(
        ctx,
        "departments",
        &ctx.analysis.people.departments,
        urls::department,
    )
}

pub fn regions(ctx: &Ctx) -> IndexPage {
    groups(ctx, "regions", &ctx.analysis.people.regions, urls::region)
}

/// The figures a person's, department's or region's page starts with.
pub fn figures(ctx: &Ctx, f: &Figures) -> Vec<Figure> {
    let year = ctx.analysis.people.year;
    let fmt = |key: &'static str| Msg::new(key);
    vec![
        Figure::new(
            ctx.t("site.figure_pipeline"),
            ctx.money_short(f.pipeline as f64),
            ctx.i18n
                .format(&fmt("board.active_count").arg("n", f.active)),
        ),
        Figure::new(
            ctx.t("site.figure_weighted"),
            ctx.money_short(f.weighted),
            ctx.t("site.figure_weighted_detail"),
        ),
        Figure::new(
            ctx.i18n.format(&fmt("site.figure_won").arg("year", year)),
            ctx.money_short(f.won_amount as f64),
            ctx.i18n.format(&fmt("board.won_count").arg("n", f.won)),
        ),
        Figure::new(
            ctx.i18n
                .format(&fmt("site.figure_win_rate").arg("year", year)),
            share(f.win_rate()),
            ctx.i18n.format(
                &fmt("site.figure_win_rate_detail")
                    .arg("won", f.won)
                    .arg("lost", f.lost),
            ),
        ),
        Figure::new(
            ctx.i18n
                .format(&fmt("board.notes_in_days").arg("days", ACTIVITY_DAYS)),
            f.notes.to_string(),
            ctx.i18n
                .format(&fmt("board.visits_count").arg("n", f.visits)),
        ),
        Figure::new(
            ctx.t("board.owed"),
            f.owed.to_string(),
            ctx.i18n
                .format(&fmt("board.overdue_count").arg("n", f.overdue)),
        ),
    ]
}

/// The people card: the first three of the leaderboard.
pub fn card(ctx: &Ctx) -> Card {
    let team = &ctx.data.team.people;
    let figures = &ctx.analysis.people.people;
    let stats = ranked_people(ctx)
        .into_iter()
        .filter(|&i| figures[i].projects > 0)
        .take(3)
        .map(|i| Stat {
            label: team[i].name.clone(),
            value: ctx.i18n.format(
                &Msg::new("board.person_stat")
                    .arg("won", ctx.money_short(figures[i].won_amount as f64))
                    .arg("weighted", ctx.money_short(figures[i].weighted)),
            ),
            href: Some(urls::encode(&urls::person(&team[i].id.value))),
        })
        .collect();
    Card {
        id: "people",
        title: ctx.t("board.people"),
        href: urls::encode(urls::PEOPLE),
        stats,
        list: false,
        rows: Vec::new(),
        more: ctx
            .i18n
            .format(&Msg::new("board.see_all").arg("n", team.len())),
        empty: ctx.t("board.people_none"),
    }
}
