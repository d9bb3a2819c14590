//! A file's text, read once and shared: the repo's files, the source map
//! findings point into, and the note and form bodies the model keeps are
//! the same bytes. At 10,000 projects the text is 300 MB; three copies of
//! it were most of a build's memory.
//!
//! A body the parse cache stood in for (`load::cache`) is read from its
//! file when a page first wants it, and only while the file still has the
//! stamp it had ([`Unread`]): the one read of the disk outside `load`,
//! which lets a build of 10,000 projects read only the notes of the pages
//! it makes again.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, Range};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The whole text of one file.
pub type Text = Arc<String>;

/// The text a parser sees: a byte-order mark becomes three spaces (as
/// long), which TOML skips, so spans stay offsets into the file on disk.
pub fn as_parsed(text: Text) -> Text {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => Text::new(format!("   {rest}")),
        None => text,
    }
}

/// Part of a file's text (a note's body), without a copy.
#[derive(Clone, Default)]
pub struct Slice {
    text: Source,
    range: Range<usize>,
}

/// Where a slice's text is.
#[derive(Clone, Default)]
enum Source {
    /// Read with the file.
    Read(Text),
    /// On disk, read when first wanted (a project the parse cache had).
    Later(Arc<Later>),
    /// Not known yet: decoded from the cache, before [`Slice::attach`].
    #[default]
    Detached,
}

impl Slice {
    /// `text[range]`; panics if the range is not on character boundaries,
    /// as slicing a `str` does.
    pub fn new(text: &Text, range: Range<usize>) -> Slice {
        assert!(text.get(range.clone()).is_some(), "a slice of the text");
        Slice {
            text: Source::Read(text.clone()),
            range,
        }
    }

    /// Where its text will be read from, for a slice decoded from the
    /// parse cache (which keeps only the range).
    pub fn attach(&mut self, later: &Arc<Later>) {
        self.text = Source::Later(later.clone());
    }
}

impl Deref for Slice {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.text {
            Source::Read(text) => &text[self.range.clone()],
            Source::Later(later) => later.slice(self.range.clone()),
            Source::Detached => "",
        }
    }
}

/// The slice's range only: its text is the file's ([`Slice::attach`]).
impl serde::Serialize for Slice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.range.start, self.range.end).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Slice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Slice, D::Error> {
        let (start, end) = <(usize, usize)>::deserialize(d)?;
        Ok(Slice {
            text: Source::Detached,
            range: start..end,
        })
    }
}

impl fmt::Debug for Slice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Slice {
    fn eq(&self, other: &Slice) -> bool {
        **self == **other
    }
}

impl PartialEq<str> for Slice {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

impl PartialEq<&str> for Slice {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

/// What the file system says of a file without reading it, as Git's index
/// keeps it: a file whose stamp is unchanged is taken to be unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub size: u64,
    /// Modification and status-change times, in nanoseconds.
    pub modified: i128,
    pub changed: i128,
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata. Without Unix, the status-change
    /// time and inode are not known and count as 0.
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let ns = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128)
        };
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Stamp {
            size: meta.len(),
            modified: ns(meta.modified()),
            changed,
            inode,
        }
    }

    /// The later of the two times.
    pub fn latest(&self) -> i128 {
        self.modified.max(self.changed)
    }
}

/// The text of the file at `path` if it is still the file `stamp` was
/// taken of: a link swapped in (to `/dev/zero`, to `.git/config`), a file
/// edited or replaced since, is not read.
pub fn read_stamped(path: &Path, stamp: &Stamp) -> Option<Text> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    if Stamp::of(&file.metadata().ok()?) != *stamp {
        return None;
    }
    let mut bytes = Vec::with_capacity(stamp.size as usize);
    file.take(stamp.size).read_to_end(&mut bytes).ok()?;
    String::from_utf8(bytes).ok().map(Text::new)
}

/// The files of a repo that were not read because the parse cache stood
/// in for them, with their stamps: only those are ever read later, and
/// only while they are unchanged. One found changed when a page wanted
/// its text is remembered, so that a build can refuse to publish a page
/// made from two versions of it.
#[derive(Clone, Debug)]
pub struct Unread {
    root: PathBuf,
    stamps: Arc<BTreeMap<String, Stamp>>,
    changed: Arc<AtomicBool>,
}

