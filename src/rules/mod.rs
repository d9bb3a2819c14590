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

/// What the rules are judged against, from the caller so results are
/// reproducible.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// The reference date for future dates, overdue steps and staleness.
    pub today: Date,
    /// How far a recorded stage date may be from the one history shows.
    pub tolerance_days: i64,
    /// `[history] trusted_until`: what was finished by then predates
    /// dealbook (see [`Tracking`]).
    pub trusted_until: Option<Date>,
}

impl Settings {
    pub fn new(today: Date, config: &crate::config::Config) -> Settings {
        Settings {
            today,
            tolerance_days: config.history_tolerance_days,
            trusted_until: config.trusted_until,
        }
    }
}

/// Runs every rule: the cross-project ones, then each project's (on all
/// cores, in project order).
pub fn check(data: &Dataset, settings: &Settings) -> Vec<Finding> {
    use rayon::prelude::*;
    let mut out = across_projects(data);
    let each: Vec<Vec<Finding>> = data
        .projects
        .par_iter()
        .map(|p| of_project(p, data, settings))
        .collect();
    out.extend(each.into_iter().flatten());
    out
}

/// The rules that compare projects with each other (duplicate codes).
pub fn across_projects(data: &Dataset) -> Vec<Finding> {
    let mut out = Vec::new();
    identity::check(data, &mut out);
    out
}

/// The findings of [`check_project`]: they depend on the project, the
/// process, the team, the history and the settings only, so `serve` keeps
/// them for every project a change did not touch.
pub fn of_project(p: &Project, data: &Dataset, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    check_project(p, data, settings, &mut out);
    out
}

/// The rules of one project (cross-project ones, like duplicate codes,
/// aside): what `dealbook move` asks before it advances a record.
pub fn check_project(p: &Project, data: &Dataset, settings: &Settings, out: &mut Vec<Finding>) {
    let tracked = Tracking::of(settings);
    people::check(p, data, out);
    links::check(p, out);
    dates::check(p, settings.today, out);
    stage_order::check(p, &data.process, tracked, out);
    completeness::check(p, &data.process, tracked, out);
    closure::check(p, &data.process, tracked, out);
    activity::check(p, data, settings.today, out);
    history::check(p, data, settings.tolerance_days, tracked, out);
}

/// Whether a finding of this code stands in the way of leaving a stage
/// (`dealbook move`, `close won`): what the stage needs once finished.
pub fn blocks_leaving(code: &str) -> bool {
    use crate::diag::codes;
    [
        &codes::STAGE_ORDER,
        &codes::MISSING_FORM,
        &codes::MISSING_ACTUAL,
        &codes::MISSING_JUDGEMENT,
        &codes::WAIVER_WITHOUT_REASON,
        &codes::CLOSED_WITHOUT_REASON,
    ]
    .iter()
    .any(|r| r.code == code)
}

/// Since when dealbook has tracked projects; what was finished before
/// predates it (see [`Tracking::before`]).
#[derive(Clone, Copy, Debug)]
pub struct Tracking {
    pub trusted_until: Option<Date>,
}

impl Tracking {
    pub fn of(settings: &Settings) -> Tracking {
        Tracking {
            trusted_until: settings.trusted_until,
        }
    }

    /// Whether stage `s` of `p` was finished before dealbook tracked the
    /// project, so it needs no judgements, forms, ticked conditions or
    /// history-consistent dates: a stage before the one an imported
    /// project came in at (that one too when it came in closed), or one
    /// finished by `[history] trusted_until`.
    pub fn before(self, p: &Project, s: usize) -> bool {
        if let Some(at) = p.imported.as_ref().and_then(|i| i.stage.as_ref())
            && (s < at.value || (s == at.value && self.closed_before(p)))
        {
            return true;
        }
        self.trusted_until
            .zip(stage_end(p, s))
            .is_some_and(|(until, end)| end <= until)
    }

    /// Whether a closed project was closed before dealbook tracked it: when
    /// it was imported (closed that day or earlier), or by
    /// `trusted_until`.
    pub fn closed_before(self, p: &Project) -> bool {
        if !p.status().is_closed() {
            return false;
        }
        let closed = p
            .outcome
            .as_ref()
            .and_then(|o| o.date.as_ref())
            .map(|d| d.value);
        if let Some(imported) = &p.imported {
            let on = imported.date.as_ref().map(|d| d.value);
            if closed.zip(on).is_none_or(|(c, on)| c <= on) {
                return true;
            }
        }
        self.trusted_until
            .zip(closed)
            .is_some_and(|(until, c)| c <= until)
    }
}

/// When stage `s` ended: its `done` date, else the `entered` date of the
/// next stage the record has, else, for a closed project's current stage,
/// the outcome's date.
fn stage_end(p: &Project, s: usize) -> Option<Date> {
    let rec = p.section(s)?;
    if let Some(done) = &rec.done {
        return Some(done.value);
    }
    let next = p
        .stages
        .iter()
        .skip(s + 1)
        .flatten()
        .find(|r| r.left.is_none())
        .and_then(|r| r.entered.as_ref());
    if let Some(next) = next {
        return Some(next.value);
    }
    (p.stage.as_ref().is_some_and(|c| c.value == s) && p.status().is_closed())
        .then(|| p.outcome.as_ref()?.date.as_ref().map(|d| d.value))
        .flatten()
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
    p.section(stage)
        .map(|r| r.key_span)
        .or_else(|| p.stage.as_ref().map(|s| s.span))
        .unwrap_or_default()
}

/// How the record spells stage `s`, for help texts that show what to
/// write: the key of its section as written, else the stage's name when
/// the record names stages (`stage = "方案确认"`), else its id. Quoted when
/// TOML needs it in a key path (`"方案确认"`).
pub fn spelled_key(p: &Project, process: &Process, s: usize) -> String {
    crate::load::toml_reader::join("", &spelled(p, process, s))
}

/// [`spelled_key`] unquoted, for a value (`stage = "…"`).
pub fn spelled(p: &Project, process: &Process, s: usize) -> String {
    match p.section(s) {
        Some(rec) => rec.key.clone(),
        None if p.names_stages => crate::edit::record::stage_name(process, s),
        None => process.stages[s].id.clone(),
    }
}

/// A stage as messages name it: an i18n term the catalogue fills with the
/// id and the name in the reader's language (see `I18n::add_process`).
pub fn stage_term(process: &Process, stage: usize) -> String {
    format!("process.stage.{}", process.stages[stage].id)
}

#[cfg(test)]
pub(crate) mod testing;
