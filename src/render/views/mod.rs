//! View models: what each page template gets, built from the data by pure
//! functions. Everything is formatted here (names in the reader's
//! language, amounts, links), so templates only lay out; every value they
//! print is autoescaped.

pub mod board;
pub mod changes;
pub mod deals;
pub mod feeds;
pub mod fill;
pub mod findings;
pub mod forecast;
pub mod indexes;
pub mod lists;
pub mod overview;
pub mod paging;
pub mod pending;
pub mod project;
pub mod stage;
pub mod targets;
pub mod winloss;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Serialize;

use super::format;
use super::urls;
use crate::analyze::{Analysis, Flag};
use crate::config::Config;
use crate::diag::{Finding, SourceMap};
use crate::i18n::I18n;
use crate::model::{Dataset, Note, Project, Status};

/// Any page one folder deep that is no project's page: notes' links are
/// written as seen from there.
const NOTE_PAGES: &str = "notes/index.html";

/// The level of a note's top heading: below its `<h3>` title on the
/// project page.
pub const NOTE_TOP_HEADING: u8 = 4;

/// Moves every heading of rendered HTML `by` levels up (a note shown
/// under an `<h2>` instead of an `<h3>`): a string edit of tags the
/// renderer wrote, cheaper than rendering the Markdown again.
pub fn raise_headings(html: &str, by: u8) -> String {
    let mut out = html.to_string();
    for level in 2..=6u8 {
        let to = level.saturating_sub(by).max(1);
        out = out
            .replace(&format!("<h{level}>"), &format!("<h{to}>"))
            .replace(&format!("</h{level}>"), &format!("</h{to}>"));
    }
    out
}

/// What every view is built from.
pub struct Ctx<'a> {
    pub config: &'a Config,
    pub data: &'a Dataset,
    pub analysis: &'a Analysis,
    pub findings: &'a [Finding],
    pub sources: &'a SourceMap,
    pub i18n: &'a I18n,
    /// Made on first use, then shared by every page of this renderer
    /// (pages may be rendered on several threads at once).
    facets: OnceLock<Facets>,
    notes: OnceLock<Vec<(usize, &'a Note)>>,
    /// By project: the people whose page lists it.
    listed: OnceLock<Vec<Vec<usize>>>,
    /// Each note's HTML, by project and note: rendered once for the
    /// project page and the notes feed.
    note_html: Vec<Vec<OnceLock<String>>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        config: &'a Config,
        data: &'a Dataset,
        analysis: &'a Analysis,
        findings: &'a [Finding],
        sources: &'a SourceMap,
        i18n: &'a I18n,
    ) -> Self {
        Ctx {
            config,
            data,
            analysis,
            findings,
            sources,
            i18n,
            facets: OnceLock::new(),
            notes: OnceLock::new(),
            listed: OnceLock::new(),
            note_html: data
                .projects
                .iter()
                .map(|p| p.notes.iter().map(|_| OnceLock::new()).collect())
                .collect(),
        }
    }

    /// The values the project lists filter by.
    pub fn facets(&self) -> &Facets {
        self.facets.get_or_init(|| Facets::of(self.data))
    }

    /// Every note of every project, newest first (ties by project and
    /// file).
    pub fn notes(&self) -> &[(usize, &'a Note)] {
        self.notes.get_or_init(|| all_notes(self.data))
    }

    /// By project: the people whose page lists it
    /// ([`lists::people_listing`]), found once for every person's page.
    pub fn listed(&self) -> &[Vec<usize>] {
        use rayon::prelude::*;
        self.listed.get_or_init(|| {
            self.data
                .projects
                .par_iter()
                .map(|p| lists::people_listing(self, p))
                .collect()
        })
    }

    /// Note `note` of project `project` as HTML, made once and shared by
    /// the project page and the notes feed. Both pages sit one folder deep,
    /// so links are written as seen from there (a note of the same project
    /// as `../projects/X.html#note-…`, which works on its own page too);
    /// the top heading sits below an `<h3>` title ([`NOTE_TOP_HEADING`]).
    pub fn note_html(&self, project: usize, note: usize) -> &str {
        self.note_html[project][note].get_or_init(|| {
            let p = self.project(project);
            let n = &p.notes[note];
            targets::markdown(self, p, &n.rel, &n.body, NOTE_PAGES, NOTE_TOP_HEADING)
        })
    }
}

