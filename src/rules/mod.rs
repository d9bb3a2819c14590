//! Check: the rules of the sales process, applied to a loaded dataset.
//! Pure functions from data to findings; every rule reports every problem
//! it sees, and the caller sorts them.

mod activity;
mod closure;
mod completeness;
mod dates;
mod history;
mod identity;
mod links;
mod people;
mod stage_order;

use jiff::civil::Date;

use crate::diag::Finding;
use crate::model::{Dataset, Project};
use crate::process::Process;
use crate::span::Span;

/// Runs every rule. `today` is the reference date for future dates,
/// overdue steps and staleness; it comes from the caller so results are
/// reproducible. `tolerance_days`: how far a recorded stage date may be
/// from the one history shows.
pub fn check(data: &Dataset, today: Date, tolerance_days: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    identity::check(data, &mut out);
    for p in &data.projects {
        people::check(p, data, &mut out);
        links::check(p, &mut out);
        dates::check(p, today, &mut out);
        stage_order::check(p, &data.process, &mut out);
        completeness::check(p, &data.process, &mut out);
        closure::check(p, &data.process, &mut out);
        activity::check(p, data, today, &mut out);
        history::check(p, data, tolerance_days, &mut out);
    }
    out
}

/// The stages a project has finished: those before its current stage, and
/// the current one too once the project is won.
pub fn finished_stages(p: &Project) -> std::ops::Range<usize> {
    let Some(stage) = &p.stage else { return 0..0 };
    if p.status() == crate::model::Status::Won {
        0..stage.value + 1
    } else {
        0..stage.value
    }
}

/// Where to point for a problem with a whole stage: its `[stages.x]`
/// header, else the record's `stage = …` value, else the file's start.
pub fn stage_span(p: &Project, stage: usize) -> Span {
    p.stage_record(stage)
        .map(|r| r.key_span)
        .or_else(|| p.stage.as_ref().map(|s| s.span))
        .unwrap_or_default()
}

/// A stage as messages name it: an i18n term the catalogue fills with the
/// id and the name in the reader's language (see `I18n::add_process`).
pub fn stage_term(process: &Process, stage: usize) -> String {
    format!("process.stage.{}", process.stages[stage].id)
}

#[cfg(test)]
pub(crate) mod testing;
