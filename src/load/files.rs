//! The one place `load` touches the disk: it reads the data repo into
//! memory. Everything after works on [`RepoFiles`], so the same parsing
//! serves a working tree, a Git commit's tree, or a test's in-memory repo.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What was found at a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A text file we parse (`.toml`, `.md`), as raw bytes: decoding is
    /// checked later so a non-UTF-8 file becomes a located finding.
    Bytes(Vec<u8>),
    /// Any other file (a PDF attachment): only its existence matters.
    Present,
    /// A symlink whose target lies outside the repo; never followed.
    EscapingLink(String),
    /// A symlink to something in the repo that is not data (`.git/config`,
    /// `.env`, `dealbook.toml`): never followed, never published.
    ForbiddenLink(String),
    /// The file exists but could not be read.
    Unreadable(String),
    /// A file whose name is not UTF-8 (listed under its lossy name).
    BadName,
}

/// The repo's files by `/`-separated path relative to the root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepoFiles {
    pub entries: BTreeMap<String, Entry>,
}

impl RepoFiles {
    /// Adds a text file (tests build repos in memory with this).
    pub fn insert_text(&mut self, path: &str, text: &str) {
        self.entries
            .insert(path.to_string(), Entry::Bytes(text.as_bytes().to_vec()));
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Entries whose path starts with `prefix` (a folder ending in `/`).
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a Entry)> {
        self.entries
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(p, _)| p.starts_with(prefix))
            .map(|(p, e)| (p.as_str(), e))
    }
}

/// The parts of a data repo `dealbook` reads.
const ROOTS: &[&str] = &["dealbook.toml", "data", "content", "themes"];

/// Files larger than this are not read (a record is a few KiB).
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// Why a repo could not be read at all.
#[derive(Debug)]
pub enum ReadError {
    NoRoot,
    /// The folder has no `dealbook.toml`.
    NotARepo,
    Io(io::Error),
}

/// Reads the data repo at `root`.
pub fn read_repo(root: &Path) -> Result<RepoFiles, ReadError> {
    if !root.is_dir() {
        return Err(ReadError::NoRoot);
    }
    if !root.join(ROOTS[0]).is_file() {
        return Err(ReadError::NotARepo);
    }
    let mut walker = Walker {
        root: root.canonicalize().map_err(ReadError::Io)?,
        files: RepoFiles::default(),
    };
    for name in ROOTS {
        let path = root.join(name);
        if fs::symlink_metadata(&path).is_ok() {
            walker.visit(&path, name).map_err(ReadError::Io)?;
        }
    }
    Ok(walker.files)
}

/// Reads `rel` (a file or folder of the repo) again after it changed on
/// disk, replacing what `files` had below it. A path that is gone is
/// removed.
pub fn reread(root: &Path, files: &mut RepoFiles, rel: &str) -> io::Result<()> {
    let prefix = format!("{rel}/");
    files
        .entries
        .retain(|path, _| path != rel && !path.starts_with(&prefix));
    let path = root.join(rel);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(());
    }
    let mut walker = Walker {
        root: root.canonicalize()?,
        files: std::mem::take(files),
    };
    let result = walker.visit(&path, rel);
    *files = walker.files;
    result
}

struct Walker {
    root: PathBuf,
    files: RepoFiles,
}

impl Walker {
    fn visit(&mut self, path: &Path, rel: &str) -> io::Result<()> {
        let meta = fs::symlink_metadata(path)?;
        if meta.file_type().is_symlink() {
            let shown = || {
                fs::read_link(path)
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            };
            match path.canonicalize() {
                // A linked folder is not followed: its real folder is walked
                // on its own, and a link cannot make a loop.
                Ok(target) if target.starts_with(&self.root) && target.is_dir() => return Ok(()),
                // A link is read only when it leads to a file dealbook reads
                // as data anyway: it must not publish `.git/config`.
                Ok(target) if target.starts_with(&self.root) => {
                    if !is_data_path(&target, &self.root) {
                        self.files
                            .entries
                            .insert(rel.to_string(), Entry::ForbiddenLink(shown()));
                        return Ok(());
                    }
                }
                Ok(_) => {
                    self.files
                        .entries
                        .insert(rel.to_string(), Entry::EscapingLink(shown()));
                    return Ok(());
                }
                // A dangling link: the path does not exist as far as links go.
                Err(_) => return Ok(()),
            }
        }
        let meta = fs::metadata(path)?;
        if meta.is_dir() {
            let mut names: Vec<_> = fs::read_dir(path)?
                .filter_map(Result::ok)
                .map(|e| e.file_name())
                .collect();
            names.sort();
            for name in names {
                let Some(name) = name.to_str() else {
                    let shown = format!("{rel}/{}", name.to_string_lossy());
                    self.files.entries.insert(shown, Entry::BadName);
                    continue;
                };
                if is_ignored(name) {
                    continue;
                }
                self.visit(&path.join(name), &format!("{rel}/{name}"))?;
            }
        } else if meta.is_file() {
            let entry = if is_parsed(rel) {
                if meta.len() > MAX_TEXT_BYTES {
                    Entry::Unreadable(format!("larger than {MAX_TEXT_BYTES} bytes"))
                } else {
                    match fs::read(path) {
                        Ok(bytes) => Entry::Bytes(bytes),
                        Err(e) => Entry::Unreadable(e.to_string()),
                    }
                }
            } else {
                Entry::Present
            };
            self.files.entries.insert(rel.to_string(), entry);
        }
        Ok(())
    }
}

