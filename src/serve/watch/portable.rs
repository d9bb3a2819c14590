//! Watching the data repo with notify and notify-debouncer-full, where
//! there is no inotify (see `linux.rs` for why Linux has its own). Editors
//! save in many ways (temporary file then rename, swap files, backups);
//! the debouncer folds each burst into one batch, and we pass on the
//! repo-relative paths it touched. Access events are dropped, so reading
//! files never causes a rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// Folders of the repo that hold data; `dealbook.toml` sits at the root.
use super::WATCHED;

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<&'static str>,
}

use super::Batch;

/// The repo-relative, `/`-separated form of a path below `root`.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

impl Watcher {
    /// Starts watching; each debounced batch of changed paths goes to `tx`.
    pub fn start(root: &Path, debounce: Duration, tx: Sender<Batch>) -> notify::Result<Watcher> {
        let root = root.canonicalize()?;
        let base = root.clone();
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else {
                let _ = tx.send(Batch::Rescan);
                return;
            };
            let mut paths = BTreeSet::new();
            for event in events {
                if event.need_rescan() {
                    let _ = tx.send(Batch::Rescan);
                    return;
                }
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                paths.extend(event.paths.iter().filter_map(|p| relative(&base, p)));
            }
            if !paths.is_empty() {
                let _ = tx.send(Batch::Paths(paths.into_iter().collect()));
            }
        };
        let mut debouncer = new_debouncer(debounce, None, handler)?;
        // The root itself, not recursively: `dealbook.toml`, and folders
        // that appear later.
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        let mut w = Watcher {
            root,
            debouncer,
            watched: BTreeSet::new(),
        };
        w.refresh();
        Ok(w)
    }

    /// Watches the data folders that exist now and were not watched yet
    /// (a `themes/` folder created while serving), and forgets those that
    /// are gone, so a folder deleted and made again is watched again.
    pub fn refresh(&mut self) {
        for name in WATCHED {
            let path = self.root.join(name);
            if !path.is_dir() {
                if self.watched.remove(name) {
                    let _ = self.debouncer.unwatch(&path);
                }
            } else if !self.watched.contains(name)
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.insert(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_relative_to_the_root() {
        let root = Path::new("/repo");
        assert_eq!(
            relative(root, Path::new("/repo/content/projects/A/project.toml")).as_deref(),
            Some("content/projects/A/project.toml")
        );
        assert_eq!(relative(root, Path::new("/elsewhere/x")), None);
        assert_eq!(relative(root, Path::new("/repo")), None);
    }
}
