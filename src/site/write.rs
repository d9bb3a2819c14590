//! Writes a rendered site atomically: into a temporary folder beside the
//! output, then swapped in with renames. A build that fails, or a crash
//! half-way, leaves the previous site as it was. Files whose bytes did not
//! change are hard-linked from the previous site instead of written, so
//! they keep their modification time and cost no write.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Site;

/// Marks a folder as a site dealbook wrote, so `--out` never replaces a
/// folder of something else.
pub const MARKER: &str = ".dealbook-site";

#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists, is not empty and is not a dealbook site.
    NotOurs(PathBuf),
    /// A path of the site would leave the output folder (a bug, refused).
    BadPath(String),
    /// An attachment that is no longer a data file (a link to elsewhere).
    NotData(PathBuf),
    /// The output folder is marked read-only: not ours to replace.
    ReadOnly(PathBuf),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "{} is not empty and was not written by dealbook",
                p.display()
            ),
            WriteError::BadPath(p) => write!(f, "refusing to write outside the site: {p}"),
            WriteError::NotData(p) => {
                write!(f, "refusing to publish {}: not a data file", p.display())
            }
            WriteError::ReadOnly(p) => write!(f, "{} is read-only", p.display()),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

/// What writing did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub written: usize,
    pub unchanged: usize,
    /// Where the site went: the output folder, or the folder a link named
    /// `--out` leads to.
    pub out: PathBuf,
    /// The previous site, when it could not be removed after the swap.
    pub left_behind: Option<(PathBuf, String)>,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(path.to_path_buf(), e)
}

/// Writes `site` to `out`, replacing what was there. Copied files are read
/// from below `root`.
pub fn write(site: &Site, out: &Path, root: &Path) -> Result<Stats, WriteError> {
    let writer = Writer::begin(out, root)?;
    for (path, bytes) in &site.files {
        writer.put(path, bytes)?;
    }
    for (path, source) in &site.copies {
        writer.copy(path, source)?;
    }
    writer.finish()
}

/// A site being written: each file goes into a temporary folder beside
/// the output as soon as it is rendered (from any thread), so memory does
/// not grow with the site; [`Writer::finish`] swaps the folder in. A writer
/// dropped before it finished removes its folder, leaving the previous
/// site as it was.
pub struct Writer {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: PathBuf,
    /// The repo, canonical, that attachments are copied from.
    root: PathBuf,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    finished: bool,
}

impl Writer {
    /// Checks that `out` may be replaced, repairs an interrupted build, and
    /// makes the temporary folder.
    pub fn begin(out: &Path, root: &Path) -> Result<Writer, WriteError> {
        // `--out` may be a link to where the site is served from: the site
        // goes there, and the link keeps working.
        let out = if fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
            fs::canonicalize(out).map_err(io_err(out))?
        } else {
            out.to_path_buf()
        };
        if out.exists() && !is_ours(&out) {
            return Err(WriteError::NotOurs(out));
        }
        if fs::metadata(&out).is_ok_and(|m| m.permissions().readonly()) {
            return Err(WriteError::ReadOnly(out));
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = out
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        recover(&out, &parent, &name)?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
        let root = root.canonicalize().map_err(io_err(root))?;
        Ok(Writer {
            out,
            parent,
            name,
            tmp,
            root,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            finished: false,
        })
    }