/// Whether `path` (canonical) is a file dealbook reads as data: below
/// `content/` of `root` (canonical), with no hidden or ignored part.
pub fn is_data_path(path: &Path, root: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    parts.next().is_some_and(|first| first == "content") && parts.all(|p| !is_ignored(&p))
}

/// Hidden files, editor swap and backup files are never data.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}

/// Files whose bytes we read: records, notes and forms, and every file of
/// a theme (templates and static files).
pub fn is_parsed(path: &str) -> bool {
    path.ends_with(".toml") || path.ends_with(".md") || path.starts_with("themes/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_lists_a_folder_only() {
        let mut files = RepoFiles::default();
        files.insert_text("content/projects/A/project.toml", "");
        files.insert_text("content/projects/A/notes/x.md", "");
        files.insert_text("content/projects/AB/project.toml", "");
        let a: Vec<_> = files.under("content/projects/A/").map(|(p, _)| p).collect();
        assert_eq!(
            a,
            [
                "content/projects/A/notes/x.md",
                "content/projects/A/project.toml"
            ]
        );
    }

    #[test]
    fn rereading_a_folder_replaces_what_was_below_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/projects/A/notes")).unwrap();
        std::fs::write(root.join("dealbook.toml"), "").unwrap();
        std::fs::write(root.join("content/projects/A/project.toml"), "a").unwrap();
        std::fs::write(root.join("content/projects/A/notes/old.md"), "x").unwrap();
        let mut files = read_repo(root).unwrap();
        std::fs::remove_file(root.join("content/projects/A/notes/old.md")).unwrap();
        std::fs::write(root.join("content/projects/A/notes/new.md"), "y").unwrap();
        reread(root, &mut files, "content/projects/A").unwrap();
        assert!(files.get("content/projects/A/notes/old.md").is_none());
        assert!(files.get("content/projects/A/notes/new.md").is_some());
        assert!(files.get("dealbook.toml").is_some(), "the rest stays");
        std::fs::remove_dir_all(root.join("content/projects/A")).unwrap();
        reread(root, &mut files, "content/projects/A").unwrap();
        assert_eq!(files.under("content/projects/").count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_to_data() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = root.join("content/projects/A");
        std::fs::create_dir_all(p.join("forms")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("dealbook.toml"), "").unwrap();
        std::fs::write(root.join(".git/config"), "token").unwrap();
        std::fs::write(root.join(".env"), "SECRET=1").unwrap();
        std::fs::write(p.join("forms/real.pdf"), "pdf").unwrap();
        let link = |target: &str, name: &str| {
            std::os::unix::fs::symlink(target, p.join("forms").join(name)).unwrap();
        };
        link("../../../../.git/config", "cfg.txt");
        link("../../../../.env", "env.txt");
        link("../../../../dealbook.toml", "settings.txt");
        link("real.pdf", "copy.pdf");
        let files = read_repo(root).unwrap();
        let at = |name: &str| {
            files
                .get(&format!("content/projects/A/forms/{name}"))
                .cloned()
        };
        for name in ["cfg.txt", "env.txt", "settings.txt"] {
            assert!(
                matches!(at(name), Some(Entry::ForbiddenLink(_))),
                "{name}: {:?}",
                at(name)
            );
        }
        assert_eq!(at("copy.pdf"), Some(Entry::Present));
    }

    #[test]
    fn swap_and_hidden_files_are_ignored() {
        for name in [".project.toml.swp", "x.md~", ".DS_Store", "#x.md#"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("2026-09-03-拜访.md"));
    }
}
