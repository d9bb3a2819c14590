//! Reads notes and forms: Markdown with TOML front matter between `+++`
//! lines, as Zola writes it.

use super::resolve;
use super::toml_reader::{self, FileCx, TableReader};
use crate::diag::{Finding, Msg, codes};
use crate::model::{FormFile, Note};
use crate::process::Process;
use crate::span::Span;
use crate::text::{Slice, Text};

/// A file split into its front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    pub body: &'a str,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `+++`.
    NoOpening,
    /// No closing `+++` line; the span is the opening line.
    Unclosed(Span),
}

/// Splits `+++\n<toml>\n+++\n<body>`. Accepts CRLF line endings.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    // (A byte-order mark reaches here as spaces.)
    if text[..first_end].trim() != "+++" {
        return Err(SplitError::NoOpening);
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Ok(Split {
                front: &text[first_end..pos],
                front_offset: first_end,
                body: &text[end..],
            });
        }
        pos = end;
    }
    Err(SplitError::Unclosed(Span::new(0, 3)))
}

/// Splits a file, reporting broken front matter. `None` when broken.
fn front_matter<'a>(path: &str, text: &'a str, findings: &mut Vec<Finding>) -> Option<Split<'a>> {
    match split(text) {
        Ok(s) => Some(s),
        Err(e) => {
            let (span, msg, help) = match e {
                SplitError::NoOpening => {
                    let end = text.find('\n').unwrap_or(text.len());
                    (
                        Span::new(0, end.min(text.len())),
                        "msg.front-matter-opening",
                        "help.front-matter-opening",
                    )
                }
                SplitError::Unclosed(span) => (
                    span,
                    "msg.front-matter-unclosed",
                    "help.front-matter-unclosed",
                ),
            };
            findings.push(
                Finding::new(&codes::FRONT_MATTER, path, Some(span), Msg::new(msg))
                    .with_help(Msg::new(help)),
            );
            None
        }
    }
}

/// Parses the front matter as TOML, with spans relative to the whole file;
/// the rest of the file is the body, shared with the file's text.
fn with_front<R>(
    path: &str,
    text: &Text,
    findings: &mut Vec<Finding>,
    read: impl FnOnce(&mut FileCx, TableReader) -> R,
) -> Option<(R, Slice)> {
    let (value, at) = with_front_at(path, text, findings, read)?;
    Some((value, Slice::new(text, at..text.len())))
}

/// Parses the front matter, giving the byte offset where the body starts.
pub(super) fn with_front_at<R>(
    path: &str,
    text: &str,
    findings: &mut Vec<Finding>,
    read: impl FnOnce(&mut FileCx, TableReader) -> R,
) -> Option<(R, usize)> {
    let split = front_matter(path, text, findings)?;
    let at = text.len() - split.body.len();
    let mut cx = FileCx::new(path, findings);
    cx.offset = split.front_offset;
    cx.front_matter = true;
    let doc = toml_reader::parse(&mut cx, split.front)?;
    let table = TableReader::root(&doc, &cx);
    let value = read(&mut cx, table);
    Some((value, at))
}

/// Parses a visit or meeting note.
pub fn parse_note(
    path: &str,
    rel: &str,
    text: &Text,
    process: &Process,
    findings: &mut Vec<Finding>,
) -> Option<Note> {
    let (mut note, body) = with_front(path, text, findings, |cx, mut t| {
        let title = t.text(cx, "title");
        let date = t.require("date").and_then(|v| v.date(cx));
        let kind = t.text(cx, "kind").and_then(|k| {
            let index = process.note_kind_index(&k.value);
            resolve::vocabulary(cx, &k, "kind", index, &process.note_kind_keys())
        });
        let stage_text = t.text(cx, "stage");
        let stage = stage_text
            .as_ref()
            .and_then(|s| resolve::stage(cx, process, s));
        let author = t.text(cx, "author");
        let attendees = t.string_list(cx, "attendees");
        let evidence_keys = t.string_list(cx, "evidences");
        let mut evidences = Vec::new();
        if !evidence_keys.is_empty() {
            match &stage {
                Some(stage) => {
                    let st = &process.stages[stage.value];
                    for key in &evidence_keys {
                        evidences.extend(resolve::condition(cx, st, key));
                    }
                }
                // Without a stage, a condition id means nothing; say so once
                // (an unknown stage was reported already).
                None if stage_text.is_none() => {
                    cx.report(
                        &codes::MISSING_KEY,
                        evidence_keys[0].span,
                        Msg::new("msg.evidences-need-stage"),
                        Some(Msg::new("help.evidences-need-stage")),
                    );
                }
                None => {}
            }
        }
        t.finish(cx);
        Note {
            path: path.to_string(),
            rel: rel.to_string(),
            title,
            date,
            kind,
            stage,
            author,
            attendees,
            evidences,
            body: Slice::default(),
        }
    })?;
    note.body = body;
    Some(note)
}

/// Parses an attached form.
pub fn parse_form(
    path: &str,
    rel: &str,
    text: &Text,
    process: &Process,
    findings: &mut Vec<Finding>,
) -> Option<FormFile> {
    let (mut form, body) = with_front(path, text, findings, |cx, mut t| {
        let form = t
            .require_text(cx, "form")
            .and_then(|f| resolve::form(cx, process, &f));
        let title = t.text(cx, "title");
        let date = t.date(cx, "date");
        let author = t.text(cx, "author");
        t.finish(cx);
        FormFile {
            path: path.to_string(),
            rel: rel.to_string(),
            form,
            title,
            date,
            author,
            body: Slice::default(),
        }
    })?;
    form.body = body;
    Some(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("+++\ndate = 2026-01-01\n+++\n# 拜访\n").unwrap();
        assert_eq!(s.front, "date = 2026-01-01\n");
        assert_eq!(s.front_offset, 4);
        assert_eq!(s.body, "# 拜访\n");
    }

    #[test]
    fn accepts_crlf_and_an_empty_body() {
        let s = split("+++\r\na = 1\r\n+++\r\n").unwrap();
        assert_eq!(s.front, "a = 1\r\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn reports_missing_delimiters() {
        assert_eq!(split("# no front matter\n"), Err(SplitError::NoOpening));
        assert_eq!(split(""), Err(SplitError::NoOpening));
        assert_eq!(
            split("+++\ndate = 2026-01-01\n# body\n"),
            Err(SplitError::Unclosed(Span::new(0, 3)))
        );
    }
}
