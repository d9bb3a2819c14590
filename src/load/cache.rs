//! The parse cache: what the last run made of each project folder, so that
//! a run after a small change reads and parses only the folders that
//! changed. A folder counts as unchanged while every file in it has the
//! stamp it had (size, modification and status-change times, inode), as
//! Git's index and ruff's cache judge files. At 10,000 projects this is
//! the difference between reading 200,000 files and asking for their
//! stamps.
//!
//! The cache lives in `.dealbook/` at the repo's root, which ignores
//! itself in Git. It is only ever a shortcut: a cache that is missing,
//! unreadable, from another build of dealbook or for another process
//! definition is passed over, and a failure to write it is not an error.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use super::files::{self, Entry, RepoFiles, Stamping};
use super::{Fatal, PROCESS, PROJECTS, ProjectLoad};
use crate::model::{Loaded, Project};
use crate::text::Unread;

/// The cache's folder, at the repo's root.
pub const DIR: &str = ".dealbook";
const FILE: &str = "projects.cache";
/// Changed whenever what is cached changes shape.
const FORMAT: u32 = 1;
/// A folder with a file changed this recently (in nanoseconds) is not
/// cached: another change within the same tick of the file system's clock
/// would leave the stamp as it was (Git's "racily clean" files).
const RACY: i128 = 2_000_000_000;

/// The cache file's first bytes.
const MAGIC: &[u8; 16] = b"dealbook-cache\0\0";
/// [`MAGIC`], the format and the key.
const HEADER: usize = 16 + 4 + 8;

/// One project folder's entry in the cache.
struct Folder {
    name: String,
    /// The stamps of its files ([`signatures`]).
    signature: u64,
    /// The hash of its files as read (`Digests::projects`).
    digest: u64,
    /// The [`checksum`] of the encoded project.
    checksum: u64,
    /// The parsed [`Project`], encoded (postcard), as a range of the cache
    /// file or as this run encoded it; its note and form bodies are kept
    /// as ranges of their files.
    project: Blob,
}

/// Where a folder's encoded project is.
enum Blob {
    /// In the cache file as read ([`Reading::old`]).
    Old(std::ops::Range<usize>),
    /// Encoded by this run.
    New(Vec<u8>),
}

/// Reads and parses the repo at `root`, the parse cache standing in for
/// every project folder whose files' stamps are unchanged, and writes the
/// cache back for the next run. The files of the folders it stood in for
/// are stamped, not read ([`Entry::Unread`]); `Loaded::unread` reads
/// their texts when they are wanted.
pub fn load(root: &Path) -> Result<(RepoFiles, Loaded), Fatal> {
    let done = Reading::at(root, now())?.finish(root)?;
    Ok((done.files, done.loaded))
}

/// What [`load`] did.
struct Done {
    files: RepoFiles,
    loaded: Loaded,
    /// The folders the cache stood in for (for the tests to see).
    #[cfg(test)]
    reused: Vec<String>,
}

/// A repo being read with the parse cache.
struct Reading {
    files: RepoFiles,
    reused: BTreeMap<String, ProjectLoad>,
    unread: Unread,
    key: u64,
    /// Each project folder's [`signatures`] and the time of its latest
    /// change; `None` for a folder that cannot be cached (a link, a file
    /// that could not be read).
    signatures: BTreeMap<String, Option<(u64, i128)>>,
    /// The cache's entries for the folders reused, written back as they are.
    kept: Vec<Folder>,
    /// The cache file as read, which they point into.
    old: Vec<u8>,
    /// Whether the cache file has entries this run did not reuse.
    stale: bool,
    /// When the files were stamped.
    started: i128,
}