    /// Writes one file of the site; one the previous site has with the
    /// same bytes is hard-linked instead, keeping its time.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        if !is_inside(path) {
            return Err(WriteError::BadPath(path.to_string()));
        }
        let target = self.tmp.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let old = self.out.join(path);
        if unchanged(&old, bytes) && fs::hard_link(&old, &target).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            fs::write(&target, bytes).map_err(io_err(&target))?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The site being replaced (it may not exist).
    pub fn previous(&self) -> &Path {
        &self.out
    }

    /// Keeps the previous site's file at `path` as it is (hard-linked);
    /// `false` when it has none.
    pub fn keep(&self, path: &str) -> Result<bool, WriteError> {
        if !is_inside(path) {
            return Err(WriteError::BadPath(path.to_string()));
        }
        let old = self.out.join(path);
        if !fs::symlink_metadata(&old).is_ok_and(|m| m.is_file()) {
            return Ok(false);
        }
        let target = self.tmp.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        if fs::hard_link(&old, &target).is_err() {
            fs::copy(&old, &target).map_err(io_err(&target))?;
        }
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        Ok(true)
    }

    /// Copies an attachment from the repo (`source`, repo-relative).
    pub fn copy(&self, path: &str, source: &str) -> Result<(), WriteError> {
        let source = self.root.join(source);
        // Checked again as it is read: a link swapped in since the repo was
        // read must not publish a secret.
        let real = source.canonicalize().map_err(io_err(&source))?;
        if !crate::load::files::is_data_path(&real, &self.root) {
            return Err(WriteError::NotData(source));
        }
        let bytes = fs::read(&real).map_err(|e| WriteError::Io(source.clone(), e))?;
        self.put(path, &bytes)
    }

    /// Marks the new site as ours and swaps it in for the old one.
    pub fn finish(mut self) -> Result<Stats, WriteError> {
        let marker = self.tmp.join(MARKER);
        fs::write(
            &marker,
            b"This folder is a site written by dealbook build; it is replaced on each build.\n",
        )
        .map_err(io_err(&marker))?;
        let left_behind = swap(&self.tmp, &self.out, &self.parent, &self.name)?;
        self.finished = true;
        Ok(Stats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            out: self.out.clone(),
            left_behind,
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Cleans up after a build that was interrupted: a site moved aside but
/// never replaced is put back; leftover temporary folders are removed.
fn recover(out: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let mut old = Vec::new();
    let mut tmp = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&format!(".{name}.old-")) {
            old.push(entry.path());
        } else if file.starts_with(&format!(".{name}.tmp-")) {
            tmp.push(entry.path());
        }
    }
    old.sort();
    if !out.exists()
        && let Some(last) = old.pop()
    {
        fs::rename(&last, out).map_err(io_err(&last))?;
    }
    for leftover in old.iter().chain(&tmp) {
        fs::remove_dir_all(leftover).map_err(io_err(leftover))?;
    }
    Ok(())
}

/// An output folder we may replace: missing, empty, or marked as ours.
fn is_ours(out: &Path) -> bool {
    out.is_dir()
        && (out.join(MARKER).is_file()
            || fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none()))
}

fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Whether the previous site has exactly these bytes at `old`.
fn unchanged(old: &Path, bytes: &[u8]) -> bool {
    fs::metadata(old).is_ok_and(|m| m.len() == bytes.len() as u64) && same_bytes(old, bytes)
}

