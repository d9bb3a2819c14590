//! Analyze: the dataset → the figures the dashboard shows. Pure: every
//! figure is as of a date given, never the clock.

pub mod attention;
pub mod changes;
pub mod dates;
pub mod flags;
pub mod forecast;
pub mod funnel;
pub mod pending;
pub mod people;
#[cfg(test)]
pub(crate) mod testing;
pub mod trends;
pub mod winloss;

use jiff::civil::Date;

pub use flags::Flag;
pub use funnel::{StageFigures, Totals};
pub use pending::{Pending, PendingKind};

use crate::config::Config;
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
    /// By project: what needs a look (overdue, stuck, stale, past close).
    pub flags: Vec<Vec<Flag>>,
    /// The pipeline at the end of each of the last weeks, oldest first.
    pub weeks: Vec<crate::analyze::trends::Week>,
    /// What changed in the last seven days.
    pub changes: changes::WeekChanges,
    pub forecast: forecast::Forecast,
    pub attention: attention::Attention,
    pub winloss: winloss::WinLoss,
    pub people: people::People,
}

/// The figures of `data` as of `as_of`, with the settings of `config`
/// (trend weeks, the board's thresholds, targets).
pub fn analyze(data: &Dataset, config: &Config, as_of: Date) -> Analysis {
    use crate::analyze::trends;
    let stages = funnel::stages(data);
    let totals = funnel::totals(data, &stages, as_of);
    let stale: Vec<Option<dates::Stale>> = data
        .projects
        .iter()
        .map(|p| dates::staleness(data, p, as_of))
        .collect();
    let days_in_stage: Vec<Option<i64>> = data
        .projects
        .iter()
        .map(|p| dates::days_in_stage(data, p, as_of))
        .collect();
    let flags = data
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| flags::flags(data, p, as_of, days_in_stage[i], stale[i].is_some()))
        .collect();
    let tracks = trends::tracks(data);
    let pending = pending::pending(data, as_of);
    Analysis {
        as_of,
        stages,
        totals,
        people: people::people(data, as_of, &pending),
        pending,
        attention: attention::attention(data, as_of, &days_in_stage, config.board.neglected_days),
        stale,
        days_in_stage,
        flags,
        weeks: trends::weeks(
            &tracks,
            data.process.stages.len(),
            as_of,
            config.trend_weeks,
        ),
        changes: changes::changes(data, &tracks, as_of),
        forecast: forecast::forecast(data, as_of, &config.targets),
        winloss: winloss::winloss(data, as_of, &config.board.amount_bands),
    }
}
