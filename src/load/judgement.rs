//! Judgement files: `judgements/<stage>.<role>.md` in a project folder,
//! one role's judgement of one stage. TOML front matter (`by`, `date`,
//! `due`) between `+++` lines, then prose under two headings, `## 判断`
//! and `## 跟进措施` (or `## Judgement` and `## Follow-up`).
//!
//! A file of its own means two people writing on the same day never
//! change the same file, and a Git host's "new file" link can carry the
//! template filled in. The judgement read here is the same model as an
//! inline `[stages.<s>.judgements.<role>]` table, so every rule, page and
//! export treats both alike.

use super::document::with_front_at;
use super::resolve;
use super::toml_reader::FileCx;
use crate::diag::{Finding, Msg, codes};
use crate::model::{Judgement, JudgementFile, Project, Source, StageRecord};
use crate::process::Process;
use crate::span::{Sp, Span};

/// The folder of judgement files inside a project folder.
pub const DIR: &str = "judgements/";

/// One of the two sections of a judgement file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// 判断
    Judgement,
    /// 跟进措施
    FollowUp,
}

/// The headings that open a section, in either language (English ones
/// in any case). A trailing colon is allowed.
pub const HEADINGS: &[(&str, Part)] = &[
    ("判断", Part::Judgement),
    ("跟进措施", Part::FollowUp),
    ("Judgement", Part::Judgement),
    ("Judgment", Part::Judgement),
    ("Follow-up", Part::FollowUp),
    ("Follow up", Part::FollowUp),
];

/// The heading a template writes for a section, in a language.
pub fn heading(part: Part, locale: &str) -> &'static str {
    match (part, locale.starts_with("zh")) {
        (Part::Judgement, true) => "判断",
        (Part::FollowUp, true) => "跟进措施",
        (Part::Judgement, false) => "Judgement",
        (Part::FollowUp, false) => "Follow-up",
    }
}

/// Something in a body that is not where a judgement file wants it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Text before the first heading: it belongs to no section.
    Stray(Span),
    /// A level-1 or level-2 heading that opens neither section.
    UnknownHeading(Sp<String>),
    /// A section opened twice: the second heading, and the first.
    Repeated {
        at: Span,
        first: Span,
        title: String,
    },
}

/// What the body of a judgement file says. Spans are into the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    pub judgement: Option<Sp<String>>,
    pub follow_up: Option<Sp<String>>,
    pub judgement_heading: Option<Span>,
    pub follow_up_heading: Option<Span>,
    pub problems: Vec<Problem>,
}

/// A heading line: its level (1 or 2) and its title with its span.
fn section_heading(line: &str, at: usize) -> Option<Sp<String>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let after = &rest[hashes..];
    if !(1..=2).contains(&hashes) || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    // A closing run of `#`, then a colon, are not part of the title.
    let title = after.trim();
    let title = title.trim_end_matches('#').trim_end();
    let title = title.trim_end_matches([':', '：']).trim_end();
    let start = at + indent + hashes + (after.len() - after.trim_start().len());
    Some(Sp::new(
        title.to_string(),
        Span::new(start, start + title.len()),
    ))
}

/// Which section a heading title opens.
fn part_of(title: &str) -> Option<Part> {
    HEADINGS
        .iter()
        .find(|(h, _)| h.eq_ignore_ascii_case(title))
        .map(|(_, p)| *p)
}

/// A fence line (```` ``` ```` or `~~~`): its character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return None;
    }
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.len() - rest.trim_start_matches(c).len();
    (n >= 3).then_some((c, n))
}

/// The trimmed text of `text[start..end]` with its span, if not blank.
fn trimmed(text: &str, start: usize, end: usize) -> Option<Sp<String>> {
    let slice = &text[start..end];
    let inner = slice.trim();
    if inner.is_empty() {
        return None;
    }
    let from = start + (slice.len() - slice.trim_start().len());
    Some(Sp::new(
        inner.to_string(),
        Span::new(from, from + inner.len()),
    ))
}

