//! Human output, like rustc and cargo-deny: a `path:line:col:` headline,
//! the source line with the span underlined, and a help line.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::source::{LineCol, SourceFile};
use super::{Finding, Severity, SourceMap, Tally};
use crate::i18n::I18n;
use crate::span::Span;

/// ANSI colours, or none.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// `path:line:col` of a span (or just `path`).
pub fn location(sources: &SourceMap, path: &str, span: Option<Span>) -> String {
    match (span, sources.get(path)) {
        (Some(span), Some(file)) => {
            let lc = file.line_col(span.start);
            format!("{path}:{}:{}", lc.line, lc.col)
        }
        _ => path.to_string(),
    }
}

/// Renders one finding.
pub fn render(f: &Finding, sources: &SourceMap, i18n: &I18n, style: Style) -> String {
    let mut out = String::new();
    let (sev_text, sev_color) = match f.severity {
        Severity::Error => (i18n.get("check.error"), "1;31"),
        _ => (i18n.get("check.warning"), "1;33"),
    };
    let _ = writeln!(
        out,
        "{}: {}{} {}",
        style.paint("1", &location(sources, &f.path, f.span)),
        style.paint(sev_color, &format!("{sev_text}[{}]", f.code)),
        style.paint("1", ":"),
        style.paint("1", &i18n.format(&f.message)),
    );
    if let (Some(span), Some(file)) = (f.span, sources.get(&f.path)) {
        snippet(&mut out, file, span, style, sev_color);
    }
    let gutter = " ".repeat(gutter_width(f, sources));
    if let Some(help) = &f.help {
        let _ = writeln!(
            out,
            "{gutter} {} {}: {}",
            style.paint("1;34", "="),
            style.paint("1", i18n.get("check.help")),
            i18n.format(help)
        );
    }
    for r in &f.related {
        let _ = writeln!(
            out,
            "{gutter} {} {}: {}: {}",
            style.paint("1;34", "="),
            style.paint("1", i18n.get("check.note")),
            location(sources, &r.path, r.span),
            i18n.format(&r.message)
        );
    }
    out
}

fn gutter_width(f: &Finding, sources: &SourceMap) -> usize {
    match (f.span, sources.get(&f.path)) {
        (Some(span), Some(file)) => file.line_col(span.start).line.to_string().len(),
        _ => 1,
    }
}

/// The most columns of a source line shown; a longer line is cut to a
/// window around the span, with `…` where it was cut.
const MAX_LINE_COLUMNS: usize = 120;

/// The line of the span with `^^^` under it. A span over several lines is
/// underlined to the end of its first line.
fn snippet(out: &mut String, file: &SourceFile, span: Span, style: Style, color: &str) {
    let LineCol { line, .. } = file.line_col(span.start);
    let text = file.line(line);
    let line_start = file.line_start(line);
    let start = span.start.saturating_sub(line_start).min(text.len());
    let end = span.end.saturating_sub(line_start).clamp(start, text.len());
    let (start, end) = (floor_char(text, start), floor_char(text, end));
    let (shown, pad, width) = window(text, start, end);
    let num = line.to_string();
    let blank = " ".repeat(num.len());
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{blank} {bar}");
    let _ = writeln!(out, "{} {bar} {shown}", style.paint("1;34", &num));
    let _ = writeln!(
        out,
        "{blank} {bar} {}{}",
        " ".repeat(pad),
        style.paint(color, &"^".repeat(width))
    );
}

/// What to show of a line for the span `start..end` (byte offsets): the
/// text, the columns before the span and the span's width, all within
/// [`MAX_LINE_COLUMNS`] (a 1 MB line prints as one short line).
fn window(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    let before = display_width(&text[..start]);
    let width = display_width(&text[start..end]).max(1);
    if display_width(text) <= MAX_LINE_COLUMNS {
        return (text.replace('\t', "    "), before, width);
    }
    // Keep a little context before the span, then as much as fits.
    let from = chars_back(text, start, 30);
    let cut_front = from > 0;
    let mut shown = String::new();
    if cut_front {
        shown.push('…');
    }
    let pad = display_width(&shown) + display_width(&text[from..start]);
    let mut columns = display_width(&shown);
    let mut cut_back = false;
    for ch in text[from..].chars() {
        let w = display_width(ch.encode_utf8(&mut [0; 4]));
        if columns + w > MAX_LINE_COLUMNS - 1 {
            cut_back = true;
            break;
        }
        columns += w;
        if ch == '\t' {
            shown.push_str("    ");
        } else {
            shown.push(ch);
        }
    }
    if cut_back {
        shown.push('…');
    }
    let width = width.min(MAX_LINE_COLUMNS.saturating_sub(pad)).max(1);
    (shown, pad, width)
}

/// The byte offset `n` characters before `at` (or 0).
fn chars_back(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Terminal columns of a piece of a line (CJK characters take two).
fn display_width(s: &str) -> usize {
    s.replace('\t', "    ").width()
}

/// The closing line: what was checked and what was found.
pub fn summary(tally: Tally, projects: usize, i18n: &I18n) -> String {
    use super::Msg;
    let msg = if tally.errors == 0 && tally.warnings == 0 {
        Msg::new("check.summary-clean").arg("projects", projects)
    } else {
        Msg::new("check.summary")
            .arg("projects", projects)
            .arg("errors", tally.errors)
            .arg("warnings", tally.warnings)
    };
    i18n.format(&msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Msg, codes};

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("{}name = \"x\"{}", "a".repeat(5000), "b".repeat(5000));
        let start = 5000;
        let (shown, pad, width) = window(&line, start, start + 4);
        assert!(shown.width() <= MAX_LINE_COLUMNS, "{}", shown.width());
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(&shown.chars().skip(pad).take(4).collect::<String>(), "name");
        assert_eq!(width, 4);
        assert_eq!(shown.width(), MAX_LINE_COLUMNS, "as much as fits is shown");
        // A short line is shown whole.
        let (shown, pad, width) = window("amount = \"lots\"", 9, 15);
        assert_eq!((shown.as_str(), pad, width), ("amount = \"lots\"", 9, 6));
    }

    #[test]
    fn underlines_wide_characters_with_two_columns_each() {
        let mut sources = SourceMap::default();
        let text = "code = \"X\"\nstage = \"方案涉计\"\n";
        sources.insert("p.toml", text.to_string());
        let start = text.find("\"方").unwrap();
        let f = Finding::new(
            &codes::UNKNOWN_STAGE,
            "p.toml",
            Some(Span::new(start, start + "\"方案涉计\"".len())),
            Msg::new("msg.unknown-stage").arg("stage", "方案涉计"),
        )
        .with_help(Msg::new("help.did-you-mean").arg("candidate", "方案设计"));
        let out = render(&f, &sources, &I18n::builtin("en"), Style::default());
        let expected = "\
p.toml:2:9: error[unknown-stage]: unknown stage `方案涉计`
  |
2 | stage = \"方案涉计\"
  |         ^^^^^^^^^^
  = help: did you mean `方案设计`?
";
        assert_eq!(out, expected);
    }

    #[test]
    fn a_finding_without_a_span_has_no_snippet() {
        let f = Finding::new(
            &codes::MISSING_RECORD,
            "content/projects/X",
            None,
            Msg::new("msg.missing-record").arg("path", "content/projects/X/project.toml"),
        );
        let out = render(
            &f,
            &SourceMap::default(),
            &I18n::builtin("en"),
            Style::default(),
        );
        assert!(
            out.starts_with("content/projects/X: error[missing-record]: "),
            "{out}"
        );
        assert_eq!(out.lines().count(), 1);
    }
}