impl Reading {
    /// Stamps the repo at `root` (at `started`), takes from the cache every
    /// project folder whose stamps are unchanged and reads the files of
    /// the others.
    fn at(root: &Path, started: i128) -> Result<Reading, Fatal> {
        // Without a cache every file is read anyway: stamped as it is.
        let how = match file(root) {
            Some(_) => Stamping::Instead,
            None => Stamping::WithReads,
        };
        let mut files = files::stamp_repo(root, how).map_err(|e| super::cannot_read(root, e))?;
        let key = key(&files);
        let signatures = signatures(&files);
        let (old, folders) = read_file(root, key).unwrap_or_default();
        let mut stale = !old.is_empty() && folders.is_empty();
        let (hits, missed): (Vec<Folder>, Vec<Folder>) = folders.into_iter().partition(
            |f| matches!(signatures.get(&f.name), Some(Some((s, _))) if *s == f.signature),
        );
        stale |= !missed.is_empty();
        let hits_len = hits.len();
        let (reused, kept, unread) = reuse(root, &files, hits, &old);
        stale |= reused.len() < hits_len;
        let misses: Vec<String> = signatures
            .keys()
            .filter(|f| !reused.contains_key(*f))
            .map(|f| format!("{PROJECTS}{f}/"))
            .collect();
        files::read_unread(root, &mut files, &misses);
        Ok(Reading {
            files,
            reused,
            unread,
            key,
            signatures,
            kept,
            old,
            stale,
            started,
        })
    }

    /// Parses the repo, the cache standing in for the folders it had, and
    /// writes the cache for the next run.
    fn finish(mut self, root: &Path) -> Result<Done, Fatal> {
        #[cfg(test)]
        let reused_names = self.reused.keys().cloned().collect();
        let reused = std::mem::take(&mut self.reused);
        let mut loaded = super::parse_reusing(&self.files, reused)?;
        self.save(root, &loaded);
        loaded.unread = Some(self.unread);
        // Needed for the signatures only.
        self.files.stamps.clear();
        Ok(Done {
            files: self.files,
            loaded,
            #[cfg(test)]
            reused: reused_names,
        })
    }

    /// Writes the cache, when this run parsed a folder it may keep or
    /// found one of its entries stale. A folder is kept when it parsed
    /// without a finding and no file of it changed just now.
    fn save(&self, root: &Path, loaded: &Loaded) {
        let Some(data) = &loaded.dataset else { return };
        let with_findings: HashSet<&str> = loaded
            .findings
            .iter()
            .filter_map(|f| match files::part_of(&f.path) {
                files::Part::Project(folder) => Some(folder),
                _ => None,
            })
            .collect();
        let kept: HashSet<&str> = self.kept.iter().map(|f| f.name.as_str()).collect();
        let fresh: Vec<Folder> = data
            .projects
            .par_iter()
            .filter(|p| !kept.contains(p.folder.as_str()))
            .filter(|p| !with_findings.contains(p.folder.as_str()))
            .filter_map(|p| {
                let (signature, latest) = (*self.signatures.get(&p.folder)?)?;
                if latest > self.started - RACY {
                    return None;
                }
                let project = postcard::to_allocvec(p).ok()?;
                Some(Folder {
                    name: p.folder.clone(),
                    signature,
                    digest: *loaded.digests.projects.get(&p.folder)?,
                    checksum: checksum(&project),
                    project: Blob::New(project),
                })
            })
            .collect();
        if fresh.is_empty() && !self.stale {
            return;
        }
        let mut folders: Vec<&Folder> = self.kept.iter().chain(&fresh).collect();
        folders.sort_by(|a, b| a.name.cmp(&b.name));
        // Only a shortcut: a repo that cannot take it runs without.
        let _ = write(root, self.key, &folders, &self.old);
    }
}

