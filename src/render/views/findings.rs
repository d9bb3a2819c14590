//! The findings page: every problem `check` reports, with `file:line` and
//! a link that opens the file in the team's Git host for editing.

use serde::Serialize;

use super::Ctx;
use crate::diag::{Finding, Severity, Tally, human};

#[derive(Clone, Serialize)]
pub struct FindingRow {
    pub severity: &'static str,
    pub severity_name: String,
    /// The rule's code (for `[rules]` in `dealbook.toml`) and what it checks.
    pub code: String,
    pub rule: String,
    pub location: String,
    pub message: Vec<Piece>,
    pub help: Vec<Piece>,
    pub edit: Option<String>,
    /// The project the file belongs to, when it is one's.
    pub project: Option<super::Link>,
}

/// A run of a message: plain text, or what the message quotes in
/// backticks (a key, a value), shown as code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Piece {
    pub text: String,
    pub code: bool,
}

/// Splits a message at its backtick pairs; an odd backtick stays text.
pub fn pieces(text: &str) -> Vec<Piece> {
    let parts: Vec<&str> = text.split('`').collect();
    let closed = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    let mut out: Vec<Piece> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let code = i % 2 == 1 && i < closed;
        let part = if i >= closed {
            format!("`{part}")
        } else {
            part.to_string()
        };
        match out.last_mut() {
            Some(last) if !code && !last.code => last.text.push_str(&part),
            _ if part.is_empty() => {}
            _ => out.push(Piece { text: part, code }),
        }
    }
    out
}

#[derive(Serialize)]
pub struct FindingsPage {
    pub errors: usize,
    pub warnings: usize,
    pub rows: Vec<FindingRow>,
}

/// The findings `keep` selects, in report order.
pub fn rows(ctx: &Ctx, keep: impl Fn(&Finding) -> bool) -> Vec<FindingRow> {
    ctx.findings
        .iter()
        .filter(|f| keep(f))
        .map(|f| FindingRow {
            severity: f.severity.as_str(),
            severity_name: ctx.t(match f.severity {
                Severity::Error => "check.error",
                _ => "check.warning",
            }),
            code: f.code.to_string(),
            rule: ctx.t(&format!("rule.{}", f.code)),
            location: human::location(ctx.sources, &f.path, f.span),
            message: pieces(&ctx.i18n.format(&f.message)),
            help: f
                .help
                .as_ref()
                .map_or_else(Vec::new, |h| pieces(&ctx.i18n.format(h))),
            edit: crate::render::editor::edit_link(ctx.config, &f.path),
            project: project_of(ctx, &f.path),
        })
        .collect()
}

/// The project whose folder holds `path`, linked to its page.
fn project_of(ctx: &Ctx, path: &str) -> Option<super::Link> {
    let folder = path
        .strip_prefix(crate::load::PROJECTS)?
        .split('/')
        .next()?;
    ctx.data
        .projects
        .iter()
        .any(|p| p.folder == folder)
        .then(|| super::changes::project_link(ctx, folder))
}

pub fn build(ctx: &Ctx) -> FindingsPage {
    let tally = Tally::of(ctx.findings);
    FindingsPage {
        errors: tally.errors,
        warnings: tally.warnings,
        rows: rows(ctx, |_| true),
    }
}

#[cfg(test)]
mod tests {
    use super::{Piece, pieces};

    fn piece(text: &str, code: bool) -> Piece {
        Piece {
            text: text.into(),
            code,
        }
    }

    #[test]
    fn backtick_pairs_become_code_and_a_lone_one_stays() {
        assert_eq!(
            pieces("顶层中有未知的键 `stgae`，是不是 `stage`？"),
            [
                piece("顶层中有未知的键 ", false),
                piece("stgae", true),
                piece("，是不是 ", false),
                piece("stage", true),
                piece("？", false),
            ]
        );
        assert_eq!(pieces("a `b"), [piece("a `b", false)]);
        assert_eq!(pieces("plain"), [piece("plain", false)]);
    }
}
