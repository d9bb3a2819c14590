//! Project lists (all projects, and one page per owner, department and
//! region) with filters that work without JavaScript, and the notes feed.

use std::collections::BTreeSet;

use serde::Serialize;

use super::feeds::Subscribe;
use super::paging::{self, Pager};
use super::pending::{PendingRow, row};
use super::{
    Ctx, Figure, FilterGroup, FilterOption, NoteSummary, ProjectRow, filter_css, note_summary,
    project_row,
};
use crate::analyze::pending::owers;
use crate::diag::Msg;
use crate::model::{Note, Project, Status};
use crate::render::urls;

#[derive(Serialize)]
pub struct ListPage {
    pub title: String,
    pub subtitle: String,
    /// "36 projects, 25 active, pipeline ¥…".
    pub summary: String,
    /// On a person's, department's or region's page: their figures.
    pub figures: Vec<Figure>,
    /// On a person's page: their calendar feed.
    pub subscribe: Option<Subscribe>,
    /// On a person's page: what they still owe, the most urgent first.
    pub pending: Vec<PendingRow>,
    /// How many more they owe than `pending` shows.
    pub pending_more: usize,
    pub rows: Vec<ProjectRow>,
    /// On a long list: which page this is (the filters apply to its rows).
    pub pager: Option<Pager>,
    pub filters: Vec<FilterGroup>,
    pub filter_css: String,
}

/// Which page of which list to make.
#[derive(Clone, Copy)]
pub struct Which<'a> {
    /// The site path of the list's first page.
    pub first: &'a str,
    /// 1-based.
    pub number: usize,
}

/// Page `which` of the list of the projects `keep` selects (by index). The summary
/// counts the whole list; the rows and filters are the page's.
pub fn build(
    ctx: &Ctx,
    title: String,
    subtitle: String,
    which: Which,
    keep: impl Fn(usize) -> bool,
) -> ListPage {
    let facets = ctx.facets();
    let kept: Vec<usize> = (0..ctx.data.projects.len()).filter(|&i| keep(i)).collect();
    let active: Vec<&Project> = kept
        .iter()
        .map(|&i| ctx.project(i))
        .filter(|p| p.status() == Status::Active)
        .collect();
    let summary = ctx.i18n.format(
        &Msg::new("site.list_summary")
            .arg("n", kept.len())
            .arg("active", active.len())
            .arg(
                "amount",
                ctx.money_short(
                    active
                        .iter()
                        .map(|p| super::shown_amount(p).unwrap_or(0))
                        .sum::<i64>() as f64,
                ),
            ),
    );
    let rows: Vec<ProjectRow> = kept[paging::range(kept.len(), which.number)]
        .iter()
        .map(|&i| project_row(ctx, facets, i))
        .collect();
    let filters = facets.groups(ctx, &rows);
    ListPage {
        title,
        subtitle,
        summary,
        figures: Vec::new(),
        subscribe: None,
        pending: Vec::new(),
        pending_more: 0,
        filter_css: filter_css(&filters),
        filters,
        pager: paging::pager(which.first, kept.len(), which.number),
        rows,
    }
}

/// How many rows the list of the projects `keep` selects has.
pub fn count(ctx: &Ctx, keep: impl Fn(&Project) -> bool) -> usize {
    ctx.data.projects.iter().filter(|p| keep(p)).count()
}

/// The people whose page lists a project: its owner, and whoever owes a
/// judgement on it in one of their roles (as the pending page assigns
/// them). Sorted; [`Ctx::listed`] keeps it for every project.
pub fn people_listing(ctx: &Ctx, p: &Project) -> Vec<usize> {
    let people = &ctx.data.team.people;
    let mut on: Vec<usize> = p
        .owner
        .as_ref()
        .and_then(|o| ctx.data.team.index_of(&o.value))
        .into_iter()
        .collect();
    for role in 0..ctx.data.process.roles.len() {
        on.extend(
            owers(ctx.data, p, role)
                .into_iter()
                .filter(|&i| people[i].roles.contains(&role)),
        );
    }
    on.sort_unstable();
    on.dedup();
    on
}

/// Whether a project is on a person's page ([`people_listing`]).
pub fn is_persons(ctx: &Ctx, index: usize, p: &Project) -> bool {
    people_listing(ctx, p).contains(&index)
}

/// How many projects each person's page lists, in one pass over the
/// projects rather than one per person.
pub fn person_counts(ctx: &Ctx) -> Vec<usize> {
    let mut counts = vec![0; ctx.data.team.people.len()];
    for people in ctx.listed() {
        for &i in people {
            counts[i] += 1;
        }
    }
    counts
}

/// What a person's first page lists of what they owe: the most urgent;
/// the pending page has the rest.
const PERSON_PENDING: usize = 100;