impl Ctx<'_> {
    pub fn locale(&self) -> &str {
        self.i18n.locale()
    }

    pub fn text<'t>(&self, text: &'t crate::process::Text) -> &'t str {
        self.data.process.text(text, self.locale())
    }

    pub fn stage_name(&self, stage: usize) -> &str {
        self.text(&self.data.process.stages[stage].name)
    }

    pub fn role_name(&self, role: usize) -> &str {
        self.text(&self.data.process.roles[role].name)
    }

    pub fn status_name(&self, status: Status) -> String {
        self.i18n
            .get(&format!("status.{}", status.id()))
            .to_string()
    }

    /// A person's name for an id (the id itself for someone not in the team).
    pub fn person_name(&self, id: &str) -> String {
        self.data
            .team
            .find(id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    }

    /// A link to a person's page, when the person is in the team.
    pub fn person_link(&self, id: &str) -> Link {
        self.data
            .team
            .find(id)
            .map_or_else(|| Link::text(id), Link::person)
    }

    /// A link to a stage's page, named in the reader's language.
    pub fn stage_link(&self, stage: usize) -> Link {
        Link::to(
            self.stage_name(stage),
            &urls::stage(&self.data.process.stages[stage].id),
        )
    }

    pub fn money(&self, yuan: i64) -> String {
        format::money(self.i18n, yuan)
    }

    pub fn money_short(&self, yuan: f64) -> String {
        format::money_short(self.i18n, yuan)
    }

    /// The average amount per project, for the line under a total (empty
    /// without projects).
    pub fn per_project(&self, total: f64, projects: usize) -> String {
        if projects == 0 {
            return String::new();
        }
        self.i18n.format(
            &crate::diag::Msg::new("site.per_project")
                .arg("amount", self.money_short(total / projects as f64)),
        )
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.get(key).to_string()
    }

    pub fn project(&self, i: usize) -> &Project {
        &self.data.projects[i]
    }
}

/// A condition's state as the pages show it: (id, label).
pub fn cond_state(ctx: &Ctx, state: crate::model::CondState) -> (&'static str, String) {
    (state.id(), ctx.t(&format!("site.cond_{}", state.id())))
}

/// An optional text value, empty when absent.
pub fn text(v: Option<&crate::span::Sp<String>>) -> String {
    v.map_or_else(String::new, |s| s.value.clone())
}

/// An optional date, empty when absent.
pub fn date(v: Option<&crate::span::Sp<jiff::civil::Date>>) -> String {
    v.map_or_else(String::new, |d| d.value.to_string())
}

/// Text with an optional link (a site path, already percent-encoded; the
/// template prefixes it with the page's way back to the root).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Link {
    pub text: String,
    pub href: Option<String>,
}

impl Link {
    /// A link to a team member's page.
    pub fn person(p: &crate::model::Person) -> Link {
        Link::to(&p.name, &urls::person(&p.id.value))
    }

    /// A link to a site path, which may end in a `#fragment`.
    pub fn to(text: &str, path: &str) -> Link {
        let href = match path.split_once('#') {
            Some((page, fragment)) => format!("{}#{}", urls::encode(page), urls::encode(fragment)),
            None => urls::encode(path),
        };
        Link {
            text: text.to_string(),
            href: Some(href),
        }
    }

    pub fn text(text: &str) -> Link {
        Link {
            text: text.to_string(),
            href: None,
        }
    }
}

