//! The check pipeline as one pure function: loaded data → sorted findings
//! with the repo's severities applied.

use jiff::civil::Date;

use crate::config::Config;
use crate::diag::{Finding, SourceMap, Tally, cap_findings, sort_findings};
use crate::model::{Dataset, Loaded};

/// What `check` found.
#[derive(Debug)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub sources: SourceMap,
    pub projects: usize,
    pub dataset: Option<Dataset>,
}

/// Every finding of a repo: those of reading it, then the rules', with
/// its severities applied, in report order. `check`, `build` and `serve`
/// all come here.
pub fn findings(
    config: &Config,
    dataset: Option<&Dataset>,
    mut findings: Vec<Finding>,
    today: Date,
) -> Vec<Finding> {
    if let Some(data) = dataset {
        let settings = crate::rules::Settings::new(today, config);
        findings.extend(crate::rules::check(data, &settings));
    }
    finish(config, findings)
}

/// All the findings of a repo in report order, its severities applied.
pub fn finish(config: &Config, mut findings: Vec<Finding>) -> Vec<Finding> {
    config.apply_severities(&mut findings);
    sort_findings(&mut findings);
    cap_findings(&mut findings);
    findings
}

/// Runs the rules over a loaded repo.
pub fn run(loaded: Loaded, today: Date) -> Report {
    let Loaded {
        config,
        dataset,
        findings: read,
        mut sources,
        ..
    } = loaded;
    let findings = findings(&config, dataset.as_ref(), read, today);
    // Only the files the report points into are shown again.
    let shown: std::collections::HashSet<&str> = findings
        .iter()
        .flat_map(|f| {
            std::iter::once(f.path.as_str()).chain(f.related.iter().map(|r| r.path.as_str()))
        })
        .collect();
    sources.retain(|path| shown.contains(path));
    drop(shown);
    Report {
        findings,
        sources,
        projects: dataset.as_ref().map_or(0, |d| d.projects.len()),
        dataset,
    }
}

impl Report {
    pub fn tally(&self) -> Tally {
        Tally::of(&self.findings)
    }
}
