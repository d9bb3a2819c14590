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