/// A key figure: a label, the value, and a line of detail.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub detail: String,
}

impl Figure {
    pub fn new(label: String, value: String, detail: String) -> Figure {
        Figure {
            label,
            value,
            detail,
        }
    }
}

/// A flag on a project in a list.
#[derive(Clone, Debug, Serialize)]
pub struct FlagView {
    /// overdue_next_step | stuck | stale | past_close
    pub id: &'static str,
    pub label: String,
}

/// The flags of project `i`, in the reader's language.
pub fn flags(ctx: &Ctx, i: usize) -> Vec<FlagView> {
    ctx.analysis.flags[i]
        .iter()
        .map(|&f: &Flag| FlagView {
            id: f.id(),
            label: ctx.t(&format!("board.flag_{}", f.id())),
        })
        .collect()
}

/// One project in a list.
#[derive(Clone, Debug, Serialize)]
pub struct ProjectRow {
    pub code: String,
    pub name: String,
    pub href: String,
    pub owner: Link,
    pub department: Link,
    pub region: Link,
    pub stage: Link,
    pub stage_index: usize,
    pub status: &'static str,
    pub status_name: String,
    /// The estimate; for a won project, its contract value.
    pub amount: String,
    pub amount_value: i64,
    pub expected_close: String,
    pub next_date: String,
    pub next_what: String,
    pub stale: bool,
    /// Days in the current stage (active projects), and the same as a
    /// number to sort by (-1: unknown).
    pub days_in_stage: String,
    pub days_value: i64,
    pub flags: Vec<FlagView>,
    /// A list's own column (days overdue, days over the limit, …), and
    /// what it sorts by.
    pub extra: String,
    pub extra_value: String,
    /// Filter classes (`f-owner-2 f-department-0 …`) for the no-JavaScript
    /// filters.
    pub classes: String,
}

/// A filter dimension of a project list and its values.
#[derive(Clone, Debug, Serialize)]
pub struct FilterGroup {
    pub id: &'static str,
    pub label: String,
    pub options: Vec<FilterOption>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FilterOption {
    /// Class on matching rows (`f-owner-2`), and (prefixed with `r-`) the
    /// radio's id.
    pub key: String,
    pub label: String,
    pub count: usize,
}

/// The values of the filter dimensions, in a stable order.
pub struct Facets {
    owners: Vec<String>,
    departments: Vec<String>,
    regions: Vec<String>,
}

impl Facets {
    fn of(data: &Dataset) -> Facets {
        let mut owners = BTreeSet::new();
        let mut departments = BTreeSet::new();
        let mut regions = BTreeSet::new();
        for p in &data.projects {
            if let Some(o) = &p.owner {
                owners.insert(o.value.clone());
            }
            if let Some(d) = p.header.get("department") {
                departments.insert(d.value.clone());
            }
            if let Some(r) = p.header.get("region") {
                regions.insert(urls::region_group(&r.value).to_string());
            }
        }
        Facets {
            owners: owners.into_iter().collect(),
            departments: departments.into_iter().collect(),
            regions: regions.into_iter().collect(),
        }
    }

    fn index(list: &[String], value: Option<&str>) -> Option<usize> {
        value.and_then(|v| list.iter().position(|x| x == v))
    }

    /// The filter classes of a project.
    pub fn classes(&self, p: &Project) -> String {
        let mut c = Vec::new();
        if let Some(i) = Self::index(&self.owners, p.owner.as_ref().map(|o| o.value.as_str())) {
            c.push(format!("f-owner-{i}"));
        }
        let dept = p.header.get("department").map(|d| d.value.as_str());
        if let Some(i) = Self::index(&self.departments, dept) {
            c.push(format!("f-department-{i}"));
        }
        let region = p.header.get("region").map(|r| urls::region_group(&r.value));
        if let Some(i) = Self::index(&self.regions, region) {
            c.push(format!("f-region-{i}"));
        }
        if let Some(s) = &p.stage {
            c.push(format!("f-stage-{}", s.value));
        }
        c.push(format!("f-status-{}", p.status().id()));
        c.join(" ")
    }

