//! Watching the data repo with inotify, asking only for changes. notify's
//! inotify watcher also asks for every file opened (`IN_OPEN`): reading a
//! repo of 10,000 projects (200,000 files) overflowed the kernel's queue of
//! 16,384 events, every overflow meant "look at everything", and looking
//! read every file again — `serve` reloaded without end. Here reading
//! makes no event, and an overflow can only come from real changes.
//!
//! Every folder below the watched folders gets a watch (as notify's
//! recursive mode does); a folder created or moved in gets its own at once.
//! Events are gathered until none came for the debounce time, then sent as
//! one batch.

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask, Watches};

use super::{Batch, WATCHED};
use crate::load::files::is_ignored;

/// What a change is: never an open or a read.
fn changes() -> WatchMask {
    WatchMask::CREATE
        | WatchMask::DELETE
        | WatchMask::MODIFY
        | WatchMask::CLOSE_WRITE
        | WatchMask::ATTRIB
        | WatchMask::MOVED_FROM
        | WatchMask::MOVED_TO
        | WatchMask::DELETE_SELF
        | WatchMask::MOVE_SELF
}

/// Watched folders by watch descriptor id: the watch and the
/// repo-relative path of each (`""` for the root).
#[derive(Default)]
struct Folders(HashMap<i32, (WatchDescriptor, String)>);

pub struct Watcher {
    root: PathBuf,
    watches: Watches,
    folders: Arc<Mutex<Folders>>,
    watched: BTreeSet<&'static str>,
    /// Set when the watcher is dropped: its thread ends at the next event,
    /// which removing the watches makes at once.
    stop: Arc<AtomicBool>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let watches: Vec<WatchDescriptor> = lock(&self.folders)
            .0
            .values()
            .map(|(wd, _)| wd.clone())
            .collect();
        for wd in watches {
            let _ = self.watches.remove(wd);
        }
    }
}

fn lock(folders: &Mutex<Folders>) -> std::sync::MutexGuard<'_, Folders> {
    folders.lock().unwrap_or_else(|e| e.into_inner())
}

/// Watches `rel` (a folder below `root`) and every folder below it, except
/// hidden and backup ones, as `load` skips them. Folders are watched on all
/// cores: 10,000 projects are 30,000 folders.
fn watch_tree(watches: &Watches, folders: &Mutex<Folders>, root: &Path, rel: &str) {
    // A link to a folder is not followed, as `load` does not.
    if std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_dir()) {
        rayon::scope(|s| watch_folder(s, watches, folders, root, rel.to_string()));
    }
}

/// Watches one folder (known to be a real folder, not a link) and spawns
/// the same for its folders.
fn watch_folder<'s>(
    s: &rayon::Scope<'s>,
    watches: &'s Watches,
    folders: &'s Mutex<Folders>,
    root: &'s Path,
    rel: String,
) {
    let path = root.join(&rel);
    let Ok(wd) = watches.clone().add(&path, changes() | WatchMask::ONLYDIR) else {
        return;
    };
    lock(folders)
        .0
        .insert(wd.get_watch_descriptor_id(), (wd, rel.clone()));
    let Ok(entries) = std::fs::read_dir(&path) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        // The listing's type is the entry's own: a link is not a folder.
        if !is_ignored(&name) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let child = format!("{rel}/{name}");
            s.spawn(move |s| watch_folder(s, watches, folders, root, child));
        }
    }
}

/// A burst of events being gathered.
#[derive(Default)]
struct Burst {
    paths: BTreeSet<String>,
    rescan: bool,
}

impl Burst {
    fn take(&mut self) -> Option<Batch> {
        let burst = std::mem::take(self);
        if burst.rescan {
            Some(Batch::Rescan)
        } else if burst.paths.is_empty() {
            None
        } else {
            Some(Batch::Paths(burst.paths.into_iter().collect()))
        }
    }
}

