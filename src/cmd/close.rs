//! `dealbook close CODE won|lost`: the outcome, with its reason. A won
//! project must have finished the last stage.

use std::process::ExitCode;

use super::edits::{Done, Session, Stop};
use super::move_to::{blockers, refuse};
use crate::cli::{Cli, CloseArgs, CloseAs};
use crate::diag::Msg;
use crate::edit::record::OutcomeText;
use crate::model::Status;

pub fn run(cli: &Cli, args: &CloseArgs) -> ExitCode {
    Session::run(cli, args.today, |s| close(cli, s, args))
}

fn close(cli: &Cli, s: &Session, args: &CloseArgs) -> Result<Done, Stop> {
    let process = &s.data().process;
    let p = s.project(&args.code)?;
    let status = match args.outcome {
        CloseAs::Won => Status::Won,
        CloseAs::Lost => Status::Lost,
    };
    if args.reason.trim().is_empty() {
        return Err(Stop::cannot(Msg::new("edit.no-reason")));
    }
    let loss_reason = args.loss_reason.as_deref().map(str::trim);
    if let Some(r) = loss_reason {
        if status == Status::Won {
            return Err(Stop::cannot(Msg::new("edit.loss-reason-won")));
        }
        if process.loss_reason_index(r).is_none() {
            return Err(
                Stop::cannot(Msg::new("edit.unknown-loss-reason").arg("reason", r)).with_help(
                    Msg::new("help.one-of").term("options", crate::process::LIST_LOSS_REASONS),
                ),
            );
        }
    }
    if status == Status::Won {
        let last = process.stages.len().saturating_sub(1);
        let term = crate::rules::stage_term(process, last);
        if p.stage.as_ref().is_none_or(|st| st.value != last) {
            return Err(
                Stop::cannot(Msg::new("edit.won-not-last").term("stage", term.clone())).with_help(
                    Msg::new("edit.won-not-last-help")
                        .arg("code", &p.code.value)
                        .arg("stage", crate::edit::record::stage_name(process, last)),
                ),
            );
        }
        let mut missing = blockers(s, p, last, Some(Status::Won));
        // The reason comes with this command.
        missing.retain(|f| f.code != crate::diag::codes::CLOSED_WITHOUT_REASON.code);
        if !missing.is_empty() {
            refuse(
                cli,
                s,
                &missing,
                Msg::new("edit.close-refused").term("stage", term),
            );
            return Ok(Done::Refused);
        }
    }
    let outcome = OutcomeText {
        date: Some(s.today),
        reason: Some(args.reason.trim().to_string()),
        loss_reason: loss_reason.map(str::to_string),
        competitor: args.competitor.as_ref().map(|c| c.trim().to_string()),
        contract_value: args.amount.or_else(|| {
            (status == Status::Won)
                .then(|| p.amount.as_ref().map(|a| a.value))
                .flatten()
        }),
    };
    let text = s.text(&p.path)?;
    let closed = crate::edit::stage::close(&text, process, status, &outcome, &s.i18n)
        .map_err(|_| Stop::cannot(Msg::new("edit.record-broken").arg("path", &p.path)))?;
    s.rewrite(&p.path, &closed)?;
    Ok(Done::Changed(
        vec![
            Msg::new("edit.closed-as")
                .arg("code", &p.code.value)
                .term("status", format!("status.{}", status.id())),
        ],
        p.dir.clone(),
    ))
}
