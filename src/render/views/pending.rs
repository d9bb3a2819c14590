//! The page each manager opens on Monday: everything still owed, grouped
//! by role and by person, each item linking to the exact place.

use serde::Serialize;

use super::{Ctx, Link, text};
use crate::analyze::dates::days_between;
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
}

#[derive(Serialize)]
pub struct Group {
    pub anchor: String,
    pub title: Link,
    pub items: Vec<PendingRow>,
}

#[derive(Serialize)]
pub struct PendingPage {
    pub total: usize,
    pub by_role: Vec<Group>,
    pub by_person: Vec<Group>,
    pub unassigned: Vec<PendingRow>,
}

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
            let days = days_between(d, ctx.analysis.as_of);
            ctx.i18n
                .format(&Msg::new("site.days_overdue").arg("days", days))
        }),
    }
}

pub fn build(ctx: &Ctx) -> PendingPage {
    let items = &ctx.analysis.pending;
    let process = &ctx.data.process;
    let by_role = (0..process.roles.len())
        .map(|r| Group {
            anchor: role_anchor(&process.roles[r].id),
            title: Link::text(ctx.role_name(r)),
            items: items
                .iter()
                .filter(|i| i.role == Some(r))
                .map(|i| row(ctx, i))
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    let by_person = ctx
        .data
        .team
        .people
        .iter()
        .enumerate()
        .map(|(pi, person)| Group {
            anchor: format!("person-{}", urls::file_name(&person.id.value)),
            title: Link::person(person),
            items: items
                .iter()
                .filter(|i| i.people.contains(&pi))
                .map(|i| row(ctx, i))
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    PendingPage {
        total: items.len(),
        by_role,
        by_person,
        unassigned: items
            .iter()
            .filter(|i| i.people.is_empty())
            .map(|i| row(ctx, i))
            .collect(),
    }
}

/// The anchor of a role's section on the pending page.
pub fn role_anchor(role: &str) -> String {
    format!("role-{role}")
}
