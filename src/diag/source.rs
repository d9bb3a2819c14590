//! The text of every file a finding may point into, and byte offset →
//! line:column conversion.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::text::Text;

/// One file's text (shared with whoever parsed it) and, once a finding
/// asks, where its lines start.
#[derive(Clone, Debug)]
pub struct SourceFile {
    text: Text,
    line_starts: OnceLock<Vec<usize>>,
}

/// A 1-based line and column. Columns count characters, as rustc does, so
/// a column after Chinese text is what an editor shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl SourceFile {
    pub fn new(text: impl Into<Text>) -> Self {
        SourceFile {
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line and column of a byte offset (clamped into the file and onto
    /// a character boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts().partition_point(|&s| s <= offset) - 1;
        // An editor shows no column for a byte-order mark.
        let col = self.text[self.line_starts()[line]..offset]
            .chars()
            .filter(|&c| c != '\u{feff}')
            .count()
            + 1;
        LineCol {
            line: line + 1,
            col,
        }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let start = starts[line - 1];
        let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()[line - 1]
    }
}

/// Source files by repo-relative path.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<String, SourceFile>,
}

impl SourceMap {
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<Text>) {
        self.files.insert(path.into(), SourceFile::new(text));
    }

    /// Keeps only the files `keep` says a report still points into (a big
    /// repo's texts need not outlive the check).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.files.retain(|path, _| keep(path));
    }

    pub fn get(&self, path: &str) -> Option<&SourceFile> {
        self.files.get(path)
    }

    /// Forgets the files below a folder (`prefix` ends with `/`), looking
    /// at those only.
    pub fn remove_under(&mut self, prefix: &str) {
        let doomed: Vec<String> = self
            .files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .map(|(path, _)| path)
            .take_while(|path| path.starts_with(prefix))
            .cloned()
            .collect();
        for path in doomed {
            self.files.remove(&path);
        }
    }

    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }

    /// Reads in the files `findings` point into that it lacks (those the
    /// parse cache stood in for), so their lines are shown.
    pub fn read_missing(
        &mut self,
        findings: &[super::Finding],
        read: impl Fn(&str) -> Option<Text>,
    ) {
        let missing: std::collections::BTreeSet<&str> = findings
            .iter()
            .flat_map(|f| std::iter::once(&f.path).chain(f.related.iter().map(|r| &r.path)))
            .map(String::as_str)
            .filter(|p| !self.files.contains_key(*p))
            .collect();
        let read: Vec<(String, Text)> = missing
            .into_iter()
            .filter_map(|p| Some((p.to_string(), read(p)?)))
            .collect();
        for (path, text) in read {
            self.insert(path, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a = 1\nname = \"杭州\" x\n".to_string());
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(6), LineCol { line: 2, col: 1 });
        // after `name = "杭州" ` the x is the 13th character
        let x = f.text().find('x').unwrap();
        assert_eq!(f.line_col(x), LineCol { line: 2, col: 13 });
        assert_eq!(f.line(2), "name = \"杭州\" x");
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let f = SourceFile::new("杭州".to_string());
        assert_eq!(f.line_col(1), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(99), LineCol { line: 1, col: 3 });
    }

    #[test]
    fn crlf_lines_are_shown_without_cr() {
        let f = SourceFile::new("a = 1\r\nb = 2\r\n".to_string());
        assert_eq!(f.line(1), "a = 1");
        assert_eq!(f.line_col(7), LineCol { line: 2, col: 1 });
    }

    #[test]
    fn forgetting_a_folder_keeps_its_neighbours() {
        let mut sources = SourceMap::default();
        for path in [
            "p/A/x.md",
            "p/A-1/y.md",
            "p/A/z.md",
            "p/A0/w.md",
            "p/B/v.md",
        ] {
            sources.insert(path, path.to_string());
        }
        sources.remove_under("p/A/");
        let left: Vec<&str> = sources.files.keys().map(String::as_str).collect();
        assert_eq!(left, ["p/A-1/y.md", "p/A0/w.md", "p/B/v.md"]);
    }
}
