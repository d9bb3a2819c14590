//! The page each manager opens on Monday: everything still owed, once
//! each, the most urgent first, with filters by role and by person that
//! work without JavaScript, and a 填写 action on every row.

use serde::Serialize;

use super::fill::{Fill, fill};
use super::paging;
use super::{Ctx, Link, text};
use crate::analyze::{Pending, PendingKind};
use crate::diag::Msg;
use crate::render::urls;

#[derive(Clone, Serialize)]
pub struct PendingRow {
    pub project: String,
    pub name: String,
    pub href: String,
    pub what: String,
    pub kind: &'static str,
    pub stage: String,
    pub role: String,
    pub people: Vec<Link>,
    pub due: String,
    /// The gap is left over from a stage already finished.
    pub leftover: bool,
    /// "3 days overdue", for items whose date has passed.
    pub overdue: String,
    /// Overdue, or left from a finished stage: listed first, marked.
    pub late: bool,
    /// Days owed ("" when unknown), and the number to sort by.
    pub days: String,
    pub days_value: i64,
    pub amount: String,
    pub amount_value: i64,
    /// Filter classes: `f-role-<i>`, and `f-person-<i>` per person owing
    /// it (`f-person-none` for nobody).
    pub classes: String,
    pub fill: Option<Fill>,
}

/// A value to filter the list by: its class, label and row count.
#[derive(Serialize)]
pub struct FilterOption {
    pub key: String,
    /// The element the role filter targets (`role-<id>`, also what the
    /// overview links to).
    pub anchor: String,
    pub label: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct PendingPage {
    pub total: usize,
    /// "52 in all, 7 overdue …".
    pub summary: String,
    pub rows: Vec<PendingRow>,
    pub roles: Vec<FilterOption>,
    pub people: Vec<FilterOption>,
    pub filter_css: String,
    /// On a long list: which page this is (the filters apply to its rows).
    pub pager: Option<super::paging::Pager>,
}

/// The class of a person in the filters (`f-person-3`).
fn person_class(index: usize) -> String {
    format!("f-person-{index}")
}

const NOBODY: &str = "f-person-none";

pub fn row(ctx: &Ctx, item: &Pending) -> PendingRow {
    let p = ctx.project(item.project);
    let stage = item
        .stage
        .map(|s| ctx.stage_name(s).to_string())
        .unwrap_or_default();
    let role = item
        .role
        .map(|r| ctx.role_name(r).to_string())
        .unwrap_or_default();
    let what = ctx.i18n.format(
        &Msg::new(match item.kind {
            PendingKind::Actual => "site.owe_actual",
            PendingKind::Judgement => "site.owe_judgement",
            PendingKind::FollowUp => "site.owe_follow_up",
            PendingKind::OverdueFollowUp => "site.owe_overdue_follow_up",
            PendingKind::OverdueNextStep => "site.owe_overdue_next_step",
        })
        .arg("stage", &stage)
        .arg("role", &role),
    );
    let as_of = ctx.analysis.as_of;
    let days = item.days(as_of);
    let mut classes: Vec<String> = item
        .role
        .map(|r| format!("f-role-{r}"))
        .into_iter()
        .collect();
    classes.extend(item.people.iter().map(|&i| person_class(i)));
    if item.people.is_empty() {
        classes.push(NOBODY.to_string());
    }
    let amount = p.amount.as_ref().map(|a| a.value);
    PendingRow {
        project: p.code.value.clone(),
        name: text(p.name.as_ref()),
        href: format!(
            "{}#{}",
            urls::encode(&urls::project(&p.folder)),
            item.anchor
        ),
        what,
        kind: item.kind.id(),
        stage,
        role,
        people: item
            .people
            .iter()
            .map(|&i| Link::person(&ctx.data.team.people[i]))
            .collect(),
        due: item.due.map_or_else(String::new, |d| d.to_string()),
        leftover: item.finished_stage,
        overdue: item.due.map_or_else(String::new, |d| {
            let days = crate::analyze::dates::days_between(d, as_of);
            ctx.i18n
                .format(&Msg::new("site.days_overdue").arg("days", days))
        }),
        late: item.overdue(),
        days: days.map_or_else(String::new, |d| {
            ctx.i18n.format(&Msg::new("site.days_owed").arg("days", d))
        }),
        days_value: days.unwrap_or(0),
        amount: amount.map_or_else(String::new, |a| ctx.money_short(a as f64)),
        amount_value: amount.unwrap_or(0),
        classes: classes.join(" "),
        fill: item
            .stage
            .and_then(|s| fill(ctx, item.project, s, item.role, item.kind)),
    }
}

/// Page `number` (1-based) of the pending list: the summary counts every
/// entry, the rows and their filters are the page's.
pub fn build(ctx: &Ctx, number: usize) -> PendingPage {
    let all = &ctx.analysis.pending;
    let items = &all[paging::range(all.len(), number)];
    let process = &ctx.data.process;
    let roles: Vec<FilterOption> = (0..process.roles.len())
        .map(|r| FilterOption {
            key: format!("f-role-{r}"),
            anchor: role_anchor(&process.roles[r].id),
            label: ctx.role_name(r).to_string(),
            count: items.iter().filter(|i| i.role == Some(r)).count(),
        })
        .filter(|o| o.count > 0)
        .collect();
    let mut people: Vec<FilterOption> = ctx
        .data
        .team
        .people
        .iter()
        .enumerate()
        .map(|(pi, person)| FilterOption {
            key: person_class(pi),
            anchor: String::new(),
            label: person.name.clone(),
            count: items.iter().filter(|i| i.people.contains(&pi)).count(),
        })
        .filter(|o| o.count > 0)
        .collect();
    let nobody = items.iter().filter(|i| i.people.is_empty()).count();
    if nobody > 0 {
        people.push(FilterOption {
            key: NOBODY.to_string(),
            anchor: String::new(),
            label: ctx.t("site.unassigned"),
            count: nobody,
        });
    }
    let filter_css = filter_css(&roles, &people);
    let late = all.iter().filter(|i| i.overdue()).count();
    PendingPage {
        total: items.len(),
        summary: ctx.i18n.format(
            &Msg::new("site.pending_count")
                .arg("total", all.len())
                .arg("late", late),
        ),
        pager: paging::pager(urls::PENDING, all.len(), number),
        rows: items.iter().map(|i| row(ctx, i)).collect(),
        roles,
        people,
        filter_css,
    }
}

/// The CSS that makes the filters work without JavaScript. A role is a
/// link to its target element, so the overview's links to
/// `pending/index.html#role-<id>` open the list filtered; a person is a
/// radio button, as on the project lists. Both can apply at once. Keys
/// and anchors are our own ASCII ids.
fn filter_css(roles: &[FilterOption], people: &[FilterOption]) -> String {
    let mut css = String::new();
    for r in roles {
        css.push_str(&format!(
            "#{a}:target~.rows .row:not(.{k}){{display:none}}#{a}:target~.filters a[href=\"#{a}\"]{{background:var(--accent);color:#fff}}\n",
            a = r.anchor,
            k = r.key
        ));
    }
    for p in people {
        css.push_str(&format!(
            "#r-{k}:checked~.rows .row:not(.{k}){{display:none}}#r-{k}:checked~.filters label[for=r-{k}]{{background:var(--accent);color:#fff}}#r-{k}:focus-visible~.filters label[for=r-{k}]{{outline:2px solid var(--accent);outline-offset:1px}}\n",
            k = p.key
        ));
    }
    css
}

/// The anchor of a role's filter on the pending page.
pub fn role_anchor(role: &str) -> String {
    format!("role-{role}")
}