/// Reads the body of a judgement file, which starts at byte `from` of
/// `text`. Headings inside fenced code are prose.
pub fn body(text: &str, from: usize) -> Body {
    let mut out = Body::default();
    // The section being read: what it is (None for an unknown heading's)
    // and where its text starts. Before the first heading: the body's
    // start, as stray text.
    let mut open: Option<(Option<Part>, usize)> = None;
    let mut in_fence: Option<(char, usize)> = None;
    let mut pos = from;
    let close = |out: &mut Body, open: Option<(Option<Part>, usize)>, end: usize| match open {
        None => {
            if let Some(stray) = trimmed(text, from, end) {
                out.problems.push(Problem::Stray(stray.span));
            }
        }
        Some((Some(Part::Judgement), start)) => out.judgement = trimmed(text, start, end),
        Some((Some(Part::FollowUp), start)) => out.follow_up = trimmed(text, start, end),
        Some((None, _)) => {}
    };
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..end].trim_end_matches(['\n', '\r']);
        if let Some((c, n)) = in_fence {
            if fence(line).is_some_and(|(c2, n2)| c2 == c && n2 >= n) {
                in_fence = None;
            }
        } else if let Some(f) = fence(line) {
            in_fence = Some(f);
        } else if let Some(title) = section_heading(line, pos) {
            close(&mut out, open, pos);
            let line_span = Span::new(
                pos + (line.len() - line.trim_start().len()),
                pos + line.len(),
            );
            // A section's text is read under its first heading only.
            let part = match part_of(&title.value) {
                Some(part) => {
                    let seen = match part {
                        Part::Judgement => &mut out.judgement_heading,
                        Part::FollowUp => &mut out.follow_up_heading,
                    };
                    match seen {
                        Some(first) => {
                            out.problems.push(Problem::Repeated {
                                at: line_span,
                                first: *first,
                                title: title.value.clone(),
                            });
                            None
                        }
                        None => {
                            *seen = Some(line_span);
                            Some(part)
                        }
                    }
                }
                None => {
                    out.problems.push(Problem::UnknownHeading(title));
                    None
                }
            };
            open = Some((part, end));
        }
        pos = end;
    }
    close(&mut out, open, text.len());
    out
}

/// How a file name names its stage and role.
#[derive(Debug, PartialEq, Eq)]
pub enum Name<'a> {
    /// Both resolve: (stage, role), and the stage as the name writes it.
    Found(usize, usize, &'a str),
    /// No `<stage>.<role>.md` shape.
    Shapeless,
    UnknownStage(&'a str),
    UnknownRole(&'a str),
}

/// Reads `<stage>.<role>.md` (ids or names). A name with more dots is
/// split where both parts resolve.
pub fn name<'a>(process: &Process, file_name: &'a str) -> Name<'a> {
    let Some(stem) = file_name
        .strip_suffix(".md")
        .filter(|s| !s.contains('/') && s.contains('.'))
    else {
        return Name::Shapeless;
    };
    let splits: Vec<(&str, &str)> = stem
        .match_indices('.')
        .map(|(i, _)| (&stem[..i], &stem[i + 1..]))
        .collect();
    for (stage, role) in &splits {
        if let (Some(s), Some(r)) = (process.stage_index(stage), process.role_index(role)) {
            return Name::Found(s, r, stage);
        }
    }
    match splits
        .iter()
        .find(|(stage, _)| process.stage_index(stage).is_some())
    {
        Some((_, role)) => Name::UnknownRole(role),
        None => Name::UnknownStage(splits[0].0),
    }
}

/// The stage and role a path relative to the project folder names, for
/// the history, which reads old versions without reporting anything.
pub fn stage_and_role(process: &Process, rel: &str) -> Option<(usize, usize)> {
    match name(process, rel.strip_prefix(DIR)?) {
        Name::Found(s, r, _) => Some((s, r)),
        _ => None,
    }
}

/// The judgement and follow-up a file's text says, trimmed (empty when
/// missing), for the history; `None` when the front matter is broken.
pub fn texts(text: &str) -> Option<(String, String)> {
    let split = super::document::split(text).ok()?;
    let b = body(text, text.len() - split.body.len());
    let value = |s: Option<Sp<String>>| s.map(|s| s.value).unwrap_or_default();
    Some((value(b.judgement), value(b.follow_up)))
}

/// A judgement file as read: the stage it is for, as the name writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub stage: usize,
    pub stage_key: String,
    pub judgement: Judgement,
}

