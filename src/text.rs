//! A file's text, read once and shared: the repo's files, the source map
//! findings point into, and the note and form bodies the model keeps are
//! the same bytes. At 10,000 projects the text is 300 MB; three copies of
//! it were most of a build's memory.

use std::fmt;
use std::ops::{Deref, Range};
use std::path::PathBuf;
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

/// The files of a repo that were not read because the parse cache stood
/// in for them; one found changed when read after all is remembered, so
/// a build can refuse to publish a page made from two versions of it.
#[derive(Clone, Debug)]
pub struct Unread {
    root: PathBuf,
    changed: Arc<AtomicBool>,
}

impl Unread {
    pub fn new(root: PathBuf) -> Unread {
        Unread {
            root,
            changed: Arc::default(),
        }
    }

    /// The file at `path` (repo-relative), `size` bytes when stamped, to
    /// be read when first wanted.
    pub fn later(&self, path: &str, size: u64) -> Arc<Later> {
        Arc::new(Later {
            path: self.root.join(path),
            size,
            text: OnceLock::new(),
            changed: self.changed.clone(),
        })
    }

    /// The text of the file at `path` now, as on disk (for a finding's
    /// source lines).
    pub fn read(&self, path: &str) -> Option<Text> {
        std::fs::read_to_string(self.root.join(path))
            .ok()
            .map(Text::new)
    }

    /// Whether a file read later was not as it was stamped.
    pub fn changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }
}

/// One file's text, read on first use.
pub struct Later {
    path: PathBuf,
    size: u64,
    text: OnceLock<Text>,
    changed: Arc<AtomicBool>,
}

impl Later {
    /// `range` of the text as the parser saw it ([`as_parsed`]); empty,
    /// and the file marked changed, when it is no longer the file that
    /// was parsed.
    fn slice(&self, range: Range<usize>) -> &str {
        let text = self
            .text
            .get_or_init(|| match std::fs::read_to_string(&self.path) {
                Ok(text) if text.len() as u64 == self.size => as_parsed(Text::new(text)),
                _ => {
                    self.changed.store(true, Ordering::Relaxed);
                    Text::default()
                }
            });
        text.get(range).unwrap_or_else(|| {
            self.changed.store(true, Ordering::Relaxed);
            ""
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

    #[test]
    fn a_cached_slice_reads_its_file_when_first_wanted() {
        let dir = tempfile::tempdir().unwrap();
        let note = "\u{feff}+++\n+++\n# 拜访\n";
        std::fs::write(dir.path().join("n.md"), note).unwrap();
        let unread = Unread::new(dir.path().to_path_buf());
        let at = note.find('#').unwrap();
        let bytes =
            postcard::to_allocvec(&Slice::new(&Text::new(note.into()), at..note.len())).unwrap();
        let mut body: Slice = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(body, "", "nothing to read before it is attached");
        body.attach(&unread.later("n.md", note.len() as u64));
        assert_eq!(body, "# 拜访\n");
        assert!(!unread.changed());
    }

    #[test]
    fn a_cached_slice_of_a_file_changed_since_is_empty_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("n.md"), "+++\n+++\nnew, longer text\n").unwrap();
        let unread = Unread::new(dir.path().to_path_buf());
        let mut body: Slice =
            postcard::from_bytes(&postcard::to_allocvec(&(8, 12)).unwrap()).unwrap();
        body.attach(&unread.later("n.md", 12));
        assert_eq!(body, "");
        assert!(unread.changed());
    }
}
