//! The lists a manager opens the board for: what closes soon, the biggest
//! open deals, what is stuck, neglected or overdue. Active projects only;
//! each list is sorted so that what needs a look first comes first.

use jiff::ToSpan;
use jiff::civil::Date;

use super::dates::{days_between, last_change};
use super::flags::{overdue_next_step, stuck};
use super::funnel::amount;
use crate::model::{Dataset, Status};

/// The windows of the closing-soon list, in days from the as-of date.
pub const WINDOWS: [i64; 3] = [30, 60, 90];

/// How many deals the biggest-deals list shows.
pub const BIGGEST: usize = 10;

/// A project expected to close within the widest window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing {
    pub project: usize,
    pub date: Date,
    /// Days from the as-of date to the expected close.
    pub days: i64,
}

/// A project longer in its stage than the stage allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stuck {
    pub project: usize,
    pub days: i64,
    pub limit: i64,
}

/// A project with no note, commit or dated entry for too long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neglected {
    pub project: usize,
    /// The last sign of life, when there is any.
    pub last: Option<Date>,
    /// Days since then (none: nothing dated at all).
    pub days: Option<i64>,
}

/// What is overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OverdueKind {
    /// The project's next step.
    NextStep,
    /// A role's follow-up measure in the current stage (`due`).
    FollowUp { role: usize },
}

/// A date that has passed without the thing being done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    pub project: usize,
    pub kind: OverdueKind,
    pub due: Date,
    pub days: i64,
}

/// Every attention list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attention {
    /// Expected to close from the as-of date to the widest window, soonest
    /// first.
    pub closing: Vec<Closing>,
    /// The largest open amounts, largest first.
    pub biggest: Vec<usize>,
    /// Most days over the limit first.
    pub stuck: Vec<Stuck>,
    /// Quietest first (nothing dated at all before everything).
    pub neglected: Vec<Neglected>,
    /// Longest overdue first.
    pub overdue: Vec<Overdue>,
    /// The neglected list's threshold, in days.
    pub neglected_days: i64,
}

pub fn attention(
    data: &Dataset,
    as_of: Date,
    days_in_stage: &[Option<i64>],
    neglected_days: i64,
) -> Attention {
    let active: Vec<usize> = (0..data.projects.len())
        .filter(|&i| data.projects[i].status() == Status::Active)
        .collect();
    let horizon = as_of
        .checked_add(WINDOWS[WINDOWS.len() - 1].days())
        .unwrap_or(as_of);
    let mut closing: Vec<Closing> = active
        .iter()
        .filter_map(|&i| {
            let date = data.projects[i].expected_close.as_ref()?.value;
            (as_of <= date && date <= horizon).then(|| Closing {
                project: i,
                date,
                days: days_between(as_of, date),
            })
        })
        .collect();
    closing.sort_by_key(|c| (c.date, c.project));

    let mut biggest: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| amount(&data.projects[i]) > 0)
        .collect();
    biggest.sort_by_key(|&i| (std::cmp::Reverse(amount(&data.projects[i])), i));
    biggest.truncate(BIGGEST);

    let mut stuck_list: Vec<Stuck> = active
        .iter()
        .filter_map(|&i| {
            let (days, limit) = stuck(data, &data.projects[i], days_in_stage[i])?;
            Some(Stuck {
                project: i,
                days,
                limit,
            })
        })
        .collect();
    stuck_list.sort_by_key(|s| (std::cmp::Reverse(s.days - s.limit), s.project));

    let mut neglected: Vec<Neglected> = active
        .iter()
        .filter_map(|&i| {
            let last = last_change(data, &data.projects[i]);
            let days = last.map(|d| days_between(d, as_of));
            days.is_none_or(|d| d > neglected_days)
                .then_some(Neglected {
                    project: i,
                    last,
                    days,
                })
        })
        .collect();
    neglected.sort_by_key(|n| (n.days.map(std::cmp::Reverse), n.project));

    let mut overdue = Vec::new();
    for &i in &active {
        let p = &data.projects[i];
        if let Some(due) = overdue_next_step(p, as_of) {
            overdue.push(Overdue {
                project: i,
                kind: OverdueKind::NextStep,
                due,
                days: days_between(due, as_of),
            });
        }
        let current = p.stage.as_ref().and_then(|s| p.stage_record(s.value));
        for j in current.iter().flat_map(|r| &r.judgements) {
            if let Some(due) = j.due.as_ref().map(|d| d.value).filter(|&d| d < as_of) {
                overdue.push(Overdue {
                    project: i,
                    kind: OverdueKind::FollowUp { role: j.role },
                    due,
                    days: days_between(due, as_of),
                });
            }
        }
    }
    overdue.sort_by_key(|o| (o.due, o.project, o.kind));

    Attention {
        closing,
        biggest,
        stuck: stuck_list,
        neglected,
        overdue,
        neglected_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{dataset, record};
    use jiff::civil::date;

    #[test]
    fn lists_what_needs_a_look() {
        let data = dataset(&[
            // Closes in 10 days, next step overdue, quiet since 10-01.
            record(
                "A",
                "proposal",
                5000,
                "2026-10-30",
                "2026-10-15",
                "2026-10-01",
            ),
            // Closes in 100 days: beyond the widest window.
            record(
                "B",
                "proposal",
                9000,
                "2027-01-28",
                "2026-11-01",
                "2026-10-18",
            ),
            // In the first stage since 09-01.
            record("C", "lead", 100, "2026-11-19", "2026-10-25", "2026-09-01"),
        ]);
        let as_of = date(2026, 10, 20);
        let days: Vec<Option<i64>> = data
            .projects
            .iter()
            .map(|p| crate::analyze::dates::days_in_stage(&data, p, as_of))
            .collect();
        let a = attention(&data, as_of, &days, 14);
        let closing: Vec<(usize, i64)> = a.closing.iter().map(|c| (c.project, c.days)).collect();
        assert_eq!(closing, [(0, 10), (2, 30)]);
        assert_eq!(a.biggest, [1, 0, 2]);
        // lead allows 30 days: C is 49 days in.
        assert_eq!(
            a.stuck,
            [Stuck {
                project: 2,
                days: 49,
                limit: 30
            }]
        );
        let neglected: Vec<(usize, Option<i64>)> =
            a.neglected.iter().map(|n| (n.project, n.days)).collect();
        assert_eq!(neglected, [(2, Some(49)), (0, Some(19))]);
        assert_eq!(a.overdue.len(), 1);
        assert_eq!(a.overdue[0].kind, OverdueKind::NextStep);
        assert_eq!(a.overdue[0].days, 5);
    }
}