/// A person's page: their figures and what they owe (on the first page),
/// then their projects.
pub fn person(ctx: &Ctx, index: usize, subtitle: String, base_url: &str, which: Which) -> ListPage {
    let person = &ctx.data.team.people[index];
    let mut page = build(ctx, person.name.clone(), subtitle, which, |i| {
        ctx.listed()[i].contains(&index)
    });
    if which.number > 1 {
        return page;
    }
    let owed: Vec<_> = ctx
        .analysis
        .pending
        .iter()
        .filter(|i| i.people.contains(&index))
        .collect();
    page.pending_more = owed.len().saturating_sub(PERSON_PENDING);
    page.pending = owed
        .into_iter()
        .take(PERSON_PENDING)
        .map(|i| row(ctx, i))
        .collect();
    page.figures = super::indexes::figures(ctx, &ctx.analysis.people.people[index]);
    page.subscribe = Some(super::feeds::subscribe(ctx, index, base_url));
    page
}

/// A breakdown page: one department or region.
#[derive(Clone, Debug)]
pub struct Group {
    pub path: String,
    pub title: String,
    /// i18n key of what the group is (所在部门, 地区).
    pub kind: &'static str,
    value: String,
    of: fn(&Project) -> Option<String>,
}

impl Group {
    pub fn contains(&self, p: &Project) -> bool {
        (self.of)(p).as_deref() == Some(self.value.as_str())
    }

    /// The group's page: its projects, after its figures.
    pub fn page(&self, ctx: &Ctx, number: usize) -> ListPage {
        let which = Which {
            first: &self.path,
            number,
        };
        let mut page = build(ctx, self.title.clone(), ctx.t(self.kind), which, |i| {
            self.contains(ctx.project(i))
        });
        let people = &ctx.analysis.people;
        let groups = if self.kind == "site.department" {
            &people.departments
        } else {
            &people.regions
        };
        if let Some(g) = groups.iter().find(|g| g.name == self.value) {
            page.figures = super::indexes::figures(ctx, &g.figures);
        }
        page
    }
}

fn department_of(p: &Project) -> Option<String> {
    p.header.get("department").map(|d| d.value.clone())
}

fn region_of(p: &Project) -> Option<String> {
    p.header
        .get("region")
        .map(|r| urls::region_group(&r.value).to_string())
}

/// A breakdown: what it is, a project's value in it, and the page of a value.
type Breakdown = (
    &'static str,
    fn(&Project) -> Option<String>,
    fn(&str) -> String,
);

/// The groups projects fall into: by department and by region.
const BREAKDOWNS: [Breakdown; 2] = [
    ("site.department", department_of, urls::department),
    ("site.region", region_of, urls::region),
];

/// How many projects each of `groups` has, in one pass over the projects.
pub fn group_counts(ctx: &Ctx, groups: &[Group]) -> Vec<usize> {
    let mut by_value: std::collections::HashMap<(&str, String), usize> = Default::default();
    for p in &ctx.data.projects {
        for (kind, of, _) in BREAKDOWNS {
            if let Some(value) = of(p) {
                *by_value.entry((kind, value)).or_default() += 1;
            }
        }
    }
    groups
        .iter()
        .map(|g| {
            by_value
                .get(&(g.kind, g.value.clone()))
                .copied()
                .unwrap_or_default()
        })
        .collect()
}

/// One page per department and per region that projects have.
pub fn groups(ctx: &Ctx) -> Vec<Group> {
    let mut out = Vec::new();
    for (kind, of, path) in BREAKDOWNS {
        let values: std::collections::BTreeSet<String> =
            ctx.data.projects.iter().filter_map(of).collect();
        out.extend(values.into_iter().map(|v| Group {
            path: path(&v),
            title: v.clone(),
            kind,
            value: v,
            of,
        }));
    }
    out
}

/// One page of the notes feed.
#[derive(Serialize)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// Filters by project, author and kind over the page's notes, which
    /// work without JavaScript (radio buttons and the CSS below).
    pub filters: Vec<FilterGroup>,
    pub filter_css: String,
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

/// Where note `n` is among its project's notes.
fn note_index(ctx: &Ctx, project: usize, n: &Note) -> usize {
    ctx.project(project)
        .notes
        .iter()
        .position(|x| std::ptr::eq(x, n))
        .unwrap_or_default()
}

/// How many pages the feed has.
pub fn feed_count(ctx: &Ctx) -> usize {
    let notes: usize = ctx.data.projects.iter().map(|p| p.notes.len()).sum();
    notes.div_ceil(FEED_PAGE).max(1)
}

/// Which of `total` notes (newest first) page `number` (1-based) shows.
pub fn feed_rows(total: usize, number: usize) -> std::ops::Range<usize> {
    ((number - 1) * FEED_PAGE).min(total)..(number * FEED_PAGE).min(total)
}