/// Adds one event to the burst; a folder that appears in a watched tree is
/// watched at once.
fn absorb(
    event: inotify::Event<&std::ffi::OsStr>,
    burst: &mut Burst,
    watches: &Watches,
    folders: &Mutex<Folders>,
    root: &Path,
) {
    if event.mask.contains(EventMask::Q_OVERFLOW) {
        burst.rescan = true;
        return;
    }
    let id = event.wd.get_watch_descriptor_id();
    let dir = if event.mask.contains(EventMask::IGNORED) {
        // The folder is gone; its watch with it.
        lock(folders).0.remove(&id).map(|(_, rel)| rel)
    } else {
        lock(folders).0.get(&id).map(|(_, rel)| rel.clone())
    };
    let Some(dir) = dir else { return };
    let rel = match event.name.and_then(|n| n.to_str()) {
        Some(name) if dir.is_empty() => name.to_string(),
        Some(name) => format!("{dir}/{name}"),
        None => dir,
    };
    if rel.is_empty() {
        return;
    }
    let top = rel.split('/').next().unwrap_or("");
    if event.mask.contains(EventMask::ISDIR)
        && event
            .mask
            .intersects(EventMask::CREATE | EventMask::MOVED_TO)
        && WATCHED.contains(&top)
    {
        // Files written into it before its watch was added are found by
        // reloading the folder, which its path asks for.
        watch_tree(watches, folders, root, &rel);
    }
    burst.paths.insert(rel);
}

impl Watcher {
    /// Starts watching; each debounced batch of changed paths goes to `tx`.
    pub fn start(root: &Path, debounce: Duration, tx: Sender<Batch>) -> io::Result<Watcher> {
        let root = root.canonicalize()?;
        let mut inotify = Inotify::init()?;
        let mut watches = inotify.watches();
        let folders = Arc::new(Mutex::new(Folders::default()));
        // The root itself, not below: `dealbook.toml`, and folders that
        // appear later.
        let wd = watches.add(&root, changes())?;
        lock(&folders)
            .0
            .insert(wd.get_watch_descriptor_id(), (wd, String::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut w = Watcher {
            root: root.clone(),
            watches: watches.clone(),
            folders: Arc::clone(&folders),
            watched: BTreeSet::new(),
            stop: Arc::clone(&stop),
        };
        w.refresh();
        std::thread::spawn(move || {
            let mut buffer = vec![0u8; 64 * 1024];
            let mut burst = Burst::default();
            loop {
                // Wait for a first event, then gather until it is quiet.
                let Ok(events) = inotify.read_events_blocking(&mut buffer) else {
                    return;
                };
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                for event in events {
                    absorb(event, &mut burst, &watches, &folders, &root);
                }
                let mut last = Instant::now();
                while last.elapsed() < debounce {
                    std::thread::sleep((debounce / 5).clamp(Duration::from_millis(2), debounce));
                    match inotify.read_events(&mut buffer) {
                        Ok(events) => {
                            let mut any = false;
                            for event in events {
                                any = true;
                                absorb(event, &mut burst, &watches, &folders, &root);
                            }
                            if any {
                                last = Instant::now();
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                        Err(_) => return,
                    }
                }
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if let Some(batch) = burst.take()
                    && tx.send(batch).is_err()
                {
                    // Nobody listens any more: the preview stopped.
                    return;
                }
            }
        });
        Ok(w)
    }

    /// Watches the data folders that exist now and were not watched yet
    /// (a `themes/` folder created while serving), and forgets those that
    /// are gone, so a folder deleted and made again is watched again.
    pub fn refresh(&mut self) {
        for name in WATCHED {
            let path = self.root.join(name);
            if !path.is_dir() {
                self.watched.remove(name);
            } else if !self.watched.contains(name) {
                let present = lock(&self.folders).0.values().any(|(_, rel)| rel == name);
                if !present {
                    watch_tree(&self.watches, &self.folders, &self.root, name);
                }
                self.watched.insert(name);
            }
        }
    }
}
