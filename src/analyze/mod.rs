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
    /// Active projects quiet for too long: (project index, staleness).
    pub stale: Vec<(usize, dates::Stale)>,
}

pub fn analyze(data: &Dataset, as_of: Date) -> Analysis {
    let stages = funnel::stages(data);
    let totals = funnel::totals(data, &stages, as_of);
    let stale = data
        .projects
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i, dates::staleness(p, &data.process, as_of)?)))
        .collect();
    Analysis {
        as_of,
        stages,
        totals,
        pending: pending::pending(data, as_of),
        stale,
    }
}
