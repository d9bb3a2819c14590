//! Where `load` reads the data repo into memory (besides the parse cache,
//! `load::cache`). Everything after works on [`RepoFiles`], so the same
//! parsing serves a working tree, a Git commit's tree, or a test's
//! in-memory repo.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use crate::text::Stamp;
use crate::text::Text;

/// What was found at a path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Entry {
    /// A text file we parse (`.toml`, `.md`) or a theme file, as read.
    Text(Text),
    /// Such a file that is not UTF-8, as raw bytes: `load` reports it at
    /// its first bad byte.
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
    /// A project's record, note or form not read yet: what the parse cache
    /// holds of it is still good while its stamp is the same.
    Unread(Stamp),
}

/// The repo's files by `/`-separated path relative to the root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepoFiles {
    pub entries: BTreeMap<String, Entry>,
    /// The stamps of the project files a walk read and stamped at once
    /// ([`Stamping::WithReads`]), for the parse cache.
    pub stamps: BTreeMap<String, Stamp>,
}

impl Entry {
    /// A file's bytes as read: text when they are UTF-8 (the one check of
    /// their encoding), else raw.
    pub fn read(bytes: Vec<u8>) -> Entry {
        match String::from_utf8(bytes) {
            Ok(text) => Entry::Text(Text::new(text)),
            Err(e) => Entry::Bytes(e.into_bytes()),
        }
    }

    /// A file not read because it is larger than `limit` bytes.
    pub fn too_large(limit: u64) -> Entry {
        Entry::Unreadable(format!("larger than {limit} bytes"))
    }

    /// The bytes of a file that was read.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Entry::Text(text) => Some(text.as_bytes()),
            Entry::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }
}

