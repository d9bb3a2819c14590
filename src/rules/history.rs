//! Rules that need the Git history: recorded stage dates agree with it,
//! and each judgement was last written by someone holding its role (the
//! commit author, mapped to a person by `emails` in `data/team.toml`).

use super::{Tracking, stage_term};
use crate::analyze::dates::days_between;
use crate::diag::{Finding, Msg, codes};
use crate::model::timeline::Credit;
use crate::model::{Dataset, Project};

pub fn check(
    p: &Project,
    data: &Dataset,
    tolerance_days: i64,
    tracked: Tracking,
    out: &mut Vec<Finding>,
) {
    let Some(t) = &data.history else { return };
    let Some(pt) = t.project(&p.folder) else {
        return;
    };
    for (s, rec) in p.stages.iter().enumerate() {
        let Some(rec) = rec else { continue };
        // A stage the record named when it was added was entered by then,
        // maybe long before (records of running projects are added late).
        let bound_only = pt.entered.get(s).copied().flatten() == pt.created;
        if let (Some(written), Some(seen)) = (&rec.entered, t.entered(&p.folder, s))
            && !tracked.before(p, s)
            && disagrees(
                days_between(seen, written.value),
                bound_only,
                tolerance_days,
            )
        {
            out.push(
                Finding::new(
                    &codes::HISTORY_DATE,
                    &p.path,
                    Some(written.span),
                    Msg::new("msg.history-date")
                        .term("stage", stage_term(&data.process, s))
                        .arg("written", written.value)
                        .arg("seen", seen),
                )
                .with_help(Msg::new("help.history-date")),
            );
        }
        for j in rec.judgements.iter().filter(|j| j.judgement.is_some()) {
            let Some(Credit::Written(c)) = t.credit(p, s, j.role, tracked.trusted_until) else {
                continue;
            };
            let role = &data.process.roles[j.role];
            let msg = |key| {
                Msg::new(key)
                    .term("role", format!("process.role.{}", role.id))
                    .term("stage", stage_term(&data.process, s))
                    .arg("author", &c.author)
                    .arg("email", &c.email)
                    .arg("commit", c.short())
            };
            match data.team.by_email(&c.email) {
                Some(person) if person.roles.contains(&j.role) => {}
                Some(person) => out.push(
                    Finding::new(
                        &codes::JUDGEMENT_AUTHOR,
                        j.path(&p.path),
                        Some(j.key_span),
                        msg("msg.judgement-author"),
                    )
                    .with_help(
                        Msg::new("help.judgement-author")
                            .arg("person", &person.id.value)
                            .term("role", format!("process.role.{}", role.id)),
                    ),
                ),
                None => out.push(
                    Finding::new(
                        &codes::UNKNOWN_AUTHOR,
                        j.path(&p.path),
                        Some(j.key_span),
                        msg("msg.unknown-author"),
                    )
                    .with_help(Msg::new("help.unknown-author").arg("email", &c.email)),
                ),
            }
        }
    }
}

/// Whether a recorded date `offset` days after history's differs too much.
/// Earlier is fine when history only knows "by then".
fn disagrees(offset: i64, bound_only: bool, tolerance_days: i64) -> bool {
    if bound_only {
        offset > tolerance_days
    } else {
        offset.abs() > tolerance_days
    }
}

#[cfg(test)]
mod tests {
    use super::disagrees;

    #[test]
    fn an_early_date_is_fine_for_a_stage_held_since_the_record_was_added() {
        assert!(!disagrees(-400, true, 7));
        assert!(disagrees(-400, false, 7));
        assert!(disagrees(8, true, 7));
        assert!(!disagrees(7, false, 7));
    }
}