    /// The filter groups for a list of rows, with counts; values no row
    /// has are left out.
    pub fn groups(&self, ctx: &Ctx, rows: &[ProjectRow]) -> Vec<FilterGroup> {
        let groups = [
            filter_group(
                "owner",
                ctx.t("site.owner"),
                self.owners
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (format!("f-owner-{i}"), ctx.person_name(o)))
                    .collect(),
                rows,
            ),
            filter_group(
                "department",
                ctx.t("site.department"),
                self.departments
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (format!("f-department-{i}"), d.clone()))
                    .collect(),
                rows,
            ),
            filter_group(
                "region",
                ctx.t("site.region"),
                self.regions
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (format!("f-region-{i}"), r.clone()))
                    .collect(),
                rows,
            ),
            filter_group(
                "stage",
                ctx.t("site.stage"),
                (0..ctx.data.process.stages.len())
                    .map(|i| (format!("f-stage-{i}"), ctx.stage_name(i).to_string()))
                    .collect(),
                rows,
            ),
            filter_group(
                "status",
                ctx.t("site.status"),
                Status::ALL
                    .iter()
                    .map(|s| (format!("f-status-{}", s.id()), ctx.status_name(*s)))
                    .collect(),
                rows,
            ),
        ];
        groups.into_iter().flatten().collect()
    }
}

/// A filter dimension over `rows`: each option `(class, label)` with the
/// count of rows that have the class. Options no row has are left out,
/// and a dimension with fewer than two options is none.
pub fn filter_group(
    id: &'static str,
    label: String,
    options: Vec<(String, String)>,
    rows: &[ProjectRow],
) -> Option<FilterGroup> {
    let count = |key: &str| {
        rows.iter()
            .filter(|r| r.classes.split(' ').any(|c| c == key))
            .count()
    };
    let options: Vec<FilterOption> = options
        .into_iter()
        .map(|(key, label)| FilterOption {
            count: count(&key),
            key,
            label,
        })
        .filter(|o| o.count > 0)
        .collect();
    (options.len() > 1).then_some(FilterGroup { id, label, options })
}

/// The CSS that makes the radio filters work without JavaScript: a checked
/// value hides the rows without its class. Keys are our own ASCII ids.
pub fn filter_css(groups: &[FilterGroup]) -> String {
    let mut css = String::new();
    for g in groups {
        for o in &g.options {
            css.push_str(&format!(
                "#r-{k}:checked~.rows .row:not(.{k}){{display:none}}#r-{k}:checked~.filters label[for=r-{k}]{{background:var(--accent);color:#fff}}#r-{k}:focus-visible~.filters label[for=r-{k}]{{outline:2px solid var(--accent);outline-offset:1px}}\n",
                k = o.key
            ));
        }
        css.push_str(&format!(
            "#r-{id}-all:checked~.filters label[for=r-{id}-all]{{background:var(--accent);color:#fff}}#r-{id}-all:focus-visible~.filters label[for=r-{id}-all]{{outline:2px solid var(--accent);outline-offset:1px}}\n",
            id = g.id
        ));
    }
    css
}