impl RepoFiles {
    /// Adds a text file (tests build repos in memory with this).
    pub fn insert_text(&mut self, path: &str, text: &str) {
        self.entries
            .insert(path.to_string(), Entry::Text(Text::new(text.to_string())));
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Forgets the entries below a folder (`prefix` ends with `/`), looking
    /// at those only: a repo has 200,000.
    pub fn remove_under(&mut self, prefix: &str) {
        let doomed: Vec<String> = self.under(prefix).map(|(p, _)| p.to_string()).collect();
        for path in doomed {
            self.entries.remove(&path);
        }
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

/// The settings file, at the root.
pub const CONFIG: &str = "dealbook.toml";
/// The folders of a data repo `dealbook` reads: definitions, records,
/// themes. The watcher watches these.
pub const FOLDERS: [&str; 3] = ["data", "content", "themes"];
/// Everything `dealbook` reads, the settings first. The working tree, a
/// commit's tree and `serve`'s watcher all start here.
pub const ROOTS: [&str; 4] = [CONFIG, FOLDERS[0], FOLDERS[1], FOLDERS[2]];

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

/// Where a repo's files come from: a folder on disk ([`Disk`]) or a Git
/// commit's tree (`history::read`). [`walk`] owns the layout (roots,
/// ignored names, which files are read, the size limit); a tree only
/// lists and reads.
pub trait Tree {
    type Node;
    type Error;
    /// What is at a node.
    fn open(&self, node: &Self::Node) -> Result<Opened<Self::Node>, Self::Error>;
    /// A file's bytes, or why they cannot be read ([`Entry::too_large`]
    /// past `limit` bytes, told before they are read).
    fn read(&self, node: &Self::Node, limit: u64) -> Result<Entry, Self::Error>;
    /// A file's stamp, when the tree stamps files instead of reading
    /// them ([`Stamping::Instead`]).
    fn stamp(&self, _node: &Self::Node) -> Option<Stamp> {
        None
    }
    /// As [`Tree::read`], with the file's stamp when the tree stamps what
    /// it reads ([`Stamping::WithReads`]).
    fn read_stamped(
        &self,
        node: &Self::Node,
        limit: u64,
    ) -> Result<(Entry, Option<Stamp>), Self::Error> {
        Ok((self.read(node, limit)?, None))
    }
}

/// What a tree has at a node.
pub enum Opened<N> {
    /// A folder: its entries' raw names and nodes, in any order.
    Folder(Vec<(Vec<u8>, N)>),
    /// A file.
    File,
    /// Something the tree judged itself (a link that may not be followed).
    Entry(Entry),
    /// Nothing to list (a dangling link, a linked folder).
    Skip,
}

/// Walks `node` at `rel` into `files`: folders in name order, hidden and
/// backup names skipped, records, notes, forms and theme files read up to
/// [`MAX_TEXT_BYTES`], other files only noted as present.
pub fn walk<T: Tree>(
    tree: &T,
    node: &T::Node,
    rel: &str,
    files: &mut RepoFiles,
) -> Result<(), T::Error> {
    for (name, child) in step(tree, node, rel, files)? {
        walk(tree, &child, &format!("{rel}/{name}"), files)?;
    }
    Ok(())
}

/// As [`walk`], with the entries of big folders (the projects) walked on
/// all cores, each into its own map, merged in name order.
fn walk_parallel<T>(
    tree: &T,
    node: &T::Node,
    rel: &str,
    files: &mut RepoFiles,
) -> Result<(), T::Error>
where
    T: Tree + Sync,
    T::Node: Send + Sync,
    T::Error: Send,
{
    use rayon::prelude::*;
    let children = step(tree, node, rel, files)?;
    if children.len() < PARALLEL_FROM {
        for (name, child) in children {
            walk_parallel(tree, &child, &format!("{rel}/{name}"), files)?;
        }
        return Ok(());
    }
    let parts: Vec<Result<RepoFiles, T::Error>> = children
        .par_iter()
        .map(|(name, child)| {
            let mut part = RepoFiles::default();
            walk(tree, child, &format!("{rel}/{name}"), &mut part).map(|()| part)
        })
        .collect();
    for part in parts {
        let part = part?;
        files.entries.extend(part.entries);
        files.stamps.extend(part.stamps);
    }
    Ok(())
}

/// One node: a file or judged entry goes into `files`; a folder gives its
/// children to walk, sorted, without ignored names.
fn step<T: Tree>(
    tree: &T,
    node: &T::Node,
    rel: &str,
    files: &mut RepoFiles,
) -> Result<Vec<(String, T::Node)>, T::Error> {
    match tree.open(node)? {
        Opened::Folder(entries) => {
            let mut children = Vec::with_capacity(entries.len());
            for (name, child) in entries {
                match String::from_utf8(name) {
                    Ok(name) if is_ignored(&name) => {}
                    Ok(name) => children.push((name, child)),
                    Err(e) => {
                        let shown = format!("{rel}/{}", String::from_utf8_lossy(e.as_bytes()));
                        files.entries.insert(shown, Entry::BadName);
                    }
                }
            }
            children.sort_by(|a, b| a.0.cmp(&b.0));
            return Ok(children);
        }
        Opened::File => {
            let entry = if !is_parsed(rel) {
                Entry::Present
            } else if !rel.starts_with(super::PROJECTS) {
                tree.read(node, MAX_TEXT_BYTES)?
            } else if let Some(stamp) = tree.stamp(node) {
                Entry::Unread(stamp)
            } else {
                let (entry, stamp) = tree.read_stamped(node, MAX_TEXT_BYTES)?;
                if let Some(stamp) = stamp {
                    files.stamps.insert(rel.to_string(), stamp);
                }
                entry
            };
            files.entries.insert(rel.to_string(), entry);
        }
        Opened::Entry(entry) => {
            files.entries.insert(rel.to_string(), entry);
        }
        Opened::Skip => {}
    }
    Ok(Vec::new())
}

/// Reads the data repo at `root`.
pub fn read_repo(root: &Path) -> Result<RepoFiles, ReadError> {
    walk_repo(root, Disk::new(root).map_err(ReadError::Io)?)
}

/// Walks the data repo at `root`, its projects' records, notes and forms
/// stamped for the parse cache: instead of read ([`Entry::Unread`], for
/// [`read_unread`] to read those the cache cannot stand in for), or as
/// they are read.
pub fn stamp_repo(root: &Path, how: Stamping) -> Result<RepoFiles, ReadError> {
    walk_repo(root, Disk::stamping(root, how).map_err(ReadError::Io)?)
}

fn walk_repo(root: &Path, disk: Disk) -> Result<RepoFiles, ReadError> {
    if !root.is_dir() {
        return Err(ReadError::NoRoot);
    }
    if !root.join(CONFIG).is_file() {
        return Err(ReadError::NotARepo);
    }
    let mut files = RepoFiles::default();
    for name in ROOTS {
        let path = root.join(name);
        if fs::symlink_metadata(&path).is_ok() {
            walk_parallel(&disk, &path.into(), name, &mut files).map_err(ReadError::Io)?;
        }
    }
    Ok(files)
}

/// Reads `rel` (a file or folder of the repo) again after it changed on
/// disk, replacing what `files` had below it. A path that is gone is
/// removed.
pub fn reread(root: &Path, files: &mut RepoFiles, rel: &str) -> io::Result<()> {
    files.entries.remove(rel);
    files.remove_under(&format!("{rel}/"));
    let path = root.join(rel);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(());
    }
    walk(&Disk::new(root)?, &path.into(), rel, files)
}

/// Reads, on all cores, the files below `prefixes` (folders ending in
/// `/`) that were only stamped.
pub fn read_unread(root: &Path, files: &mut RepoFiles, prefixes: &[String]) {
    use rayon::prelude::*;
    let unread: Vec<&str> = prefixes
        .iter()
        .flat_map(|prefix| files.under(prefix))
        .filter(|(_, e)| matches!(e, Entry::Unread(_)))
        .map(|(p, _)| p)
        .collect();
    let read: Vec<(String, Entry)> = unread
        .par_iter()
        .map(|path| {
            let (entry, _) = read_file(&root.join(path), MAX_TEXT_BYTES, false);
            (path.to_string(), entry)
        })
        .collect();
    files.entries.extend(read);
}

/// A folder with this many entries or more is read in parallel.
const PARALLEL_FROM: usize = 16;

/// The working tree of a repo on disk.
pub struct Disk {
    /// The repo's root, canonical: links are judged against it.
    root: PathBuf,
    stamping: Stamping,
}

/// Whether and how a walk of the disk stamps the projects' files for the
/// parse cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamping {
    Off,
    /// Each file stamped from its folder's listing and not read: when a
    /// cache may stand in for most of them.
    Instead,
    /// Each file read, and stamped from the open file at no extra cost:
    /// when there is no cache to stand in for any.
    WithReads,
}

impl Disk {
    pub fn new(root: &Path) -> io::Result<Disk> {
        Disk::stamping(root, Stamping::Off)
    }

