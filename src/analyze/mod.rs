//! Analyze: the dataset → the figures the dashboard shows. Pure.

pub mod dates;
pub mod funnel;
pub mod pending;

use jiff::civil::Date;

pub use funnel::{StageFigures, Totals};
pub use pending::{Pending, PendingKind};

use crate::model::Dataset;

/// Everything the overview and lists need beyond the records themselves.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The date the figures are as of.
    pub as_of: Date,
    pub stages: Vec<StageFigures>,
    pub totals: Totals,
    pub pending: Vec<Pending>,
    /// By project: quiet for too long (active projects only).
    pub stale: Vec<Option<dates::Stale>>,
    /// Days each project has been in its current stage, when known.
    pub days_in_stage: Vec<Option<i64>>,
    /// The pipeline at the end of each of the last weeks, oldest first.
    pub weeks: Vec<crate::history::trends::Week>,
    /// What moved in the last seven days.
    pub changes: crate::history::trends::Changes,
}

pub fn analyze(data: &Dataset, as_of: Date, weeks: usize) -> Analysis {
    use crate::history::trends;
    let stages = funnel::stages(data);
    let totals = funnel::totals(data, &stages, as_of);
    let stale = data
        .projects
        .iter()
        .map(|p| dates::staleness(data, p, as_of))
        .collect();
    let tracks = trends::tracks(data);
    let week_ago = as_of.checked_sub(jiff::ToSpan::days(7)).unwrap_or(as_of);
    Analysis {
        as_of,
        stages,
        totals,
        pending: pending::pending(data, as_of),
        stale,
        days_in_stage: data
            .projects
            .iter()
            .map(|p| dates::days_in_stage(data, p, as_of))
            .collect(),
        weeks: trends::weeks(&tracks, data.process.stages.len(), as_of, weeks),
        changes: trends::changes(&tracks, week_ago, as_of),
    }
}
