//! `dealbook move CODE STAGE`: advance a project, after checking that the
//! stages it leaves are finished, or take it back to an earlier stage.

use std::process::ExitCode;

use super::edits::{Done, Session, Stop, style};
use crate::cli::{Cli, MoveArgs};
use crate::diag::{Finding, Msg, Severity, human, sort_findings};
use crate::model::{Project, Status};
use crate::span::Sp;

pub fn run(cli: &Cli, args: &MoveArgs) -> ExitCode {
    Session::run(cli, args.today, |s| move_project(cli, s, args))
}

fn move_project(cli: &Cli, s: &Session, args: &MoveArgs) -> Result<Done, Stop> {
    let process = &s.data().process;
    let p = s.project(&args.code)?;
    let to = process.stage_index(&args.stage).ok_or_else(|| {
        let keys = process.stage_keys();
        let stop = Stop::cannot(Msg::new("edit.unknown-stage").arg("value", &args.stage));
        match crate::suggest::help(&args.stage, keys.all.iter().copied()) {
            Some(help) => stop.with_help(help),
            None => {
                stop.with_help(Msg::new("help.one-of").term("options", crate::process::LIST_STAGES))
            }
        }
    })?;
    let Some(from) = p.stage.as_ref().map(|st| st.value) else {
        return Err(Stop::cannot(
            Msg::new("edit.record-broken").arg("path", &p.path),
        ));
    };
    if p.status().is_closed() {
        return Err(Stop::cannot(
            Msg::new("edit.closed").term("status", format!("status.{}", p.status().id())),
        ));
    }
    let term = |i: usize| crate::rules::stage_term(process, i);
    if to == from {
        let msg = Msg::new("edit.already-there").term("stage", term(to));
        return Ok(Done::Changed(vec![msg], p.dir.clone()));
    }
    if to > from {
        let missing = blockers(s, p, to, None);
        if !missing.is_empty() {
            refuse(
                cli,
                s,
                &missing,
                Msg::new("edit.move-refused")
                    .term("from", term(from))
                    .term("to", term(to)),
            );
            return Ok(Done::Refused);
        }
    }
    let text = s.text(&p.path)?;
    let moved = crate::edit::stage::move_to(&text, p, process, to, s.today, &s.i18n)
        .map_err(|_| Stop::cannot(Msg::new("edit.record-broken").arg("path", &p.path)))?;
    s.rewrite(&p.path, &moved)?;
    let key = if to > from {
        "edit.advanced"
    } else {
        "edit.slipped"
    };
    let msg = Msg::new(key)
        .arg("code", &p.code.value)
        .term("from", term(from))
        .term("to", term(to));
    Ok(Done::Changed(vec![msg], p.dir.clone()))
}

/// The errors that would stand in the way if the project were at stage
/// `to` (and had `status`): what the stages it leaves still need.
pub fn blockers(s: &Session, p: &Project, to: usize, status: Option<Status>) -> Vec<Finding> {
    let mut sim = p.clone();
    let span = p.stage.as_ref().map(|st| st.span).unwrap_or_default();
    sim.stage = Some(Sp::new(to, span));
    if let Some(status) = status {
        sim.status = Some(Sp::new(status, span));
    }
    let config = &s.loaded.config;
    let settings = crate::rules::Settings::new(s.today, config);
    let mut out = Vec::new();
    crate::rules::check_project(&sim, s.data(), &settings, &mut out);
    config.apply_severities(&mut out);
    out.retain(|f| f.severity == Severity::Error && crate::rules::blocks_leaving(f.code));
    sort_findings(&mut out);
    out
}

/// Prints what is missing, as `check` would, and why nothing changed.
pub fn refuse(cli: &Cli, s: &Session, missing: &[Finding], why: Msg) {
    for f in missing {
        eprintln!(
            "{}",
            human::render(f, &s.loaded.sources, &s.i18n, style(cli))
        );
    }
    eprintln!(
        "{}: {}",
        s.i18n.get("check.error"),
        s.i18n.format(&why.arg("count", missing.len()))
    );
}
