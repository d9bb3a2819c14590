//! `check --base REF`: the data at a Git revision, compared with the data
//! now, summarized for the pull request (`summary`).

pub mod summary;

use std::path::Path;

use jiff::civil::Date;

use crate::diag::Finding;
use crate::diag::Msg;
use crate::history::read::Repo;
use crate::i18n::I18n;
use crate::model::Dataset;

/// The Markdown summary of what changed since `base`: the data there
/// against `head` and its findings, as `check` found them.
pub fn against(
    root: &Path,
    base: &str,
    head: (&Dataset, &[Finding]),
    history: bool,
    today: Date,
    i18n: &I18n,
) -> Result<String, Msg> {
    let no_git = |why: crate::history::NoHistory| why.needed_by("--base");
    let repo = Repo::open(root).map_err(no_git)?;
    let commit = repo
        .resolve(base)
        .map_err(|_| Msg::new("review.no-base").arg("base", base))?;
    let files = repo.files_at(commit).map_err(no_git)?;
    let mut base = crate::pipeline::load(&files, None).map_err(|f| f.0)?;
    drop(files);
    // The base's history as far as it goes; without it, its findings
    // simply lack the history rules.
    if history {
        let _ = base.read_history(root, Some(commit));
    }
    let base = base.check(today).report;
    let Some(base_data) = &base.dataset else {
        return Err(Msg::new("review.unusable"));
    };
    let base_findings = &base.findings;
    Ok(summary::summary(
        i18n,
        base_data,
        base_findings,
        head.0,
        head.1,
    ))
}