pub fn project_row(ctx: &Ctx, facets: &Facets, i: usize) -> ProjectRow {
    let p = ctx.project(i);
    let stage = p.stage.as_ref().map(|s| s.value);
    let header = |key: &str| p.header.get(key).map(|v| v.value.as_str());
    let next = p.next_step.as_ref();
    let days = ctx.analysis.days_in_stage[i].filter(|_| p.status() == Status::Active);
    ProjectRow {
        code: p.code.value.clone(),
        name: p
            .name
            .as_ref()
            .map_or_else(|| p.code.value.clone(), |n| n.value.clone()),
        href: urls::encode(&urls::project(&p.folder)),
        owner: p
            .owner
            .as_ref()
            .map_or_else(Link::default, |o| ctx.person_link(&o.value)),
        department: header("department")
            .map_or_else(Link::default, |d| Link::to(d, &urls::department(d))),
        region: header("region").map_or_else(Link::default, |r| {
            Link::to(r, &urls::region(urls::region_group(r)))
        }),
        stage: stage.map_or_else(Link::default, |s| ctx.stage_link(s)),
        stage_index: stage.unwrap_or(0),
        status: p.status().id(),
        status_name: ctx.status_name(p.status()),
        amount: shown_amount(p).map_or_else(String::new, |a| ctx.money_short(a as f64)),
        amount_value: shown_amount(p).unwrap_or(0),
        expected_close: date(p.expected_close.as_ref()),
        next_date: date(next.and_then(|n| n.date.as_ref())),
        next_what: text(next.and_then(|n| n.what.as_ref())),
        stale: ctx.analysis.stale[i].is_some(),
        days_in_stage: days.map_or_else(String::new, |d| d.to_string()),
        days_value: days.unwrap_or(-1),
        flags: flags(ctx, i),
        extra: String::new(),
        extra_value: String::new(),
        classes: facets.classes(p),
    }
}

/// The amount a list shows: the contract value of a won project that
/// records one, else the estimate.
pub fn shown_amount(p: &Project) -> Option<i64> {
    let contract = p
        .outcome
        .as_ref()
        .and_then(|o| o.contract_value.as_ref())
        .filter(|_| p.status() == Status::Won);
    contract.or(p.amount.as_ref()).map(|a| a.value)
}

/// A note in a feed or list.
#[derive(Clone, Debug, Serialize)]
pub struct NoteSummary {
    pub date: String,
    pub title: String,
    pub href: String,
    pub project: Link,
    pub author: Link,
    pub kind: String,
    pub stage: String,
}

pub fn note_summary(ctx: &Ctx, project: usize, note: &Note) -> NoteSummary {
    let p = ctx.project(project);
    let page = urls::project(&p.folder);
    NoteSummary {
        date: date(note.date.as_ref()),
        title: note_title(note),
        href: format!(
            "{}#{}",
            urls::encode(&page),
            urls::encode(&note_anchor(&note.rel))
        ),
        project: Link::to(
            &format!(
                "{} {}",
                p.code.value,
                p.name.as_ref().map_or("", |n| n.value.as_str())
            ),
            &page,
        ),
        author: note
            .author
            .as_ref()
            .map_or_else(Link::default, |a| ctx.person_link(&a.value)),
        kind: note.kind.as_ref().map_or_else(String::new, |k| {
            ctx.text(&ctx.data.process.note_kinds[k.value].name)
                .to_string()
        }),
        stage: note
            .stage
            .as_ref()
            .map_or_else(String::new, |s| ctx.stage_name(s.value).to_string()),
    }
}

/// A note's title: its `title`, else its file name.
pub fn note_title(note: &Note) -> String {
    note.title
        .as_ref()
        .map_or_else(|| urls::fragment(&note.rel), |t| t.value.clone())
}

/// The id of a note on its project page.
pub fn note_anchor(rel: &str) -> String {
    format!("note-{}", urls::fragment(rel))
}

/// The id of a form on its project page.
pub fn form_anchor(rel: &str) -> String {
    format!("form-{}", urls::fragment(rel))
}

fn all_notes(data: &Dataset) -> Vec<(usize, &Note)> {
    let mut notes: Vec<(usize, &Note)> = data
        .projects
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.notes.iter().map(move |n| (i, n)))
        .collect();
    notes.sort_by(|(pa, a), (pb, b)| {
        let da = a.date.as_ref().map(|d| d.value);
        let db = b.date.as_ref().map(|d| d.value);
        db.cmp(&da).then(pa.cmp(pb)).then(a.rel.cmp(&b.rel))
    });
    notes
}
