//! The check pipeline as one pure function: loaded data → sorted findings
//! with the repo's severities applied.

use jiff::civil::Date;

use crate::diag::{Finding, SourceMap, Tally, sort_findings};
use crate::model::{Dataset, Loaded};

/// What `check` found.
#[derive(Debug)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub sources: SourceMap,
    pub projects: usize,
    pub dataset: Option<Dataset>,
}

/// Runs the rules over a loaded repo.
pub fn run(loaded: Loaded, today: Date) -> Report {
    let Loaded {
        config,
        dataset,
        mut findings,
        sources,
        ..
    } = loaded;
    if let Some(data) = &dataset {
        findings.extend(crate::rules::check(data, today));
    }
    config.apply_severities(&mut findings);
    sort_findings(&mut findings);
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
