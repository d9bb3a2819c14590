//! GitHub Actions workflow commands: each finding becomes an annotation on
//! the pull request's diff.

use super::{Finding, Severity, SourceMap};
use crate::i18n::I18n;

/// Escapes a message (`%`, CR, LF) as the runner expects.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators too.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(findings: &[Finding], sources: &SourceMap, i18n: &I18n) -> String {
    let mut out = String::new();
    for f in findings {
        let command = match f.severity {
            Severity::Error => "error",
            _ => "warning",
        };
        let mut props = vec![format!("file={}", escape_property(&f.path))];
        if let (Some(span), Some(file)) = (f.span, sources.get(&f.path)) {
            let start = file.line_col(span.start);
            let end = file.line_col(span.end);
            props.push(format!("line={}", start.line));
            props.push(format!("col={}", start.col));
            props.push(format!("endLine={}", end.line));
            if end.line == start.line {
                props.push(format!("endColumn={}", end.col));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("dealbook {}", f.code))
        ));
        let mut message = i18n.format(&f.message);
        if let Some(help) = &f.help {
            message.push('\n');
            message.push_str(&i18n.format(help));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators() {
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
    }
}
