//! Ties the history read from Git to the process: for each project, when
//! each stage was entered, moves forward and back, amount, date and status
//! changes, and which commit last wrote each judgement. Pure; the result
//! is the model's [`Timeline`].

use std::collections::BTreeMap;

use super::{History, ProjectHistory, Snapshot, Version};
use crate::model::Status;
use crate::model::timeline::{Event, EventKind, Judged, ProjectTimeline, State, Timeline};
use crate::process::Process;

fn status(s: &Snapshot) -> Status {
    let id = s.status.as_deref().unwrap_or("active");
    Status::ALL
        .into_iter()
        .find(|x| x.id() == id)
        .unwrap_or(Status::Active)
}

/// A snapshot's judgements by (stage, role) index: those written in the
/// record first, then judgement files for the roles they leave (as the
/// loader keeps them). Indices, not spellings, so a judgement moved from
/// the record into a file, or renamed from `solution_design` to `方案设计`,
/// keeps the commit that wrote its text.
fn judgements<'s>(
    s: &'s Snapshot,
    process: &Process,
) -> BTreeMap<(usize, usize), &'s (String, String)> {
    let mut out = BTreeMap::new();
    for ((stage, role), texts) in &s.judgements {
        if let (Some(st), Some(r)) = (process.stage_index(stage), process.role_index(role)) {
            out.entry((st, r)).or_insert(texts);
        }
    }
    for (name, texts) in &s.judgement_files {
        if let crate::load::judgement::Name::Found(st, r, _) =
            crate::load::judgement::name(process, name)
        {
            out.entry((st, r)).or_insert(texts);
        }
    }
    out
}

/// Whether a value of a version is new in its commit: different from
/// what every parent had. A root commit's values are all new.
fn is_new<T: PartialEq>(v: &Version, get: impl Fn(&Snapshot) -> T) -> bool {
    let now = get(&v.snapshot);
    v.parents.iter().all(|p| get(p) != now)
}

/// One project's timeline from its history.
fn project(h: &ProjectHistory, process: &Process) -> ProjectTimeline {
    let mut t = ProjectTimeline {
        entered: vec![None; process.stages.len()],
        reentered: vec![None; process.stages.len()],
        last_change: h.touches.last().copied(),
        ..ProjectTimeline::default()
    };
    let stage_of = |s: &Snapshot| s.stage.as_deref().and_then(|k| process.stage_index(k));
    // (stage, role, texts) → the last commit that wrote those texts.
    let mut wrote: BTreeMap<(usize, usize, &(String, String)), usize> = BTreeMap::new();
    let same_judgements = |a: &Snapshot, b: &Snapshot| {
        a.judgements == b.judgements && a.judgement_files == b.judgement_files
    };
    let mut tip: Option<&Snapshot> = None;
    for v in &h.versions {
        let s = &v.snapshot;
        let before = v.parents.first().filter(|p| p.exists);
        let stage = stage_of(s);
        let mut push = |kind| {
            t.events.push(Event {
                commit: v.commit,
                kind,
            })
        };
        if let Some(from) = &v.renamed_from {
            push(EventKind::Renamed { from: from.clone() });
        }
        if s.exists && is_new(v, |p| p.exists) {
            t.created.get_or_insert(v.commit);
            push(EventKind::Created { stage });
        } else if !s.exists && is_new(v, |p| p.exists) {
            push(EventKind::Deleted);
        } else if let Some(p) = before.filter(|_| s.exists) {
            if is_new(v, stage_of) {
                match (stage_of(p), stage) {
                    (Some(a), Some(b)) if b > a => push(EventKind::Advanced { from: a, to: b }),
                    (Some(a), Some(b)) if b < a => push(EventKind::Slipped { from: a, to: b }),
                    _ => {}
                }
            }
            if is_new(v, status) {
                push(EventKind::StatusChanged {
                    from: status(p),
                    to: status(s),
                });
            }
            if is_new(v, |x| x.amount) {
                push(EventKind::AmountChanged {
                    from: p.amount,
                    to: s.amount,
                });
            }
            if is_new(v, |x| x.expected_close) {
                push(EventKind::CloseChanged {
                    from: p.expected_close,
                    to: s.expected_close,
                });
            }
        }
        if let Some(st) = stage
            && s.exists
            && is_new(v, |x| (x.exists, stage_of(x)))
        {
            t.entered[st].get_or_insert(v.commit);
            t.reentered[st] = Some(v.commit);
        }
        // Most commits change no judgement: a parent has them all.
        if !v.parents.iter().any(|p| same_judgements(p, s)) {
            let before: Vec<_> = v.parents.iter().map(|p| judgements(p, process)).collect();
            for ((st, role), texts) in judgements(s, process) {
                if before.iter().all(|b| b.get(&(st, role)) != Some(&texts)) {
                    wrote.insert((st, role, texts), v.commit);
                }
            }
        }
        if v.mainline {
            t.states.push(State {
                commit: v.commit,
                exists: s.exists,
                stage,
                status: status(s),
                amount: s.amount.unwrap_or(0).max(0),
            });
            tip = Some(s);
        }
    }
    // Each judgement the tip has, credited to the commit that wrote
    // that very text.
    let at_tip = tip.map(|s| judgements(s, process)).unwrap_or_default();
    for ((st, role), texts) in at_tip {
        if let Some(&commit) = wrote.get(&(st, role, texts)) {
            t.judged.insert(
                (st, role),
                Judged {
                    judgement: texts.0.clone(),
                    follow_up: texts.1.clone(),
                    commit,
                },
            );
        }
    }
    t
}

/// The timeline of every project from the history read from Git.
pub fn build(history: History, process: &Process) -> Timeline {
    let projects = history
        .projects
        .iter()
        .map(|(folder, h)| (folder.clone(), project(h, process)))
        .collect();
    Timeline {
        commits: history.commits,
        projects,
    }
}
