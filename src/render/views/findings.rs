//! The findings page: every problem `check` reports, with `file:line` and
//! a link that opens the file in the team's Git host for editing.

use serde::Serialize;

use super::Ctx;
use crate::diag::{Finding, Severity, Tally, human};

#[derive(Clone, Serialize)]
pub struct FindingRow {
    pub severity: &'static str,
    pub severity_name: String,
    pub code: String,
    pub location: String,
    pub message: String,
    pub help: String,
    pub edit: Option<String>,
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
            location: human::location(ctx.sources, &f.path, f.span),
            message: ctx.i18n.format(&f.message),
            help: f
                .help
                .as_ref()
                .map_or_else(String::new, |h| ctx.i18n.format(h)),
            edit: crate::render::editor::edit_link(ctx.config, &f.path),
        })
        .collect()
}

pub fn build(ctx: &Ctx) -> FindingsPage {
    let tally = Tally::of(ctx.findings);
    FindingsPage {
        errors: tally.errors,
        warnings: tally.warnings,
        rows: rows(ctx, |_| true),
    }
}
