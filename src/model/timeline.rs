//! The history of every project as the pages and rules use it: when each
//! stage was entered, moves forward and back, amount, date and status
//! changes, and which commit last wrote each judgement. Built from Git by
//! `history`; the model only holds it.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::model::Status;

/// A commit that changed at least one project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub author: String,
    /// Lower-cased, to match `emails` in `data/team.toml`.
    pub email: String,
    /// The author date (UTC), when the change was made.
    pub date: Date,
    pub seconds: i64,
    /// The committer date (UTC), when it landed where it is now (a rebase
    /// or cherry-pick keeps the author date, not this one).
    pub committed: Date,
}

impl Commit {
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(8)]
    }
}

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

impl Timeline {
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