impl Unread {
    /// The files at these repo-relative paths below `root`, as stamped.
    pub fn new(root: PathBuf, stamps: BTreeMap<String, Stamp>) -> Unread {
        Unread {
            root,
            stamps: Arc::new(stamps),
            changed: Arc::default(),
        }
    }

    /// The file at `path` (repo-relative), to be read when first wanted.
    pub fn later(&self, path: &str) -> Arc<Later> {
        Arc::new(Later {
            path: self.root.join(path),
            stamp: self.stamps.get(path).copied(),
            text: OnceLock::new(),
            changed: self.changed.clone(),
        })
    }

    /// The text of the file at `path` as on disk (for a finding's source
    /// lines, an edit), when it is one of the unread files, unchanged.
    pub fn read(&self, path: &str) -> Option<Text> {
        read_stamped(&self.root.join(path), self.stamps.get(path)?)
    }

    /// Whether a file read later was not as it was stamped.
    pub fn changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }
}

/// One unread file's text, read on first use.
pub struct Later {
    path: PathBuf,
    stamp: Option<Stamp>,
    text: OnceLock<Text>,
    changed: Arc<AtomicBool>,
}

impl Later {
    /// `range` of the text as the parser saw it ([`as_parsed`]); empty,
    /// and the file marked changed, when it is no longer the file that
    /// was parsed.
    fn slice(&self, range: Range<usize>) -> &str {
        let text =
            self.text.get_or_init(
                || match self.stamp.and_then(|s| read_stamped(&self.path, &s)) {
                    Some(text) => as_parsed(text),
                    None => {
                        self.changed.store(true, Ordering::Relaxed);
                        Text::default()
                    }
                },
            );
        text.get(range).unwrap_or_else(|| {
            self.changed.store(true, Ordering::Relaxed);
            ""
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_reads_as_its_part_of_the_text() {
        let text: Text = Arc::new("+++\ntitle = \"拜访\"\n+++\n# 拜访\n".to_string());
        let at = text.find("# ").unwrap();
        let body = Slice::new(&text, at..text.len());
        assert_eq!(body, "# 拜访\n");
        assert_eq!(format!("{body:?}"), "\"# 拜访\\n\"");
        assert_eq!(Arc::strong_count(&text), 2, "shared, not copied");
    }

    /// A file written in `dir` and the [`Unread`] that stamped it.
    fn stamped(dir: &Path, name: &str, text: &str) -> Unread {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&path).unwrap());
        Unread::new(
            dir.to_path_buf(),
            BTreeMap::from([(name.to_string(), stamp)]),
        )
    }

    #[test]
    fn a_cached_slice_reads_its_file_when_first_wanted() {
        let dir = tempfile::tempdir().unwrap();
        let note = "\u{feff}+++\n+++\n# 拜访\n";
        let unread = stamped(dir.path(), "n.md", note);
        let at = note.find('#').unwrap();
        let bytes =
            postcard::to_allocvec(&Slice::new(&Text::new(note.into()), at..note.len())).unwrap();
        let mut body: Slice = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(body, "", "nothing to read before it is attached");
        body.attach(&unread.later("n.md"));
        assert_eq!(body, "# 拜访\n");
        assert!(!unread.changed());
        assert_eq!(
            unread.read("n.md").as_deref().map(String::as_str),
            Some(note)
        );
    }

    #[test]
    fn a_file_changed_since_it_was_stamped_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let unread = stamped(dir.path(), "n.md", "+++\n+++\n# 拜访 A\n");
        // As long as before, put in place as editors save: the stamp's
        // inode tells.
        std::fs::write(dir.path().join("n.tmp"), "+++\n+++\n# 拜访 B\n").unwrap();
        std::fs::rename(dir.path().join("n.tmp"), dir.path().join("n.md")).unwrap();
        assert_eq!(unread.read("n.md"), None);
        let mut body: Slice =
            postcard::from_bytes(&postcard::to_allocvec(&(8, 12)).unwrap()).unwrap();
        body.attach(&unread.later("n.md"));
        assert_eq!(body, "");
        assert!(unread.changed());
        assert_eq!(
            unread.read("other.md"),
            None,
            "only the unread files are read"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_swapped_in_for_a_stamped_file_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let unread = stamped(dir.path(), "n.md", "+++\n+++\n");
        std::fs::remove_file(dir.path().join("n.md")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("n.md")).unwrap();
        assert_eq!(unread.read("n.md"), None);
    }
}
