//! Machine-readable output: one JSON document with every finding.

use serde_json::{Value, json};

use super::{Finding, SourceMap, Tally};
use crate::i18n::I18n;
use crate::span::Span;

fn position(sources: &SourceMap, path: &str, span: Option<Span>) -> Value {
    match (span, sources.get(path)) {
        (Some(span), Some(file)) => {
            let start = file.line_col(span.start);
            let end = file.line_col(span.end);
            json!({
                "line": start.line,
                "column": start.col,
                "end_line": end.line,
                "end_column": end.col,
                "byte_start": span.start,
                "byte_end": span.end,
            })
        }
        _ => Value::Null,
    }
}

pub fn render(findings: &[Finding], projects: usize, sources: &SourceMap, i18n: &I18n) -> String {
    let items: Vec<Value> = findings
        .iter()
        .map(|f| {
            json!({
                "severity": f.severity.as_str(),
                "code": f.code,
                "path": f.path,
                "position": position(sources, &f.path, f.span),
                "message": i18n.format(&f.message),
                "help": f.help.as_ref().map(|h| i18n.format(h)),
                "related": f.related.iter().map(|r| json!({
                    "path": r.path,
                    "position": position(sources, &r.path, r.span),
                    "message": i18n.format(&r.message),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let tally = Tally::of(findings);
    let doc = json!({
        "findings": items,
        "summary": {
            "projects": projects,
            "errors": tally.errors,
            "warnings": tally.warnings,
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    out.push('\n');
    out
}
