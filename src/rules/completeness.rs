//! The sales rep has written the actual situation, and every role its
//! judgement and follow-up, of every finished stage (those finished before
//! dealbook tracked the project aside). Gaps in the current stage are
//! pending work, listed by `build`, not findings: a project that has just
//! moved on has nothing written for its new stage yet.

use super::{Tracking, finished_stages, spelled, spelled_key, stage_span, stage_term};
use crate::diag::{Finding, Msg, codes};
use crate::model::Project;
use crate::process::Process;

pub fn check(p: &Project, process: &Process, tracked: Tracking, out: &mut Vec<Finding>) {
    if p.stage.is_none() {
        return;
    }
    let finished: Vec<usize> = finished_stages(p)
        .filter(|&s| !tracked.before(p, s))
        .collect();
    if let Some(writer) = process.writer().map(|w| &process.roles[w]) {
        for &s in &finished {
            // A finished stage with no record at all is one stage-order finding.
            let Some(rec) = p.section(s) else {
                continue;
            };
            if rec.actual.is_none() {
                out.push(
                    Finding::new(
                        &codes::MISSING_ACTUAL,
                        &p.path,
                        Some(stage_span(p, s)),
                        Msg::new("msg.missing-actual").term("stage", stage_term(process, s)),
                    )
                    .with_help(
                        Msg::new("help.missing-actual")
                            .arg("stage", spelled_key(p, process, s))
                            .term("role", format!("process.role.{}", writer.id)),
                    ),
                );
            }
        }
    }
    for s in finished {
        let Some(rec) = p.section(s) else {
            continue;
        };
        for (ri, role) in process.roles.iter().enumerate() {
            let j = rec.judgement(ri);
            let msg = |key| {
                Msg::new(key)
                    .term("role", format!("process.role.{}", role.id))
                    .term("stage", stage_term(process, s))
            };
            // In a judgement file, the heading to write under.
            let help = |key, file: bool| {
                let key = match (key, file) {
                    ("help.missing-follow-up", true) => "help.missing-follow-up-file",
                    ("help.missing-judgement", true) => "help.missing-judgement-file",
                    (key, _) => key,
                };
                Msg::new(key)
                    .arg("stage", spelled_key(p, process, s))
                    .arg("role", &role.id)
                    .arg(
                        "file",
                        format!("judgements/{}.{}.md", spelled(p, process, s), role.id),
                    )
            };
            match j {
                Some(j) if j.judgement.is_some() => {
                    if j.follow_up.is_none() {
                        out.push(
                            Finding::new(
                                &codes::MISSING_FOLLOW_UP,
                                j.path(&p.path),
                                Some(j.follow_up_at()),
                                msg("msg.missing-follow-up"),
                            )
                            .with_help(help("help.missing-follow-up", j.file().is_some())),
                        );
                    }
                }
                _ => {
                    let (path, span) = j.map_or((p.path.as_str(), rec.key_span), |j| {
                        (j.path(&p.path), j.judgement_at())
                    });
                    out.push(
                        Finding::new(
                            &codes::MISSING_JUDGEMENT,
                            path,
                            Some(span),
                            msg("msg.missing-judgement"),
                        )
                        .with_help(help(
                            "help.missing-judgement",
                            j.is_some_and(|j| j.file().is_some()),
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, codes, one};

    #[test]
    fn finished_stages_need_their_actual_situation() {
        assert_eq!(
            codes(&VALID.replace("actual = \"ok\"\n", "")),
            ["missing-actual"]
        );
        // The current stage's is pending work, not a finding.
        assert_eq!(
            codes(&VALID.replace("actual = \"sent\"\n", "")),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn finished_stages_need_every_judgement() {
        let record = VALID.replace("judgement = \"fine\"\n", "");
        assert_eq!(codes(&record), ["missing-judgement"]);
        let record = VALID.replace("[stages.lead.judgements.boss]\nby = \"wang\"\njudgement = \"fine\"\nfollow_up = \"watch\"\n", "");
        assert_eq!(codes(&record), ["missing-judgement"]);
    }

    #[test]
    fn help_spells_the_stage_as_the_record_does() {
        let record = VALID
            .replace("[stages.lead]", "[stages.\"Lead\"]")
            .replace(
                "[stages.lead.judgements.boss]",
                "[stages.\"Lead\".judgements.boss]",
            )
            .replace(
                "[stages.lead.judgements.rep]",
                "[stages.\"Lead\".judgements.rep]",
            )
            .replace("judgement = \"fine\"\n", "");
        let found = one(&record);
        assert_eq!(found.len(), 1, "{found:?}");
        let help = found[0].help.as_ref().unwrap();
        assert!(
            help.args
                .iter()
                .any(|(_, a)| *a == crate::diag::Arg::Text("Lead".into())),
            "{help:?}"
        );
    }

    #[test]
    fn a_missing_follow_up_is_a_warning() {
        let found = one(&VALID.replace("follow_up = \"watch\"\n", ""));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "missing-follow-up");
        assert_eq!(found[0].severity, crate::diag::Severity::Warning);
    }
}
