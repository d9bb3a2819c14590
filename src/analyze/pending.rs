//! What each role still owes: unwritten actual situations, judgements and
//! follow-ups, and next steps or follow-ups whose date has passed. Each
//! item names the people who owe it and the anchor on the project page.

use jiff::civil::Date;

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

/// Everything active projects owe, in project, stage and role order.
pub fn pending(data: &Dataset, as_of: Date) -> Vec<Pending> {
    let process = &data.process;
    let mut out = Vec::new();
    let writer = process.writer();
    for (pi, p) in data.projects.iter().enumerate() {
        if p.status() != Status::Active {
            continue;
        }
        let Some(current) = p.stage.as_ref().map(|s| s.value) else {
            continue;
        };
        for s in 0..=current {
            let stage_id = &process.stages[s].id;
            let rec = p.stage_record(s);
            let finished_stage = s < current;
            let mut push = |kind, role: Option<usize>, anchor: String, due| {
                out.push(Pending {
                    project: pi,
                    kind,
                    stage: Some(s),
                    role,
                    people: role.map(|r| owers(data, p, r)).unwrap_or_default(),
                    anchor,
                    due,
                    finished_stage,
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
                        if let Some(due) =
                            j.due.as_ref().filter(|d| s == current && d.value < as_of)
                        {
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
            });
        }
    }
    out
}

fn person_index(data: &Dataset, key: &str) -> Option<usize> {
    let person = data.team.find(key)?;
    data.team
        .people
        .iter()
        .position(|p| p.id.value == person.id.value)
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
    let holders: Vec<usize> = data
        .team
        .people
        .iter()
        .enumerate()
        .filter(|(_, x)| x.roles.contains(&role))
        .map(|(i, _)| i)
        .collect();
    let department = p.header.get("department").map(|d| d.value.as_str());
    let in_department: Vec<usize> = holders
        .iter()
        .copied()
        .filter(|&i| data.team.people[i].department.as_deref() == department)
        .collect();
    if in_department.is_empty() {
        holders
    } else {
        in_department
    }
}
