//! Dates derived from the records: the last sign of life of a project, the
//! latest date in the whole repo, and day counts.

use jiff::civil::Date;

use crate::model::{Dataset, Project, Status};

/// The latest date anything was recorded for the project: stage dates,
/// judgements, notes, forms, the outcome.
pub fn last_activity(p: &Project) -> Option<Date> {
    let stage_dates = p.stages.iter().flatten().flat_map(|r| {
        r.entered
            .iter()
            .chain(r.done.iter())
            .chain(r.judgements.iter().filter_map(|j| j.date.as_ref()))
            .map(|d| d.value)
    });
    let notes = p
        .notes
        .iter()
        .filter_map(|n| n.date.as_ref().map(|d| d.value));
    let forms = p
        .forms
        .iter()
        .filter_map(|f| f.date.as_ref().map(|d| d.value));
    let outcome = p
        .outcome
        .iter()
        .filter_map(|o| o.date.as_ref().map(|d| d.value));
    stage_dates.chain(notes).chain(forms).chain(outcome).max()
}

/// The last sign of life of a project: its last dated entry, or the last
/// commit that changed anything in its folder, whichever is later.
pub fn last_change(data: &Dataset, p: &Project) -> Option<Date> {
    let commit = data.history.as_ref().and_then(|t| t.last_change(&p.folder));
    last_activity(p).max(commit)
}

/// When a project entered a stage: the date its record gives, else the
/// first commit that named the stage.
pub fn entered(data: &Dataset, p: &Project, stage: usize) -> Option<Date> {
    p.stage_record(stage)
        .and_then(|r| r.entered.as_ref())
        .map(|d| d.value)
        .or_else(|| data.history.as_ref()?.entered(&p.folder, stage))
}

/// Days a project has been in its current stage: since it entered it,
/// or since it came back to it after a slip, whichever is later.
pub fn days_in_stage(data: &Dataset, p: &Project, today: Date) -> Option<i64> {
    let stage = p.stage.as_ref()?.value;
    let back = data
        .history
        .as_ref()
        .and_then(|t| t.reentered(&p.folder, stage));
    let since = entered(data, p, stage).max(back)?;
    Some(days_between(since, today))
}

/// The latest recorded date in the repo: what a site built without an
/// explicit date is "as of", so the same data always gives the same site.
pub fn latest(data: &Dataset) -> Option<Date> {
    use rayon::prelude::*;
    let records = data.projects.par_iter().filter_map(last_activity).max();
    let commits = data.history.as_ref().and_then(|t| t.latest());
    records.max(commits)
}

/// The date a site is "as of": the date given, else the latest date in the
/// data, else (an empty repo) the system date. The same data always gives
/// the same site.
pub fn as_of(given: Option<Date>, data: Option<&Dataset>) -> Date {
    given
        .or_else(|| data.and_then(latest))
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}

/// Whole days from `from` to `to`.
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |s| i64::from(s.get_days()))
}

/// The date a closed project closed: its outcome date, else the date its
/// last stage was done or entered.
pub fn closed_on(p: &Project) -> Option<Date> {
    if let Some(d) = p.outcome.as_ref().and_then(|o| o.date.as_ref()) {
        return Some(d.value);
    }
    let rec = p.stage_record(p.stage.as_ref()?.value)?;
    rec.done.as_ref().or(rec.entered.as_ref()).map(|d| d.value)
}

/// Why an active project counts as stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The last dated entry, if there is any.
    pub last: Option<Date>,
    /// Days since then.
    pub days: i64,
    /// Days the current stage allows.
    pub limit: i64,
}

/// Whether an active project has been quiet longer than its stage allows:
/// no dated entry, note or commit for that long (or nothing dated at all).
pub fn staleness(data: &Dataset, p: &Project, today: Date) -> Option<Stale> {
    if p.status() != Status::Active {
        return None;
    }
    let limit = i64::from(data.process.stages[p.stage.as_ref()?.value].stale_days);
    match last_change(data, p) {
        None => Some(Stale {
            last: None,
            days: 0,
            limit,
        }),
        Some(last) => {
            let days = days_between(last, today);
            (days > limit).then_some(Stale {
                last: Some(last),
                days,
                limit,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_days() {
        assert_eq!(
            days_between(
                jiff::civil::date(2026, 2, 27),
                jiff::civil::date(2026, 3, 2)
            ),
            3
        );
        assert_eq!(
            days_between(
                jiff::civil::date(2026, 3, 2),
                jiff::civil::date(2026, 2, 27)
            ),
            -3
        );
    }
}
