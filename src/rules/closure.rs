//! A closed project says why it was won or lost (unless it closed before
//! dealbook tracked it); a won one has reached the last stage.

use super::{Tracking, spelled, stage_term};
use crate::diag::{Finding, Msg, codes};
use crate::model::{Project, Status};
use crate::process::Process;

pub fn check(p: &Project, process: &Process, tracked: Tracking, out: &mut Vec<Finding>) {
    let Some(status) = &p.status else { return };
    if status.value.is_closed()
        && p.outcome.as_ref().is_none_or(|o| o.reason.is_none())
        && !tracked.closed_before(p)
    {
        let span = p.outcome.as_ref().map_or(status.span, |o| o.span);
        out.push(
            Finding::new(
                &codes::CLOSED_WITHOUT_REASON,
                &p.path,
                Some(span),
                Msg::new("msg.closed-without-reason")
                    .term("status", format!("status.{}", status.value.id())),
            )
            .with_help(Msg::new("help.closed-without-reason")),
        );
    }
    let last = process.stages.len().saturating_sub(1);
    if status.value == Status::Won
        && let Some(stage) = &p.stage
        && stage.value != last
    {
        out.push(
            Finding::new(
                &codes::WON_NOT_FINAL,
                &p.path,
                Some(stage.span),
                Msg::new("msg.won-not-final").term("stage", stage_term(process, last)),
            )
            .with_help(Msg::new("help.won-not-final").arg("stage", spelled(p, process, last))),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, one};

    #[test]
    fn lost_needs_a_reason() {
        let record = VALID.replace("status = \"active\"", "status = \"lost\"");
        let codes: Vec<_> = one(&record).iter().map(|f| f.code).collect();
        assert_eq!(codes, ["closed-without-reason"]);
        let record = format!("{record}\n[outcome]\nreason = \"price\"\n");
        assert!(one(&record).is_empty());
    }

    #[test]
    fn won_before_the_last_stage_is_a_warning() {
        let record = VALID.replace("status = \"active\"", "status = \"won\"")
            + "conditions = { sent = true }\nforms = { offer = \"forms/offer.md\" }\n[stages.proposal.judgements.rep]\njudgement = \"a\"\nfollow_up = \"b\"\n[stages.proposal.judgements.boss]\njudgement = \"a\"\nfollow_up = \"b\"\n[outcome]\nreason = \"best offer\"\n";
        let found = crate::rules::testing::findings(&[
            ("content/projects/P-1/project.toml", &record),
            (
                "content/projects/P-1/forms/brief.md",
                crate::rules::testing::BRIEF,
            ),
            (
                "content/projects/P-1/forms/offer.md",
                "+++\nform = \"offer\"\n+++\n",
            ),
        ]);
        let codes: Vec<_> = found.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["won-not-final"]);
    }
}