    pub fn stamping(root: &Path, stamping: Stamping) -> io::Result<Disk> {
        Ok(Disk {
            root: root.canonicalize()?,
            stamping,
        })
    }
}

/// A path on disk and, when its folder's listing told it, what it is: at
/// 200,000 files, asking the file system again for each is most of a
/// walk's time.
pub struct DiskNode {
    path: PathBuf,
    kind: Option<fs::FileType>,
    /// A regular file's stamp, asked of its folder when stamping.
    stamp: Option<Stamp>,
}

impl From<PathBuf> for DiskNode {
    fn from(path: PathBuf) -> DiskNode {
        DiskNode {
            path,
            kind: None,
            stamp: None,
        }
    }
}

impl Tree for Disk {
    type Node = DiskNode;
    type Error = io::Error;

    fn open(&self, node: &DiskNode) -> io::Result<Opened<DiskNode>> {
        let path = &node.path;
        let kind = match node.kind {
            Some(kind) => kind,
            None => fs::symlink_metadata(path)?.file_type(),
        };
        if kind.is_file() {
            return Ok(Opened::File);
        }
        if kind.is_symlink() {
            let shown = || {
                fs::read_link(path)
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            };
            match path.canonicalize() {
                // A linked folder is not followed: its real folder is walked
                // on its own, and a link cannot make a loop.
                Ok(target) if target.starts_with(&self.root) && target.is_dir() => {
                    return Ok(Opened::Skip);
                }
                // A link is read only when it leads to a file dealbook reads
                // as data anyway: it must not publish `.git/config`.
                Ok(target) if target.starts_with(&self.root) => {
                    if !is_data_path(&target, &self.root) {
                        return Ok(Opened::Entry(Entry::ForbiddenLink(shown())));
                    }
                }
                Ok(_) => return Ok(Opened::Entry(Entry::EscapingLink(shown()))),
                // A dangling link: the path does not exist as far as links go.
                Err(_) => return Ok(Opened::Skip),
            }
            return Ok(if fs::metadata(path)?.is_file() {
                Opened::File
            } else {
                Opened::Skip
            });
        }
        if kind.is_dir() {
            let entries = fs::read_dir(path)?
                .filter_map(Result::ok)
                .map(|e| {
                    let kind = e.file_type().ok();
                    // From the folder's handle, without looking the path up.
                    let stamp = (self.stamping == Stamping::Instead
                        && kind.is_some_and(|k| k.is_file()))
                    .then(|| e.metadata().ok().map(|m| Stamp::of(&m)))
                    .flatten();
                    let node = DiskNode {
                        path: e.path(),
                        kind,
                        stamp,
                    };
                    (e.file_name().into_encoded_bytes(), node)
                })
                .collect();
            return Ok(Opened::Folder(entries));
        }
        Ok(Opened::Skip)
    }

