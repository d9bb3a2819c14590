//! History tied to the process: for each project, when each stage was
//! entered, moves forward and back, amount, date and status changes, and
//! which commit last wrote each judgement. Pure.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{Commit, History, Snapshot};
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectTimeline {
    pub events: Vec<Event>,
    /// For each stage, the first commit whose record named it.
    pub entered: Vec<Option<usize>>,
    /// The commit that added the record. A stage it already named then was
    /// entered on that day *or before*: history bounds that date only
    /// from above.
    pub created: Option<usize>,
    /// (stage, role) → the commit that last changed that judgement.
    pub judged: BTreeMap<(usize, usize), usize>,
    /// The last commit that changed anything in the folder.
    pub last_change: Option<usize>,
    pub states: Vec<State>,
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

impl Timeline {
    pub fn of(history: History, process: &Process) -> Timeline {
        let projects = history
            .projects
            .into_iter()
            .map(|(folder, h)| {
                let mut t = ProjectTimeline {
                    entered: vec![None; process.stages.len()],
                    last_change: h.touches.last().copied(),
                    ..ProjectTimeline::default()
                };
                let mut previous: Option<&Snapshot> = None;
                let mut last_judgements: BTreeMap<(usize, usize), (String, String)> =
                    BTreeMap::new();
                for v in &h.versions {
                    let s = &v.snapshot;
                    let stage = s.stage.as_deref().and_then(|k| process.stage_index(k));
                    if let Some(st) = stage
                        && t.entered[st].is_none()
                        && s.exists
                    {
                        t.entered[st] = Some(v.commit);
                    }
                    let mut push = |kind| {
                        t.events.push(Event {
                            commit: v.commit,
                            kind,
                        })
                    };
                    match previous.filter(|p| p.exists) {
                        None if s.exists => {
                            t.created.get_or_insert(v.commit);
                            push(EventKind::Created { stage })
                        }
                        None => {}
                        Some(_) if !s.exists => push(EventKind::Deleted),
                        Some(p) => {
                            let before = p.stage.as_deref().and_then(|k| process.stage_index(k));
                            match (before, stage) {
                                (Some(a), Some(b)) if b > a => {
                                    push(EventKind::Advanced { from: a, to: b })
                                }
                                (Some(a), Some(b)) if b < a => {
                                    push(EventKind::Slipped { from: a, to: b })
                                }
                                _ => {}
                            }
                            if status(p) != status(s) {
                                push(EventKind::StatusChanged {
                                    from: status(p),
                                    to: status(s),
                                });
                            }
                            if p.amount != s.amount {
                                push(EventKind::AmountChanged {
                                    from: p.amount,
                                    to: s.amount,
                                });
                            }
                            if p.expected_close != s.expected_close {
                                push(EventKind::CloseChanged {
                                    from: p.expected_close,
                                    to: s.expected_close,
                                });
                            }
                        }
                    }
                    // Judgements: credit the commit that last changed each.
                    for ((stage_key, role_key), texts) in &s.judgements {
                        let (Some(st), Some(role)) =
                            (process.stage_index(stage_key), process.role_index(role_key))
                        else {
                            continue;
                        };
                        if last_judgements.get(&(st, role)) != Some(texts) {
                            last_judgements.insert((st, role), texts.clone());
                            t.judged.insert((st, role), v.commit);
                        }
                    }
                    t.states.push(State {
                        commit: v.commit,
                        exists: s.exists,
                        stage,
                        status: status(s),
                        amount: s.amount.unwrap_or(0).max(0),
                    });
                    previous = Some(s);
                }
                (folder, t)
            })
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

    /// When a project entered a stage, by its history.
    pub fn entered(&self, folder: &str, stage: usize) -> Option<Date> {
        let c = (*self.project(folder)?.entered.get(stage)?)?;
        Some(self.date(c))
    }

    /// The last day anything in a project's folder changed.
    pub fn last_change(&self, folder: &str) -> Option<Date> {
        Some(self.date(self.project(folder)?.last_change?))
    }

    /// The newest commit date: what a site built from history is as of.
    pub fn latest(&self) -> Option<Date> {
        self.commits.iter().map(|c| c.date).max()
    }
}
