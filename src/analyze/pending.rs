//! What each role still owes: unwritten actual situations, judgements and
//! follow-ups, and next steps or follow-ups whose date has passed. Each
//! item names the people who owe it, the anchor on the project page and
//! since when it is owed; the list is sorted by urgency.

use std::cmp::Reverse;

use jiff::civil::Date;

use super::dates::{days_between, entered};
use crate::model::{Dataset, Project, Status};

/// What is owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PendingKind {
    /// 实际状况 not written.
    Actual,
    /// 判断 not written.
    Judgement,
    /// 跟进措施 not written.
    FollowUp,
    /// A follow-up whose `due` date has passed.
    OverdueFollowUp,
    /// The next step's date has passed.
    OverdueNextStep,
}

impl PendingKind {
    pub fn id(self) -> &'static str {
        match self {
            PendingKind::Actual => "actual",
            PendingKind::Judgement => "judgement",
            PendingKind::FollowUp => "follow_up",
            PendingKind::OverdueFollowUp => "overdue_follow_up",
            PendingKind::OverdueNextStep => "overdue_next_step",
        }
    }
}

/// One thing someone owes on a project.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Index into the dataset's projects.
    pub project: usize,
    pub kind: PendingKind,
    pub stage: Option<usize>,
    /// The role that owes it (the sales rep's role for next steps).
    pub role: Option<usize>,
    /// Indices into the team of the people who owe it.
    pub people: Vec<usize>,
    /// Fragment of the project page that shows the gap.
    pub anchor: String,
    /// For overdue items: the date that passed.
    pub due: Option<Date>,
    /// The gap is in a stage already finished (a finding of `check` too).
    pub finished_stage: bool,
    /// Since when it is owed: the date that passed; for a gap, the day
    /// its stage was entered (back, after a slip), or, in a finished
    /// stage, the day that stage ended. History's dates where the record
    /// has none.
    pub since: Option<Date>,
}

impl Pending {
    /// A date passed, or a gap left in a finished stage.
    pub fn overdue(&self) -> bool {
        self.due.is_some() || self.finished_stage
    }

    /// Days owed as of `as_of`, when known.
    pub fn days(&self, as_of: Date) -> Option<i64> {
        self.since.map(|d| days_between(d, as_of).max(0))
    }
}

/// Anchors on the project page, shared with the templates' view models.
pub mod anchor {
    pub fn stage(stage: &str) -> String {
        format!("stage-{stage}")
    }
    pub fn actual(stage: &str) -> String {
        format!("stage-{stage}-actual")
    }
    pub fn judgement(stage: &str, role: &str) -> String {
        format!("stage-{stage}-{role}")
    }
    pub const NEXT_STEP: &str = "next-step";
}

/// Everything active projects owe, the most urgent first: overdue items,
/// then those owed longest, then those of the larger projects; ties in
/// project, stage and role order.
pub fn pending(data: &Dataset, as_of: Date) -> Vec<Pending> {
    let mut out = owed(data, as_of);
    let amount = |i: &Pending| {
        data.projects[i.project]
            .amount
            .as_ref()
            .map_or(0, |a| a.value)
    };
    // A stable sort keeps the record order among equals.
    out.sort_by_cached_key(|i| {
        (
            Reverse(i.overdue()),
            Reverse(i.days(as_of).unwrap_or(-1)),
            Reverse(amount(i)),
        )
    });
    out
}

/// Everything active projects owe, in project, stage and role order
/// (each project's on its own, on all cores).
fn owed(data: &Dataset, as_of: Date) -> Vec<Pending> {
    use rayon::prelude::*;
    let each: Vec<Vec<Pending>> = data
        .projects
        .par_iter()
        .enumerate()
        .map(|(pi, p)| owed_on(data, pi, p, as_of))
        .collect();
    each.concat()
}

/// What project `pi` owes.
fn owed_on(data: &Dataset, pi: usize, p: &Project, as_of: Date) -> Vec<Pending> {
    let process = &data.process;
    let mut out = Vec::new();
    let writer = process.writer();
    if p.status() != Status::Active {
        return out;
    }
    let Some(current) = p.stage.as_ref().map(|s| s.value) else {
        return out;
    };
    for s in 0..=current {
        let stage_id = &process.stages[s].id;
        let rec = p.stage_record(s);
        let finished_stage = s < current;
        let owed_since = if finished_stage {
            ended(data, p, s)
        } else {
            in_stage_since(data, p, s)
        };
        let mut push = |kind, role: Option<usize>, anchor: String, due: Option<Date>| {
            out.push(Pending {
                project: pi,
                kind,
                stage: Some(s),
                role,
                people: role.map(|r| owers(data, p, r)).unwrap_or_default(),
                anchor,
                due,
                finished_stage,
                since: due.or(owed_since),
            })
        };
        if let Some(w) = writer
            && rec.is_none_or(|r| r.actual.is_none())
        {
            push(PendingKind::Actual, Some(w), anchor::actual(stage_id), None);
        }
        for (ri, role) in process.roles.iter().enumerate() {
            let here = anchor::judgement(stage_id, &role.id);
            match rec.and_then(|r| r.judgement(ri)) {
                None => push(PendingKind::Judgement, Some(ri), here, None),
                Some(j) if j.judgement.is_none() => {
                    push(PendingKind::Judgement, Some(ri), here, None)
                }
                Some(j) if j.follow_up.is_none() => {
                    push(PendingKind::FollowUp, Some(ri), here, None)
                }
                Some(j) => {
                    if let Some(due) = j.due.as_ref().filter(|d| s == current && d.value < as_of) {
                        push(
                            PendingKind::OverdueFollowUp,
                            Some(ri),
                            here,
                            Some(due.value),
                        );
                    }
                }
            }
        }
    }
    if let Some(date) = p
        .next_step
        .as_ref()
        .and_then(|n| n.date.as_ref())
        .filter(|d| d.value < as_of)
    {
        let who = p
            .next_step
            .as_ref()
            .and_then(|n| n.who.as_ref())
            .or(p.owner.as_ref())
            .and_then(|w| person_index(data, &w.value));
        out.push(Pending {
            project: pi,
            kind: PendingKind::OverdueNextStep,
            stage: Some(current),
            role: writer,
            people: who.into_iter().collect(),
            anchor: anchor::NEXT_STEP.to_string(),
            due: Some(date.value),
            finished_stage: false,
            since: Some(date.value),
        });
    }
    out
}

