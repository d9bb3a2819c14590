//! A project in stage N has met or waived every condition of the stages
//! before N and attached the forms they require (those finished before
//! dealbook tracked it aside); it has no section for a stage after N and
//! does not call stage N done.

use super::{Tracking, finished_stages, spelled, spelled_key, stage_term};
use crate::diag::{Finding, Msg, codes};
use crate::model::{CondState, Project};
use crate::process::Process;

pub fn check(p: &Project, process: &Process, tracked: Tracking, out: &mut Vec<Finding>) {
    let Some(current) = &p.stage else { return };
    for s in finished_stages(p).filter(|&s| !tracked.before(p, s)) {
        let stage = &process.stages[s];
        let Some(rec) = p.section(s) else {
            out.push(
                Finding::new(
                    &codes::STAGE_ORDER,
                    &p.path,
                    Some(current.span),
                    Msg::new("msg.stage-not-recorded").term("stage", stage_term(process, s)),
                )
                .with_help(
                    Msg::new("help.stage-not-recorded").arg("stage", spelled_key(p, process, s)),
                ),
            );
            continue;
        };
        for (ci, cond) in stage.conditions.iter().enumerate() {
            let record = rec.condition(ci);
            if record.is_some_and(|c| c.state != CondState::Open) {
                continue;
            }
            let span = record.map_or(rec.key_span, |c| c.key_span);
            out.push(
                Finding::new(
                    &codes::STAGE_ORDER,
                    &p.path,
                    Some(span),
                    Msg::new("msg.condition-not-met")
                        .term(
                            "condition",
                            format!("process.condition-label.{}.{}", stage.id, cond.id),
                        )
                        .term("stage", stage_term(process, s)),
                )
                .with_help(Msg::new("help.condition-not-met").arg("stage", spelled(p, process, s))),
            );
        }
        for (fi, form) in process.forms_of(s) {
            if form.required && rec.form(fi).is_none() {
                out.push(
                    Finding::new(
                        &codes::MISSING_FORM,
                        &p.path,
                        Some(rec.key_span),
                        Msg::new("msg.missing-form")
                            .term("form", format!("process.form-label.{}", form.id))
                            .term("stage", stage_term(process, s)),
                    )
                    .with_help(Msg::new("help.missing-form").arg("form", &form.id)),
                );
            }
        }
    }

    // A section for a stage not reached yet: often `stage` was not updated.
    // One the project went back from (`left`) records a past visit. A
    // judgement file for such a stage, without a section, warns alike.
    for (s, rec) in p.stages.iter().enumerate().skip(current.value + 1) {
        let Some(rec) = rec.as_ref().filter(|r| r.left.is_none()) else {
            continue;
        };
        if !rec.section {
            for j in &rec.judgements {
                out.push(
                    Finding::new(
                        &codes::STAGE_AHEAD,
                        j.path(&p.path),
                        Some(j.key_span),
                        Msg::new("msg.judgement-ahead")
                            .term("role", format!("process.role.{}", process.roles[j.role].id))
                            .term("stage", stage_term(process, s))
                            .term("current", stage_term(process, current.value)),
                    )
                    .with_help(
                        Msg::new("help.judgement-ahead").arg("stage", spelled(p, process, s)),
                    ),
                );
            }
            continue;
        }
        out.push(
            Finding::new(
                &codes::STAGE_AHEAD,
                &p.path,
                Some(rec.key_span),
                Msg::new("msg.stage-ahead")
                    .term("stage", stage_term(process, s))
                    .term("current", stage_term(process, current.value)),
            )
            .with_help(Msg::new("help.stage-ahead").arg("stage", spelled(p, process, s))),
        );
    }

    // `done` on the stage the project is still in: it was advanced by hand
    // without `stage`, or went back here and kept the old date. The page
    // would show the stage as finished.
    if !p.status().is_closed()
        && let Some(done) = p.stage_record(current.value).and_then(|r| r.done.as_ref())
    {
        out.push(
            Finding::new(
                &codes::CURRENT_STAGE_DONE,
                &p.path,
                Some(done.span),
                Msg::new("msg.current-stage-done")
                    .term("stage", stage_term(process, current.value))
                    .arg("date", done.value),
            )
            .with_help(Msg::new("help.current-stage-done")),
        );
    }

    for rec in p.stages.iter().flatten() {
        for c in &rec.conditions {
            if c.state == CondState::Waived && c.reason.is_none() {
                out.push(
                    Finding::new(
                        &codes::WAIVER_WITHOUT_REASON,
                        &p.path,
                        Some(c.key_span),
                        Msg::new("msg.waiver-without-reason"),
                    )
                    .with_help(Msg::new("help.waiver-without-reason")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, codes};

    #[test]
    fn an_open_condition_of_a_finished_stage_is_an_error() {
        assert_eq!(
            codes(&VALID.replace("qualified = true", "qualified = false")),
            ["stage-order"]
        );
        // Left out entirely: reported at the stage header.
        assert_eq!(
            codes(&VALID.replace("qualified = true, ", "")),
            ["stage-order"]
        );
    }

    #[test]
    fn a_waiver_needs_a_reason() {
        let record = VALID.replace(", reason = \"public tender\"", "");
        assert_eq!(codes(&record), ["waiver-without-reason"]);
    }

    #[test]
    fn a_finished_stage_needs_its_required_forms() {
        let record = VALID.replace("forms = { brief = \"forms/brief.md\" }\n", "");
        assert_eq!(codes(&record), ["missing-form"]);
    }

    #[test]
    fn a_section_for_a_later_stage_is_a_warning() {
        let record = format!("{VALID}\n[stages.signed]\nentered = 2026-10-15\n");
        assert_eq!(codes(&record), ["stage-ahead"]);
    }

    #[test]
    fn a_section_the_project_went_back_from_is_no_stage_ahead() {
        let record = format!("{VALID}\n[stages.signed]\nentered = 2026-10-15\nleft = 2026-10-20\n");
        assert_eq!(codes(&record), Vec::<&str>::new());
    }

    #[test]
    fn done_on_the_current_stage_is_reported() {
        let record = VALID.replace(
            "[stages.proposal]\n",
            "[stages.proposal]\ndone = 2026-10-20\n",
        );
        assert_eq!(codes(&record), ["current-stage-done"]);
    }

    #[test]
    fn stages_before_an_import_need_nothing() {
        // The lead stage is left without conditions, forms or judgements.
        let start = VALID.find("[stages.lead]").unwrap();
        let end = VALID.find("[stages.proposal]").unwrap();
        let bare = format!("{}{}", &VALID[..start], &VALID[end..]);
        assert!(codes(&bare).contains(&"stage-order"));
        let imported =
            |at: &str| format!("{bare}\n[imported]\ndate = 2026-10-01\nstage = \"{at}\"\n");
        assert_eq!(codes(&imported("proposal")), Vec::<&str>::new());
        // Imported at the lead stage: the lead stage is tracked.
        assert!(codes(&imported("lead")).contains(&"stage-order"));
    }

    #[test]
    fn conditions_of_the_current_stage_may_be_open() {
        let record = format!("{VALID}conditions = {{ sent = false }}\n");
        assert_eq!(codes(&record), Vec::<&str>::new());
    }
}