/// The projects of the cache entries `hits` (on all cores), their bodies
/// attached to their files; an entry that fails its checksum or does not
/// decode is left out. Returns them by folder, the entries reused, and
/// the files they stand in for.
fn reuse(
    root: &Path,
    files: &RepoFiles,
    hits: Vec<Folder>,
    old: &[u8],
) -> (BTreeMap<String, ProjectLoad>, Vec<Folder>, Unread) {
    let decoded: Vec<Option<Project>> = hits
        .par_iter()
        .map(|f| {
            let Blob::Old(range) = &f.project else {
                return None;
            };
            let bytes = &old[range.clone()];
            // A damaged entry could decode into a project that names
            // stages the process does not have.
            (checksum(bytes) == f.checksum)
                .then(|| postcard::from_bytes(bytes).ok())
                .flatten()
        })
        .collect();
    let mut stamps = BTreeMap::new();
    let mut projects = Vec::new();
    let mut kept = Vec::with_capacity(hits.len());
    for (folder, project) in hits.into_iter().zip(decoded) {
        let Some(project) = project else { continue };
        let prefix = format!("{PROJECTS}{}/", folder.name);
        for (path, entry) in files.under(&prefix) {
            if let Entry::Unread(stamp) = entry {
                stamps.insert(path.to_string(), *stamp);
            }
        }
        projects.push(project);
        kept.push(folder);
    }
    let unread = Unread::new(root.to_path_buf(), stamps);
    let mut reused = BTreeMap::new();
    for (folder, mut project) in kept.iter().zip(projects) {
        attach_bodies(&mut project, &unread);
        let load = ProjectLoad {
            project: Some(project),
            findings: Vec::new(),
            sources: Default::default(),
            digest: folder.digest,
        };
        reused.insert(folder.name.clone(), load);
    }
    (reused, kept, unread)
}

/// The current time, as stamps count it.
fn now() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// What every cached parse depends on besides its folder's files: this
/// build of dealbook and the process definition.
fn key(files: &RepoFiles) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // Another build of the same version may parse differently.
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| files::Stamp::of(&m))
        .ok()
        .hash(&mut h);
    files::MAX_TEXT_BYTES.hash(&mut h);
    match files.get(PROCESS) {
        Some(entry) => entry.hash(&mut h),
        None => super::BUILTIN_PROCESS.hash(&mut h),
    }
    h.finish()
}

/// Each project folder's signature: a hash of its files' paths and
/// stamps, with the time of the latest change. `None` for a folder with
/// anything but stamped files (read or not) and present ones.
fn signatures(files: &RepoFiles) -> BTreeMap<String, Option<(u64, i128)>> {
    let mut out = BTreeMap::new();
    let mut current: Option<(&str, Option<(std::hash::DefaultHasher, i128)>)> = None;
    let mut finish = |current: Option<(&str, Option<(std::hash::DefaultHasher, i128)>)>| {
        if let Some((folder, state)) = current {
            out.insert(folder.to_string(), state.map(|(h, t)| (h.finish(), t)));
        }
    };
    for (path, entry) in files.under(PROJECTS) {
        let Some((folder, _)) = path[PROJECTS.len()..].split_once('/') else {
            continue;
        };
        if current.as_ref().is_none_or(|(f, _)| *f != folder) {
            finish(current.take());
            current = Some((folder, Some((std::hash::DefaultHasher::new(), 0))));
        }
        let Some((_, state)) = current.as_mut() else {
            continue;
        };
        // Stamped instead of read, or read and stamped: the same stamp
        // gives the same signature.
        let stamp = match entry {
            Entry::Unread(stamp) => Some(stamp),
            Entry::Text(_) => files.stamps.get(path),
            _ => None,
        };
        match (entry, stamp, state.as_mut()) {
            (_, Some(stamp), Some((h, latest))) => {
                (path, stamp).hash(h);
                *latest = (*latest).max(stamp.latest());
            }
            (Entry::Present, _, Some((h, _))) => (path, entry).hash(h),
            _ => *state = None,
        }
    }
    finish(current);
    out
}

/// Points a cached project's note and form bodies at their files, to be
/// read when a page shows them.
fn attach_bodies(project: &mut Project, unread: &Unread) {
    for note in &mut project.notes {
        note.body.attach(&unread.later(&note.path));
    }
    for form in &mut project.forms {
        form.body.attach(&unread.later(&form.path));
    }
}

/// A fast hash of an encoded project (FNV-1a over 8-byte words), to tell
/// a damaged cache entry from a good one.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
        h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ bytes.len() as u64
}

