//! Open projects keep moving: a next step that is planned and not overdue,
//! an expected close date not passed, and no long silence (Pipedrive's
//! "rotting deals").

use jiff::civil::Date;

use super::stage_term;
use crate::analyze::dates::staleness;
use crate::diag::{Finding, Msg, codes};
use crate::model::{Dataset, Project, Status};

pub fn check(p: &Project, data: &Dataset, today: Date, out: &mut Vec<Finding>) {
    let process = &data.process;
    let Some(status) = &p.status else { return };
    if status.value != Status::Active {
        return;
    }
    match &p.next_step {
        Some(next) if next.date.is_none() || next.what.is_none() => out.push(
            Finding::new(
                &codes::MISSING_NEXT_STEP,
                &p.path,
                Some(next.span),
                Msg::new("msg.next-step-incomplete"),
            )
            .with_help(Msg::new("help.missing-next-step")),
        ),
        Some(next) => {
            if let Some(date) = next.date.as_ref().filter(|d| d.value < today) {
                out.push(
                    Finding::new(
                        &codes::OVERDUE_NEXT_STEP,
                        &p.path,
                        Some(date.span),
                        Msg::new("msg.overdue-next-step").arg("date", date.value),
                    )
                    .with_help(Msg::new("help.overdue-next-step")),
                );
            }
        }
        None => out.push(
            Finding::new(
                &codes::MISSING_NEXT_STEP,
                &p.path,
                Some(status.span),
                Msg::new("msg.missing-next-step"),
            )
            .with_help(Msg::new("help.missing-next-step")),
        ),
    }
    if let Some(close) = p.expected_close.as_ref().filter(|d| d.value < today) {
        out.push(
            Finding::new(
                &codes::PAST_EXPECTED_CLOSE,
                &p.path,
                Some(close.span),
                Msg::new("msg.past-expected-close").arg("date", close.value),
            )
            .with_help(Msg::new("help.past-expected-close")),
        );
    }
    let (Some(stage), Some(stale)) = (&p.stage, staleness(data, p, today)) else {
        return;
    };
    let message = match stale.last {
        // Nothing dated at all: there is no sign of life to measure from.
        None => Msg::new("msg.stale-undated"),
        Some(last) => Msg::new("msg.stale")
            .arg("days", stale.days)
            .arg("last", last)
            .term("stage", stage_term(process, stage.value))
            .arg("limit", stale.limit),
    };
    let help = if stale.last.is_none() {
        "help.stale-undated"
    } else {
        "help.stale"
    };
    out.push(
        Finding::new(&codes::STALE, &p.path, Some(stage.span), message).with_help(Msg::new(help)),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, codes, one};

    #[test]
    fn overdue_and_missing_next_steps() {
        assert_eq!(
            codes(&VALID.replace("2026-11-05", "2026-10-01")),
            ["overdue-next-step"]
        );
        let record = VALID.replace("next_step = { date = 2026-11-05, what = \"call\" }\n", "");
        assert_eq!(codes(&record), ["missing-next-step"]);
    }

    #[test]
    fn a_quiet_project_is_stale() {
        // proposal allows 10 quiet days; the last date is 2026-10-10.
        let record = VALID
            .replace("entered = 2026-10-10", "entered = 2026-10-09")
            .replace("done = 2026-10-10", "done = 2026-10-09");
        assert_eq!(codes(&record), ["stale"]);
        let found = one(&record);
        assert_eq!(found[0].severity, crate::diag::Severity::Warning);
    }

    #[test]
    fn an_undated_project_is_stale_and_a_dateless_next_step_incomplete() {
        let record = VALID
            .replace("entered = 2026-10-01\n", "")
            .replace("done = 2026-10-10\n", "")
            .replace("entered = 2026-10-10\n", "")
            .replace("date = 2026-11-05, ", "");
        let found = one(&record);
        let keys: Vec<_> = found.iter().map(|f| f.message.key).collect();
        assert_eq!(keys, ["msg.stale-undated", "msg.next-step-incomplete"]);
    }

    #[test]
    fn closed_projects_are_not_chased() {
        let record = VALID
            .replace("2026-11-05", "2026-10-01")
            .replace("status = \"active\"", "status = \"paused\"");
        assert_eq!(codes(&record), Vec::<&str>::new());
    }
}