/// Whether the file at `path` holds `bytes`, read a block at a time: the
/// previous `pipeline.json` is 124 MB at 10,000 projects.
fn same_bytes(path: &Path, mut bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut block = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut block) {
            Ok(0) => return bytes.is_empty(),
            Ok(n) => match bytes.strip_prefix(&block[..n]) {
                Some(rest) => bytes = rest,
                None => return false,
            },
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Puts `tmp` in the place of `out`; the old site is removed only once the
/// new one is in place. Where the system can, the two folders trade places
/// in one step, so `out` never goes missing, even for a moment. Returns the
/// old site's folder when it could not be removed.
fn swap(
    tmp: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
) -> Result<Option<(PathBuf, String)>, WriteError> {
    let had_old = out.exists();
    let old = if had_old && exchange(tmp, out).is_ok() {
        // `tmp` holds the old site now.
        tmp.to_path_buf()
    } else {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if had_old {
            fs::rename(out, &old).map_err(io_err(out))?;
        }
        if let Err(e) = fs::rename(tmp, out) {
            if had_old {
                let _ = fs::rename(&old, out);
            }
            let _ = fs::remove_dir_all(tmp);
            return Err(WriteError::Io(out.to_path_buf(), e));
        }
        old
    };
    if !had_old {
        return Ok(None);
    }
    Ok(fs::remove_dir_all(&old).err().map(|e| (old, e.to_string())))
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let cstr = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    };
    let (a, b) = (cstr(a)?, cstr(b)?);
    // SAFETY: both are valid NUL-terminated paths, relative to the current
    // folder; the call only renames.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Elsewhere the two renames of [`swap`] do it.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pairs: &[(&str, &str)]) -> Site {
        let mut s = Site::default();
        for (p, b) in pairs {
            s.insert(p, b.as_bytes().to_vec());
        }
        s
    }

    /// What a folder holds, by name.
    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    }

    #[test]
    fn writes_then_replaces_keeping_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &site(&[("index.html", "a"), ("x/y.html", "b")]),
            &out,
            dir.path(),
        )
        .unwrap();
        assert_eq!((first.written, first.unchanged), (2, 0));
        let second = write(
            &site(&[("index.html", "a"), ("x/y.html", "c")]),
            &out,
            dir.path(),
        )
        .unwrap();
        assert_eq!((second.written, second.unchanged), (1, 1));
        assert_eq!(second.left_behind, None);
        assert_eq!(fs::read_to_string(out.join("x/y.html")).unwrap(), "c");
        // Nothing is left beside the output.
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn an_interrupted_swap_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&site(&[("index.html", "a")]), &out, dir.path()).unwrap();
        // A crash between the two renames: the old site is aside, no output.
        fs::rename(&out, dir.path().join(".public.old-1")).unwrap();
        fs::create_dir(dir.path().join(".public.tmp-2")).unwrap();
        let stats = write(&site(&[("index.html", "a")]), &out, dir.path()).unwrap();
        assert_eq!(
            stats.unchanged, 1,
            "the recovered site was the previous one"
        );
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("important.txt"), "keep").unwrap();
        let err = write(&site(&[("index.html", "a")]), dir.path(), dir.path()).unwrap_err();
        assert!(matches!(err, WriteError::NotOurs(_)));
        assert_eq!(
            fs::read_to_string(dir.path().join("important.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn a_read_only_output_folder_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&site(&[("index.html", "a")]), &out, dir.path()).unwrap();
        let mut perms = fs::metadata(&out).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&out, perms.clone()).unwrap();
        let err = write(&site(&[("index.html", "b")]), &out, dir.path()).unwrap_err();
        assert!(matches!(err, WriteError::ReadOnly(_)), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "a");
        assert_eq!(names(dir.path()), ["public"], "nothing left beside it");
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(&out, perms).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_link_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let served = dir.path().join("www/site");
        write(&site(&[("index.html", "a")]), &served, dir.path()).unwrap();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(&served, &link).unwrap();
        let stats = write(&site(&[("index.html", "b")]), &link, dir.path()).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(served.join("index.html")).unwrap(), "b");
        assert_eq!(stats.out, served.canonicalize().unwrap());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_output_never_goes_missing_during_the_swap() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&site(&[("index.html", "0")]), &out, dir.path()).unwrap();
        let done = Arc::new(AtomicBool::new(false));
        let watcher = {
            let (out, done) = (out.clone(), Arc::clone(&done));
            std::thread::spawn(move || {
                let mut missing = 0;
                while !done.load(Ordering::Relaxed) {
                    if fs::symlink_metadata(&out).is_err() {
                        missing += 1;
                    }
                }
                missing
            })
        };
        for i in 1..600 {
            write(&site(&[("index.html", &i.to_string())]), &out, dir.path()).unwrap();
        }
        done.store(true, Ordering::Relaxed);
        assert_eq!(watcher.join().unwrap(), 0, "the output path was missing");
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn refuses_paths_that_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(
            &site(&[("../evil.html", "x")]),
            &dir.path().join("out"),
            dir.path(),
        )
        .unwrap_err();
        assert!(matches!(err, WriteError::BadPath(_)));
        assert!(!dir.path().join("evil.html").exists());
    }

    #[test]
    fn a_file_is_compared_block_by_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipeline.json");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert!(same_bytes(&path, &bytes));
        let mut other = bytes.clone();
        other[150_000] ^= 1;
        assert!(!same_bytes(&path, &other), "a byte in the third block");
        assert!(!same_bytes(&path, &bytes[..199_999]), "shorter");
        assert!(
            !same_bytes(&path, &[bytes.as_slice(), b"x"].concat()),
            "longer"
        );
        assert!(!same_bytes(&dir.path().join("missing"), b""));
        assert!(unchanged(&path, &bytes) && !unchanged(&path, &other));
    }
}
