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
    use rayon::prelude::*;
    // Each project's own figures on all cores, and the figures that do
    // not need each other side by side: at 10,000 projects this is most of
    // what `serve` does after a change.
    let per_project: Vec<(Option<dates::Stale>, Option<i64>, Vec<Flag>)> = data
        .projects
        .par_iter()
        .map(|p| {
            let stale = dates::staleness(data, p, as_of);
            let days = dates::days_in_stage(data, p, as_of);
            let flags = flags::flags(data, p, as_of, days, stale.is_some());
            (stale, days, flags)
        })
        .collect();
    let mut stale = Vec::with_capacity(per_project.len());
    let mut days_in_stage = Vec::with_capacity(per_project.len());
    let mut flags = Vec::with_capacity(per_project.len());
    for (s, d, f) in per_project {
        stale.push(s);
        days_in_stage.push(d);
        flags.push(f);
    }
    let (mut by_stage, mut owed, mut recent, mut needs_look, mut outlook) =
        (None, None, None, None, None);
    rayon::scope(|s| {
        s.spawn(|_| {
            let stages = funnel::stages(data);
            let totals = funnel::totals(data, &stages, as_of);
            by_stage = Some((stages, totals));
        });
        s.spawn(|_| {
            let pending = pending::pending(data, as_of);
            let people = people::people(data, as_of, &pending);
            owed = Some((pending, people));
        });
        s.spawn(|_| {
            let tracks = trends::tracks(data);
            let stages = data.process.stages.len();
            let weeks = trends::weeks(&tracks, stages, as_of, config.trend_weeks);
            recent = Some((weeks, changes::changes(data, &tracks, as_of)));
        });
        s.spawn(|_| {
            let neglected = config.board.neglected_days;
            needs_look = Some(attention::attention(data, as_of, &days_in_stage, neglected));
        });
        s.spawn(|_| {
            let forecast = forecast::forecast(data, as_of, &config.targets);
            let winloss = winloss::winloss(data, as_of, &config.board.amount_bands);
            outlook = Some((forecast, winloss));
        });
    });
    let ((stages, totals), (pending, people)) = (
        by_stage.expect("funnel figured"),
        owed.expect("pending figured"),
    );
    let ((weeks, changes), attention, (forecast, winloss)) = (
        recent.expect("trends figured"),
        needs_look.expect("attention figured"),
        outlook.expect("forecast figured"),
    );
    Analysis {
        as_of,
        stages,
        totals,
        people,
        pending,
        attention,
        stale,
        days_in_stage,
        flags,
        weeks,
        changes,
        forecast,
        winloss,
    }
}