/// Page `number` (1-based) of the feed, newest notes first.
pub fn feed_page(ctx: &Ctx, number: usize) -> FeedPage {
    let notes = ctx.notes();
    let total = notes.len();
    let pages = total.div_ceil(FEED_PAGE).max(1);
    let i = number - 1;
    let shown = &notes[feed_rows(total, number)];
    let facets = FeedFacets::of(ctx, shown);
    let items = shown
        .iter()
        .map(|&(p, n)| FeedItem {
            classes: facets.classes(ctx, p, n),
            note: note_summary(ctx, p, n),
            // The note as its project page shows it, its headings one
            // level up: here its title is an `<h2>`.
            body: super::raise_headings(ctx.note_html(p, note_index(ctx, p, n)), 1),
        })
        .collect::<Vec<_>>();
    let filters = facets.groups(ctx, &items);
    FeedPage {
        filter_css: filter_css(&filters),
        filters,
        items,
        total,
        number,
        pages,
        newer: (i > 0).then(|| urls::encode(&feed_path(i))),
        older: (number < pages).then(|| urls::encode(&feed_path(number + 1))),
    }
}

#[derive(Serialize)]
pub struct FeedItem {
    #[serde(flatten)]
    pub note: NoteSummary,
    pub body: String,
    /// The filter classes the note matches (`f-kind-0 f-author-2 …`).
    pub classes: String,
}

/// The projects, authors and kinds of the notes on a feed page, in a
/// stable order, for its filters.
struct FeedFacets {
    projects: Vec<usize>,
    authors: Vec<String>,
    kinds: Vec<usize>,
}

impl FeedFacets {
    fn of(ctx: &Ctx, notes: &[(usize, &Note)]) -> FeedFacets {
        let mut projects = BTreeSet::new();
        let mut authors = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for &(p, n) in notes {
            projects.insert(p);
            if let Some(a) = &n.author {
                authors.insert(ctx.person_name(&a.value));
            }
            if let Some(k) = &n.kind {
                kinds.insert(k.value);
            }
        }
        FeedFacets {
            projects: projects.into_iter().collect(),
            authors: authors.into_iter().collect(),
            kinds: kinds.into_iter().collect(),
        }
    }

    fn classes(&self, ctx: &Ctx, p: usize, n: &Note) -> String {
        let mut out = Vec::new();
        if let Some(i) = self.projects.iter().position(|&x| x == p) {
            out.push(format!("f-project-{i}"));
        }
        if let Some(a) = &n.author {
            let name = ctx.person_name(&a.value);
            if let Some(i) = self.authors.iter().position(|x| *x == name) {
                out.push(format!("f-author-{i}"));
            }
        }
        if let Some(i) = n
            .kind
            .as_ref()
            .and_then(|k| self.kinds.iter().position(|&x| x == k.value))
        {
            out.push(format!("f-kind-{i}"));
        }
        out.join(" ")
    }

    fn groups(&self, ctx: &Ctx, items: &[FeedItem]) -> Vec<FilterGroup> {
        let process = &ctx.data.process;
        let group = |id: &'static str, label: &str, options: Vec<(String, String)>| {
            let options: Vec<FilterOption> = options
                .into_iter()
                .map(|(key, label)| FilterOption {
                    count: items
                        .iter()
                        .filter(|it| it.classes.split(' ').any(|c| c == key))
                        .count(),
                    key,
                    label,
                })
                .collect();
            (options.len() > 1).then(|| FilterGroup {
                id,
                label: ctx.t(label),
                options,
            })
        };
        [
            group(
                "kind",
                "site.kind",
                self.kinds
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| {
                        (
                            format!("f-kind-{i}"),
                            ctx.text(&process.note_kinds[k].name).to_string(),
                        )
                    })
                    .collect(),
            ),
            group(
                "author",
                "site.author",
                self.authors
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (format!("f-author-{i}"), a.clone()))
                    .collect(),
            ),
            group(
                "project",
                "site.project",
                self.projects
                    .iter()
                    .enumerate()
                    .map(|(i, &p)| (format!("f-project-{i}"), ctx.project(p).code.value.clone()))
                    .collect(),
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_one_pass_are_what_the_pages_list() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = crate::load::read(root).unwrap();
        let repo = crate::pipeline::load(&files, Some("en")).unwrap();
        let checked = repo.check(jiff::civil::date(2026, 11, 26));
        let analysis = checked.analyze().unwrap();
        let data = checked.data().unwrap();
        let i18n = checked.i18n.for_pages(&data.process);
        let report = &checked.report;
        let ctx = Ctx::new(
            &checked.config,
            data,
            &analysis,
            &report.findings,
            &report.sources,
            &i18n,
        );
        let people = person_counts(&ctx);
        for (i, &n) in people.iter().enumerate() {
            assert_eq!(n, count(&ctx, |p| is_persons(&ctx, i, p)), "person {i}");
        }
        assert!(people.iter().filter(|&&n| n > 0).count() > 3, "{people:?}");
        let groups = groups(&ctx);
        let counts = group_counts(&ctx, &groups);
        for (g, &n) in groups.iter().zip(&counts) {
            assert_eq!(n, count(&ctx, |p| g.contains(p)), "{}", g.path);
            assert!(n > 0, "{}", g.path);
        }
    }
}
