//! "填写": for each entry still to write, a link that opens the Git host's
//! web editor on the right file (a new judgement file filled in, or the
//! record at the section to fill), or, without `[edit]` in
//! `dealbook.toml`, the exact text to paste and where. The page works
//! without JavaScript: the text is there to select; a script adds a copy
//! button.

use serde::Serialize;

use super::Ctx;
use crate::analyze::PendingKind;
use crate::analyze::pending::owers;
use crate::diag::Msg;
use crate::load::judgement::{self, Part};
use crate::model::{Judgement, Project};
use crate::render::editor;
use crate::rules::spelled_key;

/// One 填写 (or 更新) action.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Fill {
    /// The host's editor; `None`: show the snippet instead.
    pub href: Option<String>,
    /// The link's label: 填写 for what is missing, 更新 for a date passed.
    pub label: String,
    /// What to write where: the link's title and the snippet's caption.
    pub title: String,
    /// The file to create or change, repo-relative.
    pub path: String,
    /// What to paste: a new file's whole text, or the lines to add.
    pub snippet: String,
}

/// Where the text goes.
enum Target {
    /// A judgement file that does not exist yet, with its text.
    NewFile(String),
    /// A file to change, with the lines to add to it.
    Edit(String),
}

/// The 填写 action for an entry of a project (by index) owed in `stage`
/// by `role`; `None` where there is nothing to show.
pub fn fill(
    ctx: &Ctx,
    project: usize,
    stage: usize,
    role: Option<usize>,
    kind: PendingKind,
) -> Option<Fill> {
    let p = ctx.project(project);
    let process = &ctx.data.process;
    let rec = p.stage_record(stage);
    let j = role.and_then(|r| rec?.judgement(r));
    let section = spelled_key(p, process, stage);
    let table = |r: usize| format!("[stages.{section}.judgements.{}]", process.roles[r].id);
    // A line for a section of the record; the section's header too when
    // the record does not have it yet.
    let in_record = |key: &'static str, header: String, line: &str, has: bool| {
        let msg = Msg::new(key)
            .arg("path", &p.path)
            .arg("section", header.as_str());
        let lines = if has {
            line.to_string()
        } else {
            format!("{header}\n{line}")
        };
        (p.path.clone(), msg, Target::Edit(lines))
    };
    let (path, title, target) = match kind {
        PendingKind::Actual => in_record(
            "fill.actual",
            format!("[stages.{section}]"),
            "actual = \"\"\n",
            p.section(stage).is_some(),
        ),
        PendingKind::Judgement => match (role?, j) {
            (r, None) => new_file(ctx, p, stage, r),
            (r, Some(j)) if j.file().is_none() && j.is_blank() => new_file(ctx, p, stage, r),
            (_, Some(j)) if j.file().is_some() => in_file(ctx, j, Part::Judgement),
            (r, Some(_)) => in_record("fill.judgement", table(r), "judgement = \"\"\n", true),
        },
        PendingKind::FollowUp => match (role?, j?) {
            (_, j) if j.file().is_some() => in_file(ctx, j, Part::FollowUp),
            (r, _) => in_record("fill.follow_up", table(r), "follow_up = \"\"\n", true),
        },
        PendingKind::OverdueFollowUp => {
            let path = j?.path(&p.path).to_string();
            let msg = Msg::new("fill.due").arg("path", &path);
            (path, msg, Target::Edit(String::new()))
        }
        PendingKind::OverdueNextStep => {
            let msg = Msg::new("fill.next_step").arg("path", &p.path);
            (p.path.clone(), msg, Target::Edit(String::new()))
        }
    };
    let overdue = matches!(
        kind,
        PendingKind::OverdueFollowUp | PendingKind::OverdueNextStep
    );
    let (href, snippet, title) = match target {
        Target::NewFile(text) => match &ctx.config.edit {
            Some(host) => (Some(editor::new_file(host, &path, &text)), text, title),
            None => (
                None,
                text,
                Msg::new("fill.new_file_paste").arg("path", &path),
            ),
        },
        Target::Edit(lines) => (editor::edit_link(ctx.config, &path), lines, title),
    };
    // A date passed needs a decision, not a line to paste: a link or
    // nothing.
    if overdue && href.is_none() {
        return None;
    }
    Some(Fill {
        href,
        label: ctx.t(if overdue { "fill.update" } else { "fill.label" }),
        title: ctx.i18n.format(&title),
        path,
        snippet,
    })
}

/// A new judgement file for `role` in `stage`, filled in.
fn new_file(ctx: &Ctx, p: &Project, stage: usize, role: usize) -> (String, Msg, Target) {
    let path = format!(
        "{}/{}{}",
        p.dir,
        judgement::DIR,
        file_name(ctx, p, stage, role)
    );
    let owed_by = owers(ctx.data, p, role);
    let by = match owed_by.as_slice() {
        [one] => ctx.data.team.people[*one].id.value.clone(),
        _ => String::new(),
    };
    let text = template(&by, ctx.locale());
    let msg = Msg::new("fill.new_file").arg("path", &path);
    (path, msg, Target::NewFile(text))
}

/// The text of a new judgement file: who writes it, and the two headings
/// in the reader's language.
pub fn template(by: &str, locale: &str) -> String {
    let by = toml::Value::String(by.to_string());
    format!(
        "+++\nby = {by}\n+++\n\n## {}\n\n\n## {}\n\n",
        judgement::heading(Part::Judgement, locale),
        judgement::heading(Part::FollowUp, locale)
    )
}

/// `<stage>.<role>.md`: by name when the record names its stages by name
/// (and the names can be a file name), else by id.
pub fn file_name(ctx: &Ctx, p: &Project, stage: usize, role: usize) -> String {
    let process = &ctx.data.process;
    let (s, r) = (&process.stages[stage], &process.roles[role]);
    if p.names_stages {
        let stage_name = process.text(&s.name, &process.locale);
        let role_name = process.text(&r.name, &process.locale);
        let usable = |n: &str| !n.is_empty() && !n.contains(['/', '\\', '.', ':']);
        if usable(stage_name) && usable(role_name) {
            return format!("{stage_name}.{role_name}.md");
        }
    }
    format!("{}.{}.md", s.id, r.id)
}

/// What to add to an existing judgement file: the missing section.
fn in_file(ctx: &Ctx, j: &Judgement, part: Part) -> (String, Msg, Target) {
    let file = j.file().map(|f| f.path.clone()).unwrap_or_default();
    let heading = judgement::heading(part, ctx.locale());
    let key = match part {
        Part::Judgement => "fill.file_judgement",
        Part::FollowUp => "fill.file_follow_up",
    };
    let has_heading = match part {
        Part::Judgement => j.file().is_some_and(|f| f.judgement_heading.is_some()),
        Part::FollowUp => j.file().is_some_and(|f| f.follow_up_heading.is_some()),
    };
    let lines = if has_heading {
        String::new()
    } else {
        format!("## {heading}\n\n")
    };
    let msg = Msg::new(key)
        .arg("path", &file)
        .arg("heading", format!("## {heading}"));
    (file, msg, Target::Edit(lines))
}
