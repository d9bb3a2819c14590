//! History tied to the process: for each project, when each stage was
//! entered, moves forward and back, amount, date and status changes, and
//! which commit last wrote each judgement. Pure.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{Commit, History, ProjectHistory, Snapshot, Version};
use crate::model::Status;
use crate::process::Process;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The record first appeared.
    Created {
        stage: Option<usize>,
    },
    /// Moved to a later stage.
    Advanced {
        from: usize,
        to: usize,
    },
    /// Moved back to an earlier stage.
    Slipped {
        from: usize,
        to: usize,
    },
    StatusChanged {
        from: Status,
        to: Status,
    },
    AmountChanged {
        from: Option<i64>,
        to: Option<i64>,
    },
    CloseChanged {
        from: Option<Date>,
        to: Option<Date>,
    },
    Deleted,
    /// The folder was renamed; the record kept its history.
    Renamed {
        from: String,
    },
}

/// A change, with the commit that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Index into [`Timeline::commits`].
    pub commit: usize,
    pub kind: EventKind,
}

/// Where a project stood after a commit, for the weekly pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    pub commit: usize,
    pub exists: bool,
    pub stage: Option<usize>,
    pub status: Status,
    pub amount: i64,
}

/// The text of a judgement as history last saw it, and the commit that
/// wrote that text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub judgement: String,
    pub follow_up: String,
    pub commit: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectTimeline {
    pub events: Vec<Event>,
    /// For each stage, the first commit that put the record in it.
    pub entered: Vec<Option<usize>>,
    /// For each stage, the latest commit that put the record in it (after
    /// a slip, the return).
    pub reentered: Vec<Option<usize>>,
    /// The commit that added the record. A stage it already named then was
    /// entered on that day *or before*: history bounds that date only
    /// from above.
    pub created: Option<usize>,
    /// (stage, role) → the judgement as the tip has it, and who wrote it.
    pub judged: BTreeMap<(usize, usize), Judged>,
    /// The last commit that changed anything in the folder.
    pub last_change: Option<usize>,
    /// What the main line said after each of its commits that changed the
    /// record, for the weekly pipeline.
    pub states: Vec<State>,
}

/// Who a judgement's text is credited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credit<'a> {
    /// The commit that wrote it.
    Written(&'a Commit),
    /// It came in with imported data, in this commit: no one of the team
    /// wrote it here, so no role is checked.
    Imported(&'a Commit),
}

/// The history of every project, as the pages and rules use it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    pub commits: Vec<Commit>,
    pub projects: BTreeMap<String, ProjectTimeline>,
}

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

impl ProjectTimeline {
    fn of(h: &ProjectHistory, process: &Process) -> ProjectTimeline {
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
}

impl Timeline {
    pub fn of(history: History, process: &Process) -> Timeline {
        let projects = history
            .projects
            .iter()
            .map(|(folder, h)| (folder.clone(), ProjectTimeline::of(h, process)))
            .collect();
        Timeline {
            commits: history.commits,
            projects,
        }
    }

    pub fn project(&self, folder: &str) -> Option<&ProjectTimeline> {
        self.projects.get(folder)
    }

    pub fn date(&self, commit: usize) -> Date {
        self.commits[commit].date
    }

    /// When a project first entered a stage, by its history.
    pub fn entered(&self, folder: &str, stage: usize) -> Option<Date> {
        let c = (*self.project(folder)?.entered.get(stage)?)?;
        Some(self.date(c))
    }

    /// When a project last entered a stage (after a slip, the return).
    pub fn reentered(&self, folder: &str, stage: usize) -> Option<Date> {
        let c = (*self.project(folder)?.reentered.get(stage)?)?;
        Some(self.date(c))
    }

    /// Who to credit for a judgement of `p`: the commit that wrote its
    /// current text, or none when the record's text is not one history
    /// has (an edit not committed yet has no author to credit). Text that
    /// came in with imported data is credited to the import: the commit
    /// that added a record marked `[imported]`, or one that landed by
    /// `trusted_until` (`[history]` in `dealbook.toml`).
    pub fn credit(
        &self,
        p: &crate::model::Project,
        stage: usize,
        role: usize,
        trusted_until: Option<Date>,
    ) -> Option<Credit<'_>> {
        let text = |s: &Option<crate::span::Sp<String>>| {
            s.as_ref().map_or("", |s| s.value.trim()).to_string()
        };
        let written = p.stage_record(stage)?.judgement(role)?;
        let pt = self.project(&p.folder)?;
        let j = pt.judged.get(&(stage, role))?;
        if j.judgement != text(&written.judgement) || j.follow_up != text(&written.follow_up) {
            return None;
        }
        let commit = &self.commits[j.commit];
        let imported = (p.imported.is_some() && pt.created == Some(j.commit))
            || trusted_until.is_some_and(|until| commit.committed <= until);
        Some(if imported {
            Credit::Imported(commit)
        } else {
            Credit::Written(commit)
        })
    }

    /// The last day anything in a project's folder changed.
    pub fn last_change(&self, folder: &str) -> Option<Date> {
        Some(self.date(self.project(folder)?.last_change?))
    }

    /// The newest commit date: what a site built from history is as of.
    pub fn latest(&self) -> Option<Date> {
        self.commits.iter().map(|c| c.date.max(c.committed)).max()
    }
}
