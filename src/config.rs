//! Site and check settings from `dealbook.toml`.

use std::collections::BTreeMap;

use crate::diag::{Finding, Severity};
use crate::process::Text;

/// The data repo's `dealbook.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Site title, one text or one per locale; the process title when
    /// empty.
    pub title: Text,
    pub locale: String,
    pub base_url: String,
    pub theme: String,
    /// Prefix of an "edit this file" link (`…/edit/main/`), joined with the
    /// repo-relative path.
    pub edit_url: Option<String>,
    /// The Git host's web editor (`[edit]`): links that open a file, or a
    /// new judgement file filled in, for editing in the browser.
    pub edit: Option<EditHost>,
    /// Severity overrides by finding code.
    pub rules: BTreeMap<&'static str, Severity>,
    /// How far a recorded `entered` date may be from the history's before
    /// it is a finding.
    pub history_tolerance_days: i64,
    /// Weeks of pipeline trend on the overview.
    pub trend_weeks: usize,
    /// Records committed up to this day were brought in from elsewhere
    /// (the team's first commit of existing data): their judgements are
    /// credited as imported, and stages finished by then need no
    /// judgements, forms or ticked conditions.
    pub trusted_until: Option<jiff::civil::Date>,
    /// Read the Git history (off for a repo whose history is not the
    /// sales team's, like the bundled demo).
    pub history: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: Text::default(),
            locale: crate::i18n::DEFAULT_LOCALE.to_string(),
            base_url: "/".to_string(),
            theme: "default".to_string(),
            edit_url: None,
            edit: None,
            rules: BTreeMap::new(),
            history_tolerance_days: 7,
            trend_weeks: 26,
            trusted_until: None,
            history: true,
        }
    }
}

/// A Git host whose web editor the site links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    GitHub,
    GitLab,
    Gitea,
}

impl Host {
    pub const ALL: [Host; 3] = [Host::GitHub, Host::GitLab, Host::Gitea];

    pub fn id(self) -> &'static str {
        match self {
            Host::GitHub => "github",
            Host::GitLab => "gitlab",
            Host::Gitea => "gitea",
        }
    }
}

/// `[edit]` of `dealbook.toml`: where the data repo lives on its host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditHost {
    pub host: Host,
    /// The repository's web address, without a trailing `/` or `.git`.
    pub repo: String,
    pub branch: String,
}

impl Config {
    /// Applies the `[rules]` overrides and drops allowed findings.
    pub fn apply_severities(&self, findings: &mut Vec<Finding>) {
        for f in findings.iter_mut() {
            if let Some(sev) = self.rules.get(f.code) {
                f.severity = *sev;
            }
        }
        findings.retain(|f| f.severity != Severity::Allow);
    }
}