    fn read(&self, node: &DiskNode, limit: u64) -> io::Result<Entry> {
        self.read_stamped(node, limit).map(|(entry, _)| entry)
    }

    fn read_stamped(&self, node: &DiskNode, limit: u64) -> io::Result<(Entry, Option<Stamp>)> {
        let stamp = self.stamping == Stamping::WithReads;
        Ok(read_file(&node.path, limit, stamp))
    }

    fn stamp(&self, node: &DiskNode) -> Option<Stamp> {
        node.stamp
    }
}

/// A file's bytes as an entry (or why they could not be read), with its
/// stamp when `stamp` is asked for.
fn read_file(path: &Path, limit: u64, stamp: bool) -> (Entry, Option<Stamp>) {
    use std::io::Read;
    let read = || -> io::Result<(Entry, Option<Stamp>)> {
        let mut file = fs::File::open(path)?;
        // Taken before the bytes: a change while they are read makes the
        // next stamp differ.
        let meta = file.metadata()?;
        let stamp = stamp.then(|| Stamp::of(&meta));
        if meta.len() > limit {
            return Ok((Entry::too_large(limit), None));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        file.read_to_end(&mut bytes)?;
        Ok((Entry::read(bytes), stamp))
    };
    read().unwrap_or_else(|e| (Entry::Unreadable(e.to_string()), None))
}

/// Which part of the repo a path (relative, `/`-separated) is in: what
/// `serve` must reload when it changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// `dealbook.toml` or `data/`: the settings, process, team, strings.
    Definitions,
    /// `themes/`.
    Theme,
    /// A project's folder or a file in it.
    Project(&'a str),
    /// `content/` or `content/projects/` itself came or went.
    Content,
    /// Not data: hidden, backup or swap files, and anything else.
    Other,
}

pub fn part_of(path: &str) -> Part<'_> {
    let path = path.trim_start_matches("./");
    if path.split('/').any(is_ignored) {
        return Part::Other;
    }
    let [_, data, content, themes] = ROOTS;
    let under =
        |root: &str| path == root || path.strip_prefix(root).is_some_and(|r| r.starts_with('/'));
    if path == CONFIG || under(data) {
        Part::Definitions
    } else if under(themes) {
        Part::Theme
    } else if let Some(folder) = path
        .strip_prefix(super::PROJECTS)
        .and_then(|rest| rest.split('/').next())
        .filter(|folder| !folder.is_empty())
    {
        Part::Project(folder)
    } else if path == content || path == super::PROJECTS.trim_end_matches('/') {
        Part::Content
    } else {
        Part::Other
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

/// Copies the folder `from` to `to`, for tests that need a repo on disk.
#[cfg(test)]
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
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
        std::fs::create_dir_all(root.join("content/projects/A-1")).unwrap();
        std::fs::write(root.join("content/projects/A-1/project.toml"), "b").unwrap();
        reread(root, &mut files, "content/projects/A-1").unwrap();
        reread(root, &mut files, "content/projects/A").unwrap();
        assert!(files.get("content/projects/A-1/project.toml").is_some());
        assert!(files.get("content/projects/A/project.toml").is_some());
        std::fs::remove_dir_all(root.join("content/projects/A")).unwrap();
        reread(root, &mut files, "content/projects/A").unwrap();
        let left: Vec<&str> = files.under("content/projects/").map(|(p, _)| p).collect();
        assert_eq!(
            left,
            ["content/projects/A-1/project.toml"],
            "a neighbour stays"
        );
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
