//! Findings: every problem `check` reports, where it is, and how to show it.
//!
//! A finding stores its message as an i18n key plus arguments, not as text,
//! so the same finding can be printed in zh-CN on a terminal and in English
//! on the site. Rendering lives in `human`, `json` and `github`.

pub mod codes;
pub mod github;
pub mod human;
pub mod json;
pub mod source;

use crate::span::Span;
pub use codes::Rule;
pub use source::SourceMap;

/// How bad a finding is. `Allow` findings are dropped before reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Allow,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Allow => "allow",
        }
    }
}

/// One argument of a message: literal text, a number, or an i18n term that
/// is looked up in the reader's language (a type name, a role, ...).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    Text(String),
    Term(String),
}

/// A message to be translated: an i18n key and named arguments.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    /// Adds a literal argument (an id, a path, a number).
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Adds an argument that is itself an i18n key.
    pub fn term(mut self, name: &'static str, key: impl Into<String>) -> Self {
        self.args.push((name, Arg::Term(key.into())));
        self
    }
}

/// A secondary location that explains a finding ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub path: String,
    pub span: Option<Span>,
    pub message: Msg,
}

/// One problem in the data repo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// Path relative to the repo root, with `/` separators.
    pub path: String,
    pub span: Option<Span>,
    pub message: Msg,
    pub help: Option<Msg>,
    pub related: Vec<Related>,
}

impl Finding {
    /// A finding of `rule` with its default severity.
    pub fn new(rule: &Rule, path: impl Into<String>, span: Option<Span>, message: Msg) -> Self {
        Finding {
            code: rule.code,
            severity: rule.default,
            path: path.into(),
            span,
            message,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }

    pub fn with_help_opt(mut self, help: Option<Msg>) -> Self {
        self.help = help;
        self
    }

    pub fn with_related(
        mut self,
        path: impl Into<String>,
        span: Option<Span>,
        message: Msg,
    ) -> Self {
        self.related.push(Related {
            path: path.into(),
            span,
            message,
        });
        self
    }

    /// Stable report order: by file, then position, then code.
    fn sort_key(&self) -> (&str, usize, usize, &str, &Msg) {
        let (start, end) = self.span.map_or((0, 0), |s| (s.start, s.end));
        (&self.path, start, end, self.code, &self.message)
    }
}

/// Sorts findings into report order and removes exact duplicates.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
}

/// The most findings of one code reported in one file; a file that breaks
/// a rule more often (a line of 100,000 `=`) gets one more finding that
/// counts the rest, so the report stays readable and its size bounded.
pub const MAX_PER_FILE_AND_CODE: usize = 20;

/// Keeps the first [`MAX_PER_FILE_AND_CODE`] findings of each code in each
/// file (of sorted findings) and replaces the rest by one that counts them.
pub fn cap_findings(findings: &mut Vec<Finding>) {
    let mut counts: std::collections::HashMap<(String, &'static str), usize> =
        std::collections::HashMap::new();
    for f in findings.iter() {
        *counts.entry((f.path.clone(), f.code)).or_default() += 1;
    }
    if counts.values().all(|&n| n <= MAX_PER_FILE_AND_CODE) {
        return;
    }
    let mut seen: std::collections::HashMap<(String, &'static str), usize> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(
        findings
            .len()
            .min(counts.len() * (MAX_PER_FILE_AND_CODE + 1)),
    );
    for f in findings.drain(..) {
        let key = (f.path.clone(), f.code);
        let n = seen.entry(key.clone()).or_default();
        *n += 1;
        if *n < MAX_PER_FILE_AND_CODE {
            out.push(f);
        } else if *n == MAX_PER_FILE_AND_CODE {
            let total = counts[&key];
            if total == MAX_PER_FILE_AND_CODE {
                out.push(f);
            } else {
                out.push(more(&f, total - MAX_PER_FILE_AND_CODE + 1));
            }
        }
    }
    *findings = out;
}

/// A finding that stands for `count` more like `like`, at its place.
pub fn more(like: &Finding, count: usize) -> Finding {
    Finding {
        code: like.code,
        severity: like.severity,
        path: like.path.clone(),
        span: like.span,
        message: Msg::new("msg.more-findings")
            .arg("count", count)
            .arg("code", like.code),
        help: Some(Msg::new("help.more-findings")),
        related: Vec::new(),
    }
}

/// Counts of what a run found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Allow => {}
            }
        }
        t
    }
}
