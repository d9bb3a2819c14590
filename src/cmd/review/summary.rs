//! The review summary of a pull request: what it changes in the pipeline,
//! as Markdown for CI to post as a comment. Compares the data at the base
//! with the data now. Pure.

use std::collections::BTreeMap;

use crate::diag::{Finding, Severity};
use crate::i18n::I18n;
use crate::model::{Dataset, Project};

/// Message arguments that change while the problem stays the same (a
/// stale project is a day staler tomorrow).
const VOLATILE: [&str; 4] = ["days", "today", "last", "commit"];

/// A finding without its position or its volatile arguments, to tell
/// introduced from fixed.
fn key(f: &Finding) -> (String, String, crate::diag::Msg) {
    let mut message = f.message.clone();
    message.args.retain(|(name, _)| !VOLATILE.contains(name));
    (f.path.clone(), f.code.to_string(), message)
}

fn by_folder(data: &Dataset) -> BTreeMap<&str, &Project> {
    data.projects
        .iter()
        .map(|p| (p.folder.as_str(), p))
        .collect()
}

fn name(p: &Project) -> String {
    format!(
        "`{}` {}",
        p.code.value.replace('`', "'"),
        markdown_text(p.name.as_ref().map_or("", |n| n.value.as_str()))
    )
}

/// Text from the records as plain Markdown text: outside `code spans`,
/// characters that would format, link, mention (`@`) or open HTML are
/// escaped, so a comment shows what the record says and nothing more.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // An odd backtick would open a code span that swallows the rest:
    // then no text is code, and every backtick is escaped.
    let spans = text.matches('`').count().is_multiple_of(2);
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push_str(if spans { "`" } else { "\\`" });
        }
        if spans && i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            if matches!(
                c,
                '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '@' | '&'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The summary, in the reader's language.
pub fn summary(
    i18n: &I18n,
    base: &Dataset,
    base_findings: &[Finding],
    head: &Dataset,
    head_findings: &[Finding],
) -> String {
    let t = |key: &str| i18n.get(key).to_string();
    let stage = |data: &Dataset, p: &Project| {
        p.stage.as_ref().map_or_else(String::new, |s| {
            data.process
                .text(&data.process.stages[s.value].name, i18n.locale())
                .to_string()
        })
    };
    let role = |r: usize| {
        head.process
            .text(&head.process.roles[r].name, i18n.locale())
            .to_string()
    };
    let (old, new) = (by_folder(base), by_folder(head));
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut moves = Vec::new();
    let mut status = Vec::new();
    let mut amounts = Vec::new();
    let mut closes = Vec::new();
    let status_name = |p: &Project| i18n.get(&format!("status.{}", p.status().id())).to_string();
    let mut judgements = Vec::new();
    for (folder, p) in &new {
        let Some(before) = old.get(folder) else {
            added.push(format!(
                "- {} ({}, {})",
                name(p),
                stage(head, p),
                status_name(p)
            ));
            continue;
        };
        let (a, b) = (
            before.stage.as_ref().map(|s| s.value),
            p.stage.as_ref().map(|s| s.value),
        );
        if a != b {
            let arrow = if b > a { "⬆" } else { "⬇" };
            moves.push(format!(
                "- {} {}: {} → {}",
                arrow,
                name(p),
                stage(base, before),
                stage(head, p)
            ));
        }
        if before.status() != p.status() {
            status.push(format!(
                "- {}: {} → {}",
                name(p),
                status_name(before),
                status_name(p)
            ));
        }
        let (x, y) = (
            before.expected_close.as_ref().map(|v| v.value),
            p.expected_close.as_ref().map(|v| v.value),
        );
        if x != y {
            let show =
                |v: Option<jiff::civil::Date>| v.map_or_else(|| "—".to_string(), |d| d.to_string());
            closes.push(format!("- {}: {} → {}", name(p), show(x), show(y)));
        }
        let (x, y) = (
            before.amount.as_ref().map(|v| v.value),
            p.amount.as_ref().map(|v| v.value),
        );
        if x != y {
            let show =
                |v: Option<i64>| v.map_or_else(|| "—".to_string(), crate::render::format::grouped);
            amounts.push(format!("- {}: {} → {}", name(p), show(x), show(y)));
        }
        for (s, rec) in p.stages.iter().enumerate() {
            let Some(rec) = rec else { continue };
            for j in &rec.judgements {
                let text = |j: &crate::model::Judgement| {
                    (
                        j.judgement.as_ref().map(|v| v.value.clone()),
                        j.follow_up.as_ref().map(|v| v.value.clone()),
                    )
                };
                let earlier = before
                    .stage_record(s)
                    .and_then(|r| r.judgement(j.role))
                    .map(text);
                if earlier != Some(text(j)) && j.judgement.is_some() {
                    let stage_name = head
                        .process
                        .text(&head.process.stages[s].name, i18n.locale());
                    judgements.push(format!("- {}: {} · {}", name(p), stage_name, role(j.role)));
                }
            }
        }
    }
    for (folder, p) in &old {
        if !new.contains_key(folder) {
            removed.push(format!("- {}", name(p)));
        }
    }
    type Listed = BTreeMap<(String, String, crate::diag::Msg), (Severity, String)>;
    let listed = |fs: &[Finding]| -> Listed {
        fs.iter()
            .filter(|f| f.severity != Severity::Allow)
            .map(|f| (key(f), (f.severity, i18n.format(&f.message))))
            .collect()
    };
    let (was, is) = (listed(base_findings), listed(head_findings));
    // Errors first: they are what keeps a pull request from merging.
    let only = |a: &Listed, b: &Listed| {
        let mut lines: Vec<(bool, String)> = a
            .iter()
            .filter(|(k, _)| !b.contains_key(*k))
            .map(|((p, c, _), (severity, m))| {
                let level = match severity {
                    Severity::Error => t("check.error"),
                    _ => t("check.warning"),
                };
                (
                    *severity != Severity::Error,
                    format!("- **{level}** `{p}` [{c}] {}", markdown_text(m)),
                )
            })
            .collect();
        lines.sort_by_key(|(warning, _)| *warning);
        lines.into_iter().map(|(_, line)| line).collect::<Vec<_>>()
    };
    let introduced = only(&is, &was);
    let fixed = only(&was, &is);

    let mut out = format!("## {}\n\n", t("review.title"));
    let sections = [
        ("review.added", added),
        ("review.removed", removed),
        ("review.moves", moves),
        ("review.status", status),
        ("review.amounts", amounts),
        ("review.closes", closes),
        ("review.judgements", judgements),
        ("review.introduced", introduced),
        ("review.fixed", fixed),
    ];
    let mut any = false;
    for (title, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        any = true;
        out.push_str(&format!(
            "### {} ({})\n\n{}\n\n",
            t(title),
            lines.len(),
            lines.join("\n")
        ));
    }
    if !any {
        out.push_str(&t("review.nothing"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown_text;

    #[test]
    fn record_text_cannot_format_link_or_mention() {
        assert_eq!(
            markdown_text("<img src=x> [a](http://x) @boss *big*"),
            r"\<img src=x\> \[a\](http://x) \@boss \*big\*"
        );
    }

    #[test]
    fn an_odd_backtick_opens_no_code_span() {
        assert_eq!(
            markdown_text("chairs ` @boss <img src=x>"),
            r"chairs \` \@boss \<img src=x\>"
        );
    }

    #[test]
    fn code_spans_stay_as_written() {
        assert_eq!(markdown_text("key `a_b` in <x>"), r"key `a_b` in \<x\>");
    }
}
