//! Site and check settings from `dealbook.toml`.

use std::collections::BTreeMap;

use crate::diag::{Finding, Severity};
use crate::period::Quarter;
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
    /// What the board's views count by (`[board]`).
    pub board: Board,
    /// Sales targets per quarter (`[targets]`).
    pub targets: Targets,
}

/// Settings of the board's views.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    /// Days without a note, commit or dated entry after which an active
    /// project is listed as neglected.
    pub neglected_days: i64,
    /// Upper bounds (yuan) of the amount bands win rates are given for,
    /// ascending; the last band has no upper bound.
    pub amount_bands: Vec<i64>,
}

impl Default for Board {
    fn default() -> Self {
        Board {
            neglected_days: 21,
            amount_bands: vec![1_000_000, 3_000_000, 10_000_000],
        }
    }
}

/// Contract value to win per quarter: for the whole team and per
/// department.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Targets {
    pub total: BTreeMap<Quarter, i64>,
    /// Department (as records write it) → quarter → amount.
    pub departments: BTreeMap<String, BTreeMap<Quarter, i64>>,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        self.total.is_empty() && self.departments.values().all(BTreeMap::is_empty)
    }
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
            board: Board::default(),
            targets: Targets::default(),
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
