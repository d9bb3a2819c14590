//! A file's text, read once and shared: the repo's files, the source map
//! findings point into, and the note and form bodies the model keeps are
//! the same bytes. At 10,000 projects the text is 300 MB; three copies of
//! it were most of a build's memory.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// The whole text of one file.
pub type Text = Arc<String>;

/// Part of a file's text (a note's body), without a copy.
#[derive(Clone, Default)]
pub struct Slice {
    text: Text,
    range: Range<usize>,
}

impl Slice {
    /// `text[range]`; panics if the range is not on character boundaries,
    /// as slicing a `str` does.
    pub fn new(text: &Text, range: Range<usize>) -> Slice {
        assert!(text.get(range.clone()).is_some(), "a slice of the text");
        Slice {
            text: text.clone(),
            range,
        }
    }
}

impl Deref for Slice {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.range.clone()]
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
}