/// Writes the cache file: [`MAGIC`], the format and key, then each
/// folder's name, signature, digest, checksum and encoded project, lengths before
/// contents (little-endian), so the projects are read in place.
fn encode(out: &mut impl Write, key: u64, folders: &[&Folder], old: &[u8]) -> io::Result<()> {
    out.write_all(&header(key))?;
    out.write_all(&(folders.len() as u32).to_le_bytes())?;
    for f in folders {
        let blob = match &f.project {
            Blob::Old(range) => &old[range.clone()],
            Blob::New(bytes) => bytes.as_slice(),
        };
        out.write_all(&(f.name.len() as u32).to_le_bytes())?;
        out.write_all(f.name.as_bytes())?;
        out.write_all(&f.signature.to_le_bytes())?;
        out.write_all(&f.digest.to_le_bytes())?;
        out.write_all(&f.checksum.to_le_bytes())?;
        out.write_all(&(blob.len() as u32).to_le_bytes())?;
        out.write_all(blob)?;
    }
    Ok(())
}

/// The first bytes of a cache file for `key`: [`MAGIC`], the format, the key.
fn header(key: u64) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT.to_le_bytes());
    header.extend_from_slice(&key.to_le_bytes());
    header
}

/// The key and folders of a cache file; `None` for one of another format,
/// cut short, or with its folders out of order (each once, by name).
fn decode(bytes: &[u8]) -> Option<(u64, Vec<Folder>)> {
    let mut at = 0usize;
    let mut take = |n: usize| -> Option<std::ops::Range<usize>> {
        let range = at..at.checked_add(n).filter(|end| *end <= bytes.len())?;
        at = range.end;
        Some(range)
    };
    if bytes.get(take(MAGIC.len())?)? != MAGIC {
        return None;
    }
    let word = |r: std::ops::Range<usize>| -> u64 {
        let mut b = [0u8; 8];
        b[..r.len()].copy_from_slice(&bytes[r]);
        u64::from_le_bytes(b)
    };
    if word(take(4)?) != u64::from(FORMAT) {
        return None;
    }
    let key = word(take(8)?);
    let count = word(take(4)?) as usize;
    let mut folders = Vec::with_capacity(count.min(bytes.len() / 24));
    for _ in 0..count {
        let len = word(take(4)?) as usize;
        let name = std::str::from_utf8(&bytes[take(len)?]).ok()?.to_string();
        let signature = word(take(8)?);
        let digest = word(take(8)?);
        let checksum = word(take(8)?);
        let len = word(take(4)?) as usize;
        folders.push(Folder {
            name,
            signature,
            digest,
            checksum,
            project: Blob::Old(take(len)?),
        });
    }
    let ordered = folders.windows(2).all(|w| w[0].name < w[1].name);
    (at == bytes.len() && ordered).then_some((key, folders))
}

/// The cache's folder, unless something else than a folder is there: a
/// link committed by a pull request must not make dealbook read from or
/// write to another place.
fn dir(root: &Path) -> Option<std::path::PathBuf> {
    let dir = root.join(DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.is_dir() => Some(dir),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Some(dir),
        _ => None,
    }
}

/// The cache file's path, when there is one, a file (not a link).
fn file(root: &Path) -> Option<std::path::PathBuf> {
    let path = dir(root)?.join(FILE);
    std::fs::symlink_metadata(&path)
        .is_ok_and(|m| m.is_file())
        .then_some(path)
}

/// The cache file's bytes and folders, when it is a file (never through a
/// link: one to `/dev/zero` would never end) written for `key`; its
/// header is read first, so a big file of anything else is not read.
fn read_file(root: &Path, key: u64) -> Option<(Vec<u8>, Vec<Folder>)> {
    use std::io::Read;
    let mut file = std::fs::File::open(file(root)?).ok()?;
    let mut bytes = vec![0; HEADER];
    file.read_exact(&mut bytes).ok()?;
    if bytes != header(key) {
        // Another build's or another process's cache: replaced on save.
        return Some((bytes, Vec::new()));
    }
    file.read_to_end(&mut bytes).ok()?;
    let folders = decode(&bytes).map_or_else(Vec::new, |(_, folders)| folders);
    Some((bytes, folders))
}

