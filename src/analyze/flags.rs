//! The flags a project carries in every list of the board: the signs that
//! it needs a look. Only active projects carry them.

use jiff::civil::Date;

use crate::model::{Dataset, Project, Status};

/// Something about a project that needs a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Flag {
    /// The next step's date has passed.
    OverdueNextStep,
    /// Longer in its stage than the stage's `max_days`.
    Stuck,
    /// Quiet for longer than the stage's `stale_days`.
    Stale,
    /// The expected close date has passed.
    PastClose,
}

impl Flag {
    pub const ALL: [Flag; 4] = [
        Flag::OverdueNextStep,
        Flag::Stuck,
        Flag::Stale,
        Flag::PastClose,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Flag::OverdueNextStep => "overdue_next_step",
            Flag::Stuck => "stuck",
            Flag::Stale => "stale",
            Flag::PastClose => "past_close",
        }
    }
}

/// How far over its stage's limit a project is: (days in stage, limit).
pub fn stuck(data: &Dataset, p: &Project, days_in_stage: Option<i64>) -> Option<(i64, i64)> {
    if p.status() != Status::Active {
        return None;
    }
    let limit = i64::from(data.process.stages[p.stage.as_ref()?.value].max_days?);
    let days = days_in_stage?;
    (days > limit).then_some((days, limit))
}

/// The date a project's next step was due, when it has passed.
pub fn overdue_next_step(p: &Project, as_of: Date) -> Option<Date> {
    p.next_step
        .as_ref()?
        .date
        .as_ref()
        .map(|d| d.value)
        .filter(|&d| d < as_of)
}

/// A project's flags, in [`Flag::ALL`] order.
pub fn flags(
    data: &Dataset,
    p: &Project,
    as_of: Date,
    days_in_stage: Option<i64>,
    stale: bool,
) -> Vec<Flag> {
    if p.status() != Status::Active {
        return Vec::new();
    }
    let past_close = p.expected_close.as_ref().is_some_and(|d| d.value < as_of);
    Flag::ALL
        .into_iter()
        .filter(|f| match f {
            Flag::OverdueNextStep => overdue_next_step(p, as_of).is_some(),
            Flag::Stuck => stuck(data, p, days_in_stage).is_some(),
            Flag::Stale => stale,
            Flag::PastClose => past_close,
        })
        .collect()
}
