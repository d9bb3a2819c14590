//! Project lists (all projects, and one page per owner, department and
//! region) with filters that work without JavaScript, and the notes feed.

use serde::Serialize;

use super::pending::{PendingRow, row};
use super::targets;
use super::{
    Ctx, Facets, FilterGroup, NoteSummary, ProjectRow, all_notes, filter_css, note_summary,
    project_row,
};
use crate::model::Project;
use crate::render::urls;

#[derive(Serialize)]
pub struct ListPage {
    pub title: String,
    pub subtitle: String,
    /// On a person's page: what they still owe.
    pub pending: Vec<PendingRow>,
    pub rows: Vec<ProjectRow>,
    pub filters: Vec<FilterGroup>,
    pub filter_css: String,
    pub total_amount: String,
}

/// A list page of the projects `keep` selects.
pub fn build(
    ctx: &Ctx,
    title: String,
    subtitle: String,
    keep: impl Fn(&Project) -> bool,
) -> ListPage {
    let facets = Facets::of(ctx);
    let rows: Vec<ProjectRow> = (0..ctx.data.projects.len())
        .filter(|&i| keep(ctx.project(i)))
        .map(|i| project_row(ctx, &facets, i))
        .collect();
    let filters = facets.groups(ctx, &rows);
    ListPage {
        title,
        subtitle,
        pending: Vec::new(),
        total_amount: ctx.money(rows.iter().map(|r| r.amount_value).sum()),
        filter_css: filter_css(&filters),
        filters,
        rows,
    }
}

/// A person's page: the projects they own and what they owe.
pub fn person(ctx: &Ctx, index: usize, subtitle: String) -> ListPage {
    let person = &ctx.data.team.people[index];
    let mut page = build(ctx, person.name.clone(), subtitle, |p| {
        p.owner
            .as_ref()
            .and_then(|o| ctx.data.team.find(&o.value))
            .is_some_and(|x| x.id == person.id)
    });
    page.pending = ctx
        .analysis
        .pending
        .iter()
        .filter(|i| i.people.contains(&index))
        .map(|i| row(ctx, i))
        .collect();
    page
}

/// The groups a breakdown has pages for: (site path, title, selector).
pub struct Group {
    pub path: String,
    pub title: String,
    pub key: String,
}

pub fn departments(ctx: &Ctx) -> Vec<Group> {
    distinct(
        ctx,
        |p| p.header.get("department").map(|d| d.value.clone()),
        urls::department,
    )
}

pub fn regions(ctx: &Ctx) -> Vec<Group> {
    distinct(
        ctx,
        |p| {
            p.header
                .get("region")
                .map(|r| urls::region_group(&r.value).to_string())
        },
        urls::region,
    )
}

fn distinct(
    ctx: &Ctx,
    value: impl Fn(&Project) -> Option<String>,
    path: fn(&str) -> String,
) -> Vec<Group> {
    let mut values: Vec<String> = ctx.data.projects.iter().filter_map(&value).collect();
    values.sort();
    values.dedup();
    values
        .into_iter()
        .map(|v| Group {
            path: path(&v),
            title: v.clone(),
            key: v,
        })
        .collect()
}

/// One page of the notes feed.
#[derive(Serialize)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    pub total: usize,
    pub number: usize,
    pub pages: usize,
    pub newer: Option<String>,
    pub older: Option<String>,
}

/// Notes per feed page: a big repo's feed stays quick to open.
pub const FEED_PAGE: usize = 100;

/// The site path of feed page `n` (1-based).
pub fn feed_path(n: usize) -> String {
    if n == 1 {
        "notes/index.html".to_string()
    } else {
        format!("notes/page-{n}.html")
    }
}

/// Headings inside a note sit below its `<h2>` title in the feed.
const FEED_HEADING_SHIFT: u8 = 2;

/// The feed split into pages, newest first.
pub fn feed_pages(ctx: &Ctx) -> Vec<FeedPage> {
    let notes = all_notes(ctx.data);
    let total = notes.len();
    let pages = total.div_ceil(FEED_PAGE).max(1);
    (0..pages)
        .map(|i| {
            let from = feed_path(i + 1);
            let items = notes
                .iter()
                .skip(i * FEED_PAGE)
                .take(FEED_PAGE)
                .map(|&(p, n)| FeedItem {
                    note: note_summary(ctx, p, n),
                    body: targets::markdown(
                        ctx.project(p),
                        &n.rel,
                        &n.body,
                        &from,
                        FEED_HEADING_SHIFT,
                    ),
                })
                .collect();
            FeedPage {
                items,
                total,
                number: i + 1,
                pages,
                newer: (i > 0).then(|| urls::encode(&feed_path(i))),
                older: (i + 1 < pages).then(|| urls::encode(&feed_path(i + 2))),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct FeedItem {
    #[serde(flatten)]
    pub note: NoteSummary,
    pub body: String,
}