/// Writes the cache whole and renames it into place, so a run that stops
/// half way leaves the old cache or none, never a torn one.
fn write(root: &Path, key: u64, folders: &[&Folder], old: &[u8]) -> io::Result<()> {
    let dir = dir(root).ok_or_else(|| io::Error::other("not a folder"))?;
    std::fs::create_dir_all(&dir)?;
    let ignore = dir.join(".gitignore");
    if std::fs::symlink_metadata(&ignore).is_err() {
        std::fs::write(&ignore, "# dealbook's parse cache: never committed.\n*\n")?;
    }
    let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    // What a run that stopped half way left (a container's process is
    // often number 1 every time); removing a link removes the link only.
    let _ = std::fs::remove_file(&tmp);
    // A new file: never one a link put there.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    let mut out = io::BufWriter::with_capacity(1 << 20, file);
    let written = encode(&mut out, key, folders, old)
        .and_then(|()| out.into_inner().map_err(io::IntoInnerError::into_error))
        .and_then(|_| std::fs::rename(&tmp, dir.join(FILE)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo repo, copied.
    fn demo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"));
        for name in ["dealbook.toml", "data", "content"] {
            if src.join(name).is_dir() {
                files::copy_tree(&src.join(name), &dir.path().join(name));
            } else {
                std::fs::copy(src.join(name), dir.path().join(name)).unwrap();
            }
        }
        dir
    }

    /// A run that takes every file as older than the racy window.
    fn run(root: &Path) -> Done {
        Reading::at(root, now() + 10 * RACY)
            .unwrap()
            .finish(root)
            .unwrap()
    }

    fn reused(d: &Done) -> Vec<&str> {
        d.reused.iter().map(String::as_str).collect()
    }

    fn cache_file(root: &Path) -> Vec<u8> {
        std::fs::read(root.join(DIR).join(FILE)).unwrap_or_default()
    }

    /// What a run without the cache makes of the repo.
    fn fresh(root: &Path) -> Loaded {
        super::super::parse(&files::read_repo(root).unwrap()).unwrap()
    }

    fn same(a: &Loaded, b: &Loaded) {
        let (a, b) = (a.dataset.as_ref().unwrap(), b.dataset.as_ref().unwrap());
        assert_eq!(a.projects.len(), b.projects.len());
        for (a, b) in a.projects.iter().zip(&b.projects) {
            assert_eq!(a, b, "{} as cached and as read", a.folder);
        }
    }

    #[test]
    fn a_second_run_reuses_what_is_unchanged_and_reads_what_changed() {
        let dir = demo();
        let root = dir.path();
        let first = run(root);
        assert!(reused(&first).is_empty());
        assert!(
            !first
                .files
                .entries
                .values()
                .any(|e| matches!(e, Entry::Unread(_))),
            "without a cache, every file is read in the one walk"
        );
        let in_projects = |d: &Done| {
            d.loaded
                .findings
                .iter()
                .filter(|f| f.path.starts_with(PROJECTS))
                .count()
        };
        assert_eq!(in_projects(&first), 0, "the demo reads without a finding");
        let written = cache_file(root);

        let second = run(root);
        let projects = second.loaded.dataset.as_ref().unwrap().projects.len();
        assert_eq!(reused(&second).len(), projects, "every folder reused");
        assert_eq!(cache_file(root), written, "nothing to write back");
        assert!(
            second
                .files
                .entries
                .values()
                .any(|e| matches!(e, Entry::Unread(_))),
            "reused folders are not read"
        );
        same(&second.loaded, &fresh(root));
        assert_eq!(second.loaded.digests.projects, fresh(root).digests.projects);

        // One note changes: its folder alone is read again, and what the
        // run makes of the repo is what a run without the cache makes.
        let data = second.loaded.dataset.as_ref().unwrap();
        let (folder, note) = data
            .projects
            .iter()
            .find_map(|p| Some((p.folder.clone(), p.notes.first()?.path.clone())))
            .unwrap();
        let text = std::fs::read_to_string(root.join(&note)).unwrap();
        std::fs::write(root.join(&note), format!("{text}\nOne more line.\n")).unwrap();
        let third = run(root);
        assert_eq!(reused(&third).len(), projects - 1);
        assert!(!reused(&third).contains(&folder.as_str()));
        same(&third.loaded, &fresh(root));
        assert_ne!(
            third.loaded.digests.projects[&folder],
            second.loaded.digests.projects[&folder]
        );
    }

    #[test]
    fn a_folder_changed_just_now_or_read_with_findings_is_not_kept() {
        let dir = demo();
        let root = dir.path();
        // A note with a key notes do not have: the project still reads,
        // with a finding of reading it.
        let folder = root.join(PROJECTS).join("AQ-2026-001/notes");
        let note = std::fs::read_dir(&folder)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let text = std::fs::read_to_string(&note).unwrap();
        std::fs::write(&note, text.replacen("+++\n", "+++\nmood = \"good\"\n", 1)).unwrap();
        let first = run(root);
        let data = first.loaded.dataset.as_ref().unwrap();
        assert!(data.projects.iter().any(|p| p.folder == "AQ-2026-001"));
        assert!(
            first
                .loaded
                .findings
                .iter()
                .any(|f| f.path.contains("AQ-2026-001"))
        );
        let second = run(root);
        assert!(!reused(&second).contains(&"AQ-2026-001"));
        assert!(!reused(&second).is_empty());

        // Stamped now: the same tick may change a file again unseen.
        let dir = demo();
        Reading::at(dir.path(), now())
            .unwrap()
            .finish(dir.path())
            .unwrap();
        assert!(reused(&run(dir.path())).is_empty());
    }

    #[test]
    fn another_process_definition_or_a_damaged_cache_is_passed_over() {
        let dir = demo();
        let root = dir.path();
        run(root);
        let file = root.join(DIR).join(FILE);
        let bytes = std::fs::read(&file).unwrap();
        for cut in [0, 1, MAGIC.len(), HEADER, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&file, &bytes[..cut]).unwrap();
            let done = run(root);
            assert!(reused(&done).is_empty(), "cut at {cut}");
            same(&done.loaded, &fresh(root));
            assert_eq!(cache_file(root), bytes, "written again whole");
        }
        // A bit flipped inside every project's entry in turn.
        let (_, folders) = decode(&bytes).unwrap();
        for f in &folders {
            let Blob::Old(range) = &f.project else {
                unreachable!("decoded entries are ranges")
            };
            let mut flipped = bytes.clone();
            flipped[range.start + range.len() / 2] ^= 0x10;
            std::fs::write(&file, &flipped).unwrap();
            let done = run(root);
            assert!(!reused(&done).contains(&f.name.as_str()), "{}", f.name);
            same(&done.loaded, &fresh(root));
        }

        let process = root.join(PROCESS);
        let text = std::fs::read_to_string(&process)
            .unwrap_or_else(|_| super::super::BUILTIN_PROCESS.to_string());
        std::fs::write(&process, format!("# edited\n{text}")).unwrap();
        assert!(reused(&run(root)).is_empty(), "the process changed");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_cache_is_never_followed() {
        let dir = demo();
        let root = dir.path();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.join(DIR)).unwrap();
        run(root);
        run(root);
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        assert!(root.join(DIR).is_symlink());

        std::fs::remove_file(root.join(DIR)).unwrap();
        std::fs::create_dir(root.join(DIR)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join(DIR).join(FILE)).unwrap();
        let done = run(root);
        assert!(reused(&done).is_empty());
        same(&done.loaded, &fresh(root));
        let meta = std::fs::symlink_metadata(root.join(DIR).join(FILE)).unwrap();
        assert!(meta.is_file(), "the link was replaced by a cache file");
    }

    #[test]
    fn a_cache_file_reads_back_as_written() {
        let folder = Folder {
            name: "杭州-1".into(),
            signature: 7,
            digest: 9,
            checksum: checksum(&[1, 2, 3]),
            project: Blob::New(vec![1, 2, 3]),
        };
        let mut bytes = Vec::new();
        encode(&mut bytes, 42, &[&folder], &[]).unwrap();
        let (key, back) = decode(&bytes).unwrap();
        assert_eq!(key, 42);
        assert_eq!(
            (back[0].name.as_str(), back[0].signature, back[0].digest),
            ("杭州-1", 7, 9)
        );
        let Blob::Old(range) = &back[0].project else {
            panic!("read in place")
        };
        assert_eq!(&bytes[range.clone()], &[1, 2, 3]);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        // The same folder twice is a damaged file.
        let mut twice = Vec::new();
        encode(&mut twice, 42, &[&folder, &folder], &[]).unwrap();
        assert!(decode(&twice).is_none());
    }
}
