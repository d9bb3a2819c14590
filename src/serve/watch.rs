//! Watching the data repo: each debounced burst of changes becomes one
//! batch of repo-relative paths. On Linux with inotify directly
//! (`linux.rs`), elsewhere through notify (`portable.rs`).

#[cfg(target_os = "linux")]
mod linux;
#[cfg(not(target_os = "linux"))]
mod portable;

#[cfg(target_os = "linux")]
pub use linux::Watcher;
#[cfg(not(target_os = "linux"))]
pub use portable::Watcher;

/// Folders of the repo that hold data; `dealbook.toml` sits at the root.
const WATCHED: [&str; 3] = crate::load::files::FOLDERS;

/// What the watcher reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Batch {
    /// These repo-relative paths changed.
    Paths(Vec<String>),
    /// Events were lost (the system's queue overflowed): look at everything.
    Rescan,
}