/// The day a project entered its stage `s`, or came back to it.
fn in_stage_since(data: &Dataset, p: &Project, s: usize) -> Option<Date> {
    let back = data
        .history
        .as_ref()
        .and_then(|t| t.reentered(&p.folder, s));
    entered(data, p, s).max(back)
}

/// The day a finished stage ended: its `done` date, else the day the
/// project entered a later stage (by the record, else by history).
fn ended(data: &Dataset, p: &Project, s: usize) -> Option<Date> {
    if let Some(done) = p.section(s).and_then(|r| r.done.as_ref()) {
        return Some(done.value);
    }
    let later = s + 1..data.process.stages.len();
    let recorded = later
        .clone()
        .filter_map(|n| p.section(n).filter(|r| r.left.is_none())?.entered.as_ref())
        .map(|d| d.value)
        .next();
    recorded.or_else(|| {
        let t = data.history.as_ref()?;
        later.filter_map(|n| t.entered(&p.folder, n)).min()
    })
}

fn person_index(data: &Dataset, key: &str) -> Option<usize> {
    data.team.position(key)
}

/// Who owes a role's entries on a project: the owner for the role that
/// writes the actual situation; otherwise the holders of the role in the
/// project's department, or all holders when none is in it.
pub fn owers(data: &Dataset, p: &Project, role: usize) -> Vec<usize> {
    if data.process.writer() == Some(role) {
        return p
            .owner
            .as_ref()
            .and_then(|o| person_index(data, &o.value))
            .into_iter()
            .collect();
    }
    let department = p.header.get("department").map(|d| d.value.as_str());
    data.team.holders(role, department).into_owned()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, repo, today};

    /// Five projects whose entries owed test each step of the order.
    fn dataset() -> crate::model::Dataset {
        let code = |c: &str| VALID.replace("code = \"P-1\"", &format!("code = \"{c}\""));
        let p2 = code("P-2").replace("amount = 1000", "amount = 5000");
        let p3 = code("P-3")
            .replace("amount = 1000", "amount = 100")
            .replace(
                "entered = 2026-10-01\ndone = 2026-10-10",
                "entered = 2026-09-01\ndone = 2026-09-20",
            )
            .replace(
                "[stages.proposal]\nentered = 2026-10-10",
                "[stages.proposal]\nentered = 2026-09-20",
            );
        let p4 = code("P-4").replace("amount = 1000", "amount = 10").replace(
            "[stages.lead.judgements.boss]\nby = \"wang\"\njudgement = \"fine\"\nfollow_up = \"watch\"\n",
            "",
        );
        let p5 = format!(
            "{}\n[stages.proposal.judgements.rep]\nby = \"li\"\njudgement = \"go\"\nfollow_up = \"call\"\ndue = 2026-10-15\n",
            code("P-5")
        );
        let files = [
            ("content/projects/P-1/project.toml", VALID.to_string()),
            ("content/projects/P-2/project.toml", p2),
            ("content/projects/P-3/project.toml", p3),
            ("content/projects/P-4/project.toml", p4),
            ("content/projects/P-5/project.toml", p5),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        crate::load::parse(&repo(&files)).unwrap().dataset.unwrap()
    }

    #[test]
    fn the_most_urgent_come_first() {
        let data = dataset();
        let items = super::pending(&data, today());
        let got: Vec<String> = items
            .iter()
            .map(|i| {
                format!(
                    "{} {} {} {}",
                    data.projects[i.project].code.value,
                    i.kind.id(),
                    data.process.roles[i.role.unwrap()].id,
                    i.days(today()).unwrap()
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                // Overdue: a gap left in a finished stage, a due date passed.
                "P-4 judgement boss 10",
                "P-5 overdue_follow_up rep 5",
                // Then owed longest, then the larger amount.
                "P-3 judgement rep 30",
                "P-3 judgement boss 30",
                "P-2 judgement rep 10",
                "P-2 judgement boss 10",
                "P-1 judgement rep 10",
                "P-1 judgement boss 10",
                "P-5 judgement boss 10",
                "P-4 judgement rep 10",
                "P-4 judgement boss 10",
            ]
        );
        assert!(items[0].overdue() && items[0].finished_stage);
        assert!(items[1].overdue() && !items[1].finished_stage);
        assert!(!items[2].overdue());
    }
}