/// Parses `judgements/<name>` of a project folder. Problems of the body
/// and front matter are reported even when the name does not resolve.
pub fn parse(
    path: &str,
    file_name: &str,
    text: &str,
    process: &Process,
    findings: &mut Vec<Finding>,
) -> Option<Read> {
    let first_line = text.find('\n').unwrap_or(text.len());
    let first = Span::new(0, text[..first_line].trim_end_matches('\r').len());
    let named = match name(process, file_name) {
        Name::Found(s, r, key) => Some((s, r, key)),
        problem => {
            report_name(path, file_name, first, problem, process, findings);
            None
        }
    };
    let ((by, date, due), at) = with_front_at(path, text, findings, |cx, mut t| {
        let v = (t.text(cx, "by"), t.date(cx, "date"), t.date(cx, "due"));
        t.finish(cx);
        v
    })?;
    let b = body(text, at);
    report_body(path, &b.problems, findings);
    let (stage, role, key) = named?;
    Some(Read {
        stage,
        stage_key: key.to_string(),
        judgement: Judgement {
            role,
            key_span: first,
            source: Source::File(JudgementFile {
                path: path.to_string(),
                judgement_heading: b.judgement_heading,
                follow_up_heading: b.follow_up_heading,
            }),
            by,
            date,
            judgement: b.judgement,
            follow_up: b.follow_up,
            due,
        },
    })
}

fn report_name(
    path: &str,
    file_name: &str,
    first: Span,
    problem: Name,
    process: &Process,
    findings: &mut Vec<Finding>,
) {
    let mut cx = FileCx::new(path, findings);
    match problem {
        Name::UnknownStage(stage) => resolve::unknown(
            &mut cx,
            &codes::UNKNOWN_STAGE,
            Msg::new("msg.judgement-file-stage")
                .arg("stage", stage)
                .arg("file", file_name),
            &Sp::new(stage.to_string(), first),
            &process.stage_keys(),
        ),
        Name::UnknownRole(role) => resolve::unknown(
            &mut cx,
            &codes::UNKNOWN_ROLE,
            Msg::new("msg.judgement-file-role")
                .arg("role", role)
                .arg("file", file_name),
            &Sp::new(role.to_string(), first),
            &process.role_keys(),
        ),
        Name::Shapeless | Name::Found(..) => cx.report(
            &codes::UNKNOWN_STAGE,
            first,
            Msg::new("msg.judgement-file-name").arg("file", file_name),
            Some(Msg::new("help.judgement-file-name")),
        ),
    }
}

fn report_body(path: &str, problems: &[Problem], findings: &mut Vec<Finding>) {
    let mut cx = FileCx::new(path, findings);
    for p in problems {
        match p {
            Problem::Stray(span) => cx.report(
                &codes::UNKNOWN_KEY,
                *span,
                Msg::new("msg.judgement-stray-text"),
                Some(Msg::new("help.judgement-sections")),
            ),
            Problem::UnknownHeading(title) => {
                let help = crate::suggest::help(&title.value, HEADINGS.iter().map(|(h, _)| *h))
                    .unwrap_or_else(|| Msg::new("help.judgement-sections"));
                cx.report(
                    &codes::UNKNOWN_KEY,
                    title.span,
                    Msg::new("msg.judgement-heading").arg("heading", &title.value),
                    Some(help),
                );
            }
            Problem::Repeated { at, first, title } => {
                resolve::duplicate(&mut cx, *at, *first, &format!("## {title}"))
            }
        }
    }
}

/// Puts the judgement files of a project into its stages. A stage the
/// record has no section for gets an implied one to hold them. A role's
/// judgement written inline too is a `duplicate-entry` pointing at both
/// (the inline one is kept), unless the inline table is blank (as `new`
/// and `move` leave it): then the file takes its place.
pub fn merge(
    project: &mut Project,
    reads: Vec<Read>,
    process: &Process,
    findings: &mut Vec<Finding>,
) {
    for read in reads {
        let record = project.path.clone();
        let rec = project.stages[read.stage]
            .get_or_insert_with(|| StageRecord::implied(read.stage_key.clone()));
        let new = read.judgement;
        match rec.judgements.iter_mut().find(|j| j.role == new.role) {
            Some(old) if old.file().is_none() && old.is_blank() => *old = new,
            Some(old) => {
                let role = &process.roles[new.role];
                findings.push(
                    Finding::new(
                        &codes::DUPLICATE_ENTRY,
                        new.path(&record),
                        Some(new.key_span),
                        Msg::new("msg.duplicate-judgement")
                            .term("role", format!("process.role.{}", role.id))
                            .term("stage", crate::rules::stage_term(process, read.stage))
                            .arg("other", old.path(&record)),
                    )
                    .with_help(Msg::new("help.duplicate-judgement"))
                    .with_related(
                        old.path(&record),
                        Some(old.key_span),
                        Msg::new("msg.first-defined-here"),
                    ),
                );
            }
            None => rec.judgements.push(new),
        }
    }
}

#[cfg(test)]
mod tests;
