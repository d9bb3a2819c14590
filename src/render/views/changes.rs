//! The week's changes: projects that moved, amounts and close dates that
//! changed, and the notes written and visits made.

use serde::Serialize;

use super::board::Stat;
use super::{Ctx, Figure, Link, NoteSummary, note_summary};
use crate::analyze::changes::{Changed, MoveKind};
use crate::diag::Msg;
use crate::render::urls;

#[derive(Serialize)]
pub struct ChangeItem {
    /// The project's folder and the day, for the feed.
    #[serde(skip)]
    pub folder: String,
    #[serde(skip)]
    pub day: jiff::civil::Date,
    pub project: Link,
    pub date: String,
    pub detail: String,
}

#[derive(Serialize)]
pub struct ChangeGroup {
    /// new | advanced | slipped | won | lost | amount | close
    pub id: &'static str,
    pub label: String,
    pub items: Vec<ChangeItem>,
}

#[derive(Serialize)]
pub struct ChangesPage {
    pub lead: String,
    pub period: String,
    pub figures: Vec<Figure>,
    pub groups: Vec<ChangeGroup>,
    /// Why amount and close changes are missing (no Git history); empty
    /// otherwise.
    pub history_note: String,
    pub notes: Vec<NoteSummary>,
    pub feed: String,
}

/// A project by folder: a link to its page, or (a record deleted since)
/// its folder name.
pub fn project_link(ctx: &Ctx, folder: &str) -> Link {
    match ctx.data.projects.iter().find(|p| p.folder == folder) {
        Some(p) => Link::to(
            &format!(
                "{} {}",
                p.code.value,
                p.name.as_ref().map_or("", |n| n.value.as_str())
            ),
            &urls::project(folder),
        ),
        None => Link::text(folder),
    }
}

fn change_key(kind: MoveKind) -> &'static str {
    match kind {
        MoveKind::New => "site.change_new",
        MoveKind::Advanced => "site.change_advanced",
        MoveKind::Slipped => "site.change_slipped",
        MoveKind::Won => "site.change_won",
        MoveKind::Lost => "site.change_lost",
    }
}

/// The stage a project is in now, for a move's detail.
fn stage_now(ctx: &Ctx, folder: &str) -> String {
    ctx.data
        .projects
        .iter()
        .find(|p| p.folder == folder)
        .and_then(|p| p.stage.as_ref())
        .map_or_else(String::new, |s| ctx.stage_name(s.value).to_string())
}

fn changed<T>(ctx: &Ctx, c: &Changed<T>, show: impl Fn(&T) -> String) -> ChangeItem {
    let none = || ctx.t("site.none");
    ChangeItem {
        folder: c.folder.clone(),
        day: c.date,
        project: project_link(ctx, &c.folder),
        date: c.date.to_string(),
        detail: format!(
            "{} → {}",
            c.from.as_ref().map_or_else(none, &show),
            c.to.as_ref().map_or_else(none, &show)
        ),
    }
}

/// Every group of the week, moves first; the amount and close groups only
/// with Git history.
pub fn groups(ctx: &Ctx) -> Vec<ChangeGroup> {
    let c = &ctx.analysis.changes;
    let mut out: Vec<ChangeGroup> = MoveKind::ALL
        .into_iter()
        .map(|kind| ChangeGroup {
            id: kind.id(),
            label: ctx.t(change_key(kind)),
            items: c
                .of(kind)
                .map(|m| ChangeItem {
                    folder: m.folder.clone(),
                    day: m.date,
                    project: project_link(ctx, &m.folder),
                    date: m.date.to_string(),
                    detail: stage_now(ctx, &m.folder),
                })
                .collect(),
        })
        .collect();
    if c.from_history {
        out.push(ChangeGroup {
            id: "amount",
            label: ctx.t("board.change_amount"),
            items: c
                .amounts
                .iter()
                .map(|a| changed(ctx, a, |v| ctx.money_short(*v as f64)))
                .collect(),
        });
        out.push(ChangeGroup {
            id: "close",
            label: ctx.t("board.change_close"),
            items: c
                .closes
                .iter()
                .map(|a| changed(ctx, a, |d| d.to_string()))
                .collect(),
        });
    }
    out
}

/// Notes and visits, as a line.
pub fn activity(ctx: &Ctx) -> String {
    let c = &ctx.analysis.changes;
    ctx.i18n.format(
        &Msg::new("board.notes_visits")
            .arg("notes", c.notes.len())
            .arg("visits", c.visits),
    )
}

/// The card: a count per group, and the notes and visits.
pub fn card_stats(ctx: &Ctx) -> Vec<Stat> {
    let c = &ctx.analysis.changes;
    let mut stats: Vec<Stat> = groups(ctx)
        .into_iter()
        .map(|g| Stat::new(g.label, g.items.len().to_string()))
        .collect();
    stats.push(Stat::new(
        ctx.t("board.notes_written"),
        c.notes.len().to_string(),
    ));
    stats.push(Stat::new(ctx.t("board.visits_made"), c.visits.to_string()));
    stats
}

pub fn build(ctx: &Ctx) -> ChangesPage {
    let c = &ctx.analysis.changes;
    let count = |kind| c.of(kind).count().to_string();
    ChangesPage {
        lead: ctx.t("board.changes_lead"),
        period: ctx.i18n.format(
            &Msg::new("board.period")
                .arg("from", c.since)
                .arg("to", c.until),
        ),
        figures: vec![
            Figure::new(
                ctx.t("board.notes_written"),
                c.notes.len().to_string(),
                activity(ctx),
            ),
            Figure::new(
                ctx.t("board.visits_made"),
                c.visits.to_string(),
                String::new(),
            ),
            Figure::new(
                ctx.t("site.change_new"),
                count(MoveKind::New),
                String::new(),
            ),
            Figure::new(
                ctx.t("site.change_advanced"),
                count(MoveKind::Advanced),
                String::new(),
            ),
            Figure::new(
                ctx.t("site.change_won"),
                count(MoveKind::Won),
                String::new(),
            ),
            Figure::new(
                ctx.t("site.change_lost"),
                count(MoveKind::Lost),
                String::new(),
            ),
        ],
        groups: groups(ctx),
        history_note: if c.from_history {
            String::new()
        } else {
            ctx.t("board.changes_need_history")
        },
        notes: c
            .notes
            .iter()
            .map(|&(p, n)| note_summary(ctx, p, &ctx.data.projects[p].notes[n]))
            .collect(),
        feed: urls::CHANGES_FEED.to_string(),
    }
}
