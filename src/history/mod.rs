//! History: the data repo's Git history as an audit trail — when each
//! stage was entered, slips, amount and date changes, who wrote each
//! judgement, the pipeline week by week. `read` talks to Git; everything
//! else is pure.

pub mod read;
pub mod snapshot;
pub mod timeline;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::diag::Msg;
use crate::process::Process;
pub use read::NoHistory;

pub use crate::model::timeline::{Commit, Event, EventKind, ProjectTimeline, Timeline};
pub use snapshot::Snapshot;

/// One version of a project's record: a commit that changed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Index into [`History::commits`].
    pub commit: usize,
    /// The record in each parent of the commit, the first parent first
    /// ([`Snapshot::gone`] where it was not there). A value is new in this
    /// commit only if it differs from all of them: a merge that takes one
    /// side's change made nothing new.
    pub parents: Vec<std::sync::Arc<Snapshot>>,
    pub snapshot: std::sync::Arc<Snapshot>,
    /// On the first-parent line of the tip: from this commit on, the main
    /// line said `snapshot`.
    pub mainline: bool,
    /// The folder the record had in the parent, when this commit renamed it.
    pub renamed_from: Option<String>,
}

/// What history says about one project folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectHistory {
    /// The record after each commit that changed it, parents before
    /// children, else oldest first.
    pub versions: Vec<Version>,
    /// Every commit (merges aside) that changed anything in the folder,
    /// notes too.
    pub touches: Vec<usize>,
}

/// The history read from Git, not yet tied to a process.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Oldest first.
    pub commits: Vec<Commit>,
    /// By project folder.
    pub projects: BTreeMap<String, ProjectHistory>,
}

impl NoHistory {
    /// The one note a command prints when history is skipped.
    pub fn note(&self) -> Msg {
        match self {
            NoHistory::NotGit => Msg::new("history.not-git"),
            NoHistory::Shallow => Msg::new("history.shallow"),
            NoHistory::Empty => Msg::new("history.empty"),
            NoHistory::Broken(e) => Msg::new("history.broken").arg("error", e),
        }
    }

    /// Why an option that cannot work without history (`--as-of`,
    /// `--base`) fails.
    pub fn needed_by(&self, option: &str) -> Msg {
        let msg = match self {
            NoHistory::NotGit => Msg::new("history.needs-git-not-git"),
            NoHistory::Shallow => Msg::new("history.needs-git-shallow"),
            NoHistory::Empty => Msg::new("history.needs-git-empty"),
            NoHistory::Broken(e) => Msg::new("history.needs-git-broken").arg("error", e),
        };
        msg.arg("option", option)
    }
}

/// Puts the history up to `tip` into `data`, when history is `enabled`
/// and there is data. Every command and the preview come here.
pub fn attach(
    root: &Path,
    data: Option<&mut crate::model::Dataset>,
    tip: Option<gix::ObjectId>,
    enabled: bool,
) -> Result<(), NoHistory> {
    if let Some(data) = data.filter(|_| enabled) {
        data.history = Some(load(root, tip, &data.process)?);
    }
    Ok(())
}

/// Reads the history of the data repo at `root` up to `tip` (HEAD when
/// `None`) and ties it to the process. A progress bar shows on a terminal
/// when reading takes more than a second.
pub fn load(
    root: &Path,
    tip: Option<gix::ObjectId>,
    process: &Process,
) -> Result<Timeline, NoHistory> {
    let start = Instant::now();
    let bar = indicatif::ProgressBar::hidden();
    let terminal = std::io::stderr().is_terminal();
    let history = read::read(root, tip, |done, total| {
        if terminal && bar.is_hidden() && start.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("git history");
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    Ok(timeline::build(history?, process))
}
